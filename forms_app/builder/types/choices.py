"""Choices: one of a list, several of a list (each optionally with "其他" and its text), and yes/no.

A choice is stored by the words of the option (``{"selected", "other"}``), so answers read the same
after an editor reorders the list; yes/no is stored as true or false and shown with its labels.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forms_app.builder import fields as f
from forms_app.builder.field_blocks import BaseFieldBlock, choice_lines
from forms_app.builder.registry import FieldType, register

LIST_SPLIT = re.compile(r"\s*[、，,;；]\s*")
OTHER_TEXT = re.compile(r"^(?P<label>.+?)[（(](?P<other>.*)[）)]$")
YES_WORDS = {"是", "yes", "y", "true", "1", "有"}
NO_WORDS = {"否", "no", "n", "false", "0", "无"}


class ChoiceFieldMixin(blocks.StructBlock):
    choices = blocks.TextBlock(label=_("Choices"), help_text=_("One choice per line."))
    allow_other = blocks.BooleanBlock(label=_("Offer “其他” with a text box"), required=False, default=False)
    other_label = blocks.CharBlock(label=_("Label of “other”"), required=False, default="其他", max_length=50)

    def get_setting_errors(self, value):
        if not choice_lines(value.get("choices")):
            return {"choices": ValidationError(_("Enter at least one choice."))}
        return {}

    def choice_options(self, value):
        return {
            "choices": choice_lines(value.get("choices")),
            "allow_other": bool(value.get("allow_other")),
            "other_label": (value.get("other_label") or "其他") if value.get("allow_other") else "",
        }


class SingleChoiceFieldBlock(ChoiceFieldMixin, BaseFieldBlock):
    field_type = "single_choice"
    widget = blocks.ChoiceBlock(
        label=_("Shown as"),
        choices=[("radio", _("Radio buttons")), ("select", _("Drop-down list"))],
        default="radio",
    )

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def get_options(self, value):
        return {**self.choice_options(value), "widget": value.get("widget") or "radio"}


class MultipleChoiceFieldBlock(ChoiceFieldMixin, BaseFieldBlock):
    field_type = "multiple_choice"
    ranges = (("min_choices", "max_choices"),)
    min_choices = blocks.IntegerBlock(label=_("At least"), required=False, min_value=0)
    max_choices = blocks.IntegerBlock(label=_("At most"), required=False, min_value=1)

    class Meta:
        icon = "tick-inverse"
        label = _("Checkbox group")

    def get_options(self, value):
        return {
            **self.choice_options(value),
            "min_choices": value.get("min_choices"),
            "max_choices": value.get("max_choices"),
        }


class YesNoFieldBlock(BaseFieldBlock):
    field_type = "yes_no"
    yes_label = blocks.CharBlock(label=_("Yes label"), default="是", max_length=20)
    no_label = blocks.CharBlock(label=_("No label"), default="否", max_length=20)

    class Meta:
        icon = "tick"
        label = _("Yes / no")

    def get_options(self, value):
        return {
            "yes_label": value.get("yes_label") or "是",
            "no_label": value.get("no_label") or "否",
        }


def choice_parts(text, other_label):
    """Split "国家级" or "其他（区级）" into (label, other text)."""
    match = OTHER_TEXT.match(text)
    if match and match.group("label") == other_label:
        return other_label, match.group("other").strip()
    return text, ""


class ChoiceType(FieldType):
    """What single and multiple choices share: words on screen, ticked boxes on paper."""

    multiple = False

    def create_field(self, spec, options, builder):
        return f.ChoiceWithOtherField(
            options.get("choices", []),
            multiple=self.multiple,
            allow_other=options.get("allow_other", False),
            other_label=options.get("other_label") or "其他",
            min_choices=options.get("min_choices"),
            max_choices=options.get("max_choices"),
            widget_style=options.get("widget", "radio"),
        )

    @staticmethod
    def chosen(value):
        selected = (value or {}).get("selected") if isinstance(value, dict) else None
        return selected if isinstance(selected, list) else [selected] if selected else []

    def text(self, spec, value, masked=False):
        other_label = spec.get("options", {}).get("other_label") or "其他"
        other = value.get("other")
        return "、".join(
            f"{c}（{other}）" if c == other_label and other else c for c in self.chosen(value) if c
        )

    def cell(self, spec, value, masked=False):
        return self.text(spec, value) if value else ""  # per exported row: no generic emptiness check

    def condition_strings(self, spec, value):
        return [str(c) for c in self.chosen(value)]

    def marks(self, spec, value):
        options = spec.get("options", {})
        labels = list(options.get("choices") or [])
        other_label = options.get("other_label") or ""
        if options.get("allow_other") and other_label and other_label not in labels:
            labels.append(other_label)
        chosen = set(self.chosen(value))
        other = (value or {}).get("other", "") if isinstance(value, dict) else ""
        return [(label in chosen, label, other if label == other_label else "") for label in labels]

    def render_blank(self, spec):
        return {"text": "", "marks": self.marks(spec, None)}

    def example(self, spec):
        return (spec.get("options", {}).get("choices") or [""])[0]


@register
class SingleChoice(ChoiceType):
    name = "single_choice"
    block_class = SingleChoiceFieldBlock

    def template_choices(self, spec):
        # With "其他" allowed, a cell may read 其他（…）, which no drop-down list holds: free input then.
        options = spec.get("options", {})
        return None if options.get("allow_other") else list(options.get("choices") or []) or None

    def parse(self, spec, text, context):
        return list(choice_parts(text, spec.get("options", {}).get("other_label") or "其他"))


@register
class MultipleChoice(ChoiceType):
    name = "multiple_choice"
    block_class = MultipleChoiceFieldBlock
    multiple = True

    def parse(self, spec, text, context):
        other_label = spec.get("options", {}).get("other_label") or "其他"
        labels, others = [], []
        for part in LIST_SPLIT.split(text):
            label, other = choice_parts(part, other_label)
            labels.append(label)
            if other:
                others.append(other)
        return [labels, "；".join(others)]


@register
class YesNo(FieldType):
    name = "yes_no"
    block_class = YesNoFieldBlock

    @staticmethod
    def labels(spec):
        options = spec.get("options", {})
        return options.get("yes_label") or "是", options.get("no_label") or "否"

    def create_field(self, spec, options, builder):
        return f.YesNoField(*self.labels(spec))

    def text(self, spec, value, masked=False):
        yes, no = self.labels(spec)
        return yes if value else no

    def condition_strings(self, spec, value):
        if self.is_empty(value):
            return []
        return [self.text(spec, value), "yes" if value else "no"]

    def marks(self, spec, value):
        yes, no = self.labels(spec)
        return [(value is True, yes, ""), (value is False, no, "")]

    def render_blank(self, spec):
        return {"text": "", "marks": self.marks(spec, None)}

    def parse(self, spec, text, context):
        yes, no = self.labels(spec)
        lowered = text.lower()
        return "yes" if lowered in {yes, *YES_WORDS} else "no" if lowered in {no, *NO_WORDS} else text

    def example(self, spec):
        return self.labels(spec)[0]

    def template_choices(self, spec):
        return list(self.labels(spec))
