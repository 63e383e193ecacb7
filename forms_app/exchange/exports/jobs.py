"""Running exports in the background.

``enqueue`` hands a job to the runner the ``SHENBAO_EXPORT_JOBS_RUNNER`` setting
names:

- ``"queue"`` (production): the job waits in the database; ``manage.py
  run_export_jobs`` workers claim jobs with ``SELECT … FOR UPDATE SKIP LOCKED``
  on PostgreSQL, so several workers never take the same one;
- ``"thread"`` (development): a thread of the web process runs it once the
  request's transaction commits;
- ``"inline"`` (tests): it runs at once, inside the request.
"""

import logging
import tempfile
import threading

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from forms_app import conf
from forms_app.applications.models import Submission
from forms_app.exchange.exports.export import FORMATS, export_submissions
from forms_app.exchange.models import ExportJob
from forms_app.review.access import ReviewerAccess

logger = logging.getLogger(__name__)


def enqueue(job):
    """Start ``job`` as the configured runner does."""
    runner = conf.export_jobs_runner()
    if runner == "inline":
        run(job.pk)
    elif runner == "thread":
        transaction.on_commit(
            lambda: threading.Thread(target=run_in_thread, args=(job.pk,), daemon=True).start()
        )


def run_in_thread(job_id):
    try:
        run(job_id)
    finally:
        connection.close()


def claim_next():
    """Take the oldest waiting job for this worker, or return None."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(status=ExportJob.Status.QUEUED)
            .order_by("pk")
            .first()
        )
        if job is None:
            return None
        job.status = ExportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
        return job


def run(job_id):
    """Write the job's file; record progress, the outcome and any error."""
    job = ExportJob.objects.select_related("user", "page").get(pk=job_id)
    if job.is_finished:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=timezone.now())
    access = ReviewerAccess(job.user)  # as the user stands now, not when they asked
    queryset = access.submissions(Submission.objects.filter(page=job.page, pk__in=job.submission_ids))
    masked = not (job.unmasked and access.may_see_personal_data)

    def progress(done, total):
        ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        with tempfile.TemporaryFile() as output:
            written = export_submissions(queryset, job.format, output, masked=masked, progress=progress)
            output.seek(0)
            extension = FORMATS[written][1]
            job.file.save(f"{job.page.slug}-{job.pk}.{extension}", File(output), save=False)
        job.refresh_from_db(fields=["done", "total"])
        job.file_format = written
        job.status = ExportJob.Status.DONE
    except Exception as error:  # the reviewer sees that it failed; the log has the traceback
        logger.exception("Export job %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.error = str(error)[:1000]
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "file_format", "status", "error", "finished_at", "done", "total"])
    return job
