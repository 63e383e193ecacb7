"""What bureaus used to fill by hand: the summary list (一览表) and the results roll-up (附件6).

``summary_rows`` lists a desk's submissions to one form with fixed columns
(序号, reference, organisation, region, status) and the answers an editor chose
on the form page; ``summary_xlsx`` writes it in the printed layout (title,
header line, bordered table), its cells typed (``typed=True``): numbers as
numbers under headings with their unit (次数（次）), so that they add up, and
dates as dates. ``rollup`` adds up the region rows of a matrix
answer (e.g. 附件6's 11 counters per city) over the submissions, per period
(上半年/下半年), and per province.
"""

from collections import defaultdict
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from forms_app.applications.admin_forms import SUMMARY_TYPES_EXCLUDED
from forms_app.applications.models import SubmissionStatus
from forms_app.builder import cells
from forms_app.builder.display import answer_text
from forms_app.builder.fields import to_decimal
from forms_app.builder.models import Region
from forms_app.builder.registry import type_of
from forms_app.review.workflow import recommended_by

# Leading characters a spreadsheet would run as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` so that a spreadsheet shows it as text, never runs it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def summary_fields(page, schema):
    """Return the field specs shown as summary columns: the editor's choice, else the first six answers."""
    candidates = [s for s in schema.input_fields() if s["type"] not in SUMMARY_TYPES_EXCLUDED]
    chosen = [key for key in (page.summary_columns or []) if isinstance(key, str)]
    if chosen:
        by_key = {spec["key"]: spec for spec in candidates}
        return [by_key[key] for key in chosen if key in by_key]
    return candidates[:6]


def desk_submissions(access, page, region, scope="recommended"):
    """Return the submissions of a desk's summary list: those it recommended, or all it can see."""
    queryset = access.submissions().filter(page=page)
    if scope == "recommended":
        if region.parent_id is None:
            queryset = queryset.filter(stage_region=region, status=SubmissionStatus.SELECTED)
        else:
            queryset = queryset.filter(pk__in=recommended_by(page, region).values("pk"))
    return queryset.select_related("organisation", "region", "form_version").order_by("submitted_at", "pk")


#: The cell kinds of the fixed columns: 序号, reference, organisation, region, status.
FIXED_KINDS = [cells.NUMBER, cells.TEXT, cells.TEXT, cells.TEXT, cells.TEXT]


def summary_kinds(page):
    """The cell kind of each column of ``page``'s summary list, for its spreadsheet."""
    return FIXED_KINDS + [type_of(spec).cell_kind for spec in summary_fields(page, page.schema)]


def summary_rows(submissions, page, masked=True, typed=False):
    """Return ``(headers, rows)`` of the summary list, answers read against each submission's version.

    As read (screen, PDF), an answer is its text, a number with its unit; ``typed`` gives the
    spreadsheet's cells instead: the unit in the heading, the number, the date, as the type's cell.
    """
    schema = page.schema
    fields = summary_fields(page, schema)
    headers = [_("No."), _("Reference"), _("Organisation"), _("Region"), pgettext("submission", "Status")]
    headers += [type_of(spec).header(spec) if typed else spec["label"] for spec in fields]
    rows = []
    for number, submission in enumerate(submissions, start=1):
        version_schema = submission.form_version.schema
        row = [
            number,
            submission.reference,
            str(submission.organisation or ""),
            str(submission.region or ""),
            submission.get_status_display(),
        ]
        for spec in fields:
            own = version_schema.get_field(spec["key"]) or spec
            value = submission.answers.get(spec["key"])
            if typed:
                kind = type_of(own)
                row.append(cells.typed(kind.cell_kind, kind.cell(own, value, masked)))
            else:
                row.append(answer_text(own, value, masked))
        rows.append(row)
    return headers, rows


def summary_xlsx(title, header_line, headers, rows, kinds=()):
    """Return the summary list as XLSX bytes: title, header line, then a bordered table.

    ``rows`` are ``summary_rows(..., typed=True)``; ``kinds`` (``summary_kinds``) give the date and
    text formats of their columns.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary list")[:31]
    width = max(len(headers), 1)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([header_line])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append([safe_cell(h) for h in headers])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    thin = Side(style="thin")
    for line in sheet.iter_rows(min_row=3, max_row=sheet.max_row, max_col=width):
        for cell in line:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for index, kind in enumerate(kinds, start=1):
        if kind in cells.NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=4, min_col=index, max_col=index):
                cell.number_format = cells.NUMBER_FORMATS[kind]
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(header)) * 2 + 4, 8), 40)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_line(region, when=None):
    """Return the header line of a desk's list: the reporting bureau and the date."""
    when = timezone.localtime(when)
    return _("Reporting bureau: %(region)s (stamp)    Date: %(date)s") % {
        "region": region.name if region else "",
        "date": f"{when.year}年{when.month}月{when.day}日",
    }


def matrix_fields(schema):
    """Return the matrix fields of a form whose rows are regions, which can be rolled up."""
    return [
        s
        for s in schema.input_fields()
        if s["type"] == "matrix" and s["options"].get("row_source") == "regions"
    ]


def period_fields(schema):
    """Return the single-choice fields that can split a roll-up into periods (e.g. 上半年/下半年)."""
    return [s for s in schema.input_fields() if s["type"] == "single_choice"]


def rollup(submissions, matrix_key, period_key=None):
    """Add up a region matrix over ``submissions``; return periods with per-region and per-province totals.

    Returns ``{"columns", "periods": [{"period", "rows", "groups", "total", "count"}]}``: ``rows`` are
    ``(region name, [sums])`` in the form's row order, ``groups`` the sums per region one level up
    (the province), ``total`` the grand total.
    """
    columns, row_specs = [], []
    sums = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    counts = defaultdict(int)
    for submission in submissions:
        schema = submission.form_version.schema
        spec = schema.get_field(matrix_key)
        if spec is None:
            continue
        options = spec["options"]
        if not columns:
            columns = [c for c in options.get("columns", []) if c.get("type") in {"integer", "decimal"}]
            row_specs = options.get("rows", [])
        period = ""
        if period_key:
            value = submission.answers.get(period_key) or {}
            selected = value.get("selected") if isinstance(value, dict) else None
            period = (selected[0] if isinstance(selected, list) and selected else selected) or ""
        counts[period] += 1
        for row_key, line in (submission.answers.get(matrix_key) or {}).items():
            for column in columns:
                number = to_decimal(line.get(column["key"]))
                sums[period][row_key][column["key"]] += number
    codes = [row["key"] for row in row_specs]
    parents = {r.code: r.parent for r in Region.objects.filter(code__in=codes).select_related("parent")}
    periods = []
    for period in sorted(sums, key=_period_order):
        rows, groups = [], defaultdict(lambda: defaultdict(Decimal))
        for row in row_specs:
            values = [sums[period][row["key"]][c["key"]] for c in columns]
            rows.append((row["label"], [_plain(v) for v in values]))
            parent = parents.get(row["key"])
            for column, value in zip(columns, values, strict=True):
                groups[parent.name if parent else _("Other")][column["key"]] += value
        total = [_plain(sum(sums[period][r["key"]][c["key"]] for r in row_specs)) for c in columns]
        periods.append(
            {
                "period": period or _("All"),
                "rows": rows,
                "groups": [(name, [_plain(g[c["key"]]) for c in columns]) for name, g in groups.items()],
                "total": total,
                "count": counts[period],
            }
        )
    return {"columns": columns, "periods": periods}


def _period_order(period):
    order = {"上半年": 0, "下半年": 1}
    return (order.get(period, 2), period)


def _plain(value):
    return int(value) if value == value.to_integral() else value
