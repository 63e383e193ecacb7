"""Running tracked work as django-tasks: enqueued on commit, claimed once, a pulse while it runs.

Each kind of work is a task of its own app (``forms_app/exchange/tasks.py`` and so on) whose body
is one call to ``run(context, Model, pk, handler)``. The claim is a conditional UPDATE from
"waiting" to "running", so a task enqueued twice, or taken by two workers, does the work once.
While the handler runs in a worker, a thread writes its progress and a heartbeat every second on a
connection of its own (the handler may hold one long transaction); a run whose heartbeat stops is
shown as stopped, and ``retry`` queues it again.
"""

import logging
import threading
import uuid
from datetime import timedelta
from functools import partial

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend

from forms_app import conf
from forms_app.background.models import WorkStatus

logger = logging.getLogger(__name__)


class WorkError(Exception):
    """A failure whose message is meant for the user (a bad file, a form gone), not a traceback."""


def start(work, task):
    """Enqueue ``task`` for ``work`` once the current transaction commits, so the worker finds the row."""
    transaction.on_commit(partial(task.enqueue, work.pk))


def retry(work, task):
    """Queue ``work`` again if it failed or its worker stopped; return whether it was queued."""
    cutoff = timezone.now() - timedelta(seconds=conf.background_stale_after())
    retried = (
        type(work)
        .objects.filter(pk=work.pk)
        .filter(Q(status=WorkStatus.FAILED) | Q(status=WorkStatus.RUNNING, heartbeat_at__lt=cutoff))
        .update(status=WorkStatus.QUEUED, worker="", done=0, error="", finished_at=None)
    )
    if retried:
        start(work, task)
    return bool(retried)


class Pulse:
    """Progress as the handler reports it, written by a heartbeat thread, or at once when run in-process."""

    def __init__(self, model, pk, token, threaded):
        self.rows = model.objects.filter(pk=pk, worker=token, status=WorkStatus.RUNNING)
        self.threaded = threaded
        self.done, self.total = 0, None
        self._stop = threading.Event()
        self._thread = None

    def progress(self, done, total=None):
        """Record that ``done`` of ``total`` are done (the handler's callback)."""
        self.done = done
        if total is not None:
            self.total = total
        if not self.threaded:
            self.write()

    def write(self):
        values = {"done": self.done, "heartbeat_at": timezone.now()}
        if self.total is not None:
            values["total"] = self.total
        self.rows.update(**values)

    def beat(self):
        try:
            while not self._stop.wait(conf.background_heartbeat()):
                try:
                    self.write()
                except DatabaseError:  # a busy SQLite file or a dropped connection: the next beat tries again
                    logger.warning("Could not record the progress of %s", self.rows.model.__name__)
        finally:
            connection.close()

    def __enter__(self):
        if self.threaded:
            self._thread = threading.Thread(target=self.beat, daemon=True, name="shenbao-heartbeat")
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()


def in_worker(context):
    """Whether the task runs in a worker process, not inside the request that enqueued it."""
    return not isinstance(task_backends[context.task_result.backend], ImmediateBackend)


def run(context, model, pk, handler):
    """Claim ``model`` row ``pk`` and call ``handler(work, progress)``; record the outcome.

    Returns the final status, or "skipped" when another run holds (or has finished) the work.
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = model.objects.filter(pk=pk, status=WorkStatus.QUEUED).update(
        status=WorkStatus.RUNNING,
        worker=token,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        done=0,
        error="",
    )
    if not claimed:
        logger.info("%s %s is not waiting; this run does nothing", model.__name__, pk)
        return "skipped"
    work = model.objects.get(pk=pk)
    pulse = Pulse(model, pk, token, threaded=in_worker(context))
    status, error = WorkStatus.DONE, ""
    try:
        with pulse:
            handler(work, pulse.progress)
    except WorkError as failure:
        status, error = WorkStatus.FAILED, str(failure)
    except Exception as failure:  # the user sees that it failed; the log has the traceback
        logger.exception("%s %s failed", model.__name__, pk)
        status, error = WorkStatus.FAILED, str(failure)[:1000] or failure.__class__.__name__
    values = {"status": status, "error": error, "finished_at": timezone.now(), "done": pulse.done}
    if pulse.total is not None:
        values["total"] = pulse.total
    model.objects.filter(pk=pk, worker=token).update(**values)
    return status
