"""Heavy reads of the `breakdown`, `concepts` and `edits` areas.

Castings are read straight from the link table joined to the names they show, in one flat
query whatever the size of the production (5,000 shots casting 2,000 assets is one query and a
Python grouping). The concept and edit lists are built like the asset board: one query for the
entities, one for their tasks, one for the assignees, one per attached list, never one per row.
"""

from collections import defaultdict

from assets.models import AssetInstance, AssetInstanceLink, Entity, EntityConceptLink, EntityLink
from assets.queries import (
    BOARD_TASK_COLUMNS,
    CASTING_COLUMNS,
    DATETIME,
    ENTITY_RELATIONS,
    JSON,
    UUID,
    assigned_entity_ids,
    entity_shape,
    filter_by_criteria,
    hidden_metadata_fields,
    instance_rows,
    read_dicts,
    read_rows,
)
from files.models import PreviewFile
from kitsu_server.api.crud import REGISTRY
from kitsu_server.api.json import ModelShape, format_datetime, serialize_rows
from productions.models import Project
from shots.models import EntityVersion
from tasks.models import Subscription, Task, TaskPersonLink
from tasks.permissions import CLIENT_BLANK_TASK_VALUES, assigned_task_ids
from tasks.task_queries import paginated

# --- castings ------------------------------------------------------------------------------

# The columns of one cast asset in the project-wide castings, in their read order.
_CAST_ASSET_COLUMNS = [
    ("entity_in_id", UUID),
    ("entity_out_id", UUID),
    ("entity_out__name", None),
    ("entity_out__entity_type__name", None),
    ("entity_out__preview_file_id", UUID),
    ("nb_occurences", None),
    ("label", None),
    ("entity_out__is_shared", None),
    ("entity_out__project_id", UUID),
]
_BY_CAST_ASSET = ("entity_out__entity_type__name", "entity_out__name")


def live_links():
    """Casting links whose cast asset is not canceled (what the casting pages show)."""
    return EntityLink.objects.filter(entity_out__canceled=False)


def castings_of(entity_ids):
    """{entity id: its casting (see assets.queries.casting)} for several entities, in the order
    of `entity_ids`. One query."""
    links = live_links().filter(entity_in_id__in=entity_ids).order_by(*_BY_CAST_ASSET)
    columns = [("entity_in_id", "entity_in_id", UUID), *CASTING_COLUMNS]
    by_entity = defaultdict(list)
    for row in read_dicts(links, columns):
        by_entity[row.pop("entity_in_id")].append(row)
    return {str(entity_id): by_entity.get(str(entity_id), []) for entity_id in entity_ids}


def _grouped_casting(links, with_team_columns=True):
    """{casting entity id: [cast assets]} from `links` (already ordered)."""
    columns = _CAST_ASSET_COLUMNS if with_team_columns else _CAST_ASSET_COLUMNS[:7]
    result = {}
    for entity_in_id, asset_id, name, type_name, preview_file_id, nb, label, *team in read_rows(
        links, columns
    ):
        entry = {
            "asset_id": asset_id,
            "name": name,
            "asset_name": name,
            "asset_type_name": type_name,
            "preview_file_id": preview_file_id,
            "nb_occurences": nb,
            "label": label,
        }
        if with_team_columns:
            entry["is_shared"], entry["project_id"] = team
        result.setdefault(entity_in_id, []).append(entry)
    return result


def episodes_casting(project_id):
    """{entity id: its casting} for every casting entity of a production. The reference names
    it after episodes but keeps every kind (the shots too): so do we."""
    links = live_links().filter(entity_in__project_id=project_id).order_by(*_BY_CAST_ASSET)
    return _grouped_casting(links)


def shots_casting(sequence_id=None, project_id=None, episode_id=None):
    """{shot id: its casting, each asset with its shot's sequence name}: the shots of one
    sequence (by shot name), or of a production (of one of its episodes), by sequence then shot
    name. One query."""
    links = live_links().filter(entity_in__parent__isnull=False)
    if sequence_id is not None:
        links = links.filter(entity_in__parent_id=sequence_id).order_by("entity_in__name", *_BY_CAST_ASSET)
    else:
        links = links.filter(entity_in__project_id=project_id)
        if episode_id is not None:
            links = links.filter(entity_in__parent__parent_id=episode_id)
        links = links.order_by("entity_in__parent__name", "entity_in__name", *_BY_CAST_ASSET)
    result = {}
    rows = read_rows(links, [*_CAST_ASSET_COLUMNS, ("entity_in__parent__name", None)])
    for shot_id, asset_id, name, type_name, preview_file_id, nb, label, is_shared, project, sequence in rows:
        result.setdefault(shot_id, []).append(
            {
                "asset_id": asset_id,
                "name": name,
                "asset_name": name,
                "asset_type_name": type_name,
                "sequence_name": sequence,
                "preview_file_id": preview_file_id,
                "nb_occurences": nb,
                "label": label,
                "is_shared": is_shared,
                "project_id": project,
            }
        )
    return result


def asset_type_casting(project_id, asset_type_id):
    """{asset id: what it casts} for the assets of one type in a production."""
    links = (
        live_links()
        .filter(entity_in__project_id=project_id, entity_in__entity_type_id=asset_type_id)
        .order_by(*_BY_CAST_ASSET)
    )
    return _grouped_casting(links, with_team_columns=False)


# --- entity links of a production ------------------------------------------------------------

ENTITY_LINK_COLUMNS = [
    ("id", "id", UUID),
    ("entity_in_id", "entity_in_id", UUID),
    ("entity_out_id", "entity_out_id", UUID),
    ("nb_occurences", "nb_occurences", None),
    ("label", "label", None),
    ("data", "data", JSON),
    ("created_at", "created_at", None),
]


def microseconds(value):
    """A datetime (or PostgreSQL's text of one) as the reference's cursor listings write it:
    `2026-03-02T10:20:30.123456`, in UTC."""
    if value is None:
        return None
    if isinstance(value, str):  # "2026-03-02 10:20:30.1234+00": PostgreSQL trims the fraction
        seconds, _, fraction = value[:26].split("+")[0].partition(".")
        return f"{seconds[:10]}T{seconds[11:19]}.{fraction.ljust(6, '0')}"
    return format_datetime(value) + f".{value.microsecond:06d}"


def project_entity_links(project_id, page=-1, limit=0, cursor_created_at=None):
    """The casting links of a production's entities, oldest first: a page of full links in the
    reference's envelope, the links created after a cursor, or a plain list (at most `limit`)."""
    links = EntityLink.objects.filter(entity_in__project_id=project_id)
    shape = REGISTRY["entity-links"].shape
    if page > 0:
        return paginated(
            links.order_by("created_at", "pk"),
            page,
            max(limit, 0),
            lambda rows: serialize_rows(rows, shape=shape),
        )
    if cursor_created_at is not None:
        limit = limit if limit > 0 else 100
        total = links.count()
        after = links.filter(created_at__gt=cursor_created_at).order_by("created_at", "updated_at", "pk")
        rows = []
        for link in after[:limit].values(*[attname for _, attname in shape.columns]):
            created_at, updated_at = link["created_at"], link["updated_at"]
            data = shape.format_row(link)
            data["created_at"] = microseconds(created_at)
            data["updated_at"] = microseconds(updated_at)
            rows.append(data)
        return {"data": rows, "total": total, "limit": limit}
    links = links.order_by("created_at", "pk")
    if limit > 0:
        links = links[:limit]
    rows = read_dicts(links, ENTITY_LINK_COLUMNS)
    for row in rows:
        row["created_at"] = microseconds(row["created_at"])
        row["type"] = "EntityLink"
    return rows


# --- asset instances -----------------------------------------------------------------------


def _by_asset(rows):
    result = {}
    for row in rows:
        result.setdefault(row["asset_id"], []).append(row)
    return result


def scene_asset_instances(scene_id, asset_type_id=None):
    """{asset id: its instances in the scene}, by asset then number."""
    instances = AssetInstance.objects.filter(scene_id=scene_id)
    if asset_type_id is not None:
        instances = instances.filter(asset__entity_type_id=asset_type_id)
    return _by_asset(instance_rows(instances))


def shot_asset_instances(shot_id):
    """{asset id: its instances cast in the shot}."""
    cast = AssetInstanceLink.objects.filter(entity_id=shot_id).values("asset_instance_id")
    return _by_asset(instance_rows(AssetInstance.objects.filter(pk__in=cast)))


# --- typed entity lists (concepts, concept folders, edits) -----------------------------------


def of_kind(kind):
    """The entities of one fixed kind ("Concept", "ConceptFolder", "Edit")."""
    return Entity.objects.filter(entity_type__name=kind)


def project_names(rows):
    ids = {row["project_id"] for row in rows}
    return {str(pk): name for pk, name in Project.objects.filter(pk__in=ids).values_list("pk", "name")}


def concept_links(entities):
    """{entity id: ids of the entities its concept links point at} (one query; `entities` is a
    queryset, used as a subquery)."""
    result = defaultdict(list)
    pairs = EntityConceptLink.objects.filter(entity_in__in=entities.values("pk")).values_list(
        "entity_in_id", "entity_out_id"
    )
    for entity_in_id, entity_out_id in pairs:
        result[str(entity_in_id)].append(str(entity_out_id))
    return result


def typed_rows(queryset, kind, with_concept_links=False, relations=False):
    """Entities as the reference serializes them under `kind` (a concept with the ids its concept
    links point at), by name."""
    queryset = queryset.order_by("name", "pk")
    rows = serialize_rows(queryset, relations=relations, shape=entity_shape())
    links = concept_links(queryset) if with_concept_links and rows and not relations else {}
    for row in rows:
        row["type"] = kind
        if with_concept_links and not relations:
            row["entity_concept_links"] = links.get(row["id"], [])
    return rows


def project_entities(project_id, kind, assigned_to=None):
    """A production's entities of one kind (those holding a task of `assigned_to` when given)."""
    queryset = of_kind(kind).filter(project_id=project_id)
    if assigned_to is not None:
        queryset = queryset.filter(pk__in=assigned_entity_ids(assigned_to))
    return typed_rows(queryset, kind, with_concept_links=kind == "Concept")


def listed_entities(kind, criteria, person):
    """`GET /data/concepts` and `/data/edits`: entities of a kind filtered by the query string's
    columns and relations (`assigned_to`: only those holding a task of the person), each with its
    production's name."""
    criteria = dict(criteria)
    assigned = criteria.pop("assigned_to", None) is not None
    criteria.pop("entity_type_id", None)
    queryset = filter_by_criteria(of_kind(kind), criteria, ENTITY_RELATIONS)
    if assigned:
        queryset = queryset.filter(pk__in=assigned_entity_ids(person))
    rows = typed_rows(queryset, kind, with_concept_links=kind == "Concept")
    names = project_names(rows)
    for row in rows:
        row["project_name"] = names.get(row["project_id"])
    return rows


def hide_metadata(rows, kind, departments, project_id=None):
    """Rows without the custom fields a vendor of `departments` may not read (None: not a vendor)."""
    if departments is None or not rows:
        return rows
    hidden = hidden_metadata_fields(kind, departments, {row.get("project_id") or project_id for row in rows})
    for row in rows:
        masked = hidden.get(str(row.get("project_id") or project_id), ())
        row["data"] = {key: value for key, value in (row["data"] or {}).items() if key not in masked}
    return rows


# --- entities with their tasks (the concept and edit boards) ---------------------------------

CONCEPT_TASK_FIELDS = [
    "id",
    "duration",
    "due_date",
    "end_date",
    "entity_id",
    "estimation",
    "last_comment_date",
    "nb_assets_ready",
    "priority",
    "real_start_date",
    "retake_count",
    "start_date",
    "task_status_id",
    "task_type_id",
    "data",
]
EDIT_TASK_FIELDS = [
    "id",
    "duration",
    "due_date",
    "entity_id",
    "end_date",
    "estimation",
    "last_comment_date",
    "last_preview_file_id",
    "nb_assets_ready",
    "priority",
    "real_start_date",
    "retake_count",
    "start_date",
    "task_status_id",
    "task_type_id",
    "data",
]


class BoardFilter:
    """What a board lists: one entity (`entity_id`), a production, an episode ("main": the
    entities of no episode, "all": every one), only what `person` is assigned to."""

    def __init__(self, entity_id=None, project_id=None, episode_id=None, assigned=False):
        self.entity_id = entity_id
        self.project_id = project_id
        self.episode_id = episode_id
        self.assigned = assigned

    def apply(self, queryset, person):
        if self.entity_id is not None:
            queryset = queryset.filter(pk=self.entity_id)
        if self.project_id is not None:
            queryset = queryset.filter(project_id=self.project_id)
        if self.episode_id == "main":
            queryset = queryset.filter(parent_id__isnull=True)
        elif self.episode_id not in (None, "all"):
            queryset = queryset.filter(parent_id=self.episode_id)
        if self.assigned:
            queryset = queryset.filter(pk__in=assigned_entity_ids(person))
        return queryset


def board_tasks(entities, fields, person, assigned, client, subscribed):
    """{entity id: [task dicts of `fields`, plus `is_subscribed` and `assignees`]}: two flat
    reads (tasks, assignees). A client reads the studio fields blank."""
    tasks = Task.objects.filter(entity_id__in=entities.values("pk"))
    links = TaskPersonLink.objects.filter(task__entity_id__in=entities.values("pk"))
    if assigned:
        tasks = tasks.filter(pk__in=assigned_task_ids(person))
        links = links.filter(task_id__in=assigned_task_ids(person))
    assignees = defaultdict(list)
    for task_id, person_id in links.values_list("task_id", "person_id"):
        assignees[str(task_id)].append(str(person_id))
    result = defaultdict(list)
    for row in read_dicts(tasks, BOARD_TASK_COLUMNS):
        row["priority"] = row["priority"] or 0
        task = {name: row[name] for name in fields}
        task["is_subscribed"] = row["id"] in subscribed
        task["assignees"] = assignees.get(row["id"], [])
        if client:
            for name, blank in CLIENT_BLANK_TASK_VALUES.items():
                if name in task:
                    task[name] = list(blank) if isinstance(blank, list) else blank
        result[row["entity_id"]].append(task)
    return result


def subscribed_task_ids(person, project_id, kind):
    """The tasks of a production's entities of `kind` the person follows (none without one)."""
    if project_id is None:
        return set()
    subscriptions = Subscription.objects.filter(
        person_id=person.pk, task__project_id=project_id, task__entity__entity_type__name=kind
    ).values_list("task_id", flat=True)
    return {str(task_id) for task_id in subscriptions}


CONCEPT_BOARD_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("description", "description", None),
    ("data", "data", JSON),
    ("canceled", "canceled", None),
    ("entity_type_id", "entity_type_id", UUID),
    ("parent_id", "parent_id", UUID),
    ("preview_file_id", "preview_file_id", UUID),
    ("preview_file_status", "preview_file__status", None),
    ("source_id", "source_id", UUID),
    ("nb_frames", "nb_frames", None),
    ("nb_entities_out", "nb_entities_out", None),
    ("is_casting_standby", "is_casting_standby", None),
    ("created_by", "created_by_id", UUID),
    ("created_at", "created_at", DATETIME),
    ("updated_at", "updated_at", DATETIME),
    ("project_id", "project_id", UUID),
    ("project_name", "project__name", None),
]


def concepts_with_tasks(board, person, client=False):
    """The concept board: each concept with its tasks and concept links. Five queries."""
    concepts = board.apply(of_kind("Concept"), person)
    rows = read_dicts(concepts.order_by("name", "pk"), CONCEPT_BOARD_COLUMNS)
    subscribed = subscribed_task_ids(person, board.project_id, "Concept")
    tasks = board_tasks(concepts, CONCEPT_TASK_FIELDS, person, board.assigned, client, subscribed)
    links = concept_links(concepts) if rows else {}
    result = []
    for row in rows:
        data = row["data"] or {}
        result.append(
            {
                "canceled": row["canceled"],
                "data": data,
                "description": row["description"],
                "entity_type_id": row["entity_type_id"],
                "fps": data.get("fps"),
                "frame_in": data.get("frame_in"),
                "frame_out": data.get("frame_out"),
                "id": row["id"],
                "name": row["name"],
                "nb_frames": row["nb_frames"],
                "parent_id": row["parent_id"],
                "preview_file_id": row["preview_file_id"],
                "preview_file_status": row["preview_file_status"],
                "project_id": row["project_id"],
                "project_name": row["project_name"],
                "source_id": row["source_id"],
                "nb_entities_out": row["nb_entities_out"],
                "is_casting_standby": row["is_casting_standby"],
                "tasks": tasks.get(row["id"], []),
                "entity_concept_links": links.get(row["id"], []),
                "type": "Concept",
                "updated_at": row["updated_at"],
                "created_at": row["created_at"],
                "created_by": row["created_by"],
            }
        )
    return result


EDIT_BOARD_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("description", "description", None),
    ("data", "data", JSON),
    ("canceled", "canceled", None),
    ("entity_type_id", "entity_type_id", UUID),
    ("parent_id", "parent_id", UUID),
    ("preview_file_id", "preview_file_id", UUID),
    ("source_id", "source_id", UUID),
    ("nb_entities_out", "nb_entities_out", None),
    ("project_id", "project_id", UUID),
    ("episode_name", "parent__name", None),
    ("project_name", "project__name", None),
]


def edits_with_tasks(board, person, client=False, vendor_departments=None):
    """The edit board: each edit with its episode and its tasks; a vendor reads only the custom
    fields of their departments. Four queries (+1 for a vendor)."""
    edits = board.apply(of_kind("Edit"), person)
    rows = read_dicts(edits.order_by("name", "pk"), EDIT_BOARD_COLUMNS)
    subscribed = subscribed_task_ids(person, board.project_id, "Edit")
    tasks = board_tasks(edits, EDIT_TASK_FIELDS, person, board.assigned, client, subscribed)
    hidden = {}
    if vendor_departments is not None and rows:
        hidden = hidden_metadata_fields("Edit", vendor_departments, {row["project_id"] for row in rows})
    result = []
    for row in rows:
        data = row["data"] or {}
        if vendor_departments is not None:
            masked = hidden.get(row["project_id"], ())
            data = {key: value for key, value in data.items() if key not in masked}
        result.append(
            {
                "canceled": row["canceled"],
                "data": data,
                "description": row["description"],
                "entity_type_id": row["entity_type_id"],
                "episode_id": row["parent_id"],
                "episode_name": row["episode_name"] or "",
                "id": row["id"],
                "name": row["name"],
                "parent_id": row["parent_id"],
                "preview_file_id": row["preview_file_id"],
                "project_id": row["project_id"],
                "project_name": row["project_name"],
                "source_id": row["source_id"],
                "nb_entities_out": row["nb_entities_out"],
                "tasks": tasks.get(row["id"], []),
                "type": "Edit",
            }
        )
    return result


# --- what hangs off one entity -----------------------------------------------------------------

DETAILED_TASK_NAMES = (
    ("project_name", "project__name"),
    ("task_type_name", "task_type__name"),
    ("task_status_name", "task_status__name"),
    ("entity_type_name", "entity__entity_type__name"),
    ("entity_name", "entity__name"),
)


def detailed_tasks(tasks, relations=False, client=False):
    """Tasks with the names of their production, type, status and entity, sorted by these
    names; `relations` adds their assignees; a client reads the studio fields blank. Two
    queries (+1 with relations). Tasks missing one of these are left out, as the reference's
    joins leave them."""
    tasks = tasks.filter(
        project__isnull=False, task_type__isnull=False, task_status__isnull=False, entity__isnull=False
    )
    rows = serialize_rows(tasks, shape=REGISTRY["tasks"].shape)
    names = {
        str(pk): values
        for pk, *values in tasks.values_list("pk", *[lookup for _, lookup in DETAILED_TASK_NAMES])
    }
    for row in rows:
        row.update(zip([name for name, _ in DETAILED_TASK_NAMES], names[row["id"]], strict=True))
    rows.sort(
        key=lambda row: tuple(
            (row[name] or "").casefold()
            for name in ("name", "project_name", "task_type_name", "entity_type_name", "entity_name")
        )
    )
    if relations and rows:
        assignees = defaultdict(list)
        for task_id, person_id in TaskPersonLink.objects.filter(task__in=tasks.values("pk")).values_list(
            "task_id", "person_id"
        ):
            assignees[str(task_id)].append(str(person_id))
        for row in rows:
            row["assignees"] = assignees.get(row["id"], [])
    if client:
        for row in rows:
            for name, blank in CLIENT_BLANK_TASK_VALUES.items():
                if name in row:
                    row[name] = list(blank) if isinstance(blank, list) else blank
    return rows


def episode_edit_tasks(episode_id, relations=False, client=False):
    """The tasks of an episode's edits."""
    edits = of_kind("Edit").filter(parent_id=episode_id).values("pk")
    return detailed_tasks(Task.objects.filter(entity_id__in=edits), relations=relations, client=client)


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
# What a preview of the list shows; the previews of the same revision nest under the first.
PREVIEW_FIELDS = (
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


def previews_by_task_type(entity_id):
    """{task type id: the previews of the entity's task of that type}, newest revision first,
    the other files of a revision nested in its first one's `previews`. One query."""
    previews = PreviewFile.objects.filter(task__entity_id=entity_id).order_by(
        "-task__task_type__priority", "task__task_type__name", "-revision", "created_at"
    )
    by_task = {}
    for row in read_dicts(previews, PREVIEW_COLUMNS):
        data = row.pop("data") or {}
        row["duration"] = float(row["duration"] or 0)
        for name in ("original_width", "original_height", "original_duration", "original_file_size"):
            row[name] = data.get(name)
        by_task.setdefault(row["task_id"], []).append(row)
    result = {}
    for task_previews in by_task.values():
        revisions = {}
        for preview in task_previews:
            first = revisions.get(preview["revision"])
            if first is None:
                revisions[preview["revision"]] = {**preview, "previews": []}
            else:
                first["previews"].append(preview)
        result[task_previews[0]["task_type_id"]] = [
            {name: first.get(name) for name in PREVIEW_FIELDS} for first in revisions.values()
        ]
    return result


VERSION_SHAPE = ModelShape(EntityVersion, type_name="EditVersion")


def edit_versions(edit_id):
    """The recorded versions of an edit's data, newest first."""
    versions = EntityVersion.objects.filter(entity_id=edit_id).order_by("-created_at", "pk")
    return serialize_rows(versions, shape=VERSION_SHAPE)
