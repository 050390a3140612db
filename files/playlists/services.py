"""Writes of the playlist routes: entries added to a playlist, clients told a playlist is ready.
Each owns its transaction and records the reference's events."""

from django.db import transaction
from django.db.models import Q

from files.models import BuildJob, Playlist, PreviewFile
from files.playlists.jobs import build_playlist_movie
from kitsu_server.core.events import publish_event, record_event
from people.models import DepartmentLink, Person
from productions.models import ProjectPersonLink
from tasks.models import Notification


def latest_preview_ids(entity_ids, task_type_id=None):
    """{entity id: id of its latest preview} (highest revision, then the newest), of the task
    type when given."""
    if not entity_ids:
        return {}
    rows = PreviewFile.objects.filter(task__entity_id__in=entity_ids)
    if task_type_id is not None:
        rows = rows.filter(task__task_type_id=task_type_id)
    latest = {}
    for preview_id, entity_id in rows.order_by("task__entity_id", "-revision", "-created_at").values_list(
        "pk", "task__entity_id"
    ):
        latest.setdefault(str(entity_id), str(preview_id))
    return latest


def add_entities(playlist_id, couples, user=None):
    """Append (entity id, preview id or None) couples to the playlist, each once (an entity may
    come back under another preview); a couple without preview takes the entity's latest (of the
    playlist's task type). The row is locked while its list is rewritten: concurrent additions
    all land."""
    with transaction.atomic():
        playlist = Playlist.objects.select_for_update().get(pk=playlist_id)
        task_type_id = playlist.task_type_id
        resolved = latest_preview_ids(
            [entity for entity, preview in couples if preview is None], task_type_id
        )
        shots = [shot for shot in (playlist.shots or []) if isinstance(shot, dict)]
        present = {(shot.get("entity_id"), shot.get("preview_file_id")) for shot in shots}
        added = []
        for entity_id, preview_id in couples:
            preview_id = preview_id or resolved.get(entity_id)
            if (entity_id, preview_id) in present:
                continue
            shot = {"entity_id": entity_id}
            if preview_id is not None:
                shot["preview_file_id"] = preview_id
            shots.append(shot)
            present.add((entity_id, preview_id))
            added.append(shot)
        if added:
            playlist.shots = shots
            playlist.save(update_fields=["shots", "updated_at"])
        for shot in added:
            record_event(
                "playlist:add_entity",
                {
                    "playlist_id": str(playlist.pk),
                    "entity_id": shot["entity_id"],
                    "preview_file_id": shot.get("preview_file_id"),
                },
                project_id=playlist.project_id,
                user=user,
            )
    return playlist


def notify_clients(playlist, author, studio_id=None, department_id=None):
    """A "playlist-ready" notification for each client of the playlist's production (of the
    studio, of the department when given), and its live signal (not stored)."""
    links = ProjectPersonLink.objects.filter(project_id=playlist.project_id)
    client_ids = links.filter(Q(role="client") | Q(role__isnull=True, person__role="client")).values(
        "person_id"
    )
    clients = Person.objects.filter(is_bot=False, preview_project__isnull=True, pk__in=client_ids)
    if studio_id:
        clients = clients.filter(studio_id=studio_id)
    if department_id:
        clients = clients.filter(
            pk__in=DepartmentLink.objects.filter(department_id=department_id).values("person_id")
        )
    with transaction.atomic():
        notifications = [
            Notification.objects.create(
                person=client, author=author, playlist=playlist, type="playlist-ready"
            )
            for client in clients.order_by("pk")
        ]
        for notification in notifications:
            publish_event(
                "notification:new",
                {"notification_id": str(notification.pk), "person_id": str(notification.person_id)},
                project_id=playlist.project_id,
                after_commit=True,
            )
    return notifications


class BuildInProgress(Exception):
    pass


def start_build(playlist, user, full=False):
    """A build of the playlist's movie: its row (running) and its job, sent on commit. One at a
    time per playlist (BuildInProgress), settled under the playlist's row lock."""
    with transaction.atomic():
        Playlist.objects.select_for_update().filter(pk=playlist.pk).first()
        if BuildJob.objects.filter(playlist=playlist, status="running").exists():
            raise BuildInProgress
        build_job = BuildJob.objects.create(playlist=playlist, status="running", job_type="movie")
        build_playlist_movie.enqueue(
            project=playlist.project, created_by=user, build_job_id=str(build_job.pk), full=bool(full)
        )
        record_event(
            "build-job:new",
            {"build_job_id": str(build_job.pk), "playlist_id": str(playlist.pk)},
            project_id=playlist.project_id,
            user=user,
        )
    return build_job
