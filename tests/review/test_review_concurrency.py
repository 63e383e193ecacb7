"""Recommendation quotas under simultaneous reviewers, on PostgreSQL where rows are really locked.

Each reviewer is a test client in its own thread posting the list's bulk action,
so every request goes through the whole stack at the same moment.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from forms_app.applications.models import Submission, SubmissionEvent, SubmissionStatus
from forms_app.review.workflow import recommended_by, transition
from tests.review_helpers import answers, build_world, make_reviewer, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises all writers; row locks need PostgreSQL"
    ),
]


def test_simultaneous_recommendations_cannot_exceed_the_city_quota(notice_index):
    world = build_world(notice_index, recommend_quota=2, quota_level="city")
    hz = world.regions["hz"]
    waiting = [world.subs["xihu"], world.subs["shangcheng"]]
    for n in range(4):
        key = "xihu" if n % 2 else "shangcheng"
        waiting.append(submit(world.page, world.orgs[key], answers(f"项目{n}")))
    for submission in waiting:
        key = "xihu" if submission.region == world.regions["xihu"] else "shangcheng"
        transition([submission.pk], SubmissionStatus.RECOMMENDED, world.reviewers[key])
    # Six reviewers of the city's desk, each recommending a different submission at once.
    reviewers = [make_reviewer(f"hz_{n}", hz) for n in range(len(waiting))]
    barrier = threading.Barrier(len(waiting))
    outcomes, errors = [], []

    def work(user, submission):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            response = client.post(
                reverse("shenbao_review_bulk"),
                {"ids": [submission.pk], "status": SubmissionStatus.RECOMMENDED},
            )
            outcomes.append(response.status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=pair) for pair in zip(reviewers, waiting, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and outcomes == [302] * len(waiting)
    assert recommended_by(world.page, hz).count() == 2
    moved = Submission.objects.filter(pk__in=[s.pk for s in waiting], stage_region=world.regions["zj"])
    assert moved.count() == 2
    assert SubmissionEvent.objects.filter(desk=hz, to_status=SubmissionStatus.RECOMMENDED).count() == 2
