"""An applicant's resubmission and a reviewer's write to the same submission never undo each other.

Both lock the row and save only their own fields: the paper copies a desk records while a returned
application is being resubmitted survive the resubmission.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forms_app.applications.models import FormVersion, Submission, SubmissionStatus
from forms_app.applications.submitting import submit_draft
from tests.review_helpers import answers, build_world

INSPECT = "shenbao_applications_submission_modeladmin_inspect"


def returned(world, key="xihu"):
    submission = world.subs[key]
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RETURNED)
    return Submission.objects.get(pk=submission.pk)


def submission_updates(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "shenbao_applications_submission"')]


@pytest.mark.django_db
def test_each_side_saves_only_its_own_fields(notice_index):
    world = build_world(notice_index)
    submission = returned(world)
    with CaptureQueriesContext(connection) as applicant:
        resubmitted, now = submit_draft(submission.draft, answers("改过的项目"))
    assert now and resubmitted.revision == 2
    updates = submission_updates(applicant.captured_queries)
    assert updates, "the resubmission writes the row"
    for sql in updates:
        assert '"answers"' in sql
        for desk_field in ('"paper_copies"', '"stage_region_id"', '"batch_id"', '"page_id"', '"reference"'):
            assert desk_field not in sql
    reviewer = Client()
    reviewer.force_login(world.reviewers["xihu"])
    with CaptureQueriesContext(connection) as desk:
        response = reviewer.post(
            reverse(INSPECT, args=[submission.pk]), {"action": "paper_copies", "paper_copies": "2"}
        )
    assert response.status_code == 302
    updates = submission_updates(desk.captured_queries)
    assert updates and all('"answers"' not in sql and '"revision"' not in sql for sql in updates)
    assert Submission.objects.get(pk=submission.pk).paper_copies == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises all writers; row locks need PostgreSQL"
)
def test_paper_copies_recorded_during_a_resubmission_survive_it(notice_index, monkeypatch):
    world = build_world(notice_index)
    submission = returned(world)
    draft = submission.draft
    reviewer = Client()
    reviewer.force_login(world.reviewers["xihu"])
    read, recorded = threading.Event(), threading.Event()
    errors, statuses = [], []
    latest_for = FormVersion.objects.latest_for

    def paused(page):
        # The resubmission has read the submission: let the reviewer write now, and wait for it
        # (a short while only, since with row locks the reviewer waits for this transaction).
        if threading.current_thread().name == "applicant":
            read.set()
            recorded.wait(timeout=3)
        return latest_for(page)

    monkeypatch.setattr(FormVersion.objects, "latest_for", paused)

    def applicant():
        try:
            submit_draft(draft, answers("改过的项目"))
        except Exception as error:  # a thread's failure must fail the test
            errors.append(error)
        finally:
            connections.close_all()

    def desk():
        try:
            assert read.wait(timeout=30)
            response = reviewer.post(
                reverse(INSPECT, args=[submission.pk]), {"action": "paper_copies", "paper_copies": "3"}
            )
            statuses.append(response.status_code)
        except Exception as error:
            errors.append(error)
        finally:
            recorded.set()
            connections.close_all()

    threads = [threading.Thread(target=applicant, name="applicant"), threading.Thread(target=desk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and statuses == [302]
    after = Submission.objects.get(pk=submission.pk)
    assert after.paper_copies == 3
    assert after.revision == 2 and after.status == SubmissionStatus.SUBMITTED
    assert after.answers["project_name"] == "改过的项目"
