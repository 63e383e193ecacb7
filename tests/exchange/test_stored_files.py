"""An export's and an import's stored files go with their rows: nothing personal stays on the store."""

import pytest
from django.core.files.base import ContentFile

from forms_app.applications.storage import private_storage
from forms_app.exchange.models import ExportJob, ImportBatch
from tests.review_helpers import build_world, make_reviewer


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def stored_export_and_import(world, user):
    export = ExportJob.objects.create(user=user, page=world.page, format="xlsx")
    export.file.save("申报.xlsx", ContentFile(b"PK export"), save=True)
    batch = ImportBatch.objects.create(user=user, page=world.page, name="申报.xlsx", file="imports/x.xlsx")
    batch.file.save("申报.xlsx", ContentFile(b"PK import"), save=False)
    batch.checked.save("checked.json", ContentFile(b"[]"), save=True)
    names = [export.file.name, batch.file.name, batch.checked.name]
    assert all(private_storage.exists(name) for name in names)
    return names


def test_deleting_a_reviewer_removes_their_exports_and_imports_files_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    reviewer = make_reviewer("leaving", world.regions["hz"])
    names = stored_export_and_import(world, reviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reviewer.delete()
    # Until the deletion commits the files stay: a rollback would bring back rows that name them.
    assert all(private_storage.exists(name) for name in names)
    for callback in callbacks:
        callback()
    assert not ExportJob.objects.exists() and not ImportBatch.objects.exists()
    assert not any(private_storage.exists(name) for name in names)


def test_a_row_deleted_on_its_own_takes_its_files(world, django_capture_on_commit_callbacks):
    names = stored_export_and_import(world, world.reviewers["hz"])
    with django_capture_on_commit_callbacks(execute=True):
        ExportJob.objects.get().delete()
        ImportBatch.objects.get().delete()
    assert not any(private_storage.exists(name) for name in names)
    assert world.reviewers["hz"].pk  # the reviewer stays
