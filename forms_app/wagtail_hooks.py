"""Admin registration: the region list editors maintain, and the review desk ("申报审核")."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import modeladmin_register

from .models import Region
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


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.append(ReviewDashboardPanel(request))


modeladmin_register(ReviewGroup)
