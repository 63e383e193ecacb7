"""Applicants set a new password through a link mailed to their address; nobody learns who is registered."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.clients import CommittingClient
from tests.factories import ApplicantFactory
from tests.html import soup, text_of


def words(node):
    return " ".join(node.get_text().split())


ADDRESS = "li.ming@example.com"
OLD_PASSWORD = "applicant-pass-2024"  # tests.factories.UserFactory
NEW_PASSWORD = "Qiantang-2025-tide"
LINK_RE = re.compile(r"http://testserver(/accounts/password-reset/\S+)")


@pytest.fixture
def client():
    """A client that chose English and runs what each request leaves for after its commit (the e-mail)."""
    english = CommittingClient()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield english
    translation.deactivate()  # the site's middleware leaves English active in this thread


@pytest.fixture
def applicant(db):
    return ApplicantFactory(username=ADDRESS, email=ADDRESS, first_name="李明")


def ask(client, address):
    return client.post(reverse("shenbao_accounts:password_reset"), {"email": address})


def mailed_link(message):
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def set_password(client, link, password1, password2=None):
    """Follow the mailed link (Django moves the token into the session) and post the new password."""
    form_page = client.get(link)
    assert form_page.status_code == 302  # to the same page without the token in the address
    return client.post(
        form_page["Location"], {"new_password1": password1, "new_password2": password2 or password1}
    )


def test_the_sign_in_page_links_to_the_reset_page(client, db):
    page = soup(client.get(reverse("shenbao_accounts:login")))
    assert page.select_one(f'main a[href="{reverse("shenbao_accounts:password_reset")}"]')


def test_the_reset_page_asks_for_the_address_with_a_label(client, db):
    page = soup(client.get(reverse("shenbao_accounts:password_reset")))
    form = page.select_one("main form[method=post]")
    assert form.select_one("input[name=csrfmiddlewaretoken]") and form.select_one("label[for=id_email]")


def test_a_known_and_an_unknown_address_get_the_same_answer_and_page(client, applicant):
    known, unknown = ask(client, "Li.Ming@Example.com"), ask(client, "nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("shenbao_accounts:password_reset_sent")
    after_known, after_unknown = client.get(known["Location"]), client.get(unknown["Location"])
    # The pages differ only in their CSRF tokens (the language switch): the main part is the same.
    assert str(soup(after_known).select_one("main")) == str(soup(after_unknown).select_one("main"))
    assert "If the address belongs to an account" in words(soup(after_known).select_one("main"))
    # Only the owner of the known address is written to.
    assert [message.to for message in mail.outbox] == [[ADDRESS]]


def test_the_email_is_sent_in_the_visitors_language_with_a_link_that_sets_the_password(client, applicant):
    ask(client, ADDRESS)
    (message,) = mail.outbox
    assert message.subject.startswith("Set a new password") and "\n" not in message.subject
    assert "Dear 李明" in message.body
    response = set_password(client, mailed_link(message), NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse(
        "shenbao_accounts:password_reset_done"
    )
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD) and not applicant.check_password(OLD_PASSWORD)
    assert "_auth_user_id" not in client.session  # the applicant signs in themselves, through axes
    signed_in = client.post(
        reverse("shenbao_accounts:login"), {"username": ADDRESS, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(applicant.pk)


def test_the_link_works_once(client, applicant):
    ask(client, ADDRESS)
    link = mailed_link(mail.outbox[0])
    set_password(client, link, NEW_PASSWORD)
    again = client.get(link, follow=True)
    assert "This link does not work" in words(soup(again).select_one("h1"))
    assert not soup(again).select("input[name=new_password1]")


def test_a_tampered_link_does_not_work(client, applicant):
    ask(client, ADDRESS)
    link = mailed_link(mail.outbox[0])
    response = client.get(link[:-3] + "zzz/", follow=True)
    assert "This link does not work" in words(soup(response).select_one("h1"))


def test_the_new_password_must_pass_the_validators(client, applicant):
    ask(client, ADDRESS)
    response = set_password(client, mailed_link(mail.outbox[0]), "12345678")
    assert response.status_code == 200
    errors = soup(response).select_one('[data-field-key="new_password2"] .form-field__errors')
    assert errors is not None and "toocommon" in text_of(errors)
    applicant.refresh_from_db()
    assert applicant.check_password(OLD_PASSWORD)


def test_the_two_passwords_must_match(client, applicant):
    ask(client, ADDRESS)
    response = set_password(client, mailed_link(mail.outbox[0]), NEW_PASSWORD, NEW_PASSWORD + "x")
    assert response.status_code == 200 and soup(response).select_one(".form-field__errors")
    applicant.refresh_from_db()
    assert applicant.check_password(OLD_PASSWORD)


def test_a_bad_address_is_refused_next_to_the_field(client, db):
    response = ask(client, "not an address")
    assert response.status_code == 200
    assert soup(response).select_one('[data-field-key="email"] .form-field__errors')
    assert not mail.outbox


def test_the_sign_in_page_still_locks_after_a_reset(client, applicant):
    ask(client, ADDRESS)
    set_password(client, mailed_link(mail.outbox[0]), NEW_PASSWORD)
    url = reverse("shenbao_accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": ADDRESS, "password": "wrong"})
    assert client.post(url, {"username": ADDRESS, "password": NEW_PASSWORD}).status_code == 429
