"""The printed attachment (附件N) as PDF, laid out with reportlab's platypus from the print tree.

Submissions and blank forms used to go through a Django template and xhtml2pdf, as summary lists
still do. A filled form is mostly table cells (a 60-row activity table is three pages), and there
xhtml2pdf cost about ten times what platypus, the library under it, costs for the same cells: the
HTML is parsed by html5lib and every element goes through the CSS cascade (≈ 2 × platypus on its
own), every cell becomes a ``KeepInFrame`` around xhtml2pdf's own paragraph class, copied at each
page break (≈ 3 ×), and ``<pdf:pagecount>`` lays the whole document out twice. Stripped of borders,
QR code and page count, one xhtml2pdf pass was still ≈ 4.7 × platypus, so no template or stylesheet
could reach the 4 × the printouts are held to (``bench/pdf_speed.py``). This module builds the same
page from the same tree (``render_answers`` in print or blank mode, as ``word.py`` does): the page
count goes into a form XObject that every footer shows and that is written once, at the end, so
one pass is enough.

Three rules of the paper form live here: a blank form's answer rows are as many lines of handwriting
as the field type asks for (``handwritten_lines``), each typed line break prints once (``text.py``,
shared with Word), and the stamp and signature block travels with the last rows (``KeptWithEnd``).
The page itself (frame, footer, page count, the title in the metadata) is ``render_document``, which
the summary list (``summary_list.py``) uses too.

What does not change between documents is made once per process: the fonts (``pdf.register_fonts``),
the paragraph and table styles (per pair of registered faces, so a changed font setting gets its
own), and the QR code's modules (per URL, so printing a copy again does not encode it again).
"""

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import dateformat
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from forms_app.printing.text import typed_lines
from forms_app.qr import QR_BORDER, qr_modules

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 2 * cm, 1.8 * cm, 2.2 * cm
WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
FOOTER_TOP, FOOTER_HEIGHT = 1.8 * cm, 1 * cm
QR_SIZE, QR_COLUMN = 2.2 * cm, 3.2 * cm
RULE, SHADE, FOOTER_GREY = 0.75, colors.HexColor("#f2f2f2"), colors.HexColor("#444444")
PAGE_COUNT = "shenbao-page-count"
ROW_PART = 30  # a row taller than what is left of the page is cut, into parts of at least two lines
NBSP = "\xa0"
HAND_LINE = 9 * mm  # one line of handwriting in a blank form's answer cell
FORM_PADDING, GRID_PADDING = 3, 2  # above and below a cell's content, in the form's and the tables' styles


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    attachment: ParagraphStyle
    caption: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    right: ParagraphStyle
    footer: ParagraphStyle
    form: TableStyle
    label: TableStyle
    grid: TableStyle
    top: TableStyle
    line: TableStyle
    stamp: TableStyle
    symbols: str


def _style(name, cjk, size, **options):
    # line-height 1.4, as the printed forms have always had; CJK wrapping breaks between any two characters.
    return ParagraphStyle(
        name, fontName=cjk, fontSize=size, leading=round(size * 1.4, 2), wordWrap="CJK", **options
    )


def _padded(vertical, horizontal, *commands):
    return TableStyle(
        [
            ("TOPPADDING", (0, 0), (-1, -1), vertical),
            ("BOTTOMPADDING", (0, 0), (-1, -1), vertical),
            ("LEFTPADDING", (0, 0), (-1, -1), horizontal),
            ("RIGHTPADDING", (0, 0), (-1, -1), horizontal),
            *commands,
        ]
    )


@lru_cache(maxsize=8)
def styles(cjk, symbols):
    """Return the styles of a printout drawn with the registered faces ``cjk`` and ``symbols``."""
    grid = ("GRID", (0, 0), (-1, -1), RULE, colors.black)
    return Styles(
        body=_style("body", cjk, 10.5),
        attachment=_style("attachment", cjk, 12),
        caption=_style("caption", cjk, 7, alignment=TA_CENTER),
        title=_style("title", cjk, 16, alignment=TA_CENTER, spaceBefore=4, spaceAfter=10),
        heading=_style("heading", cjk, 11, spaceBefore=8, spaceAfter=2),
        cell=_style("cell", cjk, 9.5, alignment=TA_CENTER),
        right=_style("right", cjk, 10.5, alignment=TA_RIGHT),
        footer=_style("footer", cjk, 8, textColor=FOOTER_GREY),
        form=_padded(
            FORM_PADDING, 4, grid, ("BACKGROUND", (0, 0), (0, -1), SHADE), ("VALIGN", (0, 0), (-1, -1), "TOP")
        ),
        label=_padded(
            3, 4, ("BOX", (0, 0), (-1, -1), RULE, colors.black), ("BACKGROUND", (0, 0), (-1, -1), SHADE)
        ),
        grid=_padded(GRID_PADDING, 3, grid, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")),
        top=_padded(0, 0, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, -1), "CENTER")),
        line=_padded(0, 0, ("VALIGN", (0, 0), (-1, -1), "TOP")),
        stamp=_padded(0, 0, ("VALIGN", (0, 0), (-1, -1), "BOTTOM")),
        symbols=symbols,
    )


class QrCode(Flowable):
    """The QR code of a URL, filled as one path: one PDF operator per run of dark modules."""

    def __init__(self, url, size=QR_SIZE):
        super().__init__()
        self.count, self.runs = qr_modules(url)
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        box = self.width / (self.count + 2 * QR_BORDER)
        path = self.canv.beginPath()
        for row, column, length in self.runs:
            path.rect(
                (column + QR_BORDER) * box, self.height - (row + QR_BORDER + 1) * box, length * box, box
            )
        self.canv.drawPath(path, stroke=0, fill=1)


def markup(text):
    """``text`` as paragraph markup: escaped, each typed line break once."""
    return "<br/>".join(escape(line) for line in typed_lines(text))


def value_markup(item, symbols):
    """What the value cell of ``item`` says: every option with its ☑ or □, file names, or the text."""
    if item.get("marks"):
        return "".join(
            f'<font face="{symbols}">{mark}</font>{markup(label)}'
            + (f"（{markup(other)}）" if other else "")
            + f"{NBSP}{NBSP} "
            for mark, label, other in item["marks"]
        )
    if item.get("files"):
        return "；".join(markup(f.get("name", "")) for f in item["files"])
    if item.get("empty"):
        return NBSP  # a line's height, like an answered row
    return markup(item.get("text", ""))


def top(context, style):
    page, url = context["page"], context.get("verify_url")
    attachment = Paragraph(markup(page.attachment_label), style.attachment)
    if not url:
        return [attachment]
    caption = Paragraph(markup(_("Scan to check this printout")), style.caption)
    table = Table(
        [[attachment, QrCode(url)], ["", caption]], colWidths=[WIDTH - QR_COLUMN, QR_COLUMN], style=style.top
    )
    return [table]


def handwriting(lines, padding):
    """Room for ``lines`` lines written by hand, in a cell padded by ``padding`` above and below."""
    return Spacer(1, lines * HAND_LINE - 2 * padding)


def value_cell(item, style):
    # A blank form's answer gets the lines its field type asks for (``handwritten_lines``).
    if item.get("lines") and not item.get("marks"):
        return handwriting(item["lines"], FORM_PADDING)
    return Paragraph(value_markup(item, style.symbols), style.body)


def form_rows(items, style):
    rows = [[Paragraph(markup(item["label"]), style.body), value_cell(item, style)] for item in items]
    return Table(rows, colWidths=[0.28 * WIDTH, 0.72 * WIDTH], style=style.form, splitInRow=ROW_PART)


def grid(item, style):
    table = item["table"]
    rows = [table["headers"], *table["rows"]]
    if table.get("totals"):
        rows.append(table["totals"])
    columns = max(len(row) for row in rows) or 1
    cells = [
        [Paragraph(markup(cell), style.cell) for cell in row] + [""] * (columns - len(row)) for row in rows
    ]
    if table.get("lines"):  # a blank form's table: each row as high as a line written by hand
        for row in cells[1:]:
            row[-1] = handwriting(table["lines"], GRID_PADDING)  # the last cell is empty in a blank row
    label = Table([[Paragraph(markup(item["label"]), style.body)]], colWidths=[WIDTH], style=style.label)
    label.spaceBefore = 4  # and no space below: the label's box closes on the table's top rule
    widths = [WIDTH / columns] * columns
    return [label, Table(cells, colWidths=widths, repeatRows=1, style=style.grid, splitInRow=ROW_PART)]


def stamp(style):
    date = _("Date:") + f"{NBSP * 4}年{NBSP * 4}月{NBSP * 4}日"
    cells = [
        Paragraph(markup(_("Applicant's signature:")), style.body),
        Paragraph(markup(_("Unit (stamp):")), style.body),
        Paragraph(markup(date), style.right),
    ]
    table = Table([cells], colWidths=[WIDTH / 3] * 3, rowHeights=[70], style=style.stamp)
    table.spaceBefore = 18
    return table


class KeptWithEnd(Flowable):
    """The last answers and the stamp and signature block, never parted by a page break.

    A signature alone at the top of a page signs nothing. Platypus's ``KeepTogether`` moves a whole
    flowable, which does not help a table longer than a page, so this one splits its ``body`` (the
    last table, with its repeated header) where the room left keeps the ``end`` on the same page:
    the last rows travel with the signature to the next page when the two do not fit together.
    """

    def __init__(self, body, end):
        super().__init__()
        self.body, self.end = body, end

    def _gap(self):
        return self.end.getSpaceBefore()

    def getSpaceBefore(self):
        return self.body.getSpaceBefore()

    def wrap(self, available_width, available_height):
        body_width, self.body_height = self.body.wrap(available_width, available_height)
        end_width, self.end_height = self.end.wrap(available_width, available_height)
        self.width = max(body_width, end_width)
        self.height = self.body_height + self._gap() + self.end_height
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        parts = self.body.split(available_width, available_height - self._gap() - self.end_height)
        if not parts:
            return []  # not even one row fits with the signature: all of it goes to the next page
        return [*parts[:-1], KeptWithEnd(parts[-1], self.end)]

    def draw(self):
        self.body.drawOn(self.canv, 0, self.end_height + self._gap())
        self.end.drawOn(self.canv, 0, 0)


def story(context, style):
    """The flowables of the printout, in the order of the printed attachment."""
    page = context["page"]
    flowables = top(context, style)
    flowables.append(Paragraph(markup(page.title), style.title))
    parts = context.get("header_parts")
    if parts:
        line = Table(
            [[Paragraph(markup(part), style.body) for part in parts]],
            colWidths=[WIDTH / len(parts)] * len(parts),
            style=style.line,
        )
        line.spaceAfter = 6
        flowables.append(line)
    for section in context["sections"]:
        flowables.append(Paragraph(markup(section["step"]["title"]), style.heading))
        for block in section["blocks"]:
            if "table" in block:
                flowables.extend(grid(block["table"], style))
            else:
                flowables.append(form_rows(block["rows"], style))
    if isinstance(flowables[-1], Table | Paragraph):
        flowables.append(KeptWithEnd(flowables.pop(), stamp(style)))
    else:
        flowables.append(stamp(style))
    return flowables


def footer_text(context):
    """The footer without its page numbers: the version row of a filled form, the notice, the print time."""
    parts = []
    submission, version = context.get("submission"), context.get("version")
    if submission is not None:
        parts.append(
            _("Reference %(reference)s · revision %(revision)s · fingerprint %(fingerprint)s")
            % {
                "reference": submission.reference,
                "revision": version.revision,
                "fingerprint": version.fingerprint,
            }
        )
    parts.append(getattr(context.get("notice"), "title", ""))
    parts.append(_("printed") + " " + dateformat.format(context["printed_at"], "Y-m-d H:i"))
    return " · ".join(parts) + " · "


def draw_footer(canvas, doc):
    """Draw the page's footer, "… · N/" followed by the page count's form, filled in at the end."""
    style = doc.printout_style.footer
    footer = Paragraph(markup(f"{doc.printout_footer}{doc.page}/"), style)
    _width, height = footer.wrap(doc.width, FOOTER_HEIGHT)
    y = FOOTER_TOP - height
    footer.drawOn(canvas, doc.leftMargin, y)
    # The last line's baseline, where platypus puts it: the first a font size (or the ascent) below the top.
    first = style.fontSize if rl_config.paraFontSizeHeightOffset else footer.blPara.lines[0].ascent
    baseline = y + height - first - (len(footer.blPara.lines) - 1) * style.leading
    canvas.saveState()
    canvas.translate(doc.leftMargin + footer.getActualLineWidths0()[-1], baseline)
    canvas.doForm(PAGE_COUNT)
    canvas.restoreState()


class PrintoutCanvas(Canvas):
    """A canvas that writes the page count, known once the last page is done, into the footers' form."""

    def __init__(self, *args, footer_style, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer_style = footer_style

    def save(self):
        self.beginForm(PAGE_COUNT)
        self.setFont(self._footer_style.fontName, self._footer_style.fontSize)
        self.setFillColor(self._footer_style.textColor)
        self.drawString(0, 0, str(self.getPageNumber() - 1))  # showPage has already moved past the last page
        self.endForm()
        super().save()


def render_document(flowables, style, footer, title, pagesize=A4, margins=None):
    """Return the PDF bytes of ``flowables`` on pages of ``pagesize`` with ``footer`` and the page count.

    ``margins`` is ``(top, side, bottom)``; ``title`` goes into the document's metadata.
    """
    top_margin, side, bottom = margins or (MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM)
    page_width, page_height = pagesize
    output = BytesIO()
    doc = BaseDocTemplate(
        output,
        pagesize=pagesize,
        leftMargin=side,
        rightMargin=side,
        topMargin=top_margin,
        bottomMargin=bottom,
        title=title,
        lang="zh-Hans",
    )
    frame = Frame(
        side,
        bottom,
        page_width - 2 * side,
        page_height - top_margin - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="printout", frames=[frame], onPage=draw_footer)])
    doc.printout_style, doc.printout_footer = style, footer

    def canvasmaker(*args, **kwargs):
        return PrintoutCanvas(*args, footer_style=style.footer, **kwargs)

    doc.build(flowables, canvasmaker=canvasmaker)
    return output.getvalue()


def render(context, faces):
    """Return the PDF bytes of the printout described by ``context`` (``pdf.pdf_context``)."""
    style = styles(faces["cjk"], faces["symbols"])
    return render_document(story(context, style), style, footer_text(context), context["document_title"])
