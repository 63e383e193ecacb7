"""Purge personal data that is kept no longer: old drafts, orphan uploads, import files; anonymise old rounds.

    manage.py purge_personal_data [--dry-run]

Run it daily (cron or a scheduler). The ages are settings (``SHENBAO_PURGE_*``), the years a form's
submissions are kept are a field of each form page; see ``forms_app/rounds/retention.py``. Each run
(not a dry one) is written to the audit log.
"""

from django.core.management.base import BaseCommand

from forms_app.rounds.retention import purge


class Command(BaseCommand):
    help = "Delete old drafts, orphan uploads and import files, and anonymise submissions kept long enough."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be purged")

    def handle(self, *args, dry_run=False, **options):
        outcome = purge(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        for line in outcome.lines():
            self.stdout.write(line)
