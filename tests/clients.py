"""A test client whose requests end as real ones do: what they left for "after commit" runs.

Each test runs inside one transaction that is never committed, so the e-mails and background
tasks a view hands to ``transaction.on_commit`` would never run; this client runs them when the
request returns, as a request served in production does when its transaction commits, and takes
them off the connection's list so that an enclosing capture does not run them again.
"""

from django.db import connection
from django.test import Client


class CommittingClient(Client):
    """``django.test.Client`` that runs each request's on-commit callbacks when it returns."""

    def request(self, **request):
        start = len(connection.run_on_commit)
        response = super().request(**request)
        # Read after the request: rolling a savepoint back replaces the list with a new one.
        waiting = connection.run_on_commit
        while len(waiting) > start:
            _savepoints, callback, _robust = waiting.pop(start)
            callback()
        return response
