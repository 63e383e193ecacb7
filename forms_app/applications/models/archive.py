"""What deleting an account or a draft keeps: submitted applications are the bureau's archive.

An applicant's account may be deleted (in the Wagtail admin, or ``user.delete()``). Their drafts go with
it, but a submission keeps its answers and files, and names who applied as text (``Submission.applicant``)
while its ``user`` link is cleared. A draft's files that were never submitted go with the draft, their
stored copies removed after the deletion commits.
"""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from forms_app.applications.models.files import UploadedFile
from forms_app.applications.models.submissions import Draft, Submission, applicant_label
from forms_app.applications.storage import delete_after_commit


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="shenbao.archive_applicant")
def keep_who_applied(sender, instance, **kwargs):
    """Write the leaving applicant's name into their submissions before ``user`` is cleared."""
    label = applicant_label(instance)
    if label:
        Submission.objects.filter(user=instance).update(applicant=label)


@receiver(pre_delete, sender=Draft, dispatch_uid="shenbao.archive_draft_files")
def drop_unsubmitted_files(sender, instance, **kwargs):
    """Delete the draft's files that no submission holds; submitted ones stay with their submission."""
    unsubmitted = UploadedFile.objects.filter(draft=instance, submission__isnull=True)
    for name in unsubmitted.values_list("file", flat=True):
        delete_after_commit(name)
    unsubmitted.delete()
