"""``manage.py reset_two_factor <username>``: forget a staff member's authenticator app (a lost phone).

Their next sign-in asks them to enrol a new one. Only someone with shell access to the server can
run it, as only they can vouch for who lost the phone.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    """Delete every authenticator device of one account."""

    help = "Forget a staff member's authenticator app, so that their next sign-in enrols a new one."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account's username (staff sign in with it)")

    def handle(self, *args, username, **options):
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.get_by_natural_key(username)
        except UserModel.DoesNotExist:
            raise CommandError(f"No account has the username {username!r}.") from None
        deleted, _by_model = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(
            f"Forgot {deleted} authenticator device(s) of {username}; they enrol again at next sign-in."
        )
