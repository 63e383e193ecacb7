"""Printouts on form pages: the PDF, Word and stamped-scan routes, the confirmation page's panel, and
the applicant's stamped scans counted in the bytes their account keeps."""

from django.db.models import Sum
from django.urls import path
from wagtail import hooks

from forms_app.applications.hooks import (
    FORM_PAGE_URLS_HOOK,
    STORED_BYTES_HOOK,
    SUBMITTED_CONTEXT_HOOK,
    page_view,
)
from forms_app.printing import printouts, views
from forms_app.printing.forms import StampedCopyForm
from forms_app.printing.models import StampedCopy


@hooks.register(FORM_PAGE_URLS_HOOK)
def printout_urls():
    return [
        path("blank-pdf/", page_view(views.blank_pdf), name="blank_pdf"),
        path("apply/<id:draft_id>/pdf/", page_view(views.submission_pdf), name="draft_pdf"),
        path("apply/<id:draft_id>/docx/", page_view(views.submission_docx), name="draft_docx"),
        path("apply/<id:draft_id>/stamped/", page_view(views.upload_stamped_copy), name="draft_stamped"),
    ]


@hooks.register(SUBMITTED_CONTEXT_HOOK)
def printout_panel(request, context):
    """Add the printout line, the PDF and Word links and the stamped-copy upload to the confirmation."""
    submission, page = context["submission"], context["page"]
    context.update(
        version=printouts.current_version(submission),
        stamped_copies=submission.stamped_copies.select_related("version"),
        stamped_upload_url=page.get_draft_url(context["draft"], "stamped"),
    )
    context.setdefault("scan_form", StampedCopyForm(submission=submission))
    context["panels"].append("shenbao_printing/includes/printouts.html")


@hooks.register(STORED_BYTES_HOOK)
def stamped_scan_bytes(user):
    """The bytes of the scans ``user`` uploaded as an applicant (a bureau's are not its storage)."""
    scans = StampedCopy.objects.filter(uploaded_by=user, source=StampedCopy.Source.APPLICANT)
    return scans.aggregate(total=Sum("size"))["total"] or 0
