"""The two steps of an import batch as background work: check the file and keep the findings, then save it.

The check keeps the rows it cleaned, with a fingerprint of what its verdict rests on (the form as built,
the region list, the reviewer's desks). The save writes those rows when the fingerprint still holds and
the references still point at submissions waiting at the reviewer's desk; otherwise it checks the file
again, so a changed form or desk is never saved past.
"""

import hashlib
import json

from django.core.files.base import ContentFile
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


def checked_against(page, access):
    """Return a fingerprint of what a check's verdict rests on: the form as built and the desks."""
    facts = [page.content_key, access.is_superuser, sorted(access.region_ids)]
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


def keep_checked_rows(batch, access, results):
    """Store the cleaned rows with the fingerprint of this check, for the save."""
    content = json.dumps(
        {"against": checked_against(batch.page, access), "rows": [result.as_data() for result in results]},
        ensure_ascii=False,
    )
    batch.checked.save(f"{batch.file_key}.checked.json", ContentFile(content.encode()), save=False)


def kept_rows(batch, access):
    """Return the rows the check kept, or None when there are none or what they rest on changed."""
    if not batch.checked:
        return None
    with batch.checked.open("rb") as handle:
        kept = json.loads(handle.read())
    if kept.get("against") != checked_against(batch.page, access):
        return None
    results = importing.rows_from_data(kept["rows"])
    # A submission may have moved on, or a unit been registered, since the check: the database is asked again.
    importing.check_against_database(batch.page, results, access)
    return results


def forget_checked_rows(batch):
    if batch.checked:
        batch.checked.delete(save=False)


def check(batch, progress):
    """Check ``batch``'s file as its reviewer stands now and keep every finding for the preview."""
    access = ReviewerAccess(batch.user)
    with translation.override(batch.language or None):
        results, header_errors, ignored = read_and_check(batch, access, progress)
        errors = [
            [str(sheet), row, str(column), str(message)]
            for result in results
            for sheet, row, column, message in result.errors
        ]
        batch.report = {
            "rows": len(results),
            "updates": sum(1 for result in results if result.reference),
            "kept_masked": sum(result.kept_masked for result in results),
            "errors": errors,
            "header_errors": [str(message) for message in header_errors],
            "ignored": [str(name) for name in ignored],
        }
    forget_checked_rows(batch)
    if results and not errors and not header_errors:
        keep_checked_rows(batch, access, results)
    batch.stage = ImportBatch.Stage.CHECKED
    batch.save(update_fields=["report", "stage", "checked"])


def save(batch, progress):
    """Save every row of ``batch`` in one transaction, once: the stage moves to saved in the same one."""
    access = ReviewerAccess(batch.user)
    with translation.override(batch.language or None):
        results = kept_rows(batch, access)
        header_errors = []
        if results is None:
            # The form, the regions or the reviewer's desks changed since the preview: check it all again.
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
                stage=ImportBatch.Stage.SAVED,
                created=created,
                updated=updated,
                saved_at=timezone.now(),
                checked="",
            )
        forget_checked_rows(batch)
        progress(len(results), len(results))
