"""StreamField blocks with which editors build application forms, without code.

A form is a stream of steps; a step is a stream of fields. Every field block
knows how to describe itself as plain data (``to_schema``). That schema, not
the blocks, is what the form builder, stored form versions, exports and PDFs
read, so a later change to these blocks never breaks an old submission.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from forms_app.builder import types  # noqa: F401  (registers the built-in field types)
from forms_app.builder.conditions import BLOCK_REFERENCE
from forms_app.builder.field_blocks import BaseFieldBlock, ConditionBlock
from forms_app.builder.keys import suggest_key, validate_key
from forms_app.builder.registry import field_types


class FormHeadingBlock(blocks.StructBlock):
    """A heading between fields, e.g. 一、基本信息; not an input."""

    field_type = "heading"
    text = blocks.CharBlock(label=_("Heading"), max_length=255)

    class Meta:
        icon = "title"
        label = _("Heading")

    def to_schema(self, value):
        return {"type": "heading", "text": value["text"]}


class FormStaticTextBlock(blocks.StructBlock):
    """Explanatory text between fields, e.g. 备注：请另附具体活动方案; not an input."""

    field_type = "static_text"
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "doc-empty"
        label = _("Explanatory text")

    def to_schema(self, value):
        return {"type": "static_text", "text": value["text"]}


# Every registered field type's block, then the two blocks that are not inputs.
FIELD_BLOCKS = [(field_type.name, field_type.get_block()) for field_type in field_types()] + [
    ("heading", FormHeadingBlock()),
    ("static_text", FormStaticTextBlock()),
]


class StepBlock(blocks.StructBlock):
    """One step of a multi-step form: one page of the applicant's journey."""

    title = blocks.CharBlock(label=_("Step title"), max_length=100)
    key = blocks.CharBlock(label=_("Key"), required=False, max_length=40, validators=[validate_key])
    description = blocks.TextBlock(label=_("Introduction"), required=False)
    condition = ConditionBlock(label=_("Show this step only if"), required=False)
    fields = blocks.StreamBlock(FIELD_BLOCKS, label=_("Fields"))

    class Meta:
        icon = "list-ul"
        label = _("Step")

    # Migrations record the step block by its path alone, not the tree of field blocks inside it:
    # the tree is code, not database schema, and adding a field type then needs no migration.
    def deconstruct(self):
        return ("forms_app.builder.blocks.StepBlock", (), {})

    def deconstruct_with_lookup(self, lookup):
        return self.deconstruct()

    @classmethod
    def construct_from_lookup(cls, lookup, *args, **kwargs):
        return cls(*args, **kwargs)


class FormStepsBlock(blocks.StreamBlock):
    """The steps of a form; checks keys are unique and conditions point backwards."""

    step = StepBlock()

    class Meta:
        min_num = 1

    def clean(self, value):
        value = super().clean(value)
        step_errors = {}
        step_keys = set()
        field_keys = set()
        # Block id → key of the fields above: a condition picked before the first save names a new
        # field by its block id, since its key is only suggested here.
        keys_by_block = {}
        for step_index, step in enumerate(value):
            step_value = step.value
            if not step_value.get("key"):
                step_value["key"] = suggest_key(step_value["title"], step_keys, prefix="step")
            errors = {}
            if step_value["key"] in step_keys:
                errors["key"] = ValidationError(_("Another step already uses this key."))
            step_keys.add(step_value["key"])
            if not self._condition_ok(step_value.get("condition"), field_keys, keys_by_block):
                errors["condition"] = ValidationError(
                    _("A step can only depend on a field of an earlier step.")
                )
            field_errors = {}
            for field_index, child in enumerate(step_value["fields"]):
                if not isinstance(child.block, BaseFieldBlock):
                    continue
                child_errors = {}
                if not child.value.get("key"):
                    child.value["key"] = suggest_key(child.value["label"], field_keys)
                if child.value["key"] in field_keys:
                    child_errors["key"] = ValidationError(
                        _("The key “%(key)s” is already used by another field of this form."),
                        params={"key": child.value["key"]},
                    )
                if not self._condition_ok(child.value.get("condition"), field_keys, keys_by_block):
                    child_errors["condition"] = ValidationError(
                        _("A field can only depend on a field above it.")
                    )
                field_keys.add(child.value["key"])
                if child.id:
                    keys_by_block[child.id] = child.value["key"]
                if child_errors:
                    field_errors[field_index] = StructBlockValidationError(child_errors)
            if field_errors:
                errors["fields"] = StreamBlockValidationError(block_errors=field_errors)
            if errors:
                step_errors[step_index] = StructBlockValidationError(errors)
        if step_errors:
            raise StreamBlockValidationError(block_errors=step_errors)
        return value

    @staticmethod
    def _condition_ok(condition, earlier_keys, keys_by_block):
        """Whether every rule reads a field above; rules naming a block by its id now name its key."""
        ok = True
        for rule in (condition or {}).get("rules") or []:
            name = (rule or {}).get("field")
            if not name:
                continue
            if name.startswith(BLOCK_REFERENCE):
                name = keys_by_block.get(name[len(BLOCK_REFERENCE) :], name)
                rule["field"] = name
            ok = ok and name in earlier_keys
        return ok


def steps_to_schema(steps):
    """Return the plain-data schema of a form's steps (a StreamValue of ``StepBlock``)."""
    schema = []
    for step in steps:
        value = step.value
        schema.append(
            {
                "key": value["key"],
                "title": value["title"],
                "description": value.get("description") or "",
                "condition": ConditionBlock.to_schema(value.get("condition")),
                "fields": [child.block.to_schema(child.value) for child in value["fields"]],
            }
        )
    return {"steps": schema}
