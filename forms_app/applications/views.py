"""The applicant's journey, from a form page to "My applications".

A form page's routes (see ``ApplicationFormPage``) land here: the landing page
with the rules and every question, starting and resuming a draft, the wizard
steps (``wizard.ApplicationWizard``), the check page that submits
(``submitting.submit_draft``) and the confirmation. ``urls.py`` adds the
pages that are not below one form: "My applications" and file downloads.

Every view that touches a draft checks that the visitor owns it: the signed-in
user it belongs to, or, for anonymous forms, the browser that holds its
secret link. Anything else is a 404, so a draft's existence is not revealed.
A draft in a unit's name also needs its owner to be an approved member of the
unit (``accounts.membership``): a request to join not yet approved, or a
member removed, is refused with the reason (403).
"""

from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail import hooks

from forms_app import conf
from forms_app.accounts import membership
from forms_app.applications import quotas
from forms_app.applications.downloads import CONTENT_TYPES, private_file_response
from forms_app.applications.hooks import SUBMISSION_READ_HOOK, SUBMISSION_READERS_HOOK, SUBMITTED_CONTEXT_HOOK
from forms_app.applications.models import ApplicationFormPage, Draft, SubmissionEvent, UploadedFile
from forms_app.applications.submitting import SubmissionRefused, submit_draft
from forms_app.applications.wizard import ApplicationWizard
from forms_app.builder.display import render_answers
from forms_app.builder.filetypes import named_as

SESSION_DRAFTS = "shenbao.anonymous_drafts"


# --- whose draft is this? ---------------------------------------------------------------------------


def remember_anonymous_draft(request, draft):
    """Let this browser reach an anonymous draft (after starting it or opening its secret link)."""
    ids = set(request.session.get(SESSION_DRAFTS, []))
    ids.add(draft.pk)
    request.session[SESSION_DRAFTS] = sorted(ids)


class NotAMember(PermissionDenied):
    """The visitor owns the draft, but may not act for the unit it is made in the name of."""


def made_by(request, draft):
    """Whether the visitor made ``draft`` (its account, or the browser holding its link)."""
    if draft.user_id is not None:
        return request.user.is_authenticated and request.user.pk == draft.user_id
    return draft.pk in request.session.get(SESSION_DRAFTS, [])


def member_refusal(request, draft):
    """Return why the visitor may not act for ``draft``'s unit, or None (no unit, or a member of it)."""
    if draft.organisation_id is None or draft.user_id is None:
        return None
    return membership.refusal(request.user, draft.organisation)


def owns_draft(request, draft):
    """Whether the visitor may see and change ``draft``: made it, and may still act for its unit."""
    return made_by(request, draft) and member_refusal(request, draft) is None


def get_own_draft(request, page, draft_id):
    """Return the visitor's draft ``draft_id`` of ``page``; raise 404, or ``NotAMember`` with the reason."""
    draft = Draft.objects.filter(page=page, pk=draft_id).select_related("organisation", "submission").first()
    if draft is None or not made_by(request, draft):
        raise Http404(_("No such application."))
    refusal = member_refusal(request, draft)
    if refusal is not None:
        raise NotAMember(refusal)
    draft.page = page  # the routed page, with its notice already read
    return draft


def refuses_non_members(view):
    """Answer a view's ``NotAMember`` with a page that says why (403), instead of the bare 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAMember as refusal:
            context = {"refusal": str(refusal)}
            return TemplateResponse(request, "shenbao_applications/not_a_member.html", context, status=403)

    return wrapper


def user_organisation(user):
    """Return the organisation a signed-in applicant applies for: theirs once approved, else None."""
    return membership.member_organisation(user)


# --- a form page's routes ---------------------------------------------------------------------------


def journey_context(page, **extra):
    """Return the context of a page of the journey: the form page and its notice (no step forms)."""
    return {"page": page, "self": page, "notice": page.get_notice(), **extra}


def landing(request, page):
    """Show the form's rules and questions, and the way in: start, continue or sign in."""
    context = page.get_context(request)
    user = request.user
    drafts = []
    organisation = user_organisation(user)
    if user.is_authenticated:
        in_its_name = Q(organisation__isnull=True) | Q(organisation=organisation)
        drafts = list(Draft.objects.filter(in_its_name, page=page, user=user).select_related("submission"))
    context.update(
        drafts=drafts,
        is_open=page.is_open(organisation=organisation),
        closed_message=page.get_closed_message(organisation=organisation),
        extension=page.get_extension(organisation),
        needs_login=page.login_required and not user.is_authenticated,
        needs_organisation=page.login_required and user.is_authenticated and user_organisation(user) is None,
        membership_refusal=membership.refusal(user),
    )
    return TemplateResponse(request, page.get_template(request), context)


def start_draft(request, page):
    """Start a new draft (POST only) and go to its first step."""
    if request.method != "POST":
        return redirect(page.url)
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(page.url)
    refusal = membership.refusal(request.user)
    if refusal is not None:
        # Refused on every form, with or without sign-in: such an account stands for a unit it may not.
        messages.error(request, refusal)
        return redirect(page.url)
    organisation = user_organisation(request.user)
    if not page.is_open(organisation=organisation):
        messages.error(request, page.get_closed_message(organisation=organisation))
        return redirect(page.url)
    if page.login_required and organisation is None:
        messages.error(request, _("Your account is not linked to an organisation, so it cannot apply."))
        return redirect(page.url)
    if not quotas.may_start_draft(request.user):
        messages.error(
            request,
            _(
                "You already have %(n)s applications in progress, the most one account may have. "
                "Continue one of them from “My applications” instead of starting another."
            )
            % {"n": conf.max_drafts_per_account()},
        )
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


@refuses_non_members
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


def open_draft(request, page, draft_id):
    """``(wizard, None)`` for the visitor's editable draft, else ``(None, response)`` sending them on."""
    if page.login_required and not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    draft = get_own_draft(request, page, draft_id)
    if not draft.is_editable():
        return None, redirect(page.get_draft_url(draft, "submitted"))
    return ApplicationWizard.for_draft(request, page, draft), None


@refuses_non_members
def saved(request, page, draft_id):
    """After "save for later": where the draft stands and the ways back to it, and no empty form."""
    wizard, elsewhere = open_draft(request, page, draft_id)
    if elsewhere is not None:
        return elsewhere
    draft = wizard.draft
    step = wizard.get_resume_step()
    titles = {item["key"]: item["title"] for item in page.schema.steps}
    context = journey_context(
        page,
        draft=draft,
        step_title=titles.get(step) or _("Check and submit"),
        continue_url=wizard.get_step_url(step),
        resume_url=page.get_resume_url(draft) if draft.user_id is None else "",
        is_open=page.is_open(organisation=draft.organisation),
        closes_at=page.get_closes_at(draft.organisation),
    )
    return TemplateResponse(request, "shenbao_applications/saved.html", context)


@refuses_non_members
def check_answers(request, page, draft_id):
    """Show every answer by step with links to change it; on POST, submit."""
    wizard, elsewhere = open_draft(request, page, draft_id)
    if elsewhere is not None:
        return elsewhere
    draft = wizard.draft
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
    sections = render_answers(page.schema, answers, steps=list(wizard.get_form_list()))
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
    return TemplateResponse(request, "shenbao_applications/check_answers.html", context, status=status)


@refuses_non_members
def submitted(request, page, draft_id):
    """Confirm a submission and show it, read-only, to its applicant."""
    if page.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    draft = get_own_draft(request, page, draft_id)
    submission = draft.get_submission()
    if submission is None:
        return redirect(page.get_draft_url(draft, "draft"))
    return submitted_response(request, page, draft, submission)


def submitted_response(request, page, draft, submission, status=200, **extra):
    """Render the confirmation page; apps add their panels through the submitted-context hook."""
    context = journey_context(
        page,
        draft=draft,
        submission=submission,
        sections=render_answers(submission.form_version.schema, submission.answers),
        resume_url=page.get_resume_url(draft) if draft.user_id is None else "",
        panels=[],
        **extra,
    )
    for construct in hooks.get_hooks(SUBMITTED_CONTEXT_HOOK):
        construct(request, context)
    return TemplateResponse(request, "shenbao_applications/submitted.html", context, status=status)


def own_submission(request, page, draft_id):
    """Return the submission of the visitor's own draft, or raise 404."""
    submission = get_own_draft(request, page, draft_id).get_submission()
    if submission is None:
        raise Http404
    return submission


# --- pages outside a form ---------------------------------------------------------------------------


@login_required
def my_applications(request):
    """List the applicant's drafts and submissions, with status and deadline."""
    # Only what the account may still act for: drafts in a unit's name need it to be a member.
    organisation = user_organisation(request.user)
    in_its_name = Q(organisation__isnull=True) | Q(organisation=organisation)
    drafts = list(
        Draft.objects.filter(in_its_name, user=request.user)
        .select_related("submission")
        .order_by("-updated_at")
    )
    # One lookup per form, not per row: an applicant has many drafts of few forms.
    pages = ApplicationFormPage.objects.in_bulk({draft.page_id for draft in drafts})
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
    context = {"in_progress": in_progress, "submitted": done, "refusal": membership.refusal(request.user)}
    return TemplateResponse(request, "shenbao_applications/my_applications.html", context)


def may_read_file(request, upload):
    """Whether the visitor may download ``upload``: its applicant, or a reviewer who may see it."""
    if upload.submission_id is not None and may_read_submission(request, upload.submission):
        return True
    return upload.draft is not None and owns_draft(request, upload.draft)


def read_by_applicant(request, submission):
    """Whether the visitor is the applicant of ``submission`` (who reads their own data)."""
    return submission.draft is not None and owns_draft(request, submission.draft)


def may_read_submission(request, submission):
    """Whether the visitor may read ``submission``: its applicant, or whoever a readers hook admits."""
    if read_by_applicant(request, submission):
        return True
    return any(admits(request, submission) for admits in hooks.get_hooks(SUBMISSION_READERS_HOOK))


def note_reading(request, submission, what, detail):
    """Tell the read hooks (the audit log) that someone besides the applicant read ``submission``'s data.

    The applicant reading their own application is not noted: it is their data.
    """
    if submission is None or read_by_applicant(request, submission):
        return
    for noted in hooks.get_hooks(SUBMISSION_READ_HOOK):
        noted(request, submission, what, detail)


def download_file(request, pk):
    """Send a private upload to someone allowed to read it, as an attachment.

    Named, and typed, by what its content was found to be: a row kept from before names were
    given the content's extension still downloads as its type, not as what it was called.
    """
    upload = get_object_or_404(UploadedFile.objects.select_related("draft", "submission__draft"), pk=pk)
    if not may_read_file(request, upload):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    note_reading(request, upload.submission, "file", _("File %(name)s") % {"name": upload.name})
    return private_file_response(
        upload.file, named_as(upload.name, upload.kind), CONTENT_TYPES.get(upload.kind)
    )
