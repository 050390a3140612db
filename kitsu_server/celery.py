"""The Celery application: tasks are found in each app's `jobs.py` (not `tasks.py`, which would
read as the `tasks` app; see kitsu_server.core.jobs for how a job is declared).

Without REDIS_URL the settings make every task run eagerly in the calling
process; with it, tasks go through Redis to `celery -A kitsu_server worker`.
"""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

app = Celery("kitsu_server")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


@app.task(name="kitsu_server.ping")
def ping():
    """Round trip through the queue: what the status routes use to tell a worker answers."""
    return "pong"


@worker_ready.connect
def sweep_scratch_folders(**_):
    """A worker starting removes what killed processes left in their scratch folders."""
    from kitsu_server.core.jobs import sweep_orphan_workspaces

    sweep_orphan_workspaces()


@app.task(name="kitsu_server.trash_sweep")
def enqueue_trash_sweep():
    """Daily (`CELERY_BEAT_SCHEDULE`, run by `celery -A kitsu_server beat`): the trash's sweep
    job, which purges the items past their retention (one active sweep at a time: its key)."""
    from kitsu_server.core.trash.jobs import sweep_trash

    sweep_trash.enqueue()
