"""Heavy reads of the `user` area: what the logged-in person loads first (the context), the
entities and tasks they are assigned, their to-do, done and to-check lists.

Everything is scoped to the requester. The entity routes list only what holds a task assigned to
them in an open production they reach (admins: every open production; anyone else: the open
productions of their team), so a person never reads anything of a production outside their team.
Every list is a fixed number of queries whatever its length: scopes are subqueries, rows are
rendered by the shared fast path, counts and sums are asked of the database.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, Sum

from assets.models import KIND_NAMES, Entity, EntityType
from assets.queries import ASSET_TYPE_SHAPE, asset_types
from kitsu_server.api.json import serialize_rows
from kitsu_server.core.access.roles import MANAGER_ROLES
from kitsu_server.core.access.scopes import (
    OPEN_PROJECT_STATUS,
    assigned_task_ids,
    open_team_project_ids,
)
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.rendering import render_table
from people.filters.queries import FILTER_ORDER, GROUP_ORDER, grouped_search_filters
from people.models import DepartmentLink, Person, Plugin, SearchFilter, SearchFilterGroup, full_name
from people.payloads import PERSON_SHAPE
from productions.models import Project, ProjectPersonLink
from productions.project_settings.queries import open_project_rows
from shots.queries import entity_rows, task_types_of
from tasks.models import Notification, Task, TaskPersonLink, TimeSpent
from tasks.queries import render_tasks, with_full_context
from tasks.todos.queries import (
    OPEN_TASKS_ORDER,
    attach_assignees,
    attach_last_comments,
    detailed_tasks,
    person_tasks,
    todo_row,
)


def rows_of(path, *order):
    """Every row of a /data model in its /data shape."""
    return render_table(REGISTRY[path].model, *(order or ("created_at", "pk")))


# --- scopes ---------------------------------------------------------------------------------------


def reachable_open_project_ids(access):
    """The open productions whose assigned tasks the entity routes show (a subquery)."""
    if access.is_admin:
        return Project.objects.filter(project_status__name=OPEN_PROJECT_STATUS).values("pk")
    return open_team_project_ids(access.person)


def my_open_tasks(access):
    """The requester's tasks in the open productions they reach."""
    return Task.objects.filter(
        pk__in=assigned_task_ids(access.person), project_id__in=reachable_open_project_ids(access)
    )


# --- the context ------------------------------------------------------------------------------


def user_context(access):
    """Everything the web UI loads on login, scoped to the requester: about 35 queries whatever the
    size of the studio."""
    person = access.person
    context = {
        "asset_types": asset_types({}),
        "custom_actions": rows_of("custom-actions"),
        "status_automations": rows_of("status-automations"),
        "departments": rows_of("departments", "name", "pk"),
        "studios": rows_of("studios", "name", "pk"),
        "notification_count": Notification.objects.filter(person_id=person.pk, read=False).count(),
        "persons": context_persons(access),
        "project_status": rows_of("project-status", "name", "pk"),
        "project_roles": project_roles(person),
        "projects": open_project_rows(access),
        "task_types": rows_of("task-types", "priority", "name", "pk"),
        "task_status": rows_of("task-status", "priority", "name", "pk"),
        "search_filters": grouped_search_filters(access, SearchFilter, FILTER_ORDER),
        "search_filter_groups": grouped_search_filters(access, SearchFilterGroup, GROUP_ORDER),
        "preview_background_files": rows_of("preview-background-files", "name", "pk"),
        "plugins": plugins(),
    }
    if access.is_admin:
        context["user_limit"] = settings.USER_LIMIT
    return context


def project_roles(person):
    """{project id: role} for the team links that set a role of their own."""
    links = ProjectPersonLink.objects.filter(person_id=person.pk, role__isnull=False)
    return {str(project_id): role for project_id, role in links.values_list("project_id", "role")}


def context_persons(access):
    """The directory as the requester reads it (by their global role, as the reference): a client
    meets the teams of their open productions (names and avatars only, by full name); managers
    read the whole persons, anyone else their minimal form. Guests and preview accounts stay out."""
    if access.role == "client":
        return client_persons(access)
    queryset = Person.objects.filter(is_guest=False, preview_project__isnull=True).order_by(
        "first_name", "last_name", "pk"
    )
    if access.role in MANAGER_ROLES:
        rows = serialize_rows(queryset, relations=True, shape=PERSON_SHAPE)
        for row in rows:
            row["full_name"] = full_name(row["first_name"], row["last_name"])
        return rows
    return minimal_persons(queryset)


MINIMAL_COLUMNS = ("first_name", "last_name", "has_avatar", "active", "role", "desktop_login", "is_bot")


def minimal_persons(queryset):
    """Persons with their names, avatar, role and departments: two queries."""
    departments = defaultdict(list)
    links = DepartmentLink.objects.filter(person_id__in=queryset.values("pk")).order_by("pk")
    for person_id, department_id in links.values_list("person_id", "department_id"):
        departments[person_id].append(str(department_id))
    return [
        {
            "id": str(row["pk"]),
            "type": "Person",
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "full_name": full_name(row["first_name"], row["last_name"]),
            "has_avatar": row["has_avatar"],
            "active": row["active"],
            "departments": departments[row["pk"]],
            "studio_id": str(row["studio_id"]) if row["studio_id"] else None,
            "role": row["role"],
            "desktop_login": row["desktop_login"],
            "is_bot": row["is_bot"],
        }
        for row in queryset.values("pk", "studio_id", *MINIMAL_COLUMNS)
    ]


def client_persons(access):
    """The persons a client meets (visible_persons: the teams of their open productions), as a
    client reads them."""
    rows = [
        {
            "id": str(row["pk"]),
            "type": "Person",
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "full_name": full_name(row["first_name"], row["last_name"]),
            "has_avatar": row["has_avatar"],
            "active": row["active"],
            "role": row["role"],
            "is_bot": row["is_bot"],
        }
        for row in access.visible_persons(Person.objects.all()).values(
            "pk", "first_name", "last_name", "has_avatar", "active", "role", "is_bot"
        )
    ]
    return sorted(rows, key=lambda row: (row["full_name"], row["id"]))


PLUGIN_FIELDS = (
    "plugin_id",
    "name",
    "description",
    "version",
    "maintainer_name",
    "maintainer_email",
    "frontend_project_enabled",
    "frontend_studio_enabled",
    "icon",
)


def plugins():
    """The installed plugins as the web UI reads them (no `type`)."""
    return [
        {"id": str(row["pk"]), **{name: row[name] for name in PLUGIN_FIELDS}}
        for row in Plugin.objects.order_by("name", "pk").values("pk", *PLUGIN_FIELDS)
    ]


# --- what the requester works on ------------------------------------------------------------------


def entity_tasks(access, entity_id):
    """The requester's tasks on an entity (task rows, no relation)."""
    return render_tasks(my_open_tasks(access).filter(entity_id=entity_id).order_by("created_at", "pk"))


def entity_task_types(access, entity_id):
    """The types of the requester's tasks on an entity, each once."""
    return task_types_of(my_open_tasks(access).filter(entity_id=entity_id))


def project_asset_types(access, project_id):
    """The asset types of a production's assets the requester holds a task on."""
    entity_types = my_open_tasks(access).filter(project_id=project_id).values("entity__entity_type_id")
    queryset = EntityType.objects.filter(pk__in=entity_types).exclude(name__in=KIND_NAMES)
    return serialize_rows(queryset.order_by("name", "pk"), shape=ASSET_TYPE_SHAPE)


def asset_type_assets(access, project_id, asset_type_id):
    """A production's assets of a type the requester holds a task on, by name."""
    queryset = Entity.objects.filter(
        project_id=project_id,
        entity_type_id=asset_type_id,
        pk__in=my_open_tasks(access).values("entity_id"),
    )
    return entity_rows(queryset.order_by("name", "pk"), type_name="Asset")


def project_sequences(access, project_id):
    """A production's sequences holding a shot the requester has a task on."""
    shot_tasks = my_open_tasks(access).filter(entity__entity_type__name="Shot")
    queryset = Entity.objects.filter(
        project_id=project_id,
        entity_type__name="Sequence",
        pk__in=shot_tasks.values("entity__parent_id"),
    )
    return entity_rows(queryset.order_by("name", "pk"), type_name="Sequence")


def project_episodes(access, project_id):
    """A production's episodes holding a sequence holding a shot the requester has a task on."""
    shot_tasks = my_open_tasks(access).filter(
        entity__entity_type__name="Shot", entity__parent__entity_type__name="Sequence"
    )
    queryset = Entity.objects.filter(
        project_id=project_id,
        entity_type__name="Episode",
        pk__in=shot_tasks.values("entity__parent__parent_id"),
    )
    return entity_rows(queryset.order_by("name", "pk"), type_name="Episode")


def sequence_entities(access, sequence_id, kind):
    """The shots (or scenes) of a sequence the requester has a task on."""
    queryset = Entity.objects.filter(
        parent_id=sequence_id,
        entity_type__name=kind,
        pk__in=my_open_tasks(access).values("entity_id"),
    )
    return entity_rows(queryset.order_by("name", "pk"), type_name=kind)


# --- to-do, done and to-check lists -----------------------------------------------------------------


def todo_tasks(person, done=False):
    """The person's unfinished (or finished) tasks in the open productions of their team."""
    return person_tasks(person, open_team_project_ids(person), done=done)


@dataclass
class ToCheckFilters:
    """The query-string filters of the to-check list, parsed."""

    project_id: object = None
    task_type_id: object = None
    task_status_id: object = None
    person_ids: object = None  # a list of ids, or "unassigned"
    episode_id: object = None
    due_date_since: object = None
    due_date_until: object = None


def to_check_queryset(project_ids, department_ids, filters=None):
    """Tasks waiting for feedback in the scope, narrowed by `filters`."""
    queryset = with_full_context(
        Task.objects.filter(
            task_status__is_feedback_request=True,
            project__project_status__isnull=False,
            entity__entity_type__isnull=False,
        )
    )
    if project_ids is None:
        queryset = queryset.filter(project__project_status__name=OPEN_PROJECT_STATUS)
    else:
        queryset = queryset.filter(project_id__in=project_ids)
    if department_ids:
        queryset = queryset.filter(task_type__department_id__in=department_ids)
    if filters is None:
        return queryset
    if filters.project_id is not None:
        queryset = queryset.filter(project_id=filters.project_id)
    if filters.task_type_id is not None:
        queryset = queryset.filter(task_type_id=filters.task_type_id)
    if filters.task_status_id is not None:
        queryset = queryset.filter(task_status_id=filters.task_status_id)
    if filters.person_ids == "unassigned":
        queryset = queryset.exclude(pk__in=TaskPersonLink.objects.values("task_id"))
    elif filters.person_ids:
        queryset = queryset.filter(
            pk__in=TaskPersonLink.objects.filter(person_id__in=filters.person_ids).values("task_id")
        )
    if filters.episode_id is not None:
        episode_id = filters.episode_id
        queryset = queryset.filter(
            Q(entity__parent__parent_id=episode_id)
            | Q(entity__source_id=episode_id)
            | Q(entity__parent_id=episode_id)
        )
    if filters.due_date_since is not None:
        queryset = queryset.filter(due_date__gte=filters.due_date_since)
    if filters.due_date_until is not None:
        queryset = queryset.filter(due_date__lte=filters.due_date_until)
    return queryset


TO_CHECK_ORDERS = {
    "priority": (F("priority").desc(nulls_last=True), F("due_date").asc(nulls_last=True), *OPEN_TASKS_ORDER),
    "due_date": (F("due_date").asc(nulls_last=True), *OPEN_TASKS_ORDER),
    "estimation": (F("estimation").desc(nulls_last=True), *OPEN_TASKS_ORDER),
    "entity_name": (
        F("project__name").asc(nulls_last=True),
        F("task_type__name").asc(nulls_last=True),
        F("entity__parent__parent__name").asc(nulls_last=True),
        F("entity__parent__name").asc(nulls_last=True),
        F("entity__name").asc(nulls_last=True),
        "pk",
    ),
}


def tasks_to_check(access, filters, order_by=None, page=None, limit=100):
    """The tasks waiting for feedback the requester checks, with the names around them, their
    assignees and last comment: a plain list, or with `page` a page of them in the reference's
    envelope with the stats of the whole selection. Five queries whatever their number."""
    allowed, project_ids, department_ids = access.tasks_to_check_scope()
    if page is not None:
        page, limit = max(page, 1), max(limit, 1)
    if not allowed:
        if page is None:
            return []
        stats = {"total": 0, "total_duration": 0, "total_estimation": 0}
        return {"data": [], "stats": stats, "page": page, "limit": limit, "is_more": False}
    queryset = to_check_queryset(project_ids, department_ids, filters)
    ordered = queryset.order_by(*TO_CHECK_ORDERS.get(order_by, OPEN_TASKS_ORDER))
    if page is not None:
        totals = queryset.aggregate(
            total=Count("pk"), total_duration=Sum("duration"), total_estimation=Sum("estimation")
        )
        stats = {
            "total": totals["total"],
            "total_duration": totals["total_duration"] or 0,
            "total_estimation": totals["total_estimation"] or 0,
        }
        ordered = ordered[(page - 1) * limit : page * limit]
    tasks = [todo_row(data, row) for data, row in detailed_tasks(ordered)]
    if tasks:
        task_ids = [task["id"] for task in tasks]
        attach_assignees(tasks, task_ids)
        attach_last_comments(tasks, task_ids)
    if page is None:
        return tasks
    return {
        "data": tasks,
        "stats": stats,
        "page": page,
        "limit": limit,
        "is_more": page * limit < stats["total"],
    }


EMPTY_FILTER_VALUES = ("project_ids", "task_type_ids", "task_status_ids", "episode_ids", "person_ids")


def tasks_to_check_filter_values(access):
    """The distinct productions, task types, statuses, episodes and assignees of the tasks waiting
    for feedback the requester checks (ids, sorted): two queries."""
    allowed, project_ids, department_ids = access.tasks_to_check_scope()
    if not allowed:
        return {name: [] for name in EMPTY_FILTER_VALUES}
    queryset = to_check_queryset(project_ids, department_ids)
    values = {name: set() for name in EMPTY_FILTER_VALUES}
    rows = queryset.values(
        "project_id",
        "task_type_id",
        "task_status_id",
        "entity__parent__parent_id",
        "entity__source_id",
        "entity__parent_id",
        "entity__entity_type__name",
    ).distinct()
    for row in rows:
        values["project_ids"].add(row["project_id"])
        values["task_type_ids"].add(row["task_type_id"])
        values["task_status_ids"].add(row["task_status_id"])
        # The episode a row shows: the sequence's parent, else the source, and a sequence's parent.
        episode_id = row["entity__parent__parent_id"]
        if episode_id is None:
            episode_id = row["entity__source_id"]
        if row["entity__entity_type__name"] == "Sequence" and row["entity__parent_id"] is not None:
            episode_id = row["entity__parent_id"]
        if episode_id is not None:
            values["episode_ids"].add(episode_id)
    persons = TaskPersonLink.objects.filter(task_id__in=queryset.values("pk")).values_list(
        "person_id", flat=True
    )
    values["person_ids"] = set(persons.distinct())
    return {name: sorted(str(value) for value in ids) for name, ids in values.items()}


# --- time -------------------------------------------------------------------------------------------


def time_spent_of_task(person, task_id, day):
    """The person's time spent on a task on a day, or None."""
    time_spent = (
        TimeSpent.objects.filter(person_id=person.pk, task_id=task_id, date=day)
        .order_by("created_at", "pk")
        .first()
    )
    if time_spent is None:
        return None
    return REGISTRY["time-spents"].render(time_spent, relations=False)
