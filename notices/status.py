"""Where a notice stands relative to its deadline: one rule, applied at request time."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notices import conf


class NoticeStatus(models.TextChoices):
    """Where a notice stands relative to its deadline."""

    OPEN = "open", _("Open")
    CLOSING_SOON = "closing_soon", _("Closing soon")
    CLOSED = "closed", _("Closed")


def closing_soon_window():
    """Return how long before the deadline a notice counts as closing soon."""
    return timedelta(days=conf.closing_soon_days())


def status_for_deadline(deadline, now=None):
    """Return the ``NoticeStatus`` of a notice with this deadline at ``now``."""
    now = now or timezone.now()
    if deadline <= now:
        return NoticeStatus.CLOSED
    if deadline <= now + closing_soon_window():
        return NoticeStatus.CLOSING_SOON
    return NoticeStatus.OPEN
