#!/usr/bin/env python
"""List the admin strings of the installed Wagtail that no Simplified Chinese catalogue translates.

Wagtail's zh_Hans catalogues leave out what its translators have not done yet; forms_app/wagtail_zh
fills the gaps. After upgrading Wagtail or wagtail-modeladmin, run this from the project's root with the
project's Python and add what it prints to forms_app/wagtail_zh/locale/zh_Hans/LC_MESSAGES/<domain>.po
(then msgfmt it, as `make messages` does). It exits 1 while anything is left.
"""

import sys
from pathlib import Path

import polib
import wagtail
import wagtail_modeladmin

OURS = Path(__file__).resolve().parent.parent / "forms_app/wagtail_zh/locale/zh_Hans/LC_MESSAGES"


def source_catalogues(installed=None):
    """Yield ``(domain, English catalogue)`` of every Wagtail app the admin may show (of ``installed``)."""
    for package in (wagtail, wagtail_modeladmin):
        for path in sorted(Path(package.__file__).parent.rglob("locale/en/LC_MESSAGES/*.po")):
            if installed is None or path.parent.parent.parent.parent in installed:
                yield path.stem, path


def translated(path):
    """The ``(context, msgid)`` pairs a catalogue translates (neither empty nor fuzzy)."""
    if not path.exists():
        return set()
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if e.translated() and not e.fuzzy}


def gaps(installed=None):
    """Return ``{domain: [entry, …]}``: Wagtail's strings neither Wagtail's zh_Hans nor ours translate.

    ``installed``, the folders of a site's installed apps, limits the catalogues to those the site
    loads (by default all of them).
    """
    done = {}
    for domain, english in source_catalogues(installed):
        done.setdefault(domain, translated(OURS / f"{domain}.po"))
        done[domain] |= translated(Path(str(english).replace("/en/", "/zh_Hans/")))
    missing, seen = {}, set()
    for domain, english in source_catalogues(installed):
        for entry in polib.pofile(str(english)):
            key = (domain, entry.msgctxt, entry.msgid)
            if entry.obsolete or key in seen or key[1:] in done[domain]:
                continue
            seen.add(key)
            missing.setdefault(domain, []).append(entry)
    return missing


if __name__ == "__main__":
    missing = gaps()
    for domain, entries in missing.items():
        print(f"# {domain}.po: {len(entries)} untranslated")
        for entry in entries:
            print(entry)
    sys.exit(1 if missing else 0)
