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
from wagtail.snippets.blocks import SnippetChooserBlock

from forms_app.builder.keys import suggest_key, validate_key
from forms_app.builder.validators import DOCUMENT_TYPES

FILE_TYPE_CHOICES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
    ("doc", "Word 97–2003 (.doc)"),
    ("docx", "Word (.docx)"),
    ("xls", "Excel 97–2003 (.xls)"),
    ("xlsx", "Excel (.xlsx)"),
]
DOCUMENT_TYPE_CHOICES = DOCUMENT_TYPES
REGION_LEVEL_CHOICES = [
    ("province", _("Province or municipality")),
    ("city", _("City")),
    ("county", _("County or district")),
]
CONDITION_OPERATORS = [
    ("equals", _("is")),
    ("not_equals", _("is not")),
    ("contains", _("includes")),
    ("filled", _("is answered")),
]


def choice_lines(text):
    """Return the non-empty, stripped, de-duplicated lines of a choices box."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def _number(value):
    """Schema numbers: ints stay ints, decimals become strings so JSON keeps them exact."""
    if value is None or value == "":
        return None
    return value if isinstance(value, int) else str(value)


class ConditionBlock(blocks.StructBlock):
    """Show a field or step only when an earlier answer matches (leave empty to always show)."""

    field = blocks.CharBlock(
        label=_("Depends on field (key)"),
        required=False,
        max_length=40,
        help_text=_("The key of an earlier field, e.g. is_provincial_base."),
    )
    operator = blocks.ChoiceBlock(label=_("Condition"), choices=CONDITION_OPERATORS, default="equals")
    value = blocks.CharBlock(label=_("Value"), required=False, max_length=255)

    class Meta:
        icon = "cogs"
        form_classname = "condition-block"
        collapsed = True

    @staticmethod
    def to_schema(value):
        if not value or not value.get("field"):
            return None
        return {
            "field": value["field"],
            "op": value.get("operator") or "equals",
            "value": value.get("value") or "",
        }


class BaseFieldBlock(blocks.StructBlock):
    """What every input shares: label, stable key, help text, required flag and a condition."""

    field_type = None

    label = blocks.CharBlock(label=_("Label"), max_length=255)
    key = blocks.CharBlock(
        label=_("Key"),
        required=False,
        max_length=40,
        validators=[validate_key],
        help_text=_(
            "Names the answer in exports. Suggested from the label when left empty, then kept "
            "when the label changes."
        ),
    )
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    condition = ConditionBlock(label=_("Show only if"), required=False)

    # Pairs of (minimum, maximum) settings that must not cross.
    ranges = ()

    class Meta:
        icon = "form"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for low_name, high_name in self.ranges:
            low, high = value.get(low_name), value.get(high_name)
            if low is not None and high is not None and low > high:
                errors[low_name] = ValidationError(_("The minimum cannot be larger than the maximum."))
        errors.update(self.get_setting_errors(value))
        if errors:
            raise StructBlockValidationError(errors)
        return value

    def get_setting_errors(self, value):
        """Return ``{setting: ValidationError}`` for settings that do not make sense together."""
        return {}

    def get_options(self, value):
        """Return this field type's own settings as plain data."""
        return {}

    def to_schema(self, value):
        return {
            "type": self.field_type,
            "key": value["key"],
            "label": value["label"],
            "help_text": value.get("help_text") or "",
            "required": bool(value.get("required")),
            "condition": ConditionBlock.to_schema(value.get("condition")),
            "options": self.get_options(value),
        }


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
            "min_value": _number(value.get("min_value")),
            "max_value": _number(value.get("max_value")),
            "unit": value.get("unit") or "",
        }


class DateFieldBlock(BaseFieldBlock):
    field_type = "date"

    class Meta:
        icon = "date"
        label = _("Date")


class DateRangeFieldBlock(BaseFieldBlock):
    field_type = "date_range"
    start_label = blocks.CharBlock(label=_("Start label"), default="开始时间", max_length=50)
    end_label = blocks.CharBlock(label=_("End label"), default="结束时间", max_length=50)

    class Meta:
        icon = "date"
        label = _("Date range")

    def get_options(self, value):
        return {"start_label": value.get("start_label") or "", "end_label": value.get("end_label") or ""}


def _simple(field_type, icon, label):
    """Declare a field type that has no settings of its own."""
    return type(
        f"{field_type.title().replace('_', '')}FieldBlock",
        (BaseFieldBlock,),
        {
            "field_type": field_type,
            "__module__": __name__,
            "Meta": type("Meta", (), {"icon": icon, "label": label}),
        },
    )


EmailFieldBlock = _simple("email", "mail", _("E-mail"))
MobileFieldBlock = _simple("mobile", "mobile-alt", _("Mobile phone"))
LandlineFieldBlock = _simple("landline", "mobile-alt", _("Landline with area code"))
PhoneFieldBlock = _simple("phone", "mobile-alt", _("Mobile or landline"))
CreditCodeFieldBlock = _simple("credit_code", "key", _("Unified social credit code"))
BankCodeFieldBlock = _simple("bank_code", "key", _("Bank interbank code (大额行号)"))
BankAccountFieldBlock = _simple("bank_account", "key", _("Bank account number"))
PostcodeFieldBlock = _simple("postcode", "site", _("Postcode"))


class IdNumberFieldBlock(BaseFieldBlock):
    """An identity document: its type and its number, checked by type (GB 11643 for ID cards)."""

    field_type = "id_number"
    document_types = blocks.MultipleChoiceBlock(
        label=_("Accepted documents"),
        choices=DOCUMENT_TYPE_CHOICES,
        default=["resident_id"],
        help_text=_("With only the ID card selected, no document type is asked."),
    )

    class Meta:
        icon = "user"
        label = _("Identity document number")

    def get_options(self, value):
        chosen = list(value.get("document_types") or ["resident_id"])
        return {"document_types": [code for code, _label in DOCUMENT_TYPE_CHOICES if code in chosen]}


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
        return {"yes_label": value.get("yes_label") or "是", "no_label": value.get("no_label") or "否"}


class RegionFieldBlock(BaseFieldBlock):
    """A region picked from the region list editors maintain (e.g. Zhejiang's cities)."""

    field_type = "region"
    parent = SnippetChooserBlock("shenbao_builder.Region", label=_("Within region"), required=False)
    level = blocks.ChoiceBlock(label=_("Level"), choices=REGION_LEVEL_CHOICES, default="city")

    class Meta:
        icon = "site"
        label = _("Region")

    def get_options(self, value):
        parent = value.get("parent")
        return {"parent": parent.code if parent else None, "level": value.get("level") or "city"}


class FileFieldBlock(BaseFieldBlock):
    field_type = "file"
    allowed_types = blocks.MultipleChoiceBlock(
        label=_("Allowed file types"), choices=FILE_TYPE_CHOICES, default=["pdf", "jpg", "png"]
    )
    max_size_mb = blocks.IntegerBlock(label=_("Maximum size (MB)"), default=10, min_value=1, max_value=100)
    max_files = blocks.IntegerBlock(label=_("Maximum number of files"), default=1, min_value=1, max_value=20)

    class Meta:
        icon = "doc-full-inverse"
        label = _("File upload")

    def get_options(self, value):
        return {
            "allowed_types": list(value.get("allowed_types") or ["pdf"]),
            "max_size_mb": value.get("max_size_mb") or 10,
            "max_files": value.get("max_files") or 1,
        }


COLUMN_TYPE_CHOICES = [
    ("text", _("Text")),
    ("integer", _("Whole number")),
    ("decimal", _("Decimal or money")),
    ("date", _("Date")),
    ("phone", _("Mobile or landline")),
    ("choice", _("Choice")),
]


class TableColumnBlock(blocks.StructBlock):
    """One column of a repeating table."""

    label = blocks.CharBlock(label=_("Column heading"), max_length=100)
    key = blocks.CharBlock(label=_("Key"), required=False, max_length=40, validators=[validate_key])
    type = blocks.ChoiceBlock(label=_("Type"), choices=COLUMN_TYPE_CHOICES, default="text")
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=False)
    choices = blocks.TextBlock(label=_("Choices (for a choice column)"), required=False)
    unit = blocks.CharBlock(label=_("Unit"), required=False, max_length=20)

    class Meta:
        icon = "table"
        label = _("Column")

    @staticmethod
    def to_schema(value):
        column = {
            "key": value["key"],
            "label": value["label"],
            "type": value.get("type") or "text",
            "required": bool(value.get("required")),
            "unit": value.get("unit") or "",
        }
        if column["type"] == "choice":
            column["choices"] = choice_lines(value.get("choices"))
        return column


def _fill_keys(items, errors_key="key"):
    """Give items without a key one suggested from their label; report duplicates by index."""
    taken = {item["key"] for item in items if item.get("key")}
    seen, errors = set(), {}
    for index, item in enumerate(items):
        if not item.get("key"):
            item["key"] = suggest_key(item.get("label"), taken)
            taken.add(item["key"])
        if item["key"] in seen:
            errors[index] = ValidationError(
                _("The key “%(key)s” is used twice."), params={"key": item["key"]}
            )
        seen.add(item["key"])
    return errors


class TableFieldBlock(BaseFieldBlock):
    """A table whose rows the applicant adds, e.g. 附件5's activity plan."""

    field_type = "table"
    columns = blocks.ListBlock(TableColumnBlock(), label=_("Columns"), min_num=1)
    min_rows = blocks.IntegerBlock(label=_("Minimum rows"), default=1, min_value=0)
    max_rows = blocks.IntegerBlock(label=_("Maximum rows"), default=20, min_value=1, max_value=500)
    numbered = blocks.BooleanBlock(label=_("Number the rows (序号)"), required=False, default=True)
    show_totals = blocks.BooleanBlock(label=_("Totals row for number columns"), required=False, default=False)

    class Meta:
        icon = "table"
        label = _("Repeating table")

    ranges = (("min_rows", "max_rows"),)

    def get_setting_errors(self, value):
        errors = {}
        for column in value["columns"]:
            if column.get("type") == "choice" and not choice_lines(column.get("choices")):
                errors["columns"] = ValidationError(_("A choice column needs its choices, one per line."))
        column_errors = _fill_keys(value["columns"])
        if column_errors:
            errors["columns"] = ValidationError(list(column_errors.values()))
        return errors

    def get_options(self, value):
        return {
            "columns": [TableColumnBlock.to_schema(c) for c in value["columns"]],
            "min_rows": value.get("min_rows") or 0,
            "max_rows": value.get("max_rows") or 20,
            "numbered": bool(value.get("numbered")),
            "show_totals": bool(value.get("show_totals")),
        }


class MatrixColumnBlock(blocks.StructBlock):
    """One column of a fixed-row table: a counter, an amount or a remark."""

    label = blocks.CharBlock(label=_("Column heading"), max_length=100)
    key = blocks.CharBlock(label=_("Key"), required=False, max_length=40, validators=[validate_key])
    type = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[("integer", _("Whole number")), ("decimal", _("Decimal or money")), ("text", _("Text"))],
        default="integer",
    )
    unit = blocks.CharBlock(label=_("Unit"), required=False, max_length=20)

    class Meta:
        icon = "table"
        label = _("Column")


class MatrixFieldBlock(BaseFieldBlock):
    """A table with fixed rows (regions or typed rows) and totals, e.g. 附件6's results summary."""

    field_type = "matrix"
    row_heading = blocks.CharBlock(label=_("Heading of the row column"), default="地区", max_length=100)
    row_source = blocks.ChoiceBlock(
        label=_("Rows"),
        choices=[("regions", _("Regions from the region list")), ("typed", _("Rows typed below"))],
        default="regions",
    )
    region_parent = SnippetChooserBlock("shenbao_builder.Region", label=_("Regions within"), required=False)
    region_level = blocks.ChoiceBlock(label=_("Region level"), choices=REGION_LEVEL_CHOICES, default="city")
    rows = blocks.TextBlock(label=_("Typed rows"), required=False, help_text=_("One row per line."))
    columns = blocks.ListBlock(MatrixColumnBlock(), label=_("Columns"), min_num=1)
    row_totals = blocks.BooleanBlock(label=_("Total of each row"), required=False, default=False)
    column_totals = blocks.BooleanBlock(label=_("Total of each column (合计)"), required=False, default=True)

    class Meta:
        icon = "table"
        label = _("Summary table with fixed rows")

    def get_setting_errors(self, value):
        errors = {}
        if value.get("row_source") == "typed" and not choice_lines(value.get("rows")):
            errors["rows"] = ValidationError(_("Type at least one row, one per line."))
        if value.get("row_source") == "regions" and not value.get("region_parent"):
            errors["region_parent"] = ValidationError(_("Choose the region whose subdivisions are the rows."))
        column_errors = _fill_keys(value["columns"])
        if column_errors:
            errors["columns"] = ValidationError(list(column_errors.values()))
        return errors

    def get_rows(self, value):
        """Return the fixed rows as ``[{"key", "label"}]``, frozen into the schema at publication."""
        if value.get("row_source") == "regions":
            parent = value.get("region_parent")
            if parent is None:
                return []
            regions = parent.get_descendants_at_level(value.get("region_level") or "city")
            return [{"key": region.code, "label": region.name} for region in regions]
        return [
            {"key": f"r{n}", "label": label} for n, label in enumerate(choice_lines(value.get("rows")), 1)
        ]

    def get_options(self, value):
        return {
            "row_heading": value.get("row_heading") or "",
            # Kept so that roll-ups know the rows are regions (keys are region codes).
            "row_source": value.get("row_source") or "typed",
            "rows": self.get_rows(value),
            "columns": [
                {
                    "key": c["key"],
                    "label": c["label"],
                    "type": c.get("type") or "integer",
                    "unit": c.get("unit") or "",
                }
                for c in value["columns"]
            ],
            "row_totals": bool(value.get("row_totals")),
            "column_totals": bool(value.get("column_totals")),
        }


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


FIELD_BLOCKS = [
    ("short_text", ShortTextFieldBlock()),
    ("long_text", LongTextFieldBlock()),
    ("integer", IntegerFieldBlock()),
    ("decimal", DecimalFieldBlock()),
    ("date", DateFieldBlock()),
    ("date_range", DateRangeFieldBlock()),
    ("email", EmailFieldBlock()),
    ("mobile", MobileFieldBlock()),
    ("landline", LandlineFieldBlock()),
    ("phone", PhoneFieldBlock()),
    ("id_number", IdNumberFieldBlock()),
    ("credit_code", CreditCodeFieldBlock()),
    ("bank_code", BankCodeFieldBlock()),
    ("bank_account", BankAccountFieldBlock()),
    ("postcode", PostcodeFieldBlock()),
    ("single_choice", SingleChoiceFieldBlock()),
    ("multiple_choice", MultipleChoiceFieldBlock()),
    ("yes_no", YesNoFieldBlock()),
    ("region", RegionFieldBlock()),
    ("file", FileFieldBlock()),
    ("table", TableFieldBlock()),
    ("matrix", MatrixFieldBlock()),
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
        for step_index, step in enumerate(value):
            step_value = step.value
            if not step_value.get("key"):
                step_value["key"] = suggest_key(step_value["title"], step_keys, prefix="step")
            errors = {}
            if step_value["key"] in step_keys:
                errors["key"] = ValidationError(_("Another step already uses this key."))
            step_keys.add(step_value["key"])
            if not self._condition_ok(step_value.get("condition"), field_keys):
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
                if not self._condition_ok(child.value.get("condition"), field_keys):
                    child_errors["condition"] = ValidationError(
                        _("A field can only depend on a field above it.")
                    )
                field_keys.add(child.value["key"])
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
    def _condition_ok(condition, earlier_keys):
        return not condition or not condition.get("field") or condition["field"] in earlier_keys


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
