"""OpenAPI components shared by the routes of the `tasks` app: the rows they answer and the page
parameters they take."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer

TASK_SCHEMA = output_serializer(REGISTRY["tasks"])
PAGE_PARAMETERS = [
    OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
    OpenApiParameter("limit", PAGE_SIZE, description="Rows per page (default 100)"),
]
ATTACHMENT_SCHEMA = output_serializer(REGISTRY["attachment-files"])


class AttachmentShortSchema(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    extension = serializers.CharField()
    size = serializers.IntegerField()


ENTITY_SCHEMA = output_serializer(REGISTRY["entities"])
