"""Retention: old drafts, orphan uploads and import files purged; submissions of old rounds anonymised."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from forms_app.applications.models import ApplicationFormPage, Draft, Submission, UploadedFile
from forms_app.applications.storage import private_storage
from forms_app.background.models import WorkStatus
from forms_app.exchange.models import ImportBatch
from forms_app.printing import printouts
from forms_app.printing.models import StampedCopy
from forms_app.review.models import AuditLogEntry
from forms_app.rounds.retention import purge
from tests.factories import ApplicantFactory
from tests.review_helpers import BANK_ACCOUNT, answers, build_world, review_form, submit
from tests.samples import KNOWN_ID, PDF

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    world.other_page = review_form(notice_index, world.regions["zj"], reference_prefix="NB")
    world.recent = submit(world.other_page, world.orgs["haishu"], answers("近期项目"))
    return world


def aged(model, pk, field, age):
    """Move a row's automatic date back by ``age``."""
    model.objects.filter(pk=pk).update(**{field: timezone.now() - age})


def upload(draft, name="计划.pdf", submission=None):
    row = UploadedFile.store(
        SimpleUploadedFile(name, PDF),
        draft=draft,
        field_key="plan",
        kind="pdf",
        user=draft.user if draft else None,
    )
    if submission is not None:
        row.submission = submission
        row.save()
    return row


def test_old_drafts_and_their_files_are_purged_new_ones_kept(world):
    applicant = ApplicantFactory(organisation=world.orgs["xihu"])
    old = Draft.objects.create(page=world.page, user=applicant, answers={"project_name": "旧"})
    new = Draft.objects.create(page=world.page, user=applicant, answers={"project_name": "新"})
    old_file = upload(old)
    aged(Draft, old.pk, "updated_at", 366 * DAY)
    aged(Draft, new.pk, "updated_at", 300 * DAY)
    outcome = purge()
    assert outcome.drafts == 1
    assert not Draft.objects.filter(pk=old.pk).exists() and Draft.objects.filter(pk=new.pk).exists()
    assert not UploadedFile.objects.filter(pk=old_file.pk).exists()
    assert not private_storage.exists(old_file.file.name)
    # A submitted application's draft is never an old draft.
    assert all(Draft.objects.filter(pk=s.draft_id).exists() for s in world.subs.values())


def test_orphan_uploads_are_purged_from_the_store(world, settings):
    orphan, young = upload(None), upload(None, "新.pdf")
    aged(UploadedFile, orphan.pk, "created_at", 8 * DAY)
    stray = private_storage.save("uploads/2020/01/stray.pdf", ContentFile(b"%PDF-1.4 left behind"))
    old = (timezone.now() - 8 * DAY).timestamp()
    os.utime(private_storage.path(stray), (old, old))
    held = upload(world.subs["xihu"].draft, submission=world.subs["xihu"])
    aged(UploadedFile, held.pk, "created_at", 800 * DAY)
    outcome = purge()
    assert (outcome.orphan_uploads, outcome.stray_files) == (1, 1)
    assert not UploadedFile.objects.filter(pk=orphan.pk).exists() and not private_storage.exists(
        orphan.file.name
    )
    assert not private_storage.exists(stray)
    assert private_storage.exists(young.file.name) and private_storage.exists(held.file.name)
    settings.SHENBAO_PURGE_ORPHAN_UPLOADS_AFTER_DAYS = 0  # never
    aged(UploadedFile, young.pk, "created_at", 800 * DAY)
    assert purge().orphan_uploads == 0 and private_storage.exists(young.file.name)


def import_batch(world, age):
    batch = ImportBatch(
        user=world.reviewers["xihu"], page=world.page, name="申报.xlsx", status=WorkStatus.DONE
    )
    batch.file.save("a.bin", ContentFile(b"rows of names"), save=False)
    batch.checked.save("a.json", ContentFile(b"[]"), save=False)
    batch.save()
    aged(ImportBatch, batch.pk, "created_at", age)
    return ImportBatch.objects.get(pk=batch.pk)


def test_import_files_are_removed_and_the_import_kept(world):
    old, new = import_batch(world, 31 * DAY), import_batch(world, 29 * DAY)
    names = [old.file.name, old.checked.name]
    assert purge().import_files == 1
    old.refresh_from_db()
    assert not old.file and not old.checked and old.name == "申报.xlsx"
    assert not any(private_storage.exists(name) for name in names)
    assert private_storage.exists(new.file.name)
    assert purge().import_files == 0


def closed_long_ago(page, years_ago, keep):
    ApplicationFormPage.objects.filter(pk=page.pk).update(
        closes_at=timezone.now() - timedelta(days=365 * years_ago + 2), keep_submissions_years=keep
    )


def test_old_rounds_are_anonymised_recent_ones_untouched(world):
    target = world.subs["xihu"]
    file = upload(target.draft, submission=target)
    scan = printouts.store_scan(
        target, target.versions.get(), SimpleUploadedFile("盖章.pdf", PDF), "pdf", target.user, "applicant"
    )
    draft_id = target.draft_id
    closed_long_ago(world.page, 3, keep=2)
    closed_long_ago(world.other_page, 1, keep=2)
    outcome = purge()
    assert outcome.anonymised == 3 and outcome.submission_files == 2
    target.refresh_from_db()
    assert target.reference.startswith("ZJ") and target.organisation == world.orgs["xihu"]
    assert target.region == world.regions["xihu"] and target.status == "submitted"
    assert target.answers == {
        "half_year": {"selected": "上半年", "other": ""},
        "results": {"330100": {"activities": 1, "people": 10}, "330200": {"activities": 0, "people": 0}},
    }
    assert target.user is None and target.draft is None and not Draft.objects.filter(pk=draft_id).exists()
    stored = str(target.versions.get().answers) + target.search_text
    assert (
        KNOWN_ID not in stored
        and BANK_ACCOUNT not in stored
        and "项目" not in str(target.versions.get().answers)
    )
    assert not UploadedFile.objects.filter(pk=file.pk).exists() and not private_storage.exists(file.file.name)
    assert not StampedCopy.objects.filter(pk=scan.pk).exists() and not private_storage.exists(scan.file.name)
    recent = Submission.objects.get(pk=world.recent.pk)
    assert recent.answers["leader_id"]["number"] == KNOWN_ID and recent.user is not None
    # A second run finds nothing left to anonymise; each run is in the audit log.
    assert purge().anonymised == 0
    runs = AuditLogEntry.objects.filter(action="purge").order_by("pk")
    assert [run.count for run in runs] == [3, 0] and "Submissions anonymised: 3" in runs[0].detail


def test_a_form_kept_for_ever_is_never_anonymised(world):
    closed_long_ago(world.page, 30, keep=0)
    assert purge().anonymised == 0
    assert Submission.objects.get(pk=world.subs["xihu"].pk).answers["bank_account"] == BANK_ACCOUNT


def test_a_dry_run_counts_and_changes_nothing(world):
    applicant = ApplicantFactory(organisation=world.orgs["xihu"])
    old = Draft.objects.create(page=world.page, user=applicant)
    aged(Draft, old.pk, "updated_at", 400 * DAY)
    orphan = upload(None)
    aged(UploadedFile, orphan.pk, "created_at", 8 * DAY)
    batch = import_batch(world, 40 * DAY)
    closed_long_ago(world.page, 3, keep=2)
    before = {s.pk: s.answers for s in Submission.objects.all()}
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run: nothing was changed." in text
    for line in ("Drafts deleted: 1", "Orphan uploads deleted: 1", "Imports whose files were deleted: 1"):
        assert line in text
    assert "Submissions anonymised: 3" in text
    assert Draft.objects.filter(pk=old.pk).exists() and private_storage.exists(orphan.file.name)
    assert private_storage.exists(ImportBatch.objects.get(pk=batch.pk).file.name)
    assert {s.pk: s.answers for s in Submission.objects.all()} == before
    assert not AuditLogEntry.objects.exists()
    call_command("purge_personal_data", stdout=StringIO())
    assert not Draft.objects.filter(pk=old.pk).exists()
    assert AuditLogEntry.objects.get().action == "purge"
