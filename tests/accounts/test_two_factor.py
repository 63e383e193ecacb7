"""Two-factor sign-in for staff: when a site requires it, the admin opens only after an authenticator code.

Codes are computed as an authenticator app computes them, from the device's key and the clock.
"""

import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from forms_app.applications.models import UploadedFile
from tests.factories import ApplicantFactory, RegionFactory
from tests.html import soup
from tests.review_helpers import build_world, make_reviewer
from tests.samples import PDF
from tests.site.test_settings import production_setting

ADMIN = "/admin/"
ENROL = "shenbao_two_factor:enrol"
VERIFY = "shenbao_two_factor:verify"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def english(client, settings):
    settings.SHENBAO_STAFF_REQUIRE_TWO_FACTOR = True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.deactivate()  # the site's middleware leaves English active in this thread


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root")


def words(response):
    return " ".join(soup(response).get_text().split())


def code_of(device):
    """The digits an authenticator shows for ``device`` now, from its key and the (frozen) clock."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def wrong_code(device):
    return f"{(int(code_of(device)) + 1) % 10**device.digits:0{device.digits}d}"


def enrol(client, user, clock):
    """Open the enrol page and confirm its new device with a right code."""
    assert client.get(reverse(ENROL)).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse(ENROL), {"code": code_of(device)})
    assert response.status_code == 302
    clock.tick(timedelta(seconds=device.step))  # a code is used once: the next one is a step later
    device.refresh_from_db()
    return device


def test_when_required_the_admin_sends_a_staff_member_without_a_device_to_enrol(client, staff):
    client.force_login(staff)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(ENROL)}?next={ADMIN}"


def test_the_enrol_page_shows_the_otpauth_uri_and_its_qr_code(client, staff, settings):
    client.force_login(staff)
    page = soup(client.get(reverse(ENROL)))
    device = TOTPDevice.objects.get(user=staff)
    uri = page.select_one("[data-otpauth-uri]").get_text().strip()
    assert uri == device.config_url and uri.startswith("otpauth://totp/")
    assert parse_qs(urlparse(uri).query)["secret"][0] in page.get_text()  # to type in by hand
    image = page.select_one("main img[alt]")
    png = client.get(image["src"])
    assert (
        png.status_code == 200 and png["Content-Type"] == "image/png" and "no-store" in png["Cache-Control"]
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "two-factor-qr.png"
    path.write_bytes(png.content)
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True)
    assert read.stdout.strip() == uri
    # Reloading shows the same key: the app the staff member is setting up keeps working.
    client.get(reverse(ENROL))
    assert TOTPDevice.objects.get(user=staff).key == device.key


def test_a_wrong_code_is_refused_with_a_message_and_the_right_one_opens_the_admin(client, staff):
    client.force_login(staff)
    with freeze_time(timezone.now()) as clock:
        client.get(reverse(ENROL))
        device = TOTPDevice.objects.get(user=staff)
        refused = client.post(reverse(ENROL) + f"?next={ADMIN}", {"code": wrong_code(device)})
        assert refused.status_code == 200
        assert "That code is not right" in words(refused)
        assert client.get(ADMIN).status_code == 302
        clock.tick(timedelta(seconds=2))  # django-otp makes each wrong code wait longer for the next
        accepted = client.post(reverse(ENROL) + f"?next={ADMIN}", {"code": code_of(device)})
        assert accepted.status_code == 302 and accepted["Location"] == ADMIN
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(ADMIN).status_code == 200


def test_a_code_too_soon_after_a_wrong_one_is_refused_with_the_wait(client, staff):
    client.force_login(staff)
    with freeze_time(timezone.now()):
        client.get(reverse(ENROL))
        device = TOTPDevice.objects.get(user=staff)
        client.post(reverse(ENROL), {"code": wrong_code(device)})
        too_soon = client.post(reverse(ENROL), {"code": code_of(device)})
        assert "Too many wrong codes" in words(too_soon)
        assert client.get(ADMIN).status_code == 302


def test_each_sign_in_asks_for_a_code_once_a_device_is_enrolled(client, staff):
    with freeze_time(timezone.now()) as clock:
        client.force_login(staff)
        device = enrol(client, staff, clock)
        client.post(reverse("wagtailadmin_logout"))
        client.force_login(staff)
        response = client.get(ADMIN)
        assert response.status_code == 302 and response["Location"] == f"{reverse(VERIFY)}?next={ADMIN}"
        assert client.get(reverse(ENROL))["Location"].startswith(reverse(VERIFY))  # no second device
        refused = client.post(reverse(VERIFY), {"code": wrong_code(device)})
        assert refused.status_code == 200 and "That code is not right" in words(refused)
        clock.tick(timedelta(seconds=2))
        accepted = client.post(reverse(VERIFY) + f"?next={ADMIN}", {"code": code_of(device)})
        assert accepted.status_code == 302 and accepted["Location"] == ADMIN
        assert client.get(ADMIN).status_code == 200
        assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_used_code_cannot_be_used_again(client, staff):
    with freeze_time(timezone.now()) as clock:
        client.force_login(staff)
        device = enrol(client, staff, clock)
        code = code_of(device)
        client.post(reverse(VERIFY), {"code": code})
        client.post(reverse("wagtailadmin_logout"))
        client.force_login(staff)
        clock.tick(timedelta(seconds=2))
        replayed = client.post(reverse(VERIFY), {"code": code})
        assert "That code is not right" in words(replayed)
        assert client.get(ADMIN).status_code == 302


def test_a_next_address_off_the_site_is_not_followed(client, staff):
    with freeze_time(timezone.now()):
        client.force_login(staff)
        client.get(reverse(ENROL))
        device = TOTPDevice.objects.get(user=staff)
        response = client.post(reverse(ENROL) + "?next=https://evil.example/", {"code": code_of(device)})
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_an_unverified_reviewer_reaches_no_desk_page_export_or_file(client, notice_index):
    world = build_world(notice_index)
    reviewer = world.reviewers["xihu"]
    target = world.subs["xihu"]
    upload = UploadedFile.store(
        SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        draft=target.draft,
        field_key="plan",
        kind="pdf",
        user=target.user,
    )
    upload.submission = target
    upload.save()
    urls = [
        ADMIN,
        reverse("shenbao_applications_submission_modeladmin_index"),
        reverse("shenbao_applications_submission_modeladmin_inspect", args=[target.pk]),
        reverse("shenbao_review_summary", args=[world.page.pk]) + "?scope=all&format=xlsx",
        reverse("shenbao_review_pdf", args=[target.pk]),
        reverse("shenbao:file", args=[upload.pk]),
    ]
    client.force_login(reviewer)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse(ENROL)), url
    # Writes are refused alike.
    response = client.post(reverse("shenbao_review_bulk"), {"ids": [target.pk], "status": "under_review"})
    assert response.status_code == 302 and response["Location"].startswith(reverse(ENROL))


def test_not_required_leaves_the_admin_as_it_was(client, staff, settings):
    settings.SHENBAO_STAFF_REQUIRE_TWO_FACTOR = False
    client.force_login(staff)
    assert client.get(ADMIN).status_code == 200


def test_applicants_are_not_asked(client, db):
    client.force_login(ApplicantFactory())
    assert client.get(reverse("shenbao:my_applications")).status_code == 200
    assert client.get(reverse(ENROL)).status_code in {302, 403}
    assert not TOTPDevice.objects.exists()


def test_the_pages_need_a_signed_in_staff_member(client, db):
    for name in (ENROL, VERIFY):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_reviewer_without_is_staff_is_asked_too(client, db):
    reviewer = make_reviewer("desk_only", RegionFactory(code="330106", name="西湖区"))
    client.force_login(reviewer)
    assert client.get(ADMIN)["Location"].startswith(reverse(ENROL))


def test_signing_out_stays_possible(client, staff):
    client.force_login(staff)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_production_requires_it_unless_told_otherwise():
    assert production_setting("settings.SHENBAO_STAFF_REQUIRE_TWO_FACTOR").stdout.strip() == "True"
    off = production_setting(
        "settings.SHENBAO_STAFF_REQUIRE_TWO_FACTOR", SHENBAO_STAFF_REQUIRE_TWO_FACTOR="0"
    )
    assert off.stdout.strip() == "False", off.stderr


def test_a_lost_phone_is_replaced_by_resetting_the_staff_members_devices(client, staff):
    with freeze_time(timezone.now()) as clock:
        client.force_login(staff)
        enrol(client, staff, clock)
        out = StringIO()
        call_command("reset_two_factor", "root", stdout=out)
        assert "root" in out.getvalue() and not TOTPDevice.objects.filter(user=staff).exists()
        client.post(reverse("wagtailadmin_logout"))
        client.force_login(staff)
        assert client.get(ADMIN)["Location"].startswith(reverse(ENROL))  # enrols a new phone


def test_resetting_an_unknown_account_says_so(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("reset_two_factor", "nobody")
