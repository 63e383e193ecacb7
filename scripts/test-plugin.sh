#!/usr/bin/env bash
# The plugin installed into a brand-new Wagtail project, as the README's "Add it to an existing
# Wagtail site" says: build the wheel, `wagtail start` a project in a temporary folder, install the
# wheel into a virtualenv of its own (its dependencies come from the index, so a missing one fails
# here), add the apps, URLs and settings, migrate, then fill and export a form (plugin_smoke.py).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/shenbao-plugin.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "test-plugin: building the wheel"
"$PYTHON" -m pip wheel --no-deps --quiet --wheel-dir "$WORK/dist" "$ROOT"
rm -rf "$ROOT/build" "$ROOT"/*.egg-info
wheel=$(ls "$WORK"/dist/wagtail_shenbao-*.whl)

echo "test-plugin: installing $(basename "$wheel") into a new virtualenv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "$wheel" "django-tasks-db[compat]>=0.13,<0.14"

echo "test-plugin: a new Wagtail project"
mkdir "$WORK/hostsite"
"$WORK/venv/bin/wagtail" start hostsite "$WORK/hostsite" >/dev/null
cd "$WORK/hostsite"

# What the README tells a site to add, and nothing more.
cat >> hostsite/settings/base.py <<'SETTINGS'

# --- wagtail-shenbao ---
INSTALLED_APPS = [
    "notices",
    "forms_app.background",
    "forms_app.builder",
    "forms_app.accounts",
    "forms_app.applications",
    "forms_app.review",
    "forms_app.printing",
    "forms_app.exchange",
    "forms_app.rounds",
    "forms_app.desk",
    "forms_app.wagtail_zh",
    *INSTALLED_APPS,
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail_modeladmin",
    "formtools",
    "import_export",
    "django_tasks",
    "django_tasks_db",
]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
AUTHENTICATION_BACKENDS = ["forms_app.accounts.backends.EmailBackend"]
LOGIN_URL = "shenbao_accounts:login"
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
SHENBAO_PRIVATE_MEDIA_ROOT = BASE_DIR / "private_media"
SHENBAO_PUBLIC_URL = "https://rsj.example.gov.cn"
SETTINGS

"$WORK/venv/bin/python" - <<'URLS'
from pathlib import Path

urls = Path("hostsite/urls.py")
text = urls.read_text()
anchor = 'path("search/", search_views.search, name="search"),'
assert anchor in text, "wagtail start's urls.py changed: update scripts/test-plugin.sh"
text = text.replace(
    anchor,
    anchor
    + '\n    path("accounts/", include("forms_app.accounts.urls")),'
    + '\n    path("applications/", include("forms_app.urls")),',
)
admin = 'path("admin/", include(wagtailadmin_urls)),'
assert admin in text, "wagtail start's urls.py changed: update scripts/test-plugin.sh"
text = text.replace(admin, 'path("admin/", include("forms_app.wagtail_zh.urls")),\n    ' + admin)
urls.write_text(text)
URLS

export DJANGO_SETTINGS_MODULE=hostsite.settings.dev
"$WORK/venv/bin/python" manage.py check --fail-level WARNING
"$WORK/venv/bin/python" manage.py migrate --noinput >/dev/null
"$WORK/venv/bin/python" manage.py makemigrations --check --dry-run >/dev/null
PYTHONPATH="$WORK/hostsite" "$WORK/venv/bin/python" "$ROOT/scripts/plugin_smoke.py"
