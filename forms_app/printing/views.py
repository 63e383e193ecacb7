"""The applicant's printouts and the public verification page.

A form page's routes for the filled and the blank PDF, the Word copy and the
stamped-scan upload are registered by this app's ``wagtail_hooks``; the
stamped-copy download and the verification pages are plain URLs.
"""

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from forms_app import conf
from forms_app.applications import quotas
from forms_app.applications.downloads import CONTENT_TYPES, DOCX, document_response, private_file_response
from forms_app.applications.views import (
    get_own_draft,
    may_read_submission,
    note_reading,
    own_submission,
    refuses_non_members,
    submitted_response,
)
from forms_app.builder.filetypes import named_as
from forms_app.printing import pdf, printouts, word
from forms_app.printing.forms import StampedCopyForm, VerifyForm
from forms_app.printing.models import StampedCopy
from forms_app.ratelimit import rate_limited

logger = logging.getLogger(__name__)
PDF_UNAVAILABLE = "shenbao_printing/pdf_unavailable.html"
PDF_UNAVAILABLE_ADMIN = "shenbao_printing/pdf_unavailable_admin.html"
# Every check, by QR code or by the typed code (which only redirects), looks the printout up in
# verify_printout: it alone counts, once per check.
verification_limited = rate_limited("verify", conf.verify_rate_limit, "shenbao_printing/verify_limited.html")


def explain_missing_font(template=PDF_UNAVAILABLE):
    """Decorate a PDF view so that a server without the PDF fonts answers with a page that says so (503)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except pdf.PdfFontMissing:
                logger.exception("A PDF could not be made")  # the message names the missing font
                return TemplateResponse(request, template, {}, status=503)

        return wrapper

    return decorate


@refuses_non_members
def upload_stamped_copy(request, page, draft_id):
    """Take the applicant's scan of their stamped printout, tied to the version they printed."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    draft = get_own_draft(request, page, draft_id)
    submission = draft.get_submission()
    if submission is None:
        raise Http404
    if request.method != "POST":
        return redirect(page.get_draft_url(draft, "submitted"))
    # The applicant's scans count against the account's storage; a bureau's are the bureau's work.
    budget = quotas.upload_budget(request.user, draft)
    form = StampedCopyForm(request.POST, request.FILES, submission=submission, upload_budget=budget)
    if not form.is_valid():
        return submitted_response(request, page, draft, submission, scan_form=form, status=422)
    printouts.store_scan(
        submission,
        form.cleaned_data["version"],
        form.cleaned_data["file"],
        form.kind,
        request.user,
        StampedCopy.Source.APPLICANT,
    )
    messages.success(request, _("Thank you: the stamped copy was received."))
    return redirect(page.get_draft_url(draft, "submitted"))


@explain_missing_font()
@refuses_non_members
def submission_pdf(request, page, draft_id):
    """The applicant's own submission as the printable attachment, to print, stamp and post."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    submission = own_submission(request, page, draft_id)
    return document_response(pdf.submission_pdf(submission, masked=False), f"{submission.reference}.pdf")


@refuses_non_members
def submission_docx(request, page, draft_id):
    """The applicant's own submission as a Word copy (the Zhejiang notice asks for Word files)."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    submission = own_submission(request, page, draft_id)
    content = word.submission_docx(submission, masked=False)
    return document_response(content, f"{submission.reference}.docx", DOCX, inline=False)


@explain_missing_font()
def blank_pdf(request, page):
    """The empty form as a PDF, for applicants who fill it in by hand."""
    return document_response(pdf.blank_form_pdf(page), f"{page.attachment_label}{page.title}.pdf")


def download_stamped_copy(request, pk):
    """Send a stamped scan to its applicant or to a reviewer who may see the submission, named as its type."""
    copy = get_object_or_404(StampedCopy.objects.select_related("submission__draft"), pk=pk)
    if not may_read_submission(request, copy.submission):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    note_reading(request, copy.submission, "file", _("Stamped copy %(name)s") % {"name": copy.name})
    return private_file_response(copy.file, named_as(copy.name, copy.kind), CONTENT_TYPES.get(copy.kind))


@verification_limited
def verify_printout(request, reference, revision, fingerprint):
    """Say whether a printout (its QR code or typed code) matches the submission as it is now.

    Anyone learns only whether it is current, outdated or unknown; the organisation and the
    versions are shown to the applicant and to reviewers who may see the submission.
    """
    result = printouts.verify(reference, revision, fingerprint)
    trusted = result.submission is not None and may_read_submission(request, result.submission)
    context = {
        "result": result,
        "trusted": trusted,
        "reference": reference,
        "revision": revision,
        "fingerprint": fingerprint,
        "versions": result.submission.versions.all() if trusted else [],
        "form": VerifyForm(initial={"reference": reference, "revision": revision, "fingerprint": ""}),
    }
    status = 404 if result.state == "unknown" else 200
    response = TemplateResponse(request, "shenbao_printing/verify.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def verify_form(request):
    """Check a printout by typing the code printed at its foot (for those who cannot scan the QR)."""
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return redirect("shenbao:verify", data["reference"], data["revision"], data["fingerprint"])
    return TemplateResponse(
        request,
        "shenbao_printing/verify.html",
        {"form": form, "result": None},
        status=422 if form.errors else 200,
    )
