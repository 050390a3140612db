"""Writes of assignations: assigning tasks to a person (who joins the project's team), clearing
assignees, each with its events and notifications."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from kitsu_server.core.events import record_events
from kitsu_server.core.teams import join_team
from tasks.crud import check_assignable
from tasks.models import Notification, Task, TaskPersonLink
from tasks.outbox.services import queue_notifications_out
from tasks.queries import render_tasks
from tasks.services import record_task_events


@transaction.atomic
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
        notifications = Notification.objects.bulk_create(
            [
                Notification(person=person, author=author, task_id=task_id, type="assignation")
                for task_id in task_ids
            ]
        )
        queue_notifications_out(notifications, tasks[0].project_id, author)
    join_team(tasks[0].project, person, author)
    rows = {row["id"]: row for row in render_tasks(Task.objects.filter(pk__in=task_ids), relations=True)}
    return [rows[str(task_id)] for task_id in task_ids]


@transaction.atomic
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
    Task.objects.filter(pk__in=[task.pk for task in tasks]).touch()  # as the reference's task.save()
    by_project = defaultdict(list)
    for task in tasks:
        by_project[task.project_id] += [
            {"person_id": removed_id, "task_id": str(task.pk)} for removed_id in removed.get(task.pk, [])
        ]
    for project_id, datas in by_project.items():
        record_events("task:unassign", datas, project_id, user)
    record_task_events("task:update", tasks, user)
