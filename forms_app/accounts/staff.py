"""Who counts as staff: anyone who may open the Wagtail admin, whatever their ``is_staff`` flag.

Reviewers are given the admin through their desk's group permission (``wagtailadmin.access_admin``),
not through ``is_staff``; the protections meant for staff (an idle timeout, a second factor) must
reach them as much as administrators. Every request asks this of its visitor, applicants included, so
the permission is looked up by itself in one query when the sign-in backends are Django's
``ModelBackend`` (whose rule that query is), instead of loading every permission the account has.
"""

from django.contrib.auth import get_backends
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

ADMIN_APP, ADMIN_CODENAME = "wagtailadmin", "access_admin"


def is_staff_member(user):
    """Whether ``user`` is a signed-in, active account that may open the admin."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Kept on the account for the rest of the request (``request.user`` is a lazy proxy, so no ``__dict__``).
    known = getattr(user, "_shenbao_may_open_admin", None)
    if known is None:
        known = user._shenbao_may_open_admin = may_open_admin(user)
    return known


def may_open_admin(user):
    """Whether ``user`` holds the admin permission, in one query when ModelBackend's rule is the only one."""
    if not all(type(backend).has_perm is ModelBackend.has_perm for backend in get_backends()):
        return user.has_perm(f"{ADMIN_APP}.{ADMIN_CODENAME}")
    return (
        Permission.objects.filter(content_type__app_label=ADMIN_APP, codename=ADMIN_CODENAME)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )
