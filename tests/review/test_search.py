"""The review list's full-text search: indexed CJK terms (PostgreSQL, SQLite), ranked, no personal numbers."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from forms_app.applications.models import Submission
from forms_app.applications.search import search_submissions
from tests.review_helpers import BANK_ACCOUNT, answers, build_world, submit
from tests.samples import KNOWN_ID

pytestmark = pytest.mark.django_db
INDEX = "shenbao_applications_submission_modeladmin_index"


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    world.once = submit(world.page, world.orgs["xihu"], answers("乡村技术培训"))
    world.twice = submit(world.page, world.orgs["shangcheng"], answers("技术培训与培训师资"))
    return world


def found(text, queryset=None):
    return [s.reference for s in search_submissions(queryset or Submission.objects.all(), text)]


def test_two_characters_organisations_and_references_are_found_ranked(world):
    # The answer that says it twice comes first; the one that does not say it is not found.
    assert found("培训") == [world.twice.reference, world.once.reference]
    assert found("技术培训") == [world.twice.reference, world.once.reference]
    assert found("海曙") == [world.subs["haishu"].reference]
    assert set(found("上城区医院")) == {world.twice.reference, world.subs["shangcheng"].reference}
    # A reference typed in full (in any case) is that submission, before anything that shares its terms.
    reference = world.once.reference
    assert found(reference.lower())[0] == reference and found(reference) == [reference]
    assert found("义诊") == [] and found("  ") == found("") == found(None)


def test_id_and_bank_numbers_are_never_indexed(world):
    for submission in Submission.objects.all():
        assert KNOWN_ID not in submission.search_text and BANK_ACCOUNT not in submission.search_text
    assert found(KNOWN_ID) == [] and found(BANK_ACCOUNT) == [] and found(KNOWN_ID[-8:]) == []


def test_the_index_follows_changes_and_deletions(world):
    submission = world.once
    submission.answers = answers("农业科技下乡")
    submission.refresh_search_text()
    submission.save()
    assert found("科技") == [submission.reference] and submission.reference not in found("乡村")
    Submission.objects.filter(pk=world.twice.pk).delete()
    assert found("培训") == []


def test_the_search_reads_its_index(world):
    terms = "培训"
    queryset = search_submissions(Submission.objects.all(), terms)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be scanned
        sql, params = queryset.query.sql_with_params()
        explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    index = "submission_search_gin" if connection.vendor == "postgresql" else "shenbao_submission_search"
    assert index in plan, plan


def test_the_search_holds_inside_a_subquery(world):
    # The review list reads a page's ids with a subquery, where Django renames the table: the match and the
    # rank must test each candidate row there, not the outer query's.
    submit(world.page, world.orgs["haishu"], answers("义诊服务"))  # the newest, and no match
    matched = search_submissions(Submission.objects.all(), "培训")
    first = Submission.objects.filter(pk__in=matched.values("pk")[:1])
    assert [s.reference for s in first] == [world.twice.reference]
    assert Submission.objects.filter(pk__in=matched.values("pk")).count() == 2


def test_the_list_searches_through_the_index(client, world, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse(INDEX), {"q": "培训"}).content.decode()
    refs = re.findall(r"ZJ\d{4}-F1-\d{5}", page)
    assert list(dict.fromkeys(refs)) == [world.twice.reference, world.once.reference]
