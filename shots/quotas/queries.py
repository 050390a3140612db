"""Heavy reads of the quotas of a production: the frames, seconds, drawings and counts of done
shot work per day, week, month and year, grouped by the database (one or two queries)."""

import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Sum
from django.db.models.functions import Cast, Coalesce, Round, TruncDate

from kitsu_server.core.calendar import business_days, naive_utc, person_timezone
from shots.queries import project_fps
from tasks.models import Task, TaskPersonLink, TimeSpent


class Quotas:
    """Frames, seconds, drawings and counts of done work per day, ISO week, month and year, for
    each person (or each task type of one person) and in total."""

    def __init__(self, fps, tz):
        self.fps = fps
        self.tz = tz
        self.entries = {}

    @staticmethod
    def new_entry():
        periods = {
            name: {"frames": {}, "seconds": {}, "count": {}, "entries": {}, "drawings": {}}
            for name in ("day", "week", "month")
        }
        periods["year"] = {"frames": {}, "seconds": {}, "count": {}, "drawings": {}}
        return periods

    def local_day(self, value):
        """A stored UTC datetime as the local day of the reader; a date stays as it is."""
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.UTC)
            return value.astimezone(self.tz).date()
        return value

    def add(self, entry_ids, day, frames, drawings, count=1):
        day = self.local_day(day)
        date_key = day.isoformat()
        iso_year, iso_week, _ = day.isocalendar()
        keys = {
            "day": date_key,
            "week": f"{iso_year}-{iso_week}",
            "month": date_key[:7],
            "year": date_key[:4],
        }
        groups = {"day": keys["month"], "week": keys["week"][:4], "month": keys["year"]}
        seconds = frames / self.fps
        for entry_id in entry_ids:
            entry = self.entries.setdefault(entry_id, self.new_entry())
            for period, key in keys.items():
                values = entry[period]
                if key not in values["frames"]:
                    for name in ("frames", "seconds", "count", "drawings"):
                        values[name][key] = 0
                    if period in groups:
                        values["entries"][groups[period]] = values["entries"].get(groups[period], 0) + 1
                values["frames"][key] += frames
                values["seconds"][key] += seconds
                values["drawings"][key] += drawings
                values["count"][key] += count

    def rounded(self):
        for entry in self.entries.values():
            for period in entry.values():
                period["count"] = {key: round(value, 2) for key, value in period["count"].items()}
        return self.entries


QUOTA_COUNT_MODES = ("weighted", "weighteddone", "feedback", "done")


def project_quotas(project, reader, count_mode, task_type_id=None, person_id=None, studio_id=None):
    """The quotas of a production's shots (of one task type, or of one person by task type), by
    day, week, month and year in the reader's time zone. `count_mode`: "weighted" (by time
    logged, tasks that got a feedback request), "weighteddone" (approved tasks), "feedback" or
    "done" (each task counted once on its end day)."""
    compute = weighted_quotas if "weighted" in count_mode else raw_quotas
    feedback = "done" not in count_mode
    return compute(project, person_timezone(reader), task_type_id, person_id, studio_id, feedback)


def quota_tasks(project_id, task_type_id, feedback, studio_id):
    """The production's shot tasks that ended (got a feedback request, or were approved)."""
    scope = {"project_id": project_id, "entity__entity_type__name": "Shot"}
    if task_type_id is not None:
        scope["task_type_id"] = task_type_id
    scope["end_date__isnull" if feedback else "done_date__isnull"] = False
    queryset = Task.objects.filter(**scope)
    if studio_id is not None:
        queryset = queryset.filter(
            pk__in=TaskPersonLink.objects.filter(person__studio_id=studio_id).values("task_id")
        )
    return queryset


def assignments(tasks, person_id):
    """One row per assignee of `tasks` (of the tasks of `person_id` when given), as the reference
    joins them: a task of two assignees counts for both."""
    links = TaskPersonLink.objects.filter(task_id__in=tasks.values("pk"))
    if person_id is not None:
        links = links.filter(task_id__in=TaskPersonLink.objects.filter(person_id=person_id).values("task_id"))
    return links


def raw_quotas(project, tz, task_type_id=None, person_id=None, studio_id=None, feedback=True):
    """Each ended task counts once on its end day (local to the reader) for each of its assignees
    (for each task type when the quotas are a person's). Counted by the database per entry and
    day; one query."""
    quotas = Quotas(project_fps(project), tz)
    end_column = "task__end_date" if feedback else "task__done_date"
    entry_column = "person_id" if person_id is None else "task__task_type_id"
    groups = (
        assignments(quota_tasks(project.pk, task_type_id, feedback, studio_id), person_id)
        .annotate(day=TruncDate(end_column, tzinfo=tz))
        .values(entry_column, "day")
        .annotate(
            count=Count("pk"),
            frames=Coalesce(Sum("task__entity__nb_frames"), 0),
            drawings=Coalesce(Sum("task__nb_drawings"), 0),
        )
        .order_by("day")
    )
    for group in groups:
        quotas.add(
            [str(group[entry_column]), "total"],
            group["day"],
            group["frames"],
            group["drawings"],
            group["count"],
        )
    return quotas.entries


def weighted_quotas(project, tz, task_type_id=None, person_id=None, studio_id=None, feedback=True):
    """Time logged on an ended task weighs its share of the task's duration, frames and drawings
    included, on the day it was logged, for the person who logged it: summed by the database per
    entry and day. A task nobody logged time on spreads over its working days from WIP to its
    end, for each assignee. Two queries."""
    quotas = Quotas(project_fps(project), tz)
    tasks = quota_tasks(project.pk, task_type_id, feedback, studio_id)
    spent = TimeSpent.objects.filter(task_id__in=tasks.values("pk"), task__duration__gt=0)
    if person_id is not None:
        spent = spent.filter(person_id=person_id)
    entry_column = "person_id" if person_id is None else "task__task_type_id"
    share = F("duration") / F("task__duration")
    groups = (
        spent.values(entry_column, "date")
        .annotate(
            count=Sum(share),
            frames=Sum(Cast(Round(Coalesce(F("task__entity__nb_frames"), 0) * share), IntegerField())),
            drawings=Sum(Cast(Round(Coalesce(F("task__nb_drawings"), 0) * share), IntegerField())),
        )
        .order_by("date", entry_column)
    )
    for group in groups:
        quotas.add(
            [str(group[entry_column]), "total"],
            group["date"],
            group["frames"],
            group["drawings"],
            group["count"],
        )
    end_column = "task__end_date" if feedback else "task__done_date"
    untimed = (
        assignments(
            tasks.filter(real_start_date__isnull=False).exclude(
                Exists(TimeSpent.objects.filter(task_id=OuterRef("pk")))
            ),
            person_id,
        )
        .order_by("task__real_start_date", "pk")
        .values_list(
            "person_id",
            "task__task_type_id",
            "task__real_start_date",
            end_column,
            "task__entity__nb_frames",
            "task__nb_drawings",
        )
    )
    for assignee_id, untimed_task_type_id, start, end, frames, drawings in untimed:
        start, end = naive_utc(start), naive_utc(end)
        days = business_days(start, end) + 1
        frames = round(frames / days) or 0 if frames is not None else 0
        entry_id = str(assignee_id) if person_id is None else str(untimed_task_type_id)
        day = start
        for _ in range((end - start).days + 1):
            if day.weekday() < 5:
                quotas.add([entry_id, "total"], day, frames, drawings or 0, 1 / days)
            day += datetime.timedelta(days=1)
    return quotas.rounded()
