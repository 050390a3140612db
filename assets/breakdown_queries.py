"""Heavy reads of the `breakdown`, `concepts` and `edits` areas.

Castings are read straight from the link table joined to the names they show, in one flat
query whatever the size of the production (5,000 shots casting 2,000 assets is one query and a
Python grouping). The typed entity lists and the board filter concepts and edits share live here;
their boards are in assets.concept_queries and shots.edit_queries, the task readers in
tasks.task_queries.
"""

from collections import defaultdict

from assets.models import AssetInstance, AssetInstanceLink, Entity, EntityConceptLink, EntityLink
from assets.queries import (
    CASTING_COLUMNS,
    ENTITY_RELATIONS,
    assigned_entity_ids,
    entity_shape,
    filter_by_criteria,
    hidden_metadata_fields,
    instance_rows,
)
from kitsu_server.api.json import format_datetime, serialize_rows
from kitsu_server.core.data.policies import REGISTRY
from productions.models import Project
from tasks.task_queries import (
    JSON,
    UUID,
    paginated,
    read_dicts,
    read_rows,
)

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


# --- what a concept or edit board lists --------------------------------------------------------


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

    def assigned_person(self, person):
        """Whose tasks the board keeps: the person's when it lists only theirs, else everyone's."""
        return person if self.assigned else None
