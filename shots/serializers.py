"""The response serializers and OpenAPI parameters the routes of shots, sequences, episodes and
scenes share."""

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from kitsu_server.api.schema import component, or_delta, rows
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer

SHOT_TAGS = ["shots"]

EntityRow = output_serializer(REGISTRY["entities"])
# A production's entity list: rows, or asked with `updated_since`, their delta.
ENTITY_ROWS = or_delta(rows(component(EntityRow)), component(EntityRow))
TaskRow = output_serializer(REGISTRY["tasks"])
TaskTypeRow = output_serializer(REGISTRY["task-types"])
OBJECT_LIST = build_array_type(build_basic_type(OpenApiTypes.OBJECT))

RELATIONS_PARAMETER = OpenApiParameter("relations", bool, description="Add the assignees of each task")
FORCE_PARAMETER = OpenApiParameter(
    "force", bool, description="Remove with everything hanging off instead of canceling or refusing"
)
PROJECT_PARAMETER = OpenApiParameter(
    "project_id", OpenApiTypes.UUID, description="The production (required for non-admins)"
)
EPISODE_PARAMETER = OpenApiParameter(
    "episode_id", str, description='An episode ("all" for every one, "main" for none)'
)
