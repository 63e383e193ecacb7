"""A Word (.docx) copy of a submission, in the same layout as its PDF.

The Zhejiang notice asks for the forms as Word files as well as stamped paper.
The document follows the PDF (``attachment.py``) and reads the same print context
(``pdf.pdf_context``: sections, header line, verification URL, title), so both always
agree: 附件N with the QR code of the verification page, title, header line, a bordered
label/value table per step with ☑/□ for options, tables as tables, and the stamp and
signature line kept on the page of the last answers. The page is A4 with the margins of
GB/T 9704 (official documents): 37 mm top, 35 mm bottom, 28 mm left, 26 mm right.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from forms_app.printing.pdf import pdf_context, pdf_sections
from forms_app.printing.text import typed_lines
from forms_app.qr import qr_png

EAST_ASIAN_FONT = "宋体"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)  # GB/T 9704
QR_WIDTH = Mm(22)


def set_font(run, size=None, bold=False):
    """Give ``run`` a Chinese font (Word needs it set for East Asian text separately)."""
    run.font.name = EAST_ASIAN_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def write(paragraph, text, size=10.5, bold=False):
    """Add ``text`` to ``paragraph``, each typed line break once as a Word line break."""
    run = paragraph.add_run()
    for number, line in enumerate(typed_lines(text)):
        if number:
            run.add_break()
        run.add_text(line)
    set_font(run, size, bold)
    return run


def cell_text(item):
    """Return what the value cell of ``item`` says, as the PDF prints it."""
    if item.get("marks"):
        return "  ".join(
            f"{mark}{label}" + (f"（{other}）" if other else "") for mark, label, other in item["marks"]
        )
    if item.get("files"):
        return "；".join(f.get("name", "") for f in item["files"])
    return "" if item.get("empty") else str(item.get("text", ""))


def add_grid(cell, table_data):
    """Put a table's headers, rows and totals in ``cell`` as a bordered table."""
    headers = table_data["headers"]
    rows = list(table_data["rows"]) + ([table_data["totals"]] if table_data.get("totals") else [])
    grid = cell.add_table(rows=1 + len(rows), cols=len(headers))
    grid.style = "Table Grid"
    for row_index, values in enumerate([headers, *rows]):
        for column, value in enumerate(values):
            write(grid.cell(row_index, column).paragraphs[0], str(value), size=9, bold=row_index == 0)


def set_page(document):
    """A4 portrait with the GB/T 9704 margins, on every section."""
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT


def add_top(document, context):
    """附件N at the left and, for a filled form, the QR code of its verification page at the right."""
    label = context["page"].attachment_label
    url = context.get("verify_url")
    if not url:
        write(document.add_paragraph(), label, size=12)
        return
    top = document.add_table(rows=1, cols=2)  # no style: no borders
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = top.rows[0].cells
    width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    left.width, right.width = width - Mm(32), Mm(32)
    write(left.paragraphs[0], label, size=12)
    code = right.paragraphs[0]
    code.alignment = WD_ALIGN_PARAGRAPH.CENTER
    code.add_run().add_picture(BytesIO(qr_png(url)), width=QR_WIDTH)
    caption = right.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    write(caption, _("Scan to check this printout"), size=7)


def keep_with_next(row):
    """Keep the paragraphs of ``row`` on the page of what follows (the signature line)."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    row._tr.get_or_add_trPr().append(row._tr.makeelement(qn("w:cantSplit"), {}))


def submission_docx(submission, masked=True):
    """Return the .docx bytes of ``submission``, read against the form version it was made with."""
    page, schema = submission.page, submission.form_version.schema
    context = pdf_context(page, schema, pdf_sections(schema, submission.answers, masked=masked), submission)
    document = Document()
    set_page(document)
    document.core_properties.title = context["document_title"]
    add_top(document, context)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    write(title, page.title, size=16, bold=True)
    if context["header_parts"]:
        write(document.add_paragraph(), "    ".join(context["header_parts"]))
    last_row = None
    for section in context["sections"]:
        write(document.add_paragraph(), section["step"]["title"], size=11, bold=True)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for item in section["items"]:
            last_row = row = table.add_row()
            if item.get("table"):
                merged = row.cells[0].merge(row.cells[1])
                write(merged.paragraphs[0], item["label"])
                add_grid(merged, item["table"])
            else:
                write(row.cells[0].paragraphs[0], item["label"])
                write(row.cells[1].paragraphs[0], cell_text(item))
    if last_row is not None:
        keep_with_next(last_row)
    gap = document.add_paragraph()
    gap.paragraph_format.keep_with_next = True
    signature, unit, date = _("Applicant's signature:"), _("Unit (stamp):"), _("Date:")
    write(document.add_paragraph(), f"{signature}            {unit}            {date}      年    月    日")
    # The same code as on the PDF: a Word copy can be edited, the code still tells which version it was.
    version = context["version"]
    footer = document.sections[0].footer.paragraphs[0]
    write(
        footer,
        _("Reference %(reference)s · revision %(revision)s · fingerprint %(fingerprint)s")
        % {
            "reference": submission.reference,
            "revision": version.revision,
            "fingerprint": version.fingerprint,
        },
        size=8,
    )
    write(document.sections[0].footer.add_paragraph(), context["verify_url"], size=7)
    output = BytesIO()
    document.save(output)
    return output.getvalue()
