"""Printable PDFs of submissions, blank forms and summary lists, in the layout of the printed attachments.

The layout follows the Word tables of the notices: "附件N" at the top left, the
title, the header line (填报单位（盖章）, date), bordered label/value tables,
every option drawn as ☑ or □, tables as tables, and a stamp and signature area.
Submissions and blank forms are laid out by ``attachment.py`` with platypus (it
says why not xhtml2pdf); summary lists, one bordered table, by xhtml2pdf from a
template. Chinese text needs a TrueType CJK font (reportlab cannot read the .ttc of
Noto CJK): ``SHENBAO_PDF_CJK_FONT``, by default Debian's fonts-arphic-gbsn00lp, and
DejaVu Sans for the box characters. Both are installed by
``scripts/system-deps.sh``; a missing font is a clear error, never boxes in
place of characters. The renderers may read only these fonts and the project's
static files: no remote URLs, no other paths.
"""

from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import FileSystemFinder
from django.template.loader import render_to_string
from django.utils import timezone

from forms_app import conf
from forms_app.builder.display import BLANK, PRINT, render_answers
from forms_app.printing import attachment
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

    Parsing a 5 MB CJK font takes longer than rendering a page; ``@font-face`` would do it for every
    document, so the fonts are registered here and mapped in xhtml2pdf's default font table instead.
    Each file gets a face of its own, so what is kept under a face (reportlab's font table, the
    printouts' styles) never draws with another file when a font setting changes.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from xhtml2pdf import default

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
        default.DEFAULT_FONT[name] = face
        faces[name] = face
    return faces


def link_callback(uri, rel):
    """Resolve the template's resources: the fonts by name, static files by path; refuse anything else."""
    if uri.startswith("font:"):
        return font_paths()[uri.removeprefix("font:")]
    if uri.startswith(settings.STATIC_URL):
        found = finders.find(uri.removeprefix(settings.STATIC_URL))
        if found:
            return found
    raise ValueError(f"PDFs may not load {uri!r}")


def render_pdf(template, context):
    """Render ``template`` with ``context`` to PDF bytes."""
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    register_fonts()  # fails early and clearly when a font is missing
    html = render_to_string(template, context)
    output = BytesIO()
    # No network at all; local reads only in the static folders and the fonts' folders.
    policy = ResourceAccessPolicy.server(
        base_dir=None,
        extra_roots=(
            *(Path(path).parent for path in font_paths().values()),
            *(Path(root) for _prefix, root in FileSystemFinder().locations),
        ),
        allow_remote=False,
    )
    result = pisa.CreatePDF(
        html, dest=output, link_callback=link_callback, encoding="utf-8", resource_policy=policy
    )
    if result.err:
        raise RuntimeError(f"xhtml2pdf could not render {template}")
    return output.getvalue()


def pdf_sections(schema, answers, masked=True, blank=False):
    """Return the sections of the printout: the answer renderer's tree, with options drawn as ☑ or □."""
    return render_answers(schema, answers, mode=BLANK if blank else PRINT, masked=masked)


def blocks(items):
    """Group a section's items into label/value runs and standalone tables.

    A repeating table nested in a cell of the label/value table cannot break across pages cheaply
    (xhtml2pdf copies the whole cell to split it), so tables stand on their own between runs.
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
    context = {"title": title, "header_line": header_line, "headers": headers, "rows": rows}
    context["printed_at"] = timezone.localtime()
    return render_pdf("shenbao_printing/pdf/summary_list.html", context)
