"""Heavy reads of the `assets` routes, and the entity reads other areas share (criteria filters,
casting, task types); the pages of any entity are in assets.entities.queries.

Every list here is built from a few flat queries (rows read by column name, joined
in Python dicts), never from one ORM object per row: the asset board of a
production (`/data/assets/with-tasks`) serves thousands of assets times their
tasks in six queries whatever their number. Scopes (asset types, the
person's projects, their assigned tasks) are subqueries, so no id list
travels as parameters.
"""

import uuid
from collections import defaultdict

import orjson
from django.db import connections, router
from django.db.models import BooleanField, Q
from rest_framework.exceptions import NotFound

from assets.models import (
    KIND_NAMES,
    AssetInstance,
    AssetInstanceLink,
    Entity,
    EntityLink,
    EntityType,
    entity_kind,
)
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import (
    ModelShape,
    serialize_instance,
    serialize_rows,
)
from kitsu_server.api.params import parse_uuid
from kitsu_server.core.access.entities import hidden_custom_fields
from kitsu_server.core.access.scopes import assigned_task_ids, team_project_ids
from kitsu_server.core.data.filters import to_python
from kitsu_server.core.data.policies import REGISTRY
from productions.models import Project
from tasks.boards import board_tasks, changed_board_entities, subscribed_task_ids
from tasks.models import Subscription, Task, TaskType
from tasks.queries import JSON, UUID, read_dicts

# Many-to-many names of an entity the list filters accept (membership).
ENTITY_RELATIONS = ("entities_out", "entities_in", "entity_concept_links", "instance_casting")

ASSET_TYPE_SHAPE = ModelShape(EntityType, type_name="AssetType")
TASK_SHAPE = ModelShape(Task)

# Field order of the compact encoding of /data/assets/with-tasks (named in its header).
ASSETS_AND_TASKS_ASSET_FIELDS = [
    "id",
    "name",
    "preview_file_id",
    "description",
    "asset_type_name",
    "asset_type_id",
    "canceled",
    "ready_for",
    "episode_id",
    "casting_episode_ids",
    "is_casting_standby",
    "is_shared",
    "data",
    "tasks",
]
ASSETS_AND_TASKS_TASK_FIELDS = [
    "id",
    "due_date",
    "done_date",
    "duration",
    "entity_id",
    "estimation",
    "end_date",
    "is_subscribed",
    "last_comment_date",
    "last_preview_file_id",
    "priority",
    "real_start_date",
    "retake_count",
    "start_date",
    "difficulty",
    "task_status_id",
    "task_type_id",
    "assignees",
    "data",
]


def entity_shape():
    return REGISTRY["entities"].shape


# --- scopes ------------------------------------------------------------------------------


def asset_type_ids():
    """Entity types that classify assets (every one but the shot-side kinds and concepts)."""
    return EntityType.objects.exclude(name__in=KIND_NAMES).values("pk")


def all_assets():
    return Entity.objects.filter(entity_type_id__in=asset_type_ids())


def is_asset(entity):
    return entity_kind(entity.entity_type_id) == "Asset"


def asset_or_404(asset_id):
    pk = parse_uuid(asset_id, f"Malformed ID: {asset_id}.")
    asset = Entity.objects.filter(pk=pk).first()
    if asset is None or not is_asset(asset):
        raise NotFound("Asset not found.")
    return asset


TRUE_WORDS = ("y", "yes", "t", "true", "on", "1")
FALSE_WORDS = ("n", "no", "f", "false", "off", "0")


def criterion_value(field, raw, key):
    """A query-string value cast to its column's type (a 400 naming it when it doesn't fit)."""
    if isinstance(field, BooleanField) and isinstance(raw, str) and raw != "null":
        if raw.lower() in TRUE_WORDS:
            return True
        if raw.lower() in FALSE_WORDS:
            return False
        raise WrongParameter(f"Invalid boolean value: {raw}")
    return to_python(field, raw, key)


def filter_by_criteria(queryset, criteria, relations=()):
    """`queryset` narrowed by query-string criteria as the reference reads them: a column name
    filters by equality (a JSON list by membership, `name` regardless of case), a relation name
    by membership; anything else is ignored."""
    fields = {field.column: field for field in queryset.model._meta.concrete_fields}
    for key, raw in criteria.items():
        if key in relations:
            queryset = queryset.filter(**{key: parse_uuid(raw, f"Invalid UUID value: {raw}")})
            continue
        field = fields.get(key)
        if field is None:
            continue
        if isinstance(raw, str) and raw.startswith("["):
            try:
                values = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise WrongParameter(f"Malformed list filter for field {key}.") from None
            if not isinstance(values, list):
                raise WrongParameter(f"Malformed list filter for field {key}.")
            queryset = queryset.filter(
                **{f"{field.attname}__in": [criterion_value(field, v, key) for v in values]}
            )
        elif key == "name":
            queryset = queryset.filter(name__iexact=raw)
        else:
            value = criterion_value(field, raw, key)
            if value is None:
                queryset = queryset.filter(**{f"{field.attname}__isnull": True})
            else:
                queryset = queryset.filter(**{field.attname: value})
    return queryset


def hidden_metadata_fields(kind, departments, project_ids):
    """{project id: custom field names a vendor of `departments` may not read}: the descriptors
    of `kind` restricted to departments none of which is theirs. One query."""
    hidden = hidden_custom_fields(departments, project_ids, kinds=[kind])
    return defaultdict(set, {project_id: fields for (project_id, _), fields in hidden.items()})


def hide_vendor_metadata(rows, departments, kind="Asset"):
    """Rows (dicts with `project_id` and `data`) without the custom fields a vendor may not read;
    `departments` None (not a vendor) leaves them as they are."""
    if departments is None or not rows:
        return rows
    hidden = hidden_metadata_fields(kind, departments, {row["project_id"] for row in rows})
    for row in rows:
        masked = hidden.get(row["project_id"], ())
        row["data"] = {key: value for key, value in (row["data"] or {}).items() if key not in masked}
    return rows


# --- asset types -------------------------------------------------------------------------


def asset_types(criteria):
    """Asset types (with their workflow's task types), filtered like the reference: by their
    columns, and `project_id` for the types of a production's assets."""
    criteria = dict(criteria)
    queryset = EntityType.objects.exclude(name__in=KIND_NAMES)
    project_id = criteria.pop("project_id", None)
    if project_id is not None:
        project_id = parse_uuid(project_id, f"Invalid UUID value: {project_id}")
        queryset = queryset.filter(
            pk__in=Entity.objects.filter(project_id=project_id).values("entity_type_id")
        )
    queryset = filter_by_criteria(queryset, criteria, relations=("task_types",))
    return serialize_rows(queryset.order_by("name"), relations=True, shape=ASSET_TYPE_SHAPE)


def asset_type(asset_type):
    return serialize_instance(asset_type, relations=True, shape=ASSET_TYPE_SHAPE)


def project_asset_types(project_id):
    """The types of a production's assets."""
    used = all_assets().filter(project_id=project_id).values("entity_type_id")
    return serialize_rows(EntityType.objects.filter(pk__in=used).order_by("name"), shape=ASSET_TYPE_SHAPE)


def shot_asset_types(shot):
    """The types of the assets cast in a shot."""
    cast = EntityLink.objects.filter(entity_in_id=shot.pk).values("entity_out__entity_type_id")
    return serialize_rows(EntityType.objects.filter(pk__in=cast).order_by("name"), shape=ASSET_TYPE_SHAPE)


# --- asset lists -------------------------------------------------------------------------


def assigned_entity_ids(person):
    return Task.objects.filter(pk__in=assigned_task_ids(person)).values("entity_id")


def cast_in_episode(episode_id):
    """Entities cast in an episode (a subquery)."""
    return EntityLink.objects.filter(entity_in_id=episode_id).values("entity_out_id")


def list_assets(criteria, person, only_team_projects=False, vendor_departments=None, window=None):
    """Assets matching the query-string criteria (columns, relations, `episode_id`: the episode's
    own assets and those cast in it, `assigned_to`: the ones holding a task of the person),
    within the projects of the person's team when `only_team_projects`. One query (+1 for a
    vendor's hidden custom fields)."""
    criteria = dict(criteria)
    assigned = criteria.pop("assigned_to", None) is not None
    episode_id = criteria.pop("episode_id", None)
    queryset = filter_by_criteria(all_assets(), criteria, ENTITY_RELATIONS)
    if assigned:
        queryset = queryset.filter(pk__in=assigned_entity_ids(person))
    if only_team_projects:
        queryset = queryset.filter(project_id__in=team_project_ids(person))
    if episode_id is not None:
        episode_id = parse_uuid(episode_id, f"Invalid UUID value: {episode_id}")
        queryset = queryset.filter(Q(source_id=episode_id) | Q(pk__in=cast_in_episode(episode_id)))
    if window is not None:  # a delta read: the assets changed in it
        queryset = window.changed(queryset, via_tasks=vendor_departments is not None)
    rows = serialize_rows(queryset.order_by("name", "pk"), shape=entity_shape())
    return hide_vendor_metadata(rows, vendor_departments)


def as_assets(rows):
    for row in rows:
        row["type"] = "Asset"
    return rows


def render_assets(queryset):
    """The rows of a queryset of assets, by name, typed "Asset". One query."""
    return as_assets(serialize_rows(queryset.order_by("name", "pk"), shape=entity_shape()))


def shared_assets_used_in_project(project_id, episode_id=None):
    """Shared assets of other productions cast in the shots of this one (of one episode)."""
    links = EntityLink.objects.filter(entity_in__project_id=project_id, entity_in__parent__isnull=False)
    if episode_id is not None:
        links = links.filter(entity_in__parent__parent_id=episode_id)
    queryset = (
        all_assets()
        .filter(is_shared=True, canceled=False, pk__in=links.values("entity_out_id"))
        .exclude(project_id=project_id)
    )
    return render_assets(queryset)


# --- the asset board: assets with their tasks ----------------------------------------------

ASSET_BOARD_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("description", "description", None),
    ("data", "data", JSON),
    ("preview_file_id", "preview_file_id", UUID),
    ("entity_type_id", "entity_type_id", UUID),
    ("canceled", "canceled", None),
    ("ready_for", "ready_for", UUID),
    ("source_id", "source_id", UUID),
    ("is_casting_standby", "is_casting_standby", None),
    ("is_shared", "is_shared", None),
    ("project_id", "project_id", UUID),
    ("asset_type_name", "entity_type__name", None),
]


class BoardCriteria:
    """The filters of an asset board, validated: `id`, `project_id`, `episode_id` (an episode,
    "main" for the assets of no episode, "all" for every one) and `assigned_to` (only what the
    person is assigned to)."""

    def __init__(
        self, asset_id=None, project_id=None, episode_id=None, assigned=False, window=None, scope=None
    ):
        self.asset_id = asset_id
        self.project_id = project_id
        self.episode_id = episode_id
        self.assigned = assigned
        self.window = window  # a delta read (`updated_since`): only the assets changed in it
        self.scope = scope  # the productions a delta reads (ids or a subquery; None: any)

    @property
    def episode_uuid(self):
        return self.episode_id if self.episode_id not in (None, "main", "all") else None


def board_assets(criteria, person, only_team_projects):
    """The assets of a board (a queryset: used as a subquery by the task reads)."""
    queryset = all_assets()
    if criteria.asset_id is not None:
        queryset = queryset.filter(pk=criteria.asset_id)
    if criteria.project_id is not None:
        queryset = queryset.filter(project_id=criteria.project_id)
    if criteria.episode_id == "main":
        queryset = queryset.filter(source_id__isnull=True)
    elif criteria.episode_uuid is not None:
        episode_id = criteria.episode_uuid
        queryset = queryset.filter(Q(source_id=episode_id) | Q(pk__in=cast_in_episode(episode_id)))
    if criteria.assigned:
        queryset = queryset.filter(pk__in=assigned_entity_ids(person))
    if only_team_projects:
        queryset = queryset.filter(project_id__in=team_project_ids(person))
    if criteria.window is not None:
        castings = EntityLink.objects.filter(updated_at__gte=criteria.window.since)
        if criteria.scope is not None:
            castings = castings.filter(entity_in__project_id__in=criteria.scope)
        queryset = changed_board_entities(
            queryset,
            criteria.window,
            criteria.scope,
            person,
            related=("entity_type", "project"),
            links=castings.values("entity_out_id"),
        )
    return queryset


def casting_episode_ids(criteria, with_episode_ids):
    """{asset id: [ids of the episodes casting it]}, episodes by name, when the board names a
    production (or when asked)."""
    if criteria.project_id is None and not with_episode_ids:
        return {}
    links = EntityLink.objects.filter(entity_in__entity_type__name="Episode")
    if criteria.project_id is not None:
        links = links.filter(entity_in__project_id=criteria.project_id)
    if criteria.episode_uuid is not None:
        links = links.filter(entity_in_id=criteria.episode_uuid)
    if criteria.asset_id is not None:
        links = links.filter(entity_out_id=criteria.asset_id)
    result = defaultdict(list)
    for asset_id, episode_id in links.order_by("entity_in__name").values_list(
        "entity_out_id", "entity_in_id"
    ):
        result[str(asset_id)].append(str(episode_id))
    return result


def assets_with_tasks(
    criteria,
    person,
    only_team_projects=False,
    client=False,
    vendor_departments=None,
    compact=False,
    with_episode_ids=False,
):
    """The asset board: each asset (by type name, then name) with its tasks, a client reading
    the studio fields of the tasks blank and a vendor only the custom fields of their
    departments. `compact` gives rows of values aligned on ASSETS_AND_TASKS_*_FIELDS instead of
    dicts. Six queries at most, whatever the number of assets and tasks, run before the first
    asset; then one asset at a time, as produced (a generator: a streamed board is never whole
    in memory)."""
    assets = board_assets(criteria, person, only_team_projects)
    rows = read_dicts(assets.order_by("entity_type__name", "name"), ASSET_BOARD_COLUMNS)
    subscribed = subscribed_task_ids(person, criteria.project_id, entity_type_ids=asset_type_ids())
    assigned_person = person if criteria.assigned else None
    tasks_by_asset = board_tasks(
        assets, ASSETS_AND_TASKS_TASK_FIELDS, subscribed, client, assigned_person=assigned_person
    )
    episodes_by_asset = casting_episode_ids(criteria, with_episode_ids)
    hidden = {}
    if vendor_departments is not None and rows:
        hidden = hidden_metadata_fields("Asset", vendor_departments, {row["project_id"] for row in rows})
    for row in rows:
        data = row["data"] or {}
        if vendor_departments is not None:
            masked = hidden.get(row["project_id"], ())
            data = {key: value for key, value in data.items() if key not in masked}
        asset_id = row["id"]
        tasks = tasks_by_asset.get(asset_id, [])
        values = [
            asset_id,
            row["name"],
            row["preview_file_id"] or "",
            row["description"],
            row["asset_type_name"],
            row["entity_type_id"],
            row["canceled"],
            str(row["ready_for"]),  # the reference writes "None" for no step
            row["source_id"] or "",
            episodes_by_asset.get(asset_id, []),
            row["is_casting_standby"],
            row["is_shared"],
            data,
            [list(task.values()) for task in tasks] if compact else tasks,
        ]
        yield values if compact else dict(zip(ASSETS_AND_TASKS_ASSET_FIELDS, values, strict=True))


def board_fingerprint(project_id, person):
    """A cheap change signal of a production's board: the newest change and the number of its
    entities and tasks, of the entity types, of the person's subscriptions, and the production's
    own last change. One query of five aggregates, computed by the database (a board answered 304
    costs one round trip)."""
    connection = connections[router.db_for_read(Entity)]
    quote = connection.ops.quote_name

    def signal(model, column=None):
        table = quote(model._meta.db_table)
        where = f" WHERE {quote(column)} = %s" if column else ""
        return f"(SELECT MAX({quote('updated_at')}) || ':' || COUNT(*) FROM {table}{where})"

    sql = "SELECT " + ", ".join(
        [
            signal(Entity, "project_id"),
            signal(Task, "project_id"),
            signal(EntityType),
            signal(Subscription, "person_id"),
            f"(SELECT {quote('updated_at')} FROM {quote(Project._meta.db_table)} WHERE {quote('id')} = %s)",
        ]
    )
    key = Project._meta.pk
    project, person_id = (
        key.get_db_prep_value(uuid.UUID(str(value)), connection) for value in (project_id, person.pk)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [project, project, person_id, project])
        return "|".join(str(value) for value in cursor.fetchone())


def full_asset(asset, person, client=False):
    """One asset as its page reads it: its columns and relations (`source_id` and `nb_frames`
    aside), its production and type names, and its board entry (tasks, episodes)."""
    data = REGISTRY["entities"].render(asset, relations=True)
    board = list(
        assets_with_tasks(BoardCriteria(asset_id=asset.pk), person, client=client, with_episode_ids=True)
    )
    if not board:
        raise NotFound("Asset not found.")
    data["project_name"] = Project.objects.filter(pk=asset.project_id).values_list("name", flat=True).first()
    data["asset_type_id"] = str(asset.entity_type_id)
    data.pop("source_id", None)
    data.pop("nb_frames", None)
    data.update(board[0])
    return data


# --- casting -----------------------------------------------------------------------------

CASTING_COLUMNS = [
    ("asset_id", "entity_out_id", UUID),
    ("asset_name", "entity_out__name", None),
    ("asset_type_name", "entity_out__entity_type__name", None),
    ("ready_for", "entity_out__ready_for", UUID),
    ("episode_id", "entity_out__source_id", UUID),
    ("preview_file_id", "entity_out__preview_file_id", UUID),
    ("nb_occurences", "nb_occurences", None),
    ("label", "label", None),
    ("is_shared", "entity_out__is_shared", None),
    ("project_id", "entity_out__project_id", UUID),
]


def casting(entity_id):
    """What an entity casts (the assets of a shot, the props of a set), canceled ones aside,
    by type name then name."""
    links = EntityLink.objects.filter(entity_in_id=entity_id, entity_out__canceled=False).order_by(
        "entity_out__entity_type__name", "entity_out__name"
    )
    return read_dicts(links, CASTING_COLUMNS)


def cast_assets(entity_id):
    """The entities an entity casts, as assets, canceled ones included."""
    cast = EntityLink.objects.filter(entity_in_id=entity_id).values("entity_out_id")
    return render_assets(Entity.objects.filter(pk__in=cast))


def cast_in(asset_id):
    """Where an asset is cast: the shots (with their sequence and episode) and the assets
    (sets) casting it; canceled ones aside."""
    shot_links = EntityLink.objects.filter(
        entity_out_id=asset_id, entity_in__canceled=False, entity_in__parent__isnull=False
    ).order_by("entity_in__parent__parent__name", "entity_in__parent__name", "entity_in__name")
    shots = read_dicts(
        shot_links,
        [
            ("shot_id", "entity_in_id", UUID),
            ("shot_name", "entity_in__name", None),
            ("sequence_name", "entity_in__parent__name", None),
            ("episode_id", "entity_in__parent__parent_id", UUID),
            ("episode_name", "entity_in__parent__parent__name", None),
            ("preview_file_id", "entity_in__preview_file_id", UUID),
            ("nb_occurences", "nb_occurences", None),
        ],
    )
    result = []
    for shot in shots:
        shot["episode_id"] = str(shot["episode_id"])  # the reference writes "None" for no episode
        result.append(shot)
    asset_links = EntityLink.objects.filter(
        entity_out_id=asset_id, entity_in__canceled=False, entity_in__entity_type_id__in=asset_type_ids()
    ).order_by("entity_in__entity_type__name", "entity_in__name")
    result += read_dicts(
        asset_links,
        [
            ("asset_id", "entity_in_id", UUID),
            ("asset_name", "entity_in__name", None),
            ("asset_type_name", "entity_in__entity_type__name", None),
            ("preview_file_id", "entity_in__preview_file_id", UUID),
            ("nb_occurences", "nb_occurences", None),
        ],
    )
    return result


# --- asset instances -----------------------------------------------------------------------


def instance_rows(queryset):
    return serialize_rows(queryset.order_by("asset_id", "number"), shape=REGISTRY["asset-instances"].shape)


def group_by(rows, key):
    result = {}
    for row in rows:
        result.setdefault(str(key(row)), []).append(row)
    return result


def shot_instances_of_asset(asset_id):
    """{shot id: [instances of the asset cast in it]}."""
    rows = instance_rows(AssetInstance.objects.filter(asset_id=asset_id))
    shots_by_instance = defaultdict(list)
    links = AssetInstanceLink.objects.filter(asset_instance__asset_id=asset_id)
    for instance_id, entity_id in links.values_list("asset_instance_id", "entity_id"):
        shots_by_instance[str(instance_id)].append(str(entity_id))
    result = {}
    for row in rows:
        for shot_id in shots_by_instance.get(row["id"], ()):
            result.setdefault(shot_id, []).append(row)
    return result


def scene_instances_of_asset(asset_id):
    """{scene id: [instances of the asset]} ("None" holds those in no scene, as on the reference)."""
    rows = instance_rows(AssetInstance.objects.filter(asset_id=asset_id))
    return group_by(rows, lambda row: row["scene_id"])


def instances_in_asset(asset_id):
    """{instantiated asset id: [its instances inside this asset]}."""
    rows = instance_rows(AssetInstance.objects.filter(target_asset_id=asset_id))
    return group_by(rows, lambda row: row["asset_id"])


# --- tasks of an entity --------------------------------------------------------------------


def entity_task_types(entity_id):
    """The task types of an entity's tasks."""
    used = Task.objects.filter(entity_id=entity_id).values("task_type_id")
    queryset = TaskType.objects.filter(pk__in=used).order_by("priority", "name")
    return serialize_rows(queryset, shape=REGISTRY["task-types"].shape)
