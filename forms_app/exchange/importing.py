"""Importing applications that arrived on paper or in Excel, with the online form's own validators.

A per-form XLSX template has the labels as headers (numbers with their unit)
and an example row; its cells are typed as the export types them (dates as
dates, numbers as numbers, codes as text), and its columns carry drop-down
lists for choices and length rules for codes. An
uploaded file is read (python-calamine, within limits of size and rows), each
row is turned into the data a browser would post for each step and checked
by the same ``StepForm`` classes the wizard uses (conditions included), and
every error is reported by row and column. Nothing is saved until the
reviewer confirms; then all rows are saved in one transaction, or none.

Repeating tables and matrices come on sheets of their own (XLSX) or files of
their own (a ZIP of CSVs), as the export writes them: the first column holds
the submission's reference, or for a new application its row number on the
main sheet. A table whose sheet is absent is left as it was.

Rows update instead of duplicating: a row with a reference updates that
submission; a row without one is remembered by the file's hash and its row
number, so importing the same file again updates what it created. Answers the
file does not carry (files, tables without a sheet) are kept on update.
"""

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from python_calamine import CalamineWorkbook

from forms_app import conf
from forms_app.accounts.models import Organisation
from forms_app.applications.models import FormVersion, Submission, SubmissionEvent, SubmissionVersion
from forms_app.builder import cells as kinds
from forms_app.builder.display import is_empty
from forms_app.builder.models import Region
from forms_app.builder.registry import ImportContext, column_header, column_type, type_of
from forms_app.builder.validators import validate_credit_code
from forms_app.exchange.exports.columns import table_headers, table_kinds
from forms_app.exchange.exports.names import file_stem
from forms_app.exchange.exports.writers import XlsxWriter, fits_a_list, sheet_title
from forms_app.review.access import ancestors


class ImportFileError(Exception):
    """The file cannot be read as a table at all; the message says why."""


def fixed_labels():
    """The columns every row has before the form's own: the export's, so its files import back."""
    return [_("Reference"), _("Organisation"), _("Unified social credit code"), _("Region")]


FIXED_KINDS = [kinds.TEXT, kinds.TEXT, kinds.CODE, kinds.TEXT]
CREDIT_CODE_LENGTHS = (18, 18)


def headings(spec):
    """The headings a field's column may have: the export's (with a number's unit), or the bare label."""
    return list(dict.fromkeys([type_of(spec).header(spec), spec["label"]]))


def column_headings(column):
    """The headings a table column may have on its sheet: with its unit, or the bare label."""
    return list(dict.fromkeys([column_header(column), column["label"]]))


def find_columns(header, wanted):
    """Return ``({name: index}, [missing headings])`` for ``wanted`` (name → accepted headings)."""
    index, missing = {}, []
    for name, accepted in wanted.items():
        found = next((header.index(h) for h in accepted if h in header), None)
        if found is None:
            missing.append(accepted[0])
        else:
            index[name] = found
    return index, missing


def importable_fields(schema):
    """Return the fields that a spreadsheet row can carry."""
    # Files cannot come from a spreadsheet; tables and matrices come from sheets of their own.
    return [
        spec for spec in schema.input_fields() if type_of(spec).importable and not type_of(spec).own_sheet
    ]


def table_fields(schema):
    """Return the repeating tables and matrices, each read from a sheet of its own."""
    return [spec for spec in schema.input_fields() if type_of(spec).own_sheet]


# --- the template --------------------------------------------------------------------------------


def example_cell(spec):
    """Return an example value for the template's second row."""
    return type_of(spec).example(spec)


def example_table_rows(spec):
    """Return example rows of a table's sheet, tied to the main sheet's row 2."""
    columns = spec["options"].get("columns", [])
    cells = [example_column_cell(column) for column in columns]
    if spec["type"] == "matrix":
        return [["2", row["label"], *cells] for row in spec["options"].get("rows", [])]
    return [["2", 1, *cells]]


def example_column_cell(column):
    kind = column.get("type")
    if kind in {"integer", "decimal"}:
        return 1
    if kind == "date":
        return "2024-03-01"
    if kind == "phone":
        return "13800138000"
    if kind == "choice":
        return (column.get("choices") or [""])[0]
    return column["label"]


def length_prompt(lengths):
    low, high = lengths
    if low == high:
        return ngettext("%(n)s character, kept as text", "%(n)s characters, kept as text", low) % {"n": low}
    return _("%(low)s to %(high)s characters, kept as text") % {"low": low, "high": high}


def add_input_rules(sheet, column, choices=None, lengths=None):
    """Give a template column its drop-down list of ``choices``, or its length rule for a code."""
    if choices and fits_a_list(choices):
        sheet.validate(column, choices=choices, prompt=_("Choose from the list"))
    elif choices:  # too long for a list inside the sheet: the choices are said when the cell is chosen
        sheet.validate(column, prompt=_("One of: %(choices)s") % {"choices": "、".join(choices)})
    elif lengths:
        sheet.validate(column, lengths=lengths, prompt=length_prompt(lengths))


def template_xlsx(page, regions=()):
    """Return the import template of ``page`` as XLSX bytes: headings, then one example row.

    Cells are typed as the export types them; choice columns have drop-down lists and code
    columns length rules; the region column lists ``regions`` (the importer's) when they fit in a
    drop-down list. Each repeating table or matrix has its own sheet, whose first column
    names the main sheet's row (for a new application) or the reference (for an existing one).
    """

    fields = importable_fields(page.schema)
    buffer = BytesIO()
    writer = XlsxWriter(buffer)
    sheet = writer.add_sheet(
        page.title,
        fixed_labels() + [type_of(spec).header(spec) for spec in fields],
        FIXED_KINDS + [type_of(spec).cell_kind for spec in fields],
    )
    example = ["", _("(organisation name)"), _("(18 characters)"), _("(region name)")]
    sheet.add(example + [example_cell(spec) for spec in fields])
    add_input_rules(sheet, 2, lengths=CREDIT_CODE_LENGTHS)
    if fits_a_list(regions):  # a province's hundred counties do not: the column stays free text then
        add_input_rules(sheet, 3, list(regions))
    for column, spec in enumerate(fields, start=len(FIXED_KINDS)):
        kind = type_of(spec)
        add_input_rules(sheet, column, kind.template_choices(spec), kind.input_rule(spec))
    for spec in table_fields(page.schema):
        table = writer.add_sheet(spec["label"], table_headers(spec), table_kinds(spec))
        for row in example_table_rows(spec):
            table.add(row)
        for column, cell in enumerate(spec["options"].get("columns", []), start=2):
            if cell.get("type") == "choice":
                add_input_rules(table, column, list(cell.get("choices") or []))
    writer.close()
    return buffer.getvalue()


# --- reading -------------------------------------------------------------------------------------


@dataclass
class SheetRows:
    """One sheet of an uploaded workbook (or one CSV of a ZIP): its name and rows, header first."""

    name: str
    rows: list


def read_rows(content, name=""):
    """Return the first sheet as a list of rows (lists of cells), header first."""
    return read_sheets(content, name)[0].rows


def read_sheets(content, name=""):
    """Return every sheet of an XLSX/XLS file, the CSVs of a ZIP (as the export writes them), or a CSV.

    A file that would unpack beyond ``SHENBAO_IMPORT_MAX_UNPACKED_MB`` is refused before any parser
    sees it (a few hundred kilobytes of XLSX can hold a sheet of gigabytes), and a sheet of more than
    ``SHENBAO_IMPORT_MAX_ROWS`` rows is refused before its rows are checked.
    """
    stem = re.sub(r"\.[^.]*$", "", name.rsplit("/", 1)[-1]) or "1"
    is_workbook = content.startswith((b"PK", b"\xd0\xcf"))  # XLSX (zip) or XLS (OLE)
    if not is_workbook or name.lower().endswith(".csv"):
        check_unpacked_size(len(content))
        sheets = [SheetRows(stem, read_csv(content))]
    elif content.startswith(b"PK"):
        sheets = read_zip(content)
    else:
        check_unpacked_size(len(content))  # XLS is not compressed
        sheets = read_workbook(content)
    limit = conf.import_max_rows()
    for sheet in sheets:
        if len(sheet.rows) - 1 > limit:
            raise ImportFileError(
                _("The sheet “%(sheet)s” has %(rows)s rows; an import takes at most %(limit)s.")
                % {"sheet": sheet.name, "rows": len(sheet.rows) - 1, "limit": limit}
            )
    return sheets


def check_unpacked_size(size):
    """Refuse a file that is, or unpacks to, more than the import limit."""
    limit = conf.import_max_unpacked_bytes()
    if size > limit:
        raise ImportFileError(
            _("This file unpacks to more than %(mb)s MB; split it into smaller files.")
            % {"mb": limit // (1024 * 1024)}
        )


def read_zip(content):
    """Return the sheets of an XLSX file or the CSVs of a ZIP, once their unpacked size is known to fit."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            # The stated sizes are the sender's word, but both readers hold a member to its stated size
            # (zipfile checks it, calamine refuses the workbook), so the sum bounds what unpacks.
            check_unpacked_size(sum(info.file_size for info in members))
            if "[Content_Types].xml" in archive.namelist():
                return read_workbook(content)
            return read_csv_zip(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise ImportFileError(_("This file cannot be read as a spreadsheet (XLSX, XLS or CSV).")) from error


def read_workbook(content):
    """Return every sheet of an XLSX or XLS workbook, read by python-calamine."""
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(content))
        return [
            SheetRows(title, workbook.get_sheet_by_name(title).to_python(skip_empty_area=False))
            for title in workbook.sheet_names
        ]
    except Exception as error:
        raise ImportFileError(_("This file cannot be read as a spreadsheet (XLSX, XLS or CSV).")) from error


def read_csv_zip(archive):
    """Return the CSV files of a ZIP in their order (the main file first, as the export writes it)."""
    members = [
        info for info in archive.infolist() if info.filename.lower().endswith(".csv") and not info.is_dir()
    ]
    sheets = [
        SheetRows(
            re.sub(r"\.csv$", "", info.filename.rsplit("/", 1)[-1], flags=re.I),
            read_csv(archive.read(info)),
        )
        for info in members
    ]
    if not sheets:
        raise ImportFileError(_("This ZIP file holds no CSV files."))
    return sheets


def read_csv(content):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("This CSV file is neither UTF-8 nor GB18030 text."))
    return list(csv.reader(io.StringIO(text, newline="")))


# --- one row → form data -------------------------------------------------------------------------


def cell_text(cell):
    """Return a cell as the text a person would have typed."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    return (
        text[1:] if text.startswith("'") and text[1:2] in {"=", "+", "-", "@"} else text
    )  # our export's escape


def widget_data(widget, name, raw):
    """Return the data ``widget`` would post under ``name`` for the raw value of its field.

    The inverse of Django's ``value_from_datadict``: a field made of several inputs (a
    ``MultiWidget``) posts one item of ``raw`` per input, under the input's own suffix.
    """
    if isinstance(widget, forms.MultiWidget):
        parts = raw if isinstance(raw, list | tuple) else [raw]
        return {name + suffix: part for suffix, part in zip(widget.widgets_names, parts, strict=False)}
    return {name: raw}


class RowResult:
    """One row of the main sheet: what it becomes, or what is wrong with it (and with its table rows)."""

    def __init__(self, number, sheet=""):
        self.number = number
        self.sheet = sheet
        self.errors = []  # (sheet, row number, column label, message)
        self.answers = {}
        self.carried = set()  # the answers this file gives; the others are kept on update
        self.reference = ""
        self.organisation = ""
        self.credit_code = ""  # valid, or empty
        self.region = None
        self.kept_masked = 0  # masked cells that keep the stored number

    def add_error(self, column, message, sheet=None, row=None):
        self.errors.append((sheet or self.sheet, row or self.number, column, message))

    def as_data(self):
        """Return this checked row as JSON-ready data, to be saved later without checking it again."""
        return {
            "number": self.number,
            "sheet": self.sheet,
            "reference": self.reference,
            "organisation": self.organisation,
            "credit_code": self.credit_code,
            "region": self.region.pk if self.region is not None else None,
            "answers": self.answers,
            "carried": sorted(self.carried),
        }

    @classmethod
    def from_data(cls, data, regions):
        """Rebuild a row kept by ``as_data``; ``regions`` maps ids to ``Region`` objects."""
        result = cls(data["number"], data["sheet"])
        result.reference, result.organisation = data["reference"], data["organisation"]
        result.credit_code = data["credit_code"]
        result.region = regions.get(data["region"])
        result.answers, result.carried = data["answers"], set(data["carried"])
        return result


def rows_from_data(items):
    """Rebuild the rows kept by ``RowResult.as_data``, reading their regions in one query."""
    ids = {item["region"] for item in items}
    regions = Region.objects.select_related("parent__parent").in_bulk(ids)
    return [RowResult.from_data(item, regions) for item in items]


@dataclass
class TableSheet:
    """The sheet of one repeating table or matrix, its rows grouped by the application they belong to."""

    spec: dict
    name: str
    columns: dict  # column key -> index of its cell
    groups: dict  # reference, or main-sheet row number as text -> [(sheet row number, cells)]

    def rows_of(self, result):
        """Return the sheet rows of ``result``'s application (by reference, else by its row number)."""
        return self.groups.get(result.reference) or self.groups.get(str(result.number)) or []

    def post_data(self, prefix, rows, context=None, cell_widgets=None):
        """Return the data the table's widget would post for ``rows``, and each posted row's sheet row.

        ``cell_widgets`` are the table widget's own widgets of its registered-type columns (made
        once with the step's form class), which a parsed cell is posted to.
        """
        name = f"{prefix}-{self.spec['key']}"
        data, where = {}, {}
        if self.spec["type"] == "matrix":
            keys = {row["label"]: row["key"] for row in self.spec["options"].get("rows", [])}
            for number, cells in rows:
                label = cell_text(cells[1] if len(cells) > 1 else "")
                where[label] = number
                for column_key, index in self.columns.items():
                    data[f"{name}-{keys.get(label, '')}-{column_key}"] = cell_at(cells, index)
            return data, where
        data[f"{name}-rows"] = str(len(rows))
        columns = {column["key"]: column for column in self.spec["options"].get("columns", [])}
        for position, (number, cells) in enumerate(rows):
            where[position + 1] = number
            for column_key, index in self.columns.items():
                cell = f"{name}-{position}-{column_key}"
                column = columns.get(column_key, {})
                registered = column_type(column.get("type"))
                if registered is None:
                    data[cell] = cell_at(cells, index)
                    continue
                # A column of a registered type (an address) is read back as its type reads a cell.
                raw = registered.parse(column, cell_at(cells, index), context)
                data.update(widget_data(cell_widgets[column_key], cell, raw))
        return data, where

    def unknown_rows(self, rows):
        """Yield ``(sheet row number, label)`` for matrix rows whose label is not a row of the matrix."""
        if self.spec["type"] != "matrix":
            return
        labels = {row["label"] for row in self.spec["options"].get("rows", [])}
        for number, cells in rows:
            label = cell_text(cells[1] if len(cells) > 1 else "")
            if label not in labels:
                yield number, label


def cell_at(cells, index):
    return cell_text(cells[index]) if index < len(cells) else ""


def match_table_sheets(schema, sheets):
    """Return ``({field key: TableSheet}, errors)`` for the table sheets among ``sheets[1:]``.

    A sheet belongs to a table when its name is the table's label (as the export names it), or
    else when its header is the table's header.
    """

    found, errors = {}, []
    rest = list(sheets[1:])
    for spec in table_fields(schema):
        headers = [str(h) for h in table_headers(spec)]
        title = sheet_title(spec["label"], set())
        names = {spec["label"], title, file_stem(title, "Sheet")}  # as an XLSX sheet, as a CSV in a ZIP
        sheet = next((sh for sh in rest if sh.name in names), None) or next(
            (sh for sh in rest if sh.rows and [cell_text(c) for c in sh.rows[0]][1:] == headers[1:]), None
        )
        if sheet is None:
            continue
        rest.remove(sheet)
        header = [cell_text(c) for c in sheet.rows[0]] if sheet.rows else []
        columns = spec["options"].get("columns", [])
        index, missing = find_columns(header, {c["key"]: column_headings(c) for c in columns})
        if missing:
            errors.append(
                _("Sheet “%(sheet)s”: columns missing: %(labels)s.")
                % {"sheet": sheet.name, "labels": "、".join(missing)}
            )
            continue
        groups = {}
        for number, cells in enumerate(sheet.rows[1:], start=2):
            texts = [cell_text(c) for c in cells]
            if any(texts):
                groups.setdefault(texts[0], []).append((number, cells))
        found[spec["key"]] = TableSheet(spec, sheet.name, index, groups)
    return found, errors


def unclaimed_table_rows(tables, results):
    """Return errors for table rows that name no application of the main sheet."""
    claimed = {r.reference for r in results if r.reference} | {str(r.number) for r in results}
    errors = []
    for table in tables.values():
        for key, rows in table.groups.items():
            if key in claimed:
                continue
            for number, _cells in rows:
                if key:
                    message = _(
                        "Sheet “%(sheet)s”, row %(row)s: no row of the main sheet has the reference or "
                        "row number “%(key)s”."
                    )
                else:
                    message = _(
                        "Sheet “%(sheet)s”, row %(row)s: give the reference, or the row number on the "
                        "main sheet, in the first column."
                    )
                errors.append(message % {"sheet": table.name, "row": number, "key": key})
    return errors


def check_file(page, sheets, access, version=None, progress=None):
    """Validate an uploaded file's sheets for ``page``; return ``(results, file errors)``.

    ``progress(done, total)`` is called as rows are checked.
    """
    if not sheets:
        return [], [_("The file is empty.")]
    tables, errors = match_table_sheets((version or page).schema, sheets)
    results, header_errors = check_rows(
        page, sheets[0].rows, access, version, tables, sheets[0].name, progress=progress
    )
    if header_errors:
        return results, errors + header_errors
    check_against_database(page, results, access)
    return results, errors + unclaimed_table_rows(tables, results)


def check_against_database(page, results, access):
    """Check the rows against what is stored: references, and the units that new rows name."""
    check_references(page, results, access)
    check_organisations(results)


def updatable(page, access):
    """Return the submissions to ``page`` that ``access`` may update by import: those at its desks."""
    return access.actionable(access.submissions(Submission.objects.filter(page=page)))


def check_references(page, results, access):
    """Mark rows whose reference is given twice, is not a submission to ``page`` waiting at the
    importer's desk, or would move that submission to another unit or region."""
    first_row = {}
    for result in results:
        if not result.reference:
            continue
        if result.reference in first_row:
            # Two updates of one submission in a file would skip a revision and its version row.
            result.add_error(
                _("Reference"),
                _("“%(reference)s” is also on row %(row)s: a file updates each submission once.")
                % {"reference": result.reference, "row": first_row[result.reference]},
            )
        else:
            first_row[result.reference] = result.number
    if not first_row:
        return
    known = {
        reference: (name, code, region_id)
        for reference, name, code, region_id in updatable(page, access)
        .filter(reference__in=first_row)
        .values_list("reference", "organisation__name", "organisation__credit_code", "region_id")
    }
    for result in results:
        if not result.reference:
            continue
        if result.reference not in known:
            result.add_error(
                _("Reference"),
                _("“%(reference)s” is not a submission to this form waiting at your desk.")
                % {"reference": result.reference},
            )
            continue
        name, code, region_id = known[result.reference]
        # An import corrects answers; which unit applied, and where, is not its to change.
        if name is not None and result.organisation != name:
            result.add_error(
                _("Organisation"),
                _("%(reference)s was made by “%(name)s”; an import cannot give it to another unit.")
                % {"reference": result.reference, "name": name},
            )
        if result.credit_code and code and result.credit_code != code:
            result.add_error(
                _("Unified social credit code"),
                _("%(reference)s was made by the unit with credit code %(code)s, not %(given)s.")
                % {"reference": result.reference, "code": code, "given": result.credit_code},
            )
        if region_id is not None and result.region is not None and result.region.pk != region_id:
            result.add_error(
                _("Region"),
                _("%(reference)s belongs to another region; an import cannot move it.")
                % {"reference": result.reference},
            )


def check_organisations(results):
    """Mark new rows whose credit code names a known unit under another name or region, or whose code
    the file gives to two different units."""
    rows = [result for result in results if not result.reference and result.credit_code]
    known = {
        unit.credit_code: unit
        for unit in Organisation.objects.filter(credit_code__in={r.credit_code for r in rows}).select_related(
            "region"
        )
    }
    first = {}
    for result in rows:
        code = result.credit_code
        unit = known.get(code)
        if unit is not None:
            if unit.name != result.organisation:
                result.add_error(
                    _("Organisation"),
                    _("The unit with credit code %(code)s is called “%(name)s”.")
                    % {"code": code, "name": unit.name},
                )
            if unit.region_id and result.region is not None and unit.region_id != result.region.pk:
                result.add_error(
                    _("Region"),
                    _("The unit with credit code %(code)s is in %(region)s.")
                    % {"code": code, "region": unit.region.name},
                )
            continue
        earlier = first.setdefault(code, result)
        region = getattr(result.region, "pk", None)
        if earlier is not result and (earlier.organisation, getattr(earlier.region, "pk", None)) != (
            result.organisation,
            region,
        ):
            result.add_error(
                _("Unified social credit code"),
                _("Row %(row)s gives credit code %(code)s to another unit or region.")
                % {"row": earlier.number, "code": code},
            )


def stored_answers(page, access, references):
    """Return ``{reference: answers}`` of the submissions named in a file that ``access`` may update."""
    references = {reference for reference in references if reference}
    if not references:
        return {}
    return dict(updatable(page, access).filter(reference__in=references).values_list("reference", "answers"))


def unmasked_cell(result, spec, text, answers):
    """Return the whole number behind a masked cell, from the stored ``answers`` of ``result``'s submission.

    A reviewer who may not unmask exports ID and bank numbers masked; such a cell, exactly as the
    export wrote it, means "keep what is stored". Anything else masked is the row's error (and
    ``None``): a new application, or a mask that is not the stored number's.
    """
    field_type = type_of(spec)
    stored = (answers or {}).get(spec["key"])
    if answers is not None and field_type.keeps_stored(spec, text, stored):
        result.kept_masked += 1
        return field_type.cell_converter(spec, masked=False)(stored)
    if result.reference:
        message = _(
            "This masked number (with “*”) is not the one stored for %(reference)s: give the whole "
            "number, or leave the cell as it was exported."
        ) % {"reference": result.reference}
    else:
        message = _("A masked number (with “*”) cannot start a new application: give the whole number.")
    result.add_error(spec["label"], message)
    return None


def check_rows(page, rows, access, version=None, tables=None, sheet_name="", progress=None):
    """Validate the data rows of ``rows`` (header first) for ``page``; return ``(results, header errors)``.

    Header errors (missing columns) stop the import; columns the form does not have are only
    reported (``ignored_columns``), so that an export of the list can be imported back. ``tables``
    (from ``match_table_sheets``) gives the rows of repeating tables and matrices.
    """

    schema = (version or page).schema
    tables = tables or {}
    builder = page.get_form_builder()
    fields = importable_fields(schema)
    wanted = {label: [label] for label in fixed_labels()}
    wanted.update({spec["label"]: headings(spec) for spec in fields if spec["label"] not in wanted})
    if not rows:
        return [], [_("The file is empty.")]
    header = [cell_text(c) for c in rows[0]]
    index, missing = find_columns(header, wanted)
    missing = [heading for heading in missing if heading != _("Reference")]  # new rows need none
    if missing:
        return [], [
            _("Columns missing: %(labels)s. Start from the template.") % {"labels": "、".join(missing)}
        ]
    allowed_regions = {r.name: r for r in access_regions(access)}
    context = ImportContext(Region.objects.select_related("parent__parent"))
    # One form class per step for the whole file; each row only binds its data.
    form_classes = {step["key"]: builder.get_form_class(step).for_checking_rows() for step in schema.steps}
    carried = {spec["key"] for spec in fields} | set(tables)
    at = index.get(_("Reference"))
    named = [cell_text(row[at]) for row in rows[1:] if at is not None and at < len(row)]
    stored = stored_answers(page, access, named)
    results = []
    total = len(rows) - 1
    for number, row in enumerate(rows[1:], start=2):
        if progress is not None and number % 200 == 0:
            progress(number - 1, total)
        cells = {label: cell_text(row[i]) if i < len(row) else "" for label, i in index.items()}
        if not any(cells.values()):
            continue  # blank line
        result = RowResult(number, sheet_name)
        result.carried = carried
        result.reference = cells.get(_("Reference"), "")
        result.organisation = cells[_("Organisation")]
        if not result.organisation:
            result.add_error(_("Organisation"), _("Name the organisation that applies."))
        elif result.organisation[0] in "=+-@" or len(result.organisation) > 200:
            # A unit made from such text would carry a spreadsheet formula into every later export.
            result.add_error(
                _("Organisation"),
                _("A unit's name has at most 200 characters and cannot begin with =, +, - or @."),
            )
        code = cells[_("Unified social credit code")].upper()
        try:
            if code:
                validate_credit_code(code)
                result.credit_code = code
            elif not result.reference:
                # Units are told apart by their code: a name alone could join any unit of that name.
                result.add_error(
                    _("Unified social credit code"),
                    _("Give the unit's unified social credit code (18 characters)."),
                )
        except ValidationError as error:
            result.add_error(_("Unified social credit code"), " ".join(error.messages))
        region = allowed_regions.get(cells[_("Region")])
        if region is None:
            result.add_error(
                _("Region"), _("“%(name)s” is not a region you review.") % {"name": cells[_("Region")]}
            )
        result.region = region
        answers = {}
        masked_errors = set()  # fields whose masked cell is already the row's error
        for step in schema.steps:
            if not schema.step_visible(step, answers):
                continue
            data = QueryDict(mutable=True)
            for spec in step["fields"]:
                text = cells.get(spec.get("label"), "")
                if spec.get("key") in carried and not type_of(spec).own_sheet and text:
                    if type_of(spec).looks_masked(spec, text):
                        text = unmasked_cell(result, spec, text, stored.get(result.reference))
                        if text is None:
                            masked_errors.add(spec["key"])
                            continue
                    raw = type_of(spec).parse(spec, text, context)
                    widget = form_classes[step["key"]].base_fields[spec["key"]].widget
                    for key, value in widget_data(widget, f"{step['key']}-{spec['key']}", raw).items():
                        data.setlist(key, value if isinstance(value, list) else [value])
            where = {}
            for spec in step["fields"]:
                if spec.get("key") in tables:
                    table = tables[spec["key"]]
                    rows = table.rows_of(result)
                    table_widget = form_classes[step["key"]].base_fields[spec["key"]].widget
                    posted, where[spec["key"]] = table.post_data(
                        step["key"], rows, context, getattr(table_widget, "cell_widgets", {})
                    )
                    data.update(posted)
                    heading = spec["options"].get("row_heading") or _("Row")
                    for number, label in table.unknown_rows(rows):
                        message = _("“%(label)s” is not a row of this table.") % {"label": label}
                        result.add_error(heading, message, sheet=table.name, row=number)
            form = form_classes[step["key"]](data, prefix=step["key"], answers=answers)
            for key in [k for k in form.fields if k not in carried]:
                del form.fields[key]  # files, and tables without a sheet: kept as they are
            if form.is_valid():
                answers.update(
                    {k: v for k, v in form.cleaned_data.items() if not is_empty(schema.get_field(k), v)}
                )
                continue
            for key, found in form.errors.as_data().items():
                if key in masked_errors:
                    continue
                spec = schema.get_field(key) if key != "__all__" else None
                column = spec["label"] if spec else step["title"]
                for error in found:
                    add_field_error(result, column, error, tables.get(key), where.get(key, {}))
        result.answers = answers
        results.append(result)
    if progress is not None:
        progress(total, total)
    return results, []


def add_field_error(result, column, error, table, where):
    """Add ``error`` to ``result``; a table cell's error goes to its own sheet, row and column."""
    params = error.params or {}
    cell = params.get("cell") or params  # the step form names the field around a cell's own message
    if table is not None and error.code == "cell" and cell.get("row") in where:
        result.add_error(cell["column"], cell["message"], sheet=table.name, row=where[cell["row"]])
        return
    for message in error.messages:
        result.add_error(column, message)  # e.g. too few rows: said of the application's own row


def ignored_columns(page, sheets):
    """Return what the import leaves out: main-sheet columns the form lacks (e.g. status), other sheets."""
    rows = sheets[0].rows if sheets else []
    labels = set(fixed_labels()) | {h for spec in importable_fields(page.schema) for h in headings(spec)}
    left_out = [
        cell_text(c) for c in (rows[0] if rows else []) if cell_text(c) and cell_text(c) not in labels
    ]
    tables, _errors = match_table_sheets(page.schema, sheets)
    claimed = {table.name for table in tables.values()}
    return left_out + [
        _("sheet “%(sheet)s”") % {"sheet": sheet.name} for sheet in sheets[1:] if sheet.name not in claimed
    ]


def importing_desk(access, region):
    """Return the importer's nearest desk covering ``region`` (``region`` itself for administrators)."""

    if access.is_superuser:
        return region
    chain = [region, *ancestors(region)]
    for candidate in chain:
        if candidate.pk in access.region_ids:
            return candidate
    return region


def access_regions(access):
    """Return the regions whose submissions ``access`` may import: its desks' regions and below."""
    return Region.objects.filter(access.within_q(None))


# --- saving --------------------------------------------------------------------------------------


def source_key(content):
    return hashlib.sha256(content).hexdigest()[:32]


@transaction.atomic
def save_rows(page, results, user, access, file_key):
    """Create or update one submission per row, all in one transaction; return ``(created, updated)``.

    Work is done in bulk: organisations, existing submissions and new references are each fetched or
    made with a handful of queries, whatever the number of rows.
    """
    if any(result.errors for result in results):
        raise ValueError("rows with errors cannot be saved")
    version = FormVersion.objects.latest_for(page) or FormVersion.objects.record(page)
    now = timezone.now()
    visible = updatable(page, access).select_related("organisation")  # search terms name the unit
    # Locked, in one order, so that an applicant's resubmission or a desk's write waits for this
    # update instead of being overwritten by it (or overwriting it).
    visible = visible.select_for_update(of=("self",)).order_by("pk")
    sources = {result.number: f"{file_key}:{result.number}" for result in results}
    existing = {
        **{s.import_source: s for s in visible.filter(import_source__in=sources.values())},
        **{
            s.reference: s
            for s in visible.filter(reference__in=[r.reference for r in results if r.reference])
        },
    }
    for result in results:
        if result.reference and result.reference not in existing:
            raise ValueError(f"row {result.number}: unknown reference")
    new_rows = [r for r in results if (r.reference or sources[r.number]) not in existing]
    organisations = ensure_organisations(new_rows)
    references = iter(Submission.objects.issue_references(page, len(new_rows), now))
    to_create, to_update, notes = [], [], []
    for result in results:
        submission = existing.get(result.reference or sources[result.number])
        answers = result.answers
        if submission is not None:
            # What the file does not carry (uploaded files, tables without a sheet) stays as it was.
            kept = {k: v for k, v in submission.answers.items() if k not in result.carried}
            answers = {**kept, **result.answers}
        # Which unit applied, and where, is set when a row is created and never changed by a file.
        fields = {"answers": answers, "form_version": version, "imported_by": user, "imported_at": now}
        if submission is None:
            # Paper applications are handled by the desk that imports them, not sent back down.
            submission = Submission(
                page=page,
                reference=next(references),
                import_source=sources[result.number],
                submitted_at=now,
                organisation=organisations[result.credit_code],
                region=result.region,
                stage_region=importing_desk(access, result.region),
                **fields,
            )
            submission.refresh_search_text()
            to_create.append(submission)
            notes.append((submission, "", _("Imported from a file (row %(n)s).") % {"n": result.number}))
        else:
            for name, value in fields.items():
                setattr(submission, name, value)
            submission.refresh_search_text()
            submission.revision += 1
            submission.updated_at = now  # bulk_update does not apply auto_now
            to_update.append(submission)
            text = _("Updated from a file (row %(n)s).") % {"n": result.number}
            notes.append((submission, submission.status, text))
    Submission.objects.bulk_create(to_create, batch_size=1000)
    SubmissionVersion.objects.record(to_create + to_update)
    Submission.objects.bulk_update(
        to_update,
        ["answers", "form_version", "search_text", "imported_by", "imported_at", "revision", "updated_at"],
        batch_size=1000,
    )  # fmt: skip
    SubmissionEvent.objects.bulk_create(
        [
            SubmissionEvent(
                submission=submission,
                actor=user,
                from_status=previous,
                to_status=submission.status,
                revision=submission.revision,
                text=text,
                desk=submission.stage_region,
                created_at=now,
            )
            for submission, previous, text in notes
        ],
        batch_size=1000,
    )
    return len(to_create), len(to_update)


def ensure_organisations(rows):
    """Return ``{credit code: Organisation}`` for the units of new ``rows``, making unknown ones at once."""
    wanted = {row.credit_code: row for row in rows}
    found = {unit.credit_code: unit for unit in Organisation.objects.filter(credit_code__in=wanted)}
    missing = [
        Organisation(name=row.organisation, credit_code=code, region=row.region)
        for code, row in wanted.items()
        if code not in found
    ]
    for unit in Organisation.objects.bulk_create(missing):
        found[unit.credit_code] = unit
    return found
