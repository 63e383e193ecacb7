"""The stamped-paper loop in a real browser: the applicant prints, the bureau uploads the stamped scan,
the next reviewer sees it; the printout's QR code opens a page that says it is current."""

import re
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forms_app.applications.models import SubmissionStatus
from forms_app.printing.models import StampedCopy
from forms_app.printing.printouts import verification_path
from forms_app.review.workflow import transition
from home.site_tree import ensure_site_tree
from tests.review_helpers import build_world
from tests.samples import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "applicant-pass-2024"  # tests.factories.UserFactory


@pytest.fixture
def world(live_server, settings):
    settings.LANGUAGE_CODE = "en"
    settings.SHENBAO_PUBLIC_URL = live_server.url
    _home, index, _created = ensure_site_tree()
    return build_world(index)


def admin_log_in(page, base_url, user):
    page.context.clear_cookies()
    page.goto(base_url + "/admin/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_print_stamp_upload_and_review(page, live_server, world, screenshot, tmp_path):
    submission = world.subs["xihu"]
    applicant = submission.user
    base = live_server.url

    # --- The applicant signs in, opens the confirmation and prints the filled form.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(applicant.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.goto(base + submission.page.get_draft_url(submission.draft, "submitted"))
    version = submission.versions.get()
    expect(page.locator(".confirmation__printout")).to_contain_text(version.fingerprint)
    href = page.get_by_role("link", name="Print the filled form (PDF)").get_attribute("href")
    printed = page.request.get(base + href)
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    pdf_path = tmp_path / "printout.pdf"
    pdf_path.write_bytes(printed.body())
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf_path),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    qr = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True
    )
    assert qr.stdout.strip() == base + verification_path(version)
    screenshot("43-applicant-printout")

    # --- Anyone who scans the QR code learns that the printout is current.
    page.goto(qr.stdout.strip())
    expect(page.locator(".verify-result")).to_have_attribute("data-state", "current")
    expect(page.locator(".verify-result")).to_contain_text("This printout matches the submission.")
    screenshot("44-printout-verified")

    # --- The district bureau receives the stamped paper, uploads the scan and records 3 copies.
    district = world.reviewers["xihu"]
    admin_log_in(page, base, district)
    page.goto(base + reverse("shenbao_applications_submission_modeladmin_inspect", args=[submission.pk]))
    expect(page.get_by_test_id("printed-version")).to_contain_text(version.fingerprint)
    paper = page.locator(".review-paper")
    paper.get_by_label("Stamped copy").set_input_files(
        {"name": "盖章扫描件.png", "mimeType": "image/png", "buffer": PNG}
    )
    paper.get_by_role("button", name="Upload the stamped copy").click()
    expect(page.get_by_test_id("stamped-copies")).to_contain_text("盖章扫描件.png")
    page.locator(".review-paper").get_by_label("Paper copies received").fill("3")
    page.locator(".review-paper").get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("paper-copies")).to_contain_text("3 paper copies received.")
    screenshot("45-bureau-stamped-copy")
    copy = StampedCopy.objects.get()
    assert copy.version == version and copy.source == "bureau" and copy.uploaded_by == district
    transition([submission.pk], SubmissionStatus.RECOMMENDED, district)

    # --- The city reviewer sees, in the list and on the submission, that the stamped copy arrived.
    city = world.reviewers["hz"]
    admin_log_in(page, base, city)
    page.goto(base + reverse("shenbao_applications_submission_modeladmin_index"))
    row = page.locator("table.listing.full-width tbody tr").filter(has_text=submission.reference)
    expect(row).to_contain_text("stamped copy received")
    expect(row).to_contain_text("3 paper copies")
    row.get_by_role("link", name="Open").click()
    link = page.get_by_test_id("stamped-copies").get_by_role("link", name="盖章扫描件.png")
    download = page.request.get(base + link.get_attribute("href"))
    assert download.ok and download.body().startswith(b"\x89PNG")
    screenshot("46-city-sees-stamped-copy")
