"""Signing a staff member in as production asks: password session, then an authenticator code.

Production settings require a second factor of staff (``SHENBAO_STAFF_REQUIRE_TWO_FACTOR``), so a bench
that opens the admin enrols an authenticator for its user and gives the code, as a first sign-in does.
Imported after ``common.configure_django``.
"""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in_staff(client, user):
    """Sign ``client`` in as ``user`` and pass the second-factor step through the enrol page."""
    client.force_login(user)
    enrol = reverse("shenbao_two_factor:enrol")
    client.get(enrol)  # makes the unconfirmed device whose QR code the page shows
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"
    response = client.post(enrol, {"code": code})
    if response.status_code != 302:
        raise SystemExit(f"the second factor of {user} was refused ({response.status_code})")
