"""The answers of each revision of a submission, with a short fingerprint.

Each revision of a submission gets a ``SubmissionVersion`` with a short
fingerprint of its answers. Printouts carry it, so anyone can check whether a
printout still matches the submission, and stamped scans point at the version
that was printed.
"""

import hashlib
import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.applications.models.encoding import UnicodeJSONEncoder


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

    submission = models.ForeignKey(
        "shenbao_applications.Submission", on_delete=models.CASCADE, related_name="versions"
    )
    revision = models.PositiveIntegerField(_("revision"))
    fingerprint = models.CharField(_("fingerprint"), max_length=14, db_index=True)
    answers = models.JSONField(default=dict, encoder=UnicodeJSONEncoder)
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
