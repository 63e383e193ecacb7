"""The names export files download under: what they hold, then when they were made, in Beijing time.

One rule for every download of an export (submissions, summary lists, batches, the audit log), so
that two files of the same list sort by the time people read on the site's clocks (the site's
``TIME_ZONE``, Asia/Shanghai), not by UTC, and a form's title with / : " and the like still makes a
name Windows, macOS and Linux all accept.
"""

import re

from django.utils import timezone

# What Windows refuses in a file name (the strictest of the three systems), and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_stem(text, default="export"):
    """``text`` as a file name every system accepts: what Windows refuses becomes _, at most 120 long."""
    return UNSAFE.sub("_", str(text)).strip(" ._")[:120] or default


def export_file_name(stem, extension, when=None):
    """``stem-YYYYMMDD-HHMM.extension`` with ``when`` (default now) in the site's time zone."""
    local = timezone.localtime(when)
    return f"{file_stem(stem)}-{local:%Y%m%d-%H%M}.{extension}"
