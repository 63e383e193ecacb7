"""Deadlines in practice and the passing of lists upward: extensions, reminders, recommendation batches.

A notice and its forms make one yearly round of a programme. Within it a
reviewer may give one organisation a later closing time (``DeadlineExtension``);
organisations that have not submitted are reminded before the deadline, each
reminder logged so that none goes twice on the same day (``ReminderLog``); and
each reviewing level closes its recommendations as a ``RecommendationBatch``
with its summary list, which the next level receives as one item.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms_app.accounts.models import Organisation
from forms_app.applications.models.pages import ApplicationFormPage
from forms_app.applications.storage import get_private_storage
from forms_app.background.models import BackgroundWork
from forms_app.builder.models import Region


class DeadlineExtension(models.Model):
    """A later closing time for one organisation on one form, granted by a reviewer with a reason."""

    page = models.ForeignKey(
        ApplicationFormPage, verbose_name=_("form"), on_delete=models.CASCADE, related_name="extensions"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="extensions"
    )
    closes_at = models.DateTimeField(_("closes at"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["page", "organisation"], name="one_extension_per_organisation")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.page}"


class ReminderLog(models.Model):
    """One reminder e-mailed to one organisation about one form, at most once a day."""

    # A record, not content: Wagtail's usage listings need not count it, and every save would
    # queue a reference-index task.
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        DRAFT = "draft", _("draft not submitted")
        NOTHING = "nothing", _("expected, nothing started")

    page = models.ForeignKey(
        ApplicationFormPage, verbose_name=_("form"), on_delete=models.CASCADE, related_name="reminders"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("reason"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    recipients = models.TextField(_("recipients"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("time", "at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["page", "organisation", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.page} · {self.sent_on}"


def batch_upload_to(instance, filename):
    stem = f"{instance.page_id}-{instance.region_id}-{instance.number}"
    return f"batches/{timezone.now():%Y/%m}/{stem}-{filename}"


class RecommendationBatch(models.Model):
    """The recommendations of one desk for one form, closed together and passed to the next level.

    Closing freezes the recommended submissions (``BatchEntry`` keeps each one's
    revision), checks the quota one last time and keeps the summary list as XLSX
    and PDF. Only the desk that made it may reopen it, with a reason.
    """

    class Status(models.TextChoices):
        CLOSED = "closed", _("passed on")
        REOPENED = "reopened", _("reopened")

    page = models.ForeignKey(
        ApplicationFormPage, verbose_name=_("form"), on_delete=models.PROTECT, related_name="batches"
    )
    region = models.ForeignKey(Region, verbose_name=_("desk"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CLOSED)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    # Written by a worker after closing (``BatchDocuments``); empty until then.
    summary_xlsx = models.FileField(
        upload_to=batch_upload_to, storage=get_private_storage, max_length=200, blank=True
    )
    summary_pdf = models.FileField(
        upload_to=batch_upload_to, storage=get_private_storage, max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("recommendation batch")
        verbose_name_plural = _("recommendation batches")
        ordering = ["-closed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["page", "region", "number"], name="unique_batch_number")
        ]

    def __str__(self):
        return f"{self.region} · {self.page} · {self.number}"


class BatchDocuments(BackgroundWork):
    """The writing of a closed batch's summary list (XLSX and PDF) by a task worker.

    Closing a batch is a quick change of state that the desk waits for; the documents, which take
    seconds for a long list, follow in the background, so closing never times out and a font or
    disk that fails leaves the batch closed, with a retry button beside its documents.
    """

    batch = models.OneToOneField(RecommendationBatch, on_delete=models.CASCADE, related_name="documents")

    class Meta:
        verbose_name = _("summary list of a batch")
        verbose_name_plural = _("summary lists of batches")

    def __str__(self):
        return str(self.batch)


class BatchEntry(models.Model):
    """One submission as it stood when its batch was closed."""

    batch = models.ForeignKey(RecommendationBatch, on_delete=models.CASCADE, related_name="entries")
    submission = models.ForeignKey(
        "shenbao_applications.Submission", on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(_("revision"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "submission"], name="one_entry_per_submission")
        ]

    def __str__(self):
        return f"{self.batch} · {self.submission_id} r{self.revision}"
