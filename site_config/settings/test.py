"""Tests: fast hashing, in-memory e-mail, throwaway media folders."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import os, private_storage

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_tmp = Path(tempfile.mkdtemp(prefix="notices-test-"))
MEDIA_ROOT = _tmp / "media"
# A task worker that a test starts is handed the test's own folder of private files.
SHENBAO_PRIVATE_MEDIA_ROOT = Path(os.environ.get("SHENBAO_PRIVATE_MEDIA_ROOT") or _tmp / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": private_storage(SHENBAO_PRIVATE_MEDIA_ROOT),
}
SHENBAO_PUBLIC_URL = os.environ.get("SHENBAO_PUBLIC_URL", "http://testserver")
WAGTAILADMIN_BASE_URL = SHENBAO_PUBLIC_URL

# Tasks run inside the request, once it commits; the tests that need a real worker start `db_worker`
# with TASKS_BACKEND=database.
if os.environ.get("TASKS_BACKEND", "immediate") == "immediate":
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
