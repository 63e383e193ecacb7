"""The rounds' background tasks (django-tasks)."""

from django_tasks import task

from forms_app.background import runner
from forms_app.rounds import documents
from forms_app.rounds.models import BatchDocuments


@task(takes_context=True)
def write_batch_documents(context, pk):
    """Write the summary list of the batch whose ``BatchDocuments`` row is ``pk``."""
    return runner.run(context, BatchDocuments, pk, documents.write)
