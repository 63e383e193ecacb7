"""The two steps of an import batch as background work: check the file and keep the findings, then save it."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forms_app.background.runner import WorkError
from forms_app.exchange import importing
from forms_app.exchange.models import ImportBatch
from forms_app.review.access import ReviewerAccess


def read_and_check(batch, access, progress=None):
    """Return ``(results, file errors, ignored columns)`` of ``batch``'s file, read from private storage."""
    with batch.file.open("rb") as handle:
        content = handle.read()
    try:
        sheets = importing.read_sheets(content, batch.name)
        results, header_errors = importing.check_file(batch.page, sheets, access, progress=progress)
        return results, header_errors, importing.ignored_columns(batch.page, sheets)
    except importing.ImportFileError as error:
        return [], [str(error)], []


def check(batch, progress):
    """Check ``batch``'s file as its reviewer stands now and keep every finding for the preview."""
    access = ReviewerAccess(batch.user)
    with translation.override(batch.language or None):
        results, header_errors, ignored = read_and_check(batch, access, progress)
        batch.report = {
            "rows": len(results),
            "updates": sum(1 for result in results if result.reference),
            "errors": [
                [str(sheet), row, str(column), str(message)]
                for result in results
                for sheet, row, column, message in result.errors
            ],
            "header_errors": [str(message) for message in header_errors],
            "ignored": [str(name) for name in ignored],
        }
    batch.stage = ImportBatch.Stage.CHECKED
    batch.save(update_fields=["report", "stage"])


def save(batch, progress):
    """Save every row of ``batch`` in one transaction, once: the stage moves to saved in the same one."""
    access = ReviewerAccess(batch.user)
    with translation.override(batch.language or None):
        # Checked again: the form, the reviewer's desks or the submissions may have changed since.
        results, header_errors, _ignored = read_and_check(batch, access)
        if header_errors or any(result.errors for result in results):
            raise WorkError(
                _("The file no longer passes its checks (the form or your desks changed): upload it again.")
            )
        progress(0, len(results))
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.stage != ImportBatch.Stage.SAVING:
                raise WorkError(_("This file was already saved."))
            created, updated = importing.save_rows(batch.page, results, batch.user, access, batch.file_key)
            ImportBatch.objects.filter(pk=batch.pk).update(
                stage=ImportBatch.Stage.SAVED, created=created, updated=updated, saved_at=timezone.now()
            )
        progress(len(results), len(results))
