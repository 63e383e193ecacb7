"""How long personal data is kept: old drafts, orphan uploads and import files purged; old rounds anonymised.

``purge(now, dry_run)`` does what the ``purge_personal_data`` command runs each night:

- drafts never submitted and not saved for ``SHENBAO_PURGE_DRAFTS_AFTER_DAYS`` are deleted, with their files;
- uploads no draft or submission holds (rows, and files in the private store's ``uploads/`` without a row)
  older than ``SHENBAO_PURGE_ORPHAN_UPLOADS_AFTER_DAYS`` are deleted;
- an import's uploaded file and checked rows are deleted ``SHENBAO_PURGE_IMPORT_FILES_AFTER_DAYS`` after it
  was uploaded (the import's record, with its counts, stays);
- the submissions of a form whose round closed more than its ``keep_submissions_years`` ago are anonymised:
  each answer is replaced by what its field type keeps (``display.anonymised_answers``: figures, choices,
  dates and regions stay; free text, contacts, addresses, ID and bank numbers go), in every version too;
  their files and stamped scans are deleted, the applicant's account and draft detached, and the form's
  export files and batch lists deleted. Reference, organisation, region, status and history stay.

Rows change in transactions; files are deleted from the store only after the rows that named them are
gone, so a failure leaves at most a stray file for the next run. A run is written to the audit log.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_app import conf
from forms_app.applications.models import ApplicationFormPage, Draft, Submission, UploadedFile
from forms_app.applications.models.versions import SubmissionVersion
from forms_app.applications.storage import private_storage
from forms_app.background.models import WorkStatus
from forms_app.builder.display import anonymised_answers
from forms_app.exchange.models import ExportJob, ImportBatch
from forms_app.review import audit
from forms_app.review.models import AuditLogEntry
from forms_app.rounds.models import RecommendationBatch

UPLOADS = "uploads"


@dataclass
class Outcome:
    """What a run purged (or, dry, would purge)."""

    drafts: int = 0
    orphan_uploads: int = 0
    stray_files: int = 0
    import_files: int = 0
    anonymised: int = 0
    submission_files: int = 0
    #: Names in the private store to delete once the rows are gone.
    doomed: list = field(default_factory=list)

    def lines(self):
        return [
            _("Drafts deleted: %(n)s") % {"n": self.drafts},
            _("Orphan uploads deleted: %(n)s") % {"n": self.orphan_uploads + self.stray_files},
            _("Imports whose files were deleted: %(n)s") % {"n": self.import_files},
            _("Submissions anonymised: %(n)s") % {"n": self.anonymised},
            _("Files of anonymised submissions and forms deleted: %(n)s") % {"n": self.submission_files},
        ]


def cutoff(now, days):
    """The instant before which something ``days`` old is due, or None when the setting says never."""
    return now - timedelta(days=days) if days else None


def years_after(moment, years):
    """``moment`` moved on by whole years (29 February to 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def old_drafts(now):
    """Drafts never submitted and not saved for the drafts' age."""
    before = cutoff(now, conf.purge_drafts_after_days())
    if before is None:
        return Draft.objects.none()
    return Draft.objects.filter(submission__isnull=True, updated_at__lt=before)


def orphan_uploads(now):
    """Upload rows that no draft or submission holds, older than the orphans' age."""
    before = cutoff(now, conf.purge_orphan_uploads_after_days())
    if before is None:
        return UploadedFile.objects.none()
    return UploadedFile.objects.filter(draft__isnull=True, submission__isnull=True, created_at__lt=before)


def stray_files(now):
    """Files under ``uploads/`` in the private store that no upload row names, older than the orphan age."""
    before = cutoff(now, conf.purge_orphan_uploads_after_days())
    if before is None or not private_storage.exists(UPLOADS):
        return []
    known = set(UploadedFile.objects.values_list("file", flat=True))
    found, folders = [], [UPLOADS]
    while folders:
        folder = folders.pop()
        subfolders, files = private_storage.listdir(folder)
        folders.extend(f"{folder}/{name}" for name in subfolders)
        for name in files:
            path = f"{folder}/{name}"
            if path not in known and private_storage.get_modified_time(path) < before:
                found.append(path)
    return found


def old_import_files(now):
    """Imports older than the import files' age that still keep a file (none being worked on)."""
    before = cutoff(now, conf.purge_import_files_after_days())
    if before is None:
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.filter(created_at__lt=before).exclude(status=WorkStatus.RUNNING)
    return batches.filter(~Q(file="") | ~Q(checked=""))


def round_closed_at(page):
    """When ``page``'s round closed for everybody: its closing time or its latest extension."""
    closes_at = page.get_closes_at()
    latest = page.extensions.aggregate(latest=Max("closes_at"))["latest"]
    if closes_at is None or (latest is not None and latest > closes_at):
        return latest
    return closes_at


def forms_due(now):
    """The forms whose submissions are kept no longer: closed more than ``keep_submissions_years`` ago."""
    due = []
    for page in ApplicationFormPage.objects.filter(keep_submissions_years__gt=0):
        closed = round_closed_at(page)
        if closed is not None and years_after(closed, page.keep_submissions_years) <= now:
            due.append(page)
    return due


def needs_anonymising(submission):
    """Whether anything personal is left in ``submission`` (so a second run counts nothing)."""
    schema = submission.form_version.schema
    return (
        submission.user_id is not None
        or submission.draft_id is not None
        or submission.files.exists()
        or submission.stamped_copies.exists()
        or anonymised_answers(schema, submission.answers) != submission.answers
        or any(anonymised_answers(schema, v.answers) != v.answers for v in submission.versions.all())
    )


def anonymise(submission_id, outcome):
    """Anonymise one submission, its row locked; the names of its files go to ``outcome.doomed``."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("form_version", "organisation")
        .get(pk=submission_id)
    )
    schema = submission.form_version.schema
    for upload in submission.files.all():
        outcome.doomed.append(upload.file.name)
        outcome.submission_files += 1
    submission.files.all().delete()
    for copy in submission.stamped_copies.all():
        outcome.doomed.append(copy.file.name)
        outcome.submission_files += 1
    submission.stamped_copies.all().delete()
    for version in submission.versions.all():
        # The fingerprint stays: a printout still verifies as the revision it was, without its answers.
        SubmissionVersion.objects.filter(pk=version.pk).update(
            answers=anonymised_answers(schema, version.answers)
        )
    draft = submission.draft
    submission.answers = anonymised_answers(schema, submission.answers)
    submission.user = None
    submission.draft = None
    submission.refresh_search_text()
    submission.save(update_fields=["answers", "search_text", "user", "draft", "updated_at"])
    if draft is not None:
        outcome.doomed.extend(draft.files.values_list("file", flat=True))
        draft.files.all().delete()
        draft.delete()


def form_files(page):
    """The export files and batch lists of ``page``: ``[(row, field name)]``."""
    found = [(job, "file") for job in ExportJob.objects.filter(page=page).exclude(file="")]
    for batch in RecommendationBatch.objects.filter(page=page):
        found.extend((batch, name) for name in ("summary_xlsx", "summary_pdf") if getattr(batch, name))
    return found


def purge(now=None, dry_run=False):
    """Purge and anonymise what the settings and the forms say is due at ``now``; return the ``Outcome``."""
    now = now or timezone.now()
    outcome = Outcome()
    drafts = old_drafts(now)
    uploads = orphan_uploads(now)
    imports = old_import_files(now)
    strays = stray_files(now)
    due = [
        (page, [s for s in page.submissions.select_related("form_version") if needs_anonymising(s)])
        for page in forms_due(now)
    ]
    outcome.drafts = drafts.count()
    outcome.orphan_uploads = uploads.count()
    outcome.stray_files = len(strays)
    outcome.import_files = imports.count()
    outcome.anonymised = sum(len(submissions) for _page, submissions in due)
    if dry_run:
        outcome.submission_files = sum(
            s.files.count() + s.stamped_copies.count() for _page, submissions in due for s in submissions
        ) + sum(len(form_files(page)) for page, _submissions in due)
        return outcome
    with transaction.atomic():
        # The files first, by name: deleting a draft need not cascade into its uploads.
        draft_files = UploadedFile.objects.filter(draft__in=drafts)
        outcome.doomed.extend(draft_files.values_list("file", flat=True))
        draft_files.delete()
        drafts.delete()
        outcome.doomed.extend(uploads.values_list("file", flat=True))
        uploads.delete()
        for batch in imports.select_for_update():
            outcome.doomed.extend(name for name in (batch.file.name, batch.checked.name) if name)
            ImportBatch.objects.filter(pk=batch.pk).update(file="", checked="")
    outcome.doomed.extend(strays)
    for page, submissions in due:
        for submission in submissions:
            with transaction.atomic():
                anonymise(submission.pk, outcome)
        with transaction.atomic():
            for row, name in form_files(page):
                outcome.doomed.append(getattr(row, name).name)
                outcome.submission_files += 1
                type(row).objects.filter(pk=row.pk).update(**{name: ""})
    for name in outcome.doomed:
        private_storage.delete(name)
    audit.record(
        None,
        AuditLogEntry.Action.PURGE,
        detail="; ".join(outcome.lines()),
        count=outcome.anonymised,
        reason=_("retention settings and each form's years to keep submissions"),
    )
    return outcome
