"""Reads of the time spents of a task, per person, with their total."""

from django.db.models import Sum

from kitsu_server.api.json import (
    serialize_rows,
)
from tasks.models import (
    TimeSpent,
)
from tasks.queries import shape_of

# --- time spents --------------------------------------------------------------------------------


def task_time_spents(task, access, day=None):
    """`{"total": minutes, "<person id>": [time spents...]}` of the time spents of a task that
    `access` reads (visible_time_spents), on one day when given."""
    queryset = access.visible_time_spents(TimeSpent.objects.filter(task=task))
    if day is not None:
        queryset = queryset.filter(date=day)
    result = {"total": queryset.aggregate(total=Sum("duration"))["total"] or 0}
    for row in serialize_rows(queryset.order_by("date", "created_at", "pk"), shape=shape_of("time-spents")):
        result.setdefault(row["person_id"], []).append(row)
    return result
