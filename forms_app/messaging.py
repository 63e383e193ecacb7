"""The one place that sends the plugin's e-mails: an event's subject and body, rendered, sent, logged.

Each event (an applicant's confirmation, the form's notify list, a reviewer's message or return, a
reminder, an account's confirmation link) is a pair of templates, ``<event>_subject.txt`` and
``<event>_body.txt``, rendered in the request's language (Chinese by default, English on request).
The message is then handed to a task (``deliver``) once the transaction commits, so no request waits
for the mail server, and a mail server that is down never undoes what the user did: the task logs
the failure and is recorded as failed by the task backend.
"""

import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

from forms_app import conf

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """A kind of e-mail: its name in the log, and the folder and prefix of its two templates."""

    name: str
    templates: str  # e.g. "shenbao_applications/email/submitted"

    def render(self, context, request=None):
        """Return ``(subject, body)``; the subject on one line, as a mail header must be.

        Every template also gets ``public_url``, the site's public address, to start its links with.
        """
        context = {"public_url": conf.public_url(), **context}
        subject = render_to_string(f"{self.templates}_subject.txt", context, request=request)
        body = render_to_string(f"{self.templates}_body.txt", context, request=request)
        return " ".join(subject.split()), body


def send(event, recipients, context, request=None):
    """Render ``event`` now and send it to ``recipients`` (addresses) after commit; return whether any."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return False
    subject, body = event.render(context, request)
    transaction.on_commit(partial(deliver.enqueue, event.name, subject, body, recipients))
    return True


@task()
def deliver(event_name, subject, body, recipients):
    """Hand one rendered message to the mail server; a failure is logged and fails the task."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Could not send the %s e-mail to %s recipient(s)", event_name, len(recipients))
        raise
    logger.info("Sent the %s e-mail to %s recipient(s)", event_name, len(recipients))
