"""A round is a programme's year: its notice and forms. Lists and dashboards filter by it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.review_helpers import answers, build_world, review_form, submit

INDEX = "shenbao_applications_submission_modeladmin_index"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    this_year = world.page.get_parent().specific
    this_year.programme = "专家服务基层"
    this_year.save_revision().publish()
    # Last year's round of the same programme: closed, with one submission from 西湖区.
    world.old_form = review_form(notice_index, world.regions["zj"], slug="old-form", attachment_label="附件1")
    old_notice = world.old_form.get_parent().specific
    old_notice.programme = "专家服务基层"
    old_notice.issue_date = this_year.issue_date.replace(year=this_year.issue_date.year - 1)
    old_notice.title = "去年的通知"
    old_notice.save_revision().publish()
    world.old = submit(world.old_form, world.orgs["xihu"], answers("去年的项目"))
    world.old.submitted_at = timezone.now() - timedelta(days=320)
    world.old.save(update_fields=["submitted_at"])
    old_notice.deadline = timezone.now() - timedelta(days=300)
    old_notice.save_revision().publish()
    world.this_year, world.old_notice = this_year, old_notice
    return world


def test_round_labels_and_the_review_list_filter(client, world):
    assert world.this_year.round_label() == f"专家服务基层 {world.this_year.issue_date.year}"
    client.force_login(world.reviewers["xihu"])
    page = client.get(reverse(INDEX), {"notice": world.old_notice.pk}).content.decode()
    assert world.old.reference in page and world.subs["xihu"].reference not in page
    assert f"专家服务基层 {world.old_notice.issue_date.year} · 去年的通知" in page  # the filter's choice
    page = client.get(reverse(INDEX), {"notice": world.this_year.pk}).content.decode()
    assert world.subs["xihu"].reference in page and world.old.reference not in page


def test_the_dashboard_shows_one_round(client, world):
    client.force_login(world.reviewers["xihu"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'id="review-form-{world.page.pk}"' in home
    assert f'id="review-form-{world.old_form.pk}"' not in home  # closed and old: not among the open forms
    picked = client.get(reverse("wagtailadmin_home"), {"round": world.old_notice.pk}).content.decode()
    assert (
        f'id="review-form-{world.old_form.pk}"' in picked
        and f'id="review-form-{world.page.pk}"' not in picked
    )
    row = re.search(r"<tr><th scope=\"row\">西湖区</th>(.*?)</tr>", picked).group(1)
    assert re.findall(r"<td>(\d+)</td>", row)[-1] == "1"
