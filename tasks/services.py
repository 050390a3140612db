"""Writes around tasks and their side effects: derived task data, assignations, comments,
previews, statuses and task type order. Each runs inside the caller's transaction (the
generic views open one) or its own, and records the events the reference emits."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from files.models import StoredFile
from kitsu_server.core import deletion
from kitsu_server.core.events import record_event
from tasks.models import (
    Comment,
    News,
    Notification,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)

logger = logging.getLogger(__name__)

ATTACHMENT_BUCKET, ATTACHMENT_PREFIX = "files", "attachments"
DEFAULT_STATUSES = {False: ("Todo", "todo", "#f5f5f5"), True: ("Neutral", "neutral", "#CCCCCC")}


def default_task_status(for_concept=False):
    """The status new tasks start on ("Todo", or "Neutral" for concepts), created when missing."""
    status = TaskStatus.objects.filter(is_default=True, for_concept=for_concept).first()
    if status is None:
        name, short_name, color = DEFAULT_STATUSES[for_concept]
        # get_or_create inserts in a savepoint: a concurrent request may make it first.
        status, created = TaskStatus.objects.get_or_create(
            short_name=short_name,
            for_concept=for_concept,
            defaults={"name": name, "color": color, "is_default": True},
        )
        if created:
            record_event("task-status:new", {"task_status_id": str(status.pk)})
    return status


def new_task(entity, task_type, status, assigner=None):
    """An unsaved "main" task of `entity` for `task_type`, starting on `status`, as the reference
    creates them (no estimation, no duration yet)."""
    return Task(
        name="main",
        duration=0.0,
        estimation=0.0,
        completion_rate=0,
        project_id=entity.project_id,
        task_type=task_type,
        task_status=status,
        entity=entity,
        assigner=assigner,
    )


def insert_tasks(tasks):
    """Insert unsaved tasks (see new_task) but those a concurrent request made meanwhile (the
    same entity, type and name: the unique key task_uc), which are not an error: that request's
    row stands for ours. Returns [(the stored task, whether this call inserted it)], in order;
    the stored tasks come with their status."""
    if not tasks:
        return []
    Task.objects.bulk_create(tasks, ignore_conflicts=True)
    inserted = set(Task.objects.filter(pk__in=[task.pk for task in tasks]).values_list("pk", flat=True))
    lost = [task for task in tasks if task.pk not in inserted]
    theirs = {}
    if lost:
        rows = Task.objects.select_related("task_status").filter(
            entity_id__in={task.entity_id for task in lost},
            task_type_id__in={task.task_type_id for task in lost},
            name__in={task.name for task in lost},
        )
        theirs = {task_key(row): row for row in rows}
    return [(task, True) if task.pk in inserted else (theirs[task_key(task)], False) for task in tasks]


def task_key(task):
    """What makes a task unique in its production (task_uc)."""
    return (task.entity_id, task.task_type_id, task.name)


def reset_task_data(task, user=None):
    """Recompute what a task derives from its comments and time spents: status, retakes,
    start, end, done and last comment dates, duration. Records `task:update`."""
    is_concept = task.entity_id is not None and task.entity.entity_type.name == "Concept"
    task_status_id = default_task_status(for_concept=is_concept).pk
    retake_count = 0
    real_start_date = end_date = done_date = last_comment_date = None
    previous_is_retake = False
    comments = (
        Comment.objects.filter(object_id=task.pk, task_status__isnull=False)
        .order_by("created_at")
        .values_list(
            "created_at",
            "task_status_id",
            "task_status__is_retake",
            "task_status__is_feedback_request",
            "task_status__is_done",
            "task_status__is_wip",
        )
    )
    for created_at, status_id, is_retake, is_feedback_request, is_done, is_wip in comments:
        if is_retake and not previous_is_retake:
            retake_count += 1
        previous_is_retake = is_retake
        if is_wip and real_start_date is None:
            real_start_date = created_at
        if is_feedback_request and end_date is None:
            end_date = created_at
        if is_done:
            done_date = created_at
        task_status_id = status_id
        last_comment_date = created_at
    task.duration = total_duration(task.pk)
    task.retake_count = retake_count
    task.real_start_date = real_start_date
    task.last_comment_date = last_comment_date
    task.end_date = end_date
    task.done_date = done_date
    task.task_status_id = task_status_id
    task.save()
    record_event("task:update", {"task_id": str(task.pk)}, project_id=task.project_id, user=user)
    return task


def total_duration(task_id):
    return TimeSpent.objects.filter(task_id=task_id).aggregate(total=Sum("duration"))["total"] or 0


def refresh_task_duration(task_id, user=None):
    """A task's duration is the sum of its time spents; records `task:update`."""
    task = Task.objects.filter(pk=task_id).first()
    if task is None:
        return None
    task.duration = total_duration(task_id)
    task.save(update_fields=["duration"])
    record_event("task:update", {"task_id": str(task.pk)}, project_id=task.project_id, user=user)
    return task


def record_assignation_changes(task, previous_ids, author):
    """Events and notifications for the assignees a task gained or lost in an update."""
    current_ids = set(task.assignees.values_list("pk", flat=True))
    for person_id in current_ids - previous_ids:
        data = {"task_id": str(task.pk), "person_id": str(person_id)}
        record_event("task:assign", data, project_id=task.project_id, user=author)
        notify_assignation(task, person_id, author)
    for person_id in previous_ids - current_ids:
        data = {"task_id": str(task.pk), "person_id": str(person_id)}
        record_event("task:unassign", data, project_id=task.project_id, user=author)


def notify_assignation(task, person_id, author):
    """The new assignee hears of it, unless they assigned themselves."""
    author_id = author.pk if author is not None else task.assigner_id
    if author_id is None or author_id == person_id:
        return None
    return Notification.objects.create(
        person_id=person_id, author_id=author_id, task=task, type="assignation"
    )


def make_only_default(task_status):
    """One default task status at a time: the others lose the flag."""
    TaskStatus.objects.filter(is_default=True).exclude(pk=task_status.pk).update(is_default=False)


@transaction.atomic
def reorder_task_types(task_type_ids):
    """Priorities 1, 2, 3... in the given order; unknown ids are skipped. Returns the updated types."""
    task_types = TaskType.objects.in_bulk(task_type_ids)
    updated = []
    for priority, task_type_id in enumerate(task_type_ids, start=1):
        task_type = task_types.get(task_type_id)
        if task_type is not None:
            task_type.priority = priority
            task_type.save(update_fields=["priority"])
            updated.append(task_type)
    return updated


def remove_comment(comment, task, user=None):
    """Delete a comment with what hangs off it (notifications, news, attachments, previews),
    then recompute its task. Records `task:status-changed` when the task's status moved."""
    previous_status_id = task.task_status_id if task is not None else None
    Notification.objects.filter(comment=comment).delete()
    News.objects.filter(comment=comment).delete()
    remove_attachments(comment.attachment_files.all())
    previews = list(comment.previews.all())
    if comment.preview_file_id is not None:
        previews.append(comment.preview_file)
        comment.preview_file = None
        comment.save(update_fields=["preview_file"])
    comment.previews.clear()
    comment.delete()
    for preview in previews:
        remove_preview_file(preview)
    if task is None:
        return
    reset_task_data(task, user=user)
    if task.task_status_id != previous_status_id:
        record_status_change(task, previous_status_id, comment.person_id, user)


def record_status_change(task, previous_status_id, person_id, user=None):
    data = {
        "task_id": str(task.pk),
        "new_task_status_id": _str(task.task_status_id),
        "previous_task_status_id": _str(previous_status_id),
        "person_id": _str(person_id),
    }
    record_event("task:status-changed", data, project_id=task.project_id, user=user)


def remove_preview_file(preview_file, force=False):
    """Delete a preview: the entity showing it and the news and comments quoting it let go of it
    first, the task falls back on its newest remaining main preview (see kitsu_server.core.deletion)."""
    deletion.remove_preview_file(preview_file, force=force)


def _str(value):
    return str(value) if value is not None else None


# --- attachment files ------------------------------------------------------------------------


def attachment_path(attachment_id):
    """Where an attachment lives in the storage: the reference's local layout
    (`files/attachments/abc/def/<id>`), so that a migrated file tree is served as is."""
    text = str(attachment_id)
    return f"{ATTACHMENT_BUCKET}/{ATTACHMENT_PREFIX}/{text[:3]}/{text[3:6]}/{text}"


def remove_attachments(attachments):
    """Delete attachment rows (a queryset); their files go once the transaction commits."""
    ids = [str(pk) for pk in attachments.values_list("pk", flat=True)]
    if not ids:
        return []
    attachments.delete()
    now = timezone.now()
    StoredFile.objects.filter(bucket=ATTACHMENT_BUCKET, prefix=ATTACHMENT_PREFIX, file_id__in=ids).update(
        deleted_at=now, purged_at=now, updated_at=now
    )
    paths = [attachment_path(pk) for pk in ids]
    transaction.on_commit(lambda: [delete_quietly(path) for path in paths])
    return ids


def delete_quietly(path):
    try:
        default_storage.delete(path)
    except OSError:
        logger.warning("could not remove stored file %s", path)
