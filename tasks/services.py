"""Writes of the `tasks` app that other areas and apps share, and those of the task routes:
new tasks (one or in bulk), derived task data (durations, last comment), task type order, status
changes and removals, priorities, each recording the events the reference emits.

Callers check permissions; the functions of the routes open their own transaction, the others run
inside the caller's (the generic /data views open one).
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from kitsu_server.api.json import text_or_none
from kitsu_server.core import deletion
from kitsu_server.core.events import publish_event, record_event, record_events
from kitsu_server.core.trash.units import record_change, trashing
from tasks.comments.attachments import remove_attachments
from tasks.models import (
    Comment,
    News,
    Notification,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)
from tasks.outbox.services import queue_notifications_out
from tasks.queries import render_task, render_tasks

logger = logging.getLogger(__name__)
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


TASK_DERIVED_COLUMNS = (
    "duration",
    "retake_count",
    "real_start_date",
    "last_comment_date",
    "end_date",
    "done_date",
    "task_status_id",
)


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
    notification = Notification.objects.create(
        person_id=person_id, author_id=author_id, task=task, type="assignation"
    )
    queue_notifications_out([notification], task.project_id, author)
    return notification


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
    comments = Comment.objects.filter(pk=comment.pk)
    deletion.purge(Notification.objects.filter(comment=comment))
    deletion.purge(News.objects.filter(comment=comment))
    remove_attachments(comment.attachment_files.all())
    previews = list(comment.previews.all())
    if comment.preview_file_id is not None:
        previews.append(comment.preview_file)
        deletion.detach(comments, preview_file=None)
    deletion.purge(comments)  # its preview links, mentions and acknowledgements go with it
    for preview in previews:
        remove_preview_file(preview)
    if task is None:
        return
    # What the task derives from its comments comes back with the comment from the trash.
    record_change(Task.objects.filter(pk=task.pk), TASK_DERIVED_COLUMNS)
    reset_task_data(task, user=user)
    if task.task_status_id != previous_status_id:
        record_status_change(task, previous_status_id, comment.person_id, user)


def record_status_change(task, previous_status_id, person_id, user=None):
    data = {
        "task_id": str(task.pk),
        "new_task_status_id": text_or_none(task.task_status_id),
        "previous_task_status_id": text_or_none(previous_status_id),
        "person_id": text_or_none(person_id),
    }
    record_event("task:status-changed", data, project_id=task.project_id, user=user)


def remove_preview_file(preview_file, force=False):
    """Delete a preview: the entity showing it and the news and comments quoting it let go of it
    first, the task falls back on its newest remaining main preview (see kitsu_server.core.deletion)."""
    deletion.remove_preview_file(preview_file, force=force)


# Entity kinds whose events are named after themselves ("shot:update"); the others are assets.
TEMPORAL_KINDS = ("Shot", "Sequence", "Scene", "Edit", "Concept", "ConceptFolder", "Episode")


# --- task creation ------------------------------------------------------------------------------


@transaction.atomic
def create_tasks(task_type, entities, user):
    """A "main" task of `task_type` for each entity that has none of that type yet, on the default
    status (the concept one for concepts), assigned by `user`. Records `task:new` per task."""
    if not entities:
        return []
    existing = set(
        Task.objects.filter(entity__in=[entity.pk for entity in entities], task_type=task_type).values_list(
            "entity_id", flat=True
        )
    )
    status = default_task_status(for_concept=entities[0].entity_type.name == "Concept")
    new_tasks = []
    for entity in entities:
        if entity.pk in existing:
            continue
        existing.add(entity.pk)  # an id listed twice gets one task
        new_tasks.append(new_task(entity, task_type, status, assigner=user))
    stored = insert_tasks(new_tasks)
    result = []
    for task, _ in stored:
        task_status = task.task_status  # ours or, lost to a concurrent request, that one's
        data = render_task(task)
        data.update(
            {
                "assignees": [],
                "task_status_id": str(task_status.pk),
                "task_status_name": task_status.name,
                "task_status_short_name": task_status.short_name,
                "task_status_color": task_status.color,
                "task_type_id": str(task_type.pk),
                "task_type_name": task_type.name or "",
                "task_type_color": task_type.color or "",
                "task_type_priority": task_type.priority,
            }
        )
        result.append(data)
    made = [data for data, (_, created) in zip(result, stored, strict=True) if created]
    if made:
        # One insert for the events of the batch (a type's tasks for a whole production).
        record_events("task:new", [{"task_id": data["id"]} for data in made], new_tasks[0].project_id, user)
    return result


# --- assignations -------------------------------------------------------------------------------


def record_task_events(name, tasks, user, **extra):
    """`name` with `{"task_id", **extra}` for each task: one insert per project, whatever the batch."""
    by_project = defaultdict(list)
    for task in tasks:
        by_project[task.project_id].append({"task_id": str(task.pk), **extra})
    for project_id, datas in by_project.items():
        record_events(name, datas, project_id, user)


@transaction.atomic
def set_tasks_priority(tasks, priority, user):
    """The same priority for every task of `tasks` (`task:update` each); the tasks as updated."""
    if not tasks:
        return []
    task_ids = [task.pk for task in tasks]
    Task.objects.filter(pk__in=task_ids).update(priority=priority, updated_at=timezone.now())
    record_task_events("task:update", tasks, user)
    rows = {row["id"]: row for row in render_tasks(Task.objects.filter(pk__in=task_ids))}
    return [rows[str(task_id)] for task_id in task_ids]


# --- deletions ----------------------------------------------------------------------------------


@transaction.atomic
def delete_tasks(tasks, user):
    """Remove `tasks` (a queryset) with everything hanging off them, as a forced task deletion
    does; entities showing one of their previews fall back on another. `task:delete` per task."""
    removed = list(tasks.values_list("pk", "entity_id", "task_type_id", "project_id"))
    if not removed:
        return
    first = Task.objects.get(pk=removed[0][0])
    name = first.name if len(removed) == 1 else f"{len(removed)} tasks"
    with trashing(first, user, name=name):
        deletion.remove_tasks(
            Task.objects.filter(pk__in=[task_id for task_id, *_ in removed]),
            files_force=False,
            restore_main=True,
        )
    by_project = defaultdict(list)
    for task_id, entity_id, task_type_id, project_id in removed:
        data = {
            "task_id": str(task_id),
            "entity_id": text_or_none(entity_id),
            "task_type_id": text_or_none(task_type_id),
        }
        by_project[project_id].append(data)
    for project_id, datas in by_project.items():
        record_events("task:delete", datas, project_id=project_id, user=user)


# --- live-only events ----------------------------------------------------------------------------


def announce(name, data, project_id=None, user=None):
    """Publish an event to the live stream after the commit without storing it, as the reference
    does for the signals whose rows are the record (notifications, acknowledgements)."""
    publish_event(name, data, project_id=project_id, user=user, after_commit=True)
