"""The enrol page (an authenticator app's key and QR code, confirmed by a first code) and the code page.

Both are for a staff member signed in with their password; the middleware sends them here. After a
right code django-otp records the device in the session (``user.is_verified()``), and the page they
asked for opens.
"""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from forms_app.accounts.staff import is_staff_member
from forms_app.accounts.two_factor.forms import CodeForm
from forms_app.accounts.two_factor.middleware import has_confirmed_device, two_factor_url
from forms_app.accounts.views import safe_next
from forms_app.qr import qr_png

DEVICE_NAME = "authenticator"


def staff_only(request):
    """``None`` for a signed-in staff member, else the answer: the admin's sign-in, or 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not is_staff_member(request.user):
        raise PermissionDenied
    return None


def pending_device(user):
    """The staff member's device being enrolled, made on first visit and kept across reloads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@method_decorator(never_cache, name="dispatch")
class CodePageMixin:
    """What the two pages share: staff only, a code form checked with the devices locked, ``next``."""

    template_name = "shenbao_accounts/two_factor/code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        refusal = staff_only(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def next_url(self):
        asked = self.request.POST.get("next") or self.request.GET.get("next", "")
        return safe_next(self.request, asked) or reverse("wagtailadmin_home")

    def devices(self):
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "devices": self.devices()}

    def post(self, request, *args, **kwargs):
        # The devices are read with select_for_update: two tries at once are checked one after the other.
        with transaction.atomic():
            return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)

    def form_valid(self, form):
        otp_login(self.request, form.device)
        return redirect(self.next_url())


class EnrolView(CodePageMixin, FormView):
    """Shows a new key as an otpauth URI, its QR code and its letters; a first right code confirms it.

    A staff member who already has a confirmed device is sent to the code page: a second device
    cannot be added without the first one's code.
    """

    template_name = "shenbao_accounts/two_factor/enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_confirmed_device(request.user):
            return redirect(two_factor_url(request.user, self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def devices(self):
        if self.request.method == "POST":
            pending_device(self.request.user)  # a POST without a GET first still has a device to check
            return TOTPDevice.objects.filter(user=self.request.user, confirmed=False).select_for_update()
        return [pending_device(self.request.user)]

    def get_context_data(self, **kwargs):
        device = pending_device(self.request.user)
        return super().get_context_data(
            otpauth_uri=device.config_url,
            secret=b32encode(device.bin_key).decode(),
            **kwargs,
        )

    def form_valid(self, form):
        device = form.device
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Any other half-enrolled key of this account is dropped: only the confirmed one is trusted.
        TOTPDevice.objects.filter(user=self.request.user, confirmed=False).delete()
        messages.success(
            self.request, _("Your authenticator app is set up. Each sign-in now asks for its code.")
        )
        return super().form_valid(form)


class VerifyView(CodePageMixin, FormView):
    """Asks for the current code of the staff member's confirmed device, at each sign-in."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_confirmed_device(request.user):
            return redirect(two_factor_url(request.user, self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def devices(self):
        confirmed = TOTPDevice.objects.devices_for_user(self.request.user, confirmed=True)
        return confirmed.select_for_update() if self.request.method == "POST" else confirmed


@never_cache
def enrolment_qr(request):
    """The QR code of the key being enrolled, as a PNG; never of a confirmed device's key."""
    refusal = staff_only(request)
    if refusal is not None:
        return refusal
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        raise Http404
    response = HttpResponse(qr_png(device.config_url), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
