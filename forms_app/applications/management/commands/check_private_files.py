"""``manage.py check_private_files``: does every private file the database names exist (and read back)?

Run after a restore (``scripts/restore.sh`` does) or at any time: it lists every row whose private file
(uploads, stamped scans, exports, import files, batch lists) is missing from the private store, and with
``--verify`` reads each applicant's upload back and compares it with the checksum taken when it arrived.
It exits with an error when anything is missing or differs, so that a script can stop on it.
"""

import hashlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from forms_app.applications.models import UploadedFile
from forms_app.applications.storage import private_storage


def private_file_fields():
    """Return ``[(model, field name)]`` of every file field kept in the private store."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and field.storage is private_storage
    ]


def sha256_of(stored):
    digest = hashlib.sha256()
    with stored.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    """Report the private files that the database names but the private store lacks."""

    help = "Check that every private file the database refers to exists (and, with --verify, reads back)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify", action="store_true", help="read every upload and compare it with its checksum"
        )

    def handle(self, *args, verify=False, **options):
        checked, problems = 0, []
        for model, name in private_file_fields():
            for pk, stored_name in model.objects.exclude(**{name: ""}).values_list("pk", name).iterator():
                checked += 1
                if not private_storage.exists(stored_name):
                    problems.append(f"{model._meta.label} {pk}: {stored_name} is missing")
        if verify:
            for upload in UploadedFile.objects.iterator():
                if private_storage.exists(upload.file.name) and sha256_of(upload.file) != upload.sha256:
                    problems.append(f"{UploadedFile._meta.label} {upload.pk}: {upload.file.name} differs")
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(f"{checked} private files checked, {len(problems)} problems.")
        if problems:
            raise CommandError(f"{len(problems)} private files are missing or differ.")
