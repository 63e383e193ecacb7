"""One rule for who may see and act on a submission, used by every review URL.

A reviewer belongs to one or more desks (groups with a ``ReviewerScope``).
At the desk of region R they see the submissions made in R or below it that
have reached R's desk: still there, or recommended further up (read-only). On
forms whose recommendations go up in batches, a recommendation reaches the
next desk only once the desk below has closed its batch.
They change only submissions waiting at R's desk, a note or a scan as much as
a status. Superusers see and act on everything. The list, the detail, files,
the summary list and exports all start from ``ReviewerAccess.submissions()``,
so no URL can reach more.
"""

from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Q

from forms_app.applications.models import ApplicationFormPage, Submission, SubmissionStatus
from forms_app.builder.models import Region


def subtree_q(region, field="region"):
    """Return a filter on ``field`` for ``region`` and the regions below it (three levels at most).

    With ``field=None`` the filter applies to ``Region`` itself.
    """
    region = getattr(region, "pk", region)
    if field is None:
        return Q(pk=region) | Q(parent=region) | Q(parent__parent=region)
    # A subquery on the small region table, not joins of every row to its region's parents.
    return Q(**{f"{field}__in": Region.objects.filter(subtree_q(region, None)).values("pk")})


def ancestors(region):
    """Return the regions above ``region``, nearest first."""
    found = []
    current = region.parent
    while current is not None and len(found) < 5:
        found.append(current)
        current = current.parent
    return found


def desk_reviewers(region):
    """Return the users who may act at the nearest desk covering ``region``: its own, else the next above.

    The people to tell about something of the region (a unit's request to join): the desk closest to
    it, not every level above, which may act too but need not hear of each one.
    """
    for desk in [region, *ancestors(region)]:
        candidates = get_user_model().objects.filter(is_active=True, groups__review_scope__region=desk)
        found = [user for user in candidates.distinct().order_by("pk") if ReviewerAccess(user).may_act]
        if found:
            return found
    return []


class ReviewerAccess:
    """What one user may see and do at the review desk.

    ``ReviewerAccess.of(user)`` keeps one instance per user object, so a page
    that asks many times (each row of the list) reads the desks once.
    """

    def __init__(self, user):
        self.user = user

    @classmethod
    def of(cls, user):
        """Return the access of ``user``, computed once per user object (so once per request)."""
        access = getattr(user, "_reviewer_access", None)
        if access is None:
            access = cls(user)
            if user.is_authenticated:
                user._reviewer_access = access
        return access

    @cached_property
    def is_superuser(self):
        return self.user.is_active and self.user.is_superuser

    @cached_property
    def regions(self):
        """Return the regions of the user's desks, with their parents loaded."""
        if not self.user.is_authenticated or not self.user.is_active:
            return []
        return list(
            Region.objects.filter(reviewer_scopes__group__user=self.user)
            .select_related("parent__parent")
            .distinct()
            .order_by("sort_order", "code")
        )

    @cached_property
    def region_ids(self):
        return {region.pk for region in self.regions}

    @cached_property
    def may_review(self):
        """Whether the user may open the review desk at all."""
        return self.is_superuser or (
            self.user.has_perm("shenbao_applications.view_submission") and bool(self.regions)
        )

    @cached_property
    def may_act(self):
        """Whether the user may change statuses (on submissions at their desks)."""
        return self.may_review and self.user.has_perm("shenbao_applications.change_submission")

    @cached_property
    def may_see_personal_data(self):
        """Whether the user may ask to see ID and bank numbers in full (each time logged)."""
        return self.may_review and self.user.has_perm("shenbao_applications.view_personal_data")

    def visibility_q(self):
        """Return the filter of the submissions this user may see.

        A submission's desk (``stage_region``) is always its region or a region above it, so one
        waiting at R's desk is in R's subtree already: only those that went further up need the
        subtree test. Written so, the filter starts from the (stage_region, …) indexes.
        """
        if self.is_superuser:
            return Q()
        if not self.may_review:
            return Q(pk__in=[])
        condition = Q(pk__in=[])
        for part in self.visibility_parts():
            condition |= part
        return condition

    def visibility_parts(self):
        """Return the filters whose union ``visibility_q`` is, one per desk and direction.

        Each part names its desks (``stage_region``) exactly, so each is a range of the
        (stage_region, …) indexes, where the planner scans a whole index to test an OR of them.
        """
        if self.is_superuser:
            return [Q()]
        if not self.may_review:
            return []
        batch_forms = self.batch_form_ids
        parts = []
        for region in self.regions:
            here = Q(stage_region=region.pk)
            if batch_forms:
                # On batch forms, a recommendation reaches the next desk only with its batch.
                held_back = Q(status=SubmissionStatus.RECOMMENDED, batch__isnull=True, page__in=batch_forms)
                here &= ~held_back
            parts.append(here)
            above = [r.pk for r in ancestors(region)]
            if above:
                parts.append(Q(stage_region__in=above, region__in=self.subtree_ids(region)))
        return parts

    def disjoint_visibility_parts(self):
        """Return ``visibility_parts()`` when no submission matches two of them (so counts add), else None.

        One desk's parts never meet (its own desk, then only desks above it); a user at two desks of
        one line (a city and its province) sees some submissions through both.
        """
        if len(self.regions) > 1:
            return None
        return self.visibility_parts()

    def subtree_ids(self, region):
        """The ids of ``region`` and the regions below it, as a list the planner can count."""
        cache = self.__dict__.setdefault("_subtrees", {})
        if region.pk not in cache:
            below = Region.objects.filter(subtree_q(region, None))
            cache[region.pk] = list(below.values_list("pk", flat=True))
        return cache[region.pk]

    @cached_property
    def batch_form_ids(self):
        """The forms whose recommendations go up in batches (few; read once per user and request)."""
        forms = ApplicationFormPage.objects.filter(batch_recommendations=True)
        return list(forms.values_list("pk", flat=True))

    def within_q(self, field="region"):
        """Return a filter on ``field`` for the regions of the user's desks and below (``None``: Region).

        Administrators get an empty filter (everything); users without desks one that matches nothing.
        """
        if self.is_superuser:
            return Q()
        condition = Q(pk__in=[])
        for region in self.regions:
            condition |= subtree_q(region, field)
        return condition

    def submissions(self, queryset=None):
        """Return ``queryset`` (all submissions by default) narrowed to what this user may see."""
        queryset = Submission.objects.all() if queryset is None else queryset
        return queryset.filter(self.visibility_q())

    def can_see(self, submission):
        return self.submissions().filter(pk=submission.pk).exists()

    def may_act_at(self, region):
        """Whether the user may act at ``region``'s desk (a region or its id)."""
        if not self.may_act:
            return False
        return self.is_superuser or getattr(region, "pk", region) in self.region_ids

    def can_act(self, submission):
        """Whether the user may change ``submission`` in any way: it waits at one of their desks.

        The one rule for every write on a submission (``workflow.refuse_unless_at_desk``), so a desk that
        passed a submission on keeps reading it but no longer writes in its history.
        """
        return self.may_act_at(submission.stage_region_id)

    def actionable(self, queryset):
        """Return ``queryset`` narrowed to the submissions ``can_act`` allows, for writes on many rows."""
        if not self.may_act:
            return queryset.none()
        return queryset if self.is_superuser else queryset.filter(stage_region__in=self.region_ids)

    def desk_regions(self):
        """Return the regions whose desks this user works at (all top regions for superusers)."""
        if self.is_superuser:
            return list(Region.objects.filter(parent__isnull=True).select_related("parent"))
        return self.regions
