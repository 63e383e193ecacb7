"""The paper side of a submission: printed versions that can be checked, and stamped scans.

Both seed notices end on paper: the unit prints the form, stamps it and
posts it. Each revision of a submission gets a ``SubmissionVersion`` with a
short fingerprint of its answers; the printout carries the reference, the
revision, the fingerprint and a QR code of the verification page, which
tells anyone whether a printout still matches the submission. A
``StampedCopy`` is the scan of a stamped printout, tied to the version that
was printed, so that a scan of an outdated printout is flagged.
"""

import hashlib
import json
import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import get_private_storage


def fingerprint_of(reference, revision, answers):
    """Return the short fingerprint of one version: 12 hex digits of a SHA-256, grouped in fours."""
    canonical = json.dumps(
        {"reference": reference, "revision": revision, "answers": answers},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 12, 4))


class SubmissionVersionQuerySet(models.QuerySet):
    def record(self, submissions):
        """Record the current version of each of ``submissions`` (once per revision); return them."""
        rows = [
            SubmissionVersion(
                submission=s,
                revision=s.revision,
                fingerprint=fingerprint_of(s.reference, s.revision, s.answers),
                answers=s.answers,
            )
            for s in submissions
        ]
        return self.bulk_create(rows, ignore_conflicts=True)


class SubmissionVersion(models.Model):
    """One revision of a submission as it was printed: its answers and their fingerprint."""

    submission = models.ForeignKey("forms_app.Submission", on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField(_("revision"))
    fingerprint = models.CharField(_("fingerprint"), max_length=14, db_index=True)
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    objects = SubmissionVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        ordering = ["revision"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "revision"], name="one_version_per_revision")
        ]

    def __str__(self):
        return f"{self.submission_id} r{self.revision} {self.fingerprint}"


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
        "forms_app.Submission", on_delete=models.CASCADE, related_name="stamped_copies"
    )
    version = models.ForeignKey(SubmissionVersion, on_delete=models.PROTECT, related_name="stamped_copies")
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
