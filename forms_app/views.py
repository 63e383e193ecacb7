"""The applicant's journey, from a form page to "My applications".

A form page's routes (see ``ApplicationFormPage``) land here: the landing page
with the rules and every question, starting and resuming a draft, the wizard
steps (``wizard.ApplicationWizard``), the check page that submits
(``submitting.submit_draft``) and the confirmation. ``urls.py`` adds the
pages that are not below one form: "My applications" and file downloads.

Every view that touches a draft checks that the visitor owns it: the signed-in
user it belongs to, or, for anonymous forms, the browser that holds its
secret link. Anything else is a 404, so a draft's existence is not revealed.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from . import pdf, printouts, word
from .display import answer_sections
from .forms import StampedCopyForm, VerifyForm
from .models import ApplicationFormPage, Draft, StampedCopy, SubmissionEvent, UploadedFile
from .review.access import ReviewerAccess
from .submitting import SubmissionRefused, submit_draft
from .wizard import ApplicationWizard

SESSION_DRAFTS = "forms_app.anonymous_drafts"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- whose draft is this? ---------------------------------------------------------------------------


def remember_anonymous_draft(request, draft):
    """Let this browser reach an anonymous draft (after starting it or opening its secret link)."""
    ids = set(request.session.get(SESSION_DRAFTS, []))
    ids.add(draft.pk)
    request.session[SESSION_DRAFTS] = sorted(ids)


def owns_draft(request, draft):
    """Whether the visitor may see and change ``draft``."""
    if draft.user_id is not None:
        return request.user.is_authenticated and request.user.pk == draft.user_id
    return draft.pk in request.session.get(SESSION_DRAFTS, [])


def get_own_draft(request, page, draft_id):
    """Return the visitor's draft ``draft_id`` of ``page``, or raise 404."""
    draft = Draft.objects.filter(page=page, pk=draft_id).select_related("organisation").first()
    if draft is None or not owns_draft(request, draft):
        raise Http404(_("No such application."))
    return draft


def user_organisation(user):
    """Return the organisation a signed-in applicant applies for, or None."""
    profile = getattr(user, "applicant_profile", None) if user.is_authenticated else None
    return profile.organisation if profile is not None else None


# --- a form page's routes ---------------------------------------------------------------------------


def journey_context(page, **extra):
    """Return the context of a page of the journey: the form page and its notice (no step forms)."""
    return {"page": page, "self": page, "notice": page.get_notice(), **extra}


def landing(request, page):
    """Show the form's rules and questions, and the way in: start, continue or sign in."""
    context = page.get_context(request)
    user = request.user
    drafts = []
    if user.is_authenticated:
        drafts = list(Draft.objects.filter(page=page, user=user).select_related("submission"))
    organisation = user_organisation(user)
    context.update(
        drafts=drafts,
        is_open=page.is_open(organisation=organisation),
        closed_message=page.get_closed_message(organisation=organisation),
        extension=page.get_extension(organisation),
        needs_login=page.login_required and not user.is_authenticated,
        needs_organisation=page.login_required and user.is_authenticated and user_organisation(user) is None,
    )
    return TemplateResponse(request, page.get_template(request), context)


def start_draft(request, page):
    """Start a new draft (POST only) and go to its first step."""
    if request.method != "POST":
        return redirect(page.url)
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(page.url)
    organisation = user_organisation(request.user)
    if not page.is_open(organisation=organisation):
        messages.error(request, page.get_closed_message(organisation=organisation))
        return redirect(page.url)
    if page.login_required and organisation is None:
        messages.error(request, _("Your account is not linked to an organisation, so it cannot apply."))
        return redirect(page.url)
    draft = Draft.objects.create(
        page=page, user=request.user if request.user.is_authenticated else None, organisation=organisation
    )
    if draft.user_id is None:
        remember_anonymous_draft(request, draft)
    return redirect(page.get_draft_url(draft, "step", step=page.schema.steps[0]["key"]))


def resume_draft(request, page, token):
    """Open an anonymous draft from its secret link, on any device."""
    draft = Draft.objects.filter(page=page, token=token, user__isnull=True).first()
    if draft is None:
        raise Http404(_("This link is not valid."))
    remember_anonymous_draft(request, draft)
    if not draft.is_editable():
        return redirect(page.get_draft_url(draft, "submitted"))
    return redirect(page.get_draft_url(draft, "draft"))


def wizard_step(request, page, draft_id, step):
    """Run one step of the wizard (or send the applicant to where they left off)."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    draft = get_own_draft(request, page, draft_id)
    if step is None:
        if not draft.is_editable():
            return redirect(page.get_draft_url(draft, "submitted"))
        wizard = ApplicationWizard.for_draft(request, page, draft)
        return redirect(wizard.get_step_url(wizard.get_resume_step()))
    return ApplicationWizard.as_view(page=page, draft=draft)(request, step=step)


def check_answers(request, page, draft_id):
    """Show every answer by step with links to change it; on POST, submit."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    draft = get_own_draft(request, page, draft_id)
    if not draft.is_editable():
        return redirect(page.get_draft_url(draft, "submitted"))
    wizard = ApplicationWizard.for_draft(request, page, draft)
    answers, failed_step = wizard.collect_answers()
    if failed_step is not None:
        messages.error(request, _("Please complete this step before checking your answers."))
        return redirect(wizard.get_step_url(failed_step))
    status = 200
    if request.method == "POST":
        try:
            submission, _now = submit_draft(draft, answers)
        except SubmissionRefused as refusal:
            messages.error(request, str(refusal))
            status = 409
        else:
            return redirect(page.get_draft_url(submission.draft, "submitted"))
    sections = answer_sections(page.schema, answers, steps=list(wizard.get_form_list()))
    for section in sections:
        section["change_url"] = wizard.get_step_url(section["step"]["key"]) + "?return_to=check"
    context = journey_context(
        page,
        draft=draft,
        sections=sections,
        is_open=page.is_open(organisation=draft.organisation),
        closed_message=page.get_closed_message(organisation=draft.organisation),
        resubmission=draft.get_submission() is not None,
    )
    return TemplateResponse(request, "forms_app/check_answers.html", context, status=status)


def submitted(request, page, draft_id):
    """Confirm a submission and show it, read-only, to its applicant."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    draft = get_own_draft(request, page, draft_id)
    submission = draft.get_submission()
    if submission is None:
        return redirect(page.get_draft_url(draft, "draft"))
    return submitted_response(request, page, draft, submission)


def submitted_response(request, page, draft, submission, scan_form=None, status=200):
    version = printouts.current_version(submission)
    context = journey_context(
        page,
        draft=draft,
        submission=submission,
        sections=answer_sections(submission.form_version.schema, submission.answers),
        resume_url=page.get_resume_url(draft) if draft.user_id is None else "",
        version=version,
        stamped_copies=submission.stamped_copies.select_related("version"),
        scan_form=scan_form or StampedCopyForm(submission=submission),
        stamped_upload_url=page.get_draft_url(draft, "stamped"),
    )
    return TemplateResponse(request, "forms_app/submitted.html", context, status=status)


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
    form = StampedCopyForm(request.POST, request.FILES, submission=submission)
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


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_response(content, filename, content_type="application/pdf", inline=True):
    """Return a generated document (PDF, Word) as a response that no cache keeps."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def own_submission(request, page, draft_id):
    """Return the submission of the visitor's own draft, or raise 404."""
    submission = get_own_draft(request, page, draft_id).get_submission()
    if submission is None:
        raise Http404
    return submission


def submission_pdf(request, page, draft_id):
    """The applicant's own submission as the printable attachment, to print, stamp and post."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    submission = own_submission(request, page, draft_id)
    return document_response(pdf.submission_pdf(submission, masked=False), f"{submission.reference}.pdf")


def submission_docx(request, page, draft_id):
    """The applicant's own submission as a Word copy (the Zhejiang notice asks for Word files)."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    submission = own_submission(request, page, draft_id)
    content = word.submission_docx(submission, masked=False)
    return document_response(content, f"{submission.reference}.docx", DOCX, inline=False)


def blank_pdf(request, page):
    """The empty form as a PDF, for applicants who fill it in by hand."""
    return document_response(pdf.blank_form_pdf(page), f"{page.attachment_label}{page.title}.pdf")


# --- pages outside a form ---------------------------------------------------------------------------


@login_required
def my_applications(request):
    """List the applicant's drafts and submissions, with status and deadline."""
    drafts = list(
        Draft.objects.filter(user=request.user).select_related("submission").order_by("-updated_at")
    )
    # One lookup per form, not per row: an applicant has many drafts of few forms.
    pages = ApplicationFormPage.objects.in_bulk({draft.page_id for draft in drafts})
    organisation = user_organisation(request.user)
    forms = {
        pk: {
            "page": page,
            "closes_at": page.get_closes_at(organisation),
            "is_open": page.is_open(organisation=organisation),
        }
        for pk, page in pages.items()
    }
    # What the reviewers told the applicant (messages, reasons for returns), newest first, in one query.
    told = defaultdict(list)
    submitted_ids = [d.submission.pk for d in drafts if d.get_submission() is not None]
    for event in SubmissionEvent.objects.for_applicant().filter(submission__in=submitted_ids).order_by("-pk"):
        told[event.submission_id].append(event)
    in_progress, done = [], []
    for draft in drafts:
        submission = draft.get_submission()
        notes = told.get(submission.pk, []) if submission is not None else []
        row = {"draft": draft, "submission": submission, "messages": notes, **forms[draft.page_id]}
        (done if submission is not None else in_progress).append(row)
    return TemplateResponse(
        request, "forms_app/my_applications.html", {"in_progress": in_progress, "submitted": done}
    )


def private_file_response(stored, filename, content_type=None, attachment=True):
    """Return a privately stored file as a download that no cache keeps and no browser sniffs."""
    response = FileResponse(
        stored.open("rb"),
        as_attachment=attachment,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def may_read_file(request, upload):
    """Whether the visitor may download ``upload``: its applicant, or a reviewer who may see it."""
    if upload.submission_id is not None and may_read_submission(request, upload.submission):
        return True
    return upload.draft is not None and owns_draft(request, upload.draft)


def may_read_submission(request, submission):
    """Whether the visitor may read ``submission``: its applicant, or a reviewer who may see it."""
    if request.user.is_authenticated:
        access = ReviewerAccess.of(request.user)
        if access.may_review and access.can_see(submission):
            return True
    return submission.draft is not None and owns_draft(request, submission.draft)


def download_stamped_copy(request, pk):
    """Send a stamped scan to its applicant or to a reviewer who may see the submission."""
    copy = get_object_or_404(StampedCopy.objects.select_related("submission__draft"), pk=pk)
    if not may_read_submission(request, copy.submission):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return private_file_response(copy.file, copy.name, CONTENT_TYPES.get(copy.kind))


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
    response = TemplateResponse(request, "forms_app/verify.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def verify_form(request):
    """Check a printout by typing the code printed at its foot (for those who cannot scan the QR)."""
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return redirect("forms_app:verify", data["reference"], data["revision"], data["fingerprint"])
    return TemplateResponse(
        request, "forms_app/verify.html", {"form": form, "result": None}, status=422 if form.errors else 200
    )


def download_file(request, pk):
    """Send a private upload to someone allowed to read it, as an attachment."""
    upload = get_object_or_404(UploadedFile.objects.select_related("draft", "submission__draft"), pk=pk)
    if not may_read_file(request, upload):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return private_file_response(upload.file, upload.name, CONTENT_TYPES.get(upload.kind))
