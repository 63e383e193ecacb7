"""The review desk in the admin: the "申报审核" menu and the dashboard panel."""

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from forms_app.desk.admin import ReviewGroup
from forms_app.desk.panels import ReviewDashboardPanel


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.append(ReviewDashboardPanel(request))


modeladmin_register(ReviewGroup)
