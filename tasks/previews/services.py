"""Writes of previews: a new preview slot on a comment, the main preview of an entity, removing a
comment's preview."""

import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assets.models import Entity
from files.models import PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import next_number
from kitsu_server.api.json import serialize_instance
from kitsu_server.core.events import record_event
from tasks.models import News, Task
from tasks.queries import render_entity, shape_of
from tasks.services import TEMPORAL_KINDS, remove_preview_file

# --- previews -----------------------------------------------------------------------------------


@transaction.atomic
def add_preview_to_comment(task, comment, author, revision=None):
    """A new preview (still to upload: "processing") attached to `comment`: the next revision of the
    task for a comment without preview, else one more position in the comment's revision.
    Records `preview-file:new` and `comment:update`."""
    Task.objects.select_for_update().filter(pk=task.pk).first()  # one revision number per writer
    first_preview = comment.previews.order_by("created_at", "pk").first()
    position = 1
    if revision is None and first_preview is None:
        last = PreviewFile.objects.filter(task=task).aggregate(last=Max("revision"))["last"] or 0
        revision = next_number(last, "The task has reached the last revision number.")
    else:
        if revision is None:
            revision = first_preview.revision
        elif (
            first_preview is None
            and PreviewFile.objects.filter(task=task, revision=revision, position=1).exists()
        ):
            raise WrongParameter(
                f"Revision {revision} already exists for this task. Choose a different revision number, "
                "or omit it to let the revision auto-increment."
            )
        position = PreviewFile.objects.filter(task=task, revision=revision).count() + 1
    if position > 1 and task.project.is_single_preview_per_revision:
        raise WrongParameter("Only one preview file is allowed per revision for this project.")
    preview_file = PreviewFile.objects.create(
        name=str(uuid.uuid4())[:13],
        revision=revision,
        source="webgui",
        task=task,
        person=author,
        extension="mp4",
        position=position,
        status="processing",
        duration=0.0,
    )
    data = {"preview_file_id": str(preview_file.pk), "comment_id": str(comment.pk)}
    record_event("preview-file:new", data, project_id=task.project_id, user=author)
    comment.previews.add(preview_file)
    News.objects.filter(comment=comment).update(preview_file=preview_file, updated_at=timezone.now())
    comment_data = {
        "comment_id": str(comment.pk),
        "task_id": str(comment.object_id),
        "person_id": str(comment.person_id),
        "for_client": comment.for_client,
    }
    record_event("comment:update", comment_data, project_id=task.project_id, user=author)
    result = serialize_instance(preview_file, shape=shape_of("preview-files"))
    result["comments"] = [str(comment.pk)]
    return result


@transaction.atomic
def set_main_preview(task, user):
    """The entity of `task` shows the task's latest preview (highest revision, first uploaded).
    Records `preview-file:set-main` and `<kind>:update`; returns the entity."""
    preview_file = PreviewFile.objects.filter(task=task).order_by("-revision", "created_at", "pk").first()
    if preview_file is None:
        raise WrongParameter("This task has no preview file to set as the main preview.")
    return show_preview_on_entity(task.entity_id, preview_file, user)


@transaction.atomic
def show_preview_on_entity(entity_id, preview_file, user):
    """The entity shows `preview_file` as its main preview. Records `preview-file:set-main` and
    `<kind>:update`; returns the entity with the preview's status."""
    entity = Entity.objects.select_related("entity_type").get(pk=entity_id)
    entity.preview_file = preview_file
    entity.save(update_fields=["preview_file"])
    status = PreviewFile.objects.filter(pk=preview_file.pk).values_list("status", flat=True).first()
    data = {
        "entity_id": str(entity.pk),
        "preview_file_id": str(preview_file.pk),
        "preview_file_status": status,
    }
    record_event("preview-file:set-main", data, project_id=entity.project_id, user=user)
    kind = entity.entity_type.name.lower() if entity.entity_type.name in TEMPORAL_KINDS else "asset"
    record_event(f"{kind}:update", {f"{kind}_id": str(entity.pk)}, project_id=entity.project_id, user=user)
    return {**render_entity(entity), "preview_file_status": status}


def show_ready_preview(preview):
    """A main preview (position 1) that turned ready becomes its task's last preview and, in a
    production that sets previews automatically, its entity's main preview (with the events of
    `show_preview_on_entity`), as the reference does when a processing ends."""
    if preview.position != 1 or preview.task_id is None:
        return
    task = Task.objects.select_related("project").filter(pk=preview.task_id).first()
    if task is None:
        return
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=preview.pk, updated_at=timezone.now())
    if task.project.is_set_preview_automated:
        show_preview_on_entity(task.entity_id, preview, user=None)


@transaction.atomic
def set_main_previews(tasks, user):
    """`set_main_preview` for each task that has a preview (the others are skipped), in one
    transaction; the entities updated."""
    return [set_main_preview(task, user) for task in tasks if PreviewFile.objects.filter(task=task).exists()]


@transaction.atomic
def remove_comment_preview(preview_file, force=False):
    """A preview of a comment goes (see kitsu_server.core.deletion.remove_preview_file)."""
    remove_preview_file(preview_file, force=force)
