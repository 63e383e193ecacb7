"""The one module that writes the audit log: who read which personal data, when, and why it was visible.

Every view that shows or hands out a submission's answers, files or copies calls ``record`` (or
``record_reading``, which also says why the reader could see it: the desk whose scope holds the
submission, administrator rights, and the permission to see ID and bank numbers in full when they
were shown). Lists and exports name how many submissions they held. Nothing here changes or deletes
an entry; the model and, on PostgreSQL, a trigger refuse that.
"""

from django.utils.translation import gettext as _

from forms_app import conf
from forms_app.review.access import ReviewerAccess
from forms_app.review.models import AuditLogEntry


def record(request, action, submission=None, detail="", *, reason="", count=None, unmasked=False, user=None):
    """Write one audit entry for ``request.user`` (or ``user``, for commands that run without a request)."""
    user = user if user is not None else (request.user if request is not None else None)
    if user is not None and not user.is_authenticated:
        user = None
    return AuditLogEntry.objects.create(
        user=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        submission=submission,
        reference=submission.reference if submission is not None else "",
        count=count,
        unmasked=unmasked,
        reason=reason[:200],
        detail=str(detail)[:300],
        # Found as sign-in throttling finds it, so behind a proxy the log names the visitor, not the proxy.
        ip_address=(conf.client_ip(request) or None) if request is not None else None,
    )


def record_reading(request, action, submission=None, detail="", *, desk=None, count=None, unmasked=False):
    """Record that the user read personal data, with why it was visible to them (``why_visible``)."""
    reason = why_visible(request.user, submission=submission, desk=desk, unmasked=unmasked)
    return record(request, action, submission, detail, reason=reason, count=count, unmasked=unmasked)


def seeing_desk(access, submission):
    """Return the user's desk through which ``submission`` is visible (where it waits, else the one above)."""
    for region in access.regions:
        if region.pk == submission.stage_region_id:
            return region
    for region in access.regions:
        if submission.region_id in access.subtree_ids(region):
            return region
    return None


def why_visible(user, submission=None, desk=None, unmasked=False):
    """Say what allowed ``user`` to see the data: administrator rights, or a desk; and the unmasking right.

    ``desk`` is the desk a list was drawn up for; without it, the desk that holds ``submission`` in
    its scope; without either (an export of a form), every desk of the user.
    """
    access = ReviewerAccess.of(user)
    if access.is_superuser:
        parts = [_("administrator")]
    else:
        if desk is None and submission is not None:
            desk = seeing_desk(access, submission)
        desks = [desk] if desk is not None else access.regions
        parts = [_("desk %(name)s") % {"name": region.name} for region in desks]
    if unmasked:
        parts.append(_("permission to see ID and bank numbers in full"))
    return "; ".join(parts)
