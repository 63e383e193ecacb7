"""Conditions stored as one rule ``{field, operator, value}`` become ``{join: all, rules: [rule]}``.

The blocks read the old shape too, so this only keeps the stored data in the one shape the editor
writes (pages and their revisions, drafts included). Frozen form versions are left as published:
``forms_app.builder.conditions.normalise`` reads them.
"""

import json
import uuid

from django.db import migrations

from forms_app.builder.conditions import upgrade_block_value


def upgraded(condition):
    condition = upgrade_block_value(condition)
    if isinstance(condition, dict) and "rules" in condition:
        condition["rules"] = [
            rule
            if isinstance(rule, dict) and rule.get("type") == "item"
            else {"type": "item", "value": rule, "id": str(uuid.uuid4())}
            for rule in condition["rules"]
        ]
    return condition


def upgrade_steps(steps):
    """Return the raw steps stream with every condition in the joined shape, and whether any changed."""
    changed = False
    for step in steps:
        value = step.get("value") or {}
        items = [value, *[child.get("value") or {} for child in value.get("fields") or []]]
        for item in items:
            condition = item.get("condition")
            if isinstance(condition, dict) and "rules" not in condition:
                item["condition"] = upgraded(condition)
                changed = True
    return steps, changed


def forwards(apps, schema_editor):
    ApplicationFormPage = apps.get_model("shenbao_applications", "ApplicationFormPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for page in ApplicationFormPage.objects.all():
        steps, changed = upgrade_steps([dict(child) for child in page.steps.raw_data])
        if changed:
            ApplicationFormPage.objects.filter(pk=page.pk).update(steps=steps)
    content_type = ContentType.objects.filter(
        app_label="shenbao_applications", model="applicationformpage"
    ).first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        raw = revision.content.get("steps")
        steps = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(steps, list):
            continue
        steps, changed = upgrade_steps(steps)
        if changed:
            revision.content["steps"] = (
                json.dumps(steps, ensure_ascii=False) if isinstance(raw, str) else steps
            )
            Revision.objects.filter(pk=revision.pk).update(content=revision.content)


class Migration(migrations.Migration):
    dependencies = [
        ("shenbao_applications", "0008_form_keeps_submissions_for_years"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
