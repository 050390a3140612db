"""The Celery application: tasks are found in each app's `tasks.py`.

Without REDIS_URL the settings make every task run eagerly in the calling
process; with it, tasks go through Redis to `celery -A kitsu_server worker`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")

app = Celery("kitsu_server")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="kitsu_server.ping")
def ping():
    """Round trip through the queue: what the status routes use to tell a worker answers."""
    return "pong"
