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
from django.utils.translation import pgettext_lazy
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


class AppendOnly(Exception):
    """Raised on any change or deletion of an audit entry: the log is only ever added to."""


#: The foreign keys an audit entry may lose when the user or the submission it names is deleted; what
#: it says of them stays in ``actor_name`` and ``reference``.
DETACHABLE = frozenset({"user", "user_id", "submission", "submission_id"})


class AuditLogQuerySet(models.QuerySet):
    """Audit entries in bulk: a bulk update may only detach a deleted user or submission, nothing deletes."""

    def update(self, **kwargs):
        # Deleting a user or a submission sets its foreign keys to NULL through ``update``; nothing else may.
        if not kwargs or set(kwargs) - DETACHABLE or any(value is not None for value in kwargs.values()):
            raise AppendOnly(_("The audit log is append-only: entries are never changed."))
        return super().update(**kwargs)

    def delete(self):
        raise AppendOnly(_("The audit log is append-only: entries are never deleted."))


class AuditLogEntry(models.Model):
    """One reading of personal data, or one change of it by the retention command, for administrators.

    Written by every view that shows or hands out a submission's answers, files or copies (detail
    views, downloads, PDF and Word copies, summary lists, exports), masked or not, with who, what,
    when and why it was visible to them (``reason``: the desk or permission that allowed it). Never
    changed and never deleted: ``save()`` of an existing entry, ``delete()`` and bulk changes raise
    ``AppendOnly``, and on PostgreSQL a trigger refuses UPDATE and DELETE of the table (migration
    0002). Only administrators (or holders of ``view_auditlogentry``) read and export it.
    """

    # A record, not content: Wagtail's usage listings need not count it, and every save would
    # queue a reference-index task.
    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed a submission")
        FILE = "file", _("Downloaded a file")
        DOCUMENT = "document", _("Opened a PDF or Word copy")
        LIST = "list", _("Viewed a summary list")
        EXPORT = "export", _("Exported submissions")
        LOG_EXPORT = "log_export", _("Exported the audit log")
        PURGE = "purge", _("Purged or anonymised personal data")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The user's name when the entry was written: kept when the account is deleted.
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    submission = models.ForeignKey(
        "shenbao_applications.Submission",
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    # Lists, exports and purges read or change many submissions at once: how many.
    count = models.PositiveIntegerField(_("submissions"), null=True, blank=True)
    unmasked = models.BooleanField(_("ID and bank numbers in full"), default=False)
    reason = models.CharField(_("why visible"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("time", "at"), auto_now_add=True, db_index=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        # Reading is the only right there is to give: nobody adds, changes or deletes entries by hand.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(_("The audit log is append-only: entries are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(_("The audit log is append-only: entries are never deleted."))
