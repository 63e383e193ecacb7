"""Stamped scans: the paper the units send back, tied to the version they printed.

Both seed notices end on paper: the unit prints the form, stamps it and posts
it. A ``StampedCopy`` is the scan of a stamped printout, tied to the
``SubmissionVersion`` that was printed, so that a scan of an outdated printout
is flagged.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.applications.storage import get_private_storage


def scan_upload_to(instance, filename):
    """Return a random private path; the original name is kept in the row."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"stamped/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class StampedCopy(models.Model):
    """The scan of a stamped printout (PDF or image), tied to the version that was printed."""

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("the applicant")
        BUREAU = "bureau", _("a bureau")

    submission = models.ForeignKey(
        "shenbao_applications.Submission", on_delete=models.CASCADE, related_name="stamped_copies"
    )
    version = models.ForeignKey(
        "shenbao_applications.SubmissionVersion", on_delete=models.PROTECT, related_name="stamped_copies"
    )
    file = models.FileField(upload_to=scan_upload_to, storage=get_private_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    source = models.CharField(_("uploaded by"), max_length=10, choices=Source.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("stamped copy")
        verbose_name_plural = _("stamped copies")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.name

    @property
    def is_outdated(self):
        """Whether the scan shows an older version than the submission's current one."""
        return self.version.revision < self.submission.revision
