"""ShotGrid removals (`/import/shotgun/remove/<kind>` with `{"id": <ShotGrid id>}`): the row of
that ShotGrid id goes, unless something still holds it (then `"success": false` and the row
stays, as on the reference). A ShotGrid id matching nothing is a success: it is gone already."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from rest_framework.exceptions import APIException

from assets.models import Entity
from exchange.shotgrid.importing import by_shotgun_id
from files.models import PreviewFile, WorkingFile
from kitsu_server.core.deletion import remove_entities, remove_person, remove_task
from kitsu_server.core.events import record_event
from people.models import Person
from productions.models import Project, ProjectPersonLink
from shots.models import Episode, Scene, Sequence, Shot
from tasks.models import ApiEvent, Comment, Task, TaskStatus, TaskType


def _delete(row, user):
    row.delete()


def _remove_project(project, user):
    ApiEvent.objects.filter(project=project).delete()  # the log of a production that goes with it
    project.delete()


def _remove_person(person, user):
    remove_person(person, force=False, user=user)


def _remove_task(task, user):
    remove_task(task, force=False, user=user)


def _remove_asset(asset, user):
    """An asset whose tasks have working files is canceled; otherwise its tasks (unless they hold
    comments or files) go and the asset with its casting."""
    tasks = Task.objects.filter(entity=asset)
    if WorkingFile.objects.filter(task__in=tasks).exists():
        Entity.objects.filter(pk=asset.pk).update(canceled=True)
        return
    for task in tasks:
        remove_task(task, force=False, user=user)
    remove_entities(Entity.objects.filter(pk=asset.pk))


def _leave_team(link, user):
    link.delete()
    record_event("project:update", {}, project_id=link.project_id, user=user)


# kind -> (the rows a ShotGrid id is looked up in, how one goes, its event or None)
REMOVALS = {
    "project": (Project.objects, _remove_project, "project"),
    "person": (Person.objects, _remove_person, "person"),
    "shot": (Shot.objects, _delete, "shot"),
    "scene": (Scene.objects, _delete, "scene"),
    "episode": (Episode.objects, _delete, "episode"),
    "sequence": (Sequence.objects, _delete, "sequence"),
    "asset": (Entity.objects, _remove_asset, "asset"),  # any entity, as the reference looks it up
    "project-connection": (ProjectPersonLink.objects, _leave_team, None),
    "step": (TaskType.objects, _delete, "task-type"),
    "status": (TaskStatus.objects, _delete, "task-status"),
    "task": (Task.objects, _remove_task, "task"),
    "note": (Comment.objects, _delete, "comment"),
    "version": (PreviewFile.objects, _delete, "preview-file"),
}
REFUSALS = (ProtectedError, RestrictedError, IntegrityError, APIException, DjangoPermissionDenied)


def remove_record(kind, shotgun_id, user):
    """{"removed_instance_id": ..., "success": ...} for the row of `shotgun_id`, or
    {"success": true} when there is none. A team membership answers no id (the reference's link
    table has none)."""
    rows, remove, event = REMOVALS[kind]
    row = by_shotgun_id(rows, shotgun_id)
    if row is None:
        return {"success": True}
    result = {} if event is None else {"removed_instance_id": str(row.pk)}
    project_id = getattr(row, "project_id", None) if kind != "project" else None
    try:
        with transaction.atomic():
            remove(row, user)
            if event is not None:
                name = event.replace("-", "_")
                record_event(
                    f"{event}:delete", {f"{name}_id": result["removed_instance_id"]}, project_id, user
                )
    except REFUSALS:
        return {**result, "success": False}
    return {**result, "success": True}
