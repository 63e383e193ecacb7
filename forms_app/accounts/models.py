"""The organisations that apply (申报单位) and the applicants' accounts tied to them.

Quotas such as "每单位申报不超过1个项目" count organisations, so every signed-in
applicant belongs to one through an ``ApplicantProfile``. Belonging is a membership with a
status: credit codes are public, so an account that names a known unit only asks to join it,
and acts for it once the unit's administrator or its region's desk approves (``membership.py``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from forms_app.builder.models import Region
from forms_app.builder.validators import normalise_code, validate_credit_code
from forms_app.builder.widgets import RegionChooser


class Organisation(models.Model):
    """A unit that applies (申报单位); quotas such as "one project per unit" count these."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("Optional; 18 characters with a valid check character."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("credit_code")]),
        FieldPanel("region", widget=RegionChooser),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="unique_organisation_credit_code",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.credit_code:
            self.credit_code = normalise_code(self.credit_code)
            try:
                validate_credit_code(self.credit_code, label=self._meta.get_field("credit_code").verbose_name)
            except ValidationError as error:
                raise ValidationError({"credit_code": error.messages}) from error


class Membership(models.TextChoices):
    """Where an account stands in its unit; only an approved member acts in the unit's name."""

    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("member")
    REFUSED = "refused", _("refused")
    REMOVED = "removed", _("removed")


class ApplicantProfile(models.Model):
    """Ties an applicant's account to the organisation they apply for, as a member or a request to join.

    ``status`` defaults to approved because every profile made outside registration (the demo, the
    factories, an administrator's script) is made by someone who may vouch for it; registration,
    the one way in from the public, sets it explicitly (``RegistrationForm.save``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="applicant_profile",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="members"
    )
    status = models.CharField(
        _("membership"), max_length=10, choices=Membership.choices, default=Membership.APPROVED
    )
    is_administrator = models.BooleanField(
        _("unit administrator"),
        default=False,
        help_text=_("Approves requests to join the unit, removes members and hands the role over."),
    )
    requested_at = models.DateTimeField(_("asked to join at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")
        constraints = [
            # One administrator per unit, even when two hand-overs race.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_administrator=True),
                name="one_administrator_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(is_administrator=False) | models.Q(status=Membership.APPROVED),
                name="administrator_is_an_approved_member",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation}"

    @property
    def is_member(self):
        """Whether this account may act in its unit's name."""
        return self.status == Membership.APPROVED
