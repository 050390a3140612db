"""Writes of the `tasks` area: task creation in bulk, assignations, priorities, time spents,
comment previews, main previews and deletions, each with the events the reference records.

Callers check permissions and open the transaction (the views wrap each call in
`transaction.atomic()`); the functions here write in few statements whatever the number of rows
(`bulk_create`, `update()`, set-based deletion) and record one event per row changed, as the
reference does.
"""

import uuid
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from assets.models import Entity
from files.models import PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import next_number
from kitsu_server.api.json import serialize_instance
from kitsu_server.core import deletion
from kitsu_server.core.events import record_event, record_events
from people.models import DesktopLoginLog
from productions.models import ProjectPersonLink
from tasks import services
from tasks.crud import check_assignable
from tasks.models import News, Notification, Task, TaskPersonLink, TimeSpent
from tasks.task_queries import render_entity, render_task, render_tasks, shape_of

# Entity kinds whose events are named after themselves ("shot:update"); the others are assets.
TEMPORAL_KINDS = ("Shot", "Sequence", "Scene", "Edit", "Concept", "ConceptFolder", "Episode")


# --- task creation ------------------------------------------------------------------------------


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
    status = services.default_task_status(for_concept=entities[0].entity_type.name == "Concept")
    new_tasks = []
    for entity in entities:
        if entity.pk in existing:
            continue
        existing.add(entity.pk)  # an id listed twice gets one task
        new_tasks.append(services.new_task(entity, task_type, status, assigner=user))
    stored = services.insert_tasks(new_tasks)
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


def assign_tasks(tasks, person, author):
    """Add `person` to the assignees of `tasks` (their assigner becomes `author`), notify them,
    and make them a member of the project of the first task. Records `task:assign` and
    `task:update` per task. Returns the tasks with their assignees, in the given order."""
    if not tasks:
        return []
    check_assignable([person.pk])
    task_ids = [task.pk for task in tasks]
    # Concurrent assignations of these tasks wait for this one (rows locked in one order: no
    # deadlock), so each reads the assignees the other left and none inserts a link twice.
    list(Task.objects.select_for_update(no_key=True).filter(pk__in=task_ids).order_by("pk").values_list("pk"))
    already = set(
        TaskPersonLink.objects.filter(task_id__in=task_ids, person=person).values_list("task_id", flat=True)
    )
    TaskPersonLink.objects.bulk_create(
        [TaskPersonLink(task_id=task_id, person=person) for task_id in task_ids if task_id not in already]
    )
    Task.objects.filter(pk__in=task_ids).update(assigner=author, updated_at=timezone.now())
    record_task_events("task:assign", tasks, author, person_id=str(person.pk))
    record_task_events("task:update", tasks, author)
    if author.pk != person.pk:
        Notification.objects.bulk_create(
            [
                Notification(person=person, author=author, task_id=task_id, type="assignation")
                for task_id in task_ids
            ]
        )
    add_team_member(tasks[0].project, person, author)
    rows = {row["id"]: row for row in render_tasks(Task.objects.filter(pk__in=task_ids), relations=True)}
    return [rows[str(task_id)] for task_id in task_ids]


def add_team_member(project, person, user):
    """`person` joins the team of `project` if not there yet (`project:update`); a preview account
    belongs to its own project only."""
    if person.preview_project_id is not None and person.preview_project_id != project.pk:
        raise WrongParameter("A preview account can only belong to its own project")
    # get_or_create inserts in a savepoint: a concurrent request may add them first.
    _, created = ProjectPersonLink.objects.get_or_create(project=project, person=person)
    if created:
        record_event("project:update", {}, project_id=project.pk, user=user)


def clear_assignations(tasks, person_id, user):
    """Remove `person_id` (everybody when None) from the assignees of `tasks`. Records
    `task:unassign` per person removed and `task:update` per task."""
    links = TaskPersonLink.objects.filter(task_id__in=[task.pk for task in tasks])
    if person_id is None:
        removed = defaultdict(list)
        for task_id, removed_id in links.values_list("task_id", "person_id"):
            removed[task_id].append(str(removed_id))
    else:
        links = links.filter(person_id=person_id)
        removed = {task.pk: [str(person_id)] for task in tasks}
    links.delete()
    by_project = defaultdict(list)
    for task in tasks:
        by_project[task.project_id] += [
            {"person_id": removed_id, "task_id": str(task.pk)} for removed_id in removed.get(task.pk, [])
        ]
    for project_id, datas in by_project.items():
        record_events("task:unassign", datas, project_id, user)
    record_task_events("task:update", tasks, user)


def set_tasks_priority(tasks, priority, user):
    """The same priority for every task of `tasks` (`task:update` each); the tasks as updated."""
    if not tasks:
        return []
    task_ids = [task.pk for task in tasks]
    Task.objects.filter(pk__in=task_ids).update(priority=priority, updated_at=timezone.now())
    record_task_events("task:update", tasks, user)
    rows = {row["id"]: row for row in render_tasks(Task.objects.filter(pk__in=task_ids))}
    return [rows[str(task_id)] for task_id in task_ids]


# --- time spents --------------------------------------------------------------------------------


def set_time_spent(task, person, day, duration, add, user):
    """The minutes `person` spent on `task` on `day`: set, or added to what was there (`add`).
    A new entry moves the person's last presence. The task's duration is summed again.
    Records `time-spent:new` or `time-spent:update`, then `task:update`."""
    time_spent, created = locked_time_spent(task, person, day), False
    if time_spent is None:
        time_spent, created = create_time_spent(task, person, day, duration)
    if created:
        refresh_last_presence(person, user)
        event = "time-spent:new"
    else:
        time_spent.duration = time_spent.duration + duration if add else duration
        time_spent.save(update_fields=["duration"])
        event = "time-spent:update"
    record_event(event, {"time_spent_id": str(time_spent.pk)}, project_id=task.project_id, user=user)
    services.refresh_task_duration(task.pk, user=user)
    return serialize_instance(time_spent, shape=shape_of("time-spents"))


def locked_time_spent(task, person, day):
    return TimeSpent.objects.select_for_update().filter(task=task, person=person, date=day).first()


def create_time_spent(task, person, day, duration):
    """(the new entry, True); (the entry a concurrent request just made, False) when it won the
    unique key of the day."""
    try:
        with transaction.atomic():
            return TimeSpent.objects.create(task=task, person=person, date=day, duration=duration), True
    except IntegrityError:
        time_spent = locked_time_spent(task, person, day)
        if time_spent is None:
            raise
        return time_spent, False


def delete_time_spent(time_spent, user):
    """Remove an entry; the task's duration is summed again. Returns the entry with no duration
    left, as the reference does. Records `time-spent:delete` and `task:update`."""
    data = serialize_instance(time_spent, shape=shape_of("time-spents"))
    data["duration"] = 0
    task = time_spent.task
    time_spent.delete()
    record_event("time-spent:delete", {"time_spent_id": data["id"]}, project_id=task.project_id, user=user)
    services.refresh_task_duration(task.pk, user=user)
    return data


def refresh_last_presence(person, user):
    """A person's last presence: their latest desktop login or logged day (`person:update`)."""
    last_login = DesktopLoginLog.objects.filter(person=person).aggregate(last=Max("date"))["last"]
    last_day = TimeSpent.objects.filter(person=person).aggregate(last=Max("date"))["last"]
    days = [day for day in (last_login.date() if last_login else None, last_day) if day is not None]
    person.last_presence = max(days, default=None)
    person.save(update_fields=["last_presence"])
    record_event("person:update", {"person_id": str(person.pk)}, user=user)


# --- previews -----------------------------------------------------------------------------------


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


def set_main_preview(task, user):
    """The entity of `task` shows the task's latest preview (highest revision, first uploaded).
    Records `preview-file:set-main` and `<kind>:update`; returns the entity."""
    preview_file = PreviewFile.objects.filter(task=task).order_by("-revision", "created_at", "pk").first()
    if preview_file is None:
        raise WrongParameter("This task has no preview file to set as the main preview.")
    entity = Entity.objects.select_related("entity_type").get(pk=task.entity_id)
    entity.preview_file = preview_file
    entity.save(update_fields=["preview_file"])
    data = {
        "entity_id": str(entity.pk),
        "preview_file_id": str(preview_file.pk),
        "preview_file_status": preview_file.status,
    }
    record_event("preview-file:set-main", data, project_id=entity.project_id, user=user)
    kind = entity.entity_type.name.lower() if entity.entity_type.name in TEMPORAL_KINDS else "asset"
    record_event(f"{kind}:update", {f"{kind}_id": str(entity.pk)}, project_id=entity.project_id, user=user)
    return {**render_entity(entity), "preview_file_status": preview_file.status}


# --- deletions ----------------------------------------------------------------------------------


def delete_tasks(tasks, user):
    """Remove `tasks` (a queryset) with everything hanging off them, as a forced task deletion
    does; entities showing one of their previews fall back on another. `task:delete` per task."""
    removed = list(tasks.values_list("pk", "entity_id", "task_type_id", "project_id"))
    if not removed:
        return
    deletion.remove_tasks(
        Task.objects.filter(pk__in=[row[0] for row in removed]), files_force=False, restore_main=True
    )
    by_project = defaultdict(list)
    for task_id, entity_id, task_type_id, project_id in removed:
        data = {"task_id": str(task_id), "entity_id": _text(entity_id), "task_type_id": _text(task_type_id)}
        by_project[project_id].append(data)
    for project_id, datas in by_project.items():
        record_events("task:delete", datas, project_id=project_id, user=user)


def remove_comment_preview(preview_file, force=False):
    """A preview of a comment goes (see kitsu_server.core.deletion.remove_preview_file)."""
    services.remove_preview_file(preview_file, force=force)


def delete_comment(comment, task, user):
    """Remove a comment with what hangs off it and recompute its task (see services.remove_comment).
    Records `comment:delete`."""
    comment_id = str(comment.pk)
    services.remove_comment(comment, task, user=user)
    record_event(
        "comment:delete",
        {"comment_id": comment_id, "task_id": str(task.pk)},
        project_id=task.project_id,
        user=user,
    )


def _text(value):
    return str(value) if value is not None else None
