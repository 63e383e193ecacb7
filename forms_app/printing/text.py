"""Typed text as printed lines, the one rule the PDF and the Word copy share.

A browser sends a textarea's line breaks as CR LF; an imported cell or a pasted text may carry a lone
CR, a line or paragraph separator (U+2028/U+2029) or a vertical tab. Each such break is one line break
on paper: ``str.splitlines`` knows them all and never counts CR LF twice.
"""


def typed_lines(text):
    """Return the lines of ``text`` as typed, blank lines kept: one item per line break plus one."""
    return str(text).splitlines() or [""]
