"""Reads of the playlist routes: lists of playlists (their list fields and first preview), a
playlist with the previews of its entities, an entity's previews by task type, temp playlists.
Flat `values()` reads keyed by name, a bounded number of queries whatever the size."""

from django.db.models import F, Q

from assets.models import Entity, EntityType, entity_kind
from files.models import BuildJob, Playlist, PreviewFile
from kitsu_server.api.json import serialize_rows, serialize_value
from kitsu_server.api.params import is_uuid
from tasks.models import Task

PAGE_SIZE = 20  # the reference's page of playlist lists
LIST_FIELDS = (
    "id",
    "name",
    "project_id",
    "episode_id",
    "task_type_id",
    "for_client",
    "for_entity",
    "is_for_all",
    "created_at",
    "updated_at",
    "created_by",
)
SORTABLE = {"name", "created_at", "updated_at", "for_client", "for_entity", "task_type_id"}


def _first_preview_id(shots):
    if isinstance(shots, list) and shots and isinstance(shots[0], dict):
        return shots[0].get("preview_file_id")
    return None


def playlist_list(queryset, page=1, sort_by="updated_at"):
    """One page of playlists in the reference's list shape (no shots, the first preview's id)."""
    field = sort_by if sort_by in SORTABLE else "updated_at"
    order = "name" if field == "name" else f"-{field}"
    page = max(page or 1, 1)
    rows = queryset.order_by(order, "id").values(
        *[name if name != "created_by" else "created_by_id" for name in LIST_FIELDS], "shots"
    )[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    result = []
    for row in rows:
        item = {"type": "Playlist"}
        for name in LIST_FIELDS:
            value = row["created_by_id"] if name == "created_by" else row[name]
            item[name] = serialize_value(value)
        if item["for_entity"] is None:
            item["for_entity"] = "shot"
        first = _first_preview_id(row["shots"])
        if first:
            item["first_preview_file_id"] = str(first)
        result.append(item)
    return result


def episode_playlists(queryset, project_id, episode_id):
    """The playlists of an episode, of "main" (no episode, not for all) or "all" (for all)."""
    queryset = queryset.filter(project_id=project_id)
    if episode_id == "main":
        return queryset.filter(episode_id=None).filter(Q(is_for_all=None) | Q(is_for_all=False))
    if episode_id == "all":
        return queryset.filter(episode_id=None, is_for_all=True)
    return queryset.filter(episode_id=episode_id)


def mix_revisions(previews):
    """Previews of one revision grouped under the first of them (`previews`)."""
    by_revision = {}
    result = []
    for preview in previews:
        parent = by_revision.get(preview["revision"])
        if parent is None:
            preview["previews"] = []
            by_revision[preview["revision"]] = preview
            result.append(preview)
        else:
            parent["previews"].append(preview)
    return result


PREVIEW_ORDER = ("-task__task_type__priority", "task__task_type__name", "-revision", "position", "created_at")


def _preview_rows(entity_ids, with_annotations, extra=()):
    fields = [
        "id",
        "revision",
        "extension",
        "width",
        "height",
        "duration",
        "status",
        "created_at",
        "task_id",
        *extra,
    ]
    if with_annotations:
        fields.append("annotations")
    return (
        PreviewFile.objects.filter(task__entity_id__in=entity_ids)
        .order_by(*PREVIEW_ORDER)
        .values(*fields, entity_id=F("task__entity_id"), task_type_id=F("task__task_type_id"))
    )


def _light_preview(row, with_annotations):
    preview = {
        "id": str(row["id"]),
        "revision": row["revision"],
        "extension": row["extension"],
        "width": row["width"],
        "height": row["height"],
        "duration": float(row["duration"] or 0),
        "status": row["status"],
        "created_at": serialize_value(row["created_at"]),
        "task_id": str(row["task_id"]),
    }
    if with_annotations:
        preview["annotations"] = row["annotations"]
    return preview


def entity_previews_by_task_type(entity_ids, with_annotations=True):
    """{entity id: {task type id: [previews, revisions mixed]}} and {preview id: preview}."""
    previews = {}
    by_id = {}
    for row in _preview_rows(entity_ids, with_annotations):
        preview = _light_preview(row, with_annotations)
        by_id[preview["id"]] = preview
        previews.setdefault(str(row["entity_id"]), {}).setdefault(str(row["task_type_id"]), []).append(
            preview
        )
    for per_type in previews.values():
        for task_type_id, items in per_type.items():
            per_type[task_type_id] = mix_revisions(items)
    return previews, by_id


def entity_preview_files(entity_id):
    """The previews of one entity by task type, as the task panel reads them."""
    result = {}
    rows = _preview_rows([entity_id], True, extra=("position", "original_name", "data"))
    for row in rows:
        preview = _light_preview(row, True)
        data = row["data"] if isinstance(row["data"], dict) else {}
        preview.update(
            original_name=row["original_name"],
            original_width=data.get("original_width"),
            original_height=data.get("original_height"),
            original_duration=data.get("original_duration"),
            original_file_size=data.get("original_file_size"),
        )
        result.setdefault(str(row["task_type_id"]), []).append(preview)
    return {task_type_id: mix_revisions(items) for task_type_id, items in result.items()}


def positioned_fields(preview):
    """The `preview_file_*` fields of an entry, from its positioned preview."""
    return {
        f"preview_file_{name}": preview[name]
        for name in ("extension", "revision", "width", "height", "duration", "status")
    } | {"preview_file_previews": preview.get("previews", [])}


def build_jobs_of(playlist_id):
    return serialize_rows(BuildJob.objects.filter(playlist_id=playlist_id).order_by("-created_at"))


def playlist_with_previews(playlist, with_annotations=False):
    """The playlist, its build jobs, and each entry with the previews of its entity."""
    data = serialize_rows(Playlist.objects.filter(pk=playlist.pk))[0]
    data["build_jobs"] = build_jobs_of(playlist.pk)
    shots = [dict(shot) for shot in (data.get("shots") or []) if isinstance(shot, dict)]
    entity_ids = []
    for shot in shots:
        entity_id = shot.get("id") or shot.get("shot_id") or shot.get("entity_id")
        if entity_id:
            shot.setdefault("id", entity_id)
            entity_ids.append(entity_id)
    previews, by_id = entity_previews_by_task_type(
        [pk for pk in entity_ids if is_uuid(str(pk))], with_annotations=with_annotations
    )
    for shot in shots:
        shot["preview_files"] = previews.get(str(shot.get("id")), [])
        preview = by_id.get(str(shot.get("preview_file_id")))
        if preview is None:
            shot.pop("preview_file_id", None)
            continue
        shot.update(positioned_fields(preview), preview_file_task_id=preview["task_id"])
        if with_annotations:
            shot["preview_file_annotations"] = preview.get("annotations")
    data["shots"] = shots
    return data


def playlist_task_for_entity(entity_id):
    """The task a temp playlist entry is built from: the last reviewed one holding a preview."""
    return (
        Task.objects.filter(entity_id=entity_id, last_preview_file_id__isnull=False)
        .order_by(F("last_comment_date").desc(nulls_last=True))
        .values_list("pk", flat=True)
        .first()
    )


def temp_playlist(tasks, task_type_order, sort=True):
    """Entries built from `tasks` (Task rows, entity and parents selected), not saved."""
    entity_ids = [task.entity_id for task in tasks]
    previews, _ = entity_previews_by_task_type(entity_ids, with_annotations=True)
    parent_ids = {task.entity.parent_id for task in tasks if task.entity.parent_id}
    type_ids = {task.entity.entity_type_id for task in tasks}
    parents = {row.pk: row for row in Entity.objects.filter(pk__in=parent_ids)}
    types = dict(EntityType.objects.filter(pk__in=type_ids).values_list("pk", "name"))
    entries = []
    for task in tasks:
        entity = task.entity
        kind = entity_kind(entity.entity_type_id)
        entry = {
            "id": str(entity.pk),
            "name": entity.name,
            "preview_file_task_id": str(task.pk),
            "parent_name": "",
            "episode_id": "",
            "episode_name": "",
            "sequence_id": "",
            "sequence_name": "",
            "asset_type_id": "",
            "asset_type_name": "",
        }
        parent = parents.get(entity.parent_id)
        if kind == "Shot" and parent is not None:
            entry.update(parent_name=parent.name, sequence_id=str(parent.pk), sequence_name=parent.name)
        elif kind in ("Sequence", "Edit") and parent is not None:
            entry.update(parent_name=parent.name, episode_id=str(parent.pk), episode_name=parent.name)
        elif kind == "Asset":
            name = types.get(entity.entity_type_id, "")
            entry.update(parent_name=name, asset_type_id=str(entity.entity_type_id), asset_type_name=name)
        entity_previews = previews.get(str(entity.pk), {})
        chosen = entity_previews.get(str(task.task_type_id)) or next(
            (entity_previews[t] for t in task_type_order if entity_previews.get(t)), None
        )
        if chosen:
            preview = chosen[0]
            entry.update(
                positioned_fields(preview),
                preview_file_id=preview["id"],
                preview_file_annotations=preview.get("annotations") or [],
            )
        entry["preview_files"] = entity_previews
        entries.append(entry)
    if sort:
        entries.sort(key=lambda e: (e["episode_name"], e["sequence_name"], e["asset_type_name"], e["name"]))
    return entries
