"""Signing a staff member in as production asks: password session, then an authenticator code.

Production settings require a second factor of staff (``SHENBAO_STAFF_REQUIRE_TWO_FACTOR``), so a bench
that opens the admin enrols an authenticator for its user and gives the code, as a first sign-in does;
a user already enrolled (by another process of the same run) gives a code of their device instead.
Imported after ``common.configure_django``.
"""

import time

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in_staff(client, user):
    """Sign ``client`` in as ``user`` and pass the second-factor step (enrolling, or with a code)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        page = reverse("shenbao_two_factor:enrol")
        client.get(page)  # makes the unconfirmed device whose QR code the page shows
        device = TOTPDevice.objects.get(user=user, confirmed=False)
    else:
        page = reverse("shenbao_two_factor:verify")
    response = client.post(page, {"code": current_code(device)})
    if response.status_code != 302:
        raise SystemExit(f"the second factor of {user} was refused ({response.status_code})")


def current_code(device):
    """The device's code now; a code is taken once, so after a used step wait for the next one."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while device.last_t is not None and clock.t() <= device.last_t:
        time.sleep(1)
        clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{clock.token():0{device.digits}d}"
