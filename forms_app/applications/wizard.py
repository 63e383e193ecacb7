"""The applicant's wizard: django-formtools' named-URL wizard over one form page and one draft.

formtools does the stepping (named step URLs, a management form, per-step
prefixes, raw step data kept between requests, revalidation of every step
before the end). What this module adds:

* the state lives in the ``Draft`` row (``DraftStorage``), so it survives the
  browser and follows the applicant to another device;
* every valid step also writes its cleaned answers, and its uploads, to the
  draft: the check page, "My applications" and conditions read those;
* steps hidden by the builder's conditions drop out of the form list;
* no skipping ahead: a step opens only once every step before it is done;
* "Back" and "Save and come back later" keep what was typed, valid or not;
* the last step leads to the check page (``done_step_name``), never straight
  to a submission.
"""

import logging
from collections import OrderedDict
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from forms_app.applications import quotas
from forms_app.applications.models import UploadedFile
from forms_app.applications.models.files import discard
from forms_app.applications.storage import DraftStorage, delete_after_commit, private_storage

# Step keys are lower-case identifiers, so this can never name a step.
CHECK_STEP = "-check-"

logger = logging.getLogger(__name__)


class FieldNotStored(Exception):
    """Storing the upload of the file field ``spec`` failed with the OSError ``error``."""

    def __init__(self, spec, error):
        super().__init__(spec["key"])
        self.spec, self.error = spec, error


class UploadNotStored(Exception):
    """The private store refused a step's upload; ``form`` carries the message by the file field."""

    def __init__(self, form):
        super().__init__(form.errors)
        self.form = form


class ApplicationWizard(NamedUrlWizardView):
    """formtools' named-URL wizard for one ``ApplicationFormPage`` and one ``Draft``."""

    page = None
    draft = None
    file_storage = private_storage
    template_name = "shenbao_applications/wizard_step.html"
    pending_key = "pending"

    @classmethod
    def get_initkwargs(cls, page=None, draft=None, **kwargs):
        """Build the form list from the page's schema, one ``StepForm`` class per step."""
        form_list = page.get_step_form_classes()
        return super().get_initkwargs(
            form_list=form_list, url_name="", done_step_name=CHECK_STEP, page=page, draft=draft, **kwargs
        )

    @classmethod
    def for_draft(cls, request, page, draft):
        """Return a wizard ready to read and revalidate ``draft`` outside a step request."""
        wizard = cls(**cls.get_initkwargs(page=page, draft=draft))
        wizard.setup(request)
        wizard.set_up_storage(request)
        return wizard

    # --- storage -------------------------------------------------------------------------------------

    def get_prefix(self, request, *args, **kwargs):
        """Return this form page's own storage prefix, so two forms never mix."""
        return f"form_{self.page.pk}"

    def set_up_storage(self, request):
        """Attach the draft-backed storage, as formtools' ``dispatch`` does with its own."""
        self.prefix = self.get_prefix(request)
        self.storage = DraftStorage(self.prefix, request, self.file_storage, draft=self.draft)
        self.steps = StepsHelper(self)

    def dispatch(self, request, *args, **kwargs):
        self.set_up_storage(request)
        response = TemplateView.dispatch(self, request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    # --- the steps -----------------------------------------------------------------------------------

    def get_form_list(self):
        """Return the steps the answers so far show, in order."""
        schema = self.page.schema
        answers = self.draft.answers
        form_list = OrderedDict(
            (key, form_class)
            for key, form_class in self.form_list.items()
            if schema.step_visible(schema.get_step(key), answers)
        )
        # formtools clears these after a valid step; conditions here read the
        # draft's answers, which are cheap, so nothing is cached.
        self._resolved_form_list, self._cache_signature = form_list, None
        return form_list

    def get_form(self, step=None, data=None, files=None):
        """Return the step's form, its new uploads held to what the account may still store."""
        form = super().get_form(step, data, files)
        form.upload_budget = partial(quotas.upload_budget, self.request.user, self.draft)
        return form

    def get_form_kwargs(self, step=None):
        return {"answers": self.draft.answers}

    def get_form_initial(self, step):
        """Return the saved answers of ``step``: they show uploaded files and fill unvisited steps."""
        answers = self.draft.answers
        fields = self.page.schema.input_fields(self.page.schema.get_step(step))
        return {spec["key"]: answers[spec["key"]] for spec in fields if spec["key"] in answers}

    def is_step_done(self, step):
        """Whether ``step`` has been completed (its valid data is stored)."""
        return self.storage.get_step_data(step) is not None

    def get_first_open_step(self):
        """Return the first step not yet done, or None when all are."""
        return next((step for step in self.get_form_list() if not self.is_step_done(step)), None)

    def may_visit(self, step):
        """Whether the applicant may open ``step``: every step before it must be done."""
        steps = list(self.get_form_list())
        if step not in steps:
            return False
        first_open = self.get_first_open_step()
        return first_open is None or steps.index(step) <= steps.index(first_open)

    def get_resume_step(self):
        """Return where an applicant coming back should land."""
        current = self.storage.current_step
        if current and self.may_visit(current):
            return current
        return self.get_first_open_step() or self.steps.last

    def get_step_url(self, step):
        """Return the URL of ``step`` (the check page for the done step) under the form page."""
        if step == CHECK_STEP:
            return self.page.get_draft_url(self.draft, "check")
        return self.page.get_draft_url(self.draft, "step", step=step)

    # --- requests ------------------------------------------------------------------------------------

    def get_refusal(self):
        """Return a redirect when this draft may not be changed now (closed, or submitted)."""
        if not self.draft.is_editable():
            messages.info(
                self.request, _("This application has been submitted and can no longer be changed.")
            )
            return redirect(self.page.get_draft_url(self.draft, "submitted"))
        if not self.page.is_open(organisation=self.draft.organisation):
            messages.error(self.request, self.page.get_closed_message(organisation=self.draft.organisation))
            return redirect(self.page.url)
        return None

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if not self.draft.is_editable():
            return self.get_refusal()
        if step not in self.get_form_list() or not self.may_visit(step):
            if step in self.get_form_list():
                messages.info(request, _("Please complete the steps in order."))
            return redirect(self.get_step_url(self.get_resume_step()))
        self.storage.current_step = step
        return self.render(self.get_form(data=self.get_pending_or_saved_data(step)))

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        refusal = self.get_refusal()
        if refusal is not None:
            return refusal
        if not self.may_visit(step):
            return redirect(self.get_step_url(self.get_resume_step()))
        self.storage.current_step = step
        if request.POST.get(f"{self.prefix}-current_step") != step:
            # A page from before a change of steps (another tab, a stale copy): show the step again.
            messages.warning(request, _("This page was out of date. Please check it and continue."))
            return redirect(self.get_step_url(step))
        goto = request.POST.get("wizard_goto_step")
        if goto or "wizard_save" in request.POST:
            return self.leave_step(step, goto)
        try:
            response = super().post(request, *args, **kwargs)
        except UploadNotStored as failure:
            return self.answer_unstored(step, failure.form)
        self.clear_pending(step)
        return response

    def answer_unstored(self, step, form):
        """Show the step again with the store's failure by the file field, keeping what was typed."""
        self.set_pending(step, self.get_step_raw_data(form))
        return self.render(form)

    def leave_step(self, step, goto):
        """Keep what was typed on ``step`` (saved if valid, else pending) and go back or stop."""
        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        if form.is_valid():
            try:
                self.storage.set_step_data(step, self.process_step(form))
            except UploadNotStored:
                return self.answer_unstored(step, form)
            self.clear_pending(step)
        else:
            self.set_pending(step, self.get_step_raw_data(form))
        if goto in self.get_form_list() and self.may_visit(goto):
            return redirect(self.get_step_url(goto))
        # A page that says where the draft stands and how to come back, not the form page's empty inputs.
        return redirect(self.page.get_draft_url(self.draft, "saved"))

    def render_next_step(self, form, **kwargs):
        """Go to the next step, or back to the check page when asked to and everything is done."""
        if self.request.POST.get("return_to") == "check" and self.get_first_open_step() is None:
            return redirect(self.get_step_url(CHECK_STEP))
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        """After the last step: the check page, where the applicant submits."""
        return redirect(self.get_step_url(CHECK_STEP))

    def render(self, form=None, **kwargs):
        response = super().render(form, **kwargs)
        if form is not None and form.is_bound and form.errors:
            response.status_code = 422
        return response

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        steps = list(self.get_form_list())
        context.update(
            page=self.page,
            notice=self.page.get_notice(),
            self=self.page,
            draft=self.draft,
            step=self.page.schema.get_step(self.steps.current),
            progress=[
                {
                    "key": key,
                    "title": self.page.schema.get_step(key)["title"],
                    "done": self.is_step_done(key),
                    "current": key == self.steps.current,
                    "url": self.get_step_url(key) if self.may_visit(key) else "",
                }
                for key in steps
            ],
            prev_step=self.steps.prev,
            is_last=self.steps.current == self.steps.last,
            return_to=self.request.GET.get("return_to") or self.request.POST.get("return_to") or "",
            resume_url=self.page.get_resume_url(self.draft) if self.draft.user_id is None else "",
        )
        return context

    # --- what a valid step leaves behind -------------------------------------------------------------

    def process_step(self, form):
        """Save the step's answers and uploads into the draft; return the raw data formtools keeps."""
        self.save_step_answers(form)
        return self.get_step_raw_data(form)

    def process_step_files(self, form):
        # Uploads are already rows of their own (see save_step_answers).
        return {}

    def get_step_raw_data(self, form):
        """Return the posted values of this step only, JSON-ready (no token, no other step)."""
        own = f"{form.prefix}-"
        return {key: values for key, values in form.data.lists() if key.startswith(own)}

    def save_step_answers(self, form):
        """Write the step's cleaned answers, and its new uploads as private files, to the draft.

        All or nothing: when the private store fails (full, unwritable, unreachable), the files this
        step stored are removed, the draft is left as it was, and ``UploadNotStored`` carries the form
        with a message by the field whose file could not be kept.
        """
        stored = []
        try:
            with transaction.atomic():
                self.write_step_answers(form, stored)
        except FieldNotStored as failure:
            logger.error("The private store refused an upload to draft %s: %s", self.draft.pk, failure.error)
            for row in stored:
                discard(row.file.storage, row.file.name)
            self.draft.refresh_from_db(fields=["answers", "current_step"])
            message = _(
                "%(field)s: the file could not be stored, because the server's file store is full or "
                "unavailable. Your other answers on this page are kept: please choose the file again, "
                "or try again later."
            )
            form.add_error(failure.spec["key"], message % {"field": failure.spec["label"]})
            raise UploadNotStored(form) from None

    def write_step_answers(self, form, stored):
        """Store the step's new uploads (appending their rows to ``stored``) and save its answers."""
        schema = self.page.schema
        step_answers = self.get_step_answers(form)
        for spec in schema.input_fields(form.step):
            if spec["type"] != "file" or spec["key"] not in step_answers:
                continue
            value = step_answers[spec["key"]]
            if value and not isinstance(value[0], dict):
                for upload in value:
                    try:
                        row = UploadedFile.store(
                            upload,
                            draft=self.draft,
                            field_key=spec["key"],
                            kind=upload.checked_kind,
                            user=self.request.user,
                        )
                    except OSError as error:
                        raise FieldNotStored(spec, error) from error
                    stored.append(row)
                value = [row.as_answer() for row in stored if row.field_key == spec["key"]]
                step_answers[spec["key"]] = value
            self.forget_replaced_files(spec["key"], value)
        answers = dict(self.draft.answers)
        for spec in schema.input_fields(form.step):
            answers.pop(spec["key"], None)
        answers.update(step_answers)
        self.draft.answers = answers
        self.draft.current_step = form.step["key"]
        self.draft.save(update_fields=["answers", "current_step", "updated_at"])

    def get_step_answers(self, form):
        """Return the answers of a valid step form, files included (as uploads or stored references)."""
        answers = form.get_answers()
        for key in form.cleaned_data:
            if form.schema.get_field(key)["type"] == "file":
                answers[key] = list(form.cleaned_data[key] or [])
        return answers

    def forget_replaced_files(self, key, kept):
        """Delete this draft's earlier uploads for ``key`` that the new answer no longer lists.

        Their rows go with the step's transaction; their stored files only once it has committed.
        """
        kept_ids = {item["id"] for item in kept or []}
        for old in self.draft.files.filter(field_key=key, submission__isnull=True).exclude(pk__in=kept_ids):
            delete_after_commit(old.file.name, old.file.storage)
            old.delete()

    # --- pending input (typed but not yet valid) -----------------------------------------------------

    def get_pending_or_saved_data(self, step):
        """Return what to show on ``step``: unfinished typing if any, else the saved step data."""
        pending = self.storage.extra_data.get(self.pending_key, {}).get(step)
        if pending is not None:
            return MultiValueDict(pending)
        return self.storage.get_step_data(step)

    def set_pending(self, step, raw):
        extra = dict(self.storage.extra_data)
        extra.setdefault(self.pending_key, {})[step] = raw
        self.storage.extra_data = extra

    def clear_pending(self, step):
        pending = self.storage.extra_data.get(self.pending_key, {})
        if step in pending:
            extra = dict(self.storage.extra_data)
            extra[self.pending_key] = {k: v for k, v in pending.items() if k != step}
            self.storage.extra_data = extra

    # --- the check page and submission ---------------------------------------------------------------

    def collect_answers(self):
        """Revalidate every shown step from its stored data; return ``(answers, first failing step)``."""
        answers = {}
        for step in self.get_form_list():
            data = self.storage.get_step_data(step)
            if data is None:
                return None, step
            form = self.get_form(step=step, data=data)
            form.answers = dict(answers)
            if not form.is_valid():
                return None, step
            answers.update(self.get_step_answers(form))
        return answers, None
