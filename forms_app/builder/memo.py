"""A small per-process cache of what is built from a form as it stands: its schema and step form classes.

Building them walks the whole StreamField and makes a Django form class per step; under a deadline rush
that was most of a wizard request. Entries are keyed by what they are built from (the stored steps, the
region list, the language), so a published change or an edited region makes a new entry and never
serves a stale one; the oldest entries go first.
"""

import threading
from collections import OrderedDict


class BoundedCache:
    """A thread-safe mapping that keeps the ``size`` most recently used entries."""

    def __init__(self, size=128):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        """The entry for ``key``, made by ``make()`` the first time (outside the lock)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


form_cache = BoundedCache()
