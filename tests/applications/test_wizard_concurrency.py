"""The journey's rules under concurrent requests, on PostgreSQL where rows are really locked.

Applicants' browsers are Django test clients in threads, so every request goes
through the whole stack (session, wizard, check page, submit) at the same time.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from forms_app.applications.models import Submission
from tests.factories import ApplicantFactory, OrganisationFactory
from tests.wizard_helpers import Applicant, three_step_form

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises all writers; row locks need PostgreSQL"
    ),
]


def ready_applicants(form, users):
    """Return ``[(applicant, draft id)]``, each draft filled in and ready to submit."""
    ready = []
    for user in users:
        client = Client()
        client.force_login(user)
        applicant = Applicant(client, form)
        draft_id = applicant.start()
        applicant.fill_all(draft_id)
        ready.append((applicant, draft_id))
    return ready


def submit_all_at_once(jobs):
    """POST every ``(applicant, draft id)`` check page at the same moment; return the status codes."""
    barrier = threading.Barrier(len(jobs))
    statuses, errors = [], []

    def work(applicant, draft_id):
        try:
            barrier.wait()
            statuses.append(applicant.submit(draft_id).status_code)
        except Exception as error:  # a thread's failure must fail the test, not vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return sorted(statuses)


def test_parallel_submissions_cannot_exceed_the_organisation_quota(notice_index):
    form = three_step_form(notice_index, max_per_organisation=1)
    organisation = OrganisationFactory()
    jobs = ready_applicants(form, [ApplicantFactory(organisation=organisation) for _ in range(6)])
    statuses = submit_all_at_once(jobs)
    assert statuses == [302] + [409] * 5
    assert Submission.objects.filter(organisation=organisation).count() == 1


def test_parallel_submissions_cannot_exceed_the_region_quota(notice_index):
    form = three_step_form(notice_index, max_per_region=3)
    region = OrganisationFactory().region
    users = [ApplicantFactory(organisation=OrganisationFactory(region=region)) for _ in range(8)]
    statuses = submit_all_at_once(ready_applicants(form, users))
    assert statuses == [302] * 3 + [409] * 5
    assert Submission.objects.filter(region=region).count() == 3
    references = list(Submission.objects.values_list("reference", flat=True))
    assert len(set(references)) == 3


def test_clicking_submit_many_times_at_once_makes_one_submission(notice_index):
    form = three_step_form(notice_index)
    [(applicant, draft_id)] = ready_applicants(form, [ApplicantFactory()])
    statuses = submit_all_at_once([(applicant, draft_id)] * 5)
    assert statuses == [302] * 5
    assert Submission.objects.filter(draft_id=draft_id).count() == 1
