"""Imports run as jobs in the process that asks for them.

A push import (ShotGrid's sync daemon, another Kitsu's sync) waits for the rows it sent, and
`import_kitsu` is itself the long process: both run their job here, through the kind's Celery
task applied locally (`Task.apply`), so the row gets what every job gets from
`kitsu_server.core.jobs` (states, attempts, progress, retries on a lost database, the error of a
failure) and is read at `/api/data/jobs` like any other, while its result goes back to the caller.

Each run has its own key: two pushes of the same payload are two runs, both harmless since
imports match rows by their natural keys (a ShotGrid id, a preserved Kitsu id).
"""

import uuid

from assets.models import Entity
from exchange.rows import rendered_in_order
from files.models import DataImportError
from kitsu_server.api.json import serialize_value
from kitsu_server.core.models import Job


def run_job_here(job_kind, /, created_by=None, project=None, **params):
    """Run the job `job_kind` with `params` now, in this process: its `Job` row once finished
    (succeeded, or failed with its error)."""
    row = Job.objects.create(
        name=job_kind.name,
        key=f"{job_kind.name}:run:{uuid.uuid4()}",
        params=serialize_value(params),
        project=project,
        created_by=created_by,
    )
    job_kind.task.apply(args=[str(row.pk)])
    row.refresh_from_db()
    return row


def failure_message(job):
    """What a failed import job tells its caller: its error without the exception's name when
    it is a refusal of the data (a 400 raised in the job)."""
    error = job.error or "The import failed."
    refused = "WrongParameter: "
    return error[len(refused) :] if error.startswith(refused) else f"The import failed: {error}"


def rows_in_order(model, ids):
    """The rows of `ids` rendered as their /data route gives them, in that order; entities
    (assets, shots...) typed "Entity", as the reference's imports answer them."""
    is_entity = model._meta.concrete_model is Entity
    return rendered_in_order(model, ids, type_name="Entity" if is_entity else None)


def keep_row_error(source, kind, reason, job_id, **about):
    """A row an import left out, with the reason, in the import errors (`DataImportError`)."""
    return DataImportError.objects.create(
        source=source, event_data={"kind": kind, "error": reason, "job_id": str(job_id), **about}
    )
