"""What a guest writes through a share link: comments (posted, edited, deleted: their own only)
and annotations (their own strokes only), through the services the team's writes use."""

from django.db import transaction
from django.utils import timezone

from kitsu_server.core.events import record_event
from tasks.comments.services import delete_comment, post_comment, render_comment
from tasks.previews.review import objects_of, update_annotations


def post_guest_comment(guest, task, task_status, text="", checklist=None):
    return post_comment(task, task_status, guest, guest, text=text, checklist=checklist or [])


def edit_guest_comment(comment, task, guest, text=None, checklist=None, task_status=None):
    with transaction.atomic():
        if text is not None:
            comment.text = text
        if checklist is not None:
            comment.checklist = checklist
        if task_status is not None:
            comment.task_status = task_status
        comment.editor = guest
        comment.updated_at = timezone.now()
        comment.save()
        record_event(
            "comment:update",
            {"comment_id": str(comment.pk), "task_id": str(comment.object_id)},
            project_id=task.project_id,
            user=guest,
        )
    return render_comment(comment)


def delete_guest_comment(comment, task, guest):
    delete_comment(comment, task, guest)


def own_object_ids(annotations, guest):
    """{time: ids of the drawing objects the guest drew}."""
    owned = {}
    for annotation in annotations or []:
        if isinstance(annotation, dict) and "time" in annotation:
            owned[annotation["time"]] = {
                item.get("id")
                for item in objects_of(dict(annotation))
                if isinstance(item, dict) and item.get("created_by") == str(guest.pk)
            }
    return owned


def annotate_as_guest(preview, guest, additions, updates, deletions):
    """The guest's strokes added (stamped as theirs); updates and deletions only of strokes they
    drew, others' left as they are."""
    for addition in additions:
        for item in objects_of(addition):
            if isinstance(item, dict):
                item["created_by"] = str(guest.pk)
    owned = own_object_ids(preview.annotations, guest)
    kept_updates = []
    for update in updates:
        mine = owned.get(update["time"], set())
        objects = [item for item in objects_of(update) if isinstance(item, dict) and item.get("id") in mine]
        for item in objects:
            item["created_by"] = str(guest.pk)
        if objects:
            kept_updates.append({**update, "drawing": {**update.get("drawing", {}), "objects": objects}})
    kept_deletions = [
        {
            **deletion,
            "objects": [
                pk for pk in deletion.get("objects") or [] if pk in owned.get(deletion["time"], set())
            ],
        }
        for deletion in deletions
    ]
    return update_annotations(preview, guest, additions, kept_updates, kept_deletions)
