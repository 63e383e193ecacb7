"""Who applies and where: the region list and the organisations that apply.

Regions (province → city → county) are maintained by editors; region fields,
summary tables and reviewer scopes use them. Organisations are the units
(申报单位) that quotas count, e.g. "每单位申报不超过1个项目".
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from ..blocks import REGION_LEVEL_CHOICES

LEVEL_ORDER = [code for code, _label in REGION_LEVEL_CHOICES]


class Region(index.Indexed, models.Model):
    """An administrative region (province, city, county) that editors maintain.

    Region fields and summary tables list regions from here, and reviewers
    (issue 5) are scoped to a region and everything below it.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"), max_length=12, unique=True, help_text=_("Administrative division code, e.g. 330100.")
    )
    level = models.CharField(_("level"), max_length=10, choices=REGION_LEVEL_CHOICES)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("level"), FieldPanel("parent")]),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("level")]

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id:
            if LEVEL_ORDER.index(self.parent.level) >= LEVEL_ORDER.index(self.level):
                raise ValidationError({"parent": _("A region must be part of a region of a higher level.")})
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A region cannot be part of itself.")})
                ancestor = ancestor.parent

    def get_descendants_at_level(self, level):
        """Return the regions of ``level`` below this one (children or grandchildren), in order."""
        if LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(self.level):
            return Region.objects.none()
        # A municipality's districts sit directly below it; a province's counties two levels down.
        return Region.objects.filter(level=level).filter(
            models.Q(parent=self) | models.Q(parent__parent=self)
        )


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
        FieldPanel("region"),
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
        from ..validators import normalise_code, validate_credit_code

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
