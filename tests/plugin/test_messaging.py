"""The one module that sends e-mails: subject and body from the event's templates, sent, logged."""

import logging
import socket

import pytest
from django.core import mail
from django.utils import translation

from forms_app import messaging
from forms_app.applications.models import Submission
from forms_app.applications.submitting import NOTIFY, SUBMITTED
from forms_app.review.workflow import REVIEW_MESSAGE
from forms_app.rounds.deadlines import REMINDER
from tests.review_helpers import build_world, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def closed_port():
    """A local port nothing listens on, so the SMTP backend's connection is really refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2


def test_every_event_renders_a_one_line_subject_in_chinese_and_english(world):
    submission = world.subs["xihu"]
    page = submission.page
    contexts = {
        SUBMITTED: {"submission": submission, "page": page, "resubmitted": False},
        NOTIFY: {"submission": submission, "page": page},
        REVIEW_MESSAGE: {"submission": submission, "page": page, "text": "请补充材料", "returned": True},
        REMINDER: {"page": page, "notice": page.get_notice(), "organisation": submission.organisation,
                   "closes_at": page.get_closes_at(), "has_draft": True, "url": page.url},
    }  # fmt: skip
    for event, context in contexts.items():
        with translation.override("zh-hans"):
            chinese, body = event.render(context)
        with translation.override("en"):
            english, _body = event.render(context)
        assert chinese and "\n" not in chinese and body.strip(), event
        assert chinese != english, event  # each template pair is translated
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), (event, chinese)


def test_send_delivers_to_the_given_addresses_and_skips_blanks(world, django_capture_on_commit_callbacks):
    context = {"submission": world.subs["xihu"], "page": world.page}
    with django_capture_on_commit_callbacks() as waiting:
        assert messaging.send(NOTIFY, ["a@example.cn", "", None], context)
    # Nothing goes before the transaction commits; then a task delivers it.
    assert not mail.outbox and len(waiting) == 1
    waiting[0]()
    [message] = mail.outbox
    assert message.to == ["a@example.cn"] and world.subs["xihu"].reference in message.subject
    assert not messaging.send(NOTIFY, ["", None], context)
    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_is_logged_and_undoes_nothing(world, mail_server_down, caplog):
    subject, body = NOTIFY.render({"submission": world.subs["xihu"], "page": world.page})
    with caplog.at_level(logging.ERROR, logger="forms_app.messaging"):
        result = messaging.deliver.enqueue(NOTIFY.name, subject, body, ["a@example.cn"])
    assert "Could not send the notify e-mail to 1 recipient(s)" in caplog.text
    # The task is recorded as failed, with the mail server's refusal.
    assert result.status == "FAILED" and "ConnectionRefusedError" in result.errors[0].traceback
    # A submission made while the server is down is saved all the same.
    before = Submission.objects.count()
    submit(world.page, world.orgs["xihu"], dict(world.subs["xihu"].answers))
    assert Submission.objects.count() == before + 1
