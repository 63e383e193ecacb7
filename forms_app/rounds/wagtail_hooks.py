"""Admin integration for notices: "copy to next year" and "compare with last year"; a form's versions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from forms_app.applications.models import ApplicationFormPage
from forms_app.rounds import admin_urls
from forms_app.rounds.admin_views import user_can_copy_to_next_year
from notices.models import NoticePage


@hooks.register("register_admin_urls")
def register_notice_admin_urls():
    return [path("shenbao/rounds/", include(admin_urls, namespace="shenbao_notices_admin"))]


def copy_to_next_year_button(page, user, priority):
    if isinstance(page.specific_deferred, NoticePage) and user_can_copy_to_next_year(user, page):
        yield Button(
            _("Copy to next year"),
            reverse("shenbao_notices_admin:copy_to_next_year", args=[page.pk]),
            icon_name="copy",
            priority=priority,
        )


def compare_button(page, user, priority):
    specific = page.specific_deferred
    if isinstance(specific, NoticePage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Compare with last year"),
            reverse("shenbao_notices_admin:compare_rounds", args=[page.pk]),
            icon_name="doc-full",
            priority=priority,
        )


def form_versions_button(page, user, priority):
    if isinstance(page.specific_deferred, ApplicationFormPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Form versions"),
            reverse("shenbao_notices_admin:form_versions", args=[page.pk]),
            icon_name="history",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def notice_listing_buttons(page, user, next_url=None):
    yield from copy_to_next_year_button(page, user, priority=21)
    yield from compare_button(page, user, priority=22)
    yield from form_versions_button(page, user, priority=23)


@hooks.register("register_page_header_buttons")
def notice_header_buttons(page, user, view_name, next_url=None):
    yield from copy_to_next_year_button(page, user, priority=21)
    yield from compare_button(page, user, priority=22)
    yield from form_versions_button(page, user, priority=23)
