"""A reviewer at the city desk filters the list, opens a submission, returns one and recommends another."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forms_app.applications.models import Submission, SubmissionStatus
from forms_app.review.workflow import transition
from home.site_tree import ensure_site_tree
from tests.review_helpers import answers, build_world, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "applicant-pass-2024"  # tests.factories.UserFactory
S = SubmissionStatus


@pytest.fixture
def world(live_server, settings):
    settings.LANGUAGE_CODE = "en"
    _home, index, _created = ensure_site_tree()
    world = build_world(index, recommend_quota=1, quota_level="city")
    extra = submit(world.page, world.orgs["shangcheng"], answers("上城区第二个项目"))
    for sub in (world.subs["xihu"], world.subs["shangcheng"], extra):
        key = "xihu" if sub.region == world.regions["xihu"] else "shangcheng"
        transition([sub.pk], S.RECOMMENDED, world.reviewers[key])
    world.subs["extra"] = extra
    return world


def log_in(page, base_url, user):
    page.goto(base_url + "/admin/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_city_reviewer_filters_opens_returns_and_recommends(page, live_server, world, screenshot):
    hz = world.reviewers["hz"]
    xihu, shangcheng, extra = world.subs["xihu"], world.subs["shangcheng"], world.subs["extra"]
    log_in(page, live_server.url, hz)
    # The dashboard shows the city's counts.
    expect(page.locator(".review-dashboard")).to_contain_text("西湖区")
    page.goto(live_server.url + reverse("shenbao_applications_submission_modeladmin_index"))
    rows = page.locator("table.listing.full-width tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("body")).not_to_contain_text("海曙区医院")  # 宁波's submission is not ours

    # Filter by region: only 上城区's two remain; then by the form, which shows the quota.
    page.locator(".changelist-filter").get_by_role("link", name="杭州市 · 上城区").click()
    expect(rows).to_have_count(2)
    page.locator(".changelist-filter").get_by_role("link", name=re.compile("附件1")).click()
    expect(rows).to_have_count(2)
    expect(page.locator(".review-quotas")).to_contain_text("杭州市")
    screenshot("40-review-list-filtered")

    # Open one and return it: without a comment the error sits next to the comment box.
    rows.filter(has_text=shangcheng.reference).get_by_role("link", name="Open").click()
    expect(page.get_by_test_id("reference")).to_have_text(shangcheng.reference)
    expect(page.locator(".review-answers")).to_contain_text("上城区项目")
    expect(page.locator(".review-answers")).to_contain_text("110***********002X")
    page.get_by_label("Returned for revision").check()
    page.get_by_role("button", name="Save the status").click()
    comment = page.locator("#id_comment")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_comment_error")).to_contain_text("Give a reason")
    comment.fill("请补充活动方案。")
    page.get_by_label("Returned for revision").check()
    page.get_by_role("button", name="Save the status").click()
    expect(page.get_by_test_id("status")).to_contain_text("Returned for revision")
    expect(page.locator(".review-history")).to_contain_text("请补充活动方案。")
    screenshot("41-review-returned")

    # Back to the list; select the other two and recommend both: refused (quota 1), nothing changes.
    page.get_by_role("link", name="Back to the submissions").click()
    page.get_by_label(f"Select {xihu.reference}").check()
    page.get_by_label(f"Select {extra.reference}").check()
    page.locator("#bulk-status").select_option(S.RECOMMENDED)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".messages")).to_contain_text("may recommend at most 1 submission")
    assert Submission.objects.filter(stage_region=world.regions["zj"]).count() == 0

    # Recommend one from its own page.
    page.goto(live_server.url + reverse("shenbao_applications_submission_modeladmin_inspect", args=[xihu.pk]))
    page.get_by_label("Approved and recommended").check()
    page.locator("#id_comment").fill("推荐省厅")
    page.get_by_role("button", name="Save the status").click()
    expect(page.get_by_test_id("status")).to_contain_text("浙江省")
    screenshot("42-review-recommended")
    assert Submission.objects.get(pk=xihu.pk).stage_region == world.regions["zj"]
    assert Submission.objects.get(pk=shangcheng.pk).status == S.RETURNED
