"""Writing one export job's file: the submissions as the reviewer may see them now, into private storage."""

import tempfile

from django.core.files import File

from forms_app.exchange.exports.export import FORMATS, export_submissions
from forms_app.review.access import ReviewerAccess


def write(job, progress):
    """Write ``job``'s file; ``progress(done, total)`` as rows are written (a background-work handler)."""
    access = ReviewerAccess(job.user)  # as the user stands now, not when they asked
    queryset = access.submissions(job.submissions())
    masked = not (job.unmasked and access.may_see_personal_data)
    with tempfile.TemporaryFile() as output:
        written = export_submissions(queryset, job.format, output, masked=masked, progress=progress)
        output.seek(0)
        job.file.save(f"{job.page.slug}-{job.pk}.{FORMATS[written][1]}", File(output), save=False)
    job.file_format = written
    job.save(update_fields=["file", "file_format"])
