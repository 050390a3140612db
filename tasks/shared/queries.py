"""What a share link shows: its playlist (the positioned revision of each entry, names inlined),
the production's context, and the comments a guest reads."""

from assets.models import Entity, EntityType
from files.playlists.queries import playlist_with_previews
from people.models import Person
from productions.models import ProjectTaskStatusLink, ProjectTaskTypeLink
from tasks.comments.queries import task_comments
from tasks.models import Task


def shared_playlist(playlist):
    """The playlist with its previews (annotations inline: the guest player loads none on
    demand), each entry showing only the revision positioned, with its entity's names."""
    data = playlist_with_previews(playlist, with_annotations=True)
    data["project_fps"], data["project_name"] = playlist.project.fps, playlist.project.name
    shots = data["shots"]
    entity_ids = [shot["id"] for shot in shots if shot.get("id")]
    entities = {str(row["id"]): row for row in Entity.objects.filter(pk__in=entity_ids).values()}
    parent_ids = {row["parent_id"] for row in entities.values() if row["parent_id"]}
    parents = dict(Entity.objects.filter(pk__in=parent_ids).values_list("pk", "name"))
    type_ids = {row["entity_type_id"] for row in entities.values()}
    types = dict(EntityType.objects.filter(pk__in=type_ids).values_list("pk", "name"))
    for shot in shots:
        shot["preview_files"] = {}
        if "preview_file_previews" in shot:
            shot["preview_file_previews"] = [
                preview
                for preview in shot["preview_file_previews"]
                if preview.get("task_id") == shot.get("preview_file_task_id")
            ]
        entity = entities.get(str(shot.get("id")))
        if entity is not None:
            shot["name"] = entity["name"]
            shot["parent_name"] = parents.get(entity["parent_id"]) or types.get(entity["entity_type_id"], "")
    return data


def shown_task_ids(playlist_data):
    return {
        shot["preview_file_task_id"] for shot in playlist_data["shots"] if shot.get("preview_file_task_id")
    }


def guest_comments(task_ids):
    """The comments of the tasks a link shows that a guest reads: those meant for clients and
    those of guests."""
    guests = {str(pk) for pk in Person.objects.filter(is_guest=True).values_list("pk", flat=True)}
    comments = []
    for task in Task.objects.filter(pk__in=task_ids).select_related("project").order_by("pk"):
        for comment in task_comments(task, as_supervisor=True):
            by_guest = comment["person_id"] in guests
            if comment.get("for_client") or by_guest:
                comment["person"]["is_guest"] = by_guest
                comments.append(comment)
    return comments


def shared_context(project):
    """The production as the guest page needs it: its name and format, its task types and its
    task statuses (whether clients may set each)."""
    task_types = (
        ProjectTaskTypeLink.objects.filter(project=project)
        .order_by("priority", "task_type__name")
        .values("task_type_id", "task_type__name", "task_type__color", "task_type__for_entity")
    )
    statuses = (
        ProjectTaskStatusLink.objects.filter(project=project)
        .order_by("priority", "task_status__name")
        .values(
            "task_status_id",
            "is_client_allowed",
            "task_status__name",
            "task_status__short_name",
            "task_status__color",
            "task_status__is_client_allowed",
            "task_status__is_default",
            "task_status__for_concept",
        )
    )
    return {
        "project": {
            "id": str(project.pk),
            "name": project.name,
            "fps": project.fps,
            "ratio": project.ratio,
            "resolution": project.resolution,
            "team": [],
        },
        "task_types": [
            {
                "id": str(row["task_type_id"]),
                "name": row["task_type__name"],
                "color": row["task_type__color"],
                "for_entity": row["task_type__for_entity"],
            }
            for row in task_types
        ],
        "task_statuses": [
            {
                "id": str(row["task_status_id"]),
                "name": row["task_status__name"],
                "short_name": row["task_status__short_name"],
                "color": row["task_status__color"],
                "is_client_allowed": bool(
                    row["task_status__is_client_allowed"]
                    if row["is_client_allowed"] is None
                    else row["is_client_allowed"]
                ),
                "is_default": bool(row["task_status__is_default"]),
                "for_concept": bool(row["task_status__for_concept"]),
            }
            for row in statuses
        ],
    }


def client_allowed_status(project, task_status):
    """Whether a guest (a client) may set `task_status` on the production."""
    link = ProjectTaskStatusLink.objects.filter(project=project, task_status=task_status).first()
    if link is not None and link.is_client_allowed is not None:
        return bool(link.is_client_allowed)
    return bool(task_status.is_client_allowed)
