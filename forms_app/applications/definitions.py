"""Form definitions as JSON, to move a form between sites or years.

The export is the form page's steps as the admin saves them (the StreamField's
raw data) plus its settings. Regions are written by code, not by database id,
so a definition reads the same on another site that has the same region list.
Importing makes an unpublished draft under a notice, checked by the same rules
as the admin's editor.
"""

import copy

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail import blocks

from forms_app.applications.models import ApplicationFormPage
from forms_app.builder.blocks import FIELD_BLOCKS, StepBlock
from forms_app.builder.models import Region

FORMAT = "shenbao-form/1"
SETTINGS = [
    "attachment_label", "intro", "login_required", "max_per_organisation", "max_per_region",
    "recommend_quota", "recommend_minimum", "quota_level", "summary_title", "summary_columns",
    "confirmation_text", "notify_emails", "reference_prefix", "pdf_header", "keep_submissions_years",
]  # fmt: skip
# Where field blocks keep a region: block type → option name.
REGION_OPTIONS = {"region": "parent", "matrix": "region_parent"}


def field_blocks(steps):
    """Yield every field block's raw dict in ``steps`` (raw StreamField data)."""
    for step in steps:
        yield from step.get("value", {}).get("fields", [])


def export_definition(page):
    """Return ``page``'s form as plain data (JSON-ready)."""
    steps = copy.deepcopy(list(page.steps.raw_data))
    ids = {b["value"][REGION_OPTIONS[b["type"]]] for b in field_blocks(steps) if b["type"] in REGION_OPTIONS}
    codes = dict(Region.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "code"))
    for step in steps:
        step.pop("id", None)
    for block in field_blocks(steps):
        block.pop("id", None)
        option = REGION_OPTIONS.get(block["type"])
        if option:
            block["value"][option] = codes.get(block["value"].get(option))
    return {
        "format": FORMAT,
        "title": page.title,
        "slug": page.slug,
        "settings": {name: getattr(page, name) for name in SETTINGS},
        "steps": steps,
    }


FIELD_BLOCK_TYPES = dict(FIELD_BLOCKS)


def shape_errors(data):
    """Return ``[(path, message)]`` where ``data`` is not shaped as an exported definition is.

    The page's editor checks a definition's meaning; this checks its shape first, so that a file
    edited by hand (a list where a step is, a number where a label is) is refused with the place of
    each mistake rather than failing deep inside the blocks.
    """
    errors = []
    for name in ("title", "slug"):
        if not isinstance(data.get(name, ""), str):
            errors.append((name, _("must be text")))
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        errors.append(("settings", _("must be an object")))
        settings = {}
    for name in SETTINGS:
        if name in settings and not setting_fits(name, settings[name]):
            errors.append((f"settings.{name}", _("has the wrong type")))
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        return [*errors, ("steps", _("must be a list of one or more steps"))]
    for index, step in enumerate(steps):
        where = f"steps[{index}]"
        if (
            not isinstance(step, dict)
            or step.get("type") != "step"
            or not isinstance(step.get("value"), dict)
        ):
            errors.append((where, _("must be a step: an object with type “step” and a value")))
            continue
        fields = step["value"].get("fields", [])
        if not isinstance(fields, list):
            errors.append((f"{where}.fields", _("must be a list")))
            continue
        for number, block in enumerate(fields):
            spot = f"{where}.fields[{number}]"
            if not isinstance(block, dict) or block.get("type") not in FIELD_BLOCK_TYPES:
                errors.append((spot, _("must be a field of a known type")))
            elif not isinstance(block.get("value"), dict):
                errors.append((f"{spot}.value", _("must be an object")))
            else:
                skip = {REGION_OPTIONS[block["type"]]} if block["type"] in REGION_OPTIONS else set()
                errors.extend(block_errors(FIELD_BLOCK_TYPES[block["type"]], block["value"], spot, skip))
        step_value = {k: v for k, v in step["value"].items() if k != "fields"}
        errors.extend(block_errors(StepBlock(), step_value, where))
    return errors


def setting_fits(name, value):
    """Whether ``value`` has the type of the form page's field ``name``."""
    field = ApplicationFormPage._meta.get_field(name)
    if value is None:
        return field.null
    if isinstance(field, models.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, models.IntegerField):
        return isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31
    if isinstance(field, models.JSONField):
        return isinstance(value, list | dict)
    return isinstance(value, str)


def block_errors(block, value, where, skip=()):
    """Return ``[(path, message)]`` where a raw block value has the wrong type for ``block``.

    The blocks are the schema: objects for structs, lists for streams and lists, and for the leaves
    the type their form field takes. ``skip`` names options read elsewhere (a region's code).
    """
    if value is None:
        return []
    if isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            return [(where, _("must be an object"))]
        found = []
        for name, child in block.child_blocks.items():
            if name in value and name not in skip:
                found.extend(block_errors(child, value[name], f"{where}.{name}"))
        return found
    if isinstance(block, blocks.StreamBlock | blocks.ListBlock):
        if not isinstance(value, list):
            return [(where, _("must be a list"))]
        found = []
        for index, item in enumerate(value):
            spot = f"{where}[{index}]"
            if isinstance(block, blocks.ListBlock):
                # Lists are saved either as bare values or as {"type": "item", "value": …}.
                inner = item.get("value") if isinstance(item, dict) and "value" in item else item
                found.extend(block_errors(block.child_block, inner, spot))
            elif not isinstance(item, dict) or item.get("type") not in block.child_blocks:
                found.append((spot, _("must be a block of a known type")))
            else:
                found.extend(block_errors(block.child_blocks[item["type"]], item.get("value"), spot))
        return found
    if isinstance(block, blocks.BooleanBlock):
        fits = isinstance(value, bool)
    elif isinstance(block, blocks.IntegerBlock):
        fits = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31
    elif isinstance(block, blocks.DecimalBlock | blocks.FloatBlock):
        fits = isinstance(value, int | float | str) and not isinstance(value, bool)
    elif isinstance(block, blocks.MultipleChoiceBlock):
        fits = isinstance(value, list) and all(isinstance(item, str) for item in value)
    elif isinstance(block, blocks.FieldBlock):
        fits = isinstance(value, str | int) and not isinstance(value, bool)  # choices may be ids
    else:
        fits = True
    return [] if fits else [(where, _("has the wrong type"))]


@transaction.atomic
def import_definition(notice, data, user=None):
    """Create an unpublished form page under ``notice`` from ``data``; ``ValidationError`` if it is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            _("This is not a form definition exported by this product (%(format)s).") % {"format": FORMAT}
        )
    shape = shape_errors(data)
    if shape:
        raise ValidationError([f"{where}: {message}" for where, message in shape])
    steps = copy.deepcopy(data.get("steps") or [])
    codes = {
        b["value"].get(REGION_OPTIONS[b["type"]])
        for b in field_blocks(steps)
        if b.get("type") in REGION_OPTIONS
    }
    regions = dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "pk"))
    missing = sorted(c for c in codes if c and c not in regions)
    if missing:
        raise ValidationError(
            _("These regions are not in this site's region list: %(codes)s.") % {"codes": "、".join(missing)}
        )
    for block in field_blocks(steps):
        option = REGION_OPTIONS.get(block.get("type"))
        if option:
            block["value"][option] = regions.get(block["value"].get(option))
    settings = {k: v for k, v in (data.get("settings") or {}).items() if k in SETTINGS}
    title = str(data.get("title") or _("Imported form"))[:255]
    base = slugify(data.get("slug") or "", allow_unicode=False) or "form"
    taken = set(notice.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    page = ApplicationFormPage(title=title, slug=slug, steps=steps, live=False, **settings)
    notice.add_child(instance=page)  # saving runs the editor's checks (full_clean) and may raise
    page.save_revision(user=user)
    return page
