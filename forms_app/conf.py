"""The forms plugin's settings, read in one place with their defaults.

Every setting is optional, so a host site sets only what differs. The names carry the
``SHENBAO_`` prefix because a host site has settings of its own.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

DEFAULT_CJK_FONT = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
DEFAULT_SYMBOL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:8000"
LOCAL_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
AXES_CLIENT_IP = "axes.helpers.get_client_ip_address"


def private_media_root():
    """Folder of private files where ``STORAGES`` has no private entry (``SHENBAO_PRIVATE_MEDIA_ROOT``).

    By default ``private_media`` beside ``MEDIA_ROOT``, outside every public folder.
    """
    configured = getattr(settings, "SHENBAO_PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT or ".").resolve().parent / "private_media"


def private_storage_alias():
    """The ``STORAGES`` entry of private files (``SHENBAO_PRIVATE_STORAGE``, default ``"private"``)."""
    return getattr(settings, "SHENBAO_PRIVATE_STORAGE", "") or "private"


def pdf_fonts():
    """TrueType files embedded in PDFs (``SHENBAO_PDF_CJK_FONT``, ``SHENBAO_PDF_SYMBOL_FONT``)."""
    return {
        "cjk": getattr(settings, "SHENBAO_PDF_CJK_FONT", "") or DEFAULT_CJK_FONT,
        "symbols": getattr(settings, "SHENBAO_PDF_SYMBOL_FONT", "") or DEFAULT_SYMBOL_FONT,
    }


def background_stale_after():
    """Seconds of silence after which a worker counts as stopped (``SHENBAO_BACKGROUND_STALE_AFTER``)."""
    return float(getattr(settings, "SHENBAO_BACKGROUND_STALE_AFTER", 30))


def background_heartbeat():
    """Seconds between a worker's progress writes (``SHENBAO_BACKGROUND_HEARTBEAT``)."""
    return float(getattr(settings, "SHENBAO_BACKGROUND_HEARTBEAT", 1))


def is_real_host(url):
    """Whether ``url`` is an http(s) address with a host people elsewhere can reach (no localhost, no
    loopback or unspecified address)."""
    try:
        parts = urlsplit(url or "")
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or host in LOCAL_HOSTS or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (address.is_loopback or address.is_unspecified)


def configured_public_url():
    """The site's public address as the settings give it (``SHENBAO_PUBLIC_URL``), without a final slash."""
    return (getattr(settings, "SHENBAO_PUBLIC_URL", "") or "").strip().rstrip("/")


def public_url():
    """Scheme and host (and any path prefix) of the site as the public reaches it, without a final slash.

    Printed as QR codes and verification links on every PDF and Word copy, and the start of every
    absolute link in e-mails and files. ``SHENBAO_PUBLIC_URL`` (required when ``DEBUG`` is off: see
    ``check_public_url``); unset, the default Wagtail ``Site``'s root URL when that names a real host,
    else ``http://127.0.0.1:8000`` (a development server).
    """
    configured = configured_public_url()
    if configured:
        return configured
    if apps.is_installed("wagtail"):
        site = apps.get_model("wagtailcore", "Site").objects.filter(is_default_site=True).first()
        if site is not None and is_real_host(site.root_url):
            return site.root_url.rstrip("/")
    return DEVELOPMENT_PUBLIC_URL


def absolute_url(path):
    """``path`` (a site path such as ``reverse()`` gives) under the public address.

    A URL that already has a host (a page of another Wagtail site) is returned as it is.
    """
    path = path or ""
    if urlsplit(path).netloc:
        return path
    return public_url() + "/" + path.lstrip("/")


def check_public_url(app_configs=None, **kwargs):
    """System check: with ``DEBUG`` off, ``SHENBAO_PUBLIC_URL`` must name the site's real address.

    Stamped paper is checked through its QR code years later, so a copy printed with a local address
    can never be verified. The check reads the setting only (a check runs before the database is
    migrated), so the ``Site`` fallback serves development alone.
    """
    if settings.DEBUG:
        return []
    configured = configured_public_url()
    if not configured:
        return [
            checks.Error(
                _("SHENBAO_PUBLIC_URL is not set."),
                hint=_(
                    "Set it to the address the public uses for this site, e.g. https://rsj.example.gov.cn: "
                    "it is printed as the QR code and verification link on every printout and starts the "
                    "links in e-mails."
                ),
                id="shenbao.E001",
            )
        ]
    if not is_real_host(configured):
        return [
            checks.Error(
                _("SHENBAO_PUBLIC_URL (%(url)s) is not an address the public can reach.")
                % {"url": configured},
                hint=_("Give the site's real http(s) address, not localhost or 127.0.0.1."),
                id="shenbao.E002",
            )
        ]
    return []


def site_name():
    """The name e-mails sign with (Wagtail's ``WAGTAIL_SITE_NAME``)."""
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "Wagtail"


def import_max_rows():
    """Most data rows an imported sheet may have (``SHENBAO_IMPORT_MAX_ROWS``, default 20,000)."""
    return int(getattr(settings, "SHENBAO_IMPORT_MAX_ROWS", 20_000))


def import_max_unpacked_bytes():
    """Most bytes an imported file may unpack to (``SHENBAO_IMPORT_MAX_UNPACKED_MB``, default 100 MB)."""
    return int(float(getattr(settings, "SHENBAO_IMPORT_MAX_UNPACKED_MB", 100)) * 1024 * 1024)


def max_drafts_per_account():
    """Most applications one account may have in progress (``SHENBAO_MAX_DRAFTS_PER_ACCOUNT``, default 50).

    Submitted applications do not count. 0 sets no cap.
    """
    return int(getattr(settings, "SHENBAO_MAX_DRAFTS_PER_ACCOUNT", 50) or 0)


def max_upload_bytes_per_account():
    """Most bytes of files one account may keep (``SHENBAO_MAX_UPLOAD_BYTES_PER_ACCOUNT``, default 500 MB).

    Uploads in drafts and submissions and an applicant's stamped scans count. 0 sets no cap.
    """
    return int(getattr(settings, "SHENBAO_MAX_UPLOAD_BYTES_PER_ACCOUNT", 500 * 1024 * 1024) or 0)


def staff_idle_minutes():
    """Minutes of inactivity after which a staff session ends (``SHENBAO_STAFF_IDLE_MINUTES``, 30; 0: off)."""
    return float(getattr(settings, "SHENBAO_STAFF_IDLE_MINUTES", 30))


def staff_require_two_factor():
    """Whether staff must give an authenticator app's code to use the admin.

    ``SHENBAO_STAFF_REQUIRE_TWO_FACTOR``, off by default; the demo site's production settings turn it on.
    """
    return bool(getattr(settings, "SHENBAO_STAFF_REQUIRE_TWO_FACTOR", False))


def verify_rate_limit():
    """``(checks, seconds)``: how often one address may use the verification page, and per how long.

    ``SHENBAO_VERIFY_RATE_LIMIT`` (default 30; 0 for no limit) per ``SHENBAO_VERIFY_RATE_WINDOW``
    seconds (default 300).
    """
    return (
        int(getattr(settings, "SHENBAO_VERIFY_RATE_LIMIT", 30) or 0),
        max(1, int(getattr(settings, "SHENBAO_VERIFY_RATE_WINDOW", 300))),
    )


def client_ip(request):
    """The visitor's address, found as the site finds it for sign-in throttling.

    ``SHENBAO_CLIENT_IP_CALLABLE`` (a dotted path or a callable taking the request) if set; else
    django-axes' own lookup when it is installed (which follows ``AXES_CLIENT_IP_CALLABLE`` and its
    proxy settings); else ``REMOTE_ADDR``.
    """
    found = getattr(settings, "SHENBAO_CLIENT_IP_CALLABLE", None)
    if not found and apps.is_installed("axes"):
        found = AXES_CLIENT_IP
    if not found:
        return request.META.get("REMOTE_ADDR", "")
    return (import_string(found) if isinstance(found, str) else found)(request) or ""


def purge_drafts_after_days():
    """Days after its last save that an unsubmitted draft is deleted (``SHENBAO_PURGE_DRAFTS_AFTER_DAYS``,
    default 365; 0: never)."""
    return int(getattr(settings, "SHENBAO_PURGE_DRAFTS_AFTER_DAYS", 365) or 0)


def purge_orphan_uploads_after_days():
    """Days after which an upload no draft or submission holds is deleted
    (``SHENBAO_PURGE_ORPHAN_UPLOADS_AFTER_DAYS``, default 7; 0: never)."""
    return int(getattr(settings, "SHENBAO_PURGE_ORPHAN_UPLOADS_AFTER_DAYS", 7) or 0)


def purge_import_files_after_days():
    """Days after its upload that an import's file and checked rows are deleted, the import's record kept
    (``SHENBAO_PURGE_IMPORT_FILES_AFTER_DAYS``, default 30; 0: never)."""
    return int(getattr(settings, "SHENBAO_PURGE_IMPORT_FILES_AFTER_DAYS", 30) or 0)
