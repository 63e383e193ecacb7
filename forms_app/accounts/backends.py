"""Signing in with an e-mail address as well as a username."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """ModelBackend that also accepts the account's e-mail address, in any case.

    Applicants know their address, not the username derived from it, and type
    it with whatever capitals their phone adds. Editors keep signing in to the
    Wagtail admin with their username, which is tried first and exactly, as
    ModelBackend does. Inactive accounts are refused, as ModelBackend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        UserModel = get_user_model()
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = self.find_user(username)
        if user is None:
            # Hash anyway, so the time taken does not tell whether the account exists.
            UserModel().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in account of a request, read with its applicant profile (one query, not two).

        Nearly every page an applicant opens asks for their unit (the header, the wizard's membership
        check); accounts without a profile (staff) read as such without a query.
        """
        UserModel = get_user_model()
        user = UserModel._default_manager.select_related("applicant_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def find_user(login):
        """The user whose username is ``login`` exactly, else whose e-mail matches it in any case.

        Two accounts sharing an address (possible for accounts made in the
        admin) are ambiguous, so neither is returned.
        """
        UserModel = get_user_model()
        manager = UserModel._default_manager
        login = str(login).strip()
        try:
            return manager.get_by_natural_key(login)
        except UserModel.DoesNotExist:
            pass
        if "@" not in login:
            return None
        matches = list(manager.filter(**{f"{UserModel.get_email_field_name()}__iexact": login})[:2])
        return matches[0] if len(matches) == 1 else None
