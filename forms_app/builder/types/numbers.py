"""Whole numbers and decimals (money, areas), with an optional unit shown after the number.

Integers are stored as ints, decimals as exact strings ("12.50"); both are their own spreadsheet
cells, typed as numbers there.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forms_app.builder import cells
from forms_app.builder import fields as f
from forms_app.builder.field_blocks import BaseFieldBlock, schema_number
from forms_app.builder.registry import FieldType, register


class NumberFieldMixin(blocks.StructBlock):
    unit = blocks.CharBlock(label=_("Unit"), required=False, max_length=20, help_text=_("e.g. 人, 元, 万元"))
    ranges = (("min_value", "max_value"),)


class IntegerFieldBlock(NumberFieldMixin, BaseFieldBlock):
    field_type = "integer"
    min_value = blocks.IntegerBlock(label=_("Minimum"), required=False)
    max_value = blocks.IntegerBlock(label=_("Maximum"), required=False)

    class Meta:
        icon = "order"
        label = _("Whole number")

    def get_options(self, value):
        return {
            "min_value": value.get("min_value"),
            "max_value": value.get("max_value"),
            "unit": value.get("unit") or "",
        }


class DecimalFieldBlock(NumberFieldMixin, BaseFieldBlock):
    field_type = "decimal"
    decimal_places = blocks.IntegerBlock(label=_("Decimal places"), default=2, min_value=0, max_value=6)
    min_value = blocks.DecimalBlock(label=_("Minimum"), required=False)
    max_value = blocks.DecimalBlock(label=_("Maximum"), required=False)

    class Meta:
        icon = "order"
        label = _("Decimal or money")

    def get_options(self, value):
        return {
            "decimal_places": value.get("decimal_places") if value.get("decimal_places") is not None else 2,
            "min_value": schema_number(value.get("min_value")),
            "max_value": schema_number(value.get("max_value")),
            "unit": value.get("unit") or "",
        }


class NumberType(FieldType):
    """A number: a number cell in spreadsheets, its unit in the column's header instead of the cell."""

    cell_kind = cells.NUMBER
    plain_cell = True

    def header(self, spec):
        return cells.with_unit(spec["label"], spec.get("options", {}).get("unit") or "")

    def text(self, spec, value, masked=False):
        unit = spec.get("options", {}).get("unit") or ""
        return f"{value} {unit}".strip() if unit else str(value)

    def cell(self, spec, value, masked=False):
        return "" if value is None else value


@register
class Integer(NumberType):
    name = "integer"
    block_class = IntegerFieldBlock

    def create_field(self, spec, options, builder):
        return forms.IntegerField(min_value=options.get("min_value"), max_value=options.get("max_value"))

    def example(self, spec):
        return 10


@register
class DecimalNumber(NumberType):
    name = "decimal"
    block_class = DecimalFieldBlock

    def create_field(self, spec, options, builder):
        # The schema keeps decimal limits as strings ("0.5") so JSON stays exact.
        low, high = options.get("min_value"), options.get("max_value")
        return f.DecimalAnswerField(
            decimal_places=options.get("decimal_places", 2),
            max_digits=18,
            min_value=None if low in (None, "") else Decimal(str(low)),
            max_value=None if high in (None, "") else Decimal(str(high)),
        )

    def example(self, spec):
        return "12.50"
