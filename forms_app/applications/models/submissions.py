"""What applicants make: drafts kept on the server, and submissions with reference numbers.

A draft is saved at every step so an applicant can resume on another device;
a submission freezes the answers against the ``FormVersion`` they were made
with. Reference numbers come from a counter row locked while it is advanced,
so two simultaneous submissions never share a number and none is reused.
"""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms_app.accounts.models import Organisation
from forms_app.applications.models.encoding import UnicodeJSONEncoder
from forms_app.applications.models.pages import ApplicationFormPage, FormVersion
from forms_app.builder.display import search_words
from forms_app.builder.models import Region
from notices.search import index_terms


def new_token():
    """Return a secret for an anonymous applicant's resume link (256 bits)."""
    return secrets.token_urlsafe(32)


class Draft(models.Model):
    """An application in progress, saved on the server after every step."""

    page = models.ForeignKey(ApplicationFormPage, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True, encoder=UnicodeJSONEncoder)
    # What django-formtools keeps between steps (raw step data, current step),
    # per wizard prefix: see forms_app.applications.storage.DraftStorage.
    wizard_state = models.JSONField(default=dict, blank=True, editable=False, encoder=UnicodeJSONEncoder)
    current_step = models.CharField(_("current step"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]

    def __str__(self):
        return f"{self.page} · {self.user or _('anonymous')}"

    def get_submission(self):
        """Return the submission made from this draft, or None."""
        try:
            return self.submission
        except Submission.DoesNotExist:
            return None

    def is_editable(self):
        """Whether the applicant may still change this draft (not submitted, or returned)."""
        submission = self.get_submission()
        return submission is None or submission.status == SubmissionStatus.RETURNED


class ReferenceCounter(models.Model):
    """The last number handed out for one reference series (prefix, year, form)."""

    series = models.CharField(max_length=60, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.series}: {self.value}"

    @classmethod
    def next_value(cls, series, count=1):
        """Advance ``series`` by ``count`` and return the first new value; call inside a transaction."""
        # The UPDATE locks the row: concurrent callers queue here until this transaction ends. A new
        # series gets its row first (get_or_create), then goes the same way.
        counters = cls.objects.filter(series=series)
        if not counters.update(value=F("value") + count):
            cls.objects.get_or_create(series=series)
            counters.update(value=F("value") + count)
        return counters.values_list("value", flat=True).get() - count + 1


def applicant_label(user):
    """Return how the archive names an applicant: full name (or user name) and e-mail address."""
    if user is None:
        return ""
    name = user.get_full_name() or user.get_username()
    email = user.email
    return f"{name} <{email}>" if email and email != name else name


def form_code(page):
    """Return the short code of a form in references: its attachment number, else its id."""
    digits = "".join(ch for ch in page.attachment_label if ch.isdigit())
    return f"F{digits}" if digits else f"P{page.pk}"


class SubmissionStatus(models.TextChoices):
    """Where a submission stands; the review desk moves it along."""

    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for revision")
    RECOMMENDED = "recommended", _("Approved and recommended")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class SubmissionQuerySet(models.QuerySet):
    def issue_reference(self, page, when=None):
        """Return the next reference for ``page``, e.g. ZJ2024-F1-00001; call inside a transaction."""
        # The year in Beijing: a submission at 00:30 on 1 January belongs to the new year.
        year = timezone.localtime(when).year
        prefix = page.reference_prefix or "SB"
        series = f"{prefix}{year}-{form_code(page)}"
        return f"{series}-{ReferenceCounter.next_value(series):05d}"

    def issue_references(self, page, count, when=None):
        """Return ``count`` consecutive new references for ``page`` (one counter update); in a transaction."""
        year = timezone.localtime(when).year
        series = f"{page.reference_prefix or 'SB'}{year}-{form_code(page)}"
        first = ReferenceCounter.next_value(series, count) if count else 0
        return [f"{series}-{number:05d}" for number in range(first, first + count)]


class Submission(models.Model):
    """A submitted application: answers frozen against the form version they were made with."""

    # A record, not content: Wagtail's usage listings need not count it, and every save would
    # queue a reference-index task.
    wagtail_reference_index_ignore = True

    page = models.ForeignKey(ApplicationFormPage, on_delete=models.PROTECT, related_name="submissions")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    # Who applied, as text ("name <e-mail>"), written at each submission: the archive still says it
    # once the account is deleted and ``user`` is cleared.
    applicant = models.CharField(_("applicant"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The region whose reviewers hold the submission now: the applicant's region at
    # first, one level up at each recommendation (see forms_app.review.workflow).
    stage_region = models.ForeignKey(
        Region,
        verbose_name=_("at the desk of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    draft = models.OneToOneField(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="submission"
    )
    answers = models.JSONField(_("answers"), default=dict, encoder=UnicodeJSONEncoder)
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    # 1 at the first submission, +1 at each resubmission after a return: a
    # printout names the revision it shows.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Reference, organisation and answers as indexed terms (choices as labels, no ID or bank numbers):
    # the review list's full-text search (forms_app/review/search.py).
    search_text = models.TextField(blank=True, editable=False)
    # Applications that came on paper or in Excel: who imported them, and from which file row
    # (file hash:row), so that importing the same file again updates instead of duplicating.
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    import_source = models.CharField(max_length=60, blank=True, db_index=True, editable=False)
    # The batch in which the desk below passed this submission up; cleared at each new recommendation.
    batch = models.ForeignKey(
        "shenbao_rounds.RecommendationBatch",
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    paper_copies = models.PositiveSmallIntegerField(_("paper copies received"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # The review list's order: its pages are read from this index, newest first.
            models.Index(fields=["submitted_at", "id"], name="submission_submitted_idx"),
            models.Index(fields=["page", "submitted_at", "id"], name="submission_page_submitted_idx"),
            models.Index(fields=["stage_region", "submitted_at", "id"], name="submission_desk_submitted_idx"),
            models.Index(fields=["page", "status"]),
            models.Index(fields=["page", "region", "status"], name="submission_page_region_idx"),
            models.Index(fields=["page", "organisation"]),
            models.Index(fields=["stage_region", "status"]),
            # A desk's dashboard counts by form, region and status: an index-only scan of its own rows.
            models.Index(
                fields=["stage_region", "page", "region", "status"], name="submission_desk_counts_idx"
            ),
        ]
        permissions = [("view_personal_data", _("Can see ID and bank numbers in full"))]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if self.stage_region_id is None:
            self.stage_region_id = self.region_id
        super().save(*args, **kwargs)

    @property
    def modifications(self):
        """How often the submission was changed after it was first made: 0 for a first submission.

        ``revision`` numbers the versions (1 for the submission itself, as printouts say "version 1");
        people count modifications, which start at the first change.
        """
        return max(0, self.revision - 1)

    def refresh_search_text(self):
        """Recompute the indexed search terms: reference, organisation and answers (call before saving).

        CJK text becomes its characters and pairs of characters (``notices.search.index_terms``), which
        PostgreSQL's full text and SQLite's FTS5 index as words; ID and bank numbers are never among them.
        """
        organisation = self.organisation.name if self.organisation_id else ""
        words = search_words(self.form_version.schema, self.answers)
        self.search_text = index_terms(f"{self.reference} {organisation} {words}")

    @classmethod
    @transaction.atomic
    def create_with_reference(cls, page, **fields):
        """Create a submission of ``page`` with the next reference number of its series."""
        submission = cls(page=page, reference=cls.objects.issue_reference(page), **fields)
        submission.refresh_search_text()
        submission.save(force_insert=True)
        return submission


class SubmissionEventQuerySet(models.QuerySet):
    def for_applicant(self):
        """Return what the applicant is told: messages, and the reason of each return."""
        return self.filter(
            models.Q(kind=SubmissionEvent.Kind.MESSAGE)
            | models.Q(kind=SubmissionEvent.Kind.STATUS, to_status=SubmissionStatus.RETURNED)
        )


class SubmissionEvent(models.Model):
    """One line of a submission's history: a change of status, a reviewer's note or a message.

    Every transition records who, when, from and to, and at which desk
    (region). Reviewers' notes and the comments of transitions stay internal;
    messages, and the reason given when a submission is returned, are what the
    applicant is told (``for_applicant``). Nothing here is ever edited or
    deleted, so the history can be trusted.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        NOTE = "note", _("Note for reviewers")
        MESSAGE = "message", _("Message to the applicant")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STATUS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=SubmissionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=SubmissionStatus.choices, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    text = models.TextField(_("comment"), blank=True)
    desk = models.ForeignKey(
        Region, verbose_name=_("desk"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(pgettext_lazy("time", "at"), default=timezone.now)

    objects = SubmissionEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.submission} {self.from_status}→{self.to_status}"

    @property
    def modification(self):
        """Which modification of the submission the event belongs to: 0 for the submission as first made."""
        return max(0, self.revision - 1)
