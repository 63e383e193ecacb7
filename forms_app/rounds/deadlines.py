"""Deadlines in practice: extensions for one organisation, and reminders before the deadline.

A reviewer may give one organisation of their region a later closing time,
with a reason; the form's own checks (``ApplicationFormPage.is_open``) then
let that organisation, and no other, submit until then. Reminders go to the
organisations of a region that have a draft but no submission, or, when the
form lists them as expected, nothing at all, a given number of days before
their deadline; a ``ReminderLog`` row per organisation and day makes sure a
reminder is never sent twice on the same day, whoever triggers it.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_app import conf, messaging
from forms_app.accounts.models import ApplicantProfile, Membership, Organisation
from forms_app.applications.models import Draft, Submission
from forms_app.rounds.models import DeadlineExtension, ReminderLog


class ExtensionRefused(Exception):
    """An extension may not be granted; the message says why."""


def organisations_of(access):
    """Return the organisations in the regions of ``access``'s desks (all, for administrators)."""
    return Organisation.objects.filter(access.within_q())


@transaction.atomic
def grant_extension(page, organisation, closes_at, reason, user, access, now=None):
    """Give ``organisation`` until ``closes_at`` on ``page`` (replacing an earlier extension)."""
    now = now or timezone.now()
    if not access.may_act or not organisations_of(access).filter(pk=organisation.pk).exists():
        raise ExtensionRefused(_("%(name)s is not in a region you review.") % {"name": organisation.name})
    if closes_at <= now:
        raise ExtensionRefused(_("Choose a time in the future."))
    deadline = page.get_closes_at()  # without an organisation: the deadline everyone else has
    if deadline and closes_at <= deadline:
        raise ExtensionRefused(_("Choose a time after the form's own deadline."))
    extension, _created = DeadlineExtension.objects.update_or_create(
        page=page,
        organisation=organisation,
        defaults={"closes_at": closes_at, "reason": reason.strip(), "granted_by": user, "granted_at": now},
    )
    return extension


def visible_extensions(access):
    """Return the extensions of organisations in ``access``'s regions."""
    return DeadlineExtension.objects.filter(organisation__in=organisations_of(access)).select_related(
        "page", "organisation", "granted_by"
    )


# --- reminders -----------------------------------------------------------------------------------


def reminder_targets(page, organisations, days, now=None):
    """Return ``[(organisation, kind, recipients)]`` to remind about ``page`` now.

    An organisation is reminded when its deadline (with any extension) falls within ``days``
    days and it has not submitted: because it has a draft, or because the form expects it.
    """
    now = now or timezone.now()
    submitted = set(Submission.objects.filter(page=page).values_list("organisation_id", flat=True))
    drafts = {}
    for draft in Draft.objects.filter(page=page, organisation__in=organisations).select_related("user"):
        drafts.setdefault(draft.organisation_id, []).append(draft)
    expected = {o.pk for o in page.expected_organisations.all()}
    # Only approved members hear about the unit's drafts: not a request to join, nor a removed member.
    members = {}
    profiles = ApplicantProfile.objects.filter(organisation__in=organisations, status=Membership.APPROVED)
    for profile in profiles.select_related("user"):
        if profile.user.is_active and profile.user.email:
            members.setdefault(profile.organisation_id, set()).add(profile.user.email)
    targets = []
    for organisation in organisations:
        if organisation.pk in submitted:
            continue
        closes_at = page.get_closes_at(organisation)
        if closes_at is None or not (now < closes_at <= now + timedelta(days=days)):
            continue
        if organisation.pk in drafts:
            kind = ReminderLog.Kind.DRAFT
        elif organisation.pk in expected:
            kind = ReminderLog.Kind.NOTHING
        else:
            continue
        addresses = set(members.get(organisation.pk, set()))
        targets.append((organisation, kind, sorted(addresses)))
    return targets


def send_reminders(page, organisations, days, user=None, now=None):
    """E-mail the reminders due for ``page`` today; return the ``ReminderLog`` rows made (new ones only)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = []
    for organisation, kind, recipients in reminder_targets(page, list(organisations), days, now):
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(
                    page=page,
                    organisation=organisation,
                    kind=kind,
                    sent_on=today,
                    recipients="\n".join(recipients),
                    sent_by=user,
                    created_at=now,
                )
        except IntegrityError:
            continue  # already reminded today, by this run or another
        if recipients:
            mail_reminder(page, organisation, kind, recipients)
        sent.append(log)
    return sent


REMINDER = messaging.Event("reminder", "shenbao_rounds/email/reminder")


def mail_reminder(page, organisation, kind, recipients):
    """Send one reminder; a mail server that is down is logged, not raised."""
    context = {
        "page": page,
        "notice": page.get_notice(),
        "organisation": organisation,
        "closes_at": page.get_closes_at(organisation),
        "has_draft": kind == ReminderLog.Kind.DRAFT,
        "url": conf.absolute_url(page.url),
    }
    messaging.send(REMINDER, recipients, context)
