"""A form's schema and step form classes are built once per content, region list and language."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from forms_app.applications.models import ApplicationFormPage
from forms_app.builder.factories import field, step
from forms_app.builder.models import Region
from tests.applications.test_form_pages import make_form
from tests.factories import NoticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(notice_index):
    Region.objects.create(name="杭州市", code="330100", level="city")
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    fields = [field("short_text", "名称", "name"), field("region", "地区", "region")]
    steps = [step("basic", "基本信息", *fields)]
    return make_form(notice, steps)


def fresh(page):
    """The page as a new request loads it."""
    return ApplicationFormPage.objects.get(pk=page.pk)


def test_a_second_request_reuses_the_schema_and_the_form_classes(form, django_assert_max_num_queries):
    first = dict(fresh(form).get_step_form_classes())
    again = fresh(form)
    with django_assert_max_num_queries(1):  # the region list's signature, nothing else
        classes = dict(again.get_step_form_classes())
    assert classes["basic"] is first["basic"]
    assert again.schema is fresh(form).schema


def test_a_published_change_builds_new_classes(form):
    before = dict(fresh(form).get_step_form_classes())["basic"]
    page = fresh(form)
    page.steps[0].value["fields"][0].value["label"] = "团队名称"
    page.save_revision().publish()
    after = dict(fresh(form).get_step_form_classes())["basic"]
    assert after is not before
    assert after.base_fields["name"].label == "团队名称"


def test_an_edited_region_is_offered_at_once(form):
    before = dict(fresh(form).get_step_form_classes())["basic"]
    assert dict(before.base_fields["region"].choices)["330100"] == "杭州市"
    region = Region.objects.get(code="330100")
    region.name = "杭州"
    region.save()
    after = dict(fresh(form).get_step_form_classes())["basic"]
    assert dict(after.base_fields["region"].choices)["330100"] == "杭州"
    Region.objects.create(name="宁波市", code="330200", level="city")
    assert "330200" in dict(dict(fresh(form).get_step_form_classes())["basic"].base_fields["region"].choices)


def test_each_language_has_its_own_messages(form):
    with translation.override("en"):
        english = dict(fresh(form).get_step_form_classes())["basic"]
    with translation.override("zh-hans"):
        chinese = dict(fresh(form).get_step_form_classes())["basic"]
    assert english is not chinese
    assert "required" in english.base_fields["name"].error_messages["required"]
    assert "必填" in chinese.base_fields["name"].error_messages["required"]
