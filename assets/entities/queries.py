"""Heavy reads of the `entities` area (the pages of any entity: its time spents, previews, news
and the entities linked to it), each from a few flat queries, never one ORM object per row."""

import math
from collections import defaultdict

from assets.models import KIND_NAMES, Entity, EntityConceptLink
from files.models import PreviewFile
from kitsu_server.api.json import serialize_rows
from kitsu_server.core.data.policies import REGISTRY
from tasks.models import News, Task, TaskPersonLink, TimeSpent
from tasks.queries import DATETIME, JSON, UUID, full_entity_names, read_dicts, short_persons

NEWS_LIMIT = 2000


def entity_time_spents(entity_id, access):
    """The time spents of the entity's tasks that `access` reads (visible_time_spents)."""
    queryset = access.visible_time_spents(TimeSpent.objects.filter(task__entity_id=entity_id))
    queryset = queryset.order_by("-date", "pk")
    return serialize_rows(queryset, shape=REGISTRY["time-spents"].shape)


PREVIEW_FILE_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("original_name", "original_name", None),
    ("extension", "extension", None),
    ("revision", "revision", None),
    ("position", "position", None),
    ("file_size", "file_size", None),
    ("status", "status", None),
    ("validation_status", "validation_status", None),
    ("task_id", "task_id", UUID),
    ("person_id", "person_id", UUID),
    ("created_at", "created_at", DATETIME),
    ("token_in", "token_in", None),
    ("token_out", "token_out", None),
]


def entity_preview_files(entity_id):
    """The previews of an entity's tasks, by task type name, newest revision first."""
    queryset = PreviewFile.objects.filter(task__entity_id=entity_id).order_by(
        "task__task_type__name", "-revision", "position"
    )
    return read_dicts(queryset, PREVIEW_FILE_COLUMNS)


# --- news of an entity ---------------------------------------------------------------------

NEWS_COLUMNS = [
    ("id", "id", UUID),
    ("author_id", "author_id", UUID),
    ("comment_id", "comment_id", UUID),
    ("task_id", "task_id", UUID),
    ("task_type_id", "task__task_type_id", UUID),
    ("task_status_id", "comment__task_status_id", UUID),
    ("task_entity_id", "task__entity_id", UUID),
    ("preview_file_id", "preview_file_id", UUID),
    ("preview_file_extension", "preview_file__extension", None),
    ("preview_file_revision", "preview_file__revision", None),
    ("project_id", "task__project_id", UUID),
    ("project_name", "task__project__name", None),
    ("created_at", "created_at", DATETIME),
    ("change", "change", None),
    ("entity_preview_file_id", "task__entity__preview_file_id", UUID),
]


def entity_news(entity, access):
    """The news of an entity's tasks that `access` may read (visible_news), newest first, in the
    reference's envelope (one page of 2000). Four queries."""
    news = access.visible_news(News.objects.filter(task__entity_id=entity.pk))
    total = news.count()
    rows = read_dicts(news.order_by("-created_at", "-pk")[:NEWS_LIMIT], NEWS_COLUMNS)
    name, episode_id = full_entity_names({entity.pk}).get(entity.pk, ("", None)) if rows else ("", None)
    authors = short_persons({row["author_id"] for row in rows if row["author_id"]})
    data = []
    for row in rows:
        entry = {"id": row["id"], "type": "News"}
        entry.update(row)
        entry["full_entity_name"] = name
        entry["episode_id"] = str(episode_id) if episode_id is not None else None
        entry["person"] = authors.get(row["author_id"])
        data.append(entry)
    return {
        "data": data,
        "total": total,
        "nb_pages": math.ceil(total / NEWS_LIMIT),
        "limit": NEWS_LIMIT,
        "offset": 0,
        "page": 1,
    }


# --- entities linked to a concept ------------------------------------------------------------

LINKED_ENTITY_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("description", "description", None),
    ("canceled", "canceled", None),
    ("data", "data", JSON),
    ("entity_type_id", "entity_type_id", UUID),
    ("nb_frames", "nb_frames", None),
    ("parent_id", "parent_id", UUID),
    ("preview_file_id", "preview_file_id", UUID),
    ("project_id", "project_id", UUID),
    ("project_name", "project__name", None),
    ("source_id", "source_id", UUID),
    ("nb_entities_out", "nb_entities_out", None),
    ("is_casting_standby", "is_casting_standby", None),
    ("entity_type_name", "entity_type__name", None),
    ("updated_at", "updated_at", DATETIME),
    ("created_at", "created_at", DATETIME),
    ("created_by", "created_by_id", UUID),
]
LINKED_TASK_COLUMNS = [
    ("id", "id", UUID),
    ("duration", "duration", None),
    ("due_date", "due_date", DATETIME),
    ("end_date", "end_date", DATETIME),
    ("entity_id", "entity_id", UUID),
    ("estimation", "estimation", None),
    ("last_comment_date", "last_comment_date", DATETIME),
    ("nb_assets_ready", "nb_assets_ready", None),
    ("priority", "priority", None),
    ("real_start_date", "real_start_date", DATETIME),
    ("retake_count", "retake_count", None),
    ("start_date", "start_date", DATETIME),
    ("task_status_id", "task_status_id", UUID),
    ("task_type_id", "task_type_id", UUID),
    ("assigner_id", "assigner_id", UUID),
]


def linked_entities_with_tasks(entity_id):
    """The entities linked to an entity through concept links (the concept's side of the link
    points at it), each with its tasks and their assignees. Four queries."""
    linking = EntityConceptLink.objects.filter(entity_out_id=entity_id).values("entity_in_id")
    entities = Entity.objects.filter(pk__in=linking)
    rows = read_dicts(entities.order_by("name"), LINKED_ENTITY_COLUMNS)
    if not rows:
        return []
    concept_links = defaultdict(list)
    pairs = EntityConceptLink.objects.filter(entity_in_id__in=linking).values_list(
        "entity_in_id", "entity_out_id"
    )
    for entity_in_id, entity_out_id in pairs:
        concept_links[str(entity_in_id)].append(str(entity_out_id))
    assignees = defaultdict(list)
    links = TaskPersonLink.objects.filter(task__entity_id__in=linking).values_list("task_id", "person_id")
    for task_id, person_id in links:
        assignees[str(task_id)].append(str(person_id))
    tasks_by_entity = defaultdict(list)
    for task in read_dicts(Task.objects.filter(entity_id__in=linking), LINKED_TASK_COLUMNS):
        task["priority"] = task["priority"] or 0
        task["assignees"] = assignees.get(task["id"], [])
        tasks_by_entity[task["entity_id"]].append(task)
    result = []
    for row in rows:
        data = row["data"] or {}
        type_name = row.pop("entity_type_name")
        result.append(
            {
                "canceled": row["canceled"],
                "data": data,
                "description": row["description"],
                "entity_type_id": row["entity_type_id"],
                "fps": data.get("fps"),
                "frame_in": data.get("frame_in"),
                "frame_out": data.get("frame_out"),
                "id": row["id"],
                "name": row["name"],
                "nb_frames": row["nb_frames"],
                "parent_id": row["parent_id"],
                "preview_file_id": row["preview_file_id"],
                "project_id": row["project_id"],
                "project_name": row["project_name"],
                "source_id": row["source_id"],
                "nb_entities_out": row["nb_entities_out"],
                "is_casting_standby": row["is_casting_standby"],
                "tasks": tasks_by_entity.get(row["id"], []),
                "entity_concept_links": concept_links.get(row["id"], []),
                "type": type_name if type_name in KIND_NAMES else "Asset",
                "updated_at": row["updated_at"],
                "created_at": row["created_at"],
                "created_by": row["created_by"],
            }
        )
    return result
