"""Staff sessions end after a spell of inactivity, not after Django's two weeks.

A reviewer's browser holds ID and bank numbers a click away; one left signed in on a shared office
computer should not stay so overnight. Each request by a staff member pushes the session's expiry
``SHENBAO_STAFF_IDLE_MINUTES`` ahead, so the session ends that long after the last request. Staff are
whoever may open the admin, reviewers included (their desks give it without ``is_staff``).
Applicants keep Django's session length: they come back to drafts over days. The expiry is pushed at most
once a minute, so a reviewer working down the list does not write the session on every click: a session
ends between ``SHENBAO_STAFF_IDLE_MINUTES`` less a minute and that long after the last request.
"""

import time

from forms_app import conf
from forms_app.accounts.staff import is_staff_member

REFRESHED_KEY = "_shenbao_idle_refreshed"
REFRESH_SECONDS = 60


class StaffIdleTimeoutMiddleware:
    """Give staff sessions a sliding expiry of ``SHENBAO_STAFF_IDLE_MINUTES`` (0: Django's own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minutes = conf.staff_idle_minutes()
        if minutes and is_staff_member(getattr(request, "user", None)):
            now = int(time.time())
            if now - request.session.get(REFRESHED_KEY, 0) >= REFRESH_SECONDS:
                request.session[REFRESHED_KEY] = now
                request.session.set_expiry(int(minutes * 60))
        return self.get_response(request)
