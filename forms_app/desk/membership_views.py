"""Requests to join a unit, at the review desk: reviewers decide those of units in their regions.

A unit's administrator decides its requests on the applicant side; a unit with no administrator, or
whose administrator does not answer, is decided here by a reviewer whose desk covers the unit's region,
the same regions (``ReviewerAccess.within_q``) that scope extensions and reminders. Another region's
request is a 404, and deciding needs the right to act at a desk (a 403 for read-only reviewers).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from forms_app.accounts import membership
from forms_app.accounts.models import ApplicantProfile
from forms_app.desk.listing import KnownParametersIndexView, as_id
from forms_app.review.access import ReviewerAccess

DECISIONS = {"approve": True, "refuse": False}


def profiles_of(access):
    """Return the profiles of units in the regions of ``access``'s desks (all, for administrators)."""
    return ApplicantProfile.objects.filter(access.within_q("organisation__region"))


class JoinRequestListView(KnownParametersIndexView):
    """The requests to join waiting in the reviewer's regions, each with approve and refuse."""

    def get_template_names(self):
        return ["shenbao_desk/join_requests.html"]

    def post(self, request, *args, **kwargs):
        access = ReviewerAccess.of(request.user)
        if not access.may_act:
            raise PermissionDenied
        profile = get_object_or_404(
            profiles_of(access).select_related("user", "organisation"), pk=as_id(request.POST.get("profile"))
        )
        decision = request.POST.get("decision")
        if decision not in DECISIONS:
            return HttpResponseBadRequest(_("Choose to approve or to refuse the request."))
        name = profile.user.get_full_name() or profile.user.email
        try:
            membership.decide(profile, DECISIONS[decision], request.user, request)
        except membership.MembershipRefused as refusal:
            messages.error(request, str(refusal))
        else:
            done = (
                _("%(name)s is now a member of %(unit)s.")
                if DECISIONS[decision]
                else _("The request of %(name)s to join %(unit)s was refused.")
            )
            messages.success(request, done % {"name": name, "unit": profile.organisation.name})
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = ReviewerAccess.of(self.request.user)
        context["requests"] = membership.join_requests(profiles_of(access))[:500]
        context["may_act"] = access.may_act
        return context
