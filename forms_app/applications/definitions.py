"""Form definitions as JSON, to move a form between sites or years.

The export is the form page's steps as the admin saves them (the StreamField's
raw data) plus its settings. Regions are written by code, not by database id,
so a definition reads the same on another site that has the same region list.
Importing makes an unpublished draft under a notice, checked by the same rules
as the admin's editor.
"""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forms_app.applications.models import ApplicationFormPage
from forms_app.builder.models import Region

FORMAT = "shenbao-form/1"
SETTINGS = [
    "attachment_label", "intro", "login_required", "max_per_organisation", "max_per_region",
    "recommend_quota", "recommend_minimum", "quota_level", "summary_title", "summary_columns",
    "confirmation_text", "notify_emails", "reference_prefix", "pdf_header",
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


@transaction.atomic
def import_definition(notice, data, user=None):
    """Create an unpublished form page under ``notice`` from ``data``; ``ValidationError`` if it is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            _("This is not a form definition exported by this product (%(format)s).") % {"format": FORMAT}
        )
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
