"""An applicant fills in the demo forms: conditions, counters, "other" boxes, tables and totals.

static/js/forms.js only makes filling in easier; the last test goes through
the wizard of an anonymous form and shows the answer kept next to the
server's message.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from forms_app.builder.factories import field
from home.demo import load_demo
from home.site_tree import ensure_site_tree
from tests.applications.test_form_pages import make_form, one_step
from tests.factories import NoticePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ZHEJIANG = "/notices/zhejiang-2024-expert-services/"


def button_name(text):
    """Match a button by its Chinese or English name."""
    with translation.override("zh-hans"):
        return re.compile(rf"^({re.escape(translation.gettext(text))}|{re.escape(text)})$")


@pytest.fixture
def demo_site(live_server):
    load_demo(with_accounts=False, log=lambda line: None)
    return live_server.url


def assert_no_sideways_scrolling(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_conditional_field_and_long_text_counter(page, demo_site, screenshot):
    page.goto(demo_site + ZHEJIANG + "form-2/")
    assert_no_sideways_scrolling(page)

    # 设立时间 is asked only of provincial bases.
    established = page.locator('[data-field-key="established_on"]')
    base = page.locator('[data-field-key="is_provincial_base"]')
    expect(established).to_be_hidden()
    expect(established.locator("input")).to_be_disabled()
    base.get_by_role("radio", name="是", exact=True).check()
    expect(established).to_be_visible()
    expect(established.get_by_label("设立时间")).to_be_enabled()
    base.get_by_role("radio", name="否", exact=True).check()
    expect(established).to_be_hidden()
    expect(established.locator("input")).to_be_disabled()

    # The counter counts characters, Chinese ones included, and flags text over the limit.
    achievements = page.get_by_label("3.近年来开展专家服务活动情况及成效")
    counter = page.locator('[data-field-key="achievements"] [data-counter-for]')
    expect(counter).to_have_text(re.compile(r"\b0\b.*\b1000\b"))
    achievements.press_sequentially("专家服务成效显著")
    expect(counter).to_have_text(re.compile(r"\b8\b.*\b1000\b"))
    expect(counter).not_to_have_class(re.compile(r"\bis-over\b"))
    too_long = "专" * 1001
    achievements.fill(too_long)
    # Pasted text is kept whole, so the applicant sees what to shorten.
    expect(achievements).to_have_value(too_long)
    expect(counter).to_have_text(re.compile(r"\b1001\b.*\b1000\b"))
    expect(counter).to_have_class(re.compile(r"\bis-over\b"))
    achievements.press("Backspace")
    expect(counter).to_have_text(re.compile(r"\b1000\b.*\b1000\b"))
    expect(counter).not_to_have_class(re.compile(r"\bis-over\b"))
    screenshot("20-form-2-conditions-counter")


def test_other_box_and_keyboard(page, demo_site):
    page.goto(demo_site + ZHEJIANG + "form-1/")
    assert_no_sideways_scrolling(page)

    # Keyboard users reach the first answer of the first step with Tab alone.
    first_input = (
        page.locator("section.form-step").first.locator("input:not([type=hidden]), select, textarea").first
    )
    expect(first_input).to_have_attribute("name", "basic-team_name")
    for _ in range(30):
        page.keyboard.press("Tab")
        if first_input.evaluate("el => el === document.activeElement"):
            break
    expect(first_input).to_be_focused()
    page.keyboard.insert_text("测试示范团")
    expect(first_input).to_have_value("测试示范团")

    # 其他's text box shows only once 其他 is ticked.
    forms = page.locator('[data-field-key="service_forms"]')
    other = forms.locator("[data-other-for]")
    expect(other).to_be_hidden()
    forms.get_by_role("checkbox", name="技术指导", exact=True).check()
    expect(other).to_be_hidden()
    forms.get_by_role("checkbox", name="其他", exact=True).check()
    expect(other).to_be_visible()
    expect(other.get_by_role("textbox")).to_be_editable()
    forms.get_by_role("checkbox", name="其他", exact=True).uncheck()
    expect(other).to_be_hidden()


def test_activity_table_rows_and_totals(page, demo_site, screenshot):
    page.goto(demo_site + ZHEJIANG + "form-5/")
    assert_no_sideways_scrolling(page)
    table = page.locator("[data-table]")
    rows = table.locator("tbody tr[data-row]")
    numbers = table.locator("[data-row-number]")
    names = table.locator('input[name$="-name"]')
    budgets = table.locator("input[data-number=budget]")
    total = table.locator("output[data-total=budget]")
    row_count = table.locator("input[data-row-count]")
    expect(rows).to_have_count(1)
    expect(numbers).to_have_text(["1"])
    expect(total).to_have_text("0")

    table.locator("[data-add-row]").click()
    expect(rows).to_have_count(2)
    expect(numbers).to_have_text(["1", "2"])
    expect(row_count).to_have_value("2")
    # The new row's first cell has the focus, ready to type.
    expect(names.nth(1)).to_be_focused()

    names.nth(0).fill("乡村振兴专家行")
    budgets.nth(0).fill("3")
    names.nth(1).fill("海岛医疗义诊")
    budgets.nth(1).fill("4.5")
    expect(total).to_have_text("7.5")

    # A new row starts empty even though it copies the last one.
    table.locator("[data-add-row]").click()
    expect(numbers).to_have_text(["1", "2", "3"])
    expect(names.nth(2)).to_have_value("")
    expect(budgets.nth(2)).to_have_value("")
    expect(total).to_have_text("7.5")
    assert_no_sideways_scrolling(page)
    screenshot("21-form-5-table")

    # Removing the first row renumbers the others, their field names, and the total.
    rows.nth(0).locator("[data-remove-row]").click()
    expect(rows).to_have_count(2)
    expect(numbers).to_have_text(["1", "2"])
    expect(row_count).to_have_value("2")
    expect(names.nth(0)).to_have_value("海岛医疗义诊")
    expect(names.nth(0)).to_have_attribute("name", "plan-activities-0-name")
    expect(budgets.nth(1)).to_have_attribute("name", "plan-activities-1-budget")
    expect(total).to_have_text("4.5")


def test_matrix_column_totals(page, demo_site, screenshot):
    page.goto(demo_site + ZHEJIANG + "form-6/")
    assert_no_sideways_scrolling(page)
    matrix = page.locator("[data-matrix]")
    teams = matrix.locator("output[data-total=teams_completed]")
    visits = matrix.locator("output[data-total=expert_visits]")
    expect(teams).to_have_text("0")
    # Cells are named by their row and column headers.
    matrix.get_by_role("textbox", name="杭州市 本地区已完成服务团数量（个）").fill("2")
    matrix.get_by_role("textbox", name="宁波市 本地区已完成服务团数量（个）").fill("5")
    expect(teams).to_have_text("7")
    expect(visits).to_have_text("0")
    matrix.get_by_role("textbox", name="宁波市 邀请专家总人次（人次）").fill("12")
    expect(visits).to_have_text("12")
    matrix.get_by_role("textbox", name="杭州市 本地区已完成服务团数量（个）").fill("")
    expect(teams).to_have_text("5")
    assert_no_sideways_scrolling(page)
    screenshot("22-form-6-matrix")


@pytest.fixture
def open_form_url(live_server):
    _home, index, _created = ensure_site_tree()
    notice = NoticePageFactory(parent=index, deadline=timezone.now() + timedelta(days=30))
    form = make_form(
        notice,
        one_step(
            field("short_text", "服务团名称", key="team_name", max_length=50),
            field("bank_code", "开户行联行号", key="bank_code"),
        ),
        login_required=False,
    )
    return live_server.url + form.url


def test_a_step_is_checked_on_the_server(page, open_form_url, screenshot):
    page.goto(open_form_url)
    page.get_by_role("button", name=button_name("Start now")).click()
    # Anonymous applicants are given their private link on every step.
    expect(page.locator(".resume-link__url")).to_have_value(re.compile(r"/resume/[\w-]{43}/$"))
    step = page.locator("section.form-step--current")
    step.get_by_label("服务团名称").fill("测试服务团")
    step.get_by_label("开户行联行号").fill("123")
    step.get_by_role("button", name=button_name("Save and check your answers")).click()

    bank = page.locator('[data-field-key="bank_code"]')
    errors = bank.locator(".form-field__errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("开户行联行号")
    bank_input = bank.get_by_label("开户行联行号")
    # What was typed is kept, and the message is read out with the input.
    expect(bank_input).to_have_value("123")
    expect(bank_input).to_have_attribute("aria-invalid", "true")
    expect(bank_input).to_have_accessible_description(re.compile("开户行联行号"))
    expect(page.get_by_label("服务团名称")).to_have_value("测试服务团")
    expect(page.locator('[data-field-key="team_name"] .form-field__errors')).to_have_count(0)
    screenshot("23-step-error")

    bank_input.fill("102331000011")
    page.get_by_role("button", name=button_name("Save and check your answers")).click()
    expect(page).to_have_url(re.compile(r"/apply/\d+/check/$"))
    expect(page.locator("[data-answer-key=bank_code] dd")).to_have_text("102331000011")
    expect(page.locator(".form-field__errors")).to_have_count(0)
    screenshot("24-step-checked")
