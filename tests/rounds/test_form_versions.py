"""A form page's versions in the admin: date, publisher, submissions made with each, and what
changed from the version before; only for those who may edit the form."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from forms_app.applications.models import FormVersion, Submission
from forms_app.builder.factories import choices as choice_lines
from forms_app.builder.factories import field, step, when
from tests.applications.test_form_pages import make_form
from tests.factories import NoticePageFactory
from tests.html import soup, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(notice_index):
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    return make_form(
        notice,
        [
            step(
                "basic",
                "基本信息",
                field("single_choice", "单位性质", key="unit", choices=choice_lines("高校", "企业")),
                field("short_text", "企业规模", key="size", max_length=20),
            )
        ],
    )


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser(
        "editor2", "editor2@example.com", "pw", first_name="王编辑"
    )


def republish(form, user):
    """Relabel the first field and make the second conditional, then publish as ``user``."""
    form.steps = [
        step(
            "basic",
            "基本信息",
            field("single_choice", "单位类型", key="unit", choices=choice_lines("高校", "企业")),
            field("short_text", "企业规模", key="size", max_length=20, condition=when("unit", "企业")),
        )
    ]
    form.save_revision(user=user).publish()
    form.refresh_from_db()


def versions_page(client, form):
    return client.get(reverse("shenbao_notices_admin:form_versions", args=[form.pk]))


def test_an_editor_sees_each_version_with_its_changes(client, form, editor):
    first = FormVersion.objects.latest_for(form)
    Submission.objects.create(page=form, form_version=first, reference="T-1")
    Submission.objects.create(page=form, form_version=first, reference="T-2")
    republish(form, editor)
    assert FormVersion.objects.filter(page=form).count() == 2
    client.force_login(editor)

    response = versions_page(client, form)
    assert response.status_code == 200
    html = soup(response)
    sections = html.select("section.form-version")
    assert [s["data-version"] for s in sections] == ["2", "1"]
    newest, oldest = sections
    assert text_of(newest.select_one("[data-publisher]")) == "王编辑"
    assert text_of(newest.select_one("[data-submissions]")) == "0"
    assert text_of(oldest.select_one("[data-submissions]")) == "2"
    assert text_of(oldest.select_one("[data-publisher]")) == "—"  # published in code, by no one
    kinds = [row["data-change"] for row in newest.select("tr[data-change]")]
    assert kinds == ["relabelled", "condition"]
    condition_row = text_of(newest.select_one("tr[data-change=condition]"))
    assert "单位类型" in condition_row and "企业" in condition_row
    assert oldest.select("tr[data-change]") == []


def test_the_edit_view_links_to_the_versions(client, form, editor):
    client.force_login(editor)
    html = soup(client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])))
    assert html.select(f'a[href="{reverse("shenbao_notices_admin:form_versions", args=[form.pk])}"]')


def test_only_those_who_may_edit_the_form_see_its_versions(client, form):
    assert versions_page(client, form).status_code == 302  # to the sign-in page
    reader = get_user_model().objects.create_user("reader", "reader@example.com", "pw")
    group = Group.objects.create(name="admin readers")
    group.permissions.set(Permission.objects.filter(codename="access_admin"))
    reader.groups.add(group)
    client.force_login(reader)
    # Wagtail's admin answers a refusal by sending the user back to the dashboard, with a message.
    refused = versions_page(client, form)
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert versions_page(client, form.get_parent()).status_code == 404  # a notice has no versions
