"""Settings shared by every environment.

Everything that differs between machines comes from environment variables, so
one code base runs in development, tests and production unchanged.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from site_config.content_security import site_policy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
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
    # Completes Wagtail's Simplified Chinese: before the wagtail.* apps, so its translations win.
    "forms_app.wagtail_zh",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "formtools",
    "django_tasks",
    "django_tasks_db",
    "import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files go without it; every page, the admin's included, gets the policy.
    "site_config.content_security_middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the visitor chose English with the language switch: the
    # browser's Accept-Language is deliberately ignored (see the middleware).
    "site_config.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "forms_app.accounts.middleware.StaffIdleTimeoutMiddleware",
    # Tells whether the session's user has given a one-time code; then, when the site requires one,
    # staff who have not are kept to the two-factor pages.
    "django_otp.middleware.OTPMiddleware",
    "forms_app.accounts.two_factor.middleware.StaffTwoFactorMiddleware",
    # Some of Wagtail's admin views fail on hostile input; this answers them 400 or 404 first.
    "forms_app.desk.middleware.AdminInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Widgets render from templates/, so the builder's fields have accessible markup.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite by default so that a fresh machine runs with nothing else installed;
# production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A kept connection the database has dropped (a restart, a failover) is replaced before use,
        # instead of failing the next request that draws it.
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_BEHIND_PGBOUNCER"):
    # PgBouncer in transaction pooling hands each transaction to any server connection, so the
    # server-side cursors that exports stream with cannot live across them; Django then reads in chunks.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and wait for it, so two
    # simultaneous submissions queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Content-Security-Policy (site_config/content_security.py): scripts, styles, fonts and images from the
# site itself (plus CSP_EXTRA_SOURCES, e.g. a CDN serving static files), nothing inline on the public site.
# CSP_REPORT_ONLY=1 only reports what would be blocked, to CSP_REPORT_URI when set.
CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = site_policy(
    report_only=env_bool("CSP_REPORT_ONLY", False),
    extra_sources=env_list("CSP_EXTRA_SOURCES"),
    report_uri=os.environ.get("CSP_REPORT_URI", ""),
)

# Applicants sign in with their e-mail address; the backend is a ModelBackend,
# so editors' usernames keep working in the Wagtail admin.
# django-axes first: it refuses a sign-in from an address that failed too often before any password is
# checked, on the applicants' page and the admin's alike.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "forms_app.accounts.backends.EmailBackend"]
# An account is locked from one address after this many failed sign-ins, for this long; a bureau's staff
# often share one address, so the pair is counted, not the address alone.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "sign_in_locked.html"
AXES_VERBOSE = False
# A staff member's session ends this long after their last request.
SHENBAO_STAFF_IDLE_MINUTES = float(os.environ.get("SHENBAO_STAFF_IDLE_MINUTES", "30"))
# Staff (reviewers and administrators) give a code from an authenticator app after their password
# before any admin page opens (TOTP, django-otp). Off here; production turns it on unless told not to.
SHENBAO_STAFF_REQUIRE_TWO_FACTOR = env_bool("SHENBAO_STAFF_REQUIRE_TWO_FACTOR", False)


def totp_issuer(device):
    """The name an authenticator app shows beside the code: the site's."""
    return str(WAGTAIL_SITE_NAME)


OTP_TOTP_ISSUER = totp_issuer
LOGIN_URL = "shenbao_accounts:login"
LOGIN_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The bureaus work in Simplified Chinese and Beijing time; English is offered
# through the language switch.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# The plugin's settings (forms_app/conf.py, notices/conf.py hold their defaults).
# Private files (uploads, scans, exports, imports, batch lists) live here, outside MEDIA_ROOT, served only
# through permission-checked views; STORAGES["private"] below may put them in an object store instead.
SHENBAO_PRIVATE_MEDIA_ROOT = Path(os.environ.get("SHENBAO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))


def private_storage(root):
    """The ``STORAGES`` entry of private files: a folder, or an S3-compatible bucket (PRIVATE_STORAGE=s3)."""
    if os.environ.get("PRIVATE_STORAGE", "files") != "s3":
        return {
            "BACKEND": "forms_app.applications.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        }
    # django-storages' S3 backend speaks to AWS, MinIO, Aliyun OSS, Tencent COS…; files are private
    # (no ACL, signed requests) and read back through the site's own permission-checked views.
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "location": os.environ.get("AWS_LOCATION", "private"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "signature_version": "s3v4",
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": private_storage(SHENBAO_PRIVATE_MEDIA_ROOT),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("Calls for Applications")
# The one address the public reaches the site at: QR codes and verification links on printouts, links in
# e-mails. Required with DEBUG off (system check shenbao.E001); Wagtail's admin e-mails use it too.
SHENBAO_PUBLIC_URL = os.environ.get("SHENBAO_PUBLIC_URL", "").strip().rstrip("/")
WAGTAILADMIN_BASE_URL = SHENBAO_PUBLIC_URL or "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = False
# No Gravatar pictures in the admin (initials instead): they would send a hash of each staff member's
# e-mail address to a third party, and the Content-Security-Policy loads images from the site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask Wagtail's release server for a newer version: no admin page sends a
# request to another host (the site's operators follow releases through their own channel).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend, indexing and querying Chinese as the public notice search does.
        "BACKEND": "notices.search_backend",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "doc", "docx", "odt", "pdf", "rtf", "txt", "xls", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# One address may check printouts on the public verification page this many times per window (seconds).
SHENBAO_VERIFY_RATE_LIMIT = int(os.environ.get("SHENBAO_VERIFY_RATE_LIMIT", "30"))
SHENBAO_VERIFY_RATE_WINDOW = int(os.environ.get("SHENBAO_VERIFY_RATE_WINDOW", "300"))

# A notice is "closing soon" once its deadline is this many days away or less.
SHENBAO_NOTICES_CLOSING_SOON_DAYS = int(os.environ.get("SHENBAO_NOTICES_CLOSING_SOON_DAYS", "7"))
SHENBAO_NOTICES_PER_PAGE = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background work (exports, imports, batch lists, e-mails; Wagtail's own tasks) runs on Django's task
# framework. TASKS_BACKEND=database (the default) keeps tasks in the database for `manage.py db_worker`,
# for one server; TASKS_BACKEND=rq puts them on Redis (REDIS_URL) for
# `manage.py rqworker default --job-class django_tasks_rq.Job`
# on any number of servers; TASKS_BACKEND=immediate runs them inside the request.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
# A task's row shows "stopped" (with a retry button) when its worker has been silent this long.
SHENBAO_BACKGROUND_STALE_AFTER = int(os.environ.get("SHENBAO_BACKGROUND_STALE_AFTER", "30"))
# A running task writes its progress and heartbeat this often (seconds).
SHENBAO_BACKGROUND_HEARTBEAT = float(os.environ.get("SHENBAO_BACKGROUND_HEARTBEAT", "1"))
# An imported file is refused before it is parsed when it unpacks beyond this, or has more rows.
SHENBAO_IMPORT_MAX_UNPACKED_MB = float(os.environ.get("SHENBAO_IMPORT_MAX_UNPACKED_MB", "100"))
SHENBAO_IMPORT_MAX_ROWS = int(os.environ.get("SHENBAO_IMPORT_MAX_ROWS", "20000"))
# One account may keep this many applications in progress and this many bytes of files (0: no cap).
SHENBAO_MAX_DRAFTS_PER_ACCOUNT = int(os.environ.get("SHENBAO_MAX_DRAFTS_PER_ACCOUNT", "50"))
SHENBAO_MAX_UPLOAD_BYTES_PER_ACCOUNT = int(
    os.environ.get("SHENBAO_MAX_UPLOAD_BYTES_PER_ACCOUNT", str(500 * 1024 * 1024))
)
# purge_personal_data deletes unsubmitted drafts, orphan uploads and import files so old (days; 0: never).
SHENBAO_PURGE_DRAFTS_AFTER_DAYS = int(os.environ.get("SHENBAO_PURGE_DRAFTS_AFTER_DAYS", "365"))
SHENBAO_PURGE_ORPHAN_UPLOADS_AFTER_DAYS = int(os.environ.get("SHENBAO_PURGE_ORPHAN_UPLOADS_AFTER_DAYS", "7"))
SHENBAO_PURGE_IMPORT_FILES_AFTER_DAYS = int(os.environ.get("SHENBAO_PURGE_IMPORT_FILES_AFTER_DAYS", "30"))

# TrueType fonts embedded in PDFs (forms_app/printing/pdf.py): Chinese text, and the ☑/□ boxes.
# Empty means Debian's fonts-arphic-gbsn00lp and fonts-dejavu-core.
SHENBAO_PDF_CJK_FONT = os.environ.get("SHENBAO_PDF_CJK_FONT", "")
SHENBAO_PDF_SYMBOL_FONT = os.environ.get("SHENBAO_PDF_SYMBOL_FONT", "")
