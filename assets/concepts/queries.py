"""Heavy reads of the `concepts` area: the concept board, built like the asset board (one query
for the concepts, one for their tasks, one for the assignees, one for their concept links). The
typed entity lists concepts share with edits live in assets.typed_entities."""

from assets.typed_entities import concept_links, of_kind
from tasks.boards import board_tasks, subscribed_task_ids
from tasks.queries import DATETIME, JSON, UUID, read_dicts

CONCEPT_TASK_FIELDS = [
    "id",
    "duration",
    "due_date",
    "end_date",
    "entity_id",
    "estimation",
    "last_comment_date",
    "nb_assets_ready",
    "priority",
    "real_start_date",
    "retake_count",
    "start_date",
    "task_status_id",
    "task_type_id",
    "data",
]

CONCEPT_BOARD_COLUMNS = [
    ("id", "id", UUID),
    ("name", "name", None),
    ("description", "description", None),
    ("data", "data", JSON),
    ("canceled", "canceled", None),
    ("entity_type_id", "entity_type_id", UUID),
    ("parent_id", "parent_id", UUID),
    ("preview_file_id", "preview_file_id", UUID),
    ("preview_file_status", "preview_file__status", None),
    ("source_id", "source_id", UUID),
    ("nb_frames", "nb_frames", None),
    ("nb_entities_out", "nb_entities_out", None),
    ("is_casting_standby", "is_casting_standby", None),
    ("created_by", "created_by_id", UUID),
    ("created_at", "created_at", DATETIME),
    ("updated_at", "updated_at", DATETIME),
    ("project_id", "project_id", UUID),
    ("project_name", "project__name", None),
]


def concepts_with_tasks(board, person, client=False):
    """The concept board: each concept with its tasks and concept links. Five queries."""
    concepts = board.apply(of_kind("Concept"), person)
    rows = read_dicts(concepts.order_by("name", "pk"), CONCEPT_BOARD_COLUMNS)
    subscribed = subscribed_task_ids(person, board.project_id, "Concept")
    tasks = board_tasks(
        concepts,
        [*CONCEPT_TASK_FIELDS, "is_subscribed", "assignees"],
        subscribed,
        client,
        board.assigned_person(person),
    )
    links = concept_links(concepts) if rows else {}
    result = []
    for row in rows:
        data = row["data"] or {}
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
                "preview_file_status": row["preview_file_status"],
                "project_id": row["project_id"],
                "project_name": row["project_name"],
                "source_id": row["source_id"],
                "nb_entities_out": row["nb_entities_out"],
                "is_casting_standby": row["is_casting_standby"],
                "tasks": tasks.get(row["id"], []),
                "entity_concept_links": links.get(row["id"], []),
                "type": "Concept",
                "updated_at": row["updated_at"],
                "created_at": row["created_at"],
                "created_by": row["created_by"],
            }
        )
    return result
