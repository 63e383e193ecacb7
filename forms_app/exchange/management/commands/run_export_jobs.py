"""The export worker: runs waiting export jobs, one at a time, until stopped (or once with --once)."""

import time

from django.core.management.base import BaseCommand

from forms_app.exchange.exports.jobs import claim_next, run


class Command(BaseCommand):
    help = "Run waiting export jobs (start one or more of these next to the web processes)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the waiting jobs, then stop")
        parser.add_argument("--idle", type=float, default=2.0, help="seconds to wait when nothing is queued")

    def handle(self, *args, once=False, idle=2.0, **options):
        while True:
            job = claim_next()
            if job is None:
                if once:
                    return
                time.sleep(idle)
                continue
            job = run(job.pk)
            self.stdout.write(f"export {job.pk}: {job.status} ({job.done}/{job.total})")
