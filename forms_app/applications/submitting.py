"""Turning a checked draft into a submission: exactly once, within the rules.

Everything that decides whether a submission may be made happens inside one
transaction, after locking rows in a fixed order (draft, region,
organisation): a double click waits for the first click and then finds its
submission; two applicants racing for the last place of a quota are counted
one after the other. On SQLite, where ``select_for_update`` does nothing,
writers are serialised by the database and the draft's one-to-one link
catches a duplicate.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from forms_app import messaging
from forms_app.accounts import membership
from forms_app.accounts.models import Organisation
from forms_app.applications.models import (
    Draft,
    FormVersion,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionVersion,
    UploadedFile,
    applicant_label,
)
from forms_app.builder.models import Region

# What a resubmission writes: the applicant's own fields, never the desk's (status aside, which
# the applicant moves from "returned" back to "submitted" only while the row is locked).
APPLICANT_FIELDS = [
    "answers",
    "form_version",
    "search_text",
    "status",
    "revision",
    "submitted_at",
    "applicant",
    "updated_at",
]


class SubmissionRefused(Exception):
    """A rule of the form forbids this submission; the message says which, for the applicant."""


def submit_draft(draft, answers, now=None):
    """Submit ``draft`` with its revalidated ``answers``; return ``(submission, submitted_now)``.

    A draft submitted before is returned as it is (``submitted_now`` False), unless it
    was returned for revision, in which case it is resubmitted under the same
    reference. Raises ``SubmissionRefused`` when the form is closed or a quota
    is full.
    """
    try:
        with transaction.atomic():
            return _submit(draft, answers, now or timezone.now())
    except IntegrityError:
        # Another request submitted this draft between our check and our insert.
        existing = Submission.objects.filter(draft_id=draft.pk).first()
        if existing is None:
            raise
        return existing, False


def _submit(draft, answers, now):
    # The page the request routed to (its notice and deadline already read) serves, when the draft has it.
    page = draft.page if Draft.page.is_cached(draft) else None
    draft = (
        Draft.objects.select_for_update(of=("self",))
        .select_related("organisation__region", *(() if page else ("page",)))
        .get(pk=draft.pk)
    )
    if page is not None:
        draft.page = page
    page = draft.page
    # Locked, so that a reviewer's write (paper copies, a transition) waits for this resubmission, or
    # this for it; each side then saves only its own fields.
    existing = Submission.objects.select_for_update(of=("self",)).filter(draft=draft).first()
    if existing is not None and existing.status != SubmissionStatus.RETURNED:
        return existing, False
    # The profile row is locked, so a removal that commits first is seen, and a later one waits.
    in_a_units_name = draft.user_id is not None and draft.organisation_id is not None
    if in_a_units_name and not membership.is_member(draft.user_id, draft.organisation_id, lock=True):
        raise SubmissionRefused(
            membership.refusal(draft.user, draft.organisation) or membership.refusal(None, draft.organisation)
        )
    if not page.is_open(now, draft.organisation):
        raise SubmissionRefused(page.get_closed_message(now, draft.organisation))
    version = FormVersion.objects.latest_for(page) or FormVersion.objects.record(page)
    organisation = draft.organisation
    region = organisation.region if organisation is not None else None
    if existing is None:
        check_quotas(page, organisation, region)
        submission = Submission.create_with_reference(
            page,
            form_version=version,
            user=draft.user,
            applicant=applicant_label(draft.user),
            organisation=organisation,
            region=region,
            draft=draft,
            answers=answers,
            submitted_at=now,
        )
        created = True
        previous = ""
    else:
        submission = existing
        previous = submission.status
        submission.answers = answers
        submission.form_version = version
        submission.refresh_search_text()
        submission.status = SubmissionStatus.SUBMITTED
        submission.revision += 1
        submission.submitted_at = now
        submission.applicant = applicant_label(draft.user) or submission.applicant
        submission.save(update_fields=APPLICANT_FIELDS)
        created = False
    SubmissionEvent.objects.create(
        submission=submission,
        desk_id=submission.stage_region_id,
        actor=draft.user,
        from_status=previous,
        to_status=SubmissionStatus.SUBMITTED,
        revision=submission.revision,
        created_at=now,
    )
    SubmissionVersion.objects.record([submission])
    link_files(submission, answers)
    transaction.on_commit(lambda: send_confirmation(submission, resubmitted=not created))
    return submission, True


def check_quotas(page, organisation, region):
    """Refuse a new submission that would exceed the form's quota per organisation or region."""
    # Lock in a fixed order, region before organisation, so two transactions never wait on each other.
    if page.max_per_region and region is not None:
        count = count_locked(page, Region, region, "region")
        if count >= page.max_per_region:
            message = ngettext(
                "%(region)s already has %(n)s submission to this form, the most allowed.",
                "%(region)s already has %(n)s submissions to this form, the most allowed.",
                count,
            )
            raise SubmissionRefused(message % {"region": region.name, "n": count})
    if page.max_per_organisation and organisation is not None:
        count = count_locked(page, Organisation, organisation, "organisation")
        if count >= page.max_per_organisation:
            message = ngettext(
                "%(organisation)s has already made %(n)s submission to this form, the most allowed.",
                "%(organisation)s has already made %(n)s submissions to this form, the most allowed.",
                count,
            )
            raise SubmissionRefused(message % {"organisation": organisation.name, "n": count})


def count_locked(page, model, instance, field):
    """Lock ``instance``'s row, then count the page's submissions for it: a quota counted in turn."""
    model.objects.select_for_update().filter(pk=instance.pk).first()
    return Submission.objects.filter(page=page, **{field: instance}).count()


def link_files(submission, answers):
    """Tie the files the answers refer to to the submission, so they outlive the draft."""

    schema = submission.form_version.schema
    ids = [
        item["id"]
        for spec in schema.input_fields()
        if spec["type"] == "file"
        for item in answers.get(spec["key"]) or []
    ]
    UploadedFile.objects.filter(pk__in=ids, draft_id=submission.draft_id).update(submission=submission)


SUBMITTED = messaging.Event("submitted", "shenbao_applications/email/submitted")
NOTIFY = messaging.Event("notify", "shenbao_applications/email/notify")


def send_confirmation(submission, resubmitted=False):
    """E-mail the applicant a confirmation, and the form's notify list a notice; never fail the request."""
    context = {"submission": submission, "page": submission.page, "resubmitted": resubmitted}
    if submission.user is not None:
        messaging.send(SUBMITTED, [submission.user.email], context)
    messaging.send(NOTIFY, submission.page.get_notify_emails(), context)
