"""Validators shared by the admin, the online forms and the importer.

Issue 3 grows this into one validator per field type; the notice contacts
already use the phone validators.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers: 11 digits starting 13–19.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landlines: area code 0xx or 0xxx, a 7–8 digit number, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def validate_mobile(value):
    """Accept an 11-digit mainland mobile number such as 13429129088."""
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(_("Enter an 11-digit mobile number, e.g. 13429129088."), code="invalid_mobile")


def validate_landline(value):
    """Accept a landline with its area code, such as 0571-88394838."""
    if not LANDLINE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a landline number with its area code, e.g. 0571-88394838."),
            code="invalid_landline",
        )
