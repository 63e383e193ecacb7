"""What every piece of tracked background work records: state, progress, attempts and the worker's pulse."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app import conf


class WorkStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundWork(models.Model):
    """A row the user waits on while a task worker does the work: an export, an import, a batch's lists.

    The task framework knows whether a task ran; this row knows what the user needs: how far it
    got, what came out, and whether the worker is still alive (``heartbeat_at``), so a worker that
    died shows as stopped with a retry button instead of "running" forever.
    """

    status = models.CharField(
        _("status"), max_length=10, choices=WorkStatus.choices, default=WorkStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("to do"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    worker = models.CharField(max_length=64, blank=True, editable=False)  # the run that holds the claim
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self):
        return self.status in {WorkStatus.DONE, WorkStatus.FAILED}

    @property
    def is_stopped(self):
        """Whether the worker running this has gone silent: it died, or its machine did."""
        if self.status != WorkStatus.RUNNING or self.heartbeat_at is None:
            return False
        return self.heartbeat_at < timezone.now() - timedelta(seconds=conf.background_stale_after())

    @property
    def may_retry(self):
        return self.status == WorkStatus.FAILED or self.is_stopped

    @property
    def is_waiting(self):
        """Whether the page should keep refreshing."""
        return not self.is_finished and not self.is_stopped

    @property
    def percent(self):
        if self.status == WorkStatus.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
