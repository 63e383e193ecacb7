"""Who may act for a unit: requests to join, the unit's administrator, and the one rule every use asks.

Credit codes are printed on every business licence, so naming one proves nothing. The account that
registers a unit is its administrator; an account that names a unit already known asks to join it,
and acts in the unit's name (drafts, submissions, its quota, its extensions) only once the unit's
administrator, or a reviewer whose desk covers the unit's region, approves. The administrator also
removes members and hands the role to another member. Each change locks the profiles it reads, so
two decisions on one request, or a removal and a hand-over, are taken one after the other; the
database holds one administrator per unit whatever races.

``refusal()`` is the rule the applications app asks before anything is done in a unit's name.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from forms_app import conf, messaging
from forms_app.accounts.hooks import UNIT_DESK_HOOK
from forms_app.accounts.models import ApplicantProfile, Membership

JOIN_REQUESTED = messaging.Event("request to join a unit", "shenbao_accounts/email/join_request")
JOIN_APPROVED = messaging.Event("request to join approved", "shenbao_accounts/email/join_approved")
JOIN_REFUSED = messaging.Event("request to join refused", "shenbao_accounts/email/join_refused")
MEMBER_REMOVED = messaging.Event("member removed from a unit", "shenbao_accounts/email/member_removed")
ROLE_HANDED_OVER = messaging.Event("unit administrator handed over", "shenbao_accounts/email/handed_over")


class MembershipRefused(Exception):
    """A change of membership may not be made; the message says why, for the person who asked."""


# --- reading ---------------------------------------------------------------------------------------


def profile_of(user):
    """Return ``user``'s profile (whatever its status), or None for visitors and staff without one."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "applicant_profile", None)


def member_organisation(user):
    """Return the unit ``user`` may act for, or None (no profile, or not an approved member)."""
    profile = profile_of(user)
    return profile.organisation if profile is not None and profile.is_member else None


def refusal(user, organisation=None):
    """Return why ``user`` may not act in ``organisation``'s name (their own unit by default), or None.

    An account with no profile is refused only for a named unit: forms without sign-in, and staff
    trying a form, apply in nobody's name.
    """
    profile = profile_of(user)
    if profile is None or (organisation is not None and profile.organisation_id != organisation.pk):
        if organisation is None:
            return None
        return _("This account is not a member of %(organisation)s, so it cannot act in its name.") % {
            "organisation": organisation.name
        }
    if profile.status == Membership.APPROVED:
        return None
    # The unit named is the one asked about when given (already read), else the profile's own.
    names = {"organisation": (organisation or profile.organisation).name}
    if profile.status == Membership.PENDING:
        return (
            _(
                "Your request to join %(organisation)s awaits approval by its administrator or the "
                "region's bureau, so this account cannot apply in its name yet."
            )
            % names
        )
    if profile.status == Membership.REFUSED:
        return (
            _("Your request to join %(organisation)s was refused, so this account cannot apply in its name.")
            % names
        )
    if profile.status == Membership.REMOVED:
        return (
            _(
                "This account was removed from %(organisation)s, so it can no longer apply in its name "
                "or see its applications."
            )
            % names
        )
    return None


def is_member(user_id, organisation_id, lock=False):
    """Whether account ``user_id`` is an approved member of unit ``organisation_id`` (locking its row)."""
    profiles = ApplicantProfile.objects.filter(
        user_id=user_id, organisation_id=organisation_id, status=Membership.APPROVED
    )
    if lock:
        profiles = profiles.select_for_update()
    return profiles.exists()


def administered_profile(user):
    """Return ``user``'s profile when they are their unit's administrator, else None."""
    profile = profile_of(user)
    return profile if profile is not None and profile.is_member and profile.is_administrator else None


def administrator(organisation):
    """Return the profile of ``organisation``'s administrator, or None."""
    return (
        ApplicantProfile.objects.filter(organisation=organisation, is_administrator=True)
        .select_related("user")
        .first()
    )


def members(organisation):
    """Return the approved members of ``organisation``, the administrator first."""
    return (
        ApplicantProfile.objects.filter(organisation=organisation, status=Membership.APPROVED)
        .select_related("user")
        .order_by("-is_administrator", "user__first_name", "user__email")
    )


def join_requests(queryset=None):
    """Return the requests to join still waiting, of confirmed accounts only, oldest first.

    An account that never confirmed its address may be anybody's typing; nobody is asked about it.
    """
    queryset = ApplicantProfile.objects.all() if queryset is None else queryset
    return (
        queryset.filter(status=Membership.PENDING, user__is_active=True)
        .select_related("user", "organisation__region")
        .order_by("requested_at", "pk")
    )


# --- changing --------------------------------------------------------------------------------------


def _locked(*profiles):
    """Return fresh, locked copies of ``profiles`` (locked in id order, so two changes never deadlock)."""
    ids = sorted({profile.pk for profile in profiles})
    rows = ApplicantProfile.objects.select_for_update(of=("self",)).select_related("user", "organisation")
    found = {row.pk: row for row in rows.filter(pk__in=ids).order_by("pk")}
    return [found[profile.pk] for profile in profiles]


def _still_administrator(profile, organisation_id):
    if profile is None:
        return  # a reviewer: the desk checked the region
    if not (profile.is_member and profile.is_administrator and profile.organisation_id == organisation_id):
        raise MembershipRefused(_("Only the unit's administrator may do this."))


def _context(profile, **extra):
    return {
        "site_name": conf.site_name(),
        "organisation": profile.organisation,
        "member": profile.user,
        "member_name": profile.user.get_full_name() or profile.user.email,
        **extra,
    }


def announce_request(request, profile):
    """Mail a new request to join to the unit's administrator and to the desk of its region."""
    if profile.status != Membership.PENDING:
        return
    admin = administrator(profile.organisation)
    if admin is not None:
        unit_url = conf.absolute_url(reverse("shenbao_accounts:unit"))
        messaging.send(JOIN_REQUESTED, [admin.user.email], _context(profile, decide_url=unit_url), request)
    for desk in hooks.get_hooks(UNIT_DESK_HOOK):
        addresses, url = desk(request, profile.organisation)
        messaging.send(JOIN_REQUESTED, list(addresses), _context(profile, decide_url=url), request)


@transaction.atomic
def decide(profile, approve, by, request=None, administrator_profile=None):
    """Approve or refuse ``profile``'s request to join, as ``by`` (the unit's administrator or a reviewer).

    A unit left without an administrator (its only one deleted, or made by an import) gets the
    member approved here as its administrator, so someone can decide the next request.
    """
    locked = _locked(profile, *([administrator_profile] if administrator_profile else []))
    profile = locked[0]
    _still_administrator(locked[1] if administrator_profile else None, profile.organisation_id)
    if profile.status != Membership.PENDING:
        raise MembershipRefused(_("This request has already been decided."))
    if not profile.user.is_active:
        raise MembershipRefused(_("This account has not confirmed its e-mail address yet."))
    profile.status = Membership.APPROVED if approve else Membership.REFUSED
    profile.decided_at, profile.decided_by = timezone.now(), by
    fields = ["status", "decided_at", "decided_by"]
    try:
        with transaction.atomic():
            profile.is_administrator = approve and administrator(profile.organisation) is None
            profile.save(update_fields=[*fields, "is_administrator"])
    except IntegrityError:
        # Another approval made the unit's administrator meanwhile: this one is a member.
        profile.is_administrator = False
        profile.save(update_fields=[*fields, "is_administrator"])
    event = JOIN_APPROVED if approve else JOIN_REFUSED
    links = {"login_url": conf.absolute_url(reverse("shenbao_accounts:login"))}
    messaging.send(event, [profile.user.email], _context(profile, **links), request)
    return profile


@transaction.atomic
def remove(profile, by, request=None, administrator_profile=None):
    """Take ``profile`` out of its unit: the account keeps signing in, and acts for the unit no more."""
    locked = _locked(profile, *([administrator_profile] if administrator_profile else []))
    profile = locked[0]
    _still_administrator(locked[1] if administrator_profile else None, profile.organisation_id)
    if not profile.is_member:
        raise MembershipRefused(_("%(name)s is not a member of the unit.") % {"name": profile.user.email})
    if profile.is_administrator:
        raise MembershipRefused(
            _("Hand over the administrator role to another member before this account leaves the unit.")
        )
    profile.status = Membership.REMOVED
    profile.decided_at, profile.decided_by = timezone.now(), by
    profile.save(update_fields=["status", "decided_at", "decided_by"])
    messaging.send(MEMBER_REMOVED, [profile.user.email], _context(profile), request)
    return profile


@transaction.atomic
def hand_over(profile, administrator_profile, request=None):
    """Make ``profile``, an approved member, the unit's administrator instead of ``administrator_profile``."""
    profile, current = _locked(profile, administrator_profile)
    _still_administrator(current, profile.organisation_id)
    if profile.pk == current.pk:
        raise MembershipRefused(_("You are the administrator already."))
    if not profile.is_member:
        raise MembershipRefused(_("Only an approved member can become the unit's administrator."))
    # The old one first: the database allows one administrator per unit at any moment.
    current.is_administrator = False
    current.save(update_fields=["is_administrator"])
    profile.is_administrator = True
    profile.save(update_fields=["is_administrator"])
    links = {"unit_url": conf.absolute_url(reverse("shenbao_accounts:unit"))}
    messaging.send(ROLE_HANDED_OVER, [profile.user.email], _context(profile, **links), request)
    return profile


@transaction.atomic
def ask_again(profile, organisation, request=None):
    """Ask to join ``organisation`` (the same unit or another) after a refusal or a removal.

    The request waits like a new one and is announced again; each refusal costs its administrator one
    e-mail at most, since an account can ask again only once its request has been decided.
    """
    (profile,) = _locked(profile)
    if profile.status not in (Membership.REFUSED, Membership.REMOVED):
        raise MembershipRefused(_("Only an account refused or removed from a unit can ask to join one."))
    profile.organisation = organisation
    profile.status, profile.is_administrator = Membership.PENDING, False
    profile.requested_at, profile.decided_at, profile.decided_by = timezone.now(), None, None
    fields = ["organisation", "status", "is_administrator", "requested_at", "decided_at", "decided_by"]
    profile.save(update_fields=fields)
    announce_request(request, profile)
    return profile
