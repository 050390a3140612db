"""The response serializers and OpenAPI parameters the concept and edit routes share."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer

EntityRow = output_serializer(REGISTRY["entities"])
TaskRow = output_serializer(REGISTRY["tasks"])
TaskTypeRow = output_serializer(REGISTRY["task-types"])

RELATIONS_PARAMETER = OpenApiParameter("relations", bool, description="Add the assignees of each task")
FORCE_PARAMETER = OpenApiParameter(
    "force", bool, description="Delete for real (with its tasks) instead of canceling it when it has tasks"
)
BOARD_PARAMETERS = [
    OpenApiParameter("project_id", OpenApiTypes.UUID, description="Only the entities of this production"),
    OpenApiParameter("id", OpenApiTypes.UUID, description="Only this entity"),
    OpenApiParameter(
        "assigned_to", str, description="Only the entities holding a task assigned to the caller"
    ),
]
