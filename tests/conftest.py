"""Shared fixtures: the page tree, and browser tests ordered last."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from home.site_tree import ensure_site_tree
from notices.page_cache import route_pages
from tests.clients import CommittingClient


def pytest_collection_modifyitems(items):
    # Transactional (browser) tests flush the database; running them last keeps
    # Wagtail's root page and locale, created by migrations, for every other test.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with empty caches: ids repeat between tests, cached documents and pages must not."""
    cache.clear()
    route_pages.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in the site's language: a request in English leaves English active in-process."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site_tree(db):
    """Return ``(home, index)``: the home page and notice index, as setup_site builds them."""
    home, index, _created = ensure_site_tree()
    return home, index


@pytest.fixture
def home_page(site_tree):
    return site_tree[0]


@pytest.fixture
def notice_index(site_tree):
    return site_tree[1]


@pytest.fixture
def client():
    """A test client whose requests run their on-commit work (e-mails, tasks) as they return."""
    return CommittingClient()
