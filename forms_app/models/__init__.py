"""Models of the forms app, one idea per module; import them from here."""

from .exports import ExportJob, ImportBatch
from .files import UploadedFile
from .pages import ApplicationFormPage, FormVersion, definition_hash
from .regions import LEVEL_ORDER, ApplicantProfile, Organisation, Region
from .review import AuditLogEntry, ReviewerScope
from .submissions import (
    Draft,
    ReferenceCounter,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    form_code,
)

__all__ = [
    "LEVEL_ORDER",
    "ApplicantProfile",
    "ApplicationFormPage",
    "AuditLogEntry",
    "Draft",
    "ExportJob",
    "FormVersion",
    "ImportBatch",
    "Organisation",
    "ReferenceCounter",
    "Region",
    "ReviewerScope",
    "Submission",
    "SubmissionEvent",
    "SubmissionStatus",
    "UploadedFile",
    "definition_hash",
    "form_code",
]
