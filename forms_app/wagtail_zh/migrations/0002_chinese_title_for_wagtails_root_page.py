"""Wagtail's root page in Chinese while it still bears Wagtail's English title "Root".

The admin shows the root page's title in every breadcrumb (Root › 首页 › 通知公告); a title an
administrator gave it stays. Going back restores "Root" where this migration's title still stands.
"""

from django.db import migrations

ENGLISH = "Root"
CHINESE = "根页面"


def rename(apps, old, new):
    pages = apps.get_model("wagtailcore", "Page").objects.filter(depth=1)
    pages.filter(title=old).update(title=new)
    pages.filter(draft_title=old).update(draft_title=new)


def to_chinese(apps, schema_editor):
    rename(apps, ENGLISH, CHINESE)


def to_english(apps, schema_editor):
    rename(apps, CHINESE, ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("shenbao_wagtail_zh", "0001_chinese_names_for_wagtails_default_workflow"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
