"""Wagtail's admin wholly in Simplified Chinese: every string of the installed Wagtail apps is translated."""

import importlib
import importlib.util
import json
import re
from pathlib import Path

import polib
import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.models import Page, Task, Workflow

ROOT = Path(__file__).resolve().parent.parent.parent
OURS = ROOT / "forms_app" / "wagtail_zh" / "locale" / "zh_Hans" / "LC_MESSAGES"
WAGTAIL_JS = "locale/zh_Hans/LC_MESSAGES/djangojs.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
spec = importlib.util.spec_from_file_location("wagtail_zh_gaps", ROOT / "scripts" / "wagtail-zh-gaps.py")
gaps_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gaps_script)
migration = importlib.import_module(
    "forms_app.wagtail_zh.migrations.0001_chinese_names_for_wagtails_default_workflow"
)
root_migration = importlib.import_module(
    "forms_app.wagtail_zh.migrations.0002_chinese_title_for_wagtails_root_page"
)


def installed_apps():
    return {Path(config.path) for config in django_apps.get_app_configs()}


def test_no_string_of_an_installed_wagtail_app_is_left_in_english():
    catalogues = list(gaps_script.source_catalogues(installed_apps()))
    assert len(catalogues) >= 10  # wagtail, wagtail.admin (both domains), contrib apps, modeladmin
    missing = gaps_script.gaps(installed_apps())
    assert {domain: [e.msgid for e in entries] for domain, entries in missing.items()} == {}


def test_nor_of_any_wagtail_app():
    """Wagtail's contrib apps the demo leaves out are complete too, for a site that installs them."""
    assert gaps_script.gaps() == {}


def test_the_gap_check_finds_a_gap(tmp_path, monkeypatch):
    """The check itself: without our catalogue, Wagtail's own zh_Hans leaves strings in English."""
    monkeypatch.setattr(gaps_script, "OURS", tmp_path)
    missing = gaps_script.gaps(installed_apps())
    assert "Privacy and access" in {e.msgid for e in missing["django"]}
    assert "Write something or type ‘/’ to insert a block" in {e.msgid for e in missing["djangojs"]}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_our_catalogue_is_complete_compiled_and_keeps_placeholders(domain):
    po = polib.pofile(str(OURS / f"{domain}.po"))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(OURS / f"{domain}.mo"))}
    for entry in po:
        assert mo[(entry.msgctxt, entry.msgid)] == (entry.msgstr, entry.msgstr_plural), entry.msgid
        text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        wanted = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        assert set(PLACEHOLDER.findall(text)) == wanted, entry.msgid
        assert not re.search(r"[A-Za-z]{4,}", PLACEHOLDER.sub("", re.sub(r"<[^>]+>", "", text))) or (
            "Wagtail" in text or "JavaScript" in text or "API" in text
        ), entry.msgid


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Privacy and access", "隐私与访问"),
        ("Toggle checks", "显示/隐藏检查"),
        ("Autosave is paused", "自动保存已暂停"),
        ("Search all pages…", "搜索所有页面…"),
        ("Wagtail %(current_version)s editor guide", "Wagtail %(current_version)s 编辑指南"),
    ],
)
def test_the_admin_reads_our_translations(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


def test_plural_and_count_strings_read_in_chinese():
    with translation.override("zh-hans"):
        text = translation.ngettext(
            '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
            '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
            21,
        ) % {"total": 21, "site_name": "申报"}
        assert text == '21 个页面<span class="w-sr-only">创建于 申报</span>'


def test_the_admin_script_catalogue_carries_our_strings(client, db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)[1])
    assert catalogue["Write something or type ‘/’ to insert a block"] == "输入内容，或输入“/”插入块"
    assert catalogue["Changes have been autosaved."] == "更改已自动保存。"
    # Wagtail's own translations are still there.
    wagtails = polib.pofile(str(Path(django_apps.get_app_config("wagtailadmin").path) / WAGTAIL_JS))
    entry = next(e for e in wagtails.translated_entries() if not e.msgid_plural)
    assert catalogue[entry.msgid] == entry.msgstr


def test_wagtails_default_workflow_has_a_chinese_name(db):
    assert Workflow.objects.filter(name="审核员审批").exists()
    assert Task.objects.filter(name="审核员审批").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()


def test_a_bureaus_own_workflow_keeps_its_name_and_the_rename_goes_back(db):
    own = Workflow.objects.create(name="市局两级审核")
    migration.to_english(django_apps, None)
    assert Workflow.objects.filter(name="Moderators approval").exists()
    assert Task.objects.filter(name="Moderators approval").exists()
    migration.to_chinese(django_apps, None)
    assert Workflow.objects.filter(name="审核员审批").count() == 1
    own.refresh_from_db()
    assert own.name == "市局两级审核"


def test_wagtails_root_page_has_a_chinese_title_and_the_rename_goes_back(db):
    root = Page.get_first_root_node()
    assert (root.title, root.draft_title) == ("根页面", "根页面")
    root_migration.to_english(django_apps, None)
    root.refresh_from_db()
    assert root.title == "Root"
    root_migration.to_chinese(django_apps, None)
    root.refresh_from_db()
    assert root.title == "根页面"


def test_the_admin_header_names_its_actions_in_chinese(client, db):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "pw"))
    html = client.get("/admin/pages/").content.decode()
    assert 'aria-label="Actions"' not in html
    assert 'id="w-slim-header-buttons"' in html
