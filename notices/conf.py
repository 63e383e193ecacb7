"""The notices app's settings, read in one place with their defaults (all optional, ``SHENBAO_`` names)."""

from django.conf import settings


def closing_soon_days():
    """Days left at which a notice shows "closing soon" (``SHENBAO_NOTICES_CLOSING_SOON_DAYS``)."""
    return int(getattr(settings, "SHENBAO_NOTICES_CLOSING_SOON_DAYS", 7))


def per_page():
    """Notices per page of the index (``SHENBAO_NOTICES_PER_PAGE``)."""
    return int(getattr(settings, "SHENBAO_NOTICES_PER_PAGE", 10))


def route_cache_seconds():
    """How long a web process reuses a page it routed to (``SHENBAO_ROUTE_CACHE_SECONDS``; 0 turns it off).

    A page is reused only while its row still shows the same revision, publication and place in the tree,
    so publishing, unpublishing and moving take effect at once on every server; the limit bounds how long a
    change written without a revision (a script saving a page's fields directly) can go unseen by another
    process.
    """
    return float(getattr(settings, "SHENBAO_ROUTE_CACHE_SECONDS", 60))
