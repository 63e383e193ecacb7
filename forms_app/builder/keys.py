"""Stable ASCII keys for form fields.

A key names a field's answer in stored submissions, exports and the API, so
it must never change when an editor rewords a label. It is suggested once,
from the label, and then kept. Wagtail's own form builder derives keys from
labels every time, which breaks on relabelling and on long Chinese labels
(wagtail#13107); this module is why ours does not.
"""

import re

from anyascii import anyascii
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 40
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

validate_key = RegexValidator(
    KEY_RE,
    _("Use 1 to 40 lower-case letters, digits and underscores, starting with a letter."),
    code="invalid_key",
)


def suggest_key(label, taken=(), prefix="field"):
    """Return a key for ``label`` that is not in ``taken``, e.g. 服务团名称 → fu_wu_tuan_ming_cheng."""
    # Transliterate character by character, so each Chinese syllable is its own word.
    spelled = "".join(ch if ch.isascii() else f" {anyascii(ch)} " for ch in str(label or ""))
    words = re.split(r"[^a-z0-9]+", spelled.lower())
    key = ""
    for word in filter(None, words):
        candidate = f"{key}_{word}" if key else word
        if len(candidate) > KEY_MAX_LENGTH - 3:  # room for a _NN suffix
            break
        key = candidate
    if not key or not key[0].isalpha():
        key = f"{prefix}_{key}".rstrip("_") if key else prefix
    taken = set(taken)
    if key not in taken:
        return key
    n = 2
    while f"{key}_{n}" in taken:
        n += 1
    return f"{key}_{n}"
