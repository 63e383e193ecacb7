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
from forms_app.accounts.forms import AskToJoinForm
from forms_app.accounts.models import ApplicantProfile, Membership

# The largest id a row can have (a bigint); SQLite overflows on a bigger one instead of finding nothing.
MAX_ID = 2**63 - 1


def may_ask_again(profile):
    """Whether ``profile``'s request was decided against it, so that it may ask to join a unit again."""
    return profile is not None and profile.status in (Membership.REFUSED, Membership.REMOVED)


def unit_page(request, ask_form=None, status=200):
    """The unit page for ``request.user``, with ``ask_form`` (bound, with its errors) when given."""
    profile = membership.profile_of(request.user)
    context = {"profile": profile, "refusal": membership.refusal(request.user)}
    if profile is not None and profile.is_member:
        organisation = profile.organisation
        context["members"] = membership.members(organisation)
        if profile.is_administrator:
            context["requests"] = membership.join_requests(organisation.members.all())
    if may_ask_again(profile):
        initial = {"credit_code": profile.organisation.credit_code}
        context["ask_form"] = ask_form or AskToJoinForm(initial=initial)
    return TemplateResponse(request, "shenbao_accounts/unit.html", context, status=status)


@login_required
@never_cache
def my_unit(request):
    """Show the applicant's unit: its members and, to its administrator, the requests to join."""
    return unit_page(request)


@login_required
@require_POST
def ask_to_join(request):
    """A refused or removed account asks to join a unit again, the same one or another, by credit code."""
    profile = membership.profile_of(request.user)
    if not may_ask_again(profile):
        raise PermissionDenied
    form = AskToJoinForm(request.POST)
    if not form.is_valid():
        return unit_page(request, ask_form=form, status=400)
    try:
        membership.ask_again(profile, form.organisation, request)
    except membership.MembershipRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Your request to join %(organisation)s was sent to its administrator and its region's bureau.")
            % {"organisation": form.organisation.name},
        )
    return redirect("shenbao_accounts:unit")


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
