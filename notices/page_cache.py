"""Pages a web process has routed to, kept between requests while their rows say they are unchanged.

Routing a wizard step read the notice and the form page as specific objects on every request: two wide
queries (each model's columns and its parents') and most of the routing time under a deadline rush. The
URL's chain query reads, for each page it names, the columns that change whenever the page is published,
unpublished, revised or moved; a page loaded before with the same values is handed out again as a fresh
copy, so nothing a request caches on it (its notice, deadline extensions, status) reaches another request.
Saving or deleting a page in this process clears the cache at once; ``SHENBAO_ROUTE_CACHE_SECONDS`` bounds
the rest (see ``conf.route_cache_seconds``).
"""

import copy
import threading
import time
from collections import OrderedDict

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from notices import conf

# The page row's columns that every publication, revision, move or unpublishing changes.
VERSION_FIELDS = ("path", "url_path", "live", "live_revision_id", "latest_revision_id", "last_published_at")


class PageCache:
    """A bounded, thread-safe store of pristine page objects keyed by id and version."""

    def __init__(self, size=256):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, load):
        """A copy of the page stored for ``key``, loaded by ``load()`` when missing or expired."""
        seconds = conf.route_cache_seconds()
        if seconds <= 0:
            return load()
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(key)
                return copy.copy(entry[1])
        page = load()
        if page is None:
            return None
        with self._lock:
            self._entries[key] = (now + seconds, page)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return copy.copy(page)

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


route_pages = PageCache()


@receiver(post_save, dispatch_uid="notices.page_cache.saved")
@receiver(post_delete, dispatch_uid="notices.page_cache.deleted")
def forget_on_change(sender, **kwargs):
    """Forget every routed page when any page is saved or deleted in this process."""
    if isinstance(kwargs.get("instance"), Page):
        route_pages.clear()


@receiver(page_published, dispatch_uid="notices.page_cache.published")
@receiver(page_unpublished, dispatch_uid="notices.page_cache.unpublished")
def forget_on_publication(sender, **kwargs):
    route_pages.clear()
