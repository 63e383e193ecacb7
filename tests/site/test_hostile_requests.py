"""Hostile query strings and ids on every list and page a visitor or a reviewer can reach: never a 500.

Lists read only the parameters their filters name (any other is ignored) and ids that no row could
have are a 404, so what a crawler, a stale bookmark or an attacker sends gets a page, never a traceback.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.review_helpers import build_world

LISTS = [
    "shenbao_applications_submission_modeladmin_index",
    "shenbao_review_auditlogentry_modeladmin_index",
    "shenbao_exchange_exportjob_modeladmin_index",
    "shenbao_rounds_deadlineextension_modeladmin_index",
    "shenbao_rounds_recommendationbatch_modeladmin_index",
    "shenbao_rounds_reminderlog_modeladmin_index",
    "shenbao_accounts_applicantprofile_modeladmin_index",
]
# The parameters the lists read, names Django's admin would turn into lookups, and nonsense.
NAMES = [
    "notice", "year", "form", "status", "region", "batch", "submitted_from", "submitted_to", "q", "p", "o",
    "personal", "all", "submitted_at__gte", "page", "desk", "stage_region__id__exact", "status__exact",
    "page__id__exact", "organisation", "user__id__exact", "e", "format__exact", "unmasked__exact",
    "action__exact", "id__in", "answers__has_key",
]  # fmt: skip
HOSTILE = [
    "abc", "", "-1", "99999999999999999999", "１２", "' OR 1=1 --", "\x00", "x" * 3000, "2024-13-45", "[]",
]  # fmt: skip


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


@pytest.fixture
def clients(world):
    admin = get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root")
    made = {}
    for name, user in {"admin": admin, "city": world.reviewers["hz"], "anonymous": None}.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        made[name] = client
    return made


def public_urls(world):
    page = world.page
    return [
        "/",
        page.get_parent().get_parent().url,  # the notice index
        page.get_parent().url,
        page.url,
        reverse("shenbao:my_applications"),
        reverse("shenbao:verify_form"),
        reverse("shenbao_accounts:unit"),
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_every_list_and_page_answers_every_parameter_set_to_a_hostile_value(clients, world, value):
    urls = [reverse(list_name) for list_name in LISTS] + public_urls(world)
    for who, client in clients.items():
        for url in urls:
            for names in (NAMES[:11], NAMES[11:]):  # the lists' own parameters, then the others
                response = client.get(url, dict.fromkeys(names, value))
                assert response.status_code < 500, (who, url, names, value, response.status_code)


def test_ids_no_row_could_have_are_not_found(clients, world):
    base = reverse(LISTS[0])
    for path in ["inspect/abc/", "inspect/99999999999999999999/", "inspect/-1/", "inspect/１２/"]:
        assert clients["admin"].get(base + path).status_code == 404, path
    batches = reverse("shenbao_rounds_recommendationbatch_modeladmin_index")
    assert clients["admin"].get(batches + "inspect/abc/").status_code == 404
    extensions = reverse("shenbao_rounds_deadlineextension_modeladmin_index")
    for path in ["edit/abc/", "delete/abc/", "edit/99999999999999999999/"]:
        assert clients["admin"].get(extensions + path).status_code == 404, path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url_index=st.integers(min_value=0, max_value=len(LISTS) + 5),
    params=st.dictionaries(
        st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=30)),
        st.one_of(st.sampled_from(HOSTILE), st.text(max_size=50), st.integers().map(str)),
        max_size=4,
    ),
    who=st.sampled_from(["admin", "city", "anonymous"]),
)
def test_any_query_string_on_any_list_or_page_gets_a_page(clients, world, url_index, params, who):
    urls = [reverse(list_name) for list_name in LISTS] + public_urls(world)
    url = urls[url_index % len(urls)]
    response = clients[who].get(url, params)
    assert response.status_code < 500, (url, params, who, response.status_code)
