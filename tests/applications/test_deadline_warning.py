"""A form that closes after its notice's deadline is worth a second look: the editor is warned on the
edit view and when publishing, and the publication still goes through."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from forms_app.applications.models import ApplicationFormPage
from forms_app.builder.factories import field
from tests.applications.test_form_pages import admin_form_data, make_form, one_step
from tests.factories import NoticePageFactory
from tests.html import soup, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(notice_index):
    deadline = timezone.now().replace(second=0, microsecond=0) + timedelta(days=10)
    return NoticePageFactory(parent=notice_index, deadline=deadline)


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


def form(notice, **kwargs):
    return make_form(notice, one_step(field("short_text", "名称", key="name", max_length=20)), **kwargs)


def warnings_on_edit_view(client, page):
    html = soup(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
    return [text_of(box) for box in html.select("[data-deadline-warning]")]


def test_a_form_closing_after_its_notice_is_warned_of(notice):
    late = form(notice, closes_at=notice.deadline + timedelta(days=1))
    assert "晚于所属通知的申报截止时间" in late.deadline_warning()
    assert form(notice, slug="on-time", closes_at=notice.deadline).deadline_warning() == ""
    assert form(notice, slug="early", closes_at=notice.deadline - timedelta(hours=1)).deadline_warning() == ""
    # No closing time of its own: the form closes with the notice.
    assert form(notice, slug="notice-time").deadline_warning() == ""


def test_the_edit_view_shows_the_warning_on_both_tabs(admin_client, notice):
    late = form(notice, closes_at=notice.deadline + timedelta(days=2))
    warnings = warnings_on_edit_view(admin_client, late)
    assert len(warnings) == 2  # content tab and, beside the dates, the settings tab
    assert all("晚于所属通知的申报截止时间" in warning for warning in warnings), warnings
    on_time = form(notice, slug="on-time", closes_at=notice.deadline)
    assert warnings_on_edit_view(admin_client, on_time) == []


def test_publishing_a_late_form_warns_and_publishes(admin_client, notice):
    closes = timezone.localtime(notice.deadline + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    url = reverse("wagtailadmin_pages:add", args=["shenbao_applications", "applicationformpage", notice.pk])
    response = admin_client.post(url, admin_form_data(closes_at=closes))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ApplicationFormPage.objects.get(slug="admin-form")
    assert page.live
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "晚于所属通知的申报截止时间" in warnings[0]
    admin_client.get(response.url)  # shows, and so uses up, the messages

    # Publishing it again from the edit view warns again; saving a draft does not.
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = admin_client.post(edit, admin_form_data(closes_at=closes))
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)].count("warning") == 1
    admin_client.get(response.url)
    draft = admin_form_data(closes_at=closes)
    del draft["action-publish"]
    response = admin_client.post(edit, draft)
    assert response.status_code == 302
    assert "warning" not in [m.level_tag for m in get_messages(response.wsgi_request)]


def test_publishing_a_form_that_closes_in_time_warns_of_nothing(admin_client, notice):
    closes = timezone.localtime(notice.deadline - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    url = reverse("wagtailadmin_pages:add", args=["shenbao_applications", "applicationformpage", notice.pk])
    response = admin_client.post(url, admin_form_data(closes_at=closes))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "warning" not in [m.level_tag for m in get_messages(response.wsgi_request)]
