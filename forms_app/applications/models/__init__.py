"""Models of applications, one idea per module; import them from here."""

# The receivers that keep submitted applications when accounts and drafts are deleted.
from forms_app.applications.models.archive import drop_unsubmitted_files, keep_who_applied
from forms_app.applications.models.files import UploadedFile
from forms_app.applications.models.pages import ApplicationFormPage, FormVersion, definition_hash
from forms_app.applications.models.submissions import (
    Draft,
    ReferenceCounter,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    applicant_label,
    form_code,
)
from forms_app.applications.models.versions import SubmissionVersion, fingerprint_of

__all__ = [
    "ApplicationFormPage",
    "Draft",
    "FormVersion",
    "ReferenceCounter",
    "Submission",
    "SubmissionEvent",
    "SubmissionStatus",
    "SubmissionVersion",
    "UploadedFile",
    "applicant_label",
    "definition_hash",
    "drop_unsubmitted_files",
    "fingerprint_of",
    "form_code",
    "keep_who_applied",
]
