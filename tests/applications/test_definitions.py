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
    world = build_world(notice_index, recommend_quota=1, keep_submissions_years=5)
    response = admin_client.get(reverse("shenbao_forms_admin:export_definition", args=[world.page.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["format"] == "shenbao-form/1" and data["settings"]["recommend_quota"] == 1
    assert data["settings"]["keep_submissions_years"] == 5
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
    assert copy.keep_submissions_years == 5  # how long its submissions are kept travels with the form
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


def hostile_definitions(good):
    """Definitions edited by hand into every wrong shape, each with the path its error must name."""

    def changed(path, value):
        data = json.loads(json.dumps(good))
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    field = ["steps", 0, "value", "fields", 0, "value"]
    return [
        (changed(["steps"], {"a": 1}), "steps"),
        (changed(["steps"], []), "steps"),
        (changed(["steps", 0], ["not", "a", "step"]), "steps[0]"),
        (changed(["steps", 0, "value"], "text"), "steps[0]"),
        (changed(["steps", 0, "value", "fields"], {"x": 1}), "steps[0].fields"),
        (changed(["steps", 0, "value", "fields", 0], 7), "steps[0].fields[0]"),
        (changed(["steps", 0, "value", "fields", 0, "type"], "evil"), "steps[0].fields[0]"),
        (changed([*field, "label"], {"nested": ["x"]}), "steps[0].fields[0].label"),
        (changed([*field, "required"], "yes"), "steps[0].fields[0].required"),
        (changed([*field, "condition"], [1, 2]), "steps[0].fields[0].condition"),
        (changed(["steps", 0, "value", "title"], ["title"]), "steps[0].title"),
        (changed(["settings"], ["x"]), "settings"),
        (changed(["settings", "max_per_region"], "abc"), "settings.max_per_region"),
        (changed(["settings", "max_per_region"], 2**70), "settings.max_per_region"),
        (changed(["settings", "login_required"], "no"), "settings.login_required"),
        (changed(["title"], {"x": 1}), "title"),
    ]


def test_definitions_of_the_wrong_shape_are_refused_with_the_path_of_each_mistake(admin_client, notice_index):
    world = build_world(notice_index)
    other = NoticePageFactory(parent=notice_index)
    url = reverse("shenbao_forms_admin:import_definition", args=[other.pk])
    for data, path in hostile_definitions(export_definition(world.page)):
        upload = SimpleUploadedFile("form.json", json.dumps(data).encode())
        response = admin_client.post(url, {"file": upload})
        text = response.content.decode()
        assert response.status_code == 422, (path, response.status_code)
        assert f"{path}:" in text, (path, text[text.find("error") : text.find("error") + 300])
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    response = admin_client.post(url, {"file": SimpleUploadedFile("form.json", deep)})
    assert response.status_code == 422 and "nests its values too deeply" in response.content.decode()
    assert not ApplicationFormPage.objects.child_of(other).exists()
