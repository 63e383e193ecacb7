"""Forms of the review desk: a transition, a note or message, a bulk action, summary columns."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_app.applications.models import SubmissionEvent, SubmissionStatus
from forms_app.exchange.models import ExportJob
from forms_app.review.workflow import available_transitions, needs_comment

# XLSX first, with the words that say CSV is for programs (the export's own choices).
AUDIT_FORMATS = [(f.value, f.label) for f in (ExportJob.Format.XLSX, ExportJob.Format.CSV)]


class TransitionForm(forms.Form):
    """Move one submission to one of the statuses open to it."""

    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: the applicant receives it. Otherwise kept for reviewers."),
    )

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission
        labels = dict(SubmissionStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in available_transitions(submission)]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and needs_comment(self.submission, status) and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Give a reason for this change."))
        return cleaned


class EventForm(forms.Form):
    """A note for reviewers, or a message that the applicant receives by e-mail."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (SubmissionEvent.Kind.NOTE, _("Note for reviewers (the applicant does not see it)")),
            (SubmissionEvent.Kind.MESSAGE, _("Message to the applicant (sent by e-mail)")),
        ],
        initial=SubmissionEvent.Kind.NOTE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class BulkTransitionForm(forms.Form):
    """Move the selected rows of the list to one status."""

    ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Selected submissions"))
    status = forms.ChoiceField(label=_("Set the selected to"), choices=SubmissionStatus.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is acceptable here; the workflow checks each against the reviewer's access.
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids") if str(v).isdigit()]
        self.fields["ids"].error_messages["required"] = _("Select at least one submission.")
        self.fields["status"].error_messages["required"] = _("Choose a status.")


class ImportForm(forms.Form):
    """A filled import template (XLSX, XLS, CSV or a ZIP of CSVs), checked by its content first."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "The form's template, filled in: XLSX, XLS or CSV (a ZIP of CSVs for tables), up to 20 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        head = upload.read(8)
        upload.seek(0)
        is_spreadsheet = head.startswith((b"PK", b"\xd0\xcf\x11\xe0"))
        if not is_spreadsheet and not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload the template as XLSX, XLS or CSV."))
        return upload


class PaperCopiesForm(forms.Form):
    """How many stamped paper copies of a submission have arrived (the Zhejiang notice asks for 3)."""

    paper_copies = forms.IntegerField(label=_("Paper copies received"), min_value=0, max_value=99)


class ExtensionForm(forms.Form):
    """A later closing time for one organisation of the reviewer's regions, with the reason."""

    page = forms.ModelChoiceField(queryset=None, label=_("Form"))
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    closes_at = forms.DateTimeField(
        label=_("New closing time"),
        help_text=_("Beijing time, e.g. 2024-03-20 17:00."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pages, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = pages
        self.fields["page"].label_from_instance = lambda p: f"{p.attachment_label} {p.title}".strip()
        self.fields["organisation"].queryset = organisations


class ReminderForm(forms.Form):
    """Send the reminders due today for one form, to the organisations of the reviewer's regions."""

    page = forms.ModelChoiceField(queryset=None, label=_("Form"))
    days = forms.IntegerField(
        label=_("Days before the deadline"),
        min_value=0,
        max_value=60,
        initial=3,
        help_text=_("Organisations whose deadline is at most this many days away are reminded."),
    )

    def __init__(self, *args, pages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = pages
        self.fields["page"].label_from_instance = lambda p: f"{p.attachment_label} {p.title}".strip()


class ReopenForm(forms.Form):
    """Why a desk takes its batch back."""

    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AuditExportForm(forms.Form):
    """Which entries of the audit log to export, and as what."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(
        label=_("User"), required=False, max_length=150, help_text=_("Part of a user name; empty for all.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=AUDIT_FORMATS, initial="xlsx")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range comes before its start."))
        return cleaned
