"""A production's landing page in the back-office: its tasks counted by status for each task
type (a table and a stacked-bar chart drawn as SVG by the template: no script, no build step),
its late tasks and who has what, every number linking into the task list filtered to it.

A handful of grouped queries, whatever the size of the production.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from productions.models import Project, ProjectTaskTypeLink
from tasks.admin_filters import ENTITY_NAME_RELATED, entity_full_name, late_tasks
from tasks.models import Task, TaskPersonLink, TaskStatus, TaskType

LATE_SHOWN = 30
CHART_WIDTH = 600  # px of the longest bar
LABEL_WIDTH = 200  # px of the task type names, left of the bars
ROW_HEIGHT = 26


def open_productions(access):
    """The productions the index offers a landing page for: open ones the person may read (an
    admin all, anyone else those of their team), by name."""
    projects = Project.objects.exclude(project_status__name__iexact="closed").order_by("name")
    if not access.is_admin:
        projects = projects.filter(pk__in=access.member_project_ids())
    return [
        {"name": name, "url": reverse("admin:productions_project_dashboard", args=[pk])}
        for pk, name in projects.values_list("pk", "name")[:50]
    ]


def task_list_url(project, **filters):
    """The back-office's task list of `project` narrowed by `filters` (its query parameters)."""
    query = {"project__id__exact": str(project.pk), **{k: str(v) for k, v in filters.items()}}
    return f"{reverse('admin:tasks_task_changelist')}?{urlencode(query)}"


def production_summary(project, now=None):
    """What the landing page shows (see the module)."""
    now = now or timezone.now()
    tasks = Task.objects.filter(project=project)
    counts = {}
    for row in tasks.values("task_type_id", "task_status_id").annotate(count=Count("id")):
        counts[(row["task_type_id"], row["task_status_id"])] = row["count"]
    statuses = TaskStatus.objects.filter(pk__in={status for _, status in counts}).order_by("priority", "name")
    statuses = list(statuses)
    rows = type_rows(project, counts, statuses)
    return {
        "project": project,
        "total": sum(counts.values()),
        "statuses": statuses,
        "task_types": rows,
        "chart": {
            "width": LABEL_WIDTH + CHART_WIDTH,
            "height": len(rows) * ROW_HEIGHT + 4,
            "label_end": LABEL_WIDTH - 10,
        },
        "late": late_rows(project, tasks, now),
        "late_count": late_tasks(tasks, now).count(),
        "late_url": task_list_url(project, late="yes"),
        "people": people_rows(project, now),
    }


def type_rows(project, counts, statuses):
    """One row per task type of the production (its order), with a cell and a bar segment per
    status."""
    type_ids = {task_type for task_type, _ in counts}
    priorities = dict(
        ProjectTaskTypeLink.objects.filter(project=project).values_list("task_type_id", "priority")
    )
    task_types = sorted(
        TaskType.objects.filter(pk__in=type_ids),
        key=lambda t: (t.for_entity or "", priorities.get(t.pk) or t.priority or 0, t.name),
    )
    longest = max((sum(counts.get((t.pk, s.pk), 0) for s in statuses) for t in task_types), default=0)
    rows = []
    for index, task_type in enumerate(task_types):
        cells, offset = [], 0
        total = sum(counts.get((task_type.pk, status.pk), 0) for status in statuses)
        for status in statuses:
            count = counts.get((task_type.pk, status.pk), 0)
            width = round(CHART_WIDTH * count / longest, 1) if longest else 0
            cells.append(
                {
                    "status": status,
                    "count": count,
                    "url": task_list_url(project, task_type=task_type.pk, task_status__id__exact=status.pk),
                    "x": LABEL_WIDTH + offset,
                    "width": width,
                }
            )
            offset += width
        rows.append(
            {
                "task_type": task_type,
                "label": f"{task_type.name} ({task_type.for_entity})",
                "total": total,
                "url": task_list_url(project, task_type=task_type.pk),
                "cells": cells,
                "y": index * ROW_HEIGHT,
            }
        )
    return rows


def late_rows(project, tasks, now):
    late = (
        late_tasks(tasks, now)
        .select_related("task_type", "task_status", *ENTITY_NAME_RELATED)
        .prefetch_related("assignees")
        .order_by("due_date", "pk")[:LATE_SHOWN]
    )
    return [
        {
            "task": task,
            "entity": entity_full_name(task.entity),
            "assignees": ", ".join(person.full_name for person in task.assignees.all()),
            "url": reverse("admin:tasks_task_change", args=[task.pk]),
            "days_late": (now - task.due_date).days,
        }
        for task in late
    ]


def people_rows(project, now):
    """Who has what: each assignee's open, late and recently done tasks of the production."""
    links = TaskPersonLink.objects.filter(task__project=project)
    not_done = ~Q(task__task_status__is_done=True)
    rows = links.values("person_id", "person__first_name", "person__last_name").annotate(
        open=Count("id", filter=not_done),
        late=Count("id", filter=not_done & Q(task__due_date__lt=now)),
        done_week=Count("id", filter=Q(task__done_date__gte=now - timezone.timedelta(days=7))),
        total=Count("id"),
    )
    return [
        {
            "name": f"{row['person__first_name']} {row['person__last_name']}".strip(),
            "open": row["open"],
            "late": row["late"],
            "done_week": row["done_week"],
            "total": row["total"],
            "url": task_list_url(project, assignee=row["person_id"]),
            "late_url": task_list_url(project, assignee=row["person_id"], late="yes"),
            "done_url": task_list_url(project, assignee=row["person_id"], late="done-week"),
        }
        for row in rows.order_by("-late", "-open", "person__first_name")
    ]
