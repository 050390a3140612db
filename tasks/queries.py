"""Reads of the `tasks` app that other areas and apps share: the Kitsu shapes of tasks, persons
and entities, pagination, flat `values()` reads turned JSON-ready, the names a feed shows, and the
task routes' own lists (a project's tasks, an entity's tasks of a type, one task in full).

Every list is built from a few flat queries whatever its length, never a query per row.
"""

import math

import orjson
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from assets.models import Entity
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import (
    ModelShape,
    fetch_rows,
    format_datetime,
    serialize_instance,
    serialize_rows,
    text_datetime,
)
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS
from kitsu_server.core.access.tasks import (
    blank_task_for_client,
)
from kitsu_server.core.data.pagination import NB_RECORDS_PER_PAGE
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.delta import delta_list
from kitsu_server.core.lookups import CompiledPkRead
from people.models import Person, full_name
from productions.models import Project, ProjectPersonLink
from tasks.models import (
    Subscription,
    Task,
    TaskPersonLink,
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


def open_project_ids():
    return Project.objects.filter(project_status__name=OPEN_PROJECT_STATUS).values("pk")


def tasks_for_entity_and_task_type(entity, task_type_id, as_client):
    rows = render_tasks(Task.objects.filter(entity=entity, task_type_id=task_type_id).order_by("name", "pk"))
    return [blank_task_for_client(row) for row in rows] if as_client else rows


# --- project-wide lists -------------------------------------------------------------------------


def project_tasks(
    project, page, task_type_id=None, episode_id=None, vendor=None, as_client=False, window=None
):
    """A project's tasks, last changed first, with their assignees (paginated on ask). A vendor
    reads the tasks they are assigned, a client reads them with the studio fields blank. With a
    delta `window`, those changed in it and the ids of those trashed in it."""
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

    if window is not None:
        return delta_list(window, queryset, render, Task, [project.pk])
    return paginated(queryset, page, None, render)


# --- one task in full ---------------------------------------------------------------------------


def full_task_queryset():
    """Tasks read with every row `full_task` shows beside them (a shot's sequence and episode
    included), in one query."""
    return Task.objects.select_related(
        "project",
        "task_type",
        "task_status",
        "entity",
        "entity__entity_type",
        "entity__parent",
        "entity__parent__parent",
        "assigner",
    )


# `full_task_queryset`'s read of one task, compiled once (kitsu_server.core.lookups).
full_task_by_pk = CompiledPkRead(Task, full_task_queryset)


def full_task(task, reader):
    """A task with what the task panel shows around it: entity, types, status, project, assignees,
    assigner, the reader's subscription, and the sequence and episode of a shot. `task` is best
    read by `full_task_queryset` (it is read again otherwise)."""
    if not Task.entity.is_cached(task) or not Task.assigner.is_cached(task):
        task = full_task_queryset().get(pk=task.pk)
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


def value_converter(kind, as_text):
    """How a raw value of a column of `kind` becomes JSON (None: as it is)."""
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
        if (convert := value_converter(kind, as_text)) is not None
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


def tasks_in_order(task_ids):
    """The tasks of `task_ids` that exist, in the given order, with their project and type."""
    found = Task.objects.select_related("project", "task_type", "entity").in_bulk(task_ids)
    seen, tasks = set(), []
    for task_id in task_ids:
        if task_id in found and task_id not in seen:
            seen.add(task_id)
            tasks.append(found[task_id])
    return tasks


def with_full_context(queryset):
    """Only tasks that have a project, a type, a status and an entity (the reference's inner joins)."""
    return queryset.filter(
        project__isnull=False, task_type__isnull=False, task_status__isnull=False, entity__isnull=False
    )
