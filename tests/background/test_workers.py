"""Background work through real ``db_worker`` processes on PostgreSQL: run, killed mid-task, two at once."""

import signal
import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from forms_app.applications.models import Submission
from forms_app.background.models import WorkStatus
from forms_app.exchange.models import ExportJob, ImportBatch
from forms_app.exchange.tasks import run_export
from tests.exchange.test_imports import GOOD, IMPORTER_PERMS, xlsx
from tests.review_helpers import answers, build_world, make_reviewer, submit
from tests.workers import DATABASE_TASKS, Workers, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the workers share this test's database; SQLite's test database is in memory",
    ),
]

INDEX = "shenbao_applications_submission_modeladmin_index"


@pytest.fixture
def workers(settings):
    settings.TASKS = DATABASE_TASKS
    settings.SHENBAO_BACKGROUND_STALE_AFTER = 3
    pool = Workers()
    yield pool
    pool.stop_all()


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    for n in range(40):
        submit(world.page, world.orgs["xihu"], answers(f"西湖项目{n}"))
    return world


@pytest.fixture
def client(client, settings):
    """The reviewer reads the English source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def ask_export(client, world, fmt):
    client.force_login(world.reviewers["xihu"])
    response = client.post(reverse(INDEX) + f"?form={world.page.pk}", {"export": "1", "export_format": fmt})
    assert response.status_code == 302
    return ExportJob.objects.latest("pk")


def finished(job):
    job.refresh_from_db()
    return job.is_finished and job


def test_an_export_is_written_by_a_worker_process_while_the_page_waits(client, world, workers):
    job = ask_export(client, world, "xlsx")
    # Enqueued in the database, waiting: the page says so and refreshes itself.
    assert DBTaskResult.objects.filter(task_path="forms_app.exchange.tasks.run_export").count() == 1
    waiting = client.get(reverse("shenbao_review_export", args=[job.pk])).content.decode()
    assert "Waiting for a worker" in waiting and 'http-equiv="refresh"' in waiting
    workers.start("w1")
    job = wait_for(lambda: finished(job), what="the export")
    assert job.status == WorkStatus.DONE and job.attempts == 1 and job.done == job.total == 41
    page = client.get(reverse("shenbao_review_export", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page and "41 submissions written" in page
    download = client.get(reverse("shenbao_review_export_download", args=[job.pk]))
    rows = list(load_workbook(BytesIO(b"".join(download.streaming_content))).worksheets[0].values)
    assert len(rows) == 42 and {row[0] for row in rows[1:]} == {
        s.reference for s in world.page.submissions.filter(region=world.regions["xihu"])
    }


def test_a_worker_killed_mid_export_leaves_a_stopped_job_that_runs_again(client, world, workers):
    # Enough printouts that the export outlasts many heartbeats, which come often: the worker is
    # frozen at its first reported progress, long before the end, then killed.
    for n in range(40, 100):
        submit(world.page, world.orgs["xihu"], answers(f"西湖项目{n}"))
    job = ask_export(client, world, "pdf")
    first = workers.start("doomed", SHENBAO_BACKGROUND_HEARTBEAT="0.05")
    wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status="running", done__gt=0).exists(),
        what="progress",
        interval=0.02,
    )
    first.send_signal(signal.SIGSTOP)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == WorkStatus.RUNNING and 0 < job.done < job.total and not job.file
    # Its heartbeat has stopped: after SHENBAO_BACKGROUND_STALE_AFTER the page shows it stopped, not running.
    assert wait_for(lambda: ExportJob.objects.get(pk=job.pk).is_stopped, timeout=10, what="the stop")
    page = client.get(reverse("shenbao_review_export", args=[job.pk])).content.decode()
    assert "The worker doing this stopped" in page and 'http-equiv="refresh"' not in page
    assert client.post(reverse("shenbao_review_export_retry", args=[job.pk])).status_code == 302
    assert ExportJob.objects.get(pk=job.pk).status == WorkStatus.QUEUED
    workers.start("rescuer")
    job = wait_for(lambda: finished(job), what="the second attempt")
    assert job.status == WorkStatus.DONE and job.attempts == 2 and job.done == 101
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 101
    # A finished export is not run again.
    assert client.post(reverse("shenbao_review_export_retry", args=[job.pk])).status_code == 302
    assert ExportJob.objects.get(pk=job.pk).attempts == 2


def test_two_workers_never_run_the_same_work_twice(client, world, workers):
    jobs = [ask_export(client, world, fmt) for fmt in ("xlsx", "csv", "json", "xlsx")]
    for job in jobs:  # each one enqueued a second time, as a double click or a lost reply would
        run_export.enqueue(job.pk)
    workers.start("w1")
    workers.start("w2")
    wait_for(lambda: all(finished(job) for job in jobs), what="the exports")
    assert [job.status for job in jobs] == [WorkStatus.DONE] * 4
    assert [job.attempts for job in jobs] == [1] * 4
    results = DBTaskResult.objects.filter(task_path="forms_app.exchange.tasks.run_export")
    wait_for(lambda: not results.exclude(status="SUCCESSFUL").exists(), what="the task rows")
    outcomes = sorted(result.return_value for result in results)
    assert outcomes == ["done"] * 4 + ["skipped"] * 4
    assert {worker for result in results for worker in result.worker_ids} <= {"w1", "w2"}


def test_an_import_is_checked_and_saved_by_a_worker_process(client, world, workers):
    importer = make_reviewer("importer", world.regions["hz"], perms=IMPORTER_PERMS)
    client.force_login(importer)
    upload = SimpleUploadedFile("申报.xlsx", xlsx(GOOD))
    response = client.post(reverse("shenbao_review_import", args=[world.page.pk]), {"file": upload})
    preview = response["Location"]
    assert "Checking the file" in client.get(preview).content.decode()
    workers.start("w1")
    batch = ImportBatch.objects.get()
    wait_for(lambda: ImportBatch.objects.filter(pk=batch.pk, stage="checked", status="done").exists())
    assert "2 rows are ready" in " ".join(client.get(preview).content.decode().split())
    assert client.post(preview).status_code == 302
    assert (
        "Saving the rows" in client.get(preview).content.decode()
        or ImportBatch.objects.get().stage == "saved"
    )
    wait_for(lambda: ImportBatch.objects.filter(pk=batch.pk, stage="saved").exists(), what="the save")
    assert Submission.objects.filter(imported_by=importer).count() == 2
    assert "This file was saved: 2 created" in " ".join(client.get(preview).content.decode().split())
