"""Tasks of entities, as the boards and entity pages read them: the task columns of each entity,
who is subscribed, the tasks with their type and status names, and the latest previews per task type.
"""

from collections import defaultdict
from operator import itemgetter

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import OuterRef, Q

from files.models import PreviewFile
from kitsu_server.api.json import fetch_rows, serialize_rows
from kitsu_server.core.access.scopes import assigned_task_ids
from kitsu_server.core.access.tasks import blank_task_for_client
from kitsu_server.core.delta import deleted_ids, trashed_rows_column
from tasks.models import (
    Subscription,
    Task,
    TaskPersonLink,
)
from tasks.queries import (
    DATETIME,
    JSON,
    UUID,
    read_dicts,
    read_rows,
    shape_of,
    value_converter,
    with_full_context,
)

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
    """{entity id: [its tasks]} from the flat read of `tasks` and their assignee `links`, each task
    a dict of `fields` (a list of their values when `compact`); a client reads the studio
    fields blank. Built for boards of 100,000 tasks: on PostgreSQL each task's assignees come
    in its row (an array, one query; `links` is then not read), elsewhere from `links`; each
    task's values are picked from its row in one step, only the computed fields (subscription,
    assignees, priority) set one by one."""
    columns = [BOARD_TASKS[name] for name in fields if name in BOARD_TASKS]
    if "entity_id" not in fields:
        columns.append(BOARD_TASKS["entity_id"])
    lookups = [(lookup, kind) for _, lookup, kind in columns]
    assignees = None
    if connections[tasks.db].vendor == "postgresql":
        person_ids = TaskPersonLink.objects.filter(task_id=OuterRef("pk")).values("person_id")
        tasks = tasks.annotate(board_assignee_ids=ArraySubquery(person_ids))
        lookups.append(("board_assignee_ids", None))  # read as a list of id strings
    else:
        assignees = defaultdict(list)
        for task_id, person_id in read_rows(links, [("task_id", UUID), ("person_id", UUID)]):
            assignees[task_id].append(person_id)
    position = {name: index for index, (name, _, _) in enumerate(columns)}
    id_at, entity_at = position["id"], position["entity_id"]
    # Every field from its column; a computed field takes the id's place until it is set below.
    pick = itemgetter(*(position.get(name, id_at) for name in fields), id_at)
    subscribed_at, assignees_at, priority_at = (
        fields.index(name) if name in fields else None for name in ("is_subscribed", "assignees", "priority")
    )
    rows, as_text = fetch_rows(tasks, [lookup for lookup, _ in lookups])
    kinds = {name: kind for name, _, kind in columns}
    # The picked values made JSON-ready in the same pass (ids arrive as text on PostgreSQL).
    converters = [
        (index, convert)
        for index, name in enumerate(fields)
        if name in kinds and (convert := value_converter(kinds[name], as_text)) is not None
    ]
    result = defaultdict(list)
    for row in rows:
        values = list(pick(row))
        task_id = values.pop()  # the id, picked last so that `pick` always answers a tuple
        entity_id = row[entity_at]
        if not as_text:
            task_id, entity_id = str(task_id), str(entity_id)
        for index, convert in converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        if subscribed_at is not None:
            values[subscribed_at] = task_id in subscribed
        if assignees_at is not None:
            values[assignees_at] = row[-1] if assignees is None else assignees.get(task_id, [])
        if priority_at is not None:
            values[priority_at] = values[priority_at] or 0
        if client:
            task = blank_task_for_client(dict(zip(fields, values, strict=True)))
            result[entity_id].append(list(task.values()) if compact else task)
        else:
            result[entity_id].append(values if compact else dict(zip(fields, values, strict=True)))
    return result


def board_tasks(entities, fields, subscribed, client=False, assigned_person=None, compact=False):
    """{entity id: [its tasks]} of the entities of a board (a queryset), as `tasks_by_entity`
    writes them; `assigned_person` keeps only their tasks. One query on PostgreSQL, two elsewhere."""
    tasks = Task.objects.filter(entity_id__in=entities.values("pk"))
    links = TaskPersonLink.objects.filter(task__entity_id__in=entities.values("pk"))
    if assigned_person is not None:
        tasks = tasks.filter(pk__in=assigned_task_ids(assigned_person))
        links = links.filter(task_id__in=assigned_task_ids(assigned_person))
    return tasks_by_entity(tasks, links, fields, subscribed, client, compact)


# --- delta reads of boards (`?updated_since=`) ----------------------------------------------


def changed_board_entities(entities, window, projects, person=None, related=(), links=None):
    """The `entities` of a board that changed in the delta `window`, to be sent whole: their own
    row, one of their tasks (changed, created or trashed), what their board row shows of a
    `related` row (e.g. "parent" for a shot's sequence name), the person's subscriptions to their
    tasks, and the entities named by `links` (a subquery of ids: e.g. changed castings).
    `projects`: the productions read (ids or a subquery; None: any)."""
    since = window.since
    tasks = Task.objects.filter(updated_at__gte=since)
    if projects is not None:
        tasks = tasks.filter(project_id__in=projects)
    changed = Q(updated_at__gte=since) | Q(pk__in=tasks.values("entity_id"))
    for lookup in related:
        changed |= Q(**{f"{lookup}__updated_at__gte": since})
    if person is not None:
        followed = Subscription.objects.filter(person_id=person.pk, updated_at__gte=since)
        changed |= Q(pk__in=followed.values("task__entity_id"))
    if links is not None:
        changed |= Q(pk__in=links)
    trashed_task_entities = trashed_rows_column(window, Task, "entity_id", projects)
    if trashed_task_entities:
        changed |= Q(pk__in=trashed_task_entities)
    return by_ids(entities.filter(changed))


DELTA_IDS_INLINE = 5000  # a delta of more entities stays a subquery


def by_ids(entities):
    """The entities of a delta by their ids, read once: the board's task reads then look up a
    few ids instead of joining the delta's subqueries (which PostgreSQL plans as a scan of every
    task of the production). One query."""
    ids = list(entities.values_list("pk", flat=True)[: DELTA_IDS_INLINE + 1])
    if len(ids) > DELTA_IDS_INLINE:
        return entities
    return entities.model._base_manager.filter(pk__in=ids)


def board_delta(window, entity_model, projects, changed=None, kept=None):
    """The delta keys of a board's answer: the entities and the tasks trashed in the window (a
    client drops what it holds of them), the cursors. `changed`, `kept`: the entities changed in
    the window on the board without its narrowing filters and with them (querysets): those
    changed out of the board (a shot moved to another episode, a vendor unassigned) are
    dropped too."""
    gone = deleted_ids(window, entity_model, projects)
    if changed is not None:
        gone |= {str(pk) for pk in changed.exclude(pk__in=kept.values("pk")).values_list("pk", flat=True)}
    return window.envelope(deleted_ids=gone, deleted_task_ids=sorted(deleted_ids(window, Task, projects)))


# The names `tasks_with_names` adds to each task: {key of the row: lookup}.
NAME_COLUMNS = {
    "project_name": "project__name",
    "task_type_name": "task_type__name",
    "task_status_name": "task_status__name",
    "entity_type_name": "entity__entity_type__name",
    "entity_name": "entity__name",
}


def tasks_with_names(queryset, relations=False, client=False):
    """Tasks with their production, type, status, entity type and entity names, sorted by these
    names; `relations` adds their assignees; a client reads the studio fields blank. Two queries
    (three with relations)."""
    queryset = with_full_context(queryset)
    rows = serialize_rows(queryset, shape=shape_of("tasks"))
    names = {str(row["pk"]): row for row in queryset.values("pk", *NAME_COLUMNS.values())}
    for row in rows:
        found = names[row["id"]]
        for key, lookup in NAME_COLUMNS.items():
            row[key] = found[lookup]
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
