"""A region picked from the region list that editors maintain (e.g. Zhejiang's cities).

Stored with its code and its name (``{"code", "name"}``), so the answer keeps reading the same if
the list is edited later; a spreadsheet cell holds the name.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from forms_app.builder import fields as f
from forms_app.builder.field_blocks import REGION_LEVEL_CHOICES, BaseFieldBlock
from forms_app.builder.registry import FieldType, register


class RegionFieldBlock(BaseFieldBlock):
    """A region picked from the region list editors maintain (e.g. Zhejiang's cities)."""

    field_type = "region"
    parent = SnippetChooserBlock(
        "shenbao_builder.Region", label=gettext_lazy("Within region"), required=False
    )
    level = blocks.ChoiceBlock(label=gettext_lazy("Level"), choices=REGION_LEVEL_CHOICES, default="city")

    class Meta:
        icon = "site"
        label = gettext_lazy("Region")

    def get_options(self, value):
        parent = value.get("parent")
        return {"parent": parent.code if parent else None, "level": value.get("level") or "city"}


@register
class RegionType(FieldType):
    name = "region"
    block_class = RegionFieldBlock

    def create_field(self, spec, options, builder):
        return f.RegionChoiceField(builder.get_regions(options))

    def text(self, spec, value, masked=False):
        return value.get("name", "")

    def condition_strings(self, spec, value):
        return [] if self.is_empty(value) else [value.get("name", ""), value.get("code", "")]

    def parse(self, spec, text, context):
        return context.region_codes.get(text, text)

    def example(self, spec):
        return _("(region name)")
