"""Background work on RQ (Redis), as several servers run it: enqueued by the site, run by ``rqworker``."""

import pytest
import redis
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from forms_app.background.models import WorkStatus
from forms_app.exchange.models import ExportJob
from tests.review_helpers import answers, build_world, submit
from tests.workers import RQWorkers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker shares this test's database; SQLite's test database is in memory",
    ),
]

REDIS_URL = "redis://127.0.0.1:6379/7"  # a database of its own, emptied before and after
INDEX = "shenbao_applications_submission_modeladmin_index"


@pytest.fixture
def rq(settings):
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    workers = RQWorkers(REDIS_URL)
    yield server, workers
    workers.stop_all()
    server.flushdb()


def test_an_export_goes_through_redis_to_an_rq_worker(client, notice_index, rq):
    server, workers = rq
    world = build_world(notice_index)
    for n in range(5):
        submit(world.page, world.orgs["xihu"], answers(f"西湖项目{n}"))
    client.force_login(world.reviewers["xihu"])
    asked = client.post(reverse(INDEX) + f"?form={world.page.pk}", {"export": "1", "export_format": "xlsx"})
    assert asked.status_code == 302
    job = ExportJob.objects.get()
    # The task waits in Redis (beside Wagtail's own tasks of publishing the pages), until a worker takes it.
    waiting = [
        server.hget(f"rq:job:{job_id.decode()}", "description") or b""
        for job_id in server.lrange("rq:queue:default", 0, -1)
    ]
    assert job.status == WorkStatus.QUEUED
    assert sum(b"forms_app.exchange.tasks.run_export" in text for text in waiting) == 1
    worker = workers.start("rq-1")
    assert worker.wait(timeout=120) == 0  # --burst: it stops once the queue is empty
    job.refresh_from_db()
    assert job.status == WorkStatus.DONE and job.attempts == 1 and job.done == job.total == 6
    with job.file.open("rb") as handle:
        rows = list(load_workbook(handle, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 7 and server.llen("rq:queue:default") == 0
