"""Settings of the deadline-rush benchmark: production settings, served over loopback HTTP.

``deadline_rush.py`` sets the environment before anything imports this module:
SECRET_KEY (random, per run), DATABASE_URL (a throwaway PostgreSQL database),
MEDIA_ROOT and SHENBAO_PRIVATE_MEDIA_ROOT (a temporary folder). Everything else is the
production configuration, minus what plain HTTP on 127.0.0.1 cannot do
(HTTPS redirect, secure cookies, HSTS) and minus collectstatic's manifest.
"""

import os

from site_config.settings.production import *  # noqa: F403
from site_config.settings.production import DATABASES, MIDDLEWARE

if not str(DATABASES["default"].get("NAME", "")).startswith("shenbao_bench"):
    # This database is dropped at every run: never point the bench at a real one.
    raise RuntimeError("bench.settings needs DATABASE_URL to name a shenbao_bench… database")

ROOT_URLCONF = "bench.urls"
# Each response says which worker served it: the report counts requests per worker.
MIDDLEWARE = [*MIDDLEWARE, "bench.middleware.worker_header"]
ALLOWED_HOSTS = ["127.0.0.1"]
DEBUG = False

# Loopback HTTP: no TLS in front of gunicorn here.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False

# No collectstatic before a bench run; static files are not requested anyway.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SHENBAO_PUBLIC_URL = os.environ.get("SHENBAO_PUBLIC_URL", "https://bench.example.gov.cn")
WAGTAILADMIN_BASE_URL = SHENBAO_PUBLIC_URL

# Quiet, but server errors (tracebacks of 500s) still reach gunicorn's error log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
