"""A postal address: the region (province → city → county, from the region list), the street line and,
optionally, the postcode, as 附件1's 地址 and 附件3's 通讯地址 ask. Usable as a column of a repeating table.

Stored as ``{"region": {"code", "name"}, "path": [province, city, county], "street", "postcode"}``: the
names are kept with the code, so the answer reads the same after the region list is edited. It reads
as one line, "浙江省杭州市西湖区文三路90号（邮编310012）", which is also its spreadsheet cell; an imported
cell is read back by matching the region names from the start of the line.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from forms_app.builder import validators as v
from forms_app.builder.field_blocks import BaseFieldBlock
from forms_app.builder.fields import to_half_width
from forms_app.builder.models import LEVEL_ORDER, Region
from forms_app.builder.registry import FieldType, register

MAX_STREET = 200
# The postcode at the end of a cell, as ``text`` writes it in Chinese or English.
POSTCODE_TEXT = re.compile(r"\s*[（(]?\s*(?:邮编|postcode)\s*[:：]?\s*(?P<postcode>\d{6})\s*[）)]?\s*$", re.I)


class AddressFieldBlock(BaseFieldBlock):
    """An address: region from the region list, street line and optional postcode."""

    field_type = "address"
    parent = SnippetChooserBlock(
        "shenbao_builder.Region",
        label=gettext_lazy("Within region"),
        required=False,
        help_text=gettext_lazy("Leave empty to offer every region of the list."),
    )
    level = blocks.ChoiceBlock(
        label=gettext_lazy("Down to"),
        choices=[("city", gettext_lazy("City")), ("county", gettext_lazy("County or district"))],
        default="county",
    )
    with_postcode = blocks.BooleanBlock(
        label=gettext_lazy("Ask for the postcode"), required=False, default=True
    )

    class Meta:
        icon = "home"
        label = gettext_lazy("Address")

    def get_options(self, value):
        parent = value.get("parent")
        return {
            "parent": parent.code if parent else None,
            "level": value.get("level") or "county",
            "with_postcode": bool(value.get("with_postcode")),
        }


def region_paths(regions):
    """``{code: [names from the top down]}`` for ``regions`` (each with its parents loaded)."""
    paths = {}
    for region in regions:
        names, node = [], region
        while node is not None:
            names.insert(0, node.name)
            node = node.parent
        paths[region.code] = names
    return paths


def offered_regions(options):
    """The regions an address may name: at the level asked, or above it where nothing lies below."""
    level = options.get("level") or "county"
    regions = list(Region.objects.select_related("parent__parent"))
    if options.get("parent"):
        top = next((r for r in regions if r.code == options["parent"]), None)
        if top is None:
            return []
        regions = [r for r in regions if r == top or top in (r.parent, getattr(r.parent, "parent", None))]
    depth = LEVEL_ORDER.index(level)
    with_children = {r.parent_id for r in regions if r.parent_id and LEVEL_ORDER.index(r.level) <= depth}
    return [
        r
        for r in regions
        if LEVEL_ORDER.index(r.level) == depth
        or (LEVEL_ORDER.index(r.level) < depth and r.pk not in with_children)
    ]


def address_answer(region, street, postcode=""):
    """The stored answer for an address in ``region`` (with its parents loaded): for fixtures and imports."""
    path = region_paths([region])[region.code]
    return {
        "region": {"code": region.code, "name": region.name},
        "path": path,
        "street": street,
        "postcode": postcode,
    }


class AddressWidget(forms.MultiWidget):
    """The region as one list grouped by province and city, then the street line and the postcode."""

    template_name = "shenbao_builder/widgets/address.html"
    use_fieldset = True

    def __init__(self, grouped, with_postcode=True, attrs=None):
        self.with_postcode = with_postcode
        widgets = [
            forms.Select(choices=[("", _("Please choose"))] + grouped),
            forms.TextInput(attrs={"maxlength": MAX_STREET, "autocomplete": "street-address"}),
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6, "autocomplete": "postal-code"})
            if with_postcode
            else forms.HiddenInput(),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [
                (value.get("region") or {}).get("code"),
                value.get("street"),
                value.get("postcode"),
            ]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [_("Region"), _("Street and number")] + ([_("Postcode")] if self.with_postcode else [])
        context["widget"]["parts"] = list(zip(context["widget"]["subwidgets"], labels + [""], strict=False))
        return context


class AddressField(forms.MultiValueField):
    """Region, street and optional postcode; cleans to the stored address, or None when left empty."""

    def __init__(self, regions, with_postcode=True, **kwargs):
        self.paths = region_paths(regions)
        self.names = {region.code: region.name for region in regions}
        self.with_postcode = with_postcode
        groups = {}
        for region in regions:
            group = " ".join(self.paths[region.code][:-1])
            groups.setdefault(group, []).append((region.code, region.name))
        # Regions with no parent (a province that is the whole list) are offered outside any group.
        flat = [(code, name) for group, items in groups.items() if not group for code, name in items]
        grouped = [(group, items) for group, items in groups.items() if group] + flat
        fields = (
            forms.ChoiceField(choices=[(code, code) for code in self.names], required=False),
            forms.CharField(max_length=MAX_STREET, required=False),
            forms.CharField(max_length=10, required=False),
        )
        kwargs.setdefault("widget", AddressWidget(grouped, with_postcode))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        code, street, postcode = (list(data_list) + [None, None, None])[:3]
        street = " ".join((street or "").split())
        postcode = v.normalise_code(to_half_width(postcode)) if postcode else ""
        if not code and not street and not postcode:
            return None
        if not code:
            raise ValidationError(_("%(field)s: choose the region."), params={"field": self.label})
        if not street:
            raise ValidationError(_("%(field)s: enter the street and number."), params={"field": self.label})
        if postcode and self.with_postcode:
            v.validate_postcode(postcode, label=self.label)
        return {
            "region": {"code": code, "name": self.names[code]},
            "path": self.paths[code],
            "street": street,
            "postcode": postcode if self.with_postcode else "",
        }


@register
class Address(FieldType):
    name = "address"
    identifying = True
    block_class = AddressFieldBlock
    column = True

    def create_field(self, spec, options, builder):
        return AddressField(offered_regions(options), with_postcode=options.get("with_postcode", True))

    def text(self, spec, value, masked=False):
        line = "".join(value.get("path") or [(value.get("region") or {}).get("name", "")]) + value.get(
            "street", ""
        )
        postcode = value.get("postcode")
        return line + (_(" (postcode %(postcode)s)") % {"postcode": postcode} if postcode else "")

    def condition_strings(self, spec, value):
        if self.is_empty(value):
            return []
        return [
            *(value.get("path") or []),
            (value.get("region") or {}).get("code", ""),
            value.get("street", ""),
        ]

    def parse(self, spec, text, context):
        postcode = ""
        match = POSTCODE_TEXT.search(text)
        if match:
            postcode, text = match.group("postcode"), text[: match.start()].rstrip("，, ")
        paths = context.cached("address_paths", lambda: region_paths(context.regions.values()))
        best = max(
            ((code, "".join(names)) for code, names in paths.items() if text.startswith("".join(names))),
            key=lambda pair: len(pair[1]),
            default=("", ""),
        )
        return [best[0], text[len(best[1]) :].strip(), postcode]

    def example(self, spec):
        return "浙江省杭州市西湖区文三路90号" + (
            "（邮编310012）" if spec["options"].get("with_postcode", True) else ""
        )
