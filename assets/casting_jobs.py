"""The casting stats of a whole project, recomputed in the background (the job is in assets.jobs).

Writes keep the casting stats of the shots they touch up to date (breakdown_services); this
recomputes them for every shot of a project, after an import or a repair. Re-runnable: each
batch recounts from the casting as it is, so a second run finds nothing to change (and records
no event).
"""

from django.db import transaction

from assets.breakdown.services import refresh_casting_stats
from assets.models import Entity
from kitsu_server.core.events import EventLog

BATCH_SIZE = 500  # shots per transaction: a few queries each, whatever the size of the casting


def refresh_project_casting_stats(project_id, report):
    """Recount the casting stats of every shot of the project, `BATCH_SIZE` shots a transaction,
    reporting the shots done. Answers {"shots": number of shots}."""
    shot_ids = list(
        Entity.objects.filter(project_id=project_id, entity_type__name="Shot")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    total = len(shot_ids)
    report(0, total)
    for start in range(0, total, BATCH_SIZE):
        batch = shot_ids[start : start + BATCH_SIZE]
        refresh_batch(batch)
        report(start + len(batch), total)
    return {"shots": total}


def refresh_batch(shot_ids):
    """One batch in its own transaction, with the `shot:casting-update` events of the counts that
    moved."""
    with transaction.atomic():
        log = EventLog(None)
        refresh_casting_stats(shot_ids, log)
        log.record()
