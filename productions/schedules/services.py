"""Writes behind a production's schedule: the schedule items a schedule read completes, and the
production schedule version copies (from the production, from another version, back onto the
production).

Every write is set-based (bulk inserts, UPDATE ... FROM a correlated subquery) inside one
transaction, and records the events the reference emits.
"""

import datetime
import uuid

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from kitsu_server.core.events import record_event, record_events
from kitsu_server.core.rendering import render_rows
from productions.models import (
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    ProductionScheduleVersionTaskLinkPersonLink,
    Project,
    ScheduleItem,
)
from productions.schedules.queries import SCHEDULE_ITEM_COLUMNS, pick, scheduled_task_type_ids
from tasks.models import Task, TaskPersonLink

BATCH_SIZE = 1000
PLANNING_COLUMNS = ("start_date", "due_date", "estimation")


# --- schedule items ----------------------------------------------------------------------------


def _new_schedule_items(project_id, task_type_id_and_objects, user):
    """One item per (task type, object) pair, from today to tomorrow as on the reference, each
    announced by `schedule-item:new`. Items a concurrent read made first are left as they are."""
    today = timezone.localdate()
    items = [
        ScheduleItem(
            id=uuid.uuid4(),
            project_id=project_id,
            task_type_id=task_type_id,
            object_id=object_id,
            start_date=today,
            end_date=today + datetime.timedelta(days=1),
        )
        for task_type_id, object_id in task_type_id_and_objects
    ]
    if not items:
        return
    ScheduleItem.objects.bulk_create(items, batch_size=BATCH_SIZE, ignore_conflicts=True)
    created = set(
        ScheduleItem.objects.filter(pk__in=[item.pk for item in items]).values_list("pk", flat=True)
    )
    record_events(
        "schedule-item:new",
        [{"schedule_item_id": str(item.pk)} for item in items if item.pk in created],
        project_id,
        user,
    )


@transaction.atomic
def task_type_schedule_items(project_id, user=None):
    """The project-wide items (no object) of the task types the project schedules, made when
    missing, by start date. Items of task types left out of the project stay, unlisted."""
    task_type_ids = scheduled_task_type_ids(project_id)
    project_items = ScheduleItem.objects.filter(project_id=project_id, object_id__isnull=True)
    present = set(project_items.values_list("task_type_id", flat=True))
    _new_schedule_items(project_id, [(pk, None) for pk in task_type_ids if pk not in present], user)
    listed = project_items.filter(Q(task_type_id__isnull=True) | Q(task_type_id__in=task_type_ids))
    rows = pick(render_rows(listed.order_by("created_at", "pk")), SCHEDULE_ITEM_COLUMNS)
    return sorted(rows, key=lambda row: row["start_date"] or "")


@transaction.atomic
def entity_schedule_items(project_id, task_type_id, targets, user=None):
    """One item per object of `targets` (a queryset of asset types or entities) for a task type,
    made when missing; each row carries its object's `name`, and rows come by name."""
    names = {str(pk): name for pk, name in targets.values_list("pk", "name")}
    items = ScheduleItem.objects.filter(
        project_id=project_id, task_type_id=task_type_id, object_id__in=targets.values("pk")
    )
    present = {str(object_id) for object_id in items.values_list("object_id", flat=True)}
    missing = [uuid.UUID(object_id) for object_id in names if object_id not in present]
    _new_schedule_items(project_id, [(task_type_id, object_id) for object_id in missing], user)
    rows = pick(render_rows(items.order_by("created_at", "pk")), SCHEDULE_ITEM_COLUMNS)
    for row in rows:
        row["name"] = names[row["object_id"]]
    return sorted(rows, key=lambda row: row["name"])


# --- production schedule versions ------------------------------------------------------------


def _copy_planning(target_links, source):
    """Set the planning columns of `target_links` from `source` (a queryset matched on the
    link's task through OuterRef), in one UPDATE."""
    values = {column: Subquery(source.values(column)[:1]) for column in PLANNING_COLUMNS}
    return target_links.update(**values, updated_at=timezone.now())


def _add_links(version, rows):
    """New task links of `version` from {task_id, start_date, due_date, estimation} rows."""
    links = [ProductionScheduleVersionTaskLink(production_schedule_version=version, **row) for row in rows]
    ProductionScheduleVersionTaskLink.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return len(links)


def _replace_assignees(version, task_ids, task_and_person_ids):
    """The assignees of the version's links on `task_ids` (a queryset of task ids) become the
    (task id, person id) pairs given; the other links keep theirs."""
    PersonLink = ProductionScheduleVersionTaskLinkPersonLink
    refreshed = ProductionScheduleVersionTaskLink.objects.filter(
        production_schedule_version=version, task_id__in=task_ids
    )
    PersonLink.objects.filter(production_schedule_version_task_link__in=refreshed.values("pk")).delete()
    link_of_task = dict(refreshed.values_list("task_id", "pk"))
    PersonLink.objects.bulk_create(
        [
            PersonLink(production_schedule_version_task_link_id=link_of_task[task_id], person_id=person_id)
            for task_id, person_id in task_and_person_ids
            if task_id in link_of_task
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )


@transaction.atomic
def set_task_links_from_production(version, user=None):
    """The version gets one task link per task of its project, with the task's dates, estimation
    and assignees (links already there are refreshed). The reference emits no event here."""
    tasks = Task.objects.filter(project_id=version.project_id)
    links = ProductionScheduleVersionTaskLink.objects.filter(production_schedule_version=version)
    refreshed = _copy_planning(
        links.filter(task__project_id=version.project_id), Task.objects.filter(pk=OuterRef("task_id"))
    )
    new_rows = tasks.exclude(pk__in=links.values("task_id")).values(*PLANNING_COLUMNS, task_id=F("pk"))
    created = _add_links(version, new_rows)
    task_ids = tasks.values("pk")
    _replace_assignees(
        version,
        task_ids,
        TaskPersonLink.objects.filter(task_id__in=task_ids).values_list("task_id", "person_id"),
    )
    return {"success": True, "task_link_count": refreshed + created}


@transaction.atomic
def set_task_links_from_version(version, source, user=None):
    """The version takes the task links of `source` (same project): dates, estimation and
    assignees of the tasks `source` holds; its other links stay as they are. The version then
    records that it comes from `source`."""
    source_links = ProductionScheduleVersionTaskLink.objects.filter(production_schedule_version=source)
    links = ProductionScheduleVersionTaskLink.objects.filter(production_schedule_version=version)
    source_task_ids = source_links.values("task_id")
    refreshed = _copy_planning(
        links.filter(task_id__in=source_task_ids), source_links.filter(task_id=OuterRef("task_id"))
    )
    new_rows = source_links.exclude(task_id__in=links.values("task_id")).values("task_id", *PLANNING_COLUMNS)
    created = _add_links(version, new_rows)
    source_assignees = ProductionScheduleVersionTaskLinkPersonLink.objects.filter(
        production_schedule_version_task_link__production_schedule_version=source
    ).values_list("production_schedule_version_task_link__task_id", "person_id")
    _replace_assignees(version, source_task_ids, source_assignees)
    version.production_schedule_from = source
    version.save(update_fields=["production_schedule_from"])
    _version_updated(version, user)
    return {"success": True, "task_link_count": refreshed + created}


@transaction.atomic
def apply_version_to_production(version, user=None):
    """The tasks of the version's links take their dates and estimation from it (one UPDATE);
    the version is locked and the project records it as its schedule's origin."""
    links = ProductionScheduleVersionTaskLink.objects.filter(production_schedule_version=version)
    tasks = Task.objects.filter(pk__in=links.values("task_id"))
    task_ids = list(tasks.values_list("pk", flat=True))
    values = {
        column: Subquery(links.filter(task_id=OuterRef("pk")).values(column)[:1])
        for column in PLANNING_COLUMNS
    }
    tasks.update(**values, updated_at=timezone.now())
    record_events("task:update", [{"task_id": str(pk)} for pk in task_ids], version.project_id, user)
    version.locked = True
    version.save(update_fields=["locked"])
    _version_updated(version, user)
    Project.objects.filter(pk=version.project_id).update(
        from_schedule_version=version, updated_at=timezone.now()
    )
    record_event("project:update", {}, project_id=version.project_id, user=user)
    return {"success": True, "task_count": len(task_ids)}


@transaction.atomic
def remove_schedule_version(version, user=None):
    """Delete a version, first detached from the versions copied from it and from the projects it
    was applied to (each of them a `project:update`)."""
    now = timezone.now()
    ProductionScheduleVersion.objects.filter(production_schedule_from=version).update(
        production_schedule_from=None, updated_at=now
    )
    for project_id in Project.objects.filter(from_schedule_version=version).values_list("pk", flat=True):
        Project.objects.filter(pk=project_id).update(from_schedule_version=None, updated_at=now)
        record_event("project:update", {}, project_id=project_id, user=user)
    version.delete()


def _version_updated(version, user):
    record_event(
        "production_schedule_version:update",
        {"production_schedule_version_id": str(version.pk)},
        project_id=version.project_id,
        user=user,
    )
