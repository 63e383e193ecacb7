"""An editor makes a field conditional with the mouse, before the form was ever saved.

The condition editor offers the fields above by label and a choice field's options as a list, read
from the page as it is being built; the save turns the pick into the key it suggests. On the public
wizard the field then shows and hides by the rule, and the server holds to the same rule.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forms_app.applications.models import ApplicationFormPage, Draft
from tests.browser.test_form_builder_admin import add_field, editor, log_in, notice, publish  # noqa: F401
from tests.browser.test_form_page_behaviour import button_name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

UNIT_KEY = "dan_wei_xing_zhi"  # suggested from 单位性质
SIZE_KEY = "qi_ye_gui_mo"  # suggested from 企业规模


def field_block(page, index):
    return page.locator(
        f'[data-contentpath="fields"] [data-streamfield-child]:has(#steps-0-value-fields-{index}-value-label)'
    )


def test_editor_picks_a_condition_before_the_first_save(
    page,
    live_server,
    notice,  # noqa: F811
    editor,  # noqa: F811
    screenshot,
    settings,
):
    # Wagtail saves drafts as the editor types; without it the publication is the first save, and
    # the rule has to be picked from nothing but what the browser holds.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    log_in(page, live_server.url, editor)
    page.goto(
        live_server.url
        + reverse("wagtailadmin_pages:add", args=["shenbao_applications", "applicationformpage", notice.pk])
    )
    page.locator("#id_title").fill("附件2 单位申报表")
    page.locator("#steps-root button.c-sf-add-button").click()
    page.locator("#steps-0-value-title").fill("单位情况")
    add_field(page, "single_choice", "单位性质", 0)
    page.locator("#steps-0-value-fields-0-value-choices").fill("高校\n企业\n医院")
    add_field(page, "short_text", "企业规模", 1)

    # The second field's condition: open it, pick the field above by its label and the option.
    rule = page.locator("#steps-0-value-fields-1-value-condition-rules-0-value-field").locator(
        "xpath=ancestor::*[@data-controller='shenbao-condition-rule'][1]"
    )
    condition = page.locator('[data-contentpath="condition"]').filter(has=rule)
    condition.locator("button.w-panel__toggle").first.click()
    field_select = rule.locator("select[data-condition-field-select]")
    expect(field_select).to_be_visible()
    # Only the field above is offered, by its label: not the field itself.
    expect(field_select.locator("option")).to_have_count(2)
    field_select.select_option(label="单位性质")
    value_select = rule.locator("select[data-condition-value-select]")
    expect(value_select).to_be_visible()
    expect(value_select.locator("option")).to_have_text(["高校", "企业", "医院"])
    value_select.select_option(label="企业")
    # The rule reads the live form: a new option typed above is offered at once.
    page.locator("#steps-0-value-fields-0-value-choices").fill("高校\n企业\n医院\n其他单位")
    expect(value_select.locator("option")).to_have_text(["高校", "企业", "医院", "其他单位"])
    expect(value_select).to_have_value("企业")
    expect(page.locator("#steps-0-value-fields-1-value-condition-rules-0-value-field")).to_be_hidden()
    screenshot("13-admin-condition-picked")
    publish(page, notice)

    form_page = ApplicationFormPage.objects.child_of(notice).get()
    size = form_page.schema.get_field(SIZE_KEY)
    assert size["condition"] == {
        "join": "all",
        "rules": [{"field": UNIT_KEY, "op": "equals", "value": "企业"}],
    }
    # Editing again, the rule names the field by its key now, and still shows its label.
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[form_page.pk]))
    saved_rule = page.locator(
        "#steps-0-value-fields-1-value-condition-rules-0-value-field + select[data-condition-field-select]"
    )
    expect(saved_rule).to_have_value(UNIT_KEY)
    expect(saved_rule.locator("option:checked")).to_have_text(f"单位性质 ({UNIT_KEY})")

    # The public wizard shows 企业规模 only to enterprises.
    ApplicationFormPage.objects.filter(pk=form_page.pk).update(login_required=False)
    page.goto(live_server.url + form_page.url)
    page.get_by_role("button", name=button_name("Start now")).click()
    step = page.locator("section.form-step--current")
    unit = step.locator(f'[data-field-key="{UNIT_KEY}"]')
    size_box = step.locator(f'[data-field-key="{SIZE_KEY}"]')
    expect(unit).to_be_visible()
    expect(size_box).to_be_hidden()
    unit.get_by_role("radio", name="企业", exact=True).check()
    expect(size_box).to_be_visible()
    unit.get_by_role("radio", name="高校", exact=True).check()
    expect(size_box).to_be_hidden()

    # The server holds to the rule: an enterprise must answer 企业规模 …
    unit.get_by_role("radio", name="企业", exact=True).check()
    step.get_by_role("button", name=button_name("Save and check your answers")).click()
    errors = page.locator(f'[data-field-key="{SIZE_KEY}"] .form-field__errors')
    expect(errors).to_contain_text("企业规模")
    screenshot("14-wizard-condition-refused")
    # … and what the browser is made to send for a university is not kept.
    step = page.locator("section.form-step--current")
    step.locator(f'[data-field-key="{UNIT_KEY}"]').get_by_role("radio", name="高校", exact=True).check()
    page.evaluate(
        """key => {
            const input = document.querySelector(`[data-field-key="${key}"] input`);
            input.disabled = false;
            input.value = "大型";
        }""",
        SIZE_KEY,
    )
    step.get_by_role("button", name=button_name("Save and check your answers")).click()
    expect(page).to_have_url(re.compile(r"/check/$"))
    draft = Draft.objects.get(page=form_page)
    assert draft.answers == {UNIT_KEY: {"selected": "高校", "other": ""}}
