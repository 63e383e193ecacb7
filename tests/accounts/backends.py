"""A sign-in backend with its own rule for permissions, as a project might add (LDAP, single sign-on)."""

from django.contrib.auth.backends import ModelBackend


class GrantsAdmin(ModelBackend):
    """Gives every active account the admin permission."""

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm == "wagtailadmin.access_admin"
