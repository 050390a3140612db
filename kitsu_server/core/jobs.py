"""Background jobs: a thin Celery task per kind of job, and a `Job` row the API and admin show.

A kind of job is declared in an app's `jobs.py` (Celery finds those modules) around the
service function that does the work:

    @job("casting-stats.refresh", key=lambda project_id: f"project:{project_id}")
    def refresh_project_casting_stats(report, project_id):
        return casting_jobs.refresh_project_casting_stats(project_id, report)

and enqueued from a service, a view, an admin action or a command:

    row = refresh_project_casting_stats.enqueue(project=project, created_by=user, project_id=...)

What every kind gets from here:

- `enqueue` writes the row and sends the message (the row's id only: parameters live on the row)
  once the caller's transaction commits, so nothing runs for a rolled-back request. A key whose
  job is still queued or running answers that job instead of a second one (the key defaults to
  the kind and its parameters; a partial unique index settles races). An active job silent for
  longer than `stale_after` (its worker died without a redelivery) gives way to a new one.
- The task is acknowledged once done (`acks_late`, `reject_on_worker_lost`): a worker killed
  mid-way leaves the message to be delivered again, and the job then runs again from its start,
  taking over the row its dead worker left "running". Hence the rule for service functions:
  **re-runnable** (recompute, upsert, skip what is done), never "add one more".
  On Redis the message of a dead worker comes back after the broker's visibility timeout (one
  hour by default): a job running longer than that is handed to a second worker while the first
  still runs, which is harmless for a re-runnable job, only wasteful.
- The row moves queued -> running -> succeeded | failed, counting attempts; the service's return
  value (JSON) becomes `result`, an exception's type and message `error` (the traceback goes to
  the worker's log, not to API readers).
- Transient errors (the database gone away: `OperationalError`, `InterfaceError`) are retried
  with exponential backoff and jitter, up to `max_retries`; the row waits "queued" meanwhile.
  Any other exception fails the job at once.
- `report(done, total)`, handed to the service: progress written at most once per
  `REPORT_INTERVAL` seconds (and at the end), which also tells that the job is alive.
"""

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from functools import partial

import orjson
from celery.utils.time import get_exponential_backoff_interval
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from kitsu_server.api.json import serialize_value
from kitsu_server.celery import app
from kitsu_server.core.models import ACTIVE_STATES, FAILED, QUEUED, RUNNING, SUCCEEDED, Job

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
REPORT_INTERVAL = 1.0  # seconds between two progress writes
KINDS = {}  # name -> JobKind


def job(
    name,
    *,
    key=None,
    max_retries=5,
    backoff=2,
    backoff_max=600,
    transient=TRANSIENT_ERRORS,
    stale_after=3600,
    on_failure=None,
):
    """Declare a kind of job around `function(report, **params)`; answers its `JobKind`.

    key: `key(**params)` -> the idempotency key (prefixed with the kind's name); by default the
    parameters themselves. backoff, backoff_max: seconds (the wait doubles at each retry, with
    full jitter, up to backoff_max). stale_after: seconds without news after which an active job
    no longer holds its key. on_failure: `on_failure(error, **params)`, called once the job has
    failed for good (an error, or a transient one past its retries), to leave its subject in a
    state that says so (a preview "broken").
    """

    def declare(function):
        kind = JobKind(name, function, key, max_retries, backoff, backoff_max, tuple(transient), stale_after)
        kind.on_failure = on_failure
        KINDS[name] = kind
        return kind

    return declare


class JobKind:
    def __init__(self, name, function, key, max_retries, backoff, backoff_max, transient, stale_after):
        if name in KINDS:
            raise ValueError(f"The job {name!r} is declared twice")
        self.name = name
        self.function = function
        self.key = key
        self.max_retries = max_retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.transient = transient
        self.stale_after = stale_after
        self.on_failure = None
        self.__doc__ = function.__doc__

        def run(task, job_id):
            return self._execute(task, job_id)

        run.__name__ = run.__qualname__ = name.replace(".", "_").replace("-", "_")
        run.__doc__ = function.__doc__
        self.task = app.task(
            run,
            name=f"jobs.{name}",
            bind=True,
            acks_late=True,
            reject_on_worker_lost=True,
            max_retries=max_retries,
            ignore_result=True,  # the row is the result
        )

    def __repr__(self):
        return f"<job {self.name}>"

    # --- enqueuing -----------------------------------------------------------------------------

    def key_for(self, params):
        if self.key is not None:
            text = f"{self.name}:{self.key(**params)}"
        else:
            text = f"{self.name}:{orjson.dumps(params, option=orjson.OPT_SORT_KEYS).decode()}"
        if len(text) > 255:
            text = f"{self.name}:sha256:{hashlib.sha256(text.encode()).hexdigest()}"
        return text

    def enqueue(self, project=None, created_by=None, delay=None, **params):
        """The job of these parameters: the active one of the same key, or a new row whose task is
        sent when the current transaction commits (to run `delay` seconds later when given)."""
        params = serialize_value(params)
        key = self.key_for(params)
        with transaction.atomic():
            active = Job.objects.filter(key=key, state__in=ACTIVE_STATES).first()
            if active is not None and not self._abandon_if_stale(active):
                return active
            try:
                with transaction.atomic():
                    row = Job.objects.create(
                        name=self.name, key=key, params=params, project=project, created_by=created_by
                    )
            except IntegrityError:  # another request enqueued the same key meanwhile
                return Job.objects.get(key=key, state__in=ACTIVE_STATES)
            transaction.on_commit(partial(self._send, row.pk, delay))
        return row

    def _abandon_if_stale(self, active):
        silent_since = active.updated_at or active.created_at
        if (timezone.now() - silent_since).total_seconds() < self.stale_after:
            return False
        _finish(active.pk, FAILED, state_was=ACTIVE_STATES, error=f"Abandoned: no news since {silent_since}.")
        return True

    def _send(self, job_id, delay=None):
        try:
            self.task.apply_async(args=[str(job_id)], countdown=delay)
        except Exception as exc:  # the broker is down: the job would wait forever, holding its key
            logger.exception("Job %s (%s) could not be queued", job_id, self.name)
            _finish(job_id, FAILED, state_was=(QUEUED,), error=f"Could not be queued: {describe(exc)}")

    # --- running -------------------------------------------------------------------------------

    def _execute(self, task, job_id):
        """The Celery task's body: claim the row, run the service, record how it ended."""
        retries = task.request.retries
        try:
            row = _claim(job_id)
        except self.transient as exc:
            if retries >= self.max_retries:
                raise  # the row stays queued, and gives way to a new job once stale
            return self._retry(task, job_id, exc)
        if row is None:  # finished already (a message delivered twice) or deleted with its project
            logger.info("Job %s: nothing to run (finished or gone)", job_id)
            return
        report = ProgressReport(row.pk)
        try:
            result = self.function(report, **row.params)
        except self.transient as exc:
            _forget_broken_connection()
            if retries >= self.max_retries:
                logger.exception("Job %s (%s) failed after %s retries", job_id, self.name, retries)
                self._failed(row, report, exc)
                return
            logger.warning("Job %s (%s): %s; retried", job_id, self.name, describe(exc))
            _back_to_queue(row.pk, exc)
            return self._retry(task, job_id, exc)
        except Exception as exc:
            logger.exception("Job %s (%s) failed", job_id, self.name)
            _forget_broken_connection()
            self._failed(row, report, exc)
            return
        _finish(row.pk, SUCCEEDED, report=report, result=serialize_value(result), error="")

    def _failed(self, row, report, exc):
        _finish(row.pk, FAILED, report=report, error=describe(exc))
        if self.on_failure is None:
            return
        try:
            self.on_failure(describe(exc), **row.params)
        except Exception:  # the job's own row says it failed; its subject keeps its state
            logger.exception(
                "Job %s (%s): its failure could not be recorded on its subject", row.pk, self.name
            )

    def _retry(self, task, job_id, exc):
        retries = task.request.retries
        countdown = self.countdown(retries)
        if task.request.is_eager:
            # No queue to come back through (and Celery's eager retry raises when eager tasks
            # propagate their errors): the next attempt runs now, without its wait.
            task.apply(args=[job_id], retries=retries + 1)
            return
        raise task.retry(exc=exc, countdown=countdown) from exc

    def countdown(self, retries):
        """Seconds before retry number `retries + 1`: backoff * 2**retries at most, jittered."""
        return get_exponential_backoff_interval(
            factor=self.backoff, retries=retries, maximum=self.backoff_max, full_jitter=True
        )


class ProgressReport:
    """The `report(done, total)` a service calls as it goes: written at most once per interval."""

    def __init__(self, job_id, interval=REPORT_INTERVAL):
        self.job_id = job_id
        self.interval = interval
        self.done, self.total = 0, None
        self._written_at = None

    def __call__(self, done, total=None):
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if self._written_at is None or now - self._written_at >= self.interval:
            self._written_at = now
            Job.objects.filter(pk=self.job_id).update(
                progress_done=self.done, progress_total=self.total, updated_at=timezone.now()
            )


def describe(exc):
    return f"{type(exc).__name__}: {exc}"


def _claim(job_id):
    """The row, once set running for this attempt; None when it is finished or gone. A row left
    running is taken over: its worker died, and the broker delivered its message again."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(
        state=RUNNING,
        attempts=F("attempts") + 1,
        progress_done=0,
        started_at=now,
        updated_at=now,
    )
    return Job.objects.filter(pk=job_id).first() if claimed else None


def _back_to_queue(job_id, exc):
    try:
        Job.objects.filter(pk=job_id, state=RUNNING).update(
            state=QUEUED, error=f"Retrying after {describe(exc)}", updated_at=timezone.now()
        )
    except DatabaseError:  # still down: the retry claims the row whatever its state
        logger.warning("Job %s: could not record the retry", job_id)


def _finish(job_id, state, state_was=(RUNNING,), report=None, **values):
    now = timezone.now()
    if report is not None:
        values.update(progress_done=report.done, progress_total=report.total)
    Job.objects.filter(pk=job_id, state__in=state_was).update(
        state=state, finished_at=now, updated_at=now, **values
    )


def _forget_broken_connection():
    """After a database error the connection may be dead: let the next query open a new one (never
    inside a transaction, which the caller owns)."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


# --- scratch folders ---------------------------------------------------------------------------

WORKSPACE_PATTERN = re.compile(r"^kitsu-[a-z]+-(\d+)-")


def workspace(kind):
    """A scratch folder for a job's or a request's files (clips copied from storage, ffmpeg's
    output...), removed when done; named after this process, so that what a killed process
    leaves behind is found and removed (`sweep_orphan_workspaces`)."""
    return tempfile.TemporaryDirectory(prefix=f"kitsu-{kind}-{os.getpid()}-")


def sweep_orphan_workspaces():
    """Remove the scratch folders of processes that are gone (a worker killed mid-transcode
    leaves its copies and half-encoded files: gigabytes for a long movie). Run when a worker
    starts. Answers the folders removed."""
    removed = []
    root = tempfile.gettempdir()
    for name in os.listdir(root):
        match = WORKSPACE_PATTERN.match(name)
        if match is None or _process_alive(int(match.group(1))):
            continue
        shutil.rmtree(os.path.join(root, name), ignore_errors=True)
        removed.append(name)
    if removed:
        logger.info("Removed %s scratch folders of processes that are gone", len(removed))
    return removed


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
