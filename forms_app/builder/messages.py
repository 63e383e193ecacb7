"""The applicant's error messages in plain words, set on every field the form builder makes.

Django's defaults are written for developers and read badly in Chinese ("确保该变量包含不超过 500 字符
(目前字符数 600)"); applicants and the import report read these instead. ``plain_messages`` is called once
per field by ``FormBuilder.create_field``, so every registered type (and each part of a field made of
several inputs) gets the same words.
"""

import copy

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

#: By validator class: the message of the limit it checks.
VALIDATOR_MESSAGES = {
    validators.MaxLengthValidator: _("At most %(limit_value)d characters; this has %(show_value)d."),
    validators.MinLengthValidator: _("At least %(limit_value)d characters; this has %(show_value)d."),
    validators.MaxValueValidator: _("At most %(limit_value)s."),
    validators.MinValueValidator: _("At least %(limit_value)s."),
}
DECIMAL_MESSAGES = {
    "invalid": _("Enter a number, such as 12.5."),
    "max_digits": _("At most %(max)s digits."),
    "max_decimal_places": _("At most %(max)s decimal places."),
    "max_whole_digits": _("At most %(max)s digits before the decimal point."),
}
#: By field class, most specific first (Django's DecimalField and FloatField are IntegerFields): what an
#: input that cannot be read means.
INVALID_MESSAGES = [
    (forms.DecimalField, DECIMAL_MESSAGES["invalid"]),
    (forms.FloatField, DECIMAL_MESSAGES["invalid"]),
    (forms.IntegerField, _("Enter a whole number, such as 12.")),
    (forms.DateField, _("Enter a date, such as 2024-03-01.")),
]
INVALID_CHOICE = _("Choose one of the options offered.")
REQUIRED = _("This needs an answer.")
INCOMPLETE = _("Fill in every part of this answer.")


def plain_messages(field):
    """Give ``field`` (and its parts) plain messages for a missing, unreadable or out-of-range answer.

    The field's "required" is the builder's, which names the field; its parts get a plain one. Validators are
    copied before their message changes, so no validator shared with another field is touched.
    """
    for field_class, message in INVALID_MESSAGES:
        if isinstance(field, field_class):
            field.error_messages["invalid"] = message
            break
    if isinstance(field, forms.ChoiceField):
        field.error_messages["invalid_choice"] = INVALID_CHOICE
    field.validators = [plain_validator(validator) for validator in field.validators]
    if isinstance(field, forms.MultiValueField):
        field.error_messages["incomplete"] = INCOMPLETE
    for part in getattr(field, "fields", ()):
        part.error_messages["required"] = REQUIRED
        plain_messages(part)
    return field


def plain_validator(validator):
    """Return ``validator``, or a copy of it with a plain message if it checks a length or a limit."""
    if isinstance(validator, validators.DecimalValidator):
        plain = copy.copy(validator)
        plain.messages = {**validator.messages, **DECIMAL_MESSAGES}
        return plain
    for validator_class, message in VALIDATOR_MESSAGES.items():
        if type(validator) is validator_class:
            plain = copy.copy(validator)
            plain.message = message
            return plain
    return validator
