"""Sign-in throttling: too many wrong passwords lock an account from that address, on both sign-in pages."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import ApplicantFactory

PAGES = {"applicants": "shenbao_accounts:login", "admin": "wagtailadmin_login"}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def account(which):
    if which == "admin":
        return get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root"), "root"
    user = ApplicantFactory(username="li.ming@example.com", email="li.ming@example.com")
    return user, "li.ming@example.com"


@pytest.mark.parametrize("which", PAGES)
def test_five_wrong_passwords_lock_the_account_from_that_address(client, settings, which, db):
    user, name = account(which)
    password = "pass-2024-root" if which == "admin" else "applicant-pass-2024"
    url = reverse(PAGES[which])
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": name, "password": "wrong"}).status_code == 200
    assert client.post(url, {"username": name, "password": "wrong"}).status_code == 429  # the last one
    locked = client.post(url, {"username": name, "password": password})
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # the right password does not get in while locked
    other = client.post(url, {"username": name, "password": password}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_a_right_password_before_the_limit_resets_the_count(client, settings, db):
    _user, name = account("applicants")
    url = reverse(PAGES["applicants"])
    for _round in range(2):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(url, {"username": name, "password": "wrong"})
        assert client.post(url, {"username": name, "password": "applicant-pass-2024"}).status_code == 302
        client.post(reverse("shenbao_accounts:logout"))


def test_the_lockout_page_is_in_chinese(client, settings, db):
    settings.LANGUAGE_CODE = "zh-hans"
    _user, name = account("applicants")
    url = reverse(PAGES["applicants"])
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(url, {"username": name, "password": "wrong"})
    assert response.status_code == 429 and "登录已暂停" in response.content.decode()
