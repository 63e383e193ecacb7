"""Views of the review desk; each one starts from ``ReviewerAccess`` so no URL reaches more.

The list and the detail extend wagtail-modeladmin's index and inspect views;
bulk transitions, the summary list and the roll-up are plain admin views
registered by ``SubmissionAdmin``.
"""

from django.contrib import messages
from django.contrib.admin.templatetags.admin_list import result_headers
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import InvalidPage
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.paginator import WagtailPaginator
from wagtail_modeladmin.views import IndexView, InstanceSpecificView

from forms_app.applications.downloads import DOCX, document_response, private_file_response
from forms_app.applications.models import ApplicationFormPage, Submission, SubmissionEvent, SubmissionStatus
from forms_app.applications.search import search_submissions
from forms_app.background import runner
from forms_app.background.models import WorkStatus
from forms_app.builder.display import render_answers
from forms_app.builder.models import Region
from forms_app.desk.forms import BulkTransitionForm, EventForm, ImportForm, PaperCopiesForm, TransitionForm
from forms_app.desk.listing import CheckedInspectView, KnownParametersIndexView, as_id
from forms_app.desk.rows import ResultRows
from forms_app.exchange import importing
from forms_app.exchange.exports.export import FORMATS
from forms_app.exchange.exports.names import export_file_name
from forms_app.exchange.models import ExportJob, ImportBatch
from forms_app.exchange.tasks import check_import, run_export, save_import
from forms_app.printing import pdf, printouts, word
from forms_app.printing.forms import StampedCopyForm
from forms_app.printing.models import StampedCopy
from forms_app.printing.views import PDF_UNAVAILABLE_ADMIN, explain_missing_font
from forms_app.review import audit
from forms_app.review.access import ReviewerAccess
from forms_app.review.models import AuditLogEntry
from forms_app.review.summary import (
    desk_submissions,
    header_line,
    matrix_fields,
    period_fields,
    rollup,
    summary_kinds,
    summary_rows,
    summary_xlsx,
)
from forms_app.review.workflow import (
    TransitionRefused,
    add_event,
    quota_overview,
    refuse_unless_at_desk,
    transition,
)

INDEX_URL_NAME = "shenbao_applications_submission_modeladmin_index"
SEARCH_SHOWS_AT_MOST = 1000  # rows of a search's results; beyond, the reviewer adds words or filters
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def index_url():
    return reverse(INDEX_URL_NAME)


def safe_next(request, fallback):
    """Return the ``next`` URL of a POST if it stays on this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class IdsFirstPaginator(WagtailPaginator):
    """A paginator whose page reads the ids of its rows first, then only those rows with their joins.

    Sliced directly, the list's query joins and sorts every row before the page (its whole width, the
    answers and search terms included): a deep page of a desk whose filter is an OR sorted 10 MB on disk,
    and one of a single desk joined 10,000 rows to throw them away. The ids alone come from an index, or
    are sorted narrow; the same order, ending on the primary key, makes them the same rows.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        rows = queryset.filter(pk__in=queryset.values("pk")[bottom:top]) if top > bottom else queryset.none()
        return self._get_page(rows, number, self)


class ReviewListView(KnownParametersIndexView):
    """The submissions list, with a bulk action bar and quota warnings for the filtered form."""

    paginator_class = IdsFirstPaginator

    def get_template_names(self):
        return ["shenbao_desk/submission_index.html"]

    def post(self, request, *args, **kwargs):
        """Ask for an export of the selected rows, or of the whole filtered list."""
        if not request.POST.get("export"):
            return HttpResponseRedirect(request.get_full_path())
        page = self.get_filtered_page()
        fmt = request.POST.get("export_format")
        if page is None or fmt not in ExportJob.Format.values:
            messages.error(request, _("Filter the list by a form and pick a format to export it."))
            return HttpResponseRedirect(request.get_full_path())
        access = ReviewerAccess.of(request.user)
        queryset = self.queryset.filter(page=page)
        selected = [pk for pk in map(as_id, request.POST.getlist("ids")) if pk is not None]
        if selected:
            queryset = queryset.filter(pk__in=selected)
        unmasked = request.POST.get("unmasked") == "1" and access.may_see_personal_data
        with transaction.atomic():
            job = ExportJob.objects.create(user=request.user, page=page, format=fmt, unmasked=unmasked)
            whole_form = not selected and not self.query and set(self.get_filters_params()) <= {"form"}
            job.total = job.fix_set(queryset, whole_form=whole_form)
            job.save(update_fields=["total"])
        audit.record_reading(
            request,
            AuditLogEntry.Action.EXPORT,
            detail=_("Export %(id)s of %(form)s (%(format)s) asked for")
            % {"id": job.pk, "form": page.title, "format": job.get_format_display()},
            count=job.total,
            unmasked=unmasked,
        )
        runner.start(job, run_export)
        return redirect("shenbao_review_export", job.pk)

    def get_search_results(self, request, queryset, search_term):
        """Full-text search over reference, organisation and answers, ranked (``applications.search``)."""
        return search_submissions(queryset, search_term)

    def get_list_context(self):
        """The list's page of rows and its counts, with one COUNT, not three.

        ``all_count`` only says whether the reviewer has any submissions at all (Wagtail no longer shows
        "N out of M"): a filtered list with rows answers that itself, an empty one asks with EXISTS.
        """
        queryset = self.queryset  # built once by the view's dispatch, with its filters
        more_than = None
        if self.query:
            # A search reads at most SEARCH_SHOWS_AT_MOST rows: counting every match of a common word
            # would cost as much as the table, and nobody pages through thousands of search results.
            result_count = queryset.order_by()[: SEARCH_SHOWS_AT_MOST + 1].count()
            if result_count > SEARCH_SHOWS_AT_MOST:
                more_than = result_count = SEARCH_SHOWS_AT_MOST
        else:
            result_count = queryset.count()
        filtered = bool(self.query) or bool(self.get_filters_params())
        paginator = self.paginator_class(queryset, self.items_per_page)
        paginator.__dict__["count"] = result_count  # Paginator.count is a cached property
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        return {
            "view": self,
            "all_count": result_count or (filtered and int(self.get_base_queryset().exists())),
            "result_count": result_count,
            "search_more_than": more_than,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(self.request.user),
            "show_search": self.search_handler.show_search_form,
        }

    def get_result_rows(self, object_list):
        """The rows of the table as HTML, with the row's buttons in their column (see ``rows.py``)."""
        return ResultRows(self)(object_list)

    def get_context_data(self, **kwargs):
        # modeladmin's IndexView counts the rows three times; the list here is counted once.
        context = super(IndexView, self).get_context_data(**{**self.get_list_context(), **kwargs})
        context["result_headers"] = list(result_headers(self))
        context["result_rows"] = self.get_result_rows(context["object_list"])
        access = ReviewerAccess.of(self.request.user)
        page = self.get_filtered_page()
        context.update(
            {
                "access": access,
                "export_formats": ExportJob.Format.choices,
                "may_import": access.may_act
                and self.request.user.has_perm("shenbao_applications.add_submission"),
                "bulk_statuses": SubmissionStatus.choices,
                "next_url": self.request.get_full_path(),
                "filtered_page": page,
                "quota_rows": self.get_quota_rows(access, page) if page else [],
            }
        )
        return context

    def get_filtered_page(self):
        """Return the form the list is filtered by, if any."""
        pk = as_id(self.request.GET.get("form"))
        return ApplicationFormPage.objects.filter(pk=pk).first() if pk is not None else None

    def get_quota_rows(self, access, page):
        """Return the quota lines of the reviewer's desks for ``page``."""
        if not (page.recommend_quota or page.recommend_minimum):
            return []
        regions = access.desk_regions()
        below = Region.objects.filter(parent__in=regions, level=page.quota_level)
        return quota_overview(page, list({r.pk: r for r in [*regions, *below]}.values()))


class SubmissionDetailView(CheckedInspectView):
    """One submission: answers by step, form version, history, and the reviewer's actions."""

    def dispatch(self, request, *args, **kwargs):
        self.access = ReviewerAccess.of(request.user)
        if not self.access.may_review or not self.access.can_see(self.instance):
            # Not "forbidden": whether a submission exists elsewhere is not the reviewer's business.
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def check_action_permitted(self, user):
        return True  # checked in dispatch, with a 404

    def get_template_names(self):
        return ["shenbao_desk/submission_detail.html"]

    def get_page_title(self):
        return self.instance.reference

    def get_page_subtitle(self):
        return self.instance.page.title

    # Every write a reviewer makes on the submission is one of these, and reaches it only through ``post``.
    actions = {
        "transition": "save_status",
        "scan": "save_stamped_copy",
        "paper_copies": "save_paper_copies",
        "event": "save_event",
    }

    def post(self, request, *args, **kwargs):
        """Run one action, for the desk where the submission waits now, or refuse it and change nothing.

        The check comes before the action is even looked up, so an action added later is guarded too; it
        reads the row locked, so a submission passed on while the page was open is not written after.
        """
        with transaction.atomic():
            self.instance = (
                Submission.objects.select_for_update(of=("self",))
                .select_related("stage_region")
                .get(pk=self.instance.pk)
            )
            try:
                refuse_unless_at_desk(self.access, self.instance)
            except TransitionRefused as refusal:
                messages.error(request, str(refusal))
                return redirect(request.path)
            action = self.actions.get(request.POST.get("action"))
            if action is None:
                return redirect(request.path)
            outcome = getattr(self, action)(request)
        if isinstance(outcome, HttpResponse):
            return outcome
        response = self.render_to_response(self.get_context_data(**outcome))
        response.status_code = 422
        return response

    def save_status(self, request):
        form = TransitionForm(request.POST, submission=self.instance)
        if form.is_valid():
            status = form.cleaned_data["status"]
            try:
                transition([self.instance.pk], status, request.user, form.cleaned_data["comment"])
            except TransitionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    _("%(reference)s: status changed to “%(status)s”.")
                    % {"reference": self.instance.reference, "status": SubmissionStatus(status).label},
                )
                return redirect(request.path)
        return {"transition_form": form}

    def save_stamped_copy(self, request):
        form = StampedCopyForm(request.POST, request.FILES, submission=self.instance)
        if form.is_valid():
            printouts.store_scan(
                self.instance,
                form.cleaned_data["version"],
                form.cleaned_data["file"],
                form.kind,
                request.user,
                StampedCopy.Source.BUREAU,
            )
            messages.success(request, _("The stamped copy was saved."))
            return redirect(request.path)
        return {"scan_form": form}

    def save_paper_copies(self, request):
        form = PaperCopiesForm(request.POST)
        if form.is_valid():
            record_paper_copies(self.instance, form.cleaned_data["paper_copies"], request.user)
            messages.success(request, _("Saved in the history."))
            return redirect(request.path)
        return {"paper_form": form}

    def save_event(self, request):
        form = EventForm(request.POST)
        if form.is_valid():
            add_event(self.instance, request.user, form.cleaned_data["kind"], form.cleaned_data["text"])
            messages.success(request, _("Saved in the history."))
            return redirect(request.path)
        return {"event_form": form}

    def get_context_data(self, **kwargs):
        request = self.request
        submission = Submission.objects.select_related(
            "page", "form_version", "organisation", "region", "stage_region", "user"
        ).get(pk=self.instance.pk)
        unmask = request.GET.get("personal") == "1" and self.access.may_see_personal_data
        audit.record_reading(
            request, AuditLogEntry.Action.VIEW, submission, _("Submission detail"), unmasked=unmask
        )
        can_act = self.access.can_act(submission)
        context = {
            "submission": submission,
            "version": submission.form_version,
            "sections": render_answers(submission.form_version.schema, submission.answers, masked=not unmask),
            "unmasked": unmask,
            "may_unmask": self.access.may_see_personal_data and not unmask,
            "events": submission.events.select_related("actor", "desk"),
            "can_act": can_act,
            "transition_form": kwargs.pop("transition_form", None)
            or (TransitionForm(submission=submission) if can_act else None),
            "event_form": kwargs.pop("event_form", None) or (EventForm() if can_act else None),
            "printed_version": printouts.current_version(submission),
            "stamped_copies": submission.stamped_copies.select_related("version", "uploaded_by"),
            "scan_form": kwargs.pop("scan_form", None)
            or (StampedCopyForm(submission=submission) if can_act else None),
            "paper_form": kwargs.pop("paper_form", None)
            or (PaperCopiesForm(initial={"paper_copies": submission.paper_copies}) if can_act else None),
            "quota_rows": quota_overview(submission.page, [submission.stage_region])
            if submission.stage_region
            and (submission.page.recommend_quota or submission.page.recommend_minimum)
            else [],
        }
        context.update(kwargs)
        # InspectView's own context lists every model field, raw answers included: skip it.
        return InstanceSpecificView.get_context_data(self, **context)


def record_paper_copies(submission, count, user):
    """Record how many paper copies arrived, with a line in the history (after ``refuse_unless_at_desk``)."""
    submission.paper_copies = count
    submission.save(update_fields=["paper_copies", "updated_at"])
    SubmissionEvent.objects.create(
        submission=submission,
        kind=SubmissionEvent.Kind.NOTE,
        actor=user,
        revision=submission.revision,
        text=_("Paper copies received: %(n)s.") % {"n": count},
        desk=submission.stage_region,
    )


@require_POST
def bulk_transition(request):
    """Move the rows selected in the list to one status, all or none."""
    access = ReviewerAccess.of(request.user)
    if not access.may_act:
        raise PermissionDenied
    back = safe_next(request, index_url())
    form = BulkTransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return HttpResponseRedirect(back)
    status = form.cleaned_data["status"]
    try:
        changed = transition(form.cleaned_data["ids"], status, request.user, form.cleaned_data["comment"])
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s submission set to “%(status)s”.",
                "%(n)s submissions set to “%(status)s”.",
                len(changed),
            )
            % {"n": len(changed), "status": SubmissionStatus(status).label},
        )
    return HttpResponseRedirect(back)


def desk_choices(access):
    """Return the regions whose summary lists the user may draw up."""
    if access.is_superuser:
        return list(Region.objects.select_related("parent"))
    return access.desk_regions()


def summary_list(request, page_id):
    """The summary list (一览表) of one form at one desk, on screen or as XLSX."""
    access = ReviewerAccess.of(request.user)
    if not access.may_review:
        raise PermissionDenied
    page = get_object_or_404(ApplicationFormPage, pk=page_id)
    desks = desk_choices(access)
    if not desks:
        raise PermissionDenied
    desk_id = request.GET.get("desk", "")
    desk = next((r for r in desks if str(r.pk) == desk_id), desks[0])
    scope = "all" if request.GET.get("scope") == "all" else "recommended"
    unmask = request.GET.get("personal") == "1" and access.may_see_personal_data
    submissions = desk_submissions(access, page, desk, scope)
    title = page.get_summary_title()
    detail = _("Summary list of %(form)s, %(desk)s") % {"form": page.title, "desk": desk.name}
    if request.GET.get("format") == "xlsx":
        headers, rows = summary_rows(submissions, page, masked=not unmask, typed=True)
        audit.record_reading(
            request, AuditLogEntry.Action.EXPORT, detail=detail, desk=desk, count=len(rows), unmasked=unmask
        )
        content = summary_xlsx(title, header_line(desk), headers, rows, summary_kinds(page))
        response = HttpResponse(content, content_type=XLSX)
        name = export_file_name(f"{title}-{desk.name}", "xlsx")
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "private, no-store"
        return response
    headers, rows = summary_rows(submissions, page, masked=not unmask)
    audit.record_reading(
        request, AuditLogEntry.Action.LIST, detail=detail, desk=desk, count=len(rows), unmasked=unmask
    )
    return TemplateResponse(
        request,
        "shenbao_desk/summary_list.html",
        {
            "page": page,
            "title": title,
            "desks": desks,
            "desk": desk,
            "scope": scope,
            "headers": headers,
            "rows": rows,
            "header_line": header_line(desk),
            "unmasked": unmask,
            "may_unmask": access.may_see_personal_data and not unmask,
            "index_url": index_url(),
            "query": request.GET.urlencode(),
        },
    )


def results_rollup(request, page_id):
    """Totals of a region matrix (附件6) per region, per province and per period, over what the user sees."""
    access = ReviewerAccess.of(request.user)
    if not access.may_review:
        raise PermissionDenied
    page = get_object_or_404(ApplicationFormPage, pk=page_id)
    matrices = matrix_fields(page.schema)
    if not matrices:
        raise Http404
    periods = period_fields(page.schema)
    matrix_key = request.GET.get("matrix") or matrices[0]["key"]
    if matrix_key not in {m["key"] for m in matrices}:
        matrix_key = matrices[0]["key"]
    period_key = request.GET.get("period", periods[0]["key"] if periods else "")
    if period_key not in {p["key"] for p in periods}:
        period_key = ""
    submissions = (
        access.submissions()
        .filter(page=page)
        .exclude(status=SubmissionStatus.RETURNED)
        .select_related("form_version")
    )
    return TemplateResponse(
        request,
        "shenbao_desk/rollup.html",
        {
            "page": page,
            "matrices": matrices,
            "periods": periods,
            "matrix_key": matrix_key,
            "period_key": period_key,
            "result": rollup(submissions, matrix_key, period_key or None),
            "index_url": index_url(),
        },
    )


def own_job(request, pk):
    """Return the export job ``pk`` if it is the user's own (administrators see all); else 404."""
    access = ReviewerAccess.of(request.user)
    if not access.may_review:
        raise PermissionDenied
    jobs = ExportJob.objects.select_related("page")
    if not access.is_superuser:
        jobs = jobs.filter(user=request.user)
    return get_object_or_404(jobs, pk=pk)


def export_status(request, pk):
    """An export's progress; the page refreshes itself until the file is ready."""
    job = own_job(request, pk)
    return TemplateResponse(request, "shenbao_desk/export_job.html", {"job": job, "index_url": index_url()})


@require_POST
def export_retry(request, pk):
    """Run a failed export again, or one whose worker stopped."""
    job = own_job(request, pk)
    if not runner.retry(job, run_export):
        messages.error(request, _("This export is not failed or stopped, so it was not started again."))
    return redirect("shenbao_review_export", job.pk)


def export_download(request, pk):
    """The finished export's file, as an attachment, to the user who asked for it."""
    job = own_job(request, pk)
    if job.status != WorkStatus.DONE or not job.file:
        raise Http404
    content_type, extension = FORMATS[job.file_format or job.format]
    name = export_file_name(job.page.title, extension, job.created_at)
    audit.record_reading(
        request,
        AuditLogEntry.Action.EXPORT,
        detail=_("Export %(id)s of %(form)s downloaded") % {"id": job.pk, "form": job.page.title},
        count=job.total,
        unmasked=job.unmasked,
    )
    return private_file_response(job.file, name, content_type)


def import_access(request):
    """Return the user's access if they may import applications; else refuse."""
    access = ReviewerAccess.of(request.user)
    if not (access.may_act and request.user.has_perm("shenbao_applications.add_submission")):
        raise PermissionDenied
    return access


def import_template(request, page_id):
    """The XLSX template of a form: headings, an example row, drop-down lists (the importer's regions)."""
    access = import_access(request)
    page = get_object_or_404(ApplicationFormPage, pk=page_id)
    regions = importing.access_regions(access).order_by("code").values_list("name", flat=True)[:200]
    response = HttpResponse(importing.template_xlsx(page, list(regions)), content_type=FORMATS["xlsx"][0])
    name = _("%(form)s import template.xlsx") % {"form": page.title}
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def import_upload(request, page_id):
    """Upload a filled template; a worker checks it, and the next page shows every error before saving."""
    import_access(request)
    page = get_object_or_404(ApplicationFormPage, pk=page_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        batch = ImportBatch(
            user=request.user,
            page=page,
            name=upload.name[:255],
            file_key=importing.source_key(content),
            language=translation.get_language() or "",
        )
        batch.file.save(f"{batch.file_key}.bin", ContentFile(content), save=False)
        batch.save()
        runner.start(batch, check_import)
        return redirect("shenbao_review_import_batch", batch.pk)
    return TemplateResponse(
        request,
        "shenbao_desk/import_upload.html",
        {"page": page, "form": form, "index_url": index_url()},
        status=422 if form.errors else 200,
    )


def own_batch(request, pk):
    """Return the user's own import batch ``pk`` if they may import; else refuse or 404."""
    import_access(request)
    return get_object_or_404(ImportBatch.objects.select_related("page"), pk=pk, user=request.user)


def import_batch(request, pk):
    """The preview of an uploaded file, from the check's findings; confirming queues the save, once."""
    batch = own_batch(request, pk)
    if request.method == "POST" and batch.can_save:
        confirmed = ImportBatch.objects.filter(pk=batch.pk, stage=ImportBatch.Stage.CHECKED).update(
            stage=ImportBatch.Stage.SAVING, status=WorkStatus.QUEUED, done=0, error="", worker=""
        )
        if confirmed:
            runner.start(batch, save_import)
        return redirect("shenbao_review_import_batch", batch.pk)
    if request.method == "POST" and batch.stage in {ImportBatch.Stage.SAVING, ImportBatch.Stage.SAVED}:
        return redirect("shenbao_review_import_batch", batch.pk)  # a second click: the save is under way
    report = batch.report
    return TemplateResponse(
        request,
        "shenbao_desk/import_batch.html",
        {
            "batch": batch,
            "errors": report.get("errors", []),
            "header_errors": report.get("header_errors", []),
            "ignored": report.get("ignored", []),
            "rows": report.get("rows", 0),
            "updates": report.get("updates", 0),
            "kept_masked": report.get("kept_masked", 0),
            "index_url": index_url(),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def import_retry(request, pk):
    """Run the check or the save of a batch again, after it failed or its worker stopped."""
    batch = own_batch(request, pk)
    task = save_import if batch.stage == ImportBatch.Stage.SAVING else check_import
    if batch.stage == ImportBatch.Stage.SAVED or not runner.retry(batch, task):
        messages.error(request, _("This file is not failed or stopped, so nothing was started again."))
    return redirect("shenbao_review_import_batch", batch.pk)


def reviewer_document(request, pk, render, detail):
    """Return ``(submission, document)`` for a reviewer who may see it; masked unless asked."""
    access = ReviewerAccess.of(request.user)
    if not access.may_review:
        raise Http404
    submission = get_object_or_404(access.submissions().select_related("page", "form_version"), pk=pk)
    unmask = request.GET.get("personal") == "1" and access.may_see_personal_data
    audit.record_reading(request, AuditLogEntry.Action.DOCUMENT, submission, detail, unmasked=unmask)
    return submission, render(submission, masked=not unmask)


@explain_missing_font(PDF_UNAVAILABLE_ADMIN)
def submission_pdf(request, pk):
    """A submission as its printable attachment, for a reviewer who may see it."""
    submission, content = reviewer_document(request, pk, pdf.submission_pdf, _("PDF"))
    return document_response(content, f"{submission.reference}.pdf")


def submission_docx(request, pk):
    """A submission as a Word copy, under the same rule as its PDF."""
    submission, content = reviewer_document(request, pk, word.submission_docx, _("Word copy"))
    return document_response(content, f"{submission.reference}.docx", DOCX, inline=False)
