"""The notices app's settings, read in one place with their defaults."""

from django.conf import settings


def closing_soon_days():
    """Days before the deadline from which a notice counts as closing soon (``NOTICES_CLOSING_SOON_DAYS``)."""
    return int(getattr(settings, "NOTICES_CLOSING_SOON_DAYS", 7))


def per_page():
    """Notices per page of the index (``NOTICES_PER_PAGE``)."""
    return int(getattr(settings, "NOTICES_PER_PAGE", 10))
