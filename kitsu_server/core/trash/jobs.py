"""The trash's background jobs: the purge of one item, and the sweep of expired items and old
tombstones (on each worker's start and daily through Celery beat)."""

from kitsu_server.core.jobs import job
from kitsu_server.core.trash import services


@job("trash.purge", key=lambda item_id: f"trash-item:{item_id}")
def purge_trash_item(report, item_id):
    """Purge one trash item (re-runnable: a purged item is left alone)."""
    return services.purge_item(item_id, report)


@job("trash.sweep", key=lambda: "all")
def sweep_trash(report):
    """Purge the items past their retention and drop the tombstones past TRASH_TOMBSTONE_DAYS."""
    return services.sweep()
