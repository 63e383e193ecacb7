"""Printouts that can be checked (fingerprint, QR, verification page) and stamped scans tied to a version."""

import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms_app.applications.models import SubmissionStatus, SubmissionVersion, fingerprint_of
from forms_app.applications.submitting import submit_draft
from forms_app.printing import pdf, printouts
from forms_app.printing.models import StampedCopy
from forms_app.review.workflow import transition
from tests.review_helpers import answers, build_world
from tests.samples import PDF, PNG

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "printouts"
INDEX = "shenbao_applications_submission_modeladmin_index"
INSPECT = "shenbao_applications_submission_modeladmin_inspect"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def words(response):
    return " ".join(response.content.decode().split())


def qr_codes(content, name):
    """Render the PDF's first page to PNG and return what zbarimg reads from its QR codes."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(ARTIFACTS / name),
        ],
        check=True,
    )
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(ARTIFACTS / f"{name}.png")], capture_output=True, text=True
    )
    return found.stdout.split()


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def return_and_resubmit(world, submission, new_answers):
    transition([submission.pk], SubmissionStatus.RETURNED, world.reviewers["xihu"], comment="请修改")
    resubmitted, _created = submit_draft(submission.draft, new_answers)
    return resubmitted


def test_printout_carries_its_version_and_a_qr_code_of_the_verification_page(client, world):
    submission = world.subs["xihu"]
    version = submission.versions.get()
    assert version.revision == 1
    assert version.fingerprint == fingerprint_of(submission.reference, 1, submission.answers)
    content = pdf.submission_pdf(submission)
    text = pdf_text(content)
    assert f"fingerprint {version.fingerprint}" in text and f"Reference {submission.reference}" in text
    url = printouts.verification_url(version)
    assert qr_codes(content, "printout") == [url]  # read back from the rendered page
    # Anyone may check it; nothing about the applicant is shown to them.
    response = client.get(url.replace("http://testserver", ""))
    page = words(response)
    assert response.status_code == 200 and 'data-state="current"' in page
    assert "This printout matches the submission." in page and submission.reference in page
    assert "西湖区医院" not in page and "110105" not in page


def test_a_changed_answer_makes_an_old_printout_outdated(client, world):
    submission = world.subs["xihu"]
    old = printouts.verification_path(submission.versions.get())
    submission = return_and_resubmit(world, submission, answers("西湖区项目（修改）"))
    assert submission.revision == 2 and submission.versions.count() == 2
    new_version = submission.versions.get(revision=2)
    assert new_version.fingerprint != submission.versions.get(revision=1).fingerprint
    page = words(client.get(old))
    assert 'data-state="outdated"' in page and "now at revision 2" in page
    assert 'data-state="current"' in words(client.get(printouts.verification_path(new_version)))
    # A reviewer of the submission sees which version the printout was, and the organisation.
    client.force_login(world.reviewers["xihu"])
    page = words(client.get(old))
    assert "西湖区医院" in page and "revision 1, made" in page and "Versions of this submission" in page
    # A reviewer of another region sees no more than the public.
    client.force_login(world.reviewers["haishu"])
    page = words(client.get(old))
    assert 'data-state="outdated"' in page and "西湖区医院" not in page
    # A fingerprint that was never issued, or another reference's, is unknown.
    tampered = old.replace(submission.versions.get(revision=1).fingerprint, "0000-0000-0000")
    response = client.get(tampered)
    assert response.status_code == 404 and 'data-state="unknown"' in words(response)


def test_the_code_can_be_typed_by_hand(client, world):
    version = world.subs["xihu"].versions.get()
    typed = version.fingerprint.replace("-", "").lower()
    response = client.get(
        reverse("shenbao:verify_form"),
        {"reference": version.submission.reference, "revision": 1, "fingerprint": typed},
    )
    assert response.status_code == 302 and response["Location"] == printouts.verification_path(version)
    response = client.get(
        reverse("shenbao:verify_form"), {"reference": "x", "revision": 1, "fingerprint": "12"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        'id="id_fingerprint_error"' in page
        and 'aria-describedby="id_fingerprint_helptext id_fingerprint_error"' in page
    )


def test_applicant_uploads_the_stamped_scan_of_the_printed_version(client, world):
    submission = world.subs["xihu"]
    page, draft = submission.page, submission.draft
    client.force_login(submission.user)
    upload_url = page.get_draft_url(draft, "stamped")
    # A renamed executable is refused by its content, next to the field; nothing is stored.
    response = client.post(
        upload_url,
        {"version": submission.versions.get().pk, "file": SimpleUploadedFile("盖章.pdf", b"MZ\x90\x00evil")},
    )
    assert response.status_code == 422 and 'id="id_file_error"' in response.content.decode()
    assert not StampedCopy.objects.exists()
    response = client.post(
        upload_url, {"version": submission.versions.get().pk, "file": SimpleUploadedFile("盖章.pdf", PDF)}
    )
    assert response.status_code == 302
    copy = StampedCopy.objects.get()
    assert copy.version.revision == 1 and copy.source == "applicant" and copy.kind == "pdf"
    assert not copy.is_outdated
    assert "stamped copy of revision 1 received" in submission.events.last().text.lower()

    # The reviewer sees it in the list and may download it; another applicant may not.
    reviewer = world.reviewers["xihu"]
    client.force_login(reviewer)
    row = words(client.get(reverse(INDEX)))
    assert "stamped copy received" in row
    download = client.get(reverse("shenbao:stamped_copy", args=[copy.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(world.subs["haishu"].user)
    assert client.get(reverse("shenbao:stamped_copy", args=[copy.pk])).status_code == 403
    client.force_login(world.reviewers["haishu"])
    assert client.get(reverse("shenbao:stamped_copy", args=[copy.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("shenbao:stamped_copy", args=[copy.pk])).status_code == 302

    # After a change, the scan of revision 1 is flagged as outdated.
    submission = return_and_resubmit(world, submission, answers("西湖区项目（修改）"))
    copy.refresh_from_db()
    assert copy.is_outdated
    client.force_login(reviewer)
    assert "stamped copy outdated (revision 1)" in words(client.get(reverse(INDEX)))
    detail = words(client.get(reverse(INSPECT, args=[submission.pk])))
    assert "older than the current version" in detail


def test_bureau_uploads_a_scan_and_records_the_paper_copies(client, world):
    submission = world.subs["xihu"]
    reviewer = world.reviewers["xihu"]
    client.force_login(reviewer)
    url = reverse(INSPECT, args=[submission.pk])
    version = printouts.current_version(submission)
    response = client.post(
        url, {"action": "scan", "version": version.pk, "file": SimpleUploadedFile("scan.png", PNG)}
    )
    assert response.status_code == 302
    copy = StampedCopy.objects.get()
    assert copy.source == "bureau" and copy.uploaded_by == reviewer and copy.kind == "png"
    response = client.post(url, {"action": "paper_copies", "paper_copies": "-1"})
    assert response.status_code == 422 and 'id="id_paper_copies_error"' in response.content.decode()
    client.post(url, {"action": "paper_copies", "paper_copies": "3"})
    submission.refresh_from_db()
    assert submission.paper_copies == 3
    assert "Paper copies received: 3." in submission.events.values_list("text", flat=True)
    assert "3 paper copies" in words(client.get(reverse(INDEX)))
    # A version of another submission cannot be chosen.
    other = printouts.current_version(world.subs["shangcheng"])
    response = client.post(
        url, {"action": "scan", "version": other.pk, "file": SimpleUploadedFile("scan.png", PNG)}
    )
    assert response.status_code == 422 and StampedCopy.objects.count() == 1


def test_a_scan_is_stored_and_served_under_the_extension_of_its_content(client, world):
    submission = world.subs["xihu"]
    client.force_login(submission.user)
    upload_url = submission.page.get_draft_url(submission.draft, "stamped")
    version = submission.versions.get().pk
    # A photo named as a PDF is refused next to the field: its name and its content disagree.
    response = client.post(upload_url, {"version": version, "file": SimpleUploadedFile("盖章.pdf", PNG)})
    page = response.content.decode()
    assert response.status_code == 422 and 'id="id_file_error"' in page
    assert "is a PNG file, but its name says otherwise" in words(response)
    assert not StampedCopy.objects.exists()
    response = client.post(upload_url, {"version": version, "file": SimpleUploadedFile("盖章.PDF", PDF)})
    assert response.status_code == 302
    copy = StampedCopy.objects.get()
    assert copy.name == "盖章.pdf" and copy.file.name.endswith(".pdf")
    download = client.get(reverse("shenbao:stamped_copy", args=[copy.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('盖章.pdf')}"


def test_an_applicants_scans_count_against_the_accounts_byte_cap(client, world, settings):
    settings.SHENBAO_MAX_UPLOAD_BYTES_PER_ACCOUNT = len(PDF) + 10
    submission = world.subs["xihu"]
    client.force_login(submission.user)
    upload_url = submission.page.get_draft_url(submission.draft, "stamped")
    version = submission.versions.get().pk
    assert (
        client.post(upload_url, {"version": version, "file": SimpleUploadedFile("a.pdf", PDF)}).status_code
        == 302
    )
    response = client.post(upload_url, {"version": version, "file": SimpleUploadedFile("b.pdf", PDF)})
    assert response.status_code == 422 and 'id="id_file_error"' in response.content.decode()
    assert "stored files" in words(response)
    assert StampedCopy.objects.count() == 1
    # A bureau's scans are the bureau's work, not the applicant's storage: no cap.
    client.force_login(world.reviewers["xihu"])
    url = reverse(INSPECT, args=[submission.pk])
    response = client.post(
        url, {"action": "scan", "version": version, "file": SimpleUploadedFile("c.pdf", PDF)}
    )
    assert response.status_code == 302 and StampedCopy.objects.count() == 2


def test_versions_are_recorded_once_per_revision(world):
    submission = world.subs["xihu"]
    SubmissionVersion.objects.record([submission, submission])
    assert submission.versions.count() == 1
