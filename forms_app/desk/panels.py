"""The reviewers' dashboard panel: submissions by status and region for each open form."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from wagtail.admin.ui.components import Component

from forms_app.applications.models import ApplicationFormPage, Submission, SubmissionStatus
from forms_app.builder.models import Region
from forms_app.desk.listing import as_id
from forms_app.review.access import ReviewerAccess
from notices.models import NoticePage


class ReviewDashboardPanel(Component):
    """Shows a reviewer, per open form, how many submissions of their regions stand at each status."""

    name = "review_overview"
    order = 90
    template_name = "shenbao_desk/includes/dashboard_panel.html"

    def __init__(self, request):
        self.request = request
        self.access = ReviewerAccess.of(request.user)

    def get_round(self):
        """Return the round (notice) picked with ``?round=`` on the dashboard, or None."""

        pk = as_id(self.request.GET.get("round"))
        return NoticePage.objects.filter(pk=pk).first() if pk is not None else None

    def get_forms(self, now=None):
        """Return the live forms open now, or with submissions of the reviewer's regions in 90 days.

        With a round picked, return that round's forms, open or not.
        """
        chosen = self.get_round()
        if chosen is not None:
            pages = ApplicationFormPage.objects.live().child_of(chosen).order_by("path")
            return ApplicationFormPage.with_notices(pages)
        now = now or timezone.now()
        # One probe of the (page, submitted_at) index per form, not a DISTINCT over the submissions.
        recent = self.access.submissions().filter(
            page=OuterRef("pk"), submitted_at__gte=now - timedelta(days=90)
        )
        pages = ApplicationFormPage.objects.live().annotate(recent=Exists(recent)).order_by("path")
        return [page for page in ApplicationFormPage.with_notices(pages) if page.recent or page.is_open(now)]

    def get_rounds(self):
        """The notices that have live forms, for the round picker."""
        return ApplicationFormPage.notices_with_forms(live=True).order_by("-issue_date", "title")

    def get_counts(self, forms):
        """Yield ``{"page", "region", "status", "n"}`` rows counting the submissions the viewer sees.

        A desk's parts are counted apart and added, each a range of the (stage_region, page, region,
        status) index; counted as one OR, the planner reads the whole index whatever the desk.
        """
        parts = self.access.disjoint_visibility_parts()
        querysets = (
            [Submission.objects.filter(part) for part in parts]
            if parts is not None
            else [self.access.submissions()]
        )
        for queryset in querysets:
            yield from (
                queryset.filter(page__in=[p.pk for p in forms])
                .values("page", "region", "status")
                .annotate(n=Count("*"))  # COUNT(*), which an index-only scan answers
                .order_by()
            )

    def row_regions(self):
        """Return ``{region id: name of its row}``: the region one level below the desk it is under."""
        desks = {region.pk for region in self.access.desk_regions()}
        parents, names = {}, {}
        for pk, parent, name in Region.objects.values_list("pk", "parent", "name"):
            parents[pk], names[pk] = parent, name
        rows = {}
        for pk in parents:
            current = pk
            for _level in range(5):  # regions are at most a few levels deep
                if current in desks or parents.get(current) in desks or parents.get(current) is None:
                    break
                current = parents[current]
            rows[pk] = names[current]
        return rows

    def get_context_data(self, parent_context=None):
        statuses = SubmissionStatus.choices
        forms = self.get_forms() if self.access.may_review else []
        counts = self.get_counts(forms)
        # Grouped by region id, then summed one level below the viewer's desks: a province desk
        # reads its cities, a city desk its counties.
        row_of = self.row_regions()
        table = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        for row in counts:
            table[row["page"]][row_of.get(row["region"], "—")][row["status"]] += row["n"]
        panels = []
        for page in forms:
            regions = table.get(page.pk, {})
            largest = max((sum(c.values()) for c in regions.values()), default=0)
            rows = []
            for name in sorted(regions):
                cells = [regions[name].get(code, 0) for code, _label in statuses]
                total = sum(cells)
                rows.append(
                    {
                        "region": name,
                        "cells": cells,
                        "total": total,
                        "bars": bars_of(statuses, cells, largest),
                    }
                )
            panels.append({"page": page, "rows": rows, "total": sum(r["total"] for r in rows)})

        return {
            "panels": panels,
            "statuses": statuses,
            "may_review": self.access.may_review,
            "rounds": self.get_rounds(),
            "chosen_round": self.get_round(),
        }

    def render_html(self, parent_context=None):
        if not self.access.may_review:
            return ""
        return super().render_html(parent_context)


def bars_of(statuses, cells, largest):
    """One region's stacked bar: where each status starts and how wide it is, in hundredths of the chart.

    The chart is an SVG placed by attributes (x, width), because a Content-Security-Policy without
    'unsafe-inline' blocks style attributes; the widest region fills the chart.
    """
    bars, offset = [], 0.0
    for (code, label), n in zip(statuses, cells, strict=True):
        if n:
            width = 100 * n / largest
            bars.append(
                {"status": code, "label": label, "n": n, "x": f"{offset:.4g}", "width": f"{width:.4g}"}
            )
            offset += width
    return bars
