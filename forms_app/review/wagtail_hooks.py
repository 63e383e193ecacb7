"""Reviewers may read the submissions their desks see: files, stamped scans and verified printouts."""

from wagtail import hooks

from forms_app.applications.hooks import SUBMISSION_READERS_HOOK
from forms_app.review.access import ReviewerAccess


@hooks.register(SUBMISSION_READERS_HOOK)
def reviewers_read(request, submission):
    if not request.user.is_authenticated:
        return False
    access = ReviewerAccess.of(request.user)
    return access.may_review and access.can_see(submission)
