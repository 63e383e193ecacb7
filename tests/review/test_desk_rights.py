"""Desk rights: every write on a submission, tried by every demo desk on 西湖区's submission at every stage.

Only the desk where the submission waits (and an administrator) may change it; every other reviewer is
refused with a reason, or does not see it at all, and nothing is written. What is written carries the desk
where the submission waited when its actor acted, never the desk it went to.
"""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms_app.applications.models import Submission, SubmissionEvent, SubmissionStatus
from forms_app.printing import printouts
from forms_app.printing.models import StampedCopy
from forms_app.review.workflow import available_transitions, transition
from tests.factories import UserFactory
from tests.review_helpers import build_world
from tests.samples import PNG

INSPECT = "shenbao_applications_submission_modeladmin_inspect"
BULK = "shenbao_review_bulk"
S = SubmissionStatus
REASON = "理由已记录"

# Each stage is reached through the workflow, as the desks themselves would; the last desk named in a
# stage's path is the one that acted last, ``WAITS_AT`` the one whose turn it is.
STAGES = {
    "at_district": [],
    "at_city": [("xihu", S.RECOMMENDED)],
    "at_province": [("xihu", S.RECOMMENDED), ("hz", S.RECOMMENDED)],
    "returned": [("xihu", S.RETURNED)],
    "not_selected_at_city": [("xihu", S.RECOMMENDED), ("hz", S.NOT_SELECTED)],
    "selected": [("xihu", S.RECOMMENDED), ("hz", S.RECOMMENDED), ("zj", S.SELECTED)],
}
WAITS_AT = {
    "at_district": "xihu",
    "at_city": "hz",
    "at_province": "zj",
    "returned": "xihu",
    "not_selected_at_city": "hz",
    "selected": "zj",
}
# Its own district, another district, its city, another city, the province, and an administrator (who
# belongs to no desk).
ROLES = ["xihu", "shangcheng", "hz", "nb", "zj", "admin"]
# Who has the submission in sight at each stage: the desks it has reached.
SEES = {
    "at_district": {"xihu"},
    "at_city": {"xihu", "hz"},
    "at_province": {"xihu", "hz", "zj"},
    "returned": {"xihu"},
    "not_selected_at_city": {"xihu", "hz"},
    "selected": {"xihu", "hz", "zj"},
}


def next_status(submission):
    """The move a desk would make next: on up, a decision reopened, or (returned) none there is."""
    moves = available_transitions(submission)
    for status in (S.RECOMMENDED, S.SELECTED, S.UNDER_REVIEW):
        if status in moves:
            return status
    return S.UNDER_REVIEW  # a returned submission waits for the applicant: the workflow refuses it


def detail_post(data):
    def post(client, submission):
        return client.post(reverse(INSPECT, args=[submission.pk]), data(submission))

    return post


def bulk(client, submission):
    data = {"ids": [submission.pk], "status": next_status(submission), "comment": REASON}
    return client.post(reverse(BULK), data)


def scan_data(submission):
    version = printouts.current_version(submission)
    return {"action": "scan", "version": version.pk, "file": SimpleUploadedFile("scan.png", PNG)}


ACTIONS = {
    "transition": detail_post(
        lambda s: {"action": "transition", "status": next_status(s), "comment": REASON}
    ),
    "bulk_transition": bulk,
    "note": detail_post(lambda s: {"action": "event", "kind": "note", "text": "材料齐全"}),
    "message": detail_post(lambda s: {"action": "event", "kind": "message", "text": "请补充盖章页"}),
    "scan": detail_post(scan_data),
    "paper_copies": detail_post(lambda s: {"action": "paper_copies", "paper_copies": "5"}),
    # An action the desk does not know yet: refused to the other desks before it is even looked up.
    "unknown": detail_post(lambda s: {"action": "stamp_seal", "text": "x"}),
}
TRANSITIONS = {"transition", "bulk_transition"}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def snapshot(submission):
    """Everything an action on ``submission`` could write."""
    row = Submission.objects.filter(pk=submission.pk).values(
        "status", "stage_region", "paper_copies", "revision", "batch", "updated_at"
    )
    return {
        "row": row.get(),
        "events": list(SubmissionEvent.objects.filter(submission=submission).values_list("pk", flat=True)),
        "scans": StampedCopy.objects.filter(submission=submission).count(),
        "mails": len(mail.outbox),
    }


def errors_of(response):
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_the_desk_where_a_submission_waits_writes_on_it(client, notice_index, action, stage, role):
    world = build_world(notice_index)
    target = world.subs["xihu"]
    for desk, status in STAGES[stage]:
        transition([target.pk], status, world.reviewers[desk], comment=REASON)
    target = Submission.objects.select_related("stage_region").get(pk=target.pk)
    waiting_at = world.regions[WAITS_AT[stage]]
    assert target.stage_region == waiting_at
    user = UserFactory(is_superuser=True, is_staff=True) if role == "admin" else world.reviewers[role]
    client.force_login(user)
    mail.outbox.clear()
    before = snapshot(target)

    response = ACTIONS[action](client, target)

    allowed = role in {"admin", WAITS_AT[stage]}
    workflow_refuses = stage == "returned" and action in TRANSITIONS
    if not allowed or workflow_refuses or action == "unknown":
        assert snapshot(target) == before
    if not allowed:
        if action == "bulk_transition":
            assert response.status_code == 302
            expected = "waits at the desk of" if role in SEES[stage] else "not yours to review"
            assert any(expected in e for e in errors_of(response)), errors_of(response)
        elif role in SEES[stage]:
            # Still readable: back to the page, which says where the submission waits.
            assert response.status_code == 302 and response["Location"] == reverse(INSPECT, args=[target.pk])
            assert errors_of(response) == [
                f"{target.reference} waits at the desk of {waiting_at.name}: only that desk may change it."
            ]
        else:
            assert response.status_code == 404
        return
    if workflow_refuses:
        # The desk may act, but a returned submission has no move until the applicant resubmits.
        assert response.status_code in {302, 422}
        assert not any("waits at the desk of" in e for e in errors_of(response))
        return
    assert response.status_code == 302, getattr(response, "content", b"")[:2000]
    assert not errors_of(response)
    if action == "unknown":
        return
    new = list(SubmissionEvent.objects.filter(submission=target).exclude(pk__in=before["events"]))
    assert len(new) == 1
    # The history names the desk the actor worked at: where it waited, not where it went.
    assert (new[0].actor, new[0].desk) == (user, waiting_at)
    after = Submission.objects.get(pk=target.pk)
    if action in TRANSITIONS:
        assert after.status == next_status(target) and new[0].to_status == after.status
    elif action == "message":
        assert [m.to for m in mail.outbox] == [[target.user.email]]
    elif action == "scan":
        assert StampedCopy.objects.filter(submission=target, uploaded_by=user).count() == 1
    elif action == "paper_copies":
        assert after.paper_copies == 5


def test_the_page_offers_no_form_to_a_desk_that_passed_the_submission_on(client, notice_index):
    """The district still reads what it recommended, with no form that would be refused."""
    world = build_world(notice_index)
    target = world.subs["xihu"]
    transition([target.pk], S.RECOMMENDED, world.reviewers["xihu"])
    client.force_login(world.reviewers["xihu"])
    page = client.get(reverse(INSPECT, args=[target.pk])).content.decode()
    assert target.reference in page and "you can read it, not change it" in page
    assert 'name="action"' not in page
    client.force_login(world.reviewers["hz"])
    page = client.get(reverse(INSPECT, args=[target.pk])).content.decode()
    for action in ("transition", "scan", "paper_copies", "event"):
        assert f'name="action" value="{action}"' in page
