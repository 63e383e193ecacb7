"""The one place that sends the plugin's e-mails: an event's subject and body, rendered, sent, logged.

Each event (an applicant's confirmation, the form's notify list, a reviewer's message or return, a
reminder, an account's confirmation link) is a pair of templates, ``<event>_subject.txt`` and
``<event>_body.txt``, rendered in the active language (Chinese by default, English on request). A
mail server that is down never undoes what the user did: the failure is logged and ``send`` returns
False, unless the caller asks for the error.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """A kind of e-mail: its name in the log, and the folder and prefix of its two templates."""

    name: str
    templates: str  # e.g. "shenbao_applications/email/submitted"

    def render(self, context, request=None):
        """Return ``(subject, body)``; the subject on one line, as a mail header must be."""
        subject = render_to_string(f"{self.templates}_subject.txt", context, request=request)
        body = render_to_string(f"{self.templates}_body.txt", context, request=request)
        return " ".join(subject.split()), body


def send(event, recipients, context, request=None, raise_errors=False):
    """Send ``event`` to ``recipients`` (addresses); return whether it went. Logged either way."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return False
    subject, body = event.render(context, request)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Could not send the %s e-mail to %s recipient(s)", event.name, len(recipients))
        if raise_errors:
            raise
        return False
    logger.info("Sent the %s e-mail to %s recipient(s)", event.name, len(recipients))
    return True
