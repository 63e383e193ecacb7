"""The "My unit" page: where an applicant's membership stands, and what the unit's administrator decides.

Every member sees the unit and its members; an account that is not (yet, or any more) a member sees
only where its own request stands. The administrator approves and refuses requests to join, removes
members and hands the role over, each a POST (CSRF-checked) on a profile of the administrator's own
unit: any other profile is a 404, any other account a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forms_app.accounts import membership
from forms_app.accounts.models import ApplicantProfile

# The largest id a row can have (a bigint); SQLite overflows on a bigger one instead of finding nothing.
MAX_ID = 2**63 - 1


@login_required
@never_cache
def my_unit(request):
    """Show the applicant's unit: its members and, to its administrator, the requests to join."""
    profile = membership.profile_of(request.user)
    context = {"profile": profile, "refusal": membership.refusal(request.user)}
    if profile is not None and profile.is_member:
        organisation = profile.organisation
        context["members"] = membership.members(organisation)
        if profile.is_administrator:
            context["requests"] = membership.join_requests(organisation.members.all())
    return TemplateResponse(request, "shenbao_accounts/unit.html", context)


def _approve(request, target, administrator):
    membership.decide(target, True, request.user, request, administrator_profile=administrator)
    return _("%(name)s is now a member of the unit.")


def _refuse(request, target, administrator):
    membership.decide(target, False, request.user, request, administrator_profile=administrator)
    return _("The request of %(name)s was refused.")


def _remove(request, target, administrator):
    membership.remove(target, request.user, request, administrator_profile=administrator)
    return _("%(name)s was removed from the unit.")


def _hand_over(request, target, administrator):
    membership.hand_over(target, administrator, request)
    return _("%(name)s is now the unit's administrator.")


ACTIONS = {"approve": _approve, "refuse": _refuse, "remove": _remove, "hand-over": _hand_over}


@login_required
@require_POST
def member_action(request, pk, action):
    """Do ``action`` on profile ``pk`` of the administrator's own unit, then show the unit page again."""
    if action not in ACTIONS or pk > MAX_ID:
        raise Http404
    administrator = membership.administered_profile(request.user)
    if administrator is None:
        raise PermissionDenied
    target = get_object_or_404(
        ApplicantProfile.objects.select_related("user"), pk=pk, organisation_id=administrator.organisation_id
    )
    try:
        done = ACTIONS[action](request, target, administrator)
    except membership.MembershipRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done % {"name": target.user.get_full_name() or target.user.email})
    return redirect("shenbao_accounts:unit")
