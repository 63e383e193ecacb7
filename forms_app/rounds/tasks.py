"""The rounds' background tasks (django-tasks)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from forms_app.applications.models import ApplicationFormPage
from forms_app.background import runner
from forms_app.review.access import ReviewerAccess
from forms_app.rounds import documents
from forms_app.rounds.deadlines import organisations_of, send_reminders
from forms_app.rounds.models import BatchDocuments


@task(takes_context=True)
def write_batch_documents(context, pk):
    """Write the summary list of the batch whose ``BatchDocuments`` row is ``pk``."""
    return runner.run(context, BatchDocuments, pk, documents.write)


@task()
def send_desk_reminders(page_id, user_id, days):
    """Send the reminders for form ``page_id`` due to the organisations of user ``user_id``'s desks."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    page = ApplicationFormPage.objects.filter(pk=page_id).first()
    if user is None or page is None:
        return 0
    access = ReviewerAccess(user)  # as the reviewer stands when it runs
    if not access.may_act:
        return 0
    return len(send_reminders(page, organisations_of(access), days, user=user))
