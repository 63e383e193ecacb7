"""Form pages: where they live, stable keys, versions, rendering and one-step validation."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from forms_app.applications.factories import publish_form_page
from forms_app.applications.models import ApplicationFormPage, FormVersion
from forms_app.builder.factories import field, step
from forms_app.builder.keys import suggest_key
from forms_app.builder.models import Region
from home.demo import load_demo
from notices.models import NoticePage
from tests.clients import CommittingClient
from tests.factories import NoticePageFactory
from tests.html import soup, text_of


def one_step(*fields, title="基本信息", key="basic"):
    return [step(key, title, *fields)]


@pytest.fixture
def notice(notice_index):
    return NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))


def make_form(notice, steps, **kwargs):
    return publish_form_page(notice, steps, title="测试申报表", **kwargs)


@pytest.mark.parametrize(
    ("label", "taken", "expected"),
    [
        ("服务团名称", (), "fu_wu_tuan_ming_cheng"),
        ("E-mail", (), "e_mail"),
        ("E-mail", ("e_mail",), "e_mail_2"),
        ("E-mail", ("e_mail", "e_mail_2"), "e_mail_3"),
        ("1.对口帮扶情况", (), "field_1_dui_kou_bang_fu_qing_kuang"),
        ("", (), "field"),
        ("！！！", (), "field"),
    ],
)
def test_suggest_key(label, taken, expected):
    assert suggest_key(label, taken) == expected


def test_long_chinese_labels_give_short_unique_keys():
    label = "指导培训基层专业技术人才总人数" * 10
    first = suggest_key(label)
    second = suggest_key(label, {first})
    assert len(first) <= 40 and len(second) <= 40
    assert first != second and second.startswith(first)


def test_keys_are_filled_once_and_survive_relabelling(notice):
    page = make_form(notice, one_step(field("short_text", "服务团名称", max_length=50)))
    assert [f["key"] for f in page.schema.input_fields()] == ["fu_wu_tuan_ming_cheng"]
    page.steps[0].value["fields"][0].value["label"] = "示范团名称（全称）"
    page.save_revision().publish()
    page.refresh_from_db()
    fields = page.schema.input_fields()
    assert fields[0]["label"] == "示范团名称（全称）"
    assert fields[0]["key"] == "fu_wu_tuan_ming_cheng"


def test_duplicate_keys_are_refused(notice):
    from django.core.exceptions import ValidationError

    steps = one_step(
        field("short_text", "名称", key="name", max_length=50),
        field("short_text", "别名", key="name", max_length=50),
    )
    page = ApplicationFormPage(title="重复", slug="dup", steps=steps)
    with pytest.raises(ValidationError) as error:
        notice.add_child(instance=page)
    assert "steps" in error.value.message_dict


def test_condition_must_point_to_an_earlier_field(notice):
    from django.core.exceptions import ValidationError

    steps = one_step(
        field(
            "date",
            "设立时间",
            key="established",
            condition={"field": "is_base", "operator": "equals", "value": "是"},
        ),
        field("yes_no", "是否基地", key="is_base", yes_label="是", no_label="否"),
    )
    with pytest.raises(ValidationError):
        notice.add_child(instance=ApplicationFormPage(title="条件", slug="cond", steps=steps))


def test_versions_freeze_the_form_as_published(notice):
    page = make_form(notice, one_step(field("short_text", "名称", key="name", max_length=50)))
    assert list(FormVersion.objects.filter(page=page).values_list("number", flat=True)) == [1]
    page.save_revision().publish()  # unchanged: no new version
    assert FormVersion.objects.filter(page=page).count() == 1

    page.steps[0].value["fields"][0].value["label"] = "单位名称"
    page.save_revision().publish()
    versions = list(FormVersion.objects.filter(page=page).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    # The first version still reads as it was.
    assert versions[0].schema.get_field("name")["label"] == "名称"
    assert versions[1].schema.get_field("name")["label"] == "单位名称"
    # A draft that is not published makes no version.
    page.steps[0].value["fields"][0].value["label"] = "草稿标签"
    page.save_revision()
    assert FormVersion.objects.filter(page=page).count() == 2


def test_form_pages_live_under_notices_only(notice):
    from wagtail.models import Page

    assert ApplicationFormPage.allowed_parent_page_models() == [NoticePage]
    assert ApplicationFormPage in NoticePage.allowed_subpage_models()
    assert not ApplicationFormPage.can_create_at(Page.get_first_root_node())


def test_region_lists(db):
    zj = Region.objects.create(code="330000", name="浙江省", level="province")
    hz = Region.objects.create(code="330100", name="杭州市", level="city", parent=zj)
    Region.objects.create(code="330106", name="西湖区", level="county", parent=hz)
    sh = Region.objects.create(code="310000", name="上海市", level="province")
    Region.objects.create(code="310101", name="黄浦区", level="county", parent=sh)
    assert [r.name for r in zj.get_descendants_at_level("city")] == ["杭州市"]
    assert [r.name for r in zj.get_descendants_at_level("county")] == ["西湖区"]
    assert [r.name for r in sh.get_descendants_at_level("county")] == ["黄浦区"]
    assert list(hz.get_descendants_at_level("province")) == []


@pytest.fixture
def demo(db):
    load_demo(with_accounts=False, log=lambda line: None)


@pytest.mark.parametrize(
    ("path", "steps", "min_fields"),
    [
        ("/notices/zhejiang-2024-expert-services/form-1/", 3, 20),
        ("/notices/zhejiang-2024-expert-services/form-2/", 4, 25),
        ("/notices/zhejiang-2024-expert-services/form-3/", 4, 30),
        ("/notices/zhejiang-2024-expert-services/form-4/", 2, 15),
        ("/notices/zhejiang-2024-expert-services/form-5/", 1, 4),
        ("/notices/zhejiang-2024-expert-services/form-6/", 1, 4),
        ("/notices/shanghai-2022-experts-serve-grassroots/service-team/", 3, 15),
        ("/notices/shanghai-2022-experts-serve-grassroots/service-base/", 2, 12),
    ],
)
def test_every_seed_form_renders_with_all_its_steps(client, demo, path, steps, min_fields):
    page = soup(client.get(path))
    assert len(page.select("section.form-step")) == steps
    assert len(page.select(".form-field")) >= min_fields
    assert len(page.find_all("h1")) == 1
    # Every input is labelled: by a <label for>, or by a fieldset legend / table headers.
    for control in page.select(
        ".form-field input:not([type=hidden]), .form-field select, .form-field textarea"
    ):
        labelled = control.get("aria-labelledby") or page.find("label", attrs={"for": control.get("id")})
        assert labelled or control.find_parent("fieldset").legend, control


def test_seed_forms_carry_the_published_fields(client, demo):
    f1 = ApplicationFormPage.objects.get(slug="form-1")
    forms = f1.schema.get_field("service_forms")
    assert forms["options"]["choices"] == [
        "技术指导",
        "技术推广",
        "项目合作",
        "成果转化",
        "人才培养",
        "决策咨询",
        "科普宣传",
        "义诊",
    ]
    assert forms["options"]["allow_other"] is True
    assert f1.schema.get_field("bank_code")["type"] == "bank_code"
    f2 = ApplicationFormPage.objects.get(slug="form-2")
    assert f2.schema.get_field("established_on")["condition"] == {
        "join": "all",
        "rules": [{"field": "is_provincial_base", "op": "equals", "value": "是"}],
    }
    assert f2.schema.get_field("three_year_plan")["options"]["max_length"] == 1000
    f3 = ApplicationFormPage.objects.get(slug="form-3")
    assert "passport" in f3.schema.get_field("identity")["options"]["document_types"]
    f5 = ApplicationFormPage.objects.get(slug="form-5")
    columns = [c["label"] for c in f5.schema.get_field("activities")["options"]["columns"]]
    assert columns == [
        "活动名称",
        "活动主要内容",
        "拟举办日期",
        "举办单位",
        "（拟）邀请专家数",
        "活动联系人",
        "联系电话",
        "活动预算",
    ]
    f6 = ApplicationFormPage.objects.get(slug="form-6")
    matrix = f6.schema.get_field("results")["options"]
    assert [r["label"] for r in matrix["rows"]][:3] == ["杭州市", "宁波市", "温州市"] and len(
        matrix["rows"]
    ) == 11
    assert sum(c["type"] == "integer" for c in matrix["columns"]) == 11
    sh = ApplicationFormPage.objects.get(slug="service-team")
    assert sh.max_per_organisation == 1


def test_notice_lists_its_forms(client, demo):
    page = soup(client.get("/notices/zhejiang-2024-expert-services/"))
    items = [text_of(li) for li in page.select(".notice-attachments li.attachment--form")]
    assert len(items) == 6
    assert items[0].startswith("附件12024年专家服务基层示范团申报表")


def admin_form_data(**extra):
    """The POST of the admin's add view for a one-field form, as the browser sends it, then published."""
    return nested_form_data(
        {
            "title": "附件1 申报表",
            "slug": "admin-form",
            "attachment_label": "附件1",
            "intro": rich_text("<p>请如实填写。</p>"),
            "steps": streamfield(
                [
                    (
                        "step",
                        {
                            "title": "基本信息",
                            "key": "",
                            "description": "",
                            "condition": {"join": "all", "rules": streamfield([])},
                            "fields": streamfield(
                                [
                                    (
                                        "short_text",
                                        {
                                            "label": "服务团名称",
                                            "key": "",
                                            "help_text": "",
                                            "required": "on",
                                            "condition": {"join": "all", "rules": streamfield([])},
                                            "max_length": "100",
                                        },
                                    )
                                ]
                            ),
                        },
                    )
                ]
            ),
            "confirmation_text": rich_text(""),
            "notify_emails": "",
            "reference_prefix": "ZJ",
            "pdf_header": "",
            "quota_level": "city",
            "keep_submissions_years": "0",
            "action-publish": "action-publish",
            **extra,
        }
    )


def test_editor_creates_a_form_in_the_admin(client, notice):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    data = admin_form_data()
    url = reverse("wagtailadmin_pages:add", args=["shenbao_applications", "applicationformpage", notice.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ApplicationFormPage.objects.get(slug="admin-form")
    assert page.live
    assert [f["key"] for f in page.schema.input_fields()] == ["fu_wu_tuan_ming_cheng"]
    assert page.schema.steps[0]["key"] == "ji_ben_xin_xi"
    assert FormVersion.objects.filter(page=page).count() == 1


def test_preview_shows_an_unsaved_form_as_applicants_will_see_it(notice):
    page = make_form(notice, one_step(field("short_text", "名称", key="name", max_length=20)))
    page.steps[0].value["fields"][0].value["label"] = "尚未发布的新标签"
    response = page.make_preview_request()
    assert response.status_code == 200
    html = soup(response)
    assert text_of(html.select_one("[data-field-key=name] label")).startswith("尚未发布的新标签")
    # The live page still shows the published label.
    assert "尚未发布的新标签" not in text_of(soup(CommittingClient().get(page.url)))


@pytest.mark.parametrize(
    ("kind", "settings", "bad_setting"),
    [
        ("long_text", {"min_length": 10, "max_length": 5, "rows": 5}, "min_length"),
        ("integer", {"min_value": 10, "max_value": 1, "unit": ""}, "min_value"),
        (
            "multiple_choice",
            {
                "choices": "甲\n乙",
                "allow_other": False,
                "other_label": "",
                "min_choices": 3,
                "max_choices": 1,
            },
            "min_choices",
        ),
        (
            "multiple_choice",
            {
                "choices": "  \n ",
                "allow_other": False,
                "other_label": "",
                "min_choices": None,
                "max_choices": None,
            },
            "choices",
        ),
    ],
)
def test_editor_settings_that_contradict_each_other_are_refused(kind, settings, bad_setting):
    from wagtail.blocks.struct_block import StructBlockValidationError

    from forms_app.builder.blocks import FIELD_BLOCKS

    block = dict(FIELD_BLOCKS)[kind]
    value = block.to_python(
        {"label": "字段", "key": "f", "help_text": "", "required": True, "condition": {}, **settings}
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert bad_setting in error.value.block_errors
