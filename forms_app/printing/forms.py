"""Forms of the paper loop: a stamped scan tied to the version printed, and a typed printout code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_app.builder.uploads import check_budget
from forms_app.printing.printouts import check_scan


class StampedCopyForm(forms.Form):
    """The scan of a stamped printout: the version it shows (as printed at its foot) and the file."""

    version = forms.ModelChoiceField(
        queryset=None,
        label=_("Version printed"),
        empty_label=None,
        help_text=_("As printed at the foot of each page: revision and fingerprint."),
    )
    file = forms.FileField(
        label=_("Stamped copy"), help_text=_("A scan or photo of the stamped printout: PDF, JPEG or PNG.")
    )

    def __init__(self, *args, submission, upload_budget=None, **kwargs):
        """``upload_budget``: ``(bytes, cap)`` the scan may take of its uploader's storage, or None."""
        super().__init__(*args, **kwargs)
        self.upload_budget = upload_budget
        field = self.fields["version"]
        field.queryset = submission.versions.order_by("-revision")
        field.label_from_instance = lambda version: (
            _("Revision %(n)s · %(fingerprint)s")
            % {
                "n": version.revision,
                "fingerprint": version.fingerprint,
            }
        )
        current = field.queryset.filter(revision=submission.revision).first()
        if current is not None:
            field.initial = current.pk
        self.kind = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = check_scan(upload)
        check_budget([upload], self.upload_budget, self.fields["file"].label)
        return upload


class VerifyForm(forms.Form):
    """The code printed at the foot of a printout, typed in by hand."""

    reference = forms.CharField(label=_("Reference"), max_length=40)
    revision = forms.IntegerField(label=_("Revision"), min_value=1)
    fingerprint = forms.RegexField(
        label=_("Fingerprint"),
        regex=r"^[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}$",
        help_text=_("Twelve characters, e.g. 3F2A-91C0-77DE."),
        error_messages={"invalid": _("Type the twelve characters printed after “fingerprint”.")},
    )

    def clean_fingerprint(self):
        text = self.cleaned_data["fingerprint"].replace("-", "").upper()
        return "-".join(text[i : i + 4] for i in range(0, 12, 4))
