"""Heavy reads of the `shots` area: episodes, sequences, shots and scenes, their boards (each
entity with its tasks), their tasks and task types, shot versions and previews. The episode
statistics are in shots.episodes.queries, the quotas in shots.quotas.queries.

Lists are built from a few flat queries (`values_list` rows joined in Python dicts), never one
ORM object per row: the shot board of a production (`/data/shots/with-tasks`) serves thousands of
shots times their tasks in four queries whatever their number. Scopes (the caller's assigned
tasks, an episode's shots) are subqueries, so no id list travels as parameters.
"""

import uuid

from django.db.models import OuterRef, Q, Subquery
from rest_framework.exceptions import NotFound

from assets.models import Entity
from assets.queries import (
    ENTITY_RELATIONS,
    TASK_SHAPE,
    all_assets,
    assigned_entity_ids,
    entity_shape,
    filter_by_criteria,
    hidden_metadata_fields,
    hide_vendor_metadata,
)
from files.models import PreviewFile
from kitsu_server.api.json import ModelShape, serialize_rows
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, assigned_task_ids
from kitsu_server.core.data.policies import REGISTRY
from productions.models import Project
from shots.models import EntityVersion, Episode, Scene, Sequence, Shot
from tasks.boards import (
    board_tasks,
    changed_board_entities,
    subscribed_task_ids,
    tasks_by_entity,
    tasks_with_names,
)
from tasks.models import Task, TaskPersonLink, TaskType
from tasks.queries import JSON, UUID, read_dicts

KIND_MODELS = {"Episode": Episode, "Sequence": Sequence, "Shot": Shot, "Scene": Scene}
SHOT_VERSION_SHAPE = ModelShape(EntityVersion, type_name="ShotVersion")

# Field orders of the shot board (the compact encoding names them in its header).
SHOTS_AND_TASKS_SHOT_FIELDS = [
    "canceled",
    "data",
    "description",
    "entity_type_id",
    "episode_id",
    "episode_name",
    "fps",
    "frame_in",
    "frame_out",
    "id",
    "name",
    "nb_frames",
    "parent_id",
    "preview_file_id",
    "project_id",
    "project_name",
    "sequence_id",
    "sequence_name",
    "source_id",
    "nb_entities_out",
    "is_casting_standby",
    "type",
    "tasks",
]
SHOTS_AND_TASKS_TASK_FIELDS = [
    "id",
    "duration",
    "due_date",
    "end_date",
    "done_date",
    "entity_id",
    "estimation",
    "is_subscribed",
    "last_comment_date",
    "last_preview_file_id",
    "nb_assets_ready",
    "priority",
    "real_start_date",
    "retake_count",
    "start_date",
    "difficulty",
    "nb_drawings",
    "task_status_id",
    "task_type_id",
    "assignees",
    "data",
]
# The tasks of the episode, sequence and scene boards: these fields, then `is_subscribed` and
# `assignees`.
ENTITIES_AND_TASKS_TASK_FIELDS = [
    "id",
    "estimation",
    "entity_id",
    "end_date",
    "due_date",
    "done_date",
    "duration",
    "last_comment_date",
    "last_preview_file_id",
    "priority",
    "real_start_date",
    "retake_count",
    "start_date",
    "difficulty",
    "task_status_id",
    "task_type_id",
    "data",
]


# --- lookups ---------------------------------------------------------------------------------


def is_valid_id(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- entity lists ----------------------------------------------------------------------------


def entity_rows(queryset, type_name=None):
    """Entities in their /data shape (one query), typed by kind or as `type_name`."""
    rows = serialize_rows(queryset, shape=entity_shape())
    if type_name is not None:
        for row in rows:
            row["type"] = type_name
    return rows


def list_entities(kind, criteria):
    """Episodes or sequences filtered by the query string's columns, by name."""
    queryset = filter_by_criteria(KIND_MODELS[kind].objects.all(), criteria, ENTITY_RELATIONS)
    return entity_rows(queryset.order_by("name", "pk"))


def with_parent_names(queryset):
    """Shots or scenes hanging from a sequence, with their production and sequence names, by
    name regardless of case. Two queries."""
    queryset = queryset.filter(parent__isnull=False)
    rows = entity_rows(queryset)
    names = {
        str(pk): (project_name, sequence_name)
        for pk, project_name, sequence_name in queryset.values_list("pk", "project__name", "parent__name")
    }
    for row in rows:
        row["project_name"], row["sequence_name"] = names[row["id"]]
    rows.sort(key=lambda row: (row["name"].casefold(), row["id"]))
    return rows


def list_shots(criteria, assigned_person=None, vendor_departments=None, window=None):
    """Shots filtered by the query string's columns (those of no sequence aside); only those
    holding a task of `assigned_person` when given; a vendor reads only the custom fields of
    their departments. With a delta `window`, those changed in it (or their sequence's or
    production's name)."""
    queryset = filter_by_criteria(Shot.objects.all(), criteria, ENTITY_RELATIONS)
    if assigned_person is not None:
        queryset = queryset.filter(pk__in=assigned_entity_ids(assigned_person))
    if window is not None:
        queryset = window.changed(queryset, ("parent", "project"), via_tasks=assigned_person is not None)
    return hide_vendor_metadata(with_parent_names(queryset), vendor_departments, "Shot")


def list_scenes(criteria):
    return with_parent_names(filter_by_criteria(Scene.objects.all(), criteria, ENTITY_RELATIONS))


def project_entities(project_id, kind, assigned_person=None, window=None):
    """A production's episodes, sequences, shots or scenes by name; only those holding a task
    of `assigned_person` when given; with a delta `window`, those changed in it."""
    queryset = KIND_MODELS[kind].objects.filter(project_id=project_id)
    if assigned_person is not None:
        queryset = queryset.filter(pk__in=assigned_entity_ids(assigned_person))
    if window is not None:
        queryset = window.changed(queryset, via_tasks=assigned_person is not None)
    return entity_rows(queryset.order_by("name", "pk"))


def assigned_tasks(person):
    return Task.objects.filter(pk__in=assigned_task_ids(person))


def assigned_episode_ids(project_id, person):
    """The production's entities that are the episode of a shot (through its sequence) or of an
    asset the person holds a task on (a subquery)."""
    tasks = assigned_tasks(person)
    return (
        Entity.objects.filter(project_id=project_id)
        .filter(
            Q(pk__in=tasks.values("entity__parent__parent_id")) | Q(pk__in=tasks.values("entity__source_id"))
        )
        .values("pk")
    )


def assigned_sequence_ids(person, project_id=None, episode_id=None):
    """The sequences (of a production or of an episode) holding a shot the person has a task on
    (a subquery)."""
    queryset = Entity.objects.filter(pk__in=assigned_tasks(person).values("entity__parent_id"))
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    if episode_id is not None:
        queryset = queryset.filter(parent_id=episode_id)
    return queryset.values("pk")


def assigned_episodes(project_id, person, window=None):
    """A vendor's episodes, typed "Entity" as the reference sends them (in a delta `window`:
    those changed in it, or whose sequences' shots' tasks did)."""
    queryset = Entity.objects.filter(pk__in=assigned_episode_ids(project_id, person))
    if window is not None:
        changed_shots = window.changed(Entity.objects.filter(project_id=project_id), via_tasks=True)
        queryset = queryset.filter(
            Q(updated_at__gte=window.since)
            | Q(pk__in=changed_shots.values("parent__parent_id"))
            | Q(pk__in=changed_shots.values("source_id"))
        )
    return entity_rows(queryset.order_by("name", "pk"), type_name="Entity")


def assigned_sequences(person, project_id=None, episode_id=None, window=None):
    """A vendor's sequences, typed "Entity" as the reference sends them (in a delta `window`:
    those changed in it, or whose shots' tasks did)."""
    queryset = Entity.objects.filter(pk__in=assigned_sequence_ids(person, project_id, episode_id))
    if window is not None:
        changed_shots = window.changed(Entity.objects.filter(project_id=project_id), via_tasks=True)
        queryset = queryset.filter(
            Q(updated_at__gte=window.since) | Q(pk__in=changed_shots.values("parent_id"))
        )
    return entity_rows(queryset.order_by("name", "pk"), type_name="Entity")


def episode_sequences(episode_id, criteria):
    criteria = {**criteria, "parent_id": str(episode_id)}
    return list_entities("Sequence", criteria)


def episode_shots(episode_id, relations=False):
    """The shots of an episode's sequences, by name; `relations` adds their relation id lists."""
    queryset = Shot.objects.filter(parent__parent_id=episode_id).order_by("name", "pk")
    return serialize_rows(queryset, relations=relations, shape=entity_shape())


def sequence_scenes(sequence_id):
    return entity_rows(Scene.objects.filter(parent_id=sequence_id).order_by("name", "pk"))


# --- one entity --------------------------------------------------------------------------------


def render_entity(entity, relations=False):
    return REGISTRY["entities"].render(entity, relations=relations)


def project_name(project_id):
    return Project.objects.filter(pk=project_id).values_list("name", flat=True).first()


def full_episode(episode):
    data = render_entity(episode)
    data["project_name"] = project_name(episode.project_id)
    return data


def full_sequence(sequence):
    """The sequence with its production's name and its episode (when it has one)."""
    data = render_entity(sequence)
    data["project_name"] = project_name(sequence.project_id)
    if sequence.parent_id is not None:
        data["episode_id"] = str(sequence.parent_id)
        data["episode_name"] = (
            Entity.objects.filter(pk=sequence.parent_id).values_list("name", flat=True).first()
        )
    return data


def full_scene(scene):
    """The scene with its production's name, its sequence and its sequence's episode."""
    data = render_entity(scene)
    data["project_name"] = project_name(scene.project_id)
    sequence = None
    if scene.parent_id is not None:
        sequence = (
            Entity.objects.filter(pk=scene.parent_id)
            .values("pk", "name", "parent_id", "parent__name")
            .first()
        )
    if sequence is not None:
        data["sequence_id"] = str(sequence["pk"])
        data["sequence_name"] = sequence["name"]
        if sequence["parent_id"] is not None:
            data["episode_id"] = str(sequence["parent_id"])
            data["episode_name"] = sequence["parent__name"]
    return data


def full_shot(shot, client=False):
    """The shot's board entry (its tasks, sequence and episode) with all its columns and
    relations; a client reads the studio fields of the tasks blank. A shot of no sequence has no
    board entry: 404, as on the reference."""
    board = list(shots_with_tasks(ShotBoardCriteria(shot_id=shot.pk), person=None, client=client))
    if not board:
        raise NotFound("Shot not found.")
    data = board[0]
    data.update(render_entity(shot, relations=True))
    return data


# --- boards: entities with their tasks ---------------------------------------------------------

SHOT_BOARD_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("description", "description", None),
    ("data", "data", JSON),
    ("canceled", "canceled", None),
    ("entity_type_id", "entity_type_id", UUID),
    ("parent_id", "parent_id", UUID),
    ("preview_file_id", "preview_file_id", UUID),
    ("source_id", "source_id", UUID),
    ("nb_frames", "nb_frames", None),
    ("nb_entities_out", "nb_entities_out", None),
    ("is_casting_standby", "is_casting_standby", None),
    ("project_id", "project_id", UUID),
    ("episode_id", "parent__parent_id", UUID),
    ("episode_name", "parent__parent__name", None),
    ("sequence_name", "parent__name", None),
    ("project_name", "project__name", None),
]
ENTITY_BOARD_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("status", "status", None),
    ("parent_id", "parent_id", UUID),
    ("description", "description", None),
    ("data", "data", JSON),
    ("preview_file_id", "preview_file_id", UUID),
    ("canceled", "canceled", None),
]


class ShotBoardCriteria:
    """The filters of a shot board: one shot, a production, an episode ("all" for every one,
    "main" for the sequences of none), and only the shots and tasks assigned to a person."""

    def __init__(
        self, shot_id=None, project_id=None, episode_id=None, assigned_person=None, window=None, scope=None
    ):
        self.shot_id = shot_id
        self.project_id = project_id
        self.episode_id = episode_id
        self.assigned_person = assigned_person
        self.window = window  # a delta read (`updated_since`): only the shots changed in it
        self.scope = scope  # the productions a delta reads (ids or a subquery; None: any)
        self.person = None  # whose subscriptions a delta follows

    def shots(self):
        queryset = Shot.objects.filter(parent__isnull=False)
        if self.shot_id is not None:
            queryset = queryset.filter(pk=self.shot_id)
        if self.project_id is not None:
            queryset = queryset.filter(project_id=self.project_id)
        if self.episode_id == "main":
            queryset = queryset.filter(parent__parent__isnull=True)
        elif self.episode_id not in (None, "all"):
            queryset = queryset.filter(parent__parent_id=self.episode_id)
        if self.assigned_person is not None:
            queryset = queryset.filter(pk__in=assigned_entity_ids(self.assigned_person))
        if self.window is not None:
            # The sequence, episode and production names are in the shot's row.
            related = ("parent", "parent__parent", "project")
            queryset = changed_board_entities(queryset, self.window, self.scope, self.person, related)
        return queryset

    def tasks(self, shots):
        tasks = Task.objects.filter(entity_id__in=shots.values("pk"))
        links = TaskPersonLink.objects.filter(task__entity_id__in=shots.values("pk"))
        if self.assigned_person is not None:
            tasks = tasks.filter(pk__in=assigned_task_ids(self.assigned_person))
            links = links.filter(task_id__in=assigned_task_ids(self.assigned_person))
        return tasks, links


def shots_with_tasks(criteria, person, client=False, vendor_departments=None, compact=False):
    """The shot board: each shot of a sequence with its sequence, episode and production and its
    tasks (with their assignees, and whether the person follows them). A client reads the
    studio fields of the tasks blank, a vendor only the custom fields of their departments.
    `compact` gives rows of values aligned on SHOTS_AND_TASKS_*_FIELDS. Four queries (five for
    a vendor), whatever the number of shots and tasks, run before the first shot; then one shot at
    a time, as produced (a generator: a streamed board is never whole in memory)."""
    shots = criteria.shots()
    rows = read_dicts(
        shots.order_by("parent__parent__name", "parent__name", "name", "pk"), SHOT_BOARD_COLUMNS
    )
    subscribed = subscribed_task_ids(person, criteria.project_id, "Shot")
    tasks, links = criteria.tasks(shots)
    tasks_of = tasks_by_entity(tasks, links, SHOTS_AND_TASKS_TASK_FIELDS, subscribed, client, compact)
    hidden = {}
    if vendor_departments is not None and rows:
        hidden = hidden_metadata_fields("Shot", vendor_departments, {row["project_id"] for row in rows})
    for row in rows:
        data = row["data"] or {}
        if vendor_departments is not None:
            masked = hidden.get(row["project_id"], ())
            data = {key: value for key, value in data.items() if key not in masked}
        values = [
            row["canceled"],
            data,
            row["description"],
            row["entity_type_id"],
            row["episode_id"],
            row["episode_name"] or "",
            data.get("fps"),
            data.get("frame_in"),
            data.get("frame_out"),
            row["id"],
            row["name"],
            row["nb_frames"],
            row["parent_id"],
            row["preview_file_id"],
            row["project_id"],
            row["project_name"],
            row["parent_id"],
            row["sequence_name"],
            row["source_id"],
            row["nb_entities_out"],
            row["is_casting_standby"],
            "Shot",
            tasks_of.get(row["id"], []),
        ]
        yield values if compact else dict(zip(SHOTS_AND_TASKS_SHOT_FIELDS, values, strict=True))


def entities_with_tasks(
    kind, person, project_id=None, episode_id=None, entity_ids=None, assigned_person=None, client=False
):
    """The board of a production's episodes, sequences or scenes: each with its own tasks. The
    episode filter keeps the children of an episode ("all": no filter); `entity_ids` (a
    subquery) keeps some entities only; `assigned_person` keeps the tasks they are assigned to.
    Four queries."""
    entities = KIND_MODELS[kind].objects.all()
    if project_id is not None:
        entities = entities.filter(project_id=project_id)
    if episode_id not in (None, "all"):
        entities = entities.filter(parent_id=episode_id)
    if entity_ids is not None:
        entities = entities.filter(pk__in=entity_ids)
    rows = read_dicts(entities.order_by("name", "pk"), ENTITY_BOARD_COLUMNS)
    subscribed = subscribed_task_ids(person, project_id, kind)
    fields = [*ENTITIES_AND_TASKS_TASK_FIELDS, "is_subscribed", "assignees"]
    tasks_of = board_tasks(entities, fields, subscribed, client)
    assigned_id = str(assigned_person.pk) if assigned_person is not None else None
    result = []
    for row in rows:
        data = row["data"] or {}
        entity_tasks = tasks_of.get(row["id"], [])
        if assigned_id is not None:
            entity_tasks = [task for task in entity_tasks if assigned_id in task["assignees"]]
        result.append(
            {
                "id": row["id"],
                "name": row["name"],
                "status": row["status"] or "running",
                "episode_id": str(row["parent_id"]),  # "None" without one, as on the reference
                "description": row["description"],
                "frame_in": data.get("frame_in"),
                "frame_out": data.get("frame_out"),
                "fps": data.get("fps"),
                "preview_file_id": row["preview_file_id"] or "",
                "canceled": row["canceled"],
                "data": data,
                "tasks": entity_tasks,
            }
        )
    return result


# --- tasks and task types ------------------------------------------------------------------------


def sequence_shot_tasks(sequence_id, relations=False, client=False):
    """The tasks of the entities of a sequence (its shots and scenes)."""
    return tasks_with_names(Task.objects.filter(entity__parent_id=sequence_id), relations, client)


def episode_shot_tasks(episode_id, relations=False, client=False):
    """The tasks of the entities of an episode's sequences."""
    return tasks_with_names(Task.objects.filter(entity__parent__parent_id=episode_id), relations, client)


def episode_asset_tasks(episode_id, relations=False, client=False):
    """The tasks of the assets whose main episode is this one."""
    assets = all_assets().filter(source_id=episode_id).values("pk")
    return tasks_with_names(Task.objects.filter(entity_id__in=assets), relations, client)


def assigned_entity_tasks(entity_id, person):
    """The person's tasks on an entity, in the open productions (a vendor's view of an entity)."""
    queryset = Task.objects.filter(
        entity_id=entity_id,
        pk__in=assigned_task_ids(person),
        project__project_status__name=OPEN_PROJECT_STATUS,
    )
    return serialize_rows(queryset.order_by("created_at", "pk"), shape=TASK_SHAPE)


def task_types_of(tasks):
    """The task types of some tasks (a queryset), by priority then name."""
    queryset = TaskType.objects.filter(pk__in=tasks.values("task_type_id")).order_by("priority", "name", "pk")
    return serialize_rows(queryset, shape=REGISTRY["task-types"].shape)


def sequence_task_types(sequence_id):
    """The task types of the tasks of a sequence's shots."""
    return task_types_of(Task.objects.filter(entity__parent_id=sequence_id))


def episode_task_types(episode_id):
    """The task types of the tasks of the shots of an episode's sequences."""
    return task_types_of(Task.objects.filter(entity__parent__parent_id=episode_id))


# --- versions and previews of a shot -------------------------------------------------------------


def shot_versions(shot_id):
    """The history of a shot's name and frame range, newest first."""
    queryset = EntityVersion.objects.filter(entity_id=shot_id).order_by("-created_at", "-pk")
    return serialize_rows(queryset, shape=SHOT_VERSION_SHAPE)


def project_fps(project):
    try:
        return float(project.fps or "25.00")
    except ValueError:
        return 25.0


# --- frames from previews ----------------------------------------------------------------------------


def shots_with_last_preview_duration(project_id, task_type_id, episode_id=None):
    """(shot id, duration of the newest preview of its task of this type) for the production's
    shots having one. One query."""
    newest = (
        PreviewFile.objects.filter(task__entity_id=OuterRef("pk"), task__task_type_id=task_type_id)
        .order_by("-created_at")
        .values("duration")[:1]
    )
    shots = Shot.objects.filter(project_id=project_id)
    if episode_id is not None:
        shots = shots.filter(parent__parent_id=episode_id)
    shots = shots.annotate(preview_duration=Subquery(newest))
    return list(
        shots.filter(preview_duration__isnull=False)
        .order_by("name", "pk")
        .values_list("pk", "preview_duration")
    )
