"""Staff sessions end after a spell of inactivity; applicants keep Django's long sessions."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import ApplicantFactory, RegionFactory
from tests.review_helpers import make_reviewer


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root")


def test_a_staff_session_ends_after_the_idle_time_and_not_while_in_use(client, staff, settings):
    settings.SHENBAO_STAFF_IDLE_MINUTES = 30
    admin = reverse("wagtailadmin_home")
    start = timezone.now()
    with freeze_time(start) as clock:
        client.force_login(staff)
        assert client.get(admin).status_code == 200
        assert client.session.get_expiry_age() == 30 * 60
        for _step in range(3):  # in use: each request pushes the end 30 minutes ahead
            clock.tick(timedelta(minutes=20))
            assert client.get(admin).status_code == 200
        clock.tick(timedelta(minutes=31))
        response = client.get(admin)
        assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]


def test_a_reviewer_without_the_staff_flag_gets_the_idle_time_too(client, settings, db):
    # Desks give the admin through a group permission; the reviewers' is_staff stays off.
    settings.SHENBAO_STAFF_IDLE_MINUTES = 30
    reviewer = make_reviewer("desk_xihu", RegionFactory(code="330106", name="西湖区"))
    assert not reviewer.is_staff
    client.force_login(reviewer)
    client.get(reverse("wagtailadmin_home"))
    assert client.session.get_expiry_age() == 30 * 60


def test_applicants_keep_djangos_session_length(client, settings, db):
    settings.SHENBAO_STAFF_IDLE_MINUTES = 30
    client.force_login(ApplicantFactory())
    client.get(reverse("shenbao:my_applications"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_zero_turns_the_idle_time_off(client, staff, settings):
    settings.SHENBAO_STAFF_IDLE_MINUTES = 0
    client.force_login(staff)
    client.get(reverse("wagtailadmin_home"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_clicks_within_a_minute_do_not_write_the_session_again(client, staff, settings):
    settings.SHENBAO_STAFF_IDLE_MINUTES = 30
    admin = reverse("wagtailadmin_home")
    with freeze_time(timezone.now()) as clock:
        client.force_login(staff)
        client.get(admin)
        clock.tick(timedelta(seconds=20))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(admin).status_code == 200
        assert not [q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
        clock.tick(timedelta(seconds=50))
        with CaptureQueriesContext(connection) as queries:
            client.get(admin)
        assert [q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
