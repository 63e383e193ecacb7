"""Reviewers may read the submissions their desks see: files, stamped scans and verified printouts;
each file they download is written to the audit log."""

from wagtail import hooks

from forms_app.applications.hooks import SUBMISSION_READ_HOOK, SUBMISSION_READERS_HOOK
from forms_app.review import audit
from forms_app.review.access import ReviewerAccess


@hooks.register(SUBMISSION_READERS_HOOK)
def reviewers_read(request, submission):
    if not request.user.is_authenticated:
        return False
    access = ReviewerAccess.of(request.user)
    return access.may_review and access.can_see(submission)


@hooks.register(SUBMISSION_READ_HOOK)
def record_file_reading(request, submission, what, detail):
    """Write a reviewer's download of a submission's file or scan to the audit log."""
    audit.record_reading(request, what, submission, detail)
