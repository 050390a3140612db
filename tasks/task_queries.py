"""Heavy reads of the `tasks` area: to-do lists, open tasks and their stats, comment threads,
time spents, full tasks and the project-wide lists.

Every list is built from a few flat queries whatever its length: one `values()` query for the
rows (joins give the names of what they point at) and one query per attached list (assignees,
previews, mentions...) keyed by the row ids, never a query per row. Counts and sums are asked
of the database.
"""

import datetime
import math
import uuid
from collections import defaultdict
from dataclasses import dataclass

import orjson
from django.db.models import Count, F, FloatField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate

from assets.models import Entity, EntityLink
from files.models import AttachmentFile, PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import (
    ModelShape,
    fetch_rows,
    format_datetime,
    serialize_instance,
    serialize_rows,
    text_datetime,
)
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, assigned_task_ids, open_team_project_ids
from kitsu_server.core.access.tasks import blank_task_for_client
from kitsu_server.core.data.pagination import NB_RECORDS_PER_PAGE
from kitsu_server.core.data.policies import REGISTRY
from people.models import Person, full_name
from productions.models import Project, ProjectPersonLink
from tasks.models import (
    Comment,
    CommentAcknowledgement,
    CommentDepartmentMention,
    CommentMention,
    CommentPreviewLink,
    Notification,
    Subscription,
    Task,
    TaskPersonLink,
    TimeSpent,
)

# --- shapes -------------------------------------------------------------------------------------


def shape_of(path):
    """The JSON shape of a /data model, so that these routes write rows as the CRUD does."""
    return REGISTRY[path].shape


class RenamedColumnShape(ModelShape):
    """A model whose column clashes with the JSON `type`: the reference writes it under another
    name (a notification's `type` is its `notification_type`)."""

    def __init__(self, model, renames):
        super().__init__(model)
        self.column_names = [renames.get(name, name) for name in self.column_names]
        self.columns = [(renames.get(column, column), attname) for column, attname in self.columns]
        self.converters = [(renames.get(column, column), convert) for column, convert in self.converters]


NOTIFICATION_SHAPE = RenamedColumnShape(Notification, {"type": "notification_type"})


def render_task(task):
    """One task as the reference's `serialize()` writes it: its columns, no relation."""
    return serialize_instance(task, relations=False, shape=shape_of("tasks"))


def render_tasks(queryset, relations=False):
    return serialize_rows(queryset, relations=relations, shape=shape_of("tasks"))


def render_person(person, relations=False):
    data = serialize_instance(person, relations=relations, shape=shape_of("persons"))
    data["full_name"] = person.full_name
    return data


def render_entity(entity, type_name="Entity"):
    data = serialize_instance(entity, relations=False, shape=shape_of("entities"))
    data["type"] = type_name
    return data


def _text(value):
    return str(value) if value is not None else None


def _date_text(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    return value.isoformat()


# --- pagination ---------------------------------------------------------------------------------


def paginated(queryset, page, limit, render):
    """The reference's pages: a plain list when `page` < 1, else its envelope (`limit` 100 when 0)."""
    if page < 1:
        return render(queryset)
    limit = limit or NB_RECORDS_PER_PAGE
    if limit < 1:
        raise WrongParameter("limit must be a positive integer.")
    total = queryset.count()
    offset = (page - 1) * limit
    rows = [] if total < offset else render(queryset[offset : offset + limit])
    return {
        "data": rows,
        "total": total,
        "nb_pages": math.ceil(total / limit),
        "limit": limit,
        "offset": offset,
        "page": page,
    }


# --- who wrote what -----------------------------------------------------------------------------


def author_role():
    """A comment author's role on the project of the commented task: team role, else global role."""
    team_role = ProjectPersonLink.objects.filter(
        person_id=OuterRef("person_id"), project__tasks=OuterRef("object_id")
    ).values("role")[:1]
    return Coalesce(Subquery(team_role), F("person__role"))


def short_person(row, prefix):
    first_name, last_name = row[f"{prefix}__first_name"], row[f"{prefix}__last_name"]
    return {
        "first_name": first_name,
        "last_name": last_name,
        "full_name": full_name(first_name, last_name),
        "has_avatar": row[f"{prefix}__has_avatar"],
        "role": row[f"{prefix}__role"],
    }


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


def with_full_context(queryset):
    """Only tasks that have a project, a type, a status and an entity (the reference's inner joins)."""
    return queryset.filter(
        project__isnull=False, task_type__isnull=False, task_status__isnull=False, entity__isnull=False
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
            "entity_preview_file_id": _text(row["entity__preview_file_id"]) or "",
            "entity_source_id": _text(row["entity__source_id"]) or "",
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
        last[str(task_id)] = {"text": text, "date": _date_text(created_at), "person_id": str(person_id)}
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
    queryset = with_full_context(
        Task.objects.filter(pk__in=TaskPersonLink.objects.filter(person=person).values("task_id"))
    )
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


def open_project_ids():
    return Project.objects.filter(project_status__name=OPEN_PROJECT_STATUS).values("pk")


def person_related_tasks(person, task_type_id, project_ids):
    """Tasks of `task_type_id` on the entities where `person` holds a task, in `project_ids`."""
    entity_ids = Task.objects.filter(
        pk__in=TaskPersonLink.objects.filter(person=person).values("task_id"), project_id__in=project_ids
    ).values("entity_id")
    queryset = Task.objects.filter(entity_id__in=entity_ids, task_type_id=task_type_id)
    return render_tasks(queryset.order_by("entity__name", "name", "pk"))


def tasks_for_entity_and_task_type(entity, task_type_id, as_client):
    rows = render_tasks(Task.objects.filter(entity=entity, task_type_id=task_type_id).order_by("name", "pk"))
    return [blank_task_for_client(row) for row in rows] if as_client else rows


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
    done_rows = [
        (row["day"], row["done"], row["done_estimation"])
        for row in queryset.filter(done_date__isnull=False)
        .annotate(day=TruncDate("done_date", tzinfo=datetime.UTC))
        .values("day")
        .annotate(done=Count("pk"), done_estimation=Sum("estimation"))
        .order_by("day")
    ]
    first_start = _as_date(totals["first_start"])
    last_due = _as_date(totals["last_due"])
    schedule_start = first_start or totals["first_project_start"]
    planning = [day for day in (schedule_start, last_due or totals["last_project_end"]) if day is not None]
    window_start = min(planning) if schedule_start is not None else None
    done_rows = fold_days_before(done_rows, window_start)
    bounds = list(planning)
    if done_rows:
        bounds += [done_rows[0][0], done_rows[-1][0]]
    return {
        "total": totals["total"],
        "total_estimation": totals["estimation"] or 0,
        "start_date": _date_text(min(bounds)) if bounds else None,
        "end_date": _date_text(max(bounds)) if bounds else None,
        "done_by_day": [
            {"date": _date_text(day), "done": done, "done_estimation": estimation or 0}
            for day, done, estimation in done_rows
        ],
    }


def _as_date(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.date()
    return value


def fold_days_before(done_rows, window_start):
    """Tasks done before the planned window count on its first day."""
    if window_start is None:
        return done_rows
    early = [row for row in done_rows if row[0] < window_start]
    if not early:
        return done_rows
    folded = early + [row for row in done_rows if row[0] == window_start]
    first = (window_start, sum(row[1] for row in folded), sum(row[2] or 0 for row in folded))
    return [first] + [row for row in done_rows if row[0] > window_start]


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
            "min_date": _date_text(span["min_date"]),
            "max_date": _date_text(span["max_date"]),
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


# --- comments -----------------------------------------------------------------------------------

COMMENT_JOINED = (
    "person__first_name",
    "person__last_name",
    "person__has_avatar",
    "person__role",
    "editor__first_name",
    "editor__last_name",
    "editor__has_avatar",
    "editor__role",
    "task_status__name",
    "task_status__short_name",
    "task_status__color",
)


def task_comments(task, as_client=False, as_supervisor=False, reader=None):
    """A task's thread, newest first, as the comment panel reads it: each comment with its author,
    editor, status, previews, mentions, acknowledgements, attachments and reply authors.

    Artists and vendors do not read what clients wrote; a client reads the comments meant for
    clients, those of clients (in an isolated project: their own), and the previews of the others
    with their text blanked."""
    queryset = Comment.objects.filter(object_id=task.pk, task_status__isnull=False).order_by(
        "-created_at", "pk"
    )
    if not as_supervisor and not as_client:
        queryset = queryset.annotate(author_role=author_role()).exclude(author_role="client")
    shape = shape_of("comments")
    comments = []
    for row in queryset.values(*shape.attnames, *COMMENT_JOINED):
        data = shape.format_row(row)
        data["person"] = {**short_person(row, "person"), "id": data["person_id"]}
        if row["editor_id"] is not None:
            editor = short_person(row, "editor")
            del editor["full_name"]
            data["editor"] = {**editor, "id": data["editor_id"]}
        data["task_status"] = {
            "name": row["task_status__name"],
            "short_name": row["task_status__short_name"],
            "color": row["task_status__color"],
            "id": data["task_status_id"],
        }
        comments.append(data)
    if comments:
        comment_ids = [comment["id"] for comment in comments]
        links = {
            "acknowledgements": _link_map(CommentAcknowledgement, "person_id", comment_ids),
            "previews": comment_previews(comment_ids, skip_rejected=as_client),
            "mentions": _link_map(CommentMention, "person_id", comment_ids),
            "department_mentions": _link_map(CommentDepartmentMention, "department_id", comment_ids),
            "attachment_files": comment_attachments(comment_ids),
        }
        for comment in comments:
            for name, by_comment in links.items():
                comment[name] = by_comment.get(comment["id"], [])
        embed_reply_authors(comments)
    if as_client:
        comments = comments_for_client(comments, task, reader)
    return comments


def _link_map(link_model, column, comment_ids):
    by_comment = defaultdict(list)
    for comment_id, value in link_model.objects.filter(comment_id__in=comment_ids).values_list(
        "comment_id", column
    ):
        by_comment[str(comment_id)].append(str(value))
    return by_comment


PREVIEW_SUMMARY = (
    "id",
    "task_id",
    "revision",
    "extension",
    "width",
    "height",
    "duration",
    "status",
    "validation_status",
    "original_name",
    "position",
    "annotations",
)


def comment_previews(comment_ids, skip_rejected=False):
    links = CommentPreviewLink.objects.filter(comment_id__in=comment_ids)
    if skip_rejected:
        links = links.exclude(preview_file__validation_status="rejected")
    rows = links.order_by("preview_file__revision", "preview_file__position", "preview_file__created_at")
    by_comment = defaultdict(list)
    lookups = [f"preview_file__{name}" for name in PREVIEW_SUMMARY]
    for row in rows.values("comment_id", *lookups):
        preview = {name: row[f"preview_file__{name}"] for name in PREVIEW_SUMMARY}
        preview["id"], preview["task_id"] = str(preview["id"]), _text(preview["task_id"])
        preview["status"] = preview["status"] or "ready"
        preview["validation_status"] = preview["validation_status"] or "neutral"
        by_comment[str(row["comment_id"])].append(preview)
    return by_comment


def comment_attachments(comment_ids):
    by_comment = defaultdict(list)
    rows = AttachmentFile.objects.filter(comment_id__in=comment_ids).order_by("created_at", "pk")
    for comment_id, pk, name, extension, reply_id, size in rows.values_list(
        "comment_id", "pk", "name", "extension", "reply_id", "size"
    ):
        by_comment[str(comment_id)].append(
            {"id": str(pk), "name": name, "extension": extension, "reply_id": _text(reply_id), "size": size}
        )
    return by_comment


def embed_reply_authors(comments):
    """Each reply carries a short view of its author, read in one query for the whole thread."""
    person_ids = {
        reply.get("person_id")
        for comment in comments
        for reply in comment.get("replies") or []
        if isinstance(reply, dict) and reply.get("person_id")
    }
    if not person_ids:
        return
    valid_ids = [person_id for person_id in person_ids if _is_uuid(person_id)]
    people = {}
    for row in Person.objects.filter(pk__in=valid_ids).values(
        "pk", "first_name", "last_name", "has_avatar", "role"
    ):
        first_name, last_name = row["first_name"], row["last_name"]
        people[str(row["pk"])] = {
            "id": str(row["pk"]),
            "first_name": first_name,
            "last_name": last_name,
            "full_name": f"{first_name} {last_name}"
            if first_name and last_name
            else f"{first_name}{last_name}",
            "has_avatar": row["has_avatar"],
            "role": row["role"],
        }
    for comment in comments:
        for reply in comment.get("replies") or []:
            if isinstance(reply, dict):
                reply["person"] = people.get(str(reply.get("person_id")))


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def comments_for_client(comments, task, reader):
    """What a client reads of a thread (see `task_comments`); authors are judged by their global
    role, as the reference does."""
    isolated = bool(task.project.is_clients_isolated)
    author_ids = {comment["person_id"] for comment in comments}
    roles = dict(Person.objects.filter(pk__in=author_ids).values_list("pk", "role"))
    roles = {str(pk): role for pk, role in roles.items()}
    kept = []
    for comment in comments:
        by_client = roles.get(comment["person_id"]) == "client"
        for_client = bool(comment.get("for_client"))
        own = comment["person_id"] == str(reader.pk)
        allowed = for_client or (isolated and own) or (not isolated and by_client)
        if comment["previews"] and not by_client and not for_client:
            comment.update({"text": "", "attachment_files": [], "checklist": [], "replies": []})
            kept.append(comment)
        elif allowed:
            kept.append(comment)
    return kept


def project_comments(project, access, page, limit):
    """A project's comments that `access` reads (visible_comments: an artist not the clients'),
    last changed first, with their relation id lists (paginated on ask)."""
    queryset = Comment.objects.filter(object_id__in=Task.objects.filter(project=project).values("pk"))
    queryset = access.visible_comments(queryset).order_by("-updated_at", "pk")

    def render(rows):
        comments = serialize_rows(rows, shape=shape_of("comments"))
        comment_ids = [comment["id"] for comment in comments]
        if not comment_ids:
            return comments
        links = {
            "previews": _link_map(CommentPreviewLink, "preview_file_id", comment_ids),
            "mentions": _link_map(CommentMention, "person_id", comment_ids),
            "department_mentions": _link_map(CommentDepartmentMention, "department_id", comment_ids),
            "acknowledgements": _link_map(CommentAcknowledgement, "person_id", comment_ids),
            "attachment_files": defaultdict(list),
        }
        for comment_id, pk in AttachmentFile.objects.filter(comment_id__in=comment_ids).values_list(
            "comment_id", "pk"
        ):
            links["attachment_files"][str(comment_id)].append(str(pk))
        for comment in comments:
            for name, by_comment in links.items():
                comment[name] = by_comment.get(comment["id"], [])
        return comments

    return paginated(queryset, page, limit, render)


# --- project-wide lists -------------------------------------------------------------------------


def project_tasks(project, page, task_type_id=None, episode_id=None, vendor=None, as_client=False):
    """A project's tasks, last changed first, with their assignees (paginated on ask). A vendor
    reads the tasks they are assigned, a client reads them with the studio fields blank."""
    queryset = Task.objects.filter(project=project).order_by("-updated_at", "pk")
    if task_type_id is not None:
        queryset = queryset.filter(task_type_id=task_type_id)
    if episode_id is not None:
        queryset = queryset.filter(entity__parent__parent_id=episode_id)
    if vendor is not None:
        queryset = queryset.filter(pk__in=TaskPersonLink.objects.filter(person=vendor).values("task_id"))

    def render(rows):
        tasks = render_tasks(rows, relations=True)
        return [blank_task_for_client(task) for task in tasks] if as_client else tasks

    return paginated(queryset, page, None, render)


def project_notifications(project, page):
    queryset = Notification.objects.filter(task__project=project).order_by("-updated_at", "pk")
    return paginated(queryset, page, None, lambda rows: serialize_rows(rows, shape=NOTIFICATION_SHAPE))


def project_subscriptions(project):
    queryset = Subscription.objects.filter(task__project=project).order_by("created_at", "pk")
    return serialize_rows(queryset, shape=shape_of("subscriptions"))


def project_preview_files(project, page):
    queryset = PreviewFile.objects.filter(task__project=project).order_by("-updated_at", "pk")
    return paginated(queryset, page, None, lambda rows: serialize_rows(rows, shape=shape_of("preview-files")))


def task_previews(task, as_client=False):
    queryset = PreviewFile.objects.filter(task=task).order_by("-revision", "position", "created_at")
    if as_client:
        queryset = queryset.exclude(validation_status="rejected")
    return serialize_rows(queryset, shape=shape_of("preview-files"))


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


# --- one task in full ---------------------------------------------------------------------------


def full_task(task, reader):
    """A task with what the task panel shows around it: entity, types, status, project, assignees,
    assigner, the reader's subscription, and the sequence and episode of a shot."""
    task = Task.objects.select_related(
        "project", "task_type", "task_status", "entity", "entity__entity_type", "assigner"
    ).get(pk=task.pk)
    data = serialize_instance(task, relations=True, shape=shape_of("tasks"))
    entity = task.entity
    entity_data = render_entity(entity) if entity is not None else None
    entity_type = entity.entity_type if entity is not None else None
    persons = Person.objects.filter(pk__in=TaskPersonLink.objects.filter(task=task).values("person_id"))
    data.update(
        {
            "entity": entity_data,
            "entity_type": serialize_instance(entity_type, shape=shape_of("entity-types"))
            if entity_type
            else None,
            "is_subscribed": Subscription.objects.filter(task=task, person=reader).exists(),
            "persons": [
                render_person(person) for person in persons.order_by("last_name", "first_name", "pk")
            ],
            "project": serialize_instance(task.project, shape=shape_of("projects")) if task.project else None,
            "task_status": serialize_instance(task.task_status, shape=shape_of("task-status"))
            if task.task_status
            else None,
            "task_type": serialize_instance(task.task_type, shape=shape_of("task-types"))
            if task.task_type
            else None,
            "type": "Task",
        }
    )
    if task.assigner is not None:
        data["assigner"] = render_person(task.assigner, relations=True)
    if entity is None or entity.parent_id is None:
        return data
    kind = entity_type.name
    if kind == "Sequence":
        sequence, sequence_data = entity, entity_data
    elif kind in ("Shot", "Scene"):
        sequence = entity.parent
        sequence_data = render_entity(sequence, "Sequence")
    else:
        return data
    data["sequence"] = sequence_data
    if sequence.parent_id is not None:
        data["episode"] = render_entity(sequence.parent, "Episode")
    return data


# --- flat reads (values lists turned JSON-ready, no model instance) ------------------------------

# Column kinds of the flat reads: how a raw value becomes JSON.
UUID, DATETIME, JSON = "uuid", "datetime", "json"


def _converter(kind, as_text):
    if kind == UUID:
        return None if as_text else str
    if kind == DATETIME:
        return text_datetime if as_text else format_datetime
    if kind == JSON:
        return orjson.loads if as_text else None
    return None


def read_rows(queryset, columns):
    """The rows of `queryset` as lists of JSON-ready values, one per `(lookup, kind)` of `columns`."""
    rows, as_text = fetch_rows(queryset, [lookup for lookup, _ in columns])
    converters = [
        (index, convert)
        for index, (_, kind) in enumerate(columns)
        if (convert := _converter(kind, as_text)) is not None
    ]
    result = []
    for row in rows:
        row = list(row)
        for index, convert in converters:
            value = row[index]
            if value is not None:
                row[index] = convert(value)
        result.append(row)
    return result


def read_dicts(queryset, columns):
    """Like `read_rows`, as dicts keyed by each column's name: `columns` holds (name, lookup, kind)."""
    rows = read_rows(queryset, [(lookup, kind) for _, lookup, kind in columns])
    names = [name for name, _, _ in columns]
    return [dict(zip(names, row, strict=True)) for row in rows]


# --- tasks of entities (boards and entity pages) -----------------------------------------------

# The task columns of a board, in their read order; `priority` reads 0 when unset.
BOARD_TASK_COLUMNS = [
    ("id", "id", UUID),
    ("entity_id", "entity_id", UUID),
    ("task_type_id", "task_type_id", UUID),
    ("task_status_id", "task_status_id", UUID),
    ("priority", "priority", None),
    ("estimation", "estimation", None),
    ("duration", "duration", None),
    ("retake_count", "retake_count", None),
    ("real_start_date", "real_start_date", DATETIME),
    ("end_date", "end_date", DATETIME),
    ("start_date", "start_date", DATETIME),
    ("due_date", "due_date", DATETIME),
    ("done_date", "done_date", DATETIME),
    ("last_comment_date", "last_comment_date", DATETIME),
    ("last_preview_file_id", "last_preview_file_id", UUID),
    ("nb_assets_ready", "nb_assets_ready", None),
    ("difficulty", "difficulty", None),
    ("nb_drawings", "nb_drawings", None),
    ("data", "data", JSON),
]
BOARD_TASKS = {name: (name, lookup, kind) for name, lookup, kind in BOARD_TASK_COLUMNS}


def subscribed_task_ids(person, project_id, kind=None, entity_type_ids=None):
    """The tasks of a production's entities the person follows, of the entity type named `kind`
    or among `entity_type_ids` (a subquery); none without a person or a production."""
    if project_id is None or person is None:
        return set()
    subscriptions = Subscription.objects.filter(person_id=person.pk, task__project_id=project_id)
    if kind is not None:
        subscriptions = subscriptions.filter(task__entity__entity_type__name=kind)
    if entity_type_ids is not None:
        subscriptions = subscriptions.filter(task__entity__entity_type_id__in=entity_type_ids)
    return {str(task_id) for task_id in subscriptions.values_list("task_id", flat=True)}


def tasks_by_entity(tasks, links, fields, subscribed, client=False, compact=False):
    """{entity id: [its tasks]} from two flat reads (`tasks` and their assignee `links`), each task
    a dict of `fields` (a list of their values when `compact`); a client reads the studio
    fields blank."""
    assignees = defaultdict(list)
    for task_id, person_id in links.values_list("task_id", "person_id"):
        assignees[str(task_id)].append(str(person_id))
    columns = [BOARD_TASKS[name] for name in fields if name in BOARD_TASKS]
    if "entity_id" not in fields:
        columns.append(BOARD_TASKS["entity_id"])
    result = defaultdict(list)
    for row in read_dicts(tasks, columns):
        task = {}
        for name in fields:
            if name == "is_subscribed":
                task[name] = row["id"] in subscribed
            elif name == "assignees":
                task[name] = assignees.get(row["id"], [])
            elif name == "priority":
                task[name] = row["priority"] or 0
            else:
                task[name] = row[name]
        if client:
            blank_task_for_client(task)
        result[row["entity_id"]].append(list(task.values()) if compact else task)
    return result


def board_tasks(entities, fields, subscribed, client=False, assigned_person=None, compact=False):
    """{entity id: [its tasks]} of the entities of a board (a queryset), as `tasks_by_entity`
    writes them; `assigned_person` keeps only their tasks. Two queries."""
    tasks = Task.objects.filter(entity_id__in=entities.values("pk"))
    links = TaskPersonLink.objects.filter(task__entity_id__in=entities.values("pk"))
    if assigned_person is not None:
        tasks = tasks.filter(pk__in=assigned_task_ids(assigned_person))
        links = links.filter(task_id__in=assigned_task_ids(assigned_person))
    return tasks_by_entity(tasks, links, fields, subscribed, client, compact)


def tasks_with_names(queryset, relations=False, client=False):
    """Tasks with their production, type, status, entity type and entity names, sorted by these
    names; `relations` adds their assignees; a client reads the studio fields blank. Two queries
    (three with relations)."""
    queryset = with_full_context(queryset)
    rows = serialize_rows(queryset, shape=shape_of("tasks"))
    names = {
        str(pk): rest
        for pk, *rest in queryset.values_list(
            "pk",
            "project__name",
            "task_type__name",
            "task_status__name",
            "entity__entity_type__name",
            "entity__name",
        )
    }
    for row in rows:
        (
            row["project_name"],
            row["task_type_name"],
            row["task_status_name"],
            row["entity_type_name"],
            row["entity_name"],
        ) = names[row["id"]]
    rows.sort(
        key=lambda row: tuple(
            (row[name] or "").casefold()
            for name in ("name", "project_name", "task_type_name", "entity_type_name", "entity_name")
        )
    )
    if relations and rows:
        assignees = defaultdict(list)
        links = TaskPersonLink.objects.filter(task_id__in=queryset.values("pk"))
        for task_id, person_id in links.values_list("task_id", "person_id"):
            assignees[str(task_id)].append(str(person_id))
        for row in rows:
            row["assignees"] = assignees.get(row["id"], [])
    if client:
        for row in rows:
            blank_task_for_client(row)
    return rows


def entity_tasks(entity_id, relations=False, client=False):
    """The tasks of an entity, with their names (see `tasks_with_names`)."""
    return tasks_with_names(Task.objects.filter(entity_id=entity_id), relations, client)


# --- previews of an entity --------------------------------------------------------------------

PREVIEW_COLUMNS = [
    ("id", "id", UUID),
    ("revision", "revision", None),
    ("position", "position", None),
    ("original_name", "original_name", None),
    ("extension", "extension", None),
    ("width", "width", None),
    ("height", "height", None),
    ("duration", "duration", None),
    ("status", "status", None),
    ("annotations", "annotations", JSON),
    ("created_at", "created_at", DATETIME),
    ("task_id", "task_id", UUID),
    ("task_type_id", "task__task_type_id", UUID),
    ("data", "data", JSON),
]
# What each listed preview (the first of its revision) keeps.
PREVIEW_SUMMARY_FIELDS = (
    "id",
    "revision",
    "original_name",
    "extension",
    "width",
    "height",
    "duration",
    "status",
    "annotations",
    "previews",
    "created_at",
    "task_id",
    "original_width",
    "original_height",
    "original_duration",
    "original_file_size",
)


def entity_previews_by_task_type(entity_id):
    """{task type id: the previews of the entity's task of that type}, newest revision first,
    each with the other previews of its revision under `previews`. One query."""
    queryset = PreviewFile.objects.filter(task__entity_id=entity_id).order_by(
        "-task__task_type__priority", "task__task_type__name", "-revision", "created_at", "pk"
    )
    by_task = {}
    for row in read_dicts(queryset, PREVIEW_COLUMNS):
        data = row.pop("data") or {}
        row["duration"] = float(row["duration"] or 0)
        for name in ("original_width", "original_height", "original_duration", "original_file_size"):
            row[name] = data.get(name)
        by_task.setdefault(row["task_id"], []).append(row)
    result = {}
    for previews in by_task.values():
        firsts, by_revision = [], {}
        for preview in previews:
            first = by_revision.get(preview["revision"])
            if first is None:
                preview["previews"] = []
                by_revision[preview["revision"]] = preview
                firsts.append(preview)
            else:
                first["previews"].append(preview)
        result[previews[0]["task_type_id"]] = [
            {name: preview.get(name) for name in PREVIEW_SUMMARY_FIELDS} for preview in firsts
        ]
    return result


# --- names a feed shows (news, entity pages) -------------------------------------------------


def full_entity_names(entity_ids):
    """{entity id: (name as the feed writes it, episode id)}: "Type / Asset", "Episode / Sequence /
    Shot", "Episode / Sequence"... One query, parents joined in."""
    if not entity_ids:
        return {}
    rows = Entity.objects.filter(pk__in=entity_ids).values_list(
        "pk",
        "name",
        "entity_type__name",
        "source_id",
        "parent_id",
        "parent__name",
        "parent__parent_id",
        "parent__parent__name",
    )
    names = {}
    for pk, name, kind, source_id, parent_id, parent_name, grandparent_id, grandparent_name in rows:
        if kind == "Shot":
            if parent_id is None:
                names[pk] = (name, None)
            elif grandparent_id is None:
                names[pk] = (f"{parent_name} / {name}", None)
            else:
                names[pk] = (f"{grandparent_name} / {parent_name} / {name}", grandparent_id)
        elif kind == "Episode":
            names[pk] = (name, None)
        elif kind == "Sequence":
            if parent_id is None:
                names[pk] = (name, None)
            else:
                names[pk] = (f"{parent_name} / {name}", parent_id)
        else:
            names[pk] = (f"{kind} / {name}" if kind else name, source_id)
    return names


def short_persons(person_ids):
    """{person id (text): the short author card a news entry embeds}, one query."""
    if not person_ids:
        return {}
    rows = Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "first_name", "last_name", "has_avatar", "role"
    )
    return {
        str(pk): {
            "id": str(pk),
            "first_name": first_name,
            "last_name": last_name,
            "full_name": full_name(first_name, last_name),
            "has_avatar": has_avatar,
            "role": role,
        }
        for pk, first_name, last_name, has_avatar, role in rows
    }
