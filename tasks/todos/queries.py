"""Reads of the to-do lists: a person's tasks (done or not, related), the open tasks of the
productions with their stats and burndown, and the span of people's tasks (task dates).

Every list is built from a few flat queries whatever its length: one `values()` query for the rows
(joins give the names of what they point at) and one query per attached list (assignees, last
comments, casting episodes) keyed by the row ids. Counts and sums are asked of the database.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from assets.models import EntityLink
from kitsu_server.api.json import (
    date_text,
    text_or_none,
)
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, open_team_project_ids
from tasks.models import (
    Comment,
    Task,
    TaskPersonLink,
)
from tasks.queries import author_role, render_tasks, shape_of, with_full_context

# --- detailed task rows (to-do lists, open tasks) -----------------------------------------------

DETAIL_LOOKUPS = (
    "project__name",
    "project__has_avatar",
    "entity__name",
    "entity__description",
    "entity__data",
    "entity__preview_file_id",
    "entity__entity_type__name",
    "entity__canceled",
    "entity__parent_id",
    "entity__parent__name",
    "entity__parent__parent_id",
    "entity__parent__parent__name",
    "entity__source_id",
    "entity__source__name",
    "entity__source__entity_type__name",
    "task_type__name",
    "task_type__for_entity",
    "task_type__color",
    "task_status__name",
    "task_status__color",
    "task_status__short_name",
)


def episode_of(row):
    """The episode the reference shows next to a task: the shot's sequence's parent, else the
    entity's source (an asset made for an episode; "MP" when that source is no episode), and for
    a sequence its parent."""
    episode_id, episode_name = row["entity__parent__parent_id"], row["entity__parent__parent__name"]
    if episode_id is None:
        episode_id = row["entity__source_id"] or ""
        if episode_id:
            is_episode = row["entity__source__entity_type__name"] == "Episode"
            episode_name = row["entity__source__name"] if is_episode else "MP"
    if row["entity__entity_type__name"] == "Sequence" and row["entity__parent_id"] is not None:
        episode_id, episode_name = row["entity__parent_id"], row["entity__parent__name"]
    return str(episode_id), episode_name


def detailed_task(row, shape):
    """A task row with the names of its project, entity, sequence, episode, type and status."""
    data = shape.format_row(row)
    episode_id, episode_name = episode_of(row)
    data.update(
        {
            "project_name": row["project__name"],
            "project_has_avatar": row["project__has_avatar"],
            "entity_name": row["entity__name"],
            "entity_description": row["entity__description"],
            # Rows written without custom data (an older demo, a TV show's first episode) read
            # as an empty object, as every row the reference writes does: the to-do's metadata
            # columns index into it.
            "entity_data": row["entity__data"] or {},
            "entity_preview_file_id": text_or_none(row["entity__preview_file_id"]) or "",
            "entity_source_id": text_or_none(row["entity__source_id"]) or "",
            "entity_type_name": row["entity__entity_type__name"],
            "entity_canceled": row["entity__canceled"],
            "sequence_name": row["entity__parent__name"],
            "episode_id": episode_id,
            "episode_name": episode_name,
            "task_type_for_entity": row["task_type__for_entity"],
        }
    )
    return data


def detailed_tasks(queryset):
    shape = shape_of("tasks")
    rows = queryset.values(*shape.attnames, *DETAIL_LOOKUPS)
    return [(detailed_task(row, shape), row) for row in rows]


def attach_assignees(tasks, task_ids):
    """`assignees` id lists, one query (`task_ids`: ids, or a subquery of them)."""
    by_task = defaultdict(list)
    for task_id, person_id in TaskPersonLink.objects.filter(task_id__in=task_ids).values_list(
        "task_id", "person_id"
    ):
        by_task[str(task_id)].append(str(person_id))
    for task in tasks:
        task["assignees"] = by_task.get(task["id"], [])


def attach_last_comments(tasks, task_ids):
    """`last_comment`: the newest comment of each task written by anyone but a client, one query."""
    comments = (
        Comment.objects.filter(object_id__in=task_ids)
        .annotate(author_role=author_role())
        .exclude(author_role="client")
        .order_by("object_id", "created_at")
        .values_list("object_id", "text", "created_at", "person_id")
    )
    last = {}
    for task_id, text, created_at, person_id in comments:
        last[str(task_id)] = {"text": text, "date": date_text(created_at), "person_id": str(person_id)}
    for task in tasks:
        task["last_comment"] = last.get(task["id"], {})


def attach_casting_episodes(tasks, entity_ids):
    """`episode_ids` / `episode_names` of entities cast in episodes (assets of a TV show)."""
    links = (
        EntityLink.objects.filter(entity_out_id__in=entity_ids, entity_in__entity_type__name="Episode")
        .order_by("entity_in__name")
        .values_list("entity_out_id", "entity_in_id", "entity_in__name")
    )
    ids, names = defaultdict(list), defaultdict(list)
    for entity_id, episode_id, episode_name in links:
        ids[str(entity_id)].append(str(episode_id))
        names[str(entity_id)].append(episode_name)
    for task in tasks:
        if task["entity_id"] in ids:
            task["episode_ids"] = ids[task["entity_id"]]
            task["episode_names"] = names[task["entity_id"]]


# --- a person's tasks ---------------------------------------------------------------------------


def todo_row(data, row):
    """A detailed task row with the task columns the to-do lists repeat under `task_` names."""
    data.update(
        {
            "task_estimation": row["estimation"],
            "task_duration": row["duration"],
            "task_start_date": data["start_date"],
            "task_due_date": data["due_date"],
            "task_type_name": row["task_type__name"],
            "task_status_name": row["task_status__name"],
            "task_type_color": row["task_type__color"],
            "task_status_color": row["task_status__color"],
            "task_status_short_name": row["task_status__short_name"],
        }
    )
    return data


def person_tasks(person, project_ids, done=False):
    """The to-do list of `person` in `project_ids` (a subquery or ids): their tasks with the names
    around them, assignees and last comment; `done`: the finished ones, newest end first."""
    # A join with the assignment links, not `pk IN (subquery)`: joined first, the links of the
    # person lead the plan (their tasks by primary key) where the subquery, planned after the
    # dozen joins of the names, made PostgreSQL scan every task (28-37 ms -> 7-11 ms for 500
    # tasks among 25,600). A task is linked to a person once: no duplicate rows.
    queryset = with_full_context(Task.objects.filter(assignees=person))
    queryset = queryset.filter(project_id__in=project_ids, task_status__is_done=done)
    if done:
        queryset = queryset.order_by(
            F("end_date").desc(nulls_first=True), "task_type__name", "entity__name", "pk"
        )
    else:
        queryset = queryset.order_by("project__name", "task_type__name", "entity__name", "pk")
    tasks = [todo_row(data, row) for data, row in detailed_tasks(queryset)]
    if tasks:
        task_ids = queryset.values("pk")
        attach_casting_episodes(tasks, queryset.values("entity_id"))
        attach_assignees(tasks, task_ids)
        attach_last_comments(tasks, task_ids)
    return tasks


def person_related_tasks(person, task_type_id, project_ids):
    """Tasks of `task_type_id` on the entities where `person` holds a task, in `project_ids`."""
    entity_ids = Task.objects.filter(
        pk__in=TaskPersonLink.objects.filter(person=person).values("task_id"), project_id__in=project_ids
    ).values("entity_id")
    queryset = Task.objects.filter(entity_id__in=entity_ids, task_type_id=task_type_id)
    return render_tasks(queryset.order_by("entity__name", "name", "pk"))


# --- open tasks ---------------------------------------------------------------------------------


@dataclass
class OpenTaskFilters:
    """The query-string filters of the open tasks routes, parsed (ids as UUIDs, dates as datetimes)."""

    project_id: object = None
    task_type_id: object = None
    task_status_id: object = None
    person_ids: object = None  # a list of ids, or "unassigned"
    studio_id: object = None
    department_id: object = None
    start_date: object = None
    due_date: object = None
    priority: int = None
    assigned_to: object = None  # a vendor reads only the tasks they are assigned


def open_tasks_queryset(access, filters):
    """Tasks of open projects the person reaches (one project when asked, access checked by the
    caller), concept tasks aside unless their type is asked, narrowed by `filters`."""
    queryset = with_full_context(Task.objects.filter(project__project_status__isnull=False))
    if filters.project_id is not None:
        queryset = queryset.filter(project_id=filters.project_id)
    elif access.is_admin:
        queryset = queryset.filter(project__project_status__name=OPEN_PROJECT_STATUS)
    else:
        queryset = queryset.filter(project_id__in=open_team_project_ids(access.person))
    if filters.assigned_to is not None:
        queryset = queryset.filter(
            pk__in=TaskPersonLink.objects.filter(person=filters.assigned_to).values("task_id")
        )
    if filters.task_type_id is not None:
        queryset = queryset.filter(task_type_id=filters.task_type_id)
    else:  # SQL's `!=`: a type without `for_entity` goes too, as on the reference
        queryset = queryset.filter(task_type__for_entity__isnull=False).exclude(
            task_type__for_entity="Concept"
        )
    if filters.task_status_id is not None:
        queryset = queryset.filter(task_status_id=filters.task_status_id)
    if filters.person_ids == "unassigned":
        queryset = queryset.exclude(pk__in=TaskPersonLink.objects.values("task_id"))
    elif filters.person_ids:
        queryset = queryset.filter(
            pk__in=TaskPersonLink.objects.filter(person_id__in=filters.person_ids).values("task_id")
        )
    if filters.studio_id is not None:
        queryset = queryset.filter(
            pk__in=TaskPersonLink.objects.filter(person__studio_id=filters.studio_id).values("task_id")
        )
    if filters.department_id is not None:
        queryset = queryset.filter(
            pk__in=TaskPersonLink.objects.filter(person__departments=filters.department_id).values("task_id")
        )
    if filters.start_date is not None:
        queryset = queryset.filter(start_date__gte=filters.start_date)
    if filters.due_date is not None:
        queryset = queryset.filter(due_date__lte=filters.due_date)
    if filters.priority is not None:  # the reference compares the task type's priority
        queryset = queryset.filter(task_type__priority=filters.priority)
    return queryset


OPEN_TASKS_ORDER = (
    F("project__name").asc(nulls_last=True),
    F("entity__parent__parent__name").asc(nulls_last=True),
    F("entity__parent__name").asc(nulls_last=True),
    F("entity__entity_type__name").asc(nulls_last=True),
    F("entity__name").asc(nulls_last=True),
    F("task_type__name").asc(nulls_last=True),
    "pk",
)


def open_tasks(access, filters, page=None, limit=100):
    """One page of open tasks with the names around them and their assignees, and the stats of
    the whole selection: total, time spent and estimated, tasks per status."""
    queryset = open_tasks_queryset(access, filters)
    limit = max(limit, 1)
    offset = (page - 1) * limit if page is not None and page > 0 else 0
    rows = detailed_tasks(queryset.order_by(*OPEN_TASKS_ORDER)[offset : offset + limit])
    tasks = []
    for data, row in rows:
        data.update(
            {
                "type_name": row["task_type__name"],
                "status_name": row["task_status__name"],
                "type_color": row["task_type__color"],
                "status_color": row["task_status__color"],
                "status_short_name": row["task_status__short_name"],
            }
        )
        tasks.append(data)
    result = {
        "data": tasks,
        "stats": {"total_duration": 0, "total_estimation": 0, "total": 0, "status": []},
        "limit": limit,
        "is_more": False,
        "page": page or 1,
    }
    if not tasks:
        return result
    attach_assignees(tasks, [task["id"] for task in tasks])
    totals = queryset.aggregate(total=Count("pk"), duration=Sum("duration"), estimation=Sum("estimation"))
    per_status = queryset.values("task_status_id").annotate(amount=Count("pk")).order_by("task_status_id")
    result["stats"] = {
        "total_duration": totals["duration"],
        "total_estimation": totals["estimation"],
        "total": totals["total"],
        "status": [
            {"task_status_id": str(stat["task_status_id"]), "amount": stat["amount"]} for stat in per_status
        ],
    }
    result["is_more"] = (page or 1) * limit < totals["total"]
    return result


def open_tasks_stats(access):
    """Per open project (of the person's team, all for admins; a vendor counts their own tasks):
    tasks, done tasks, time spent and estimated, with the detail per task type and status."""
    queryset = with_full_context(Task.objects.filter(task_type__for_entity__isnull=False))
    queryset = queryset.exclude(task_type__for_entity="Concept")
    if access.is_admin:
        queryset = queryset.filter(project__project_status__name=OPEN_PROJECT_STATUS)
    else:
        queryset = queryset.filter(project_id__in=open_team_project_ids(access.person))
    if access.role == "vendor":
        queryset = queryset.filter(
            pk__in=TaskPersonLink.objects.filter(person=access.person).values("task_id")
        )
    groups = (
        queryset.values("project_id", "task_type_id", "task_status_id")
        .annotate(
            amount=Count("pk"),
            amount_done=Count("pk", filter=Q(task_status__is_done=True)),
            total_duration=Coalesce(Sum("duration"), 0.0, output_field=FloatField()),
            total_estimation=Coalesce(Sum("estimation"), 0.0, output_field=FloatField()),
        )
        .order_by("project_id", "task_type_id", "task_status_id")
    )
    stats = {}
    for group in groups:
        project_id = str(group["project_id"])
        entry = {
            "task_status_id": str(group["task_status_id"]),
            "task_type_id": str(group["task_type_id"]),
            "project_id": project_id,
            "amount": group["amount"],
            "amount_done": group["amount_done"],
            "total_duration": group["total_duration"],
            "total_estimation": group["total_estimation"],
        }
        project = stats.setdefault(
            project_id,
            {"amount": 0, "amount_done": 0, "total_duration": 0, "total_estimation": 0, "task_types": []},
        )
        for name in ("amount", "amount_done", "total_duration", "total_estimation"):
            project[name] += entry[name]
        project["task_types"].append(entry)
    return stats


def open_tasks_burndown(access, filters):
    """What a burndown chart needs for the selected open tasks: their number and estimation, the
    planned window (task dates, else project dates) and the tasks done per day."""
    queryset = open_tasks_queryset(access, filters)
    totals = queryset.aggregate(
        total=Count("pk"),
        estimation=Sum("estimation"),
        first_start=Min("start_date"),
        last_due=Max("due_date"),
        first_project_start=Min("project__start_date"),
        last_project_end=Max("project__end_date"),
    )
    done_rows = list(
        queryset.filter(done_date__isnull=False)
        .annotate(day=TruncDate("done_date", tzinfo=datetime.UTC))
        .values("day")
        .annotate(done=Count("pk"), done_estimation=Sum("estimation"))
        .order_by("day")
    )
    first_start = _as_date(totals["first_start"])
    last_due = _as_date(totals["last_due"])
    schedule_start = first_start or totals["first_project_start"]
    planning = [day for day in (schedule_start, last_due or totals["last_project_end"]) if day is not None]
    window_start = min(planning) if schedule_start is not None else None
    done_rows = fold_days_before(done_rows, window_start)
    bounds = list(planning)
    if done_rows:
        bounds += [done_rows[0]["day"], done_rows[-1]["day"]]
    return {
        "total": totals["total"],
        "total_estimation": totals["estimation"] or 0,
        "start_date": date_text(min(bounds)) if bounds else None,
        "end_date": date_text(max(bounds)) if bounds else None,
        "done_by_day": [
            {
                "date": date_text(row["day"]),
                "done": row["done"],
                "done_estimation": row["done_estimation"] or 0,
            }
            for row in done_rows
        ],
    }


def _as_date(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.date()
    return value


def fold_days_before(done_rows, window_start):
    """Tasks done before the planned window count on its first day (rows: {day, done,
    done_estimation})."""
    if window_start is None:
        return done_rows
    early = [row for row in done_rows if row["day"] < window_start]
    if not early:
        return done_rows
    folded = early + [row for row in done_rows if row["day"] == window_start]
    first = {
        "day": window_start,
        "done": sum(row["done"] for row in folded),
        "done_estimation": sum(row["done_estimation"] or 0 for row in folded),
    }
    return [first] + [row for row in done_rows if row["day"] > window_start]


# --- people's planning --------------------------------------------------------------------------


def persons_task_dates(project_ids, busy_project_ids=None):
    """Per active assignee: the first start and last due date of their tasks in `project_ids`, and
    the merged periods they are busy elsewhere (`busy_project_ids`)."""
    links = TaskPersonLink.objects.filter(person__active=True)
    spans = (
        links.filter(task__project_id__in=project_ids)
        .values("person_id")
        .annotate(min_date=Min("task__start_date"), max_date=Max("task__due_date"))
        .order_by("person_id")
    )
    entries = {}
    for span in spans:
        person_id = str(span["person_id"])
        entries[person_id] = {
            "person_id": person_id,
            "min_date": date_text(span["min_date"]),
            "max_date": date_text(span["max_date"]),
            "busy_periods": [],
        }
    if busy_project_ids:
        intervals = defaultdict(list)
        busy = links.filter(
            task__project_id__in=busy_project_ids,
            task__start_date__isnull=False,
            task__due_date__isnull=False,
        ).values_list("person_id", "task__start_date", "task__due_date")
        for person_id, start, end in busy:
            intervals[str(person_id)].append((start, end))
        for person_id, periods in intervals.items():
            entry = entries.setdefault(
                person_id, {"person_id": person_id, "min_date": None, "max_date": None, "busy_periods": []}
            )
            entry["busy_periods"] = [
                {"start_date": _naive_text(start), "end_date": _naive_text(end)}
                for start, end in merge_periods(periods)
            ]
    return list(entries.values())


def _naive_text(value):
    """A datetime as Python prints it, in UTC without zone ("2024-03-01 00:00:00"), as the reference."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return str(value)


def merge_periods(periods):
    merged = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
