"""The ``<id:…>`` path converter: a row id, no longer than a 64-bit id column holds.

Django's ``<int:…>`` takes any run of digits, and a number beyond 2⁶³ reaches the database, where
SQLite refuses it with an error; with ``<id:…>`` such a path is simply not found.
"""

from django.urls import register_converter


class IdConverter:
    """Digits that fit a 64-bit integer column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def register():
    """Make ``<id:…>`` available to every URL pattern (called once, when the applications app is ready)."""
    register_converter(IdConverter, "id")
