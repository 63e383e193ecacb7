"""Form definitions as JSON: exported from one site, imported as a draft elsewhere, with regions by code."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms_app.applications.definitions import export_definition, import_definition
from forms_app.applications.models import ApplicationFormPage
from tests.factories import NoticePageFactory
from tests.review_helpers import build_world


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root")
    client.force_login(user)
    return client


def test_export_then_import_gives_the_same_form(admin_client, notice_index):
    world = build_world(notice_index, recommend_quota=1)
    response = admin_client.get(reverse("shenbao_forms_admin:export_definition", args=[world.page.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["format"] == "shenbao-form/1" and data["settings"]["recommend_quota"] == 1
    matrix = data["steps"][1]["value"]["fields"][0]
    assert matrix["value"]["region_parent"] == "330000"  # a region code, not a database id
    other = NoticePageFactory(parent=notice_index)
    upload = SimpleUploadedFile("form.json", response.content, content_type="application/json")
    response = admin_client.post(
        reverse("shenbao_forms_admin:import_definition", args=[other.pk]), {"file": upload}
    )
    assert response.status_code == 302
    copy = ApplicationFormPage.objects.child_of(other).get()
    assert not copy.live and copy.recommend_quota == 1 and copy.title == world.page.title
    assert copy.get_schema_data() == world.page.get_schema_data()


def test_import_refuses_unknown_regions_and_other_files(admin_client, notice_index):
    world = build_world(notice_index)
    data = export_definition(world.page)
    data["steps"][1]["value"]["fields"][0]["value"]["region_parent"] = "990000"
    other = NoticePageFactory(parent=notice_index)
    with pytest.raises(ValidationError, match="990000"):
        import_definition(other, data)
    url = reverse("shenbao_forms_admin:import_definition", args=[other.pk])
    response = admin_client.post(url, {"file": SimpleUploadedFile("form.json", b"not json")})
    assert response.status_code == 422 and "not JSON" in response.content.decode()
    wrong = SimpleUploadedFile("form.json", json.dumps({"format": "other"}).encode())
    response = admin_client.post(url, {"file": wrong})
    assert response.status_code == 422 and "not a form definition" in response.content.decode()
    assert not ApplicationFormPage.objects.child_of(other).exists()


def test_definition_urls_need_page_permissions(client, notice_index):
    world = build_world(notice_index)
    client.force_login(world.reviewers["hz"])  # admin access, no page permissions
    assert client.get(reverse("shenbao_forms_admin:export_definition", args=[world.page.pk])).status_code in {
        302,
        403,
    }
    notice = world.page.get_parent()
    assert client.get(reverse("shenbao_forms_admin:import_definition", args=[notice.pk])).status_code in {
        302,
        403,
    }
