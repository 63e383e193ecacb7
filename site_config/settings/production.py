"""Production: refuses to start without a secret key; secure by default.

Set at least SECRET_KEY, DATABASE_URL (PostgreSQL), ALLOWED_HOSTS, SHENBAO_PUBLIC_URL and the
EMAIL_* variables. Put the site behind HTTPS; see README.md.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, STORAGES, env_bool, os

DEBUG = False

# The same bar as Django's security.W009 deploy check, enforced at start-up.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters in production, e.g. "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

# The site's public address, printed on every printout: a missing or local one fails the system checks.
SHENBAO_PUBLIC_URL = os.environ.get("SHENBAO_PUBLIC_URL", "").strip().rstrip("/")
WAGTAILADMIN_BASE_URL = SHENBAO_PUBLIC_URL

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail relaxes this to SAMEORIGIN on its own preview views only.
X_FRAME_OPTIONS = "DENY"
# Staff give a code from an authenticator app at each sign-in, unless the site says otherwise.
SHENBAO_STAFF_REQUIRE_TWO_FACTOR = env_bool("SHENBAO_STAFF_REQUIRE_TWO_FACTOR", True)
