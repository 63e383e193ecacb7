"""The summary list (一览表) of a closed batch, as XLSX and PDF, written as background work."""

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from forms_app.background.runner import WorkError
from forms_app.printing.pdf import PdfFontMissing, summary_pdf
from forms_app.review.summary import header_line, summary_kinds, summary_rows, summary_xlsx


def batch_documents(page, region, submissions, when):
    """Return ``(xlsx, pdf)`` of the summary list of ``submissions`` with ``region``'s header line."""
    line = header_line(region, when)
    title = page.get_summary_title()
    headers, rows = summary_rows(submissions, page, masked=True)
    sheet_headers, cells = summary_rows(submissions, page, masked=True, typed=True)
    xlsx = summary_xlsx(title, line, sheet_headers, cells, summary_kinds(page))
    return xlsx, summary_pdf(title, line, headers, rows)


def write(documents, progress):
    """Write the batch's two files from its entries, in the order they were closed (a handler)."""
    batch = documents.batch
    submissions = [
        entry.submission
        for entry in batch.entries.select_related(
            "submission__organisation", "submission__region", "submission__form_version"
        ).order_by("submission__submitted_at", "submission__pk")
    ]
    progress(0, 2)
    try:
        xlsx, pdf = batch_documents(batch.page, batch.region, submissions, batch.closed_at)
    except PdfFontMissing as missing:
        raise WorkError(
            _("This server is missing the Chinese font the summary list PDF is made with: %(detail)s")
            % {"detail": missing}
        ) from missing
    progress(1, 2)
    batch.summary_xlsx.save(f"batch-{batch.number}.xlsx", ContentFile(xlsx), save=False)
    batch.summary_pdf.save(f"batch-{batch.number}.pdf", ContentFile(pdf), save=False)
    batch.save(update_fields=["summary_xlsx", "summary_pdf"])
    progress(2, 2)
