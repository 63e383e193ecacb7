"""Create the page tree (home page, notice index, default site); safe in production."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from home.site_tree import ensure_site_tree


class Command(BaseCommand):
    help = "Create the home page, the notice index and the default site if they are missing."

    def add_arguments(self, parser):
        parser.add_argument("--hostname", default="localhost")
        parser.add_argument("--port", type=int, default=80)

    def handle(self, *args, **options):
        _home, _index, created = ensure_site_tree(options["hostname"], options["port"])
        if created:
            self.stdout.write(self.style.SUCCESS(_("Site tree created.")))
        else:
            self.stdout.write(_("Site tree already in place; nothing changed."))
