"""The exchange's background tasks (django-tasks): each claims its row once and records the outcome."""

from django_tasks import task

from forms_app.background import runner
from forms_app.exchange.exports import jobs
from forms_app.exchange.models import ExportJob


@task(takes_context=True)
def run_export(context, pk):
    """Write the file of export job ``pk``."""
    return runner.run(context, ExportJob, pk, jobs.write)
