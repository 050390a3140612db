"""Heavy reads of the `breakdown` area: castings, entity links and asset instances.

Castings are read straight from the link table joined to the names they show, in one flat
query whatever the size of the production (5,000 shots casting 2,000 assets is one query and a
Python grouping). The task readers are in tasks.boards and tasks.queries.
"""

from collections import defaultdict

from assets.models import AssetInstance, AssetInstanceLink, EntityLink
from assets.queries import (
    CASTING_COLUMNS,
    instance_rows,
)
from kitsu_server.api.json import format_datetime, serialize_rows
from kitsu_server.core.data.policies import REGISTRY
from tasks.queries import JSON, UUID, paginated, read_dicts

# --- castings ------------------------------------------------------------------------------

# The columns of one cast asset in the project-wide castings.
_CAST_ASSET_COLUMNS = [
    ("entity_in_id", "entity_in_id", UUID),
    ("asset_id", "entity_out_id", UUID),
    ("name", "entity_out__name", None),
    ("asset_type_name", "entity_out__entity_type__name", None),
    ("preview_file_id", "entity_out__preview_file_id", UUID),
    ("nb_occurences", "nb_occurences", None),
    ("label", "label", None),
    ("is_shared", "entity_out__is_shared", None),
    ("project_id", "entity_out__project_id", UUID),
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
    for row in read_dicts(links, columns):
        entry = {
            "asset_id": row["asset_id"],
            "name": row["name"],
            "asset_name": row["name"],
            "asset_type_name": row["asset_type_name"],
            "preview_file_id": row["preview_file_id"],
            "nb_occurences": row["nb_occurences"],
            "label": row["label"],
        }
        if with_team_columns:
            entry["is_shared"], entry["project_id"] = row["is_shared"], row["project_id"]
        result.setdefault(row["entity_in_id"], []).append(entry)
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
    rows = read_dicts(links, [*_CAST_ASSET_COLUMNS, ("sequence_name", "entity_in__parent__name", None)])
    for row in rows:
        result.setdefault(row["entity_in_id"], []).append(
            {
                "asset_id": row["asset_id"],
                "name": row["name"],
                "asset_name": row["name"],
                "asset_type_name": row["asset_type_name"],
                "sequence_name": row["sequence_name"],
                "preview_file_id": row["preview_file_id"],
                "nb_occurences": row["nb_occurences"],
                "label": row["label"],
                "is_shared": row["is_shared"],
                "project_id": row["project_id"],
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
