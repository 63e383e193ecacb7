"""Deleting an applicant's account keeps their submitted applications, answers and files for the archive."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forms_app.applications.models import Draft, Submission, UploadedFile
from tests.clients import CommittingClient
from tests.factories import ApplicantFactory, UserFactory
from tests.review_helpers import make_reviewer
from tests.wizard_helpers import Applicant, pdf, three_step_form

pytestmark = pytest.mark.django_db
INSPECT = "shenbao_applications_submission_modeladmin_inspect"


@pytest.fixture
def form(notice_index):
    return three_step_form(notice_index)


def submitted_with_file(form, user):
    """Return ``(submission, its file, an unsubmitted draft's file)`` made by ``user`` in the wizard."""
    client = CommittingClient()
    client.force_login(user)
    applicant = Applicant(client, form)
    draft_id = applicant.start()
    applicant.fill_all(draft_id, plan_file=pdf("申报书.pdf"))
    assert applicant.submit(draft_id).status_code == 302
    submission = Submission.objects.get(draft_id=draft_id)
    other_id = applicant.start()
    applicant.fill_all(other_id, plan_file=pdf("草稿.pdf"))
    return submission, submission.files.get(), UploadedFile.objects.get(draft_id=other_id)


def assert_archive_kept(submission, upload, user_email, region):
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.user_id is None
    assert user_email in submission.applicant
    assert submission.answers["plan_file"] == [upload.as_answer()]
    kept = UploadedFile.objects.get(pk=upload.pk)
    assert kept.submission_id == submission.pk
    assert kept.file.storage.exists(kept.file.name)
    reviewer = CommittingClient()
    reviewer.force_login(make_reviewer("desk@example.cn", region))
    response = reviewer.get(f"/applications/files/{upload.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # The desk still says who applied, from the archive's own record of it.
    detail = reviewer.get(reverse(INSPECT, args=[submission.pk])).content.decode()
    assert user_email in detail


def test_deleting_the_user_keeps_submitted_files_and_answers(form, django_capture_on_commit_callbacks):
    user = ApplicantFactory(email="leaver@example.cn")
    submission, upload, unsent = submitted_with_file(form, user)
    region = submission.region
    with django_capture_on_commit_callbacks(execute=True):
        get_user_model().objects.get(pk=user.pk).delete()
    assert_archive_kept(submission, upload, "leaver@example.cn", region)
    # The draft that was never submitted goes, file and all.
    assert not UploadedFile.objects.filter(pk=unsent.pk).exists()
    assert not unsent.file.storage.exists(unsent.file.name)
    assert not Draft.objects.filter(pk=unsent.draft_id).exists()


def test_deleting_the_user_in_the_admin_keeps_submitted_files(form, django_capture_on_commit_callbacks):
    user = ApplicantFactory(email="leaver@example.cn")
    submission, upload, _unsent = submitted_with_file(form, user)
    region = submission.region
    admin = CommittingClient()
    admin.force_login(UserFactory(username="root@example.cn", is_superuser=True, is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("wagtailusers_users:delete", args=[user.pk]))
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert_archive_kept(submission, upload, "leaver@example.cn", region)
