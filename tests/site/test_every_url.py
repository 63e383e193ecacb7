"""Every URL the site routes, Wagtail's admin included, with real and hostile ids and parameters: never a 500.

The URL list is read from the resolver (and the form page's own routes), so a view added later is
driven too. Each route is asked once with ids of real rows and once with ids no row could have, by GET
and by POST, as an administrator, a city reviewer, an applicant and a visitor; then hypothesis mixes
routes, ids, query strings and POST fields at random.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from forms_app.applications.models import ApplicationFormPage, Draft
from tests.factories import ApplicantFactory
from tests.review_helpers import answers, build_world

# Wagtail's page-serving catch-all: its URLs are the pages themselves, listed from the tree.
SERVE_ALL = r"^((?:[\w\-]+/)*)$"
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")
HOSTILE_INTS = ["99999999999999999999", "0"]
HOSTILE_TEXT = ["abc", "'\"<x>", "..", "x" * 300, "１２"]
HOSTILE_FIELDS = {
    "page": "abc", "q": "\x00", "id": ["abc", "-1"], "next": "//evil.example", "p": "99999999999999999999",
    "action": "delete", "region": "abc", "year": "99999", "format": "<svg>", "step": "../../etc",
}  # fmt: skip


def routes(entries=None, prefix=""):
    """``[route]`` of every pattern the resolver holds, regex groups and converters as written."""
    found = []
    for entry in get_resolver().url_patterns if entries is None else entries:
        if isinstance(entry, URLResolver):
            found += routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and str(entry.pattern) != SERVE_ALL:
            found.append(prefix + str(entry.pattern))
    return [route for route in found if not route.startswith(("static/", "media/", "^static", "^media"))]


def form_page_routes(page):
    """The routes below a form page (start, steps, check…), with the page's own path before them."""
    return [page.url.lstrip("/") + str(entry.pattern) for entry in ApplicationFormPage.get_subpage_urls()]


def fill(route, values):
    """``route`` with each parameter replaced by ``values(converter, name)``, as a path."""

    def one(match):
        name = match.group("name") or match.group("group")
        return values(match.group("converter") or ("int" if match.group("group") else "str"), name)

    return "/" + PARAMETER.sub(one, route).replace("^", "").replace("$", "").replace("\\", "")


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    applicant = ApplicantFactory(organisation=world.orgs["xihu"])
    world.draft = Draft.objects.create(
        page=world.page, user=applicant, organisation=world.orgs["xihu"], answers=answers("草稿")
    )
    admin = get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root")
    world.users = {"admin": admin, "city": world.reviewers["hz"], "applicant": applicant, "visitor": None}
    return world


def real_ids(world):
    """A real row's id for each parameter name the routes use; the submission's for the others."""
    page = world.page
    return {
        "page_id": page.pk, "page_to_move_id": page.pk, "parent_page_id": page.get_parent().pk,
        "notice_id": page.get_parent().pk, "draft_id": world.draft.pk,
        "revision_id": page.latest_revision_id, "user_id": world.users["applicant"].pk,
        "pk": world.subs["xihu"].pk, "revision": 1,
    }  # fmt: skip


def every_url(world):
    """``[(real url, hostile url)]`` for every route, and every page of the tree."""
    ids = real_ids(world)
    submission = world.subs["xihu"]

    def real(converter, name):
        if converter in ("int", "path") or name in ids:
            return str(ids.get(name, submission.pk))
        return {"reference": submission.reference, "token": world.draft.token}.get(name, "xlsx")

    def hostile(converter, name):
        return HOSTILE_INTS[0] if converter == "int" else HOSTILE_TEXT[1]

    urls = [(fill(route, real), fill(route, hostile)) for route in routes() + form_page_routes(world.page)]
    pages = [page.url for page in Page.objects.live().specific() if page.url]
    return urls + [(url, url + "nothing-here/") for url in pages]


def signed_in(world, who):
    """A client signed in as ``who`` (none for the visitor), which answers errors with pages."""
    client = Client(raise_request_exception=False)
    if world.users[who] is not None:
        client.force_login(world.users[who])
    return client


def ask(world, clients, who, method, url, data):
    """Send one request, signing in again if an earlier one (a logout URL) signed the client out."""
    client = clients[who]
    if world.users[who] is not None and "_auth_user_id" not in client.session:
        client.force_login(world.users[who])
    return getattr(client, method)(url, data)


def test_every_url_answers_real_and_hostile_ids_and_fields_without_a_server_error(world):
    clients = {who: signed_in(world, who) for who in world.users}
    urls = every_url(world)
    assert len(urls) > 250  # the whole admin, not a hand-picked list
    failures = []
    # Plain and hostile GETs first: the POSTs that follow may unpublish, lock or move things.
    for method, data in (("get", {}), ("get", HOSTILE_FIELDS), ("post", HOSTILE_FIELDS)):
        for real, hostile in urls:
            for url in (real, hostile) if data else (real,):
                for who in clients:
                    status = ask(world, clients, who, method, url, data).status_code
                    if status >= 500:
                        failures.append(f"{method.upper()} {url} as {who}: {status}")
    assert not failures, "\n".join(failures)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    index=st.integers(min_value=0),
    value=st.one_of(
        st.sampled_from(HOSTILE_INTS + HOSTILE_TEXT),
        st.integers(min_value=0).map(str),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#%"), min_size=1),
    ),
    fields=st.dictionaries(
        st.one_of(st.sampled_from(sorted(HOSTILE_FIELDS)), st.text(min_size=1, max_size=20)),
        st.one_of(st.text(max_size=40), st.integers().map(str), st.sampled_from(HOSTILE_TEXT)),
        max_size=5,
    ),
    who=st.sampled_from(["admin", "city", "applicant", "visitor"]),
    method=st.sampled_from(["get", "post"]),
)
def test_any_route_with_any_id_and_fields_gets_a_page(world, index, value, fields, who, method):
    clients = {name: signed_in(world, name) for name in world.users}
    all_routes = routes() + form_page_routes(world.page)
    url = fill(all_routes[index % len(all_routes)], lambda converter, name: value)
    response = ask(world, clients, who, method, url, fields)
    assert response.status_code < 500, (method, who, url, fields, response.status_code)


def test_the_region_list_finds_regions_by_name_and_by_code(world):
    client = signed_in(world, "admin")
    url = "/admin/snippets/shenbao_builder/region/"
    by_code = client.get(url, {"q": "330106"})
    assert by_code.status_code == 200 and "西湖区" in by_code.content.decode()
    by_name = client.get(url, {"q": "海曙"})
    assert by_name.status_code == 200 and "海曙区" in by_name.content.decode()
