"""How answers are written as JSON: Chinese text as itself, not as ``\\uXXXX`` escapes.

Python's JSON escapes every non-ASCII character by default, so a Chinese answer took six bytes per
character instead of three, and bulk inserts on PostgreSQL (Django passes the values as one text array)
spent most of their time escaping the escapes' backslashes. The stored values are the same JSON.
"""

import json


class UnicodeJSONEncoder(json.JSONEncoder):
    """A JSON encoder that writes non-ASCII characters as they are."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)
