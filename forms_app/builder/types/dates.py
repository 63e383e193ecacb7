"""Dates ("YYYY-MM-DD") and date ranges (a start and an end, the end not before the start)."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from forms_app.builder import cells
from forms_app.builder import fields as f
from forms_app.builder.field_blocks import BaseFieldBlock, simple_block
from forms_app.builder.registry import FieldType, register

RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|～|to)\s*")


class DateRangeFieldBlock(BaseFieldBlock):
    field_type = "date_range"
    start_label = blocks.CharBlock(label=gettext_lazy("Start label"), default="开始时间", max_length=50)
    end_label = blocks.CharBlock(label=gettext_lazy("End label"), default="结束时间", max_length=50)

    class Meta:
        icon = "date"
        label = gettext_lazy("Date range")

    def get_options(self, value):
        return {
            "start_label": value.get("start_label") or "",
            "end_label": value.get("end_label") or "",
        }


@register
class Date(FieldType):
    name = "date"
    block_class = simple_block("date", "date", gettext_lazy("Date"))
    plain_cell = True
    cell_kind = cells.DATE  # stored as "YYYY-MM-DD"; the writers make it a date cell

    def create_field(self, spec, options, builder):
        return f.DateAnswerField(widget=forms.DateInput(attrs={"type": "date"}))

    def cell(self, spec, value, masked=False):
        return "" if value is None else value

    def example(self, spec):
        return "2024-03-01"


@register
class DateRange(FieldType):
    name = "date_range"
    block_class = DateRangeFieldBlock

    def create_field(self, spec, options, builder):
        return f.DateRangeField(options.get("start_label", ""), options.get("end_label", ""))

    def text(self, spec, value, masked=False):
        return _("%(start)s to %(end)s") % {
            "start": value.get("start", ""),
            "end": value.get("end", ""),
        }

    def parse(self, spec, text, context):
        parts = RANGE_SPLIT.split(text, maxsplit=1)
        return [parts[0], parts[1] if len(parts) > 1 else ""]

    def example(self, spec):
        return "2024-03-01 至 2024-11-30"
