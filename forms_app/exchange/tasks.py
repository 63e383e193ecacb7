"""The exchange's background tasks (django-tasks): each claims its row once and records the outcome."""

from django_tasks import task

from forms_app.background import runner
from forms_app.exchange import import_jobs
from forms_app.exchange.exports import jobs
from forms_app.exchange.models import ExportJob, ImportBatch


@task(takes_context=True)
def run_export(context, pk):
    """Write the file of export job ``pk``."""
    return runner.run(context, ExportJob, pk, jobs.write)


@task(takes_context=True)
def check_import(context, pk):
    """Check the file of import batch ``pk`` for its preview."""
    return runner.run(context, ImportBatch, pk, import_jobs.check)


@task(takes_context=True)
def save_import(context, pk):
    """Save every row of import batch ``pk``, once."""
    return runner.run(context, ImportBatch, pk, import_jobs.save)
