"""The organisations that apply (申报单位) and the applicants' accounts tied to them.

Quotas such as "每单位申报不超过1个项目" count organisations, so every signed-in
applicant belongs to one through an ``ApplicantProfile``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
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


class ApplicantProfile(models.Model):
    """Ties an applicant's account to the organisation they apply for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="applicant_profile",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")

    def __str__(self):
        return f"{self.user} · {self.organisation}"
