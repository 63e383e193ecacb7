"""Who counts as staff: anyone who may open the Wagtail admin, whatever their ``is_staff`` flag.

Reviewers are given the admin through their desk's group permission (``wagtailadmin.access_admin``),
not through ``is_staff``; the protections meant for staff (an idle timeout, a second factor) must
reach them as much as administrators.
"""


def is_staff_member(user):
    """Whether ``user`` is a signed-in, active account that may open the admin."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")
