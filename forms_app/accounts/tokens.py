"""Links mailed to applicants: the one that confirms their address, and the one that sets a new password.

A new account stays inactive until its owner follows the link mailed to the
address they gave; that proves the address works before the bureau relies on
it for notifications about the application. A forgotten password is replaced
through a one-use link of Django's password-reset tokens, mailed the same way.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from forms_app import conf, messaging

logger = logging.getLogger(__name__)

VERIFY_ACCOUNT = messaging.Event("account confirmation", "shenbao_accounts/email/verify")
ALREADY_REGISTERED = messaging.Event("registration for a known address", "shenbao_accounts/email/known")
PASSWORD_RESET = messaging.Event("password reset", "shenbao_accounts/email/password_reset")


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset style tokens that stop working once the account is active.

    ``is_active`` is part of the hash, so a link works once; ``last_login`` (in
    the parent's hash) changes at the sign-in that follows, which keeps it so.
    The salt differs from the password reset one, so neither kind of token
    can stand in for the other.
    """

    key_salt = "forms_app.accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


email_verification_token = EmailVerificationTokenGenerator()


def awaiting_verification():
    """Accounts that registered here and have never been confirmed.

    An account an administrator deactivated is inactive too, but it has signed
    in before (confirming signs in) or has no applicant profile: it must not be
    able to reactivate itself through a new link.
    """
    return get_user_model()._default_manager.filter(
        is_active=False, last_login__isnull=True, applicant_profile__isnull=False
    )


def is_awaiting_verification(user):
    """Whether ``user`` is an unconfirmed applicant (see ``awaiting_verification``)."""
    return awaiting_verification().filter(pk=user.pk).exists()


def verification_path(user, next_url=""):
    """The site-relative confirmation link for ``user``, carrying ``next`` when given."""
    path = reverse(
        "shenbao_accounts:verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    if next_url:
        path = f"{path}?{urlencode({'next': next_url})}"
    return path


def send_verification_email(request, user, next_url=""):
    """Mail ``user`` an absolute link that activates their account.

    The link starts with the site's public address (``SHENBAO_PUBLIC_URL``), never with a host
    the request named.
    """
    context = {
        "user": user,
        "verify_url": conf.absolute_url(verification_path(user, next_url)),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "site_name": conf.site_name(),
    }
    messaging.send(VERIFY_ACCOUNT, [user.email], context, request=request)


def send_already_registered_email(request, email):
    """Tell the owner of ``email`` that someone registered with it: it already has an account."""
    context = {
        "login_url": conf.absolute_url(reverse("shenbao_accounts:login")),
        "site_name": conf.site_name(),
    }
    messaging.send(ALREADY_REGISTERED, [email], context, request=request)


def send_password_reset_email(request, user, email, uidb64, token):
    """Mail ``user`` at ``email`` the absolute link that sets a new password (Django's one-use token)."""
    path = reverse("shenbao_accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    context = {
        "user": user,
        "reset_url": conf.absolute_url(path),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "site_name": conf.site_name(),
    }
    messaging.send(PASSWORD_RESET, [email], context, request=request)
