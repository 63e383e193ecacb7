"""The region list: province → city → county, as the bureaus' 行政区划.

Editors maintain it; region fields, summary tables and matrix rows read it, and
the review desks and organisations of the higher layers point at it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from forms_app.builder.field_blocks import REGION_LEVEL_CHOICES
from forms_app.builder.widgets import RegionChooser

LEVEL_ORDER = [code for code, _label in REGION_LEVEL_CHOICES]


class Region(index.Indexed, models.Model):
    """An administrative region (province, city, county) that editors maintain.

    Region fields and summary tables list regions from here, and reviewers
    are scoped to a region and everything below it.
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
    # What forms built from the list (region choices, matrix rows) are cached against.
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("level"), FieldPanel("parent", widget=RegionChooser)]),
        FieldPanel("sort_order"),
    ]
    # The region list in the admin finds regions by name and by code.
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.AutocompleteField("code"),
        index.FilterField("level"),
    ]

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

    @classmethod
    def list_signature(cls):
        """A value that changes whenever a region is added, edited or removed (one cheap query)."""
        facts = cls.objects.aggregate(count=models.Count("pk"), changed=models.Max("updated_at"))
        return (facts["count"], facts["changed"].isoformat() if facts["changed"] else "")

    def get_descendants_at_level(self, level):
        """Return the regions of ``level`` below this one (children or grandchildren), in order."""
        if LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(self.level):
            return Region.objects.none()
        # A municipality's districts sit directly below it; a province's counties two levels down.
        return Region.objects.filter(level=level).filter(
            models.Q(parent=self) | models.Q(parent__parent=self)
        )
