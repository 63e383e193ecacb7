"""Routing below the notice index: the pages a URL names are found at once, with the slug walk's result."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from forms_app.applications.models import ApplicationFormPage
from notices.models import NoticeIndexPage, NoticePage
from notices.page_cache import route_pages
from notices.routing import routes_itself
from tests.factories import NoticePageFactory
from tests.wizard_helpers import three_step_form

pytestmark = pytest.mark.django_db


def route(path):
    """Route ``path`` as Wagtail's serve view does; return ``(page, args)`` or raise Http404."""
    request = RequestFactory().get(path)
    result = Page.route_for_request(request, path)
    if result is None:
        raise Http404
    return result.page, result.args


def test_a_wizard_step_routes_to_its_form_page_and_sub_url(notice_index):
    form = three_step_form(notice_index)
    page, (_view, args, kwargs) = route(form.url + "apply/12/basic/")
    assert type(page) is ApplicationFormPage and page.pk == form.pk
    assert [*args, *kwargs.values()] == [12, "basic"]
    # The form page knows its notice without another query, as after Wagtail's own walk.
    with CaptureQueriesContext(connection) as queries:
        notice = page.get_notice()
    assert isinstance(notice, NoticePage) and notice.pk == form.get_parent().pk
    assert len(queries) == 0


def test_every_level_routes_to_its_own_specific_page(notice_index):
    form = three_step_form(notice_index)
    notice = form.get_parent().specific
    assert route(notice_index.url)[0].pk == notice_index.pk
    assert type(route(notice.url)[0]) is NoticePage
    assert route(form.url)[0].pk == form.pk
    assert isinstance(route(notice_index.url)[0], NoticeIndexPage)


def test_routing_takes_the_same_queries_at_any_depth(notice_index):
    form = three_step_form(notice_index)
    shallow_url, deep_url = form.get_parent().url, form.url + "apply/12/basic/"
    route_pages.clear()
    with CaptureQueriesContext(connection) as shallow:
        route(shallow_url)
    route_pages.clear()
    with CaptureQueriesContext(connection) as deep:
        route(deep_url)
    # Site, home page, the chain of prefixes, the page and its parent: one level deeper costs nothing.
    assert len(deep) == len(shallow) <= 5


def test_unknown_slugs_and_unpublished_pages_are_not_found(notice_index):
    form = three_step_form(notice_index)
    notice, url = form.get_parent(), form.url
    with pytest.raises(Http404):
        route(notice.url + "no-such-form/")
    with pytest.raises(Http404):
        route(notice_index.url + "no-such-notice/" + form.slug + "/")
    with pytest.raises(Http404):
        route(url + "no/such/route/")
    form.unpublish()
    with pytest.raises(Http404):
        route(url)
    with pytest.raises(Http404):
        route(url + "apply/12/basic/")


def test_a_draft_notice_still_leads_to_its_live_form_as_the_slug_walk_does(notice_index):
    form = three_step_form(notice_index)
    notice = form.get_parent().specific
    url, notice_url = form.url, notice.url
    notice.unpublish()
    page, _args = route(url)
    assert page.pk == form.pk
    with pytest.raises(Http404):
        route(notice_url)


def test_a_renamed_or_moved_page_routes_by_its_new_url_only(notice_index):
    form = three_step_form(notice_index)
    old_url = form.url
    notice = form.get_parent().specific
    notice.slug = "renamed-notice"
    notice.save_revision().publish()
    form.refresh_from_db()
    assert route(form.url)[0].pk == form.pk
    assert "renamed-notice" in form.url
    with pytest.raises(Http404):
        route(old_url)

    other = NoticePageFactory(parent=notice_index, slug="other-notice")
    form.move(other, pos="last-child")
    form.refresh_from_db()
    assert route(form.url)[0].pk == form.pk
    assert form.url.startswith(other.url)


def test_pages_that_route_themselves_are_passed_through_not_over():
    # A routable page's own sub-URLs come before its children, so routing must go through it.
    assert routes_itself(ApplicationFormPage)
    assert not routes_itself(NoticePage)
    assert not routes_itself(NoticeIndexPage)
    assert routes_itself(None)


def test_a_page_routed_again_is_reused_as_a_fresh_copy_while_its_row_is_unchanged(notice_index):
    form = three_step_form(notice_index)
    url = form.url + "apply/12/basic/"
    first, _args = route(url)
    first.get_notice()._request_only = True
    with CaptureQueriesContext(connection) as again:
        second, _args = route(url)
    # Site, home page and the chain of prefixes: the notice and the form come from the cache.
    assert len(again) == 3
    assert second is not first and second.pk == first.pk
    assert not hasattr(second.get_notice(), "_request_only")


def test_a_publication_by_another_process_is_seen_at_once(notice_index):
    form = three_step_form(notice_index)
    url = form.url
    assert route(url)[0].title == form.title
    # Another server publishes: no signal reaches this process, but the row's publication time moves.
    ApplicationFormPage.objects.filter(pk=form.pk).update(title="新的标题", last_published_at=timezone.now())
    assert route(url)[0].title == "新的标题"


def test_a_field_written_without_a_revision_is_seen_after_the_cache_time(notice_index, settings):
    form = three_step_form(notice_index)
    url = form.url
    route(url)
    ApplicationFormPage.objects.filter(pk=form.pk).update(title="脚本改的标题")
    assert route(url)[0].title == form.title  # within SHENBAO_ROUTE_CACHE_SECONDS
    settings.SHENBAO_ROUTE_CACHE_SECONDS = 0
    assert route(url)[0].title == "脚本改的标题"


def test_saving_a_page_in_this_process_forgets_the_cached_pages(notice_index):
    form = three_step_form(notice_index)
    route(form.url)
    assert len(route_pages)
    notice = form.get_parent().specific
    notice.summary = "改过的摘要"
    notice.save()
    assert len(route_pages) == 0


def restrict(page, kind=PageViewRestriction.LOGIN, **extra):
    return PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)


def test_a_restriction_on_a_notice_reaches_its_forms_in_one_query(notice_index, client):
    form = three_step_form(notice_index)
    restrict(form.get_parent())
    response = client.get(form.url)
    assert response.status_code == 302 and "login" in response["Location"]
    page, _args = route(form.url)
    with CaptureQueriesContext(connection) as queries:
        restrictions = list(page.get_view_restrictions())
    assert [r.page_id for r in restrictions] == [form.get_parent().pk]
    assert len(queries) == 1


def test_a_password_on_the_notice_index_asks_for_it_on_every_form(notice_index, client):
    form = three_step_form(notice_index)
    restrict(notice_index, PageViewRestriction.PASSWORD, password="口令2024")
    response = client.get(form.url)
    assert response.status_code == 200
    assert b'name="password"' in response.content and form.title.encode() not in response.content


def test_an_alias_keeps_its_source_pages_restriction(notice_index, client):
    form = three_step_form(notice_index)
    notice = form.get_parent().specific
    other = NoticeIndexPage(title="转载", slug="aliases")
    notice_index.get_parent().add_child(instance=other)
    alias = notice.create_alias(parent=other, recursive=True, update_slug="alias-notice")
    restrict(notice)
    alias_form = alias.get_children().get().specific
    page, _args = route(alias_form.url)
    assert page.pk == alias_form.pk
    assert [r.page_id for r in page.get_view_restrictions()] == [notice.pk]
    assert client.get(alias_form.url).status_code == 302
