"""An editor builds an application form in the Wagtail admin, without code, then rewords a label.

The form is made of StreamField blocks: a step, and inside it a stream of field
blocks. The public page must show what was built, with field keys suggested
from the labels, and a key must survive relabelling (it names the answers).
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from forms_app.applications.models import ApplicationFormPage, FormVersion
from forms_app.builder.blocks import FIELD_BLOCKS
from home.site_tree import ensure_site_tree
from tests.factories import NoticePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "builder-pass-2024"
FORM_TITLE = "附件1 示范团申报表"
TEAM_KEY = "fu_wu_tuan_ming_cheng"  # suggested from 服务团名称
MOBILE_KEY = "shou_ji"  # suggested from 手机


def block_label(name):
    """Match a field block's name in the block menu, in English or Chinese (translations may lag)."""
    label = dict(FIELD_BLOCKS)[name].meta.label
    names = set()
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.add(re.escape(str(label)))
    return re.compile(rf"^({'|'.join(sorted(names))})$")


@pytest.fixture
def notice(live_server):
    _home, index, _created = ensure_site_tree()
    return NoticePageFactory(parent=index, deadline=timezone.now() + timedelta(days=30))


@pytest.fixture
def editor(live_server):
    return get_user_model().objects.create_superuser("builder", "builder@example.com", PASSWORD)


def log_in(page, base_url, user):
    page.goto(base_url + "/admin/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def add_field(page, block_name, label, index):
    """Append a field block to the first step's fields stream and give it a label."""
    # The last "+" of the fields stream inserts after the fields already there.
    page.locator('#steps-root [data-contentpath="fields"] button.c-sf-add-button').last.click()
    page.get_by_role("option", name=block_label(block_name)).click()
    label_input = page.locator(f"#steps-0-value-fields-{index}-value-label")
    expect(label_input).to_be_visible()
    label_input.fill(label)


def publish(page, parent):
    """Publish from the footer's action menu; Wagtail then lists the parent's pages."""
    page.locator("footer .w-dropdown__toggle").click()
    button = page.locator("footer button[name=action-publish]")
    expect(button).to_be_visible()
    button.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{parent.pk}/$"))
    expect(page.locator(".messages .success")).to_be_visible()


def test_editor_builds_a_form_and_relabels_a_field(page, live_server, notice, editor, screenshot):
    log_in(page, live_server.url, editor)

    page.goto(
        live_server.url
        + reverse("wagtailadmin_pages:add", args=["shenbao_applications", "applicationformpage", notice.pk])
    )
    page.locator("#id_title").fill(FORM_TITLE)
    # The steps stream offers one block type, so "+" inserts a step straight away.
    page.locator("#steps-root button.c-sf-add-button").click()
    step_title = page.locator("#steps-0-value-title")
    expect(step_title).to_be_visible()
    step_title.fill("基本信息")
    add_field(page, "short_text", "服务团名称", 0)
    add_field(page, "mobile", "手机", 1)
    # Keys are left empty: the editor relies on the suggestion.
    expect(page.locator("#steps-0-value-fields-0-value-key")).to_have_value("")
    screenshot("10-admin-builder")
    publish(page, notice)

    form_page = ApplicationFormPage.objects.child_of(notice).get()
    assert form_page.live and form_page.title == FORM_TITLE
    page.goto(live_server.url + form_page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(FORM_TITLE)
    steps = page.locator("section.form-step")
    expect(steps).to_have_count(1)
    expect(steps.get_by_role("heading", level=3)).to_contain_text("基本信息")
    expect(page.get_by_label("服务团名称")).to_be_visible()
    expect(page.get_by_label("手机")).to_be_visible()
    expect(page.locator(f'[data-field-key="{TEAM_KEY}"]')).to_contain_text("服务团名称")
    expect(page.locator(f'[data-field-key="{MOBILE_KEY}"]')).to_contain_text("手机")
    screenshot("11-public-form")

    # Back in the admin, the suggested key is shown; rewording the label leaves it alone.
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[form_page.pk]))
    expect(page.locator("#steps-0-value-fields-0-value-key")).to_have_value(TEAM_KEY)
    expect(page.locator("#steps-0-value-fields-1-value-key")).to_have_value(MOBILE_KEY)
    page.locator("#steps-0-value-fields-0-value-label").fill("示范团名称")
    publish(page, notice)

    page.goto(live_server.url + form_page.url)
    team = page.locator(f'[data-field-key="{TEAM_KEY}"]')
    expect(team).to_have_count(1)
    expect(team).to_contain_text("示范团名称")
    expect(page.get_by_label("示范团名称")).to_be_visible()
    expect(page.get_by_text("服务团名称")).to_have_count(0)
    screenshot("12-public-form-relabelled")
    # Both publications froze a version; the key is the same in each.
    versions = FormVersion.objects.filter(page=form_page).order_by("number")
    assert [v.schema.get_field(TEAM_KEY)["label"] for v in versions] == ["服务团名称", "示范团名称"]
