"""The summary list (一览表) as a PDF: title, the desk's header line, one bordered table on A4 landscape.

Laid out with platypus like the printed attachment (``attachment.py``: its footer, page count and
metadata), with columns sized by their content (``columns.py``): a reference or an ID number is
never split across lines, the columns of free text wrap instead, and when even that does not fit
the table's text gets smaller.
"""

from functools import lru_cache

from django.utils import dateformat
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Table, TableStyle

from forms_app.printing import attachment
from forms_app.printing.attachment import NBSP, RULE, SHADE, markup
from forms_app.printing.columns import SLACK, Measure, break_lines, fit

PAGE_SIZE = landscape(A4)
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 1.6 * cm, 1.5 * cm, 2.2 * cm
WIDTH = PAGE_SIZE[0] - 2 * MARGIN_SIDE
CELL_SIZE, CELL_PADDING, CELL_VERTICAL_PADDING = 9, 3, 2
TABLE_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), RULE, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_VERTICAL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_VERTICAL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
)


@lru_cache(maxsize=32)
def cell_style(face, size):
    """The style of the table's cells at ``size``: centred, with the printouts' line height."""
    return ParagraphStyle(
        f"summary-{size}", fontName=face, fontSize=size, leading=round(size * 1.35, 2), alignment=TA_CENTER
    )


def cell(text, width, measure, style):
    # Lines are broken here, between units, a little short of the cell's width (which has the slack
    # ``columns`` adds): each fits, so platypus breaks nothing further.
    lines = break_lines(text, width - SLACK / 2, measure)
    return Paragraph("<br/>".join(markup(line) for line in lines), style)


def grid(headers, rows, face):
    """The bordered table, its columns fitted to their texts, the header row repeated on every page."""
    texts = [[str(h) for h in headers], *[[str(value) for value in row] for row in rows]]
    size, widths = fit(texts, WIDTH, face, CELL_SIZE, 2 * CELL_PADDING)
    measure, style = Measure(face, size), cell_style(face, size)
    inner = [width - 2 * CELL_PADDING for width in widths]
    cells = [
        [cell(text, inner[column], measure, style) for column, text in enumerate(row)]
        + [""] * (len(widths) - len(row))
        for row in texts
    ]
    return Table(cells, colWidths=widths, repeatRows=1, style=TABLE_STYLE)


def render(title, header_line, headers, rows, printed_at, faces):
    """Return the PDF bytes of a summary list."""
    style = attachment.styles(faces["cjk"], faces["symbols"])
    title_style = ParagraphStyle("summary-title", parent=style.title, fontSize=15, leading=21, spaceAfter=8)
    line = Paragraph(markup(header_line.replace("  ", NBSP * 2)), style.body)
    line.spaceAfter = 6
    flowables = [Paragraph(markup(title), title_style), line, grid(headers, rows, faces["cjk"])]
    footer = _("printed") + " " + dateformat.format(printed_at, "Y-m-d H:i") + " · "
    margins = (MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM)
    return attachment.render_document(flowables, style, footer, title, PAGE_SIZE, margins)
