"""What an account keeps: files stored and served under the extension of their content, within caps.

The stored name and the download name take the extension of the type found in the content, so a
file never reaches a reviewer's disk as something it is not. An account may keep only so many drafts
in progress and so many bytes of files; past either, the applicant is told, and nothing already
typed or saved is lost.
"""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forms_app.applications.models import Draft, UploadedFile
from tests.applications.test_wizard import errors_by_field
from tests.factories import ApplicantFactory
from tests.html import soup
from tests.samples import PDF
from tests.wizard_helpers import BASIC, PLAN_ROWS, Applicant, pdf, three_step_form


@pytest.fixture
def form(notice_index):
    return three_step_form(notice_index)


@pytest.fixture
def applicant(client, form):
    client.force_login(ApplicantFactory())
    return Applicant(client, form)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def upload_plan(applicant, draft_id, upload):
    applicant.post_step(draft_id, "basic", BASIC)
    return applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": upload})


def test_the_name_keeps_the_applicants_stem_and_takes_the_extension_of_the_content(applicant):
    draft_id = applicant.start()
    response = upload_plan(applicant, draft_id, pdf("申报书.PDF"))
    assert response.status_code == 302
    stored = UploadedFile.objects.get()
    assert stored.name == "申报书.pdf" and stored.kind == "pdf"
    assert stored.file.name.endswith(".pdf")
    assert Draft.objects.get(pk=draft_id).answers["plan_file"][0]["name"] == "申报书.pdf"
    download = applicant.client.get(f"/applications/files/{stored.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('申报书.pdf')}"
    assert b"".join(download.streaming_content) == PDF


def test_a_row_named_otherwise_is_still_stored_and_served_as_its_type(applicant):
    draft = Draft.objects.get(pk=applicant.start())
    stored = UploadedFile.store(
        SimpleUploadedFile("evil.html", PDF), draft=draft, field_key="plan_file", kind="pdf"
    )
    assert stored.name == "evil.pdf" and stored.file.name.endswith(".pdf")
    # A row kept from before, under a name with another extension, is served under its type's.
    UploadedFile.objects.filter(pk=stored.pk).update(name="evil.html")
    download = applicant.client.get(f"/applications/files/{stored.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="evil.pdf"'


def test_a_misnamed_file_is_refused_next_to_its_field_and_the_step_keeps_its_input(applicant):
    draft_id = applicant.start()
    response = upload_plan(applicant, draft_id, pdf("申报书.pdf.html"))
    assert response.status_code == 422
    errors = errors_by_field(response)
    assert "itsnamesaysotherwise" in errors["plan_file"]
    assert soup(response).select_one("input[value='义诊']") is not None
    assert not UploadedFile.objects.exists()


def test_one_draft_too_many_is_refused_and_the_others_are_kept(applicant, form, settings):
    settings.SHENBAO_MAX_DRAFTS_PER_ACCOUNT = 2
    first, second = applicant.start(), applicant.start()
    response = applicant.client.post(form.url + "start/", follow=True)
    text = " ".join(soup(response).get_text(" ").split())
    assert "You already have 2 applications in progress" in text
    assert set(Draft.objects.values_list("pk", flat=True)) == {first, second}
    # A submitted application no longer counts against the cap.
    applicant.fill_all(first)
    assert applicant.submit(first).status_code == 302
    applicant.start()
    assert Draft.objects.count() == 3


def test_uploading_past_the_byte_cap_is_refused_and_nothing_saved_is_lost(applicant, settings):
    settings.SHENBAO_MAX_UPLOAD_BYTES_PER_ACCOUNT = len(PDF) + 10
    first = applicant.start()
    assert upload_plan(applicant, first, pdf("第一版.pdf")).status_code == 302
    kept = UploadedFile.objects.get()
    # Replacing the file in the same field frees what it took: still within the cap.
    assert upload_plan(applicant, first, pdf("第二版.pdf")).status_code == 302
    kept = UploadedFile.objects.get()
    assert kept.name == "第二版.pdf"
    # Another draft's upload would go past the cap: refused next to the field, the table kept.
    second = applicant.start()
    response = upload_plan(applicant, second, pdf("另一份.pdf"))
    assert response.status_code == 422
    assert "storedfiles" in errors_by_field(response)["plan_file"]
    assert soup(response).select_one("input[value='义诊']") is not None
    assert list(UploadedFile.objects.all()) == [kept]
    assert kept.file.storage.exists(kept.file.name)
    assert Draft.objects.get(pk=first).answers["plan_file"] == [kept.as_answer()]
    # "Save and come back later" keeps the typing as pending, without the file.
    applicant.post_step(
        second, "plan", {**PLAN_ROWS, "plan-plan_file": pdf("另一份.pdf"), "wizard_save": "1"}
    )
    again = applicant.client.get(applicant.step_url(second, "plan"))
    assert soup(again).select_one("input[value='义诊']") is not None
    assert list(UploadedFile.objects.all()) == [kept]
