"""The review desk's shortcuts for large tables count what the plain filters count.

The dashboard counts a desk's parts apart (each an index range), the list counts once and a search counts at
most ``SEARCH_SHOWS_AT_MOST`` matches: each must give reviewers the figures and rows the direct query gives.
"""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forms_app.applications.models import Submission, SubmissionStatus
from forms_app.desk import views as desk_views
from forms_app.desk.panels import ReviewDashboardPanel
from forms_app.review.access import ReviewerAccess
from forms_app.review.workflow import transition
from tests.factories import OrganisationFactory
from tests.review_helpers import answers, build_world, submit

S = SubmissionStatus
INDEX = reverse("shenbao_applications_submission_modeladmin_index")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["xihu"])
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["hz"])
    transition([world.subs["haishu"].pk], S.RECOMMENDED, world.reviewers["haishu"])
    return world


def panel_counts(user, forms):
    request = RequestFactory().get("/admin/")
    request.user = user
    counted = Counter()
    for row in ReviewDashboardPanel(request).get_counts(forms):
        counted[(row["page"], row["region"], row["status"])] += row["n"]
    return counted


def direct_counts(user):
    rows = ReviewerAccess(user).submissions().values_list("page", "region", "status")
    return Counter(rows)


def test_dashboard_counts_by_parts_equal_the_visible_submissions(world):
    for key, reviewer in world.reviewers.items():
        assert panel_counts(reviewer, [world.page]) == direct_counts(reviewer), key
    # The province desk sees the 西湖区 application the city sent up, and nothing still in the districts.
    assert sum(panel_counts(world.reviewers["zj"], [world.page]).values()) == 1


def test_a_reviewer_at_two_desks_of_one_line_is_counted_once(world):
    both = world.reviewers["hz"]
    both.groups.add(world.reviewers["zj"].groups.get())
    access = ReviewerAccess(both)
    assert len(access.regions) == 2 and access.disjoint_visibility_parts() is None
    # 西湖区's application waits at the province, which both of this reviewer's desks see.
    counted = panel_counts(both, [world.page])
    assert counted == direct_counts(both)
    assert sum(counted.values()) == Submission.objects.filter(pk__in=[world.subs["xihu"].pk]).count()


def test_the_list_says_how_many_submissions_it_holds(client, world):
    client.force_login(world.reviewers["hz"])
    page = client.get(INDEX).content.decode()
    visible = ReviewerAccess(world.reviewers["hz"]).submissions().count()
    assert re.search(rf"\b{visible} submissions?\b", page)


def test_an_empty_filtered_list_says_nothing_matches_without_counting_everything(client, world):
    client.force_login(world.reviewers["hz"])
    page = client.get(INDEX, {"q": "没有这个词"}).content.decode()
    assert "there are no submissions matching your search" in page
    with CaptureQueriesContext(connection) as found:
        page = client.get(INDEX, {"q": world.subs["xihu"].reference}).content.decode()
    assert world.subs["xihu"].reference in page and "1 submission" in page
    # A search with rows needs no count of everything the reviewer may see: each count it makes is of
    # the matches, and stops a row past what it shows.
    table = "shenbao_applications_submission"
    counts = [q["sql"] for q in found if "COUNT(" in q["sql"] and table in q["sql"]]
    assert counts and all("search_vector" in sql or "shenbao_submission_search" in sql for sql in counts)
    assert all("LIMIT" in sql for sql in counts)


def test_a_search_that_matches_more_than_it_shows_says_so(client, world, monkeypatch):
    for n in range(4):
        other = OrganisationFactory(name=f"西湖第{n}医院", region=world.regions["xihu"])
        submit(world.page, other, answers(f"培训项目{n}"))
    monkeypatch.setattr(desk_views, "SEARCH_SHOWS_AT_MOST", 3)
    client.force_login(world.reviewers["xihu"])
    page = client.get(INDEX, {"q": "培训"}).content.decode()
    assert "More than 3 match: the first 3 are shown" in page
    assert len(re.findall(r'name="ids" value="\d+"', page)) == 3
    # Below the cap, the count is the number of matches.
    monkeypatch.setattr(desk_views, "SEARCH_SHOWS_AT_MOST", 10)
    page = client.get(INDEX, {"q": "培训"}).content.decode()
    assert "More than" not in page and "4 submissions" in page
