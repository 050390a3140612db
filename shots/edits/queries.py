"""Heavy reads of the `edits` area: the edit board (one query for the edits, one for their tasks,
one for the assignees, never one per row), an episode's edit tasks and an edit's versions. The
typed entity lists edits share with concepts live in assets.typed_entities."""

from assets.queries import hidden_metadata_fields
from assets.typed_entities import of_kind
from kitsu_server.api.json import ModelShape, serialize_rows
from shots.models import EntityVersion
from tasks.boards import board_tasks, subscribed_task_ids, tasks_with_names
from tasks.models import Task
from tasks.queries import JSON, UUID, read_dicts

EDIT_TASK_FIELDS = [
    "id",
    "duration",
    "due_date",
    "entity_id",
    "end_date",
    "estimation",
    "last_comment_date",
    "last_preview_file_id",
    "nb_assets_ready",
    "priority",
    "real_start_date",
    "retake_count",
    "start_date",
    "task_status_id",
    "task_type_id",
    "data",
]

EDIT_BOARD_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("description", "description", None),
    ("data", "data", JSON),
    ("canceled", "canceled", None),
    ("entity_type_id", "entity_type_id", UUID),
    ("parent_id", "parent_id", UUID),
    ("preview_file_id", "preview_file_id", UUID),
    ("source_id", "source_id", UUID),
    ("nb_entities_out", "nb_entities_out", None),
    ("project_id", "project_id", UUID),
    ("episode_name", "parent__name", None),
    ("project_name", "project__name", None),
]


def edits_with_tasks(board, person, client=False, vendor_departments=None):
    """The edit board: each edit with its episode and its tasks; a vendor reads only the custom
    fields of their departments. Four queries (+1 for a vendor)."""
    edits = board.apply(of_kind("Edit"), person)
    rows = read_dicts(edits.order_by("name", "pk"), EDIT_BOARD_COLUMNS)
    subscribed = subscribed_task_ids(person, board.project_id, "Edit")
    tasks = board_tasks(
        edits,
        [*EDIT_TASK_FIELDS, "is_subscribed", "assignees"],
        subscribed,
        client,
        board.assigned_person(person),
    )
    hidden = {}
    if vendor_departments is not None and rows:
        hidden = hidden_metadata_fields("Edit", vendor_departments, {row["project_id"] for row in rows})
    result = []
    for row in rows:
        data = row["data"] or {}
        if vendor_departments is not None:
            masked = hidden.get(row["project_id"], ())
            data = {key: value for key, value in data.items() if key not in masked}
        result.append(
            {
                "canceled": row["canceled"],
                "data": data,
                "description": row["description"],
                "entity_type_id": row["entity_type_id"],
                "episode_id": row["parent_id"],
                "episode_name": row["episode_name"] or "",
                "id": row["id"],
                "name": row["name"],
                "parent_id": row["parent_id"],
                "preview_file_id": row["preview_file_id"],
                "project_id": row["project_id"],
                "project_name": row["project_name"],
                "source_id": row["source_id"],
                "nb_entities_out": row["nb_entities_out"],
                "tasks": tasks.get(row["id"], []),
                "type": "Edit",
            }
        )
    return result


def episode_edit_tasks(episode_id, relations=False, client=False):
    """The tasks of an episode's edits."""
    edits = of_kind("Edit").filter(parent_id=episode_id).values("pk")
    return tasks_with_names(Task.objects.filter(entity_id__in=edits), relations=relations, client=client)


VERSION_SHAPE = ModelShape(EntityVersion, type_name="EditVersion")


def edit_versions(edit_id):
    """The recorded versions of an edit's data, newest first."""
    versions = EntityVersion.objects.filter(entity_id=edit_id).order_by("-created_at", "pk")
    return serialize_rows(versions, shape=VERSION_SHAPE)
