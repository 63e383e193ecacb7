"""One public address: required when DEBUG is off, printed on every copy and in every e-mail link."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from wagtail.models import Site

from forms_app import conf
from forms_app.applications.models import SubmissionStatus
from forms_app.printing import pdf, printouts
from forms_app.printing.word import submission_docx
from forms_app.review.workflow import transition
from tests.printing.test_printouts import qr_codes
from tests.printing.test_word import docx_text
from tests.review_helpers import build_world

PUBLIC = "https://rsj.example.gov.cn"


def errors(**overrides):
    with override_settings(**overrides):
        return [message.id for message in conf.check_public_url()]


@pytest.mark.parametrize(
    "url",
    ["", "http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]/", "http://0.0.0.0", "sb.gov.cn"],
)
def test_production_refuses_a_missing_or_local_address(url):
    found = errors(DEBUG=False, SHENBAO_PUBLIC_URL=url)
    assert found == (["shenbao.E001"] if not url else ["shenbao.E002"])


@pytest.mark.parametrize("url", [PUBLIC, "http://10.1.2.3", "https://sb.example.gov.cn/shenbao/"])
def test_a_real_address_passes(url):
    assert errors(DEBUG=False, SHENBAO_PUBLIC_URL=url) == []


def test_development_needs_none():
    assert errors(DEBUG=True, SHENBAO_PUBLIC_URL="") == []
    assert errors(DEBUG=True, SHENBAO_PUBLIC_URL="http://127.0.0.1:8000") == []


def test_manage_py_check_stops_on_it():
    local = override_settings(DEBUG=False, SHENBAO_PUBLIC_URL="http://127.0.0.1:8000")
    with local, pytest.raises(SystemCheckError, match=r"shenbao\.E002"):
        call_command("check", tags=["shenbao"])
    with override_settings(DEBUG=False, SHENBAO_PUBLIC_URL=PUBLIC):
        call_command("check", tags=["shenbao"])


@pytest.mark.django_db
def test_unset_it_falls_back_to_the_default_site_only_when_that_is_a_real_host(settings):
    settings.SHENBAO_PUBLIC_URL = ""
    Site.objects.all().delete()
    site = Site.objects.create(hostname="localhost", port=80, root_page_id=1, is_default_site=True)
    assert conf.public_url() == "http://127.0.0.1:8000"
    site.hostname, site.port = "sb.example.gov.cn", 443
    site.save()
    assert conf.public_url() == "https://sb.example.gov.cn"
    assert conf.absolute_url("/applications/mine/") == "https://sb.example.gov.cn/applications/mine/"


@pytest.fixture
def world(notice_index, settings):
    settings.SHENBAO_PUBLIC_URL = PUBLIC + "/"
    return build_world(notice_index)


@pytest.mark.django_db
def test_printouts_carry_the_public_address(world):
    submission = world.subs["xihu"]
    version = submission.versions.get()
    url = printouts.verification_url(version)
    assert url == PUBLIC + printouts.verification_path(version)
    assert qr_codes(pdf.submission_pdf(submission), "public-address") == [url]
    assert url in docx_text(submission_docx(submission))


@pytest.mark.django_db
def test_e_mail_links_start_with_the_public_address(world, django_capture_on_commit_callbacks):
    submission = world.subs["xihu"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition([submission.pk], SubmissionStatus.RETURNED, world.reviewers["xihu"], comment="请补充材料")
    assert len(mail.outbox) == 1
    assert f"{PUBLIC}/applications/" in mail.outbox[0].body and "testserver" not in mail.outbox[0].body
