"""Reads behind a production's schedule: milestones, schedule items, day offs, time spents and
the task links of a production schedule version.

Each list is one flat query (plus one per relation id list) rendered by the shared fast path;
what the reference groups (by person) is grouped here from that one result.
"""

from collections import defaultdict

from assets.models import Asset, EntityType
from kitsu_server.api.json import pick
from kitsu_server.core.rendering import render_rows
from people.models import DayOff
from productions.models import (
    Milestone,
    ProductionScheduleVersionTaskLink,
    ProjectPersonLink,
    ProjectTaskTypeLink,
    ScheduleItem,
)
from shots.models import Edit, Episode, Sequence
from tasks.models import TaskType, TimeSpent

# The reference's short forms (`present()`): no `type`, no audit dates.
MILESTONE_COLUMNS = ("id", "date", "name", "project_id", "task_type_id")
SCHEDULE_ITEM_COLUMNS = (
    "id",
    "start_date",
    "end_date",
    "man_days",
    "project_id",
    "task_type_id",
    "object_id",
)

# Task types the schedule has a line for (the reference's list, `None` included out).
SCHEDULED_ENTITY_KINDS = ("Asset", "Shot", "Sequence", "Episode", "Edit")


# --- milestones and schedule items -------------------------------------------------------


def project_milestones(project_id):
    queryset = Milestone.objects.filter(project_id=project_id).order_by("date", "name", "pk")
    return pick(render_rows(queryset), MILESTONE_COLUMNS)


def project_schedule_items(project_id):
    """Every schedule item of the project, in the full /data shape (the clients sync with it)."""
    return render_rows(ScheduleItem.objects.filter(project_id=project_id).order_by("created_at", "pk"))


def scheduled_task_type_ids(project_id):
    """The task types with a task in the project, of a kind the schedule shows; when the
    project's settings list task types, only those (the others keep their items, unshown)."""
    queryset = TaskType.objects.filter(
        tasks__project_id=project_id, for_entity__in=SCHEDULED_ENTITY_KINDS
    ).distinct()
    configured = ProjectTaskTypeLink.objects.filter(project_id=project_id)
    if configured.exists():
        queryset = queryset.filter(pk__in=configured.values("task_type_id"))
    return set(queryset.values_list("pk", flat=True))


# What an entity schedule lists one item for: a queryset of the objects (their `pk` and `name`).


def asset_type_targets(project_id, episode_id=None):
    """The asset types of the project's assets; with an episode, of the assets it holds natively
    (its own, not the ones cast in it)."""
    assets = Asset.objects.filter(project_id=project_id)
    if episode_id is not None:
        assets = assets.filter(source_id=episode_id)
    return EntityType.objects.filter(pk__in=assets.values("entity_type_id"))


def episode_targets(project_id, episode_id=None):
    episodes = Episode.objects.filter(project_id=project_id)
    if episode_id is not None:
        episodes = episodes.filter(pk=episode_id)
    return episodes


def sequence_targets(project_id, episode_id=None):
    sequences = Sequence.objects.filter(project_id=project_id)
    if episode_id is not None:
        sequences = sequences.filter(parent_id=episode_id)
    return sequences


def edit_targets(project_id, episode_id=None):
    """The project's edits but the canceled ones."""
    edits = Edit.objects.filter(project_id=project_id).exclude(canceled=True)
    if episode_id is not None:
        edits = edits.filter(parent_id=episode_id)
    return edits


# --- time spents and day offs ---------------------------------------------------------------


def project_time_spents(project_id, access):
    """The production's time spents that `access` reads (visible_time_spents)."""
    queryset = access.visible_time_spents(TimeSpent.objects.filter(task__project_id=project_id))
    queryset = queryset.order_by("date", "created_at", "pk")
    return render_rows(queryset)


def task_type_time_spents(project_id, task_type_id, start=None, end=None):
    """{person id: [time spents, newest day first]} for the project's tasks of a task type."""
    queryset = TimeSpent.objects.filter(task__project_id=project_id, task__task_type_id=task_type_id)
    if start is not None:
        queryset = queryset.filter(date__gte=start)
    if end is not None:
        queryset = queryset.filter(date__lte=end)
    by_person = defaultdict(list)
    for row in render_rows(queryset.order_by("-date", "created_at", "pk")):
        by_person[row["person_id"]].append(row)
    return dict(by_person)


def team_day_offs(project_id, start=None, end=None, full_for_all=False, reader_id=None):
    """{person id: [day offs by date]} of the project's team, the days overlapping [start, end].

    Their description is for whoever may read all of them (`full_for_all`) and for the person
    the day off belongs to (`reader_id`); the others read the dates only.
    """
    team = ProjectPersonLink.objects.filter(project_id=project_id).values("person_id")
    queryset = DayOff.objects.filter(person_id__in=team)
    if start is not None:
        queryset = queryset.filter(end_date__gte=start)
    if end is not None:
        queryset = queryset.filter(date__lte=end)
    reader = str(reader_id) if reader_id is not None else None
    by_person = defaultdict(list)
    for row in render_rows(queryset.order_by("date", "pk")):
        if not full_for_all and row["person_id"] != reader:
            row.pop("description", None)
        by_person[row["person_id"]].append(row)
    return dict(by_person)


# --- production schedule versions -------------------------------------------------------------


def version_task_links(version_id, task_type_id=None, relations=False):
    queryset = ProductionScheduleVersionTaskLink.objects.filter(production_schedule_version_id=version_id)
    if task_type_id is not None:
        queryset = queryset.filter(task__task_type_id=task_type_id)
    return render_rows(queryset.order_by("created_at", "pk"), relations=relations)
