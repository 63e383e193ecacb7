"""Writing a set of submissions to XLSX, CSV or JSON, streaming from the database."""

from django.utils.translation import gettext as _

from forms_app.builder import cells
from forms_app.exchange.exports.columns import FIXED_KEYS, plan_for, table_headers, table_kinds, table_rows
from forms_app.exchange.exports.resources import resource_for
from forms_app.exchange.exports.writers import CsvWriter, JsonWriter, XlsxWriter
from forms_app.printing.pdf import submission_pdf

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv.zip": ("application/zip", "zip"),
    "json": ("application/json", "json"),
    "pdf": ("application/zip", "zip"),
}
CHUNK = 2000


def counted(items, total, progress=None, every=1000):
    """Yield ``items``, calling ``progress(done, total)`` every ``every`` items and once at the end."""
    done = 0
    for item in items:
        yield item
        done += 1
        if progress is not None and done % every == 0:
            progress(done, total)
    if progress is not None:
        progress(done, total)


def export_submissions(queryset, fmt, fileobj, masked=True, progress=None):
    """Write the submissions of ``queryset`` (one form) to ``fileobj``; return the format written.

    ``fmt`` is "xlsx", "csv" or "json"; CSV with repeating tables comes out as
    "csv.zip" (one file per table). ``progress(done, total)`` is called every
    thousand rows.
    """
    if fmt == "pdf":
        return export_pdfs(queryset, fileobj, masked, progress)
    plan = plan_for(queryset, masked=masked)
    resource = resource_for(plan)()
    total = queryset.count()
    rows = resource.iter_rows(queryset.order_by("submitted_at", "pk"), chunk_size=CHUNK)
    if fmt == "json":
        return _export_json(plan, rows, fileobj, total, progress)
    writer = XlsxWriter(fileobj) if fmt == "xlsx" else CsvWriter(fileobj)
    main = writer.add_sheet(_("Submissions"), resource.get_export_headers(), plan.cell_kinds)
    tables = [
        (spec, writer.add_sheet(spec["label"], table_headers(spec), table_kinds(spec)))
        for spec in plan.tables
    ]
    for row, answers in counted(rows, total, progress):
        main.add(row)
        for spec, sheet in tables:
            for line in table_rows(spec, row[0], answers.get(spec["key"])):
                sheet.add(line)
    writer.close()
    return "csv.zip" if fmt == "csv" and writer.zipped else fmt


def _export_json(plan, rows, fileobj, total, progress):
    writer = JsonWriter(fileobj)
    keys = FIXED_KEYS
    kinds = plan.cell_kinds
    for row, answers in counted(rows, total, progress):
        row = [cells.text_of(kind, cell) for kind, cell in zip(kinds, row, strict=True)]
        item = dict(zip(keys, row[: len(keys)], strict=True))
        item["answers"] = dict(zip(plan.keys, row[len(keys) :], strict=True))
        for spec in plan.tables:
            item["answers"][spec["key"]] = answers.get(spec["key"]) or None
        writer.add(item)
    writer.close()
    return "json"


def export_pdfs(queryset, fileobj, masked=True, progress=None):
    """Write one PDF per submission into a ZIP, named by reference."""
    import zipfile

    submissions = queryset.select_related("page", "form_version").order_by("submitted_at", "pk")
    rows = counted(submissions.iterator(chunk_size=200), queryset.count(), progress, every=20)
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in rows:
            archive.writestr(f"{submission.reference}.pdf", submission_pdf(submission, masked=masked))
    return "pdf"
