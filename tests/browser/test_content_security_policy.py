"""In Chromium, the forms' scripts work under the site's Content-Security-Policy and nothing is blocked.

The browser reports every blocked script, style or resource as a ``securitypolicyviolation`` event
(and a console error); a listener installed before any page script runs collects them. The admin's
narrower policy is checked the same way on the pages editors and reviewers use most.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from forms_app.builder.factories import field
from home.demo import load_demo
from home.site_tree import ensure_site_tree
from tests.applications.test_form_pages import make_form, one_step
from tests.browser.test_form_page_behaviour import button_name
from tests.factories import NoticePageFactory
from tests.review_helpers import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ZHEJIANG = "/notices/zhejiang-2024-expert-services/"
PASSWORD = "csp-admin-pass-2024"
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  var where = (event.blockedURI || "inline") + " " + event.sourceFile + ":" + event.lineNumber;
  window.__violations.push(event.effectiveDirective + " " + where);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every policy violation and console error it reports collected."""
    page.add_init_script(LISTEN)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def violations(page):
    reported = page.evaluate("window.__violations")
    blocked = [text for text in page.errors if "Content Security Policy" in text]
    return reported + blocked


@pytest.fixture
def demo_site(live_server):
    load_demo(with_accounts=False, log=lambda line: None)
    return live_server.url


def test_the_listener_sees_what_the_policy_blocks(watched, demo_site):
    """A style attribute written from a script is blocked and reported: the checks below can fail."""
    watched.goto(demo_site + "/")
    watched.evaluate("document.body.setAttribute('style', 'background: red')")
    expect(watched.locator("body")).not_to_have_css("background-color", "rgb(255, 0, 0)")
    watched.wait_for_function("window.__violations.length > 0")
    assert any(v.startswith("style-src-attr") for v in violations(watched))


def test_conditions_and_rows_work_with_nothing_blocked(watched, demo_site):
    # 设立时间 is asked only of provincial bases.
    watched.goto(demo_site + ZHEJIANG + "form-2/")
    established = watched.locator('[data-field-key="established_on"]')
    expect(established).to_be_hidden()
    watched.locator('[data-field-key="is_provincial_base"]').get_by_role(
        "radio", name="是", exact=True
    ).check()
    expect(established).to_be_visible()
    counter = watched.locator('[data-field-key="achievements"] [data-counter-for]')
    watched.get_by_label("3.近年来开展专家服务活动情况及成效").press_sequentially("专家服务")
    expect(counter).to_have_text(re.compile(r"\b4\b.*\b1000\b"))
    assert violations(watched) == []

    # A repeating table adds rows and sums a column.
    watched.goto(demo_site + ZHEJIANG + "form-5/")
    table = watched.locator("[data-table]")
    table.locator("[data-add-row]").click()
    expect(table.locator("tbody tr[data-row]")).to_have_count(2)
    budgets = table.locator("input[data-number=budget]")
    budgets.nth(0).fill("3")
    budgets.nth(1).fill("4.5")
    expect(table.locator("output[data-total=budget]")).to_have_text("7.5")
    assert violations(watched) == []


def test_the_private_link_selects_itself_with_nothing_blocked(watched, live_server):
    _home, index, _created = ensure_site_tree()
    notice = NoticePageFactory(parent=index, deadline=timezone.now() + timedelta(days=30))
    form = make_form(
        notice, one_step(field("short_text", "服务团名称", key="team_name")), login_required=False
    )
    watched.goto(live_server.url + form.url)
    watched.get_by_role("button", name=button_name("Start now")).click()
    link = watched.locator(".resume-link__url")
    expect(link).to_have_value(re.compile(r"/resume/[\w-]{43}/$"))
    link.click()
    selected = watched.evaluate(
        "(el => el.value.substring(el.selectionStart, el.selectionEnd))", link.element_handle()
    )
    assert selected == link.input_value()
    assert violations(watched) == []


def test_the_admin_pages_editors_and_reviewers_use_are_not_blocked(watched, live_server):
    """Under the admin's narrower policy: the dashboard, the desk, the form builder and a notice's editor."""
    _home, index, _created = ensure_site_tree()
    world = build_world(index)
    user = get_user_model().objects.create_superuser("csp-root", "csp-root@example.cn", PASSWORD)
    watched.goto(live_server.url + reverse("wagtailadmin_login"))
    watched.locator("input[name=username]").fill(user.username)
    watched.locator("input[name=password]").fill(PASSWORD)
    watched.locator("form.login-form button[type=submit]").click()
    expect(watched).to_have_url(re.compile(r"/admin/$"))
    expect(watched.locator(".review-chart__bars").first).to_be_visible()
    pages = [
        reverse("shenbao_applications_submission_modeladmin_index"),
        reverse("shenbao_applications_submission_modeladmin_inspect", args=[world.subs["xihu"].pk]),
        reverse("wagtailadmin_pages:edit", args=[world.page.pk]),
        reverse("wagtailadmin_pages:edit", args=[world.page.get_parent().pk]),
    ]
    for path in pages:
        watched.goto(live_server.url + path)
        watched.wait_for_load_state("networkidle")
    # The notice's editor: its deadline's date picker and its attachments' repeating panel both run.
    watched.locator("#id_deadline").click()
    expect(watched.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)
    assert violations(watched) == [], "\n".join(violations(watched))
