"""Heavy reads of the episode statistics of a production: its shot tasks counted by the database
per episode, task type and status (and by take), one query each."""

import copy

from django.db.models import Count, Sum

from kitsu_server.core.access.scopes import assigned_task_ids
from tasks.models import Task


def episode_tasks(project_id, assigned_person=None):
    """The tasks of a production's entities that hang from an episode through their parent."""
    queryset = Task.objects.filter(project_id=project_id, entity__parent__parent__isnull=False)
    if assigned_person is not None:
        queryset = queryset.filter(pk__in=assigned_task_ids(assigned_person))
    return queryset


def status_entry(short_name, color):
    return {"name": short_name, "color": color, "count": 0, "frames": 0, "drawings": 0}


def add_to_bucket(bucket, count, frames, drawings):
    bucket["count"] += count or 0
    bucket["frames"] += frames or 0
    bucket["drawings"] += drawings or 0


def episode_stats(project_id, assigned_person=None):
    """{episode id | "all": {task type id | "all": {status id: {name, color, count, frames,
    drawings}}}}: the production's shot tasks counted by the database per episode, task type
    and status. One query."""
    groups = (
        episode_tasks(project_id, assigned_person)
        .values(
            "entity__parent__parent_id",
            "task_type_id",
            "task_status_id",
            "task_status__short_name",
            "task_status__color",
        )
        .annotate(count=Count("pk"), drawings=Sum("nb_drawings"), frames=Sum("entity__nb_frames"))
        .order_by()
    )
    results = {}
    for group in groups:
        episode_id = str(group["entity__parent__parent_id"])
        task_type_id = str(group["task_type_id"])
        status_id = str(group["task_status_id"])
        short_name, color = group["task_status__short_name"], group["task_status__color"]
        count, frames, drawings = group["count"], group["frames"], group["drawings"]
        episode = results.setdefault(episode_id, {})
        episode.setdefault(task_type_id, {})[status_id] = {
            "name": short_name,
            "color": color,
            "count": count,
            "frames": frames or 0,
            "drawings": drawings or 0,
        }
        entry = episode.setdefault("all", {}).setdefault(status_id, status_entry(short_name, color))
        add_to_bucket(entry, count, frames, drawings)
        totals = results.setdefault("all", {"all": {}})
        for key in (task_type_id, "all"):
            entry = totals.setdefault(key, {}).setdefault(status_id, status_entry(short_name, color))
            add_to_bucket(entry, count, frames, drawings)
    return results


EMPTY_BUCKETS = {
    "done": {"count": 0, "frames": 0, "drawings": 0},
    "retake": {"count": 0, "frames": 0, "drawings": 0},
    "other": {"count": 0, "frames": 0, "drawings": 0},
}
EMPTY_RETAKE_STATS = {"max_retake_count": 0, "evolution": {}, **EMPTY_BUCKETS}


def episode_retake_stats(project_id, assigned_person=None):
    """{episode id | "all": {task type id | "all": {max_retake_count, done, retake, other,
    evolution}}}: where the production's shot tasks stand (done first, then retake, else other)
    and, per episode, how each take went. The tasks are grouped by the database by episode,
    task type, retake count and status kind; one query."""
    groups = list(
        episode_tasks(project_id, assigned_person)
        .values(
            "entity__parent__parent_id",
            "task_type_id",
            "retake_count",
            "task_status__is_done",
            "task_status__is_retake",
        )
        .annotate(count=Count("pk"), drawings=Sum("nb_drawings"), frames=Sum("entity__nb_frames"))
        .order_by()
    )
    results = {"all": {"all": copy.deepcopy(EMPTY_RETAKE_STATS)}}
    for group in groups:
        episode_id, task_type_id = str(group["entity__parent__parent_id"]), str(group["task_type_id"])
        retake_count = group["retake_count"] or 0
        results.setdefault(episode_id, {"all": copy.deepcopy(EMPTY_RETAKE_STATS)})
        results["all"].setdefault(task_type_id, copy.deepcopy(EMPTY_RETAKE_STATS))
        results[episode_id].setdefault(task_type_id, copy.deepcopy(EMPTY_RETAKE_STATS))
        if group["task_status__is_done"]:
            key = "done"
        elif group["task_status__is_retake"]:
            key = "retake"
        else:
            key = "other"
        for first, second in (
            ("all", "all"),
            ("all", task_type_id),
            (episode_id, "all"),
            (episode_id, task_type_id),
        ):
            entry = results[first][second]
            entry["max_retake_count"] = max(entry["max_retake_count"], retake_count)
            add_to_bucket(entry[key], group["count"], group["frames"], group["drawings"])
    # The takes of each episode, once the highest retake count of each entry is known.
    for group in groups:
        episode_id, task_type_id = str(group["entity__parent__parent_id"]), str(group["task_type_id"])
        retake_count = group["retake_count"] or 0
        for second in ("all", task_type_id):
            entry = results[episode_id][second]
            for take in range(1, entry["max_retake_count"] + 1):
                buckets = entry["evolution"].setdefault(str(take), copy.deepcopy(EMPTY_BUCKETS))
                if retake_count > 0 and take <= retake_count:
                    key = "retake"
                elif group["task_status__is_done"]:
                    key = "done"
                else:
                    key = "other"
                add_to_bucket(buckets[key], group["count"], group["frames"], group["drawings"])
    return results
