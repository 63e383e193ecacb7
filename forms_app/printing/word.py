"""A Word (.docx) copy of a submission, in the same layout as its PDF.

The Zhejiang notice asks for the forms as Word files as well as stamped paper.
The document follows the PDF (``attachment.py``): 附件N, title,
header line, a bordered label/value table per step with ☑/□ for options,
tables as tables, and the stamp and signature line. It reads the same
sections as the PDF (``pdf.pdf_sections``), so both always agree.
"""

from io import BytesIO

from django.utils.translation import gettext as _

from forms_app.printing.pdf import pdf_sections
from forms_app.printing.printouts import current_version, verification_url

EAST_ASIAN_FONT = "宋体"


def set_font(run, size=None, bold=False):
    """Give ``run`` a Chinese font (Word needs it set for East Asian text separately)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = EAST_ASIAN_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def write(paragraph, text, size=10.5, bold=False):
    run = paragraph.add_run(text)
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


def submission_docx(submission, masked=True):
    """Return the .docx bytes of ``submission``, read against the form version it was made with."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    page = submission.page
    sections = pdf_sections(submission.form_version.schema, submission.answers, masked=masked)
    document = Document()
    write(document.add_paragraph(), page.attachment_label, size=12)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    write(title, page.title, size=16, bold=True)
    if page.pdf_header:
        write(document.add_paragraph(), "    ".join(p for p in page.pdf_header.split("；") if p))
    for section in sections:
        write(document.add_paragraph(), section["step"]["title"], size=11, bold=True)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for item in section["items"]:
            row = table.add_row()
            if item.get("table"):
                merged = row.cells[0].merge(row.cells[1])
                write(merged.paragraphs[0], item["label"])
                add_grid(merged, item["table"])
            else:
                write(row.cells[0].paragraphs[0], item["label"])
                write(row.cells[1].paragraphs[0], cell_text(item))
    document.add_paragraph()
    signature, unit, date = _("Applicant's signature:"), _("Unit (stamp):"), _("Date:")
    write(document.add_paragraph(), f"{signature}            {unit}            {date}      年    月    日")
    # The same code as on the PDF: a Word copy can be edited, the code still tells which version it was.
    version = current_version(submission)
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
    write(document.sections[0].footer.add_paragraph(), verification_url(version), size=7)
    output = BytesIO()
    document.save(output)
    return output.getvalue()
