"""Applicant accounts: registering, confirming the address, signing in and out."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from forms_app.accounts.backends import EmailBackend
from forms_app.accounts.models import ApplicantProfile, Organisation
from forms_app.accounts.tokens import email_verification_token, verification_path
from forms_app.builder.models import Region
from tests.clients import CommittingClient
from tests.html import soup, text_of
from tests.samples import KNOWN_CREDIT_CODE

PASSWORD = "Qiantang-2024-river"
LINK_RE = re.compile(r"http://testserver(/accounts/verify/\S+)")


@pytest.fixture
def client():
    """A client that chose English: the assertions read the English source strings."""
    english = CommittingClient()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english


@pytest.fixture
def regions(db):
    zhejiang = Region.objects.create(name="浙江省", code="330000", level="province")
    # Codes out of tree order on purpose: the select must still list each city's counties below it.
    ningbo = Region.objects.create(name="宁波市", code="330200", level="city", parent=zhejiang, sort_order=1)
    hangzhou = Region.objects.create(
        name="杭州市", code="330100", level="city", parent=zhejiang, sort_order=2
    )
    shangcheng = Region.objects.create(name="上城区", code="330102", level="county", parent=hangzhou)
    return {"zhejiang": zhejiang, "hangzhou": hangzhou, "ningbo": ningbo, "shangcheng": shangcheng}


def registration(regions, **overrides):
    data = {
        "email": "Li.Ming@Example.com",
        "full_name": "李明",
        "mobile": "134 2912 9088",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation_name": "杭州市第一人民医院",
        "credit_code": "",
        "region": regions["hangzhou"].pk,
    }
    data.update(overrides)
    return data


def register(client, regions, next_url="", **overrides):
    url = reverse("shenbao_accounts:register") + (f"?next={next_url}" if next_url else "")
    return client.post(url, registration(regions, **overrides))


def mailed_path(message):
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def field_errors(response, name):
    """The error texts shown inside the field ``name``'s block, tied to its input."""
    block = soup(response).select_one(f'[data-field-key="{name}"]')
    assert block is not None, name
    errors = block.select_one(".form-field__errors")
    if errors is None:
        return ""
    input_ = block.select_one(f"#id_{name}")
    assert errors["id"] in input_.get("aria-describedby", "") or input_.get("aria-invalid") == "true"
    return text_of(errors)


def make_applicant(regions, email="wang.fang@example.com", active=True):
    user = get_user_model().objects.create_user(email, email, PASSWORD, first_name="王芳", is_active=active)
    organisation = Organisation.objects.create(name="宁波大学", region=regions["ningbo"])
    ApplicantProfile.objects.create(user=user, organisation=organisation)
    return user


# Registering


def test_register_creates_inactive_account_and_mails_a_link(client, regions):
    response = register(client, regions)
    assert response.status_code == 302 and response["Location"] == reverse(
        "shenbao_accounts:verification_sent"
    )

    user = get_user_model().objects.get()
    assert (user.username, user.email, user.first_name) == (
        "li.ming@example.com",
        "li.ming@example.com",
        "李明",
    )
    assert not user.is_active and user.check_password(PASSWORD)
    organisation = user.applicant_profile.organisation
    assert (organisation.name, organisation.credit_code, organisation.region) == (
        "杭州市第一人民医院",
        "",
        regions["hangzhou"],
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li.ming@example.com"]
    assert "http://testserver/accounts/verify/" in mail.outbox[0].body
    assert "\n" not in mail.outbox[0].subject

    page = soup(client.get(response["Location"]))
    assert text_of(page.select_one("h1")) == "Checkyourinbox"


def test_registration_page_ties_labels_and_help_to_inputs(client, regions):
    page = soup(client.get(reverse("shenbao_accounts:register")))
    assert len(page.select("h1")) == 1
    form = page.select_one("main form[method=post]")
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    for name in [
        "email",
        "full_name",
        "mobile",
        "password1",
        "password2",
        "organisation_name",
        "credit_code",
    ]:
        assert form.select_one(f"label[for=id_{name}]"), name
    assert "id_email_helptext" in form.select_one("#id_email")["aria-describedby"]
    # Django's password rules arrive as plain text, not as escaped HTML.
    assert "<li>" not in form.select_one("#id_password1_helptext").get_text()


def test_regions_are_listed_in_tree_order_with_their_path(client, regions):
    page = soup(client.get(reverse("shenbao_accounts:register")))
    options = [option.get_text() for option in page.select("#id_region option") if option["value"]]
    assert options == ["浙江省", "浙江省 · 宁波市", "浙江省 · 杭州市", "浙江省 · 杭州市 · 上城区"]


def test_region_is_required(client, regions):
    response = register(client, regions, region="")
    assert response.status_code == 200
    assert field_errors(response, "region")
    assert not get_user_model().objects.exists()


def answered_as_new(response, address):
    """The page and mail a taken address gets: "check your inbox", and a notice to its owner only."""
    assert response.status_code == 302 and response["Location"] == reverse(
        "shenbao_accounts:verification_sent"
    )
    assert [message.to for message in mail.outbox] == [[address]]
    assert "already has an account" in mail.outbox[0].subject and "/accounts/login/" in mail.outbox[0].body


@pytest.mark.parametrize("taken", ["li.ming@example.com", "LI.MING@EXAMPLE.COM"])
def test_an_address_in_use_gets_the_same_answer_as_a_new_one(client, regions, taken):
    # Registering must not tell anyone which addresses have accounts; the owner hears of the attempt.
    get_user_model().objects.create_user("li.ming@example.com", "li.ming@example.com", PASSWORD)
    answered_as_new(register(client, regions, email=taken), "li.ming@example.com")
    assert get_user_model().objects.count() == 1 and not Organisation.objects.exists()


def test_an_address_taken_while_registering_gets_the_same_answer_not_a_crash(client, regions, monkeypatch):
    # Two registrations for one address passing validation together: the second hits the database's
    # unique username; it answers as above, with nothing half-created.
    get_user_model().objects.create_user("li.ming@example.com", "li.ming@example.com", PASSWORD)
    monkeypatch.setattr("forms_app.accounts.forms._email_taken", lambda email: False)
    answered_as_new(register(client, regions), "li.ming@example.com")
    assert not Organisation.objects.exists()


def test_an_admin_username_cannot_be_taken_as_an_address(client, regions):
    get_user_model().objects.create_superuser("boss@example.com", "other@example.com", PASSWORD)
    answered_as_new(register(client, regions, email="Boss@example.com"), "boss@example.com")
    assert get_user_model().objects.count() == 1


def test_a_wrong_credit_code_is_refused_next_to_the_field(client, regions):
    wrong = KNOWN_CREDIT_CODE[:-1] + ("0" if KNOWN_CREDIT_CODE[-1] != "0" else "1")
    response = register(client, regions, credit_code=wrong)
    assert response.status_code == 200
    assert "checkcharacter" in field_errors(response, "credit_code")
    assert not Organisation.objects.exists() and not get_user_model().objects.exists()


def test_credit_code_is_normalised(client, regions):
    spaced = f"{KNOWN_CREDIT_CODE[:6].lower()} {KNOWN_CREDIT_CODE[6:12]}-{KNOWN_CREDIT_CODE[12:]}"
    register(client, regions, credit_code=spaced)
    assert Organisation.objects.get().credit_code == KNOWN_CREDIT_CODE


def test_a_known_credit_code_joins_its_organisation(client, regions):
    existing = Organisation.objects.create(
        name="福州某公司", credit_code=KNOWN_CREDIT_CODE, region=regions["ningbo"]
    )
    response = register(client, regions, credit_code=KNOWN_CREDIT_CODE, organisation_name="别的名字")
    assert response.status_code == 302
    assert Organisation.objects.count() == 1
    assert get_user_model().objects.get().applicant_profile.organisation == existing
    existing.refresh_from_db()
    assert existing.name == "福州某公司"  # a newcomer does not rename it


def test_organisations_without_a_code_are_never_merged(client, regions):
    register(client, regions)
    register(client, regions, email="zhang.wei@example.com")
    assert Organisation.objects.count() == 2


def test_passwords_must_match(client, regions):
    response = register(client, regions, password2=PASSWORD + "x")
    assert response.status_code == 200
    assert "didn’tmatch" in field_errors(response, "password2")
    assert not get_user_model().objects.exists()


def test_password_rules_apply(client, regions):
    response = register(client, regions, password1="12345678", password2="12345678")
    assert "toocommon" in field_errors(response, "password2")


def test_mobile_is_optional_but_checked(client, regions):
    assert "11-digit" in field_errors(register(client, regions, mobile="0571-8839"), "mobile")
    assert register(client, regions, mobile="").status_code == 302


def test_a_signed_in_applicant_is_sent_on_from_the_registration_page(client, regions):
    client.force_login(make_applicant(regions))
    response = client.get(reverse("shenbao_accounts:register") + "?next=/notices/")
    assert response.status_code == 302 and response["Location"] == "/notices/"


# Confirming the address


def test_the_link_activates_signs_in_and_follows_next(client, regions):
    register(client, regions, next_url="/notices/")
    path = mailed_path(mail.outbox[0])
    assert "next=%2Fnotices%2F" in path

    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/notices/"
    user = get_user_model().objects.get()
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_link_works_once(client, regions):
    register(client, regions)
    path = mailed_path(mail.outbox[0])
    assert client.get(path).status_code == 302
    client.post(reverse("shenbao_accounts:logout"))

    again = client.get(path)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("part", ["token", "uid"])
def test_a_tampered_link_gets_a_clear_page(client, regions, part):
    register(client, regions)
    path = mailed_path(mail.outbox[0])
    _empty, _accounts, _verify, uidb64, token, _end = path.split("/")
    if part == "token":
        token = token[:-1] + ("a" if token[-1] != "a" else "b")
    else:
        uidb64 = "OTk5"  # base64 of 999
    response = client.get(reverse("shenbao_accounts:verify", args=[uidb64, token]))
    assert response.status_code == 400
    page = soup(response)
    assert len(page.select("h1")) == 1 and "Thislinkdoesnotwork" in text_of(page.h1)
    resend = page.select_one(f'main form[action="{reverse("shenbao_accounts:resend_verification")}"]')
    assert resend.select_one("input[name=csrfmiddlewaretoken]") and resend.select_one("#id_email")
    assert not get_user_model().objects.get().is_active


def test_a_deactivated_account_cannot_reactivate_itself(client, regions):
    user = make_applicant(regions)
    client.force_login(user)  # signed in once, then an administrator deactivated it
    client.post(reverse("shenbao_accounts:logout"))
    user.refresh_from_db()
    user.is_active = False
    user.save()

    assert client.get(verification_path(user)).status_code == 400
    client.post(reverse("shenbao_accounts:resend_verification"), {"email": user.email})
    assert not mail.outbox
    user.refresh_from_db()
    assert not user.is_active


def test_the_token_depends_on_being_active(regions):
    user = make_applicant(regions, active=False)
    token = email_verification_token.make_token(user)
    assert email_verification_token.check_token(user, token)
    user.is_active = True
    assert not email_verification_token.check_token(user, token)


# Asking for a new link


def test_resending_does_not_tell_whether_an_address_exists(client, regions):
    make_applicant(regions, email="pending@example.com", active=False)
    url = reverse("shenbao_accounts:resend_verification")

    known = client.post(url, {"email": "Pending@Example.com"})
    unknown = client.post(url, {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("shenbao_accounts:verification_sent")
    assert [message.to for message in mail.outbox] == [["pending@example.com"]]
    assert client.get(mailed_path(mail.outbox[0])).status_code == 302


def test_no_link_for_an_active_account(client, regions):
    make_applicant(regions, email="active@example.com")
    client.post(reverse("shenbao_accounts:resend_verification"), {"email": "active@example.com"})
    assert not mail.outbox


# Signing in and out


@pytest.mark.parametrize(
    "typed", ["wang.fang@example.com", "Wang.Fang@EXAMPLE.com", "  WANG.FANG@example.com "]
)
def test_sign_in_with_the_address_in_any_case(client, regions, typed):
    user = make_applicant(regions)
    response = client.post(reverse("shenbao_accounts:login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused(client, regions):
    make_applicant(regions)
    response = client.post(
        reverse("shenbao_accounts:login"), {"username": "wang.fang@example.com", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "correcte-mailaddressandpassword" in text_of(soup(response).select_one("[role=alert]"))
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_applicant_is_told_to_confirm_and_offered_a_new_link(client, regions):
    register(client, regions)
    mail.outbox.clear()
    url = reverse("shenbao_accounts:login")

    response = client.post(url, {"username": "li.ming@example.com", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    alert = soup(response).select_one("[role=alert]")
    assert "confirmyoure-mailaddressfirst" in text_of(alert)
    resend = alert.select_one("form")
    assert resend["action"] == reverse("shenbao_accounts:resend_verification")
    assert resend.select_one("input[name=email]")["value"] == "li.ming@example.com"
    assert resend.select_one("input[name=csrfmiddlewaretoken]")

    # The offered form really sends a link.
    client.post(resend["action"], {"email": resend.select_one("input[name=email]")["value"]})
    assert len(mail.outbox) == 1

    # With a wrong password nothing about the account is revealed.
    wrong = client.post(url, {"username": "li.ming@example.com", "password": "wrong"})
    alert = soup(wrong).select_one("[role=alert]")
    assert "confirm" not in text_of(alert) and not alert.select_one("form")


def test_the_backend_refuses_inactive_accounts(regions):
    make_applicant(regions, active=False)
    assert EmailBackend().authenticate(None, username="wang.fang@example.com", password=PASSWORD) is None


def test_the_backend_refuses_an_ambiguous_address(db):
    users = get_user_model().objects
    users.create_user("editor1", "shared@example.com", PASSWORD)
    users.create_user("editor2", "Shared@example.com", PASSWORD)
    backend = EmailBackend()
    assert backend.authenticate(None, username="shared@example.com", password=PASSWORD) is None
    assert backend.authenticate(None, username="editor1", password=PASSWORD).username == "editor1"


def test_sign_in_follows_a_local_next(client, regions):
    make_applicant(regions)
    response = client.post(
        reverse("shenbao_accounts:login") + "?next=/notices/",
        {"username": "wang.fang@example.com", "password": PASSWORD, "next": "/notices/"},
    )
    assert response["Location"] == "/notices/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http://testserver.evil/"])
def test_next_never_leaves_the_site(client, regions, target):
    make_applicant(regions)
    response = client.post(
        reverse("shenbao_accounts:login"),
        {"username": "wang.fang@example.com", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302 and response["Location"] == "/"

    register(CommittingClient(), regions, next_url=target)
    assert "next=" not in mailed_path(mail.outbox[-1])

    pending = get_user_model().objects.get(username="li.ming@example.com")
    fresh = CommittingClient()
    response = fresh.get(verification_path(pending, target))
    assert response.status_code == 302 and response["Location"] == "/"


def test_login_page_is_accessible(client, db):
    page = soup(client.get(reverse("shenbao_accounts:login") + "?next=/notices/"))
    assert len(page.select("h1")) == 1
    form = page.select_one(f'main form[action="{reverse("shenbao_accounts:login")}"]')
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert form.select_one("input[name=next]")["value"] == "/notices/"
    assert text_of(form.select_one("label[for=id_username]")).startswith("E-mail")
    assert form.select_one("label[for=id_password]")


def test_sign_out_needs_a_post(client, regions):
    client.force_login(make_applicant(regions))
    assert client.get(reverse("shenbao_accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("shenbao_accounts:logout"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_the_csrf_token(regions):
    strict = CommittingClient(enforce_csrf_checks=True)
    strict.force_login(make_applicant(regions))
    assert strict.post(reverse("shenbao_accounts:logout")).status_code == 403
    assert "_auth_user_id" in strict.session


def test_editors_still_sign_in_to_the_admin_with_their_username(client, db):
    get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# The header


def test_header_offers_sign_in_and_registration_back_to_this_page(client, site_tree):
    page = soup(client.get("/notices/?q=%E4%B8%93%E5%AE%B6"))  # q=专家, as a browser sends it
    account = page.select_one("header .account-nav")
    links = {text_of(a): a["href"] for a in account.select("a")}
    assert links == {
        "Signin": "/accounts/login/?next=/notices/%3Fq%3D%25E4%25B8%2593%25E5%25AE%25B6",
        "Register": "/accounts/register/?next=/notices/%3Fq%3D%25E4%25B8%2593%25E5%25AE%25B6",
    }
    assert not account.select("form")


def test_header_on_the_sign_in_page_keeps_the_original_next(client, db):
    account = soup(client.get(reverse("shenbao_accounts:login") + "?next=/notices/")).select_one(
        ".account-nav"
    )
    assert (
        account.select_one('a[href^="/accounts/register/"]')["href"] == "/accounts/register/?next=/notices/"
    )


def test_header_shows_the_signed_in_applicant_and_a_sign_out_button(client, site_tree, regions):
    client.force_login(make_applicant(regions))
    account = soup(client.get("/")).select_one("header .account-nav")
    assert "王芳" in text_of(account)
    assert not account.select("a[href^='/accounts/login/']")
    form = account.select_one("form")
    assert (form["method"], form["action"]) == ("post", reverse("shenbao_accounts:logout"))
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert form.select_one("button[type=submit]")
