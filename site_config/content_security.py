"""The site's Content-Security-Policy: what a page may load, and the one exception Wagtail's admin needs.

The public site loads scripts, styles, fonts and images from its own origin only, so markup that slips
into a page (an applicant's answer, a notice's text, an uploaded file's name) can neither run script nor
restyle the page to mislead. Nothing may frame the site, post its forms elsewhere or change its base URL.

This module only builds dictionaries, so the settings can import it; django-csp reads them
(``CONTENT_SECURITY_POLICY`` and ``CONTENT_SECURITY_POLICY_REPORT_ONLY``) and
``site_config.content_security_middleware`` adds the admin's exception.
"""

from csp.constants import NONE, SELF, UNSAFE_INLINE

# The directives extra sources (a CDN serving STATIC_URL or MEDIA_URL) are added to.
CDN_DIRECTIVES = ("script-src", "style-src", "img-src", "font-src")

# Added to the policy under Wagtail's admin, and only there (its sign-in page aside). Wagtail 8 still
# needs inline code; with the public policy, Chromium blocks on a page's editor:
# - inline <script> elements of Wagtail's own templates: InlinePanel and MultipleChooserPanel set
#   themselves up with a script after their markup, the date, time and date-time widgets call
#   initDateChooser and its siblings, choosers call `new DocumentChooser(...)`; jQuery (vendor.js) runs
#   the scripts of the panels it inserts. Without them a notice's deadline cannot be picked and
#   attachments cannot be added. Hence script-src 'unsafe-inline'.
# - <style> elements that vendor.js inserts for Draftail and the other React parts, and style attributes
#   its scripts write. Hence style-src 'unsafe-inline'.
# Wagtail's issue "CSP compatibility issues" (wagtail#1288) tracks the work; drop these once it is done.
# Nothing in Wagtail 8's admin needs 'unsafe-eval' (tests/browser/test_content_security_policy.py).
# No nonce is used: a nonce in a directive makes browsers ignore 'unsafe-inline' there.
# Besides: the preview panel shows the page being edited in a frame of the admin itself, hence
# frame-ancestors 'self'; image uploads are previewed from blob: URLs before they are sent. Wagtail's
# update check, which asked its release server, is off (WAGTAIL_ENABLE_UPDATE_CHECK): nothing else to allow.
# Our own admin templates (desk, builder, dashboard) add no inline script or style: a test holds them to it.
ADMIN_ALLOWANCES = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
}
ADMIN_REPLACEMENTS = {"frame-ancestors": [SELF]}


def directives(extra_sources=(), report_uri=""):
    """The public site's directives, with ``extra_sources`` allowed for scripts, styles, images and fonts."""
    extra = list(extra_sources)
    policy = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    for directive in CDN_DIRECTIVES:
        policy[directive] = policy[directive] + extra
    if report_uri:
        policy["report-uri"] = report_uri
    return policy


def site_policy(report_only=False, extra_sources=(), report_uri=""):
    """``(CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY)`` for django-csp.

    Report-only sends the same policy under the report-only header, so a site can watch what it
    would block (``report_uri`` collects the reports) before enforcing it.
    """
    policy = {"DIRECTIVES": directives(extra_sources, report_uri)}
    return (None, policy) if report_only else (policy, None)
