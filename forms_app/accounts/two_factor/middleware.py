"""Until a staff member has given a code in this session, their requests go to the two-factor pages."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from forms_app import conf
from forms_app.accounts.staff import is_staff_member

# Pages an unverified staff member may still open: signing in and out, the language switch, the
# admin's script catalogue (the two-factor pages use it) and the two-factor pages themselves.
OTP_MIDDLEWARE = "django_otp.middleware.OTPMiddleware"
OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "shenbao_accounts:logout",
    "set_language",
    "shenbao_two_factor:enrol",
    "shenbao_two_factor:verify",
    "shenbao_two_factor:qr",
)


def open_paths():
    paths = set()
    for name in OPEN_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:  # a host site without that page
            continue
    return paths


def has_confirmed_device(user):
    """Whether ``user`` has enrolled an authenticator app (a device confirmed by a first code)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def two_factor_url(user, next_path):
    """The enrol page for a staff member without a confirmed device, else the code page; with ``next``."""
    url = reverse("shenbao_two_factor:verify" if has_confirmed_device(user) else "shenbao_two_factor:enrol")
    query = QueryDict(mutable=True)
    query["next"] = next_path
    return f"{url}?{query.urlencode(safe='/')}"


class StaffTwoFactorMiddleware:
    """When ``SHENBAO_STAFF_REQUIRE_TWO_FACTOR`` is on, keep unverified staff to the two-factor pages.

    The whole site is closed to them, not only ``/admin/``: reviewers also read private files and
    stamped scans through public URLs. Applicants are never asked. Put it after django-otp's
    ``OTPMiddleware``, which tells whether the session's user has given a code.
    """

    def __init__(self, get_response):
        # Without django-otp's middleware first, no session would ever count as verified.
        middleware = list(settings.MIDDLEWARE)
        own = f"{__name__}.{type(self).__name__}"
        if OTP_MIDDLEWARE not in middleware or middleware.index(OTP_MIDDLEWARE) > middleware.index(own):
            raise ImproperlyConfigured(f"Put {OTP_MIDDLEWARE} before {own} in MIDDLEWARE.")
        self.get_response = get_response

    def __call__(self, request):
        if conf.staff_require_two_factor() and self.must_give_a_code(request):
            return redirect(two_factor_url(request.user, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def must_give_a_code(request):
        user = getattr(request, "user", None)
        if not is_staff_member(user) or user.is_verified():
            return False
        path = request.path
        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return False
        return path not in open_paths()
