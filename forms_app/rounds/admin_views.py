"""Admin views for notices: copy a round (a notice and its forms) to next year, and compare two years;
for a form page: its published versions, each compared with the one before."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from forms_app.applications.models import ApplicationFormPage, FormVersion
from forms_app.rounds.compare import compare_rounds, compare_schemas
from forms_app.rounds.yearly import copy_notice_to_next_year, plan_copy
from notices.models import NoticePage


def user_can_copy_to_next_year(user, notice):
    """Whether ``user`` may copy ``notice``: they must be able to add pages beside it."""
    return (
        notice.permissions_for_user(user).can_copy()
        and notice.get_parent().permissions_for_user(user).can_add_subpage()
    )


class NoticeActionMixin(WagtailAdminTemplateMixin):
    """Breadcrumbs of an action on one notice: home, the notice, the action."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.notice.pk]),
                "label": self.notice.get_admin_display_title(),
            },
            {"url": "", "label": self.page_title},
        ]


class CopyToNextYearView(NoticeActionMixin, TemplateView):
    """Confirm, then copy a notice with its form pages to next year (unpublished)."""

    template_name = "shenbao_rounds/admin/copy_to_next_year.html"
    page_title = gettext_lazy("Copy to next year")
    header_icon = "copy"

    def dispatch(self, request, *args, **kwargs):
        self.notice = get_object_or_404(NoticePage, pk=kwargs["page_id"])
        if not user_can_copy_to_next_year(request.user, self.notice):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.notice.get_admin_display_title()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = plan_copy(self.notice)
        context.update(notice=self.notice, plan=plan, problem=plan.conflicts(self.notice))
        return context

    def post(self, request, *args, **kwargs):
        try:
            copy = copy_notice_to_next_year(self.notice, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("shenbao_notices_admin:copy_to_next_year", page_id=self.notice.pk)
        messages.success(
            request,
            _("“%(title)s” was created as a draft with its forms. Check it before publishing.")
            % {"title": copy.title},
        )
        messages.info(
            request,
            _("Compare its forms with this year's before publishing: “Compare with last year” in its menu."),
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=[copy.pk]))


def previous_round_of(notice):
    """Return the round ``notice`` was copied from, else the same programme's round of the year before."""
    if notice.previous_round_id:
        return NoticePage.objects.filter(pk=notice.previous_round_id).first()
    if notice.programme and notice.issue_date:
        return (
            NoticePage.objects.filter(programme=notice.programme, issue_date__year=notice.issue_date.year - 1)
            .exclude(pk=notice.pk)
            .order_by("-issue_date")
            .first()
        )
    return None


class CompareRoundsView(NoticeActionMixin, TemplateView):
    """What changed in each form between last year's round and this one, before publishing."""

    template_name = "shenbao_rounds/admin/compare_rounds.html"
    page_title = gettext_lazy("Compare with last year")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.notice = get_object_or_404(NoticePage, pk=kwargs["page_id"])
        if not self.notice.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        other = request.GET.get("with", "")
        self.other = (
            NoticePage.objects.filter(pk=other).first() if other.isdigit() else previous_round_of(self.notice)
        )
        if self.other is not None and not self.other.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.notice.get_admin_display_title()

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        context.update(
            notice=self.notice,
            other=self.other,
            rows=compare_rounds(self.other, self.notice) if self.other is not None else [],
            candidates=NoticePage.objects.exclude(pk=self.notice.pk).order_by("-issue_date")[:50],
        )
        return context


class FormVersionsView(WagtailAdminTemplateMixin, TemplateView):
    """A form's published versions, newest first: when, by whom, how many submissions were made with
    each, and what changed from the version before, for an editor of the form."""

    template_name = "shenbao_rounds/admin/form_versions.html"
    page_title = gettext_lazy("Form versions")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        self.form_page = get_object_or_404(ApplicationFormPage, pk=kwargs["page_id"])
        if not self.form_page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.form_page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.form_page.pk]),
                "label": self.form_page.get_admin_display_title(),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(
            FormVersion.objects.filter(page=self.form_page)
            .select_related("revision__user")
            .annotate(submission_count=Count("submissions"))
            .order_by("number")
        )
        rows, previous = [], None
        for version in versions:
            changes = compare_schemas(previous.definition, version.definition) if previous else None
            publisher = version.revision.user if version.revision_id else None
            rows.append({"version": version, "publisher": publisher, "changes": changes})
            previous = version
        context.update(form_page=self.form_page, rows=rows[::-1])
        return context
