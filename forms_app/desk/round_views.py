"""Admin views of the yearly round at the review desk: extensions, reminders, recommendation batches.

Each extends a wagtail-modeladmin view registered in ``admin.py`` and starts
from ``ReviewerAccess``: reviewers see and act only within their desks' regions.
"""

import logging
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail_modeladmin.views import InstanceSpecificView

from forms_app.applications.downloads import private_file_response
from forms_app.applications.models import ApplicationFormPage
from forms_app.background import runner
from forms_app.builder.models import Region
from forms_app.desk.forms import ExtensionForm, ReminderForm, ReopenForm
from forms_app.desk.listing import CheckedInspectView, KnownParametersIndexView, as_id
from forms_app.exchange.exports.export import FORMATS
from forms_app.exchange.exports.names import export_file_name
from forms_app.review import audit
from forms_app.review.access import ReviewerAccess
from forms_app.review.models import AuditLogEntry
from forms_app.review.summary import summary_rows
from forms_app.review.workflow import TransitionRefused, quota_overview
from forms_app.rounds.batches import (
    batches_for,
    close_batch,
    may_work_at,
    pending_recommendations,
    reopen_batch,
    withdraw,
)
from forms_app.rounds.deadlines import (
    ExtensionRefused,
    grant_extension,
    organisations_of,
    visible_extensions,
)
from forms_app.rounds.models import BatchDocuments, RecommendationBatch
from forms_app.rounds.tasks import send_desk_reminders, write_batch_documents

logger = logging.getLogger(__name__)


def live_forms():
    return ApplicationFormPage.objects.live().order_by("path")


class RoundIndexView(KnownParametersIndexView):
    """An index view that renders its own template and answers a POST with its form's errors."""

    template = ""
    form = None

    def get_template_names(self):
        return [self.template]

    def invalid(self, request, *args, **kwargs):
        response = self.get(request, *args, **kwargs)
        response.status_code = 422
        return response


class ExtensionListView(RoundIndexView):
    """Extensions granted in the reviewer's regions, and the form to grant one."""

    template = "shenbao_desk/extensions.html"

    def get_form(self, data=None):
        access = ReviewerAccess.of(self.request.user)
        return ExtensionForm(data, pages=live_forms(), organisations=organisations_of(access))

    def post(self, request, *args, **kwargs):
        access = ReviewerAccess.of(request.user)
        if not access.may_act:
            raise PermissionDenied
        if request.POST.get("revoke"):
            extension = get_object_or_404(visible_extensions(access), pk=as_id(request.POST["revoke"]))
            extension.delete()
            messages.success(request, _("The extension was withdrawn."))
            return redirect(request.path)
        self.form = self.get_form(request.POST)
        if self.form.is_valid():
            data = self.form.cleaned_data
            try:
                grant_extension(
                    data["page"],
                    data["organisation"],
                    data["closes_at"],
                    data["reason"],
                    request.user,
                    access,
                )
            except ExtensionRefused as refusal:
                self.form.add_error("closes_at", str(refusal))
            else:
                messages.success(
                    request,
                    _("%(name)s may submit until %(time)s.")
                    % {
                        "name": data["organisation"].name,
                        "time": data["closes_at"].strftime("%Y-%m-%d %H:%M"),
                    },
                )
                return redirect(request.path)
        return self.invalid(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = ReviewerAccess.of(self.request.user)
        context["extensions"] = visible_extensions(access)
        context["form"] = self.form or (self.get_form() if access.may_act else None)
        return context


class ReminderListView(RoundIndexView):
    """Reminders sent to organisations of the reviewer's regions, and a button to send today's."""

    template = "shenbao_desk/reminders.html"

    def get_form(self, data=None):
        return ReminderForm(data, pages=live_forms())

    def post(self, request, *args, **kwargs):
        access = ReviewerAccess.of(request.user)
        if not access.may_act:
            raise PermissionDenied
        self.form = self.get_form(request.POST)
        if not self.form.is_valid():
            return self.invalid(request, *args, **kwargs)
        send = partial(
            send_desk_reminders.enqueue,
            self.form.cleaned_data["page"].pk,
            request.user.pk,
            self.form.cleaned_data["days"],
        )
        transaction.on_commit(send)
        messages.success(
            request,
            _("The reminders are being sent: each one appears below as it goes.")
            + " "
            + _("Organisations already reminded today are not reminded again."),
        )
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = ReviewerAccess.of(self.request.user)
        context["reminders"] = (
            self.model_admin.get_queryset(self.request)
            .filter(organisation__in=organisations_of(access))
            .select_related("page", "organisation", "sent_by")[:200]
        )
        context["form"] = self.form or (self.get_form() if access.may_act else None)
        return context


class BatchListView(RoundIndexView):
    """Batches the reviewer's desks made or received, and what each desk can close now."""

    template = "shenbao_desk/batches.html"

    def post(self, request, *args, **kwargs):
        access = ReviewerAccess.of(request.user)
        page = get_object_or_404(ApplicationFormPage, pk=as_id(request.POST.get("page")))
        region = get_object_or_404(Region, pk=as_id(request.POST.get("region")))
        try:
            if request.POST.get("action") == "withdraw":
                ids = [pk for pk in map(as_id, request.POST.getlist("ids")) if pk is not None]
                taken = withdraw(ids, page, region, request.user, access)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s recommendation taken back for review.",
                        "%(n)s recommendations taken back for review.",
                        len(taken),
                    )
                    % {"n": len(taken)},
                )
            else:
                batch = close_batch(page, region, request.user, access)
                messages.success(
                    request,
                    _("Batch %(n)s passed on to %(parent)s.")
                    % {"n": batch.number, "parent": region.parent.name},
                )
                return redirect(self.url_helper.get_action_url("inspect", batch.pk))
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = ReviewerAccess.of(self.request.user)
        context["batches"] = batches_for(access).annotate(size=Count("entries"))
        context["closable"] = self.closable(access)
        return context

    def closable(self, access):
        """Return, per batch form and desk of the user below the top, the recommendations waiting."""
        desks = [r for r in access.desk_regions() if r.parent_id is not None]
        if access.is_superuser:
            desks = list(Region.objects.filter(parent__isnull=False).select_related("parent"))
        rows = []
        for page in live_forms().filter(batch_recommendations=True):
            for region in desks:
                pending = list(pending_recommendations(page, region).select_related("organisation"))
                quota = quota_overview(page, [region]) if region.level == page.quota_level else []
                # Closed rounds are shown only while something still waits in them.
                if pending or (quota and page.is_open() and not access.is_superuser):
                    rows.append({"page": page, "region": region, "pending": pending, "quota": quota})
        return rows


class BatchDetailView(CheckedInspectView):
    """One batch: its list as it was closed, the frozen files, its history, and reopening."""

    def dispatch(self, request, *args, **kwargs):
        self.access = ReviewerAccess.of(request.user)
        if not batches_for(self.access).filter(pk=self.instance.pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def check_action_permitted(self, user):
        return True  # checked in dispatch, with a 404

    def get_template_names(self):
        return ["shenbao_desk/batch_detail.html"]

    def get_page_title(self):
        return _("Batch %(n)s of %(region)s") % {
            "n": self.instance.number,
            "region": self.instance.region.name,
        }

    def post(self, request, *args, **kwargs):
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                reopen_batch(self.instance, request.user, self.access, form.cleaned_data["reason"])
            except TransitionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The batch was reopened."))
                return redirect(request.path)
        response = self.render_to_response(self.get_context_data(reopen_form=form))
        response.status_code = 422
        return response

    def get_context_data(self, **kwargs):
        batch = self.instance
        submissions = [
            entry.submission
            for entry in batch.entries.select_related(
                "submission__organisation", "submission__region", "submission__form_version"
            )
        ]
        headers, rows = summary_rows(submissions, batch.page, masked=True)
        audit.record_reading(
            self.request,
            AuditLogEntry.Action.LIST,
            detail=batch_detail(batch),
            count=len(submissions),
        )
        own = may_work_at(self.access, batch.region)
        context = {
            "batch": batch,
            "headers": headers,
            "rows": rows,
            "own": own,
            "reopen_form": kwargs.pop("reopen_form", None)
            or (ReopenForm() if own and batch.status == RecommendationBatch.Status.CLOSED else None),
            "list_url": reverse("shenbao_applications_submission_modeladmin_index") + f"?batch={batch.pk}",
            "documents": BatchDocuments.objects.filter(batch=batch).first(),
        }
        context.update(kwargs)
        return InstanceSpecificView.get_context_data(self, **context)


def batch_detail(batch):
    """What the audit log says of a batch's summary list."""
    return _("Summary list of %(form)s, batch %(n)s of %(region)s") % {
        "form": batch.page.title,
        "n": batch.number,
        "region": batch.region.name,
    }


def batch_file(request, pk, kind):
    """The summary list of a batch as it was closed (XLSX or PDF), for the desks that may see it."""
    if kind not in {"xlsx", "pdf"}:
        raise Http404
    access = ReviewerAccess.of(request.user)
    batch = get_object_or_404(batches_for(access), pk=pk)
    stored = batch.summary_xlsx if kind == "xlsx" else batch.summary_pdf
    if not stored:
        raise Http404  # still being written: the batch's page shows how far it got
    name = export_file_name(
        f"{batch.page.get_summary_title()}-{batch.region.name}-{batch.number}", kind, batch.closed_at
    )
    audit.record_reading(
        request,
        AuditLogEntry.Action.EXPORT,
        detail=f"{batch_detail(batch)} ({kind.upper()})",
        count=batch.entries.count(),
    )
    content_type = FORMATS["xlsx"][0] if kind == "xlsx" else "application/pdf"
    return private_file_response(stored, name, content_type, attachment=kind == "xlsx")


@require_POST
def batch_documents_retry(request, pk):
    """Write a batch's summary list again after it failed or its worker stopped (its own desk only)."""
    access = ReviewerAccess.of(request.user)
    batch = get_object_or_404(batches_for(access), pk=pk)
    if not may_work_at(access, batch.region):
        raise PermissionDenied
    documents = get_object_or_404(BatchDocuments, batch=batch)
    if not runner.retry(documents, write_batch_documents):
        messages.error(request, _("The summary list is not failed or stopped, so it was not started again."))
    return redirect(reverse("shenbao_rounds_recommendationbatch_modeladmin_inspect", args=[batch.pk]))
