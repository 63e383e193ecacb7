"""Printable PDFs of submissions, blank forms and summary lists, in the layout of the printed attachments.

The layout follows the Word tables of the notices: "附件N" at the top left, the
title, the header line (填报单位（盖章）, date), bordered label/value tables,
every option drawn as ☑ or □, tables as tables, and a stamp and signature area.
Everything is laid out with platypus: submissions and blank forms by ``attachment.py``
(it says why not xhtml2pdf), summary lists, one bordered table with columns sized by
their content, by ``summary_list.py``. Chinese text needs a TrueType CJK font (reportlab
cannot read the .ttc of Noto CJK): ``SHENBAO_PDF_CJK_FONT``, by default Debian's
fonts-arphic-gbsn00lp, and DejaVu Sans for the box characters. Both are installed by
``scripts/system-deps.sh``; a missing font is a clear error, never boxes in place of
characters. Nothing but these fonts is read: no template, no URL, no other file.
"""

from pathlib import Path

from django.utils import timezone

from forms_app import conf
from forms_app.builder.display import BLANK, PRINT, render_answers
from forms_app.printing import attachment, summary_list
from forms_app.printing.printouts import current_version, verification_url


class PdfFontMissing(RuntimeError):
    """The CJK or symbol font for PDFs is not installed; the message says how to fix it."""


def font_paths():
    """Return ``{"cjk": path, "symbols": path}``, or raise ``PdfFontMissing``."""
    paths = conf.pdf_fonts()
    for name, path in paths.items():
        if not Path(path).is_file():
            raise PdfFontMissing(
                f"The {name} font for PDFs is missing at {path}. Install Debian's fonts-arphic-gbsn00lp "
                "and fonts-dejavu-core (`bash scripts/system-deps.sh` does) or set SHENBAO_PDF_CJK_FONT / "
                "SHENBAO_PDF_SYMBOL_FONT to a TrueType (.ttf) file."
            )
        if not path.lower().endswith(".ttf"):
            raise PdfFontMissing(f"{path} is not a TrueType .ttf file; reportlab cannot embed it.")
    return paths


_faces = {}  # (name, path) → the face registered for that file


def register_fonts():
    """Load the TrueType fonts into reportlab once per process; return ``{"cjk": face, "symbols": face}``.

    Parsing a 5 MB CJK font takes longer than rendering a page, so the fonts are registered once
    here. Each file gets a face of its own, so what is kept under a face (reportlab's font table, the
    printouts' styles) never draws with another file when a font setting changes.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {}
    for name, path in font_paths().items():
        face = _faces.get((name, path))
        if face is None:
            face = f"shenbao-{name}-{len(_faces)}"
            pdfmetrics.registerFont(TTFont(face, path))
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(face, bold, italic, face)  # one weight: bold and italic use the same glyphs
            _faces[(name, path)] = face
        faces[name] = face
    return faces


def pdf_sections(schema, answers, masked=True, blank=False):
    """Return the sections of the printout: the answer renderer's tree, with options drawn as ☑ or □."""
    return render_answers(schema, answers, mode=BLANK if blank else PRINT, masked=masked)


def blocks(items):
    """Group a section's items into label/value runs and standalone tables.

    A repeating table nested in a cell of the label/value table could not break across pages, so
    tables stand on their own between runs.
    """
    grouped = []
    for item in items:
        if item.get("table"):
            grouped.append({"table": item})
        elif grouped and "rows" in grouped[-1]:
            grouped[-1]["rows"].append(item)
        else:
            grouped.append({"rows": [item]})
    return grouped


def document_title(page, submission=None):
    """The title a PDF's metadata and a Word copy's properties carry: the form's, and the reference."""
    return f"{page.title} {submission.reference}" if submission is not None else page.title


def pdf_context(page, schema, sections, submission=None):
    """Return the print context of a printout, the one tree the PDF (``attachment``) and Word copy read."""
    notice = page.get_notice() if hasattr(page, "get_notice") else None
    for section in sections:
        section["blocks"] = blocks(section["items"])
    # A filled form names the version it shows and carries a QR code of its verification page.
    version = current_version(submission) if submission is not None else None
    return {
        "document_title": document_title(page, submission),
        "page": page,
        "notice": notice,
        "sections": sections,
        "submission": submission,
        "version": version,
        "verify_url": verification_url(version) if version is not None else "",
        "header_parts": [part for part in (page.pdf_header or "").split("；") if part],
        "printed_at": timezone.localtime(),
    }


def printout_pdf(context):
    """Return the printed attachment described by ``context`` (``pdf_context``) as PDF bytes."""
    faces = register_fonts()  # fails early and clearly when a font is missing
    return attachment.render(context, faces)


def submission_pdf(submission, masked=True):
    """Return the PDF of a submission, read against the form version it was made with."""
    schema = submission.form_version.schema
    sections = pdf_sections(schema, submission.answers, masked=masked)
    return printout_pdf(pdf_context(submission.page, schema, sections, submission))


BLANK_PDF_SECONDS = 3600  # bounds how long a renamed region stays in a cached matrix


def blank_form_pdf(page):
    """Return the PDF of an empty form, for applicants who fill it in by hand.

    Every applicant of a form downloads the same document, so it is cached per published
    revision and language: publishing a change makes a new one.
    """
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = f"blank-pdf:{page.pk}:{page.live_revision_id}:{get_language()}"
    content = cache.get(key)
    if content is None:
        sections = pdf_sections(page.schema, {}, blank=True)
        content = printout_pdf(pdf_context(page, page.schema, sections))
        cache.set(key, content, BLANK_PDF_SECONDS)
    return content


def summary_pdf(title, header_line, headers, rows):
    """Return a summary list (一览表) as a landscape PDF: title, the desk's header line, a bordered table."""
    faces = register_fonts()  # fails early and clearly when a font is missing
    return summary_list.render(title, header_line, headers, rows, timezone.localtime(), faces)
