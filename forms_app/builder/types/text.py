"""Text answers: short and long text, and the codes and numbers typed as text (phones, credit codes, …).

Each is stored as the string typed, after its checks, so it is its own spreadsheet cell.
"""

from math import ceil

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forms_app.builder import cells
from forms_app.builder import fields as f
from forms_app.builder import validators as v
from forms_app.builder.field_blocks import BaseFieldBlock, simple_block
from forms_app.builder.registry import HANDWRITTEN_CHARACTERS_PER_LINE, MASK_CHARACTER, FieldType, register

SHORT_TEXT_MOST_LINES = 2  # a name or a title: longer limits still leave two lines at most
LONG_TEXT_MOST_LINES = 16  # about a third of a page; a longer answer goes on an attached sheet


def mask(text, head=3, tail=4):
    """Hide the middle of a personal number: 330102199001011234 → 330***********1234."""
    text = str(text or "")
    if len(text) <= head + tail:
        return MASK_CHARACTER * len(text)
    return text[:head] + MASK_CHARACTER * (len(text) - head - tail) + text[-tail:]


class ShortTextFieldBlock(BaseFieldBlock):
    field_type = "short_text"
    max_length = blocks.IntegerBlock(label=_("Maximum characters"), default=200, min_value=1, max_value=2000)

    class Meta:
        icon = "pilcrow"
        label = _("Short text")

    def get_options(self, value):
        return {"max_length": value.get("max_length") or 200}


class LongTextFieldBlock(BaseFieldBlock):
    field_type = "long_text"
    min_length = blocks.IntegerBlock(label=_("Minimum characters"), required=False, min_value=0)
    max_length = blocks.IntegerBlock(
        label=_("Maximum characters"), required=False, min_value=1, max_value=50000
    )
    rows = blocks.IntegerBlock(label=_("Height (lines)"), default=6, min_value=2, max_value=40)

    ranges = (("min_length", "max_length"),)

    class Meta:
        icon = "doc-full"
        label = _("Long text")

    def get_options(self, value):
        return {
            "min_length": value.get("min_length"),
            "max_length": value.get("max_length"),
            "rows": value.get("rows") or 6,
        }


class TextType(FieldType):
    """Text kept as typed; free text and contacts identify people, so anonymising removes them."""

    plain_cell = True
    identifying = True

    def cell(self, spec, value, masked=False):
        return "" if value is None else value


@register
class ShortText(TextType):
    name = "short_text"
    block_class = ShortTextFieldBlock

    def create_field(self, spec, options, builder):
        return forms.CharField(max_length=options.get("max_length") or 200)

    def handwritten_lines(self, spec):
        most = spec.get("options", {}).get("max_length") or 200
        return max(1, min(SHORT_TEXT_MOST_LINES, ceil(most / HANDWRITTEN_CHARACTERS_PER_LINE)))


@register
class LongText(TextType):
    name = "long_text"
    block_class = LongTextFieldBlock

    def create_field(self, spec, options, builder):
        return forms.CharField(
            min_length=options.get("min_length"),
            max_length=options.get("max_length"),
            widget=forms.Textarea(attrs={"rows": options.get("rows") or 6}),
        )

    def handwritten_lines(self, spec):
        """The textarea's height, or more when the longest answer allowed needs more lines by hand."""
        options = spec.get("options", {})
        needed = ceil((options.get("max_length") or 0) / HANDWRITTEN_CHARACTERS_PER_LINE)
        return min(LONG_TEXT_MOST_LINES, max(options.get("rows") or 6, needed))


class CodeType(TextType):
    """A code checked by its validator; typed with spaces, hyphens or full-width digits as people do."""

    validator = None  # read as ``type(self).validator``: a plain function, not a method
    max_length = 40
    inputmode = "numeric"
    example_cell = ""
    cell_kind = cells.CODE
    #: ``(fewest, most)`` characters, the input rule of the import template's column (None: no rule).
    lengths = None

    def input_rule(self, spec):
        return self.lengths

    def create_field(self, spec, options, builder):
        return f.CodeField(
            max_length=self.max_length,
            validators=[builder.bound(type(self).validator, spec)],
            widget=forms.TextInput(attrs={"inputmode": self.inputmode, "autocomplete": "off"}),
        )

    def example(self, spec):
        return self.example_cell


@register
class Email(TextType):
    name = "email"
    block_class = simple_block("email", "mail", _("E-mail"))

    def create_field(self, spec, options, builder):
        return forms.CharField(
            max_length=254,
            validators=[builder.bound(v.validate_email, spec)],
            widget=forms.EmailInput,
        )

    def example(self, spec):
        return "contact@example.cn"


@register
class Mobile(CodeType):
    name = "mobile"
    block_class = simple_block("mobile", "mobile-alt", _("Mobile phone"))
    validator, max_length, inputmode, example_cell = v.validate_mobile, 20, "tel", "13800138000"
    lengths = (11, 11)


class PhoneType(TextType):
    """A landline (with its area code) or a mobile: digits and a hyphen, folded to half width."""

    validator = None  # read as ``type(self).validator``, as in ``CodeType``
    example_cell = ""
    cell_kind = cells.CODE  # 0571-88888888 and 13800138000 stay text, leading zero and all

    def create_field(self, spec, options, builder):
        return f.HalfWidthCharField(
            max_length=30,
            validators=[builder.bound(type(self).validator, spec)],
            widget=forms.TextInput(attrs={"inputmode": "tel"}),
        )

    def example(self, spec):
        return self.example_cell


@register
class Landline(PhoneType):
    name = "landline"
    block_class = simple_block("landline", "mobile-alt", _("Landline with area code"))
    validator, example_cell = v.validate_landline, "0571-88888888"


@register
class Phone(PhoneType):
    name = "phone"
    block_class = simple_block("phone", "mobile-alt", _("Mobile or landline"))
    validator, example_cell = v.validate_phone, "13800138000"


@register
class CreditCode(CodeType):
    name = "credit_code"
    identifying = False  # a unit's public code, not a person's
    block_class = simple_block("credit_code", "key", _("Unified social credit code"))
    validator, max_length, inputmode, example_cell = (
        v.validate_credit_code,
        30,
        "text",
        "91350100M000100Y43",
    )
    lengths = (18, 18)


@register
class BankCode(CodeType):
    name = "bank_code"
    identifying = False  # the bank's code, not the account
    block_class = simple_block("bank_code", "key", _("Bank interbank code (大额行号)"))
    validator, max_length, example_cell = v.validate_bank_code, 20, "102331000011"
    lengths = (12, 12)


@register
class BankAccount(CodeType):
    """A bank account number: personal, so masked where the reader does not need it whole."""

    name = "bank_account"
    block_class = simple_block("bank_account", "key", _("Bank account number"))
    validator, max_length, example_cell = v.validate_bank_account, 40, "6222021234567890128"
    lengths = (6, 32)
    personal = True
    plain_cell = False

    def text(self, spec, value, masked=False):
        return mask(value) if masked else str(value)

    def cell(self, spec, value, masked=False):
        return "" if self.is_empty(value) else self.text(spec, value, masked)


@register
class Postcode(CodeType):
    name = "postcode"
    block_class = simple_block("postcode", "site", _("Postcode"))
    validator, max_length, example_cell = v.validate_postcode, 10, "310000"
    lengths = (6, 6)
