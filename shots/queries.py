"""Heavy reads of the `shots` area: episodes, sequences, shots and scenes, their boards (each
entity with its tasks), their tasks and task types, shot versions and previews, and the
production's episode statistics and quotas.

Lists are built from a few flat queries (`values_list` rows joined in Python dicts), never one
ORM object per row: the shot board of a production (`/data/shots/with-tasks`) serves thousands of
shots times their tasks in four queries whatever their number. Scopes (the caller's assigned
tasks, an episode's shots) are subqueries, so no id list travels as parameters. Statistics and
quota counts are grouped by the database.
"""

import copy
import datetime
import uuid

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Round, TruncDate
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
from kitsu_server.core.calendar import business_days, person_timezone
from kitsu_server.core.data.policies import REGISTRY
from productions.models import Project
from shots.models import EntityVersion, Episode, Scene, Sequence, Shot
from tasks.models import Task, TaskPersonLink, TaskType, TimeSpent
from tasks.task_queries import (
    JSON,
    UUID,
    board_tasks,
    read_dicts,
    read_rows,
    subscribed_task_ids,
    tasks_by_entity,
    tasks_with_names,
)

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


def list_shots(criteria, assigned_person=None, vendor_departments=None):
    """Shots filtered by the query string's columns (those of no sequence aside); only those
    holding a task of `assigned_person` when given; a vendor reads only the custom fields of
    their departments."""
    queryset = filter_by_criteria(Shot.objects.all(), criteria, ENTITY_RELATIONS)
    if assigned_person is not None:
        queryset = queryset.filter(pk__in=assigned_entity_ids(assigned_person))
    return hide_vendor_metadata(with_parent_names(queryset), vendor_departments, "Shot")


def list_scenes(criteria):
    return with_parent_names(filter_by_criteria(Scene.objects.all(), criteria, ENTITY_RELATIONS))


def project_entities(project_id, kind, assigned_person=None):
    """A production's episodes, sequences, shots or scenes by name; only those holding a task
    of `assigned_person` when given."""
    queryset = KIND_MODELS[kind].objects.filter(project_id=project_id)
    if assigned_person is not None:
        queryset = queryset.filter(pk__in=assigned_entity_ids(assigned_person))
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


def assigned_episodes(project_id, person):
    """A vendor's episodes, typed "Entity" as the reference sends them."""
    queryset = Entity.objects.filter(pk__in=assigned_episode_ids(project_id, person))
    return entity_rows(queryset.order_by("name", "pk"), type_name="Entity")


def assigned_sequences(person, project_id=None, episode_id=None):
    """A vendor's sequences, typed "Entity" as the reference sends them."""
    queryset = Entity.objects.filter(pk__in=assigned_sequence_ids(person, project_id, episode_id))
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
    ("id", UUID),
    ("name", None),
    ("description", None),
    ("data", JSON),
    ("canceled", None),
    ("entity_type_id", UUID),
    ("parent_id", UUID),
    ("preview_file_id", UUID),
    ("source_id", UUID),
    ("nb_frames", None),
    ("nb_entities_out", None),
    ("is_casting_standby", None),
    ("project_id", UUID),
    ("parent__parent_id", UUID),
    ("parent__parent__name", None),
    ("parent__name", None),
    ("project__name", None),
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

    def __init__(self, shot_id=None, project_id=None, episode_id=None, assigned_person=None):
        self.shot_id = shot_id
        self.project_id = project_id
        self.episode_id = episode_id
        self.assigned_person = assigned_person

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
    rows = read_rows(shots.order_by("parent__parent__name", "parent__name", "name", "pk"), SHOT_BOARD_COLUMNS)
    subscribed = subscribed_task_ids(person, criteria.project_id, "Shot")
    tasks, links = criteria.tasks(shots)
    tasks_of = tasks_by_entity(tasks, links, SHOTS_AND_TASKS_TASK_FIELDS, subscribed, client, compact)
    hidden = {}
    if vendor_departments is not None and rows:
        hidden = hidden_metadata_fields("Shot", vendor_departments, {row[12] for row in rows})
    for (
        shot_id,
        name,
        description,
        data,
        canceled,
        entity_type_id,
        parent_id,
        preview_file_id,
        source_id,
        nb_frames,
        nb_entities_out,
        is_casting_standby,
        project_id,
        episode_id,
        episode_name,
        sequence_name,
        production_name,
    ) in rows:
        data = data or {}
        if vendor_departments is not None:
            masked = hidden.get(project_id, ())
            data = {key: value for key, value in data.items() if key not in masked}
        values = [
            canceled,
            data,
            description,
            entity_type_id,
            episode_id,
            episode_name or "",
            data.get("fps"),
            data.get("frame_in"),
            data.get("frame_out"),
            shot_id,
            name,
            nb_frames,
            parent_id,
            preview_file_id,
            project_id,
            production_name,
            parent_id,
            sequence_name,
            source_id,
            nb_entities_out,
            is_casting_standby,
            "Shot",
            tasks_of.get(shot_id, []),
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


# --- episode statistics ------------------------------------------------------------------------


def episode_tasks(project_id, assigned_person=None):
    """The tasks of a production's entities that hang from an episode through their parent."""
    queryset = Task.objects.filter(project_id=project_id, entity__parent__parent__isnull=False)
    if assigned_person is not None:
        queryset = queryset.filter(pk__in=assigned_task_ids(assigned_person))
    return queryset


def status_entry(short_name, color):
    return {"name": short_name, "color": color, "count": 0, "frames": 0, "drawings": 0}


def add_to_bucket(bucket, count, frames, drawings):
    bucket["count"] += count or 0
    bucket["frames"] += frames or 0
    bucket["drawings"] += drawings or 0


def episode_stats(project_id, assigned_person=None):
    """{episode id | "all": {task type id | "all": {status id: {name, color, count, frames,
    drawings}}}}: the production's shot tasks counted by the database per episode, task type
    and status. One query."""
    groups = (
        episode_tasks(project_id, assigned_person)
        .values(
            "entity__parent__parent_id",
            "task_type_id",
            "task_status_id",
            "task_status__short_name",
            "task_status__color",
        )
        .annotate(count=Count("pk"), drawings=Sum("nb_drawings"), frames=Sum("entity__nb_frames"))
        .order_by()
    )
    results = {}
    for group in groups:
        episode_id = str(group["entity__parent__parent_id"])
        task_type_id = str(group["task_type_id"])
        status_id = str(group["task_status_id"])
        short_name, color = group["task_status__short_name"], group["task_status__color"]
        count, frames, drawings = group["count"], group["frames"], group["drawings"]
        episode = results.setdefault(episode_id, {})
        episode.setdefault(task_type_id, {})[status_id] = {
            "name": short_name,
            "color": color,
            "count": count,
            "frames": frames or 0,
            "drawings": drawings or 0,
        }
        entry = episode.setdefault("all", {}).setdefault(status_id, status_entry(short_name, color))
        add_to_bucket(entry, count, frames, drawings)
        totals = results.setdefault("all", {"all": {}})
        for key in (task_type_id, "all"):
            entry = totals.setdefault(key, {}).setdefault(status_id, status_entry(short_name, color))
            add_to_bucket(entry, count, frames, drawings)
    return results


EMPTY_BUCKETS = {
    "done": {"count": 0, "frames": 0, "drawings": 0},
    "retake": {"count": 0, "frames": 0, "drawings": 0},
    "other": {"count": 0, "frames": 0, "drawings": 0},
}
EMPTY_RETAKE_STATS = {"max_retake_count": 0, "evolution": {}, **EMPTY_BUCKETS}


def episode_retake_stats(project_id, assigned_person=None):
    """{episode id | "all": {task type id | "all": {max_retake_count, done, retake, other,
    evolution}}}: where the production's shot tasks stand (done first, then retake, else other)
    and, per episode, how each take went. The tasks are grouped by the database by episode,
    task type, retake count and status kind; one query."""
    groups = list(
        episode_tasks(project_id, assigned_person)
        .values(
            "entity__parent__parent_id",
            "task_type_id",
            "retake_count",
            "task_status__is_done",
            "task_status__is_retake",
        )
        .annotate(count=Count("pk"), drawings=Sum("nb_drawings"), frames=Sum("entity__nb_frames"))
        .order_by()
    )
    results = {"all": {"all": copy.deepcopy(EMPTY_RETAKE_STATS)}}
    for group in groups:
        episode_id, task_type_id = str(group["entity__parent__parent_id"]), str(group["task_type_id"])
        retake_count = group["retake_count"] or 0
        results.setdefault(episode_id, {"all": copy.deepcopy(EMPTY_RETAKE_STATS)})
        results["all"].setdefault(task_type_id, copy.deepcopy(EMPTY_RETAKE_STATS))
        results[episode_id].setdefault(task_type_id, copy.deepcopy(EMPTY_RETAKE_STATS))
        if group["task_status__is_done"]:
            key = "done"
        elif group["task_status__is_retake"]:
            key = "retake"
        else:
            key = "other"
        for first, second in (
            ("all", "all"),
            ("all", task_type_id),
            (episode_id, "all"),
            (episode_id, task_type_id),
        ):
            entry = results[first][second]
            entry["max_retake_count"] = max(entry["max_retake_count"], retake_count)
            add_to_bucket(entry[key], group["count"], group["frames"], group["drawings"])
    # The takes of each episode, once the highest retake count of each entry is known.
    for group in groups:
        episode_id, task_type_id = str(group["entity__parent__parent_id"]), str(group["task_type_id"])
        retake_count = group["retake_count"] or 0
        for second in ("all", task_type_id):
            entry = results[episode_id][second]
            for take in range(1, entry["max_retake_count"] + 1):
                buckets = entry["evolution"].setdefault(str(take), copy.deepcopy(EMPTY_BUCKETS))
                if retake_count > 0 and take <= retake_count:
                    key = "retake"
                elif group["task_status__is_done"]:
                    key = "done"
                else:
                    key = "other"
                add_to_bucket(buckets[key], group["count"], group["frames"], group["drawings"])
    return results


# --- quotas ----------------------------------------------------------------------------------------


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


def naive_utc(value):
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


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
