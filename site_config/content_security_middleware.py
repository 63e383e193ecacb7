"""django-csp's middleware, with the narrower exception Wagtail's admin needs (see ``content_security``)."""

from csp.middleware import CSPMiddleware
from django.urls import reverse

from site_config.content_security import ADMIN_ALLOWANCES, ADMIN_REPLACEMENTS


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Send the site's policy on every response, relaxed under the admin's URLs only.

    The exception follows the admin wherever it is mounted (the URL of its dashboard) but leaves out
    its sign-in page, which needs no inline code and is the page an attacker can reach. A view that
    sets its own policy with django-csp's decorators keeps it.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None and parts.update is None and parts.replace is None and in_admin(request):
            parts.update, parts.replace = ADMIN_ALLOWANCES, ADMIN_REPLACEMENTS
        return parts


def in_admin(request):
    """Whether the request is for one of the admin's pages, its sign-in page aside."""
    path = request.path_info
    return path.startswith(reverse("wagtailadmin_home")) and path != reverse("wagtailadmin_login")
