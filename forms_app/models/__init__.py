"""Models of the forms app, one idea per module; import them from here."""

from .exports import ExportJob, ImportBatch
from .files import UploadedFile
from .pages import ApplicationFormPage, FormVersion, definition_hash
from .paper import StampedCopy, SubmissionVersion, fingerprint_of
from .regions import LEVEL_ORDER, ApplicantProfile, Organisation, Region
from .review import AuditLogEntry, ReviewerScope
from .rounds import BatchEntry, DeadlineExtension, RecommendationBatch, ReminderLog
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
    "BatchEntry",
    "DeadlineExtension",
    "Draft",
    "ExportJob",
    "FormVersion",
    "ImportBatch",
    "Organisation",
    "RecommendationBatch",
    "ReferenceCounter",
    "Region",
    "ReminderLog",
    "ReviewerScope",
    "StampedCopy",
    "Submission",
    "SubmissionEvent",
    "SubmissionStatus",
    "SubmissionVersion",
    "UploadedFile",
    "definition_hash",
    "fingerprint_of",
    "form_code",
]
