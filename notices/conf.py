"""The notices app's settings, read in one place with their defaults (all optional, ``SHENBAO_`` names)."""

from django.conf import settings


def closing_soon_days():
    """Days left at which a notice shows "closing soon" (``SHENBAO_NOTICES_CLOSING_SOON_DAYS``)."""
    return int(getattr(settings, "SHENBAO_NOTICES_CLOSING_SOON_DAYS", 7))


def per_page():
    """Notices per page of the index (``SHENBAO_NOTICES_PER_PAGE``)."""
    return int(getattr(settings, "SHENBAO_NOTICES_PER_PAGE", 10))
