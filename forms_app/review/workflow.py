"""Moving submissions along: statuses, desks, quotas at recommendation, notes and messages.

A submission waits at the desk of a region (``Submission.stage_region``).
Recommending it moves it one level up, where it appears in the next desk's
list; at the top level the decision is "selected" or "not selected".
Returning it asks the applicant to revise (a reason is required and sent);
the resubmission comes back to the same desk. Every change is a
``SubmissionEvent`` with who, when, from, to, desk and comment.

Recommendation quotas ("每个地市可推荐1项") are counted inside the
transaction after locking the recommending region's row, so two reviewers
recommending at once are counted one after the other.
"""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forms_app import messaging
from forms_app.applications.models import Submission, SubmissionEvent, SubmissionStatus
from forms_app.builder.models import Region
from forms_app.review.access import ReviewerAccess, ancestors, subtree_q

Status = SubmissionStatus
FINAL = {Status.SELECTED, Status.NOT_SELECTED}
# Returning needs a reason the applicant can act on; reopening a decision needs a reason for the record.
COMMENT_REQUIRED = {Status.RETURNED}


class TransitionRefused(Exception):
    """A transition may not be made; the message says why, for the reviewer."""


def refuse_unless_at_desk(access, submission):
    """Raise ``TransitionRefused`` unless ``access`` may change ``submission`` where it waits now.

    Every write on a submission passes here first, with its row as stored (locked, where it matters):
    a desk that passed a submission on may not keep writing on it, and what is written carries the desk
    where it waited, which is then the actor's own.
    """
    if access.can_act(submission):
        return
    if not access.may_act:
        raise TransitionRefused(_("You may read this submission, not change it."))
    if submission.stage_region_id is None:
        raise TransitionRefused(
            _("%(reference)s is not waiting at your desk.") % {"reference": submission.reference}
        )
    raise TransitionRefused(
        _("%(reference)s waits at the desk of %(desk)s: only that desk may change it.")
        % {"reference": submission.reference, "desk": submission.stage_region.name}
    )


def available_transitions(submission):
    """Return the statuses ``submission`` may move to from its desk, in the order offered."""
    status = submission.status
    if status == Status.RETURNED:
        return []  # the applicant holds it until they resubmit
    if status in FINAL:
        return [Status.UNDER_REVIEW]  # reopen the decision
    has_next = submission.stage_region is not None and submission.stage_region.parent_id is not None
    options = [] if status == Status.UNDER_REVIEW else [Status.UNDER_REVIEW]
    options.append(Status.RETURNED)
    options.append(Status.RECOMMENDED if has_next else Status.SELECTED)
    options.append(Status.NOT_SELECTED)
    return options


def needs_comment(submission, to_status):
    """Whether moving ``submission`` to ``to_status`` needs a comment."""
    return to_status in COMMENT_REQUIRED or submission.status in FINAL


def recommended_by(page, region):
    """Return the submissions to ``page`` that ``region``'s desk has recommended upward."""
    above = [r.pk for r in ancestors(region)]
    return Submission.objects.filter(page=page).filter(subtree_q(region)).filter(stage_region__in=above)


@transaction.atomic
def transition(submission_ids, to_status, user, comment="", now=None):
    """Move the given submissions to ``to_status`` as ``user``; all of them, or none.

    Raises ``TransitionRefused`` when a submission is not at the user's desk,
    cannot make that move, a comment is missing, or a quota would be exceeded.
    """
    access = ReviewerAccess.of(user)
    now = now or timezone.now()
    comment = (comment or "").strip()
    ids = sorted({int(pk) for pk in submission_ids})
    if not ids:
        raise TransitionRefused(_("Select at least one submission."))
    if to_status not in Status.values:
        raise TransitionRefused(_("Unknown status."))
    # Lock in primary-key order so that two bulk actions never wait on each other.
    submissions = list(
        access.submissions(Submission.objects.filter(pk__in=ids))
        .select_for_update(of=("self",))
        .select_related("page", "stage_region__parent__parent", "user", "organisation")
        .order_by("pk")
    )
    if len(submissions) != len(ids):
        raise TransitionRefused(_("Some of the selected submissions are not yours to review."))
    label = Status(to_status).label
    for submission in submissions:
        refuse_unless_at_desk(access, submission)
        if to_status not in available_transitions(submission):
            raise TransitionRefused(
                _("%(reference)s cannot go from “%(from)s” to “%(to)s”.")
                % {"reference": submission.reference, "from": submission.get_status_display(), "to": label}
            )
        if needs_comment(submission, to_status) and not comment:
            raise TransitionRefused(
                _("Give a reason: it is kept in the history and, for a return, sent to the applicant.")
            )
    if to_status == Status.RECOMMENDED:
        check_recommend_quotas(submissions)

    events = []
    for submission in submissions:
        desk = submission.stage_region
        events.append(
            SubmissionEvent(
                submission=submission,
                kind=SubmissionEvent.Kind.STATUS,
                actor=user,
                from_status=submission.status,
                to_status=to_status,
                revision=submission.revision,
                text=comment,
                desk=desk,
                created_at=now,
            )
        )
        submission.status = to_status
        if to_status == Status.RECOMMENDED:
            submission.stage_region = desk.parent
            submission.batch = None  # on batch forms, held back until this desk closes its next batch
        submission.save(update_fields=["status", "stage_region", "batch", "updated_at"])
    SubmissionEvent.objects.bulk_create(events)
    if to_status == Status.RETURNED:
        for submission in submissions:
            transaction.on_commit(lambda s=submission: notify_applicant(s, comment, returned=True))
    return submissions


def check_recommend_quotas(submissions):
    """Refuse recommendations that would take a desk over its form's quota."""
    groups = defaultdict(list)
    for submission in submissions:
        groups[(submission.page, submission.stage_region)].append(submission)
    # Regions locked in a fixed order: concurrent recommendations queue instead of deadlocking.
    for (page, region), items in sorted(groups.items(), key=lambda item: (item[0][1].pk, item[0][0].pk)):
        if not page.recommend_quota or region.level != page.quota_level:
            continue
        Region.objects.select_for_update().filter(pk=region.pk).first()
        already = recommended_by(page, region).count()
        if already + len(items) > page.recommend_quota:
            message = ngettext(
                "%(region)s may recommend at most %(quota)s submission to “%(form)s”",
                "%(region)s may recommend at most %(quota)s submissions to “%(form)s”",
                page.recommend_quota,
            ) % {"region": region.name, "quota": page.recommend_quota, "form": page.title}
            detail = _("%(already)s already recommended, %(asked)s more asked.") % {
                "already": already,
                "asked": len(items),
            }
            raise TransitionRefused(f"{message}: {detail}")


def quota_overview(page, regions):
    """Return, for each region at ``page``'s quota level, what its desk has recommended and any warning.

    Each row is ``{"region", "recommended", "quota", "minimum", "over", "short"}``.
    """
    regions = [r for r in regions if r.level == page.quota_level]
    rows = []
    for region in regions:
        count = recommended_by(page, region).count()
        rows.append(
            {
                "region": region,
                "recommended": count,
                "quota": page.recommend_quota,
                "minimum": page.recommend_minimum,
                "over": bool(page.recommend_quota and count > page.recommend_quota),
                "short": bool(page.recommend_minimum and count < page.recommend_minimum),
            }
        )
    return rows


@transaction.atomic
def add_event(submission, user, kind, text):
    """Record a reviewers' note or a message to the applicant (who is e-mailed) on ``submission``."""
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(_("Write something first."))
    event = SubmissionEvent.objects.create(
        submission=submission,
        kind=kind,
        actor=user,
        revision=submission.revision,
        text=text,
        desk=submission.stage_region,
    )
    if kind == SubmissionEvent.Kind.MESSAGE:
        transaction.on_commit(lambda: notify_applicant(submission, text, returned=False))
    return event


REVIEW_MESSAGE = messaging.Event("review message", "shenbao_review/email/review")


def notify_applicant(submission, text, returned):
    """E-mail the applicant a reviewer's message or the reason of a return; never fail the request."""
    if submission.user is None:
        return
    context = {"submission": submission, "page": submission.page, "text": text, "returned": returned}
    messaging.send(REVIEW_MESSAGE, [submission.user.email], context)
