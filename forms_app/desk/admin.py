"""The "申报审核" (review) menu: wagtail-modeladmin registrations of the review desk.

``SubmissionAdmin`` is the review list and detail; ``ReviewerScopeAdmin``
lets administrators make groups into reviewing desks; ``AuditLogAdmin``
shows who saw personal data in full.
"""

from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdminGroup

from forms_app.accounts.models import ApplicantProfile
from forms_app.applications.models import Submission
from forms_app.desk import audit_views, membership_views, round_views, views
from forms_app.desk.filters import (
    BatchFilter,
    FormFilter,
    NoticeFilter,
    RegionFilter,
    StatusFilter,
    SubmittedBetweenFilter,
    YearFilter,
)
from forms_app.desk.listing import DeskModelAdmin, KnownParametersIndexView
from forms_app.desk.people import person_name
from forms_app.exchange.models import ExportJob
from forms_app.printing.printouts import stamped_state
from forms_app.review.access import ReviewerAccess
from forms_app.review.log_export import may_read_log
from forms_app.review.models import AuditLogEntry, ReviewerScope
from forms_app.rounds.models import DeadlineExtension, RecommendationBatch, ReminderLog


def admin_column(label, order=None):
    """Name a list column and, with ``order``, make it sortable by that field."""

    def decorate(method):
        method.short_description = label
        if order:
            method.admin_order_field = order
        return method

    return decorate


class ReviewPermissionHelper(PermissionHelper):
    """Reviewers list and open what ``ReviewerAccess`` allows; nobody adds, edits or deletes here."""

    def user_can_list(self, user):
        return ReviewerAccess.of(user).may_review

    def user_can_inspect_obj(self, user, obj):
        # Rows come from the scoped queryset; the detail view checks the object itself (404 if not visible).
        return ReviewerAccess.of(user).may_review

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ReviewButtonHelper(ButtonHelper):
    """Each row offers one button: open the submission."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        button = self.inspect_button(obj.pk, classnames_add, classnames_exclude)
        button["label"] = gettext("Open")
        button["title"] = gettext("Open %(reference)s") % {"reference": obj.reference}
        return [button]


class SubmissionAdmin(DeskModelAdmin):
    """The review list: every submission the reviewer may see, with filters, search and bulk actions."""

    model = Submission
    menu_label = _("Submissions")
    menu_icon = "form"
    list_display = (
        "select_box",
        "reference",
        "form_label",
        "organisation",
        "region",
        "status_label",
        "paper_label",
        "submitted_at",
        "updated_at",
    )
    list_display_add_buttons = "reference"
    list_filter = (
        NoticeFilter,
        YearFilter,
        FormFilter,
        StatusFilter,
        RegionFilter,
        BatchFilter,
        SubmittedBetweenFilter,
    )
    search_fields = ("reference", "organisation__name", "search_text")
    list_select_related = ("page", "organisation", "region", "stage_region")
    list_per_page = 50
    ordering = ("-submitted_at", "-pk")
    inspect_view_enabled = True
    history_view_enabled = False
    index_view_class = views.ReviewListView
    inspect_view_class = views.SubmissionDetailView
    permission_helper_class = ReviewPermissionHelper
    button_helper_class = ReviewButtonHelper

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("stamped_copies__version")
        return ReviewerAccess.of(request.user).submissions(queryset)

    @admin_column(_("Select"))
    def select_box(self, obj):
        return format_html(
            '<input type="checkbox" name="ids" value="{}" form="bulk-form" aria-label="{}">',
            obj.pk,
            gettext("Select %(reference)s") % {"reference": obj.reference},
        )

    @admin_column(_("Form"), order="page__path")
    def form_label(self, obj):
        return f"{obj.page.attachment_label} {obj.page.title}".strip()

    @admin_column(pgettext_lazy("submission", "Status"), order="status")
    def status_label(self, obj):
        desk = obj.stage_region
        if desk is None or desk == obj.region:
            return obj.get_status_display()
        where = gettext("at the desk of %(desk)s") % {"desk": desk.name}
        return format_html("{}<br><small>{}</small>", obj.get_status_display(), where)

    @admin_column(_("Paper"))
    def paper_label(self, obj):
        label, outdated = stamped_state(obj, list(obj.stamped_copies.all()))
        lines = [label] if label else []
        if obj.paper_copies:
            n = obj.paper_copies
            lines.append(ngettext("%(n)s paper copy", "%(n)s paper copies", n) % {"n": n})
        if not lines:
            return "—"
        css = "review-flag review-flag--outdated" if outdated else "review-flag"
        return format_html(
            '<span class="{}">{}</span>',
            css,
            format_html_join(mark_safe("<br>"), "{}", ((t,) for t in lines)),
        )

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path("review/bulk/", views.bulk_transition, name="shenbao_review_bulk"),
            path("review/summary/<id:page_id>/", views.summary_list, name="shenbao_review_summary"),
            path("review/rollup/<id:page_id>/", views.results_rollup, name="shenbao_review_rollup"),
            path("review/exports/<id:pk>/", views.export_status, name="shenbao_review_export"),
            path("review/exports/<id:pk>/retry/", views.export_retry, name="shenbao_review_export_retry"),
            path(
                "review/exports/<id:pk>/download/",
                views.export_download,
                name="shenbao_review_export_download",
            ),
            path("review/submissions/<id:pk>/pdf/", views.submission_pdf, name="shenbao_review_pdf"),
            path("review/submissions/<id:pk>/docx/", views.submission_docx, name="shenbao_review_docx"),
            path("review/import/<id:page_id>/", views.import_upload, name="shenbao_review_import"),
            path(
                "review/import/<id:page_id>/template/",
                views.import_template,
                name="shenbao_review_import_template",
            ),
            path("review/imports/<id:pk>/", views.import_batch, name="shenbao_review_import_batch"),
            path("review/imports/<id:pk>/retry/", views.import_retry, name="shenbao_review_import_retry"),
        )


class StaffOnlyPermissionHelper(PermissionHelper):
    """Administrators (or holders of the model's permissions) only; reviewers never see these."""

    def user_can_list(self, user):
        return user.is_active and (user.is_superuser or self.user_has_any_permissions(user))


class ReviewerScopeAdmin(DeskModelAdmin):
    """Which group reviews which region: the desks administrators set up."""

    model = ReviewerScope
    menu_label = _("Reviewing desks")
    menu_icon = "group"
    list_display = ("group", "region", "level_label")
    list_select_related = ("group", "region")
    permission_helper_class = StaffOnlyPermissionHelper

    @admin_column(_("Level"))
    def level_label(self, obj):
        return obj.region.get_level_display()


class ReadOnlyPermissionHelper(StaffOnlyPermissionHelper):
    """Nobody adds, edits or deletes these rows in the admin."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class AuditLogPermissionHelper(ReadOnlyPermissionHelper):
    """The audit log is read-only for everybody, and read only by administrators or its own permission."""

    def user_can_list(self, user):
        return may_read_log(user)

    def user_can_inspect_obj(self, user, obj):
        return may_read_log(user)


class AuditLogIndexView(KnownParametersIndexView):
    """The log's list, with a link to its export."""

    def get_template_names(self):
        return ["shenbao_desk/audit_index.html"]


class AuditLogAdmin(DeskModelAdmin):
    """Who read which personal data, when, why it was visible to them, and from where: listed, inspected
    and exported, never changed (no add, edit or delete view exists)."""

    model = AuditLogEntry
    menu_label = _("Audit log")
    menu_icon = "list-ul"
    list_display = (
        "created_at",
        "actor_name",
        "action",
        "reference",
        "count",
        "unmasked",
        "reason",
        "detail",
    )
    list_display_add_buttons = "created_at"
    list_filter = ("action", "unmasked")
    search_fields = ("actor_name", "reference", "detail", "reason")
    permission_helper_class = AuditLogPermissionHelper
    index_view_class = AuditLogIndexView
    inspect_view_enabled = True
    inspect_view_fields = (*list_display, "ip_address")
    history_view_enabled = False

    def get_admin_urls_for_registration(self):
        # Only the list and the inspect view: no create, edit or delete URL is registered at all.
        urls = super().get_admin_urls_for_registration()
        kept = {self.url_helper.get_action_url_name(action) for action in ("index", "inspect")}
        return tuple(url for url in urls if url.name in kept) + (
            path("review/audit/export/", audit_views.audit_export, name="shenbao_review_audit_export"),
        )


class ExportPermissionHelper(ReadOnlyPermissionHelper):
    """Reviewers list their own exports; nobody edits them."""

    def user_can_list(self, user):
        return ReviewerAccess.of(user).may_review


class ExportButtonHelper(ButtonHelper):
    """Each export offers its progress page, where the file is downloaded."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [
            {
                "url": reverse("shenbao_review_export", args=[obj.pk]),
                "label": gettext("Open"),
                "classname": "button button-secondary button-small",
                "title": gettext("Open export %(id)s") % {"id": obj.pk},
            }
        ]


class ExportJobAdmin(DeskModelAdmin):
    """The exports a reviewer asked for (all of them, for administrators): the export log."""

    model = ExportJob
    menu_label = _("Exports")
    menu_icon = "download"
    list_display = ("created_at", "user_name", "page", "format", "status", "total", "unmasked")
    list_display_add_buttons = "created_at"
    list_filter = ("status", "format", "unmasked")
    list_select_related = ("user", "page")
    permission_helper_class = ExportPermissionHelper
    button_helper_class = ExportButtonHelper
    history_view_enabled = False

    @admin_column(ExportJob._meta.get_field("user").verbose_name, order="user__username")
    def user_name(self, obj):
        return person_name(obj.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)


class DeskPermissionHelper(ReviewPermissionHelper):
    """Reviewers list what their desks may see; the views act only within their regions."""


class DeadlineExtensionAdmin(DeskModelAdmin):
    """Later closing times given to single organisations, and the form to give one."""

    model = DeadlineExtension
    menu_label = _("Extensions")
    menu_icon = "time"
    permission_helper_class = DeskPermissionHelper
    index_view_class = round_views.ExtensionListView
    history_view_enabled = False


class ReminderLogAdmin(DeskModelAdmin):
    """Reminders sent before deadlines, and the button that sends today's."""

    model = ReminderLog
    menu_label = _("Reminders")
    menu_icon = "mail"
    permission_helper_class = DeskPermissionHelper
    index_view_class = round_views.ReminderListView
    history_view_enabled = False


class RecommendationBatchAdmin(DeskModelAdmin):
    """Batches of recommendations: closing one, and those passed to the user's desk."""

    model = RecommendationBatch
    menu_label = _("Recommendation batches")
    menu_icon = "folder-open-inverse"
    permission_helper_class = DeskPermissionHelper
    index_view_class = round_views.BatchListView
    inspect_view_enabled = True
    inspect_view_class = round_views.BatchDetailView
    history_view_enabled = False

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path(
                "review/batches/<id:pk>/<str:kind>/",
                round_views.batch_file,
                name="shenbao_review_batch_file",
            ),
            path(
                "review/batches/<id:pk>/documents/retry/",
                round_views.batch_documents_retry,
                name="shenbao_review_batch_documents_retry",
            ),
        )


class JoinRequestAdmin(DeskModelAdmin):
    """Requests to join a unit of the reviewer's regions, decided at the desk."""

    model = ApplicantProfile
    menu_label = _("Requests to join")
    menu_icon = "user"
    permission_helper_class = DeskPermissionHelper
    index_view_class = membership_views.JoinRequestListView
    history_view_enabled = False

    def get_queryset(self, request):
        return membership_views.profiles_of(ReviewerAccess.of(request.user))


class ReviewGroup(ModelAdminGroup):
    """The "申报审核" menu."""

    menu_label = _("Review")
    menu_icon = "tasks"
    menu_order = 250
    items = (
        SubmissionAdmin,
        RecommendationBatchAdmin,
        DeadlineExtensionAdmin,
        ReminderLogAdmin,
        JoinRequestAdmin,
        ExportJobAdmin,
        ReviewerScopeAdmin,
        AuditLogAdmin,
    )
