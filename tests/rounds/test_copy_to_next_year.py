"""Copy a notice with its forms to next year: one step, unpublished, nothing of applicants copied."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from forms_app.applications.models import ApplicationFormPage, FormVersion
from forms_app.rounds.yearly import copy_notice_to_next_year, next_year_date, next_year_text
from home.demo import load_demo
from notices.models import NoticePage
from tests.html import soup, text_of

BEIJING = ZoneInfo("Asia/Shanghai")
ZJ = "zhejiang-2024-expert-services"


@pytest.fixture
def demo(db):
    load_demo(with_accounts=False, log=lambda line: None)
    return NoticePage.objects.get(slug=ZJ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("关于做好2024年专家人才服务基层有关工作的通知", "关于做好2025年专家人才服务基层有关工作的通知"),
        ("zhejiang-2024-expert-services", "zhejiang-2025-expert-services"),
        ("2024年“智聚山海·助力共富”", "2025年“智聚山海·助力共富”"),
        ("第12345号", "第12345号"),  # not a year
        ("无年份", "无年份"),
    ],
)
def test_next_year_text(text, expected):
    assert next_year_text(text) == expected


def test_next_year_date_handles_leap_day():
    assert next_year_date(date(2024, 2, 29)) == date(2025, 2, 28)
    assert next_year_date(datetime(2024, 1, 26, 17, tzinfo=BEIJING)) == datetime(
        2025, 1, 26, 17, tzinfo=BEIJING
    )
    assert next_year_date(None) is None


def test_copy_moves_titles_and_dates_and_stays_unpublished(demo):
    old_forms = list(ApplicationFormPage.objects.child_of(demo).order_by("path"))
    assert FormVersion.objects.filter(page__in=old_forms).count() == 6

    copy = copy_notice_to_next_year(demo)

    copy.refresh_from_db()
    assert copy.title == "浙江省人力资源和社会保障厅办公室关于做好2025年专家人才服务基层有关工作的通知"
    assert copy.slug == "zhejiang-2025-expert-services"
    assert not copy.live
    assert copy.issue_date == date(2025, 1, 19)
    assert copy.print_date == date(2025, 1, 22)
    assert copy.deadline == datetime(2025, 1, 26, 17, tzinfo=BEIJING)
    assert [c.name for c in copy.contacts.all()] == ["郑坤", "余晓东"]
    assert copy.get_latest_revision() is not None

    new_forms = list(ApplicationFormPage.objects.child_of(copy).order_by("path"))
    assert [f.title for f in new_forms] == [next_year_text(f.title) for f in old_forms]
    assert [f.attachment_label for f in new_forms] == [f"附件{n}" for n in range(1, 7)]
    for old, new in zip(old_forms, new_forms, strict=True):
        assert not new.live
        # Same fields under the same keys: exports line up across years.
        assert new.get_schema_data() == old.get_schema_data()
        assert new.max_per_region == old.max_per_region
    # Nothing applicants or reviewers made is copied.
    assert FormVersion.objects.filter(page__in=new_forms).count() == 0
    # The source is untouched.
    demo.refresh_from_db()
    assert demo.live and demo.deadline.year == 2024


def test_publishing_the_copy_starts_its_own_versions(demo):
    copy = copy_notice_to_next_year(demo)
    form = ApplicationFormPage.objects.child_of(copy).first()
    form.save_revision().publish()
    assert list(FormVersion.objects.filter(page=form).values_list("number", flat=True)) == [1]


def test_copying_twice_is_refused_with_a_message(demo):
    copy_notice_to_next_year(demo)
    with pytest.raises(ValidationError) as error:
        copy_notice_to_next_year(demo)
    assert "zhejiang-2025-expert-services" in error.value.messages[0]


@pytest.fixture
def admin_client(client, demo):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


def test_admin_action_confirms_then_copies(admin_client, demo):
    url = reverse("shenbao_notices_admin:copy_to_next_year", args=[demo.pk])
    page = soup(admin_client.get(url))
    assert "浙江省人力资源和社会保障厅办公室关于做好2025年专家人才服务基层有关工作的通知" in text_of(page)
    assert "2025年专家服务基层示范团申报表" in text_of(page)
    response = admin_client.post(url)
    copy = NoticePage.objects.get(slug="zhejiang-2025-expert-services")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    # Once the copy exists the page explains why it cannot copy again, and a POST changes nothing.
    page = soup(admin_client.get(url))
    assert page.select_one("[role=alert]") is not None
    admin_client.post(url)
    assert NoticePage.objects.filter(slug__startswith="zhejiang-2025").count() == 1


def test_the_action_is_offered_on_the_notice_in_the_admin(admin_client, demo):
    explore = admin_client.get(reverse("wagtailadmin_explore", args=[demo.get_parent().pk]))
    assert reverse("shenbao_notices_admin:copy_to_next_year", args=[demo.pk]) in explore.content.decode()


def test_only_editors_who_may_add_pages_can_copy(client, demo):
    url = reverse("shenbao_notices_admin:copy_to_next_year", args=[demo.pk])
    assert client.get(url).status_code == 302  # to the login page
    plain = get_user_model().objects.create_user("someone", "s@example.com", "pw")
    from django.contrib.auth.models import Permission

    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(plain)
    # Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message.
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not NoticePage.objects.filter(slug="zhejiang-2025-expert-services").exists()


def edit_draft(form, change):
    """Change the copied form's steps the way an editor would, saved as a draft revision."""
    steps = form.steps.raw_data
    change(steps)
    form.steps = steps
    form.save_revision()


def test_the_copy_links_back_and_the_comparison_names_every_change(admin_client, demo, settings):
    from forms_app.rounds.compare import compare_rounds

    settings.LANGUAGE_CODE = "en"
    copy = copy_notice_to_next_year(demo)
    assert copy.previous_round_id == demo.pk
    new_form = copy.get_children().specific().get(slug="form-1")
    assert new_form.previous_form_id == demo.get_children().get(slug="form-1").pk
    # Before any edit, nothing changed in any form.
    assert all(row["changes"] == [] and row["old"] and row["new"] for row in compare_rounds(demo, copy))

    def change(steps):
        basic = steps[0]["value"]["fields"]
        by_key = {f["value"]["key"]: f for f in basic if f["value"].get("key")}
        by_key["team_name"]["value"]["label"] = "示范团名称"  # relabelled
        by_key["expert_count"]["value"]["max_value"] = 50  # an option
        basic.remove(by_key["service_field"])  # removed
        basic.append({"type": "email", "value": {"label": "联系邮箱", "key": "team_email", "help_text": "",
                                                  "required": True, "condition": {}}})  # fmt: skip
        service = steps[2]["value"]["fields"]
        forms = next(f for f in service if f["value"].get("key") == "service_forms")
        forms["value"]["choices"] += "\n线上直播"  # a choice added

    edit_draft(new_form, change)
    url = reverse("shenbao_notices_admin:compare_rounds", args=[copy.pk])
    page = soup(admin_client.get(url))
    first = page.select("[data-testid=compare-form]")[0]
    rows = {
        (row["data-change"], row.select("td")[1].get_text(strip=True)): row.select("td")[3].get_text(
            strip=True
        )
        for row in first.select("tr[data-change]")
    }
    assert rows[("relabelled", "示范团名称")] == "was “服务团名称”"
    assert rows[("removed", "服务领域")] == ""
    assert rows[("added", "联系邮箱")] == "E-mail"
    assert rows[("options", "参与专家人数")] == "Maximum: — → 50"
    assert rows[("options", "2.拟采取的服务形式（可多选）")] == "choices added: 线上直播"
    assert len(rows) == 5
    # The other five forms did not change; the same page compares with any round picked.
    unchanged = [s.get_text(" ", strip=True) for s in page.select("[data-testid=compare-form]")[1:]]
    assert len(unchanged) == 5, unchanged
    assert all("No change in the questions." in text for text in unchanged), unchanged
    other = admin_client.get(url, {"with": demo.pk})
    assert other.status_code == 200


def test_the_comparison_needs_edit_rights_and_offers_itself_in_the_menu(client, admin_client, demo):
    explore = admin_client.get(reverse("wagtailadmin_explore", args=[demo.get_parent().pk]))
    assert reverse("shenbao_notices_admin:compare_rounds", args=[demo.pk]) in explore.content.decode()
    plain = get_user_model().objects.create_user("someone", "s@example.com", "pw")
    from django.contrib.auth.models import Permission

    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(plain)
    response = client.get(reverse("shenbao_notices_admin:compare_rounds", args=[demo.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
