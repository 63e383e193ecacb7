"""Printouts that can be checked, and the stamped scans that come back.

Every printed PDF of a submission names the version it shows (reference,
revision, fingerprint) and carries a QR code of its verification URL. The
verification page compares that version with the submission as it is now;
it tells anyone whether the printout is current, outdated or unknown, and
shows more (the organisation, which version it was) only to people who may
see the submission. A stamped scan is stored privately against the version
that was printed, so an outdated scan is visible at a glance.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from forms_app import conf
from forms_app.applications.models import Submission, SubmissionEvent, SubmissionVersion
from forms_app.builder.filetypes import named_as
from forms_app.builder.uploads import check_upload
from forms_app.printing.models import StampedCopy

SCAN_TYPES = ["pdf", "jpg", "png"]
SCAN_MAX_MB = 20


def current_version(submission):
    """Return the ``SubmissionVersion`` of ``submission``'s current revision, recording it if missing."""
    version = submission.versions.filter(revision=submission.revision).first()
    if version is None:
        SubmissionVersion.objects.record([submission])
        version = submission.versions.get(revision=submission.revision)
    return version


def verification_path(version):
    """Return the site path that checks a printout of ``version``."""
    return reverse(
        "shenbao:verify",
        args=[version.submission.reference, version.revision, version.fingerprint],
    )


def verification_url(version):
    """Return the absolute URL printed as a QR code and under it (the site's public address)."""
    return conf.absolute_url(verification_path(version))


@dataclass
class Verification:
    """What a printout's code says about it; ``state`` is "current", "outdated" or "unknown"."""

    state: str
    submission: Submission = None
    version: SubmissionVersion = None

    @property
    def current_revision(self):
        return self.submission.revision if self.submission else None


def verify(reference, revision, fingerprint):
    """Check the code printed on a printout against the submission as it is now."""
    fingerprint = (fingerprint or "").strip().upper()
    submission = Submission.objects.filter(reference=(reference or "").strip()).select_related("page").first()
    if submission is None:
        return Verification("unknown")
    version = submission.versions.filter(revision=revision, fingerprint=fingerprint).first()
    if version is None:
        return Verification("unknown")
    if version.revision == submission.revision:
        return Verification("current", submission, version)
    return Verification("outdated", submission, version)


def check_scan(upload):
    """Raise a ValidationError unless ``upload`` is a PDF, JPEG or PNG (by content) of a sane size."""
    return check_upload(upload, SCAN_TYPES, SCAN_MAX_MB, _("Stamped copy"))


@transaction.atomic
def store_scan(submission, version, upload, kind, user, source):
    """Store a checked scan of ``version``'s printout and note it in the submission's history.

    Like applicants' uploads, the scan is named with the extension of ``kind``, its content's type.
    """
    copy = StampedCopy(
        submission=submission,
        version=version,
        name=named_as(upload.name, kind),
        kind=kind,
        size=upload.size,
        source=source,
        uploaded_by=user if user.is_authenticated else None,
    )
    copy.file.save(copy.name, upload, save=False)
    copy.save()
    text = _("Stamped copy of revision %(revision)s received (%(name)s).") % {
        "revision": version.revision,
        "name": copy.name,
    }
    SubmissionEvent.objects.create(
        submission=submission,
        kind=SubmissionEvent.Kind.NOTE,
        actor=user if user.is_authenticated else None,
        revision=submission.revision,
        text=text,
        desk=submission.stage_region,
    )
    return copy


def stamped_state(submission, copies=None):
    """Return ``(label, outdated)`` for the review list: the newest scan and whether it is outdated."""
    copies = list(submission.stamped_copies.all()) if copies is None else copies
    if not copies:
        return "", False
    newest = max(copies, key=lambda c: (c.version.revision, c.uploaded_at))
    if newest.version.revision < submission.revision:
        return _("stamped copy outdated (revision %(n)s)") % {"n": newest.version.revision}, True
    return _("stamped copy received"), False
