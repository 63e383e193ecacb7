"""Every reading of personal data leaves one audit entry: who, what, when, how many and why it was visible."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from forms_app.applications.models import SubmissionStatus, UploadedFile
from forms_app.exchange.models import ExportJob
from forms_app.printing import printouts
from forms_app.printing.models import StampedCopy
from forms_app.review.access import ReviewerAccess
from forms_app.review.models import AuditLogEntry
from forms_app.review.workflow import transition
from forms_app.rounds.batches import close_batch
from tests.factories import UserFactory
from tests.review_helpers import build_world, make_reviewer
from tests.samples import PDF

INSPECT = "shenbao_applications_submission_modeladmin_inspect"
INDEX = "shenbao_applications_submission_modeladmin_index"
BATCH = "shenbao_rounds_recommendationbatch_modeladmin_inspect"
A = AuditLogEntry.Action
XIHU = "desk 西湖区"
HZ = "desk 杭州市"
FULL = "permission to see ID and bank numbers in full"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index, django_capture_on_commit_callbacks):
    """西湖区's submission with a file and a stamped scan, recommended to 杭州市 in a closed batch."""
    world = build_world(
        notice_index, batch_recommendations=True, summary_columns=["project_name", "leader_id"]
    )
    target = world.subs["xihu"]
    upload = UploadedFile.store(
        SimpleUploadedFile("计划.pdf", PDF),
        draft=target.draft,
        field_key="plan",
        kind="pdf",
        user=target.user,
    )
    upload.submission = target
    upload.save()
    world.upload = upload
    world.scan = printouts.store_scan(
        target,
        target.versions.get(),
        SimpleUploadedFile("盖章.pdf", PDF),
        "pdf",
        target.user,
        StampedCopy.Source.APPLICANT,
    )
    xihu = world.reviewers["xihu"]
    transition([target.pk], SubmissionStatus.RECOMMENDED, xihu)
    with django_capture_on_commit_callbacks(execute=True):
        world.batch = close_batch(world.page, world.regions["xihu"], xihu, ReviewerAccess(xihu))
    world.trusted = make_reviewer("trusted", world.regions["xihu"], personal=True)
    world.admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    return world


def export_job(client, world, user, unmasked=False):
    job = ExportJob.objects.create(user=user, page=world.page, format="xlsx", unmasked=unmasked)
    job.total = job.fix_set(ReviewerAccess(user).submissions().filter(page=world.page))
    job.save(update_fields=["total"])
    job.file.save("x.xlsx", BytesIO(b"PK"), save=False)
    job.status = "done"
    job.save()
    return job


def summary(world, **params):
    return reverse("shenbao_review_summary", args=[world.page.pk]), {"scope": "all", **params}


# (name, reader, request, action, about the submission, count, unmasked, why visible)
READS = [
    (
        "detail",
        "xihu",
        lambda w: (reverse(INSPECT, args=[w.subs["xihu"].pk]), {}),
        A.VIEW,
        True,
        None,
        False,
        XIHU,
    ),
    (
        "detail unmasked",
        "trusted",
        lambda w: (reverse(INSPECT, args=[w.subs["xihu"].pk]), {"personal": "1"}),
        A.VIEW,
        True,
        None,
        True,
        f"{XIHU}; {FULL}",
    ),
    (
        "detail by an administrator",
        "admin",
        lambda w: (reverse(INSPECT, args=[w.subs["xihu"].pk]), {}),
        A.VIEW,
        True,
        None,
        False,
        "administrator",
    ),
    (
        "detail one level up",
        "hz",
        lambda w: (reverse(INSPECT, args=[w.subs["xihu"].pk]), {}),
        A.VIEW,
        True,
        None,
        False,
        HZ,
    ),
    (
        "file",
        "xihu",
        lambda w: (reverse("shenbao:file", args=[w.upload.pk]), {}),
        A.FILE,
        True,
        None,
        False,
        XIHU,
    ),
    (
        "scan",
        "hz",
        lambda w: (reverse("shenbao:stamped_copy", args=[w.scan.pk]), {}),
        A.FILE,
        True,
        None,
        False,
        HZ,
    ),
    (
        "pdf",
        "xihu",
        lambda w: (reverse("shenbao_review_pdf", args=[w.subs["xihu"].pk]), {}),
        A.DOCUMENT,
        True,
        None,
        False,
        XIHU,
    ),
    (
        "pdf unmasked",
        "trusted",
        lambda w: (reverse("shenbao_review_pdf", args=[w.subs["xihu"].pk]), {"personal": "1"}),
        A.DOCUMENT,
        True,
        None,
        True,
        f"{XIHU}; {FULL}",
    ),
    (
        "word",
        "xihu",
        lambda w: (reverse("shenbao_review_docx", args=[w.subs["xihu"].pk]), {}),
        A.DOCUMENT,
        True,
        None,
        False,
        XIHU,
    ),
    ("summary list", "xihu", lambda w: summary(w), A.LIST, False, 1, False, XIHU),
    (
        "summary list unmasked",
        "trusted",
        lambda w: summary(w, personal="1"),
        A.LIST,
        False,
        1,
        True,
        f"{XIHU}; {FULL}",
    ),
    ("summary xlsx", "xihu", lambda w: summary(w, format="xlsx"), A.EXPORT, False, 1, False, XIHU),
    ("batch list", "hz", lambda w: (reverse(BATCH, args=[w.batch.pk]), {}), A.LIST, False, 1, False, HZ),
    (
        "batch xlsx",
        "hz",
        lambda w: (reverse("shenbao_review_batch_file", args=[w.batch.pk, "xlsx"]), {}),
        A.EXPORT,
        False,
        1,
        False,
        HZ,
    ),
    (
        "batch pdf",
        "hz",
        lambda w: (reverse("shenbao_review_batch_file", args=[w.batch.pk, "pdf"]), {}),
        A.EXPORT,
        False,
        1,
        False,
        HZ,
    ),
]


def reader(world, name):
    return {"trusted": world.trusted, "admin": world.admin}.get(name) or world.reviewers[name]


@pytest.mark.parametrize(
    ("name", "who", "where", "action", "about_submission", "count", "unmasked", "reason"),
    READS,
    ids=[row[0] for row in READS],
)
def test_each_reading_writes_one_entry(
    client, world, name, who, where, action, about_submission, count, unmasked, reason
):
    user = reader(world, who)
    client.force_login(user)
    url, params = where(world)
    before = AuditLogEntry.objects.count()
    started = timezone.now()
    response = client.get(url, params)
    assert response.status_code == 200, name
    assert AuditLogEntry.objects.count() == before + 1
    entry = AuditLogEntry.objects.latest("pk")
    assert (entry.user, entry.actor_name, entry.action) == (user, user.get_username(), action)
    target = world.subs["xihu"]
    assert entry.submission == (target if about_submission else None)
    assert entry.reference == (target.reference if about_submission else "")
    assert (entry.count, entry.unmasked, entry.reason) == (count, unmasked, reason)
    assert entry.created_at >= started and entry.ip_address == "127.0.0.1" and entry.detail


def test_exports_are_recorded_when_asked_for_and_when_downloaded(client, world):
    xihu = world.reviewers["xihu"]
    client.force_login(xihu)
    response = client.post(reverse(INDEX) + f"?form={world.page.pk}", {"export": "1", "export_format": "csv"})
    assert response.status_code == 302
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.count, entry.unmasked, entry.reason) == (A.EXPORT, 1, False, XIHU)
    assert "CSV" in entry.detail
    job = export_job(client, world, world.trusted, unmasked=True)
    client.force_login(world.trusted)
    response = client.get(reverse("shenbao_review_export_download", args=[job.pk]))
    assert response.status_code == 200
    entry = AuditLogEntry.objects.latest("pk")
    assert (entry.user, entry.action, entry.count, entry.unmasked) == (world.trusted, A.EXPORT, 1, True)
    assert entry.reason == f"{XIHU}; {FULL}"


def test_the_applicant_reading_their_own_files_is_not_recorded(client, world):
    client.force_login(world.subs["xihu"].user)
    assert client.get(reverse("shenbao:file", args=[world.upload.pk])).status_code == 200
    assert client.get(reverse("shenbao:stamped_copy", args=[world.scan.pk])).status_code == 200
    assert not AuditLogEntry.objects.exists()


def test_refused_readings_are_not_recorded_as_readings(client, world):
    client.force_login(world.reviewers["haishu"])
    assert client.get(reverse("shenbao:file", args=[world.upload.pk])).status_code == 403
    assert client.get(reverse(INSPECT, args=[world.subs["xihu"].pk])).status_code == 404
    assert not AuditLogEntry.objects.exists()
