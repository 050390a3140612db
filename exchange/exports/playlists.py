"""The rows of a playlist's CSV export: a title block, then one row per entry with its preview's
task, status and the last comment on it (clients' comments left out), as the reference writes it."""

import zoneinfo

from django.db.models import Q

from assets.models import Entity
from files.models import PreviewFile
from people.models import full_name
from productions.models import ProjectPersonLink
from tasks.models import Comment

CLIENT = "client"


def local_moment(moment, timezone_name):
    """A stored moment as the reference prints it to a person: their time zone, no offset."""
    try:
        zone = zoneinfo.ZoneInfo(timezone_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def full_entity_names(entity_ids):
    """{entity id: its full name}: "Episode / Sequence / Shot", "Sequence / Shot", "Episode /
    Sequence" or "Asset type / Asset", in one query."""
    names = {}
    rows = Entity.objects.filter(pk__in=entity_ids).values(
        "pk", "name", "entity_type__name", "parent__name", "parent__parent_id", "parent__parent__name"
    )
    for row in rows:
        kind = row["entity_type__name"]
        if kind == "Shot":
            parts = [row["parent__parent__name"], row["parent__name"], row["name"]]
        elif kind == "Episode":
            parts = [row["name"]]
        elif kind == "Sequence":
            parts = [row["parent__name"], row["name"]]
        else:
            parts = [kind, row["name"]]
        names[row["pk"]] = " / ".join(part for part in parts if part is not None)
    return names


def last_comments(task_ids, project_id):
    """{task id: its last comment by someone who is no client of the production}."""
    client_ids = set(
        ProjectPersonLink.objects.filter(project_id=project_id, role=CLIENT).values_list(
            "person_id", flat=True
        )
    )
    other_role_ids = set(
        ProjectPersonLink.objects.filter(project_id=project_id)
        .exclude(Q(role=CLIENT) | Q(role__isnull=True))
        .values_list("person_id", flat=True)
    )
    comments = (
        Comment.objects.filter(object_id__in=task_ids)
        .values(
            "object_id",
            "text",
            "created_at",
            "person_id",
            "person__role",
            "person__first_name",
            "person__last_name",
        )
        .order_by("object_id", "created_at")
    )
    last = {}
    for comment in comments:
        is_client = comment["person_id"] in client_ids or (
            comment["person__role"] == CLIENT and comment["person_id"] not in other_role_ids
        )
        if not is_client:
            last[comment["object_id"]] = comment
    return last


def playlist_rows(playlist, project, reader):
    """`reader` (the person exporting) sets the time zone of the dates."""
    entries = [
        entry for entry in playlist.shots or [] if isinstance(entry, dict) and entry.get("preview_file_id")
    ]
    previews = {
        str(row["pk"]): row
        for row in PreviewFile.objects.filter(pk__in=[entry["preview_file_id"] for entry in entries]).values(
            "pk",
            "revision",
            "task_id",
            "task__retake_count",
            "task__task_type__name",
            "task__task_status__name",
        )
    }
    entities = {
        str(row["pk"]): row
        for row in Entity.objects.filter(pk__in=[entry.get("entity_id") for entry in entries]).values(
            "pk", "nb_frames"
        )
    }
    names = full_entity_names(list(entities))
    comments = last_comments([preview["task_id"] for preview in previews.values()], project.pk)

    context = project.name
    if playlist.episode_id is not None:
        context += f" - {playlist.episode.name}"
    context += " | for shots" if playlist.for_entity == "shot" else " | for assets"
    yield ["Playlist", context, playlist.name, local_moment(playlist.created_at, reader.timezone), "", "", ""]
    yield ["", "", "", "", "", "", ""]
    yield [
        "Entity name",
        "Nb Frames",
        "Task Type",
        "Retake count",
        "Revision",
        "Task Status",
        "Last comment author",
        "Last comment date",
        "Last comment",
    ]
    for entry in entries:
        preview = previews.get(str(entry["preview_file_id"]))
        entity = entities.get(str(entry.get("entity_id")))
        if preview is None or entity is None:  # removed since it was added: nothing to say of it
            continue
        comment = comments.get(preview["task_id"])
        yield [
            names.get(entity["pk"], ""),
            entity["nb_frames"] if entity["nb_frames"] is not None else "",
            preview["task__task_type__name"],
            preview["task__retake_count"],
            preview["revision"],
            preview["task__task_status__name"],
            full_name(comment["person__first_name"], comment["person__last_name"]) if comment else "",
            local_moment(comment["created_at"], reader.timezone) if comment else "",
            (comment["text"] or "") if comment else "",
        ]
