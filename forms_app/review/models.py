"""Who reviews what: user groups tied to a region, and so to a level of review.

Bureaus review level by level (district → city → province). An administrator
makes a Wagtail group a reviewing desk by giving it a region here; members of
the group review the submissions of that region and of the regions below it,
once they reach that desk (``forms_app.review.access``).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from forms_app.builder.models import Region
from forms_app.builder.widgets import RegionChooser


class ReviewerScope(models.Model):
    """Makes a user group the reviewing desk of one region (its level is the region's level)."""

    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="review_scope"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="reviewer_scopes"
    )

    panels = [FieldPanel("group"), FieldPanel("region", widget=RegionChooser)]

    class Meta:
        verbose_name = _("reviewing desk")
        verbose_name_plural = _("reviewing desks")
        ordering = ["region__sort_order", "region__code"]

    def __str__(self):
        return f"{self.group} · {self.region}"

    @property
    def level(self):
        return self.region.level


class AuditLogEntry(models.Model):
    """One showing or export of personal data (ID and bank numbers) in full, for administrators to read.

    Written by the review desk each time a reviewer unmasks a submission or
    exports unmasked data; never edited. Only administrators (or holders of
    ``view_auditlogentry``) can read the list.
    """

    # A record, not content: Wagtail's usage listings need not count it, and every save would
    # queue a reference-index task.
    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed personal data")
        EXPORT = "export", _("Exported personal data")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    submission = models.ForeignKey(
        "shenbao_applications.Submission",
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.detail}"
