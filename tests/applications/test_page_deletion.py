"""Deleting pages never takes submissions with it: a notice or form that holds any is kept, with a reason."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page

from forms_app.applications.models import Submission
from tests.factories import NoticePageFactory
from tests.review_helpers import build_world


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root"))
    return client


def said(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.mark.parametrize("which", ["notice", "form"])
def test_a_page_whose_forms_hold_submissions_is_kept_with_the_reason(admin_client, notice_index, which):
    world = build_world(notice_index)
    page = world.page if which == "form" else world.page.get_parent()
    url = reverse("wagtailadmin_pages:delete", args=[page.pk])
    shown = admin_client.get(url)
    assert shown.status_code == 302 and "cannot be deleted: 3 submissions were made to its forms" in said(
        shown
    )
    response = admin_client.post(url, {"confirm_site_name": "x"})
    assert response.status_code == 302
    assert Page.objects.filter(pk=page.pk).exists() and Submission.objects.count() == 3


def test_the_reason_is_given_in_chinese(admin_client, notice_index, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world = build_world(notice_index)
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[world.page.get_parent().pk]))
    assert "不能删除" in said(response)


def test_bulk_deletion_keeps_them_too(admin_client, notice_index):
    world = build_world(notice_index)
    notice = world.page.get_parent()
    empty = NoticePageFactory(parent=notice_index)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    response = admin_client.post(f"{url}?id={notice.pk}&id={empty.pk}", {})
    text = said(response)
    assert response.status_code == 302 and "cannot be deleted" in text
    assert notice.title in text and empty.title not in text  # only the page that holds submissions
    assert Page.objects.filter(pk__in=[notice.pk, empty.pk]).count() == 2


def test_a_notice_without_submissions_is_deleted(admin_client, notice_index):
    notice = NoticePageFactory(parent=notice_index)
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[notice.pk]))
    assert response.status_code == 302 and not Page.objects.filter(pk=notice.pk).exists()
