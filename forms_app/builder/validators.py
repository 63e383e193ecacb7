"""One validator per field type, shared by the admin, the online forms and the importer.

Every message names the field it concerns (``%(field)s``) so that an importer
row error reads as well as an error shown next to an input. Call a validator
directly as ``validate_x(value, label)``, or bind the label with
``functools.partial`` to use it as a Django field validator.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

# re.ASCII: \d must not match full-width or other Unicode digits ("１３４…"), which
# int() accepts but the check-character tables do not.
# Mainland mobile numbers: 11 digits starting 13–19.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
# Landlines: area code 0xx or 0xxx, a 7–8 digit number, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$", re.ASCII)
POSTCODE_RE = re.compile(r"^[0-8]\d{5}$", re.ASCII)
BANK_CODE_RE = re.compile(r"^\d{12}$", re.ASCII)
BANK_ACCOUNT_RE = re.compile(r"^\d{6,32}$", re.ASCII)
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
OTHER_DOCUMENT_RE = re.compile(r"^[A-Z0-9()\-]{5,30}$")

# GB 11643-1999: weights and check characters of the 18-digit resident ID number.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits: provinces, plus 71/81/82 (Taiwan, Hong Kong, Macao residence permits).
_ID_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}  # fmt: skip

# GB 32100-2015: the unified social credit code alphabet (no I, O, S, V, Z) and weights.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)


def _fail(message, code, label, **params):
    raise ValidationError(message, code=code, params={"field": label or _("This field"), **params})


def normalise_code(value):
    """Upper-case a code and drop the spaces and hyphens people type between groups."""
    return re.sub(r"[\s\-]", "", str(value or "")).upper()


def id_check_digit(first17):
    """Return the GB 11643 check character for the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value, label=None):
    """A Chinese resident ID number: 18 characters, valid region, birth date and check digit."""
    value = normalise_code(value)
    if not re.fullmatch(r"\d{17}[\dX]", value, re.ASCII):
        _fail(_("%(field)s: enter the 18 characters of the ID number (digits, the last may be X)."),
              "id_format", label)  # fmt: skip
    if value[:2] not in _ID_PROVINCES:
        _fail(_("%(field)s: the first two digits are not a province code."), "id_region", label)
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > date.today():
        _fail(_("%(field)s: digits 7 to 14 are not a valid date of birth."), "id_birth_date", label)
    if id_check_digit(value[:17]) != value[17]:
        _fail(_("%(field)s: the check digit is wrong; please check the number."), "id_check_digit", label)


def credit_code_check_char(first17):
    """Return the GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value, label=None):
    """A unified social credit code (统一社会信用代码): 18 characters with a GB 32100 check character."""
    value = normalise_code(value)
    if not _USCC_RE.fullmatch(value):
        _fail(_("%(field)s: enter the 18 characters of the unified social credit code."),
              "credit_code_format", label)  # fmt: skip
    if credit_code_check_char(value[:17]) != value[17]:
        _fail(_("%(field)s: the check character is wrong; please check the code."),
              "credit_code_check", label)  # fmt: skip


def validate_passport(value, label=None):
    """A passport number: 5 to 20 letters and digits."""
    if not PASSPORT_RE.fullmatch(normalise_code(value)):
        _fail(_("%(field)s: enter 5 to 20 letters and digits."), "passport_format", label)


def validate_other_document(value, label=None):
    """Another identity document's number: 5 to 30 letters, digits, brackets or hyphens."""
    if not OTHER_DOCUMENT_RE.fullmatch(str(value or "").strip().upper()):
        _fail(_("%(field)s: enter 5 to 30 letters and digits."), "document_format", label)


def validate_mobile(value, label=None):
    """An 11-digit mainland mobile number such as 13429129088."""
    if not MOBILE_RE.match(normalise_code(value)):
        _fail(_("%(field)s: enter an 11-digit mobile number, e.g. 13429129088."), "invalid_mobile", label)


def validate_landline(value, label=None):
    """A landline with its area code, such as 0571-88394838."""
    if not LANDLINE_RE.match(str(value or "").strip()):
        _fail(_("%(field)s: enter a landline number with its area code, e.g. 0571-88394838."),
              "invalid_landline", label)  # fmt: skip


def validate_phone(value, label=None):
    """Either a mobile number or a landline with its area code."""
    if not (MOBILE_RE.match(normalise_code(value)) or LANDLINE_RE.match(str(value or "").strip())):
        _fail(_("%(field)s: enter a mobile number or a landline with its area code."), "invalid_phone", label)


def validate_postcode(value, label=None):
    """A six-digit postcode."""
    if not POSTCODE_RE.match(str(value or "").strip()):
        _fail(_("%(field)s: enter the six digits of the postcode."), "invalid_postcode", label)


def validate_bank_code(value, label=None):
    """A 12-digit interbank (CNAPS) code, 大额行号/联行号."""
    if not BANK_CODE_RE.match(normalise_code(value)):
        _fail(_("%(field)s: enter the 12 digits of the bank's interbank code."), "invalid_bank_code", label)


def validate_bank_account(value, label=None):
    """A bank account number: digits only (not a credit card), 6 to 32 of them."""
    if not BANK_ACCOUNT_RE.match(normalise_code(value)):
        _fail(_("%(field)s: enter the account number in digits (6 to 32)."), "invalid_bank_account", label)


def validate_email(value, label=None):
    """An e-mail address."""
    try:
        EmailValidator()(value)
    except ValidationError:
        _fail(_("%(field)s: enter a valid e-mail address."), "invalid_email", label)


HK_MACAO_PERMIT_RE = re.compile(r"^[HM]\d{8}(?:\d{2})?$", re.ASCII)
TAIWAN_PERMIT_RE = re.compile(r"^\d{8}(?:\d{2})?$", re.ASCII)


def validate_hk_macao_permit(value, label=None):
    """A Hong Kong or Macao residents' mainland travel permit: H or M and 8 or 10 digits."""
    if not HK_MACAO_PERMIT_RE.fullmatch(normalise_code(value)):
        _fail(_("%(field)s: enter H or M followed by 8 or 10 digits."), "permit_format", label)


def validate_taiwan_permit(value, label=None):
    """A Taiwan residents' mainland travel permit: 8 or 10 digits."""
    if not TAIWAN_PERMIT_RE.fullmatch(normalise_code(value)):
        _fail(_("%(field)s: enter the 8 or 10 digits of the permit."), "permit_format", label)


# Identity documents of 附件3 (证件类型/证件号码) and the check each one gets.
DOCUMENT_TYPES = [
    ("resident_id", _("Resident identity card")),
    ("passport", _("Passport")),
    ("hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")),
    ("taiwan_permit", _("Mainland travel permit for Taiwan residents")),
    ("foreign_permanent", _("Foreigner's permanent residence ID card")),
    ("other", _("Other document")),
]
DOCUMENT_VALIDATORS = {
    "resident_id": validate_resident_id,
    "passport": validate_passport,
    "hk_macao_permit": validate_hk_macao_permit,
    "taiwan_permit": validate_taiwan_permit,
    "foreign_permanent": validate_other_document,
    "other": validate_other_document,
}
