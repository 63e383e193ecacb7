"""Load the demo site: page tree, both seed notices and demo accounts. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand

from home.demo import load_demo


class Command(BaseCommand):
    help = (
        "Build the page tree and load the Shanghai 2022 and Zhejiang 2024 seed notices. "
        "Demo accounts are created in development only (DEBUG) unless --accounts is given."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--accounts", action="store_true", help="Create demo accounts even without DEBUG.")
        group.add_argument("--no-accounts", action="store_true", help="Do not create demo accounts.")

    def handle(self, *args, **options):
        with_accounts = options["accounts"] or (settings.DEBUG and not options["no_accounts"])
        load_demo(with_accounts=with_accounts, log=lambda line: self.stdout.write(line))
        if not with_accounts:
            self.stdout.write("Demo accounts skipped (DEBUG is off).")
