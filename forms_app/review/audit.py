"""Recording who saw personal data in full: each unmasked view or export is one entry."""

from forms_app.review.models import AuditLogEntry


def client_ip(request):
    """Return the address the request came from (the proxy's, unless the proxy is trusted to set it)."""
    return request.META.get("REMOTE_ADDR") or None


def record(request, action, submission=None, detail=""):
    """Write one audit entry for ``request.user``."""
    return AuditLogEntry.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        submission=submission,
        detail=detail[:300],
        ip_address=client_ip(request),
    )
