"""Pages of applicant accounts: register, confirm the address, sign in and out, set a forgotten password.

Django's LoginView and LogoutView do the signing in and out, and its password-reset views the
reset; registration and confirmation follow their conventions (a safe ``next``, never-cached
pages, passwords kept out of error reports).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import (
    LoginView,
    LogoutView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.db import IntegrityError
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from forms_app.accounts import membership
from forms_app.accounts.forms import (
    EmailAuthenticationForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RegistrationForm,
    ResendVerificationForm,
)
from forms_app.accounts.models import Membership
from forms_app.accounts.tokens import (
    awaiting_verification,
    email_verification_token,
    send_already_registered_email,
    send_verification_email,
)

BACKEND = "forms_app.accounts.backends.EmailBackend"


def safe_next(request, url):
    """``url`` if it stays on this site (as LoginView checks it), else an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@method_decorator([sensitive_post_parameters("password1", "password2"), never_cache], name="dispatch")
class RegisterView(FormView):
    """Creates an inactive account and mails the link that activates it."""

    form_class = RegistrationForm
    template_name = "shenbao_accounts/register.html"

    def get_next(self):
        return safe_next(self.request, self.request.POST.get("next") or self.request.GET.get("next", ""))

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(self.get_next() or resolve_url(settings.LOGIN_REDIRECT_URL))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.get_next(), **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if form.email_taken:
            # The same page as for a new address, so registering tells nobody who has an account.
            send_already_registered_email(self.request, email)
            return redirect("shenbao_accounts:verification_sent")
        try:
            user = form.save()
        except IntegrityError:
            # Another registration took the address between validation and saving: as above.
            send_already_registered_email(self.request, email)
            return redirect("shenbao_accounts:verification_sent")
        send_verification_email(self.request, user, self.get_next())
        return redirect("shenbao_accounts:verification_sent")


class VerificationSentView(TemplateView):
    """ "Check your inbox", after registering or asking for a new link."""

    template_name = "shenbao_accounts/verification_sent.html"


@method_decorator(never_cache, name="dispatch")
class VerifyEmailView(View):
    """Activates the account of a valid link, signs its owner in and sends them on.

    Any failure (unknown user, tampered or expired token, link already used)
    gets the same page, so the link's parts cannot be probed one by one.
    """

    def get(self, request, uidb64, token):
        user = self.get_user(uidb64)
        if user is None or not email_verification_token.check_token(user, token):
            return TemplateResponse(
                request,
                "shenbao_accounts/verify_failed.html",
                {"form": ResendVerificationForm()},
                status=400,
            )
        user.is_active = True
        user.save(update_fields=["is_active"])
        # Signing in sets last_login, which (with is_active) retires the link.
        login(request, user, backend=BACKEND)
        # A request to join is announced only now: before, the address may be anybody's typing.
        profile = membership.profile_of(user)
        if profile is not None and profile.status == Membership.PENDING:
            membership.announce_request(request, profile)
            messages.info(
                request,
                _(
                    "Your request to join %(organisation)s was sent to its administrator "
                    "and the region's bureau."
                )
                % {"organisation": profile.organisation.name},
            )
            # Where it was going would only refuse it: the unit page says where the request stands.
            return redirect("shenbao_accounts:unit")
        return redirect(safe_next(request, request.GET.get("next", "")) or settings.LOGIN_REDIRECT_URL)

    @staticmethod
    def get_user(uidb64):
        try:
            pk = force_str(urlsafe_base64_decode(uidb64))
            return awaiting_verification().get(pk=pk)
        except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
            return None


@method_decorator(never_cache, name="dispatch")
class ResendVerificationView(FormView):
    """Mails a new link to an unconfirmed account; answers alike for any address."""

    form_class = ResendVerificationForm
    template_name = "shenbao_accounts/resend_verification.html"
    success_url = reverse_lazy("shenbao_accounts:verification_sent")

    def get_initial(self):
        return {"email": self.request.GET.get("email", "")}

    def form_valid(self, form):
        for user in awaiting_verification().filter(email__iexact=form.cleaned_data["email"]):
            send_verification_email(self.request, user)
        return super().form_valid(form)


class EmailLoginView(LoginView):
    """Django's sign-in page with the e-mail form; a signed-in visitor is sent on."""

    authentication_form = EmailAuthenticationForm
    template_name = "shenbao_accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(LogoutView):
    """Django's LogoutView (POST only), back to the home page."""

    next_page = "/"


class RequestPasswordResetView(PasswordResetView):
    """Asks for the address and mails a link to set a new password; answers alike for any address."""

    form_class = PasswordResetRequestForm
    template_name = "shenbao_accounts/password_reset.html"
    success_url = reverse_lazy("shenbao_accounts:password_reset_sent")


class PasswordResetSentView(PasswordResetDoneView):
    """ "Check your inbox" after asking for a new password, the same page whatever the address."""

    template_name = "shenbao_accounts/password_reset_sent.html"


class SetNewPasswordView(PasswordResetConfirmView):
    """Django's one-use link: checks the token, then asks for a new password the validators accept.

    No sign-in follows: the applicant signs in on the sign-in page, which django-axes guards.
    """

    form_class = NewPasswordForm
    template_name = "shenbao_accounts/password_reset_confirm.html"
    success_url = reverse_lazy("shenbao_accounts:password_reset_done")


class NewPasswordSetView(PasswordResetCompleteView):
    """The password is set: on to the sign-in page."""

    template_name = "shenbao_accounts/password_reset_done.html"
