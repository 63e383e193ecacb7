"""The form that takes a code from an authenticator app and checks it against the staff member's device."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """Six digits from the app, checked against ``devices`` (django-otp TOTP devices).

    django-otp counts wrong codes on the device and makes each next try wait longer, and refuses
    a code already used; both answers are given as a message on the field. ``device`` is the one
    that accepted the code. Check inside a transaction with the devices locked (``select_for_update``),
    so two tries at once cannot both pass.
    """

    error_messages = {
        "wrong": _("That code is not right. Type the six digits your app shows now."),
        "digits": _("Type the six digits your app shows, without letters."),
        "throttled": _("Too many wrong codes. Wait a few seconds, then type the code your app shows now."),
    }

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise ValidationError(self.error_messages["digits"], code="digits")
        allowed = [device for device in self.devices if device.verify_is_allowed()[0]]
        if self.devices and not allowed:
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        for device in allowed:
            if device.verify_token(code):
                self.device = device
                return code
        raise ValidationError(self.error_messages["wrong"], code="wrong")
