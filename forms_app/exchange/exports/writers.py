"""Constant-memory writers for XLSX, CSV and JSON, with formula and XML escaping done per row.

A row is joined into one string, escaped with one regular expression (cells
a spreadsheet would run as a formula get a leading ') and one ``translate``
(XML entities, characters XML forbids), then split again: the work per cell
happens in C. The XLSX writer writes SpreadsheetML with inline strings
straight into the zip, one sheet at a time; extra sheets wait in temporary
files, so memory stays flat whatever the number of rows.

Each column has a cell kind (``forms_app.builder.cells``, asked of the field
type): numbers are number cells, dates and times date cells with a date
format, codes text cells formatted as text, so Excel, WPS and LibreOffice
neither round a bank account nor drop a postcode's leading zero. Only the
date columns cost Python per cell. An import template's sheet also carries
drop-down lists and input rules (data validation).
"""

import csv
import json
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from functools import lru_cache
from itertools import repeat
from xml.sax.saxutils import quoteattr

from forms_app.builder import cells as kinds
from forms_app.exchange.exports.names import file_stem

SEP = "\ue000"  # a private-use character joins the cells of a row; rows containing it take the slow path
# Cells a spreadsheet would run as a formula (OWASP): leading = + - @, tab or carriage return.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids (other than tab, newline and carriage return): dropped.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    """Return ``text`` escaped for an XML text node, without the characters XML forbids."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ILLEGAL_XML.sub("", text) if ILLEGAL_XML.search(text) else text


def escape_formula(value):
    """Return ``value`` as text that a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def escaped_cells(cells):
    """Return the cells as strings with formulas neutralised; rows without any cost no Python per cell."""
    parts = list(map(str, cells))
    if any(map(str.startswith, parts, repeat(FORMULA_PREFIXES))):
        return [escape_formula(part) for part in parts]
    return parts


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# The cell styles of STYLES, by kind: 0 plain, 1 bold (headers), 2 date, 3 date and time, 4 text.
STYLE = {kinds.DATE: 2, kinds.DATETIME: 3, kinds.CODE: 4}
STRING = '<c%s t="inlineStr"><is><t xml:space="preserve">%%s</t></is></c>'
CELL = {
    kinds.TEXT: STRING % "",
    kinds.CODE: STRING % ' s="4"',
    kinds.NUMBER: "<c><v>%s</v></c>",
    kinds.DATE: "%s",  # the whole cell, made by date_cell()
    kinds.DATETIME: "%s",
}


def date_cell(kind, value):
    """The XML of one date (or date and time) cell; text that is no date stays a text cell."""
    if value in ("", None):
        return "<c/>"
    if kind == kinds.DATETIME and isinstance(value, datetime):
        return f'<c s="{STYLE[kinds.DATETIME]}"><v>{kinds.serial(value)}</v></c>'
    if not isinstance(value, str | date):  # an answer of another shape: written as its text
        return STRING % "" % xml_text(escape_formula(value))
    return plain_date_cell(value)


@lru_cache(maxsize=4096)
def plain_date_cell(value):
    """A date answer's cell, once per distinct date: a column of dates repeats a few hundred days."""
    when = kinds.as_date(value)
    if when is None:
        return STRING % "" % xml_text(escape_formula(value))
    return f'<c s="{STYLE[kinds.DATE]}"><v>{kinds.serial(when)}</v></c>'


def quoted(text):
    return '"' + text.replace('"', '""') + '"'


def fits_a_list(choices):
    """Whether ``choices`` can be an inline drop-down list: no comma in a choice, 255 characters in all."""
    return bool(choices) and not any("," in c for c in choices) and len(",".join(choices)) <= 255


def data_validation(column, rows, choices=None, lengths=None, prompt=""):
    """The XML of a column's data validation: a drop-down list of ``choices``, or a length rule."""
    letter = column_letter(column)
    prompt = ILLEGAL_XML.sub("", prompt)
    message = f" promptTitle={quoteattr(prompt[:32])} prompt={quoteattr(prompt[:255])}" if prompt else ""
    common = (
        f'allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="{letter}2:{letter}{rows}"{message}'
    )
    if choices:
        listed = xml_text(quoted(",".join(choices)))
        return f'<dataValidation type="list" {common}><formula1>{listed}</formula1></dataValidation>'
    if lengths:
        low, high = lengths
        return (
            f'<dataValidation type="textLength" operator="between" {common}>'
            f"<formula1>{low}</formula1><formula2>{high}</formula2></dataValidation>"
        )
    return f'<dataValidation type="none" {common}/>'


class Sheet:
    """One worksheet being written: its rows go to a temporary file until the workbook closes."""

    def __init__(self, name, headers, kinds_of_columns):
        self.name = name
        self.width = len(headers)
        self.rows = 0
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in copy_to()
        self.kinds = list(kinds_of_columns)
        self.template = "".join(CELL[kind] for kind in self.kinds)
        self.has_numbers = kinds.NUMBER in self.kinds
        self.dates = [(i, k) for i, k in enumerate(self.kinds) if k in (kinds.DATE, kinds.DATETIME)]
        self.validations = []
        self.buffer = []
        header_cells = "".join(STRING % ' s="1"' % xml_text(escape_formula(h)) for h in headers)
        self.header = f'<row r="1">{header_cells}</row>'

    def validate(self, column, choices=None, lengths=None, prompt="", rows=1000):
        """Give ``column`` (an index) a drop-down list of ``choices``, a ``(fewest, most)`` length rule
        or only a ``prompt``, over its first ``rows`` rows."""
        self.validations.append(data_validation(column, rows, choices, lengths, prompt))

    def add(self, cells):
        self.rows += 1
        # One string per row through the escapes, then split back into cells: C does the per-cell work.
        parts = xml_text(SEP.join(map(str, cells))).split(SEP)
        if len(parts) != self.width:  # a cell held the separator itself
            parts = [xml_text(str(cell)) for cell in cells]
        if any(map(str.startswith, parts, repeat(FORMULA_PREFIXES))):
            parts = [escape_formula(part) for part in parts]
        for index, kind in self.dates:
            parts[index] = date_cell(kind, cells[index])
        line = self.template % tuple(parts)
        if self.has_numbers:
            # A number cell is left empty when unanswered; negative numbers keep their sign.
            line = line.replace("<c><v></v></c>", "<c/>").replace("<v>'", "<v>")
        self.buffer.append(f'<row r="{self.rows + 1}">{line}</row>')
        if len(self.buffer) >= 500:
            self.flush()

    def flush(self):
        if self.buffer:
            self.file.write("".join(self.buffer).encode())
            self.buffer = []

    def copy_to(self, target):
        self.flush()
        self.file.seek(0)
        last = column_letter(max(self.width, 1) - 1)
        target.write(
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:{last}{self.rows + 1}"/>'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" state="frozen"/>'
                "</sheetView></sheetViews>" + self.columns() + "<sheetData>" + self.header
            ).encode()
        )
        shutil.copyfileobj(self.file, target, 1 << 20)
        target.write(b"</sheetData>")
        if self.validations:
            listed = "".join(self.validations)
            target.write(
                f'<dataValidations count="{len(self.validations)}">{listed}</dataValidations>'.encode()
            )
        target.write(b"</worksheet>")
        self.file.close()

    def columns(self):
        """Column styles, so that what is typed later into a code or date column takes its format too."""
        styled = [
            f'<col min="{i + 1}" max="{i + 1}" width="{18 if kind == kinds.DATETIME else 14}" '
            f'style="{STYLE[kind]}" customWidth="1"/>'
            for i, kind in enumerate(self.kinds)
            if kind in STYLE
        ]
        return f"<cols>{''.join(styled)}</cols>" if styled else ""


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "%s</Types>"
)
SHEET_TYPE = '<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode={quoteattr(kinds.NUMBER_FORMATS[kinds.DATE])}/>'
    f'<numFmt numFmtId="165" formatCode={quoteattr(kinds.NUMBER_FORMATS[kinds.DATETIME])}/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

# Excel refuses a sheet name over 31 characters (counted in UTF-16), with any of []:*?/\, starting or
# ending with an apostrophe, or equal to another sheet's name in any case; "History" is its own.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\ufffe\uffff]")


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


def clip(text, length):
    """``text`` cut to ``length`` UTF-16 units, never through a character outside the BMP."""
    while utf16_length(text) > length:
        text = text[:-1]
    return text


def sheet_title(name, taken):
    """Return a valid, unique sheet name: at most 31 characters, none of []:*?/\\, no edge apostrophe."""
    spaced = re.sub(r"\s+", " ", SHEET_NAME_FORBIDDEN.sub(" ", str(name)))
    clean = clip(spaced.strip().strip("'").strip(), 31).strip().strip("'")
    if not clean or clean.casefold() == "history":
        clean = (clean + " " if clean else "") + "Sheet"
    title, n = clean, 2
    folded = {t.casefold() for t in taken}
    while title.casefold() in folded:
        suffix = f" ({n})"
        title, n = clip(clean, 31 - len(suffix)).rstrip().rstrip("'") + suffix, n + 1
    taken.add(title)
    return title


class XlsxWriter:
    """Write several sheets of rows to an XLSX file object, in constant memory."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sheets = []
        self.titles = set()

    def add_sheet(self, name, headers, kinds_of_columns=None):
        """A new sheet; ``kinds_of_columns`` gives each column's cell kind (text when not given)."""
        sheet = Sheet(
            sheet_title(name, self.titles), headers, kinds_of_columns or [kinds.TEXT] * len(headers)
        )
        self.sheets.append(sheet)
        return sheet

    def close(self):
        with zipfile.ZipFile(self.fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            overrides = "".join(SHEET_TYPE % n for n in range(1, len(self.sheets) + 1))
            archive.writestr("[Content_Types].xml", CONTENT_TYPES % overrides)
            archive.writestr("_rels/.rels", ROOT_RELS)
            archive.writestr("xl/styles.xml", STYLES)
            sheets = "".join(
                f'<sheet name={quoteattr(s.name)} sheetId="{n}" r:id="rId{n}"/>'
                for n, s in enumerate(self.sheets, start=1)
            )
            archive.writestr(
                "xl/workbook.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f"<sheets>{sheets}</sheets></workbook>",
            )
            relations = "".join(
                f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(self.sheets) + 1)
            )
            styles = (
                f'<Relationship Id="rId{len(self.sheets) + 1}" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            )
            archive.writestr(
                "xl/_rels/workbook.xml.rels",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f"{relations}{styles}</Relationships>",
            )
            for n, sheet in enumerate(self.sheets, start=1):
                with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as target:
                    sheet.copy_to(target)


class CsvSheet:
    """One CSV file being written (UTF-8 with a BOM, so that Excel reads Chinese correctly).

    CSV has no cell types: codes are written as the exact digits, which programs reading CSV get
    whole, but which Excel and LibreOffice, opening the file, read as numbers (rounding a bank
    account, dropping a postcode's leading zero). Every way to make both read them as text is a
    formula (="…") or changes the text, so the CSV stays exact for programs and XLSX is the file
    for people (the export form says so).
    """

    def __init__(self, name, headers, kinds_of_columns=None):
        self.name = name
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.file)
        self.writer.writerow(escaped_cells(headers))
        self.dates = [
            (i, k) for i, k in enumerate(kinds_of_columns or []) if k in (kinds.DATE, kinds.DATETIME)
        ]

    def add(self, cells):
        if self.dates:
            cells = list(cells)
            for index, kind in self.dates:
                cells[index] = kinds.text_of(kind, cells[index])
        self.writer.writerow(escaped_cells(cells))


class CsvWriter:
    """Write the main rows as one CSV; with table sheets, a ZIP of one CSV per sheet."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sheets = []
        self.titles = set()

    def add_sheet(self, name, headers, kinds_of_columns=None):
        sheet = CsvSheet(sheet_title(name, self.titles), headers, kinds_of_columns)
        self.sheets.append(sheet)
        return sheet

    @property
    def zipped(self):
        return len(self.sheets) > 1

    def close(self):
        for sheet in self.sheets:
            sheet.file.flush()
            sheet.file.buffer.seek(0)
        if not self.zipped:
            shutil.copyfileobj(self.sheets[0].file.buffer, self.fileobj, 1 << 20)
            return
        with zipfile.ZipFile(self.fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for sheet in self.sheets:
                # Named so that unzipping works on Windows too (no " in a file name there).
                with archive.open(f"{file_stem(sheet.name, 'Sheet')}.csv", "w", force_zip64=True) as target:
                    shutil.copyfileobj(sheet.file.buffer, target, 1 << 20)


class JsonWriter:
    """Write one JSON array of objects, a record at a time."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.first = True
        fileobj.write(b"[\n")

    def add(self, record):
        prefix = b"" if self.first else b",\n"
        self.first = False
        self.fileobj.write(prefix + json.dumps(record, ensure_ascii=False, default=str).encode())

    def close(self):
        self.fileobj.write(b"\n]\n")
