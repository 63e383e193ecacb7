"""Form pages attached to notices, and their submissions.

Empty until the form builder lands (issue 3); the app exists now so that the
project layout, migrations and settings are stable from the first release.
"""
