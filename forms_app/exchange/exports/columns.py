"""Which columns an export has, and how a stored answer becomes a cell.

Fixed columns come first (reference, status, organisation, region, submitted
at), then one column per field, headed by its label, over every form version
the exported submissions were made with: a field that only an older version
had is still exported for the submissions that have it. Repeating tables and
matrices go to their own sheet (XLSX) or file (CSV), keyed by reference.

Plain answers (text, numbers, dates) are taken with ``dict.get`` mapped over
the keys, so a row costs no Python call per cell; only choices, personal
numbers and the like go through their field type's ``cell``.
"""

from dataclasses import dataclass, field
from itertools import repeat

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from forms_app.applications.models import FormVersion
from forms_app.builder import cells
from forms_app.builder.registry import column_cell_kind, column_header, field_type, type_of


@dataclass
class Column:
    key: str
    label: str
    kind: str
    spec: dict = field(repr=False)
    convert: object = None  # None: the stored answer is the cell

    @property
    def cell_kind(self):
        return type_of(self.spec).cell_kind

    @property
    def header(self):
        """The column's heading: the label, with the unit of a number (次数（次）)."""
        return type_of(self.spec).header(self.spec)


@dataclass
class ExportPlan:
    """The columns of one form's export, for a given set of form versions."""

    fixed: list
    columns: list
    tables: list
    masked: bool = True

    @property
    def headers(self):
        return self.fixed + [c.header for c in self.columns]

    @property
    def cell_kinds(self):
        """The cell kind of every column, fixed ones first."""
        return FIXED_KINDS + [c.cell_kind for c in self.columns]

    @property
    def keys(self):
        return [c.key for c in self.columns]


# The columns every export starts with, as keys (JSON, the import-export resource) and as headers.
FIXED_KEYS = ["reference", "status", "organisation", "credit_code", "region", "submitted_at"]
FIXED_KINDS = [cells.TEXT, cells.TEXT, cells.TEXT, cells.CODE, cells.TEXT, cells.DATETIME]


def fixed_headers():
    """The headers of ``FIXED_KEYS``, in the language of the export."""
    return [
        _("Reference"),
        pgettext("submission", "Status"),
        _("Organisation"),
        _("Unified social credit code"),
        _("Region"),
        _("Submitted at"),
    ]


def plan_for_versions(versions, masked=True):
    """Return the ``ExportPlan`` covering ``versions`` (newest first decides order and labels)."""
    versions = sorted(versions, key=lambda v: v.number, reverse=True)
    seen, columns, tables = set(), [], []
    types = {}
    for version in versions:
        for spec in version.schema.input_fields():
            types.setdefault(spec["key"], set()).add(spec["type"])
    for version in versions:
        for spec in version.schema.input_fields():
            if spec["key"] in seen:
                continue
            if len(types[spec["key"]]) > 1 and not type_of(spec).own_sheet:
                # The field changed type between versions: export its answers as text.
                spec = {**spec, "type": "short_text"}
            seen.add(spec["key"])
            if type_of(spec).own_sheet:
                tables.append(spec)
            else:
                convert = converter(spec, masked)
                columns.append(Column(spec["key"], spec["label"], spec["type"], spec, convert))
    return ExportPlan(fixed=fixed_headers(), columns=columns, tables=tables, masked=masked)


def plan_for(queryset, masked=True):
    """Return the ``ExportPlan`` of the submissions in ``queryset`` (one form)."""
    version_ids = queryset.order_by().values_list("form_version", flat=True).distinct()
    return plan_for_versions(FormVersion.objects.filter(pk__in=list(version_ids)), masked=masked)


def converter(spec, masked):
    """Return how to turn ``spec``'s stored answer into a cell, or None when it is the cell already."""
    cell_type = type_of(spec)
    if cell_type.plain_cell:
        return None
    return cell_type.cell_converter(spec, masked=masked)


def row_source(queryset):
    """Return the fields read per submission, so that rows come from one ``values_list`` query."""
    return queryset.values_list(
        "reference",
        "status",
        "organisation__name",
        "organisation__credit_code",
        "region__name",
        "submitted_at",
        "answers",
    )


def make_row_builder(plan, status_labels):
    """Return ``build(record) -> (cells, answers)`` for records of ``row_source``."""
    keys = plan.keys
    status_labels = {code: str(label) for code, label in status_labels.items()}  # resolved once, not per row
    converted = [(i, c.convert) for i, c in enumerate(plan.columns) if c.convert is not None]
    offset = len(plan.fixed)
    local_datetime = cells.local_datetime

    def build(record):
        reference, status, organisation, credit_code, region, submitted_at, answers = record
        cells = [
            reference,
            status_labels.get(status, status),
            organisation or "",
            credit_code or "",
            region or "",
            local_datetime(submitted_at),  # Beijing time; the writer makes it a date cell or text
        ]
        # dict.get(key, "") over all keys in C; Python runs only for the converted columns.
        cells.extend(map(answers.get, keys, repeat("")))
        if None in cells:  # an optional number left empty is stored as null
            cells = ["" if cell is None else cell for cell in cells]
        for index, convert in converted:
            cells[offset + index] = convert(cells[offset + index])
        return cells, answers

    return build


def table_headers(spec):
    """Return the headers of a table's own sheet: reference, row, then its columns."""
    options = spec["options"]
    if spec["type"] == "matrix":
        first = options.get("row_heading") or _("Row")
        return [_("Reference"), first] + [column_header(c) for c in options.get("columns", [])]
    return [_("Reference"), _("No.")] + [column_header(c) for c in options.get("columns", [])]


def table_kinds(spec):
    """The cell kinds of a table's own sheet: reference and row (a number in a table), then its columns."""
    lead = [cells.TEXT, cells.TEXT] if spec["type"] == "matrix" else [cells.TEXT, cells.NUMBER]
    return lead + [column_cell_kind(c) for c in spec["options"].get("columns", [])]


def table_rows(spec, reference, value):
    """Yield the rows of one submission's table or matrix for its own sheet."""
    if not value:
        return
    options = spec["options"]
    if spec["type"] == "matrix":
        for row in options.get("rows", []):
            cells = value.get(row["key"]) or {}
            yield [reference, row["label"]] + [cells.get(c["key"], "") for c in options.get("columns", [])]
        return
    display = field_type("table").table({**options, "numbered": True, "show_totals": False}, value)
    for line in display["rows"]:
        yield [reference, *line]
