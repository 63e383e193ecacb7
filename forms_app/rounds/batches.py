"""Recommendation batches: a desk closes its selection and passes it upward as one list.

On forms whose recommendations go up in batches (``batch_recommendations``),
a recommended submission waits, unseen by the next level, until its desk
closes a batch. Closing locks the desk's region row, takes the pending
recommendations, checks the quota one last time and ties the submissions to
the batch: the next level now sees them, and the batch as one item with its
list. The summary list (一览表), as XLSX and PDF with the desk's header line,
is then written by a task worker (``forms_app/rounds/documents.py``). Only
the desk that made a batch may reopen it, with a reason, and only while the
next level has not acted on any of its submissions; the history of each
submission records both.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forms_app.applications.models import Submission, SubmissionEvent, SubmissionStatus
from forms_app.background import runner
from forms_app.builder.models import Region
from forms_app.review.workflow import TransitionRefused, recommended_by
from forms_app.rounds.models import BatchDocuments, BatchEntry, RecommendationBatch
from forms_app.rounds.tasks import write_batch_documents

Status = SubmissionStatus


def pending_recommendations(page, region):
    """Return what ``region``'s desk recommended to ``page`` and has not passed on in a batch yet."""
    return Submission.objects.filter(
        page=page, stage_region=region.parent_id, status=Status.RECOMMENDED, batch__isnull=True
    ).filter(pk__in=recommended_by(page, region).values("pk"))


def may_work_at(access, region):
    """Whether ``access`` may act at ``region``'s desk: the desk below, for what it passed on in a batch."""
    return access.may_act_at(region)


@transaction.atomic
def close_batch(page, region, user, access, now=None):
    """Close ``region``'s pending recommendations to ``page`` as a batch and pass it up; return it."""
    now = now or timezone.now()
    if not page.batch_recommendations:
        raise TransitionRefused(_("Recommendations to this form are not passed on in batches."))
    if region.parent_id is None:
        raise TransitionRefused(_("The top level selects; it has no level to pass a batch to."))
    if not may_work_at(access, region):
        raise TransitionRefused(_("You do not work at the desk of %(region)s.") % {"region": region.name})
    # The region row is the lock shared with recommendations, so nothing changes while the batch closes.
    Region.objects.select_for_update().filter(pk=region.pk).first()
    submissions = list(
        pending_recommendations(page, region)
        .select_for_update(of=("self",))
        .select_related("organisation", "region", "form_version")
        .order_by("submitted_at", "pk")
    )
    if not submissions:
        raise TransitionRefused(_("There is no recommendation waiting to be passed on."))
    check_batch_quota(page, region)
    number = (
        RecommendationBatch.objects.filter(page=page, region=region).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    batch = RecommendationBatch.objects.create(
        page=page, region=region, number=number, closed_by=user, closed_at=now
    )
    runner.start(BatchDocuments.objects.create(batch=batch), write_batch_documents)
    BatchEntry.objects.bulk_create(
        [BatchEntry(batch=batch, submission=s, revision=s.revision) for s in submissions]
    )
    Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(batch=batch, updated_at=now)
    note = _("Passed on to %(parent)s in batch %(number)s of %(region)s.") % {
        "parent": region.parent.name,
        "number": number,
        "region": region.name,
    }
    record(submissions, user, note, region, now)
    return batch


def check_batch_quota(page, region):
    """Refuse a batch that would leave ``region`` over its recommendation quota."""
    if not page.recommend_quota or region.level != page.quota_level:
        return
    count = recommended_by(page, region).count()
    if count > page.recommend_quota:
        raise TransitionRefused(
            ngettext(
                "%(region)s may recommend at most %(quota)s submission to “%(form)s”, not %(count)s.",
                "%(region)s may recommend at most %(quota)s submissions to “%(form)s”, not %(count)s.",
                page.recommend_quota,
            )
            % {"region": region.name, "quota": page.recommend_quota, "form": page.title, "count": count}
        )


@transaction.atomic
def reopen_batch(batch, user, access, reason, now=None):
    """Take ``batch`` back to the desk that made it, with a reason; the next level stops seeing it."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not may_work_at(access, batch.region):
        raise TransitionRefused(_("Only the desk that closed a batch may reopen it."))
    if batch.status != RecommendationBatch.Status.CLOSED:
        raise TransitionRefused(_("This batch is already reopened."))
    if not reason:
        raise TransitionRefused(_("Give a reason: it is kept in the history."))
    Region.objects.select_for_update().filter(pk=batch.region_id).first()
    submissions = list(Submission.objects.select_for_update(of=("self",)).filter(batch=batch).order_by("pk"))
    entries = set(batch.entries.values_list("submission_id", flat=True))
    moved = [
        s.reference
        for s in submissions
        if s.status != Status.RECOMMENDED or s.stage_region_id != batch.region.parent_id
    ] + [str(pk) for pk in entries - {s.pk for s in submissions}]
    if moved:
        raise TransitionRefused(
            _("The next level has already acted on %(refs)s: the batch can no longer be reopened.")
            % {"refs": "、".join(moved)}
        )
    Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(batch=None, updated_at=now)
    batch.status = RecommendationBatch.Status.REOPENED
    batch.reopened_by, batch.reopened_at, batch.reopen_reason = user, now, reason
    batch.save(update_fields=["status", "reopened_by", "reopened_at", "reopen_reason"])
    note = _("Batch %(number)s of %(region)s reopened: %(reason)s") % {
        "number": batch.number,
        "region": batch.region.name,
        "reason": reason,
    }
    record(submissions, user, note, batch.region, now)
    return batch


def withdraw(submission_ids, page, region, user, access, now=None):
    """Take recommendations out of the next batch: back under review at ``region``'s desk."""
    now = now or timezone.now()
    if not may_work_at(access, region):
        raise TransitionRefused(_("You do not work at the desk of %(region)s.") % {"region": region.name})
    with transaction.atomic():
        submissions = list(
            pending_recommendations(page, region)
            .filter(pk__in=submission_ids)
            .select_for_update(of=("self",))
        )
        SubmissionEvent.objects.bulk_create(
            [
                SubmissionEvent(
                    submission=submission,
                    actor=user,
                    from_status=submission.status,
                    to_status=Status.UNDER_REVIEW,
                    revision=submission.revision,
                    text=_("Taken out of the next batch."),
                    desk=region,
                    created_at=now,
                )
                for submission in submissions
            ]
        )
        Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(
            status=Status.UNDER_REVIEW, stage_region=region, updated_at=now
        )
    return submissions


def record(submissions, user, text, desk, now):
    SubmissionEvent.objects.bulk_create(
        [
            SubmissionEvent(
                submission=s,
                kind=SubmissionEvent.Kind.NOTE,
                actor=user,
                revision=s.revision,
                text=text,
                desk=desk,
                created_at=now,
            )
            for s in submissions
        ]
    )


def batches_for(access, page=None):
    """Return the batches ``access`` may see: its desks' own, and those passed to its desks."""
    queryset = RecommendationBatch.objects.select_related(
        "page", "region__parent", "closed_by", "reopened_by"
    )
    if page is not None:
        queryset = queryset.filter(page=page)
    if access.is_superuser:
        return queryset
    ids = access.region_ids
    return queryset.filter(region__in=ids) | queryset.filter(region__parent__in=ids, status="closed")
