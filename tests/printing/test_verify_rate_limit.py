"""The public verification page answers each client address a limited number of times per window."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from forms_app import conf
from tests.html import soup

CHECK = reverse("shenbao:verify", args=["ZJ2026-F1-00001", 1, "ABCDEF123456"])
TYPED = reverse("shenbao:verify_form") + "?reference=ZJ2026-F1-00001&revision=1&fingerprint=ABCDEF123456"


@pytest.fixture(autouse=True)
def limit(client, settings, db):
    settings.SHENBAO_VERIFY_RATE_LIMIT = 3
    settings.SHENBAO_VERIFY_RATE_WINDOW = 60
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.deactivate()  # the site's middleware leaves English active in this thread


def words(response):
    return " ".join(soup(response).get_text().split())


def test_past_the_limit_the_page_answers_429_with_a_clear_page(client):
    with freeze_time(timezone.now().replace(second=0)):
        # A typed code is checked where the QR code leads: one check each.
        answers = [client.get(url, follow=True).status_code for url in (CHECK, TYPED, CHECK)]
        assert answers == [404, 404, 404]
        limited = client.get(CHECK)
        assert limited.status_code == 429
        assert "Too many checks from your address" in words(limited)
        assert int(limited["Retry-After"]) == 60  # the window ends a minute from now
        assert "no-store" in limited["Cache-Control"]
        assert client.get(TYPED, follow=True).status_code == 429  # both ways of checking share the count
        assert (
            client.get(reverse("shenbao:verify_form")).status_code == 200
        )  # the empty form looks nothing up


def test_each_address_has_its_own_count(client):
    with freeze_time(timezone.now().replace(second=0)):
        for _attempt in range(4):
            client.get(CHECK)
        assert client.get(CHECK).status_code == 429
        assert client.get(CHECK, REMOTE_ADDR="10.0.0.9").status_code == 404  # unknown code, not limited


def test_the_count_starts_again_in_the_next_window(client):
    with freeze_time(timezone.now().replace(second=0)) as clock:
        for _attempt in range(4):
            client.get(CHECK)
        assert client.get(CHECK).status_code == 429
        clock.tick(timedelta(seconds=61))
        assert client.get(CHECK).status_code == 404


def test_the_client_address_is_found_as_for_sign_in_throttling(client, settings):
    # A site behind a proxy tells django-axes how to find the visitor's address; the limit uses the same.
    settings.AXES_CLIENT_IP_CALLABLE = lambda request: request.META.get("HTTP_X_REAL_IP", "")
    with freeze_time(timezone.now().replace(second=0)):
        for _attempt in range(4):
            client.get(CHECK, HTTP_X_REAL_IP="203.0.113.7", REMOTE_ADDR="10.0.0.1")
        assert client.get(CHECK, HTTP_X_REAL_IP="203.0.113.7", REMOTE_ADDR="10.0.0.2").status_code == 429
        assert client.get(CHECK, HTTP_X_REAL_IP="203.0.113.8", REMOTE_ADDR="10.0.0.1").status_code == 404


def test_zero_turns_the_limit_off(client, settings):
    settings.SHENBAO_VERIFY_RATE_LIMIT = 0
    assert all(client.get(CHECK).status_code == 404 for _attempt in range(6))


def test_the_defaults_let_a_person_check_a_pile_of_printouts(settings):
    del settings.SHENBAO_VERIFY_RATE_LIMIT, settings.SHENBAO_VERIFY_RATE_WINDOW
    assert conf.verify_rate_limit() == (30, 300)
