"""Simplified Chinese by default, English on request, and a complete catalogue."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tests.html import soup, text_of

ROOT = Path(__file__).resolve().parent.parent.parent
PLUGIN_APPS = [
    "notices",
    "forms_app/builder",
    "forms_app/accounts",
    "forms_app/applications",
    "forms_app/review",
    "forms_app/printing",
    "forms_app/exchange",
    "forms_app/rounds",
    "forms_app/desk",
]
CATALOGUES = [ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES" for app in ["", *PLUGIN_APPS]]


def test_chinese_by_default_even_for_an_english_browser(client, site_tree):
    response = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = soup(response)
    assert page.html["lang"] == "zh-Hans"
    assert page.select_one("label[for=id_q]").get_text() == "搜索通知"
    assert response["Content-Language"] == "zh-hans"


def test_english_switch(client, site_tree):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/notices/"})
    assert response.status_code == 302 and response["Location"] == "/notices/"
    page = soup(client.get("/notices/"))
    assert page.html["lang"] == "en"
    assert page.select_one("label[for=id_q]").get_text() == "Search notices"
    pressed = page.select_one(".language-switch button[aria-pressed=true]")
    assert pressed["value"] == "en"
    # And back.
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert soup(client.get("/notices/")).html["lang"] == "zh-Hans"


def test_language_switch_needs_csrf(site_tree):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403


def test_unknown_language_cookie_falls_back_to_chinese(client, site_tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert soup(client.get("/")).html["lang"] == "zh-Hans"


def catalogue_id(path):
    return str(path.parent.parent.parent.relative_to(ROOT)) or "site"


@pytest.mark.parametrize("locale", CATALOGUES, ids=catalogue_id)
def test_catalogue_is_complete_and_compiled(locale):
    po = polib.pofile(str(locale / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 10
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(locale / "django.mo"))
    }
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in mo, (
            f"django.mo is stale: run `make messages` ({entry.msgid!r})"
        )
        assert mo[(entry.msgctxt, entry.msgid)][0] == entry.msgstr, entry.msgid


@pytest.mark.parametrize("path", ["/", "/notices/"])
def test_no_untranslated_interface_text_in_chinese(client, site_tree, path):
    """Interface strings a reader sees in Chinese contain no stray English."""
    page = soup(client.get(path))
    for node in page.select("main label, main button, main h2, .site-nav a"):
        text = text_of(node)
        assert not any("a" <= ch.lower() <= "z" for ch in text), text


def test_every_plugin_app_carries_its_own_catalogue():
    """The site's catalogue holds only the demo's strings; a host site gets the plugin's from the apps."""
    site = {e.msgid for e in polib.pofile(str(CATALOGUES[0] / "django.po"))}
    plugin = set()
    for locale in CATALOGUES[1:]:
        plugin |= {e.msgid for e in polib.pofile(str(locale / "django.po"))}
    assert "Search notices" in plugin and "Search notices" not in site
    assert "Summary list columns" in plugin


def test_plugin_reads_chinese_without_the_site_catalogue(settings):
    settings.LOCALE_PATHS = []
    with translation.override("zh-hans"):
        assert translation.gettext("Search notices") == "搜索通知"
        assert translation.gettext("Review desk") == "审核台"
