"""Tables: a repeating table whose rows the applicant adds (附件5's plan), and a table with fixed rows
(regions or typed rows) and totals (附件6's results).

A table is stored as ``[{column_key: cell}]``, a matrix as ``{row_key: {column_key: cell}}``. Both
are shown as tables and travel on a sheet of their own in exports and imports.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from forms_app.builder import fields as f
from forms_app.builder.field_blocks import (
    REGION_LEVEL_CHOICES,
    BaseFieldBlock,
    choice_lines,
    fill_keys,
)
from forms_app.builder.keys import validate_key
from forms_app.builder.registry import FieldType, column_type, field_types, numeric_types, register

COLUMN_TYPE_CHOICES = [
    ("text", gettext_lazy("Text")),
    ("integer", gettext_lazy("Whole number")),
    ("decimal", gettext_lazy("Decimal or money")),
    ("date", gettext_lazy("Date")),
    ("phone", gettext_lazy("Mobile or landline")),
    ("choice", gettext_lazy("Choice")),
]


def column_type_choices():
    """The column types: the table's own, then every registered type usable as a column."""
    return COLUMN_TYPE_CHOICES + [
        (kind.name, kind.get_block().meta.label) for kind in field_types() if kind.column
    ]


def cell_text(column, value):
    """A stored cell as it reads: a registered column type's own wording, else the value."""
    if value is None:
        return ""
    registered = column_type(column.get("type"))
    if registered is None:
        return value
    return "" if registered.is_empty(value) else registered.text(column, value)


#: The table's own column types that hold what identifies a person.
IDENTIFYING_COLUMNS = {"text", "phone"}


def column_identifies(column):
    """Whether a table column's cells name or reach a person (removed when a submission is anonymised)."""
    registered = column_type(column.get("type"))
    if registered is not None:
        return registered.personal or registered.identifying
    return column.get("type") in IDENTIFYING_COLUMNS


class TableColumnBlock(blocks.StructBlock):
    """One column of a repeating table."""

    label = blocks.CharBlock(label=gettext_lazy("Column heading"), max_length=100)
    key = blocks.CharBlock(
        label=gettext_lazy("Key"), required=False, max_length=40, validators=[validate_key]
    )
    type = blocks.ChoiceBlock(label=gettext_lazy("Type"), choices=column_type_choices, default="text")
    required = blocks.BooleanBlock(label=gettext_lazy("Required"), required=False, default=False)
    choices = blocks.TextBlock(label=gettext_lazy("Choices (for a choice column)"), required=False)
    unit = blocks.CharBlock(label=gettext_lazy("Unit"), required=False, max_length=20)

    class Meta:
        icon = "table"
        label = gettext_lazy("Column")

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


class TableFieldBlock(BaseFieldBlock):
    """A table whose rows the applicant adds, e.g. 附件5's activity plan."""

    field_type = "table"
    columns = blocks.ListBlock(TableColumnBlock(), label=gettext_lazy("Columns"), min_num=1)
    min_rows = blocks.IntegerBlock(label=gettext_lazy("Minimum rows"), default=1, min_value=0)
    max_rows = blocks.IntegerBlock(label=gettext_lazy("Maximum rows"), default=20, min_value=1, max_value=500)
    numbered = blocks.BooleanBlock(label=gettext_lazy("Number the rows (序号)"), required=False, default=True)
    show_totals = blocks.BooleanBlock(
        label=gettext_lazy("Totals row for number columns"), required=False, default=False
    )

    class Meta:
        icon = "table"
        label = gettext_lazy("Repeating table")

    ranges = (("min_rows", "max_rows"),)

    def get_setting_errors(self, value):
        errors = {}
        for column in value["columns"]:
            if column.get("type") == "choice" and not choice_lines(column.get("choices")):
                errors["columns"] = ValidationError(_("A choice column needs its choices, one per line."))
        column_errors = fill_keys(value["columns"])
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

    label = blocks.CharBlock(label=gettext_lazy("Column heading"), max_length=100)
    key = blocks.CharBlock(
        label=gettext_lazy("Key"), required=False, max_length=40, validators=[validate_key]
    )
    type = blocks.ChoiceBlock(
        label=gettext_lazy("Type"),
        choices=[
            ("integer", gettext_lazy("Whole number")),
            ("decimal", gettext_lazy("Decimal or money")),
            ("text", gettext_lazy("Text")),
        ],
        default="integer",
    )
    unit = blocks.CharBlock(label=gettext_lazy("Unit"), required=False, max_length=20)

    class Meta:
        icon = "table"
        label = gettext_lazy("Column")


class MatrixFieldBlock(BaseFieldBlock):
    """A table with fixed rows (regions or typed rows) and totals, e.g. 附件6's results summary."""

    field_type = "matrix"
    row_heading = blocks.CharBlock(
        label=gettext_lazy("Heading of the row column"), default="地区", max_length=100
    )
    row_source = blocks.ChoiceBlock(
        label=gettext_lazy("Rows"),
        choices=[
            ("regions", gettext_lazy("Regions from the region list")),
            ("typed", gettext_lazy("Rows typed below")),
        ],
        default="regions",
    )
    region_parent = SnippetChooserBlock(
        "shenbao_builder.Region", label=gettext_lazy("Regions within"), required=False
    )
    region_level = blocks.ChoiceBlock(
        label=gettext_lazy("Region level"), choices=REGION_LEVEL_CHOICES, default="city"
    )
    rows = blocks.TextBlock(
        label=gettext_lazy("Typed rows"),
        required=False,
        help_text=gettext_lazy("One row per line."),
    )
    columns = blocks.ListBlock(MatrixColumnBlock(), label=gettext_lazy("Columns"), min_num=1)
    row_totals = blocks.BooleanBlock(label=gettext_lazy("Total of each row"), required=False, default=False)
    column_totals = blocks.BooleanBlock(
        label=gettext_lazy("Total of each column (合计)"), required=False, default=True
    )

    class Meta:
        icon = "table"
        label = gettext_lazy("Summary table with fixed rows")

    def get_setting_errors(self, value):
        errors = {}
        if value.get("row_source") == "typed" and not choice_lines(value.get("rows")):
            errors["rows"] = ValidationError(_("Type at least one row, one per line."))
        if value.get("row_source") == "regions" and not value.get("region_parent"):
            errors["region_parent"] = ValidationError(_("Choose the region whose subdivisions are the rows."))
        column_errors = fill_keys(value["columns"])
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


def total_of(cells, keys):
    """The sum of the number cells ``keys`` of one row, as stored (exact, no trailing zeros)."""
    return f.cell_to_json(sum((f.to_decimal(cells.get(key)) for key in keys), Decimal(0)))


class SheetType(FieldType):
    """What both tables share: shown as a table, searched by its cells, on a sheet of their own."""

    own_sheet = True

    def render(self, spec, value, masked=False):
        return {"text": "", "table": self.table(spec.get("options", {}), value)}

    def text(self, spec, value, masked=False):
        return "; ".join(
            " ".join(str(cell) for cell in row if cell != "")
            for row in self.table(spec["options"], value)["rows"]
        )

    def search_words(self, spec, value):
        if self.is_empty(value):
            return []
        rows = self.table(spec.get("options", {}), value)["rows"]
        return [str(cell) for row in rows for cell in row if cell != ""]


@register
class Table(SheetType):
    name = "table"
    block_class = TableFieldBlock

    def anonymised(self, spec, value):
        """Each row without its identifying cells (text and phone columns, and identifying column types)."""
        columns = spec.get("options", {}).get("columns", [])
        removed = {c["key"] for c in columns if column_identifies(c)}
        if not isinstance(value, list):
            return value
        return [
            {key: (None if key in removed else cell) for key, cell in row.items()}
            if isinstance(row, dict)
            else row
            for row in value
        ]

    def create_field(self, spec, options, builder):
        return f.TableField(
            options["columns"],
            min_rows=options.get("min_rows") or 0,
            max_rows=options.get("max_rows") or 20,
            numbered=options.get("numbered", True),
            show_totals=options.get("show_totals", False),
        )

    @staticmethod
    def table(options, rows):
        """The table as headers, rows of cells and an optional totals row."""
        columns = options.get("columns", [])
        body = [[cell_text(c, row.get(c["key"])) for c in columns] for row in rows]
        numbered = options.get("numbered", True)
        headers = ([_("No.")] if numbered else []) + [c["label"] for c in columns]
        if numbered:
            body = [[index, *cells] for index, cells in enumerate(body, start=1)]
        totals = None
        if options.get("show_totals"):
            sums = f.column_totals(columns, rows)
            cells = [sums.get(c["key"], "") for c in columns]
            # The label goes in the number column, or in the first cell when that is not a number column.
            totals = [_("Total"), *cells] if numbered else [cells[0] or _("Total"), *cells[1:]]
        return {"headers": headers, "rows": body, "totals": totals}

    def render_blank(self, spec):
        options = spec.get("options", {})
        headers = ([_("No.")] if options.get("numbered", True) else []) + [
            c["label"] for c in options["columns"]
        ]
        rows = [[""] * len(headers) for _n in range(max(options.get("min_rows") or 3, 3))]
        return {"text": "", "table": {"headers": headers, "rows": rows, "lines": 1}, "empty": False}


@register
class Matrix(SheetType):
    name = "matrix"
    block_class = MatrixFieldBlock

    def create_field(self, spec, options, builder):
        return f.MatrixField(
            options["rows"],
            options["columns"],
            row_heading=options.get("row_heading", ""),
            row_totals=options.get("row_totals", False),
            column_totals=options.get("column_totals", True),
        )

    @staticmethod
    def table(options, value):
        """The matrix (fixed rows × number columns) with its row and column totals."""
        rows, columns = options.get("rows", []), options.get("columns", [])
        number_keys = [c["key"] for c in columns if c.get("type") in numeric_types()]
        headers = [options.get("row_heading") or ""] + [c["label"] for c in columns]
        if options.get("row_totals"):
            headers.append(_("Total"))
        body = []
        for row in rows:
            cells = value.get(row["key"]) or {}
            line = [row["label"]] + [
                cells.get(c["key"]) if cells.get(c["key"]) is not None else "" for c in columns
            ]
            if options.get("row_totals"):
                line.append(
                    f.cell_to_json(sum((f.to_decimal(cells.get(key)) for key in number_keys), Decimal(0)))
                )
            body.append(line)
        totals = None
        if options.get("column_totals", True):
            sums = f.column_totals(columns, [value.get(row["key"]) or {} for row in rows])
            totals = [_("Total")] + [sums.get(c["key"], "") for c in columns]
            if options.get("row_totals"):
                totals.append(
                    f.cell_to_json(sum((f.to_decimal(sums.get(key)) for key in number_keys), Decimal(0)))
                )
        return {"headers": headers, "rows": body, "totals": totals}

    def render_blank(self, spec):
        options = spec.get("options", {})
        headers = [options.get("row_heading") or ""] + [c["label"] for c in options["columns"]]
        rows = [[row["label"]] + [""] * len(options["columns"]) for row in options.get("rows", [])]
        return {
            "text": "",
            "table": {"headers": headers, "rows": rows, "totals": None, "lines": 1},
            "empty": False,
        }
