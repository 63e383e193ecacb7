"""Admin registration: the region list editors maintain, and the review desk ("申报审核")."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import modeladmin_register

from notices.models import NoticePage

from . import admin_urls
from .models import ApplicationFormPage, Region
from .review.admin import ReviewGroup
from .review.panels import ReviewDashboardPanel


class RegionViewSet(SnippetViewSet):
    """Regions (provinces, cities, counties) used by region fields, summary tables and reviewers."""

    model = Region
    icon = "site"
    menu_label = _("Regions")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "code"]


register_snippet(RegionViewSet)


@hooks.register("register_admin_urls")
def register_form_admin_urls():
    return [path("forms/", include(admin_urls, namespace="forms_admin"))]


def definition_buttons(page, user, priority):
    specific = page.specific_deferred
    if isinstance(specific, ApplicationFormPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Export definition (JSON)"),
            reverse("forms_admin:export_definition", args=[page.pk]),
            icon_name="download",
            priority=priority,
        )
    if isinstance(specific, NoticePage) and page.permissions_for_user(user).can_add_subpage():
        yield Button(
            _("Import a form (JSON)"),
            reverse("forms_admin:import_definition", args=[page.pk]),
            icon_name="upload",
            priority=priority + 1,
        )


@hooks.register("register_page_listing_more_buttons")
def form_listing_buttons(page, user, next_url=None):
    yield from definition_buttons(page, user, priority=30)


@hooks.register("register_page_header_buttons")
def form_header_buttons(page, user, view_name, next_url=None):
    yield from definition_buttons(page, user, priority=30)


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.append(ReviewDashboardPanel(request))


modeladmin_register(ReviewGroup)
