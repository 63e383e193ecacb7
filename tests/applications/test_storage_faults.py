"""The wizard when the private store fails: a message by the file field, nothing typed lost, no orphan.

The store is a real file-system storage that runs out of space while writing (it leaves the empty
file a full disk leaves, then raises ENOSPC): a fault injected under Django's ``STORAGES``.
"""

import errno
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from forms_app.applications.models import Draft, UploadedFile
from forms_app.applications.storage import PrivateFileSystemStorage
from tests.factories import ApplicantFactory
from tests.html import soup, text_of
from tests.wizard_helpers import BASIC, PLAN_ROWS, Applicant, pdf, three_step_form

pytestmark = pytest.mark.django_db


class FullStorage(PrivateFileSystemStorage):
    """A private folder on a full disk: the file is created, then writing it fails."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        raise OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def form(notice_index):
    return three_step_form(notice_index)


@pytest.fixture
def applicant(form):
    client = Client()
    client.force_login(ApplicantFactory())
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return Applicant(client, form)


def full_store(settings, folder):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": f"{__name__}.FullStorage", "OPTIONS": {"location": str(folder)}},
    }


def files_in(folder):
    return [p for p in Path(folder).rglob("*") if p.is_file()]


def test_a_full_store_answers_by_the_field_and_keeps_the_typed_input(applicant, settings, tmp_path):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    full_store(settings, tmp_path)
    response = applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf()})
    assert response.status_code == 422
    html = soup(response)
    error = html.select_one("[data-field-key=plan_file].has-error .form-field__errors")
    assert error is not None and "couldnotbestored" in text_of(error)
    # The rest of the step is shown as typed, and kept for when the applicant comes back.
    assert html.select_one("input[name='plan-activities-1-name']")["value"] == "技术培训"
    again = soup(applicant.client.get(applicant.step_url(draft_id, "plan")))
    assert again.select_one("input[name='plan-activities-1-name']")["value"] == "技术培训"
    # Nothing half-written is left: no row, no empty file, and the step is not done.
    assert not UploadedFile.objects.exists()
    assert files_in(tmp_path) == []
    draft = Draft.objects.get(pk=draft_id)
    assert "plan_file" not in draft.answers and "activities" not in draft.answers


def test_saving_for_later_on_a_full_store_keeps_the_typed_input(applicant, settings, tmp_path):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    full_store(settings, tmp_path)
    response = applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf()}, wizard_save="1")
    assert response.status_code == 422
    assert "couldnotbestored" in text_of(soup(response).select_one("[data-field-key=plan_file]"))
    assert not UploadedFile.objects.exists() and files_in(tmp_path) == []
    again = soup(applicant.client.get(applicant.step_url(draft_id, "plan")))
    assert again.select_one("input[name='plan-activities-0-name']")["value"] == "义诊"


def test_a_replaced_file_is_removed_only_after_the_commit(applicant, django_capture_on_commit_callbacks):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf("第一版.pdf")})
    first = UploadedFile.objects.get()
    with django_capture_on_commit_callbacks() as callbacks:
        applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf("第二版.pdf")})
        # The new answer is saved; until its transaction commits, the old file stays on disk.
        assert list(UploadedFile.objects.values_list("name", flat=True)) == ["第二版.pdf"]
        assert first.file.storage.exists(first.file.name)
    for callback in callbacks:
        callback()
    assert not first.file.storage.exists(first.file.name)
