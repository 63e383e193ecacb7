"""The review desk in the admin: the "申报审核" menu, the dashboard panel, who hears of requests to join."""

from django.urls import reverse
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from forms_app import conf
from forms_app.accounts.hooks import UNIT_DESK_HOOK
from forms_app.desk.admin import ReviewGroup
from forms_app.desk.panels import ReviewDashboardPanel
from forms_app.review.access import desk_reviewers


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.append(ReviewDashboardPanel(request))


modeladmin_register(ReviewGroup)


@hooks.register(UNIT_DESK_HOOK)
def join_request_desk(request, organisation):
    """The reviewers of the desk nearest the unit's region, and the desk's list of requests to join."""
    if organisation.region_id is None:
        return [], ""
    url = reverse("shenbao_accounts_applicantprofile_modeladmin_index")
    url = conf.absolute_url(url)
    return [user.email for user in desk_reviewers(organisation.region)], url
