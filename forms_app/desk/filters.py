"""The review list's filters: notice, year, form, status, region and a date range.

They are Django admin list filters, which wagtail-modeladmin renders beside
the list. Each builds its choices with one query, whatever the number of
submissions, and region choices stay within the reviewer's own regions.
"""

from datetime import datetime, time, timedelta

from django.contrib.admin import ListFilter, SimpleListFilter
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from forms_app.applications.models import ApplicationFormPage, SubmissionStatus
from forms_app.builder.models import Region
from forms_app.desk.listing import as_id
from forms_app.review.access import ReviewerAccess, subtree_q
from forms_app.rounds.batches import batches_for
from notices.models import NoticePage


class NoticeFilter(SimpleListFilter):
    """Submissions to the forms of one round: a notice and its forms (a programme's year)."""

    title = _("round")
    parameter_name = "notice"

    def lookups(self, request, model_admin):
        notices = ApplicationFormPage.notices_with_forms().order_by("programme", "-issue_date", "title")
        return [(str(n.pk), f"{n.round_label()} · {n.title}" if n.programme else n.title) for n in notices]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        pk = as_id(value)
        notice = NoticePage.objects.filter(pk=pk).only("path").first() if pk is not None else None
        return queryset.filter(page__path__startswith=notice.path) if notice else queryset.none()


class YearFilter(SimpleListFilter):
    """Submissions of one calendar year (Beijing time)."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        # The first and the last submission, each one read from the submitted_at index, rather than a
        # scan of every row for its distinct years.
        visible = ReviewerAccess.of(request.user).submissions().order_by()
        span = visible.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
        if span["first"] is None:
            return []
        zone = timezone.get_current_timezone()
        first, last = span["first"].astimezone(zone).year, span["last"].astimezone(zone).year
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isascii() and value.isdigit() and 1900 < int(value) < 3000):
            return queryset
        zone = timezone.get_current_timezone()
        start = datetime(int(value), 1, 1, tzinfo=zone)
        # A range, so that the index on submitted_at serves it.
        return queryset.filter(submitted_at__gte=start, submitted_at__lt=start.replace(year=start.year + 1))


class FormFilter(SimpleListFilter):
    """Submissions to one form."""

    title = _("form")
    parameter_name = "form"

    def lookups(self, request, model_admin):
        pages = ApplicationFormPage.objects.order_by("path").only("pk", "title", "attachment_label")
        return [(str(p.pk), f"{p.attachment_label} {p.title}".strip()) for p in pages]

    def queryset(self, request, queryset):
        value = self.value()
        pk = as_id(value)
        return queryset.filter(page_id=pk) if pk is not None else queryset


class StatusFilter(SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return SubmissionStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class RegionFilter(SimpleListFilter):
    """Submissions made in one region or below it, among the reviewer's regions."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        access = ReviewerAccess.of(request.user)
        regions = Region.objects.select_related("parent").filter(access.within_q(None))
        return [(str(r.pk), str(r) if r.parent is None else f"{r.parent} · {r}") for r in regions]

    def queryset(self, request, queryset):
        value = self.value()
        pk = as_id(value)
        return queryset.filter(subtree_q(pk)) if pk is not None else queryset


class SubmittedBetweenFilter(ListFilter):
    """Submissions made between two dates, both included (Beijing time)."""

    title = _("date submitted")
    template = "shenbao_desk/includes/date_range_filter.html"
    parameters = ("submitted_from", "submitted_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.values = {}
        for name in self.parameters:
            if name in params:
                raw = params.pop(name)
                raw = raw[-1] if isinstance(raw, list) else raw
                self.values[name] = raw
        self.start = (
            parse_date(self.values.get("submitted_from") or "") if self._valid("submitted_from") else None
        )
        self.end = parse_date(self.values.get("submitted_to") or "") if self._valid("submitted_to") else None
        self.other_params = [
            (key, value)
            for key, values in request.GET.lists()
            if key not in self.parameters and key != "p"
            for value in values
        ]

    def _valid(self, name):
        try:
            return parse_date(self.values.get(name) or "") is not None
        except ValueError:
            return False

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def choices(self, changelist):
        yield {
            "start": self.values.get("submitted_from", ""),
            "end": self.values.get("submitted_to", ""),
            "invalid": any(self.values.get(n) and not self._valid(n) for n in self.parameters),
            "other_params": self.other_params,
        }

    def queryset(self, request, queryset):
        zone = timezone.get_current_timezone()
        if self.start:
            queryset = queryset.filter(submitted_at__gte=datetime.combine(self.start, time.min, zone))
        if self.end:
            next_day = datetime.combine(self.end + timedelta(days=1), time.min, zone)
            queryset = queryset.filter(submitted_at__lt=next_day)
        return queryset


class BatchFilter(SimpleListFilter):
    """The submissions of one recommendation batch, as the level that received it sees them."""

    title = _("batch")
    parameter_name = "batch"

    def lookups(self, request, model_admin):

        batches = batches_for(ReviewerAccess.of(request.user)).filter(status="closed")
        return [(str(b.pk), f"{b.region.name} · {b.page.title} · {b.number}") for b in batches]

    def queryset(self, request, queryset):
        value = self.value()
        pk = as_id(value)
        return queryset.filter(batch_id=pk) if pk is not None else queryset
