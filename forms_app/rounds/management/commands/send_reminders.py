"""E-mail reminders to organisations that have not submitted, N days before their deadline.

    manage.py send_reminders --days 3 [--region 330100] [--form 42]

Run it daily (cron or a scheduler). Each organisation is reminded at most once a day per
form, whoever sends (this command or the admin button), and each reminder is logged.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from forms_app.accounts.models import Organisation
from forms_app.applications.models import ApplicationFormPage
from forms_app.builder.models import Region
from forms_app.review.access import subtree_q
from forms_app.rounds.deadlines import send_reminders


class Command(BaseCommand):
    help = "E-mail reminders to organisations with a draft but no submission, or expected and not started."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="remind when the deadline is this close")
        parser.add_argument("--region", help="only organisations in this region (code) and below")
        parser.add_argument("--form", type=int, help="only this form page (id)")

    def handle(self, *args, days, region=None, form=None, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        organisations = Organisation.objects.all()
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                raise CommandError(f"No region with the code {region}.")
            organisations = organisations.filter(subtree_q(found))
        pages = ApplicationFormPage.objects.live().specific()
        if form:
            pages = pages.filter(pk=form)
        now = timezone.now()
        total = 0
        for page in pages:
            if not page.is_open(now) and not page.extensions.filter(closes_at__gt=now).exists():
                continue
            sent = send_reminders(page, organisations, days, now=now)
            total += len(sent)
            if sent:
                self.stdout.write(f"{page.title}: {len(sent)} reminded")
        self.stdout.write(f"{total} reminders sent")
