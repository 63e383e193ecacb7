"""Wagtail's default workflow and its task in Chinese, while they still bear Wagtail's English names.

Wagtail's migrations create "Moderators approval" (a workflow of one group-approval task of the same
name), which the admin then shows in Chinese sentences ("提交给Moderators approval"). A workflow or task
a bureau created or renamed itself keeps its name; going back restores the English names of the ones
this migration renamed and still bear its Chinese name.
"""

from django.db import migrations

ENGLISH = "Moderators approval"
CHINESE = "审核员审批"


def rename(apps, old, new):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def to_chinese(apps, schema_editor):
    rename(apps, ENGLISH, CHINESE)


def to_english(apps, schema_editor):
    rename(apps, CHINESE, ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0048_add_default_workflows")]

    operations = [migrations.RunPython(to_chinese, to_english)]
