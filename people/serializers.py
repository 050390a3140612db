"""Request and response bodies shared by the persons and the `user` areas (a person's time,
day offs and desktop logins, read by anyone allowed or by the person themselves)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from kitsu_server.api.schema import or_empty
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer


class DesktopLoginSerializer(serializers.Serializer):
    date = serializers.DateTimeField(required=False, allow_null=True)


TIME_SPENT = output_serializer(REGISTRY["time-spents"])
DAY_OFF = output_serializer(REGISTRY["day-offs"])
DAY_OFF_OR_NONE = or_empty(DAY_OFF)
DESKTOP_LOGIN_LOG_FIELDS = {
    "id": serializers.UUIDField(),
    "person_id": serializers.UUIDField(),
    "date": serializers.DateTimeField(),
    "created_at": serializers.DateTimeField(),
    "updated_at": serializers.DateTimeField(),
    "type": serializers.CharField(),
}
DESKTOP_LOGIN_LOG = inline_serializer("DesktopLoginLog", DESKTOP_LOGIN_LOG_FIELDS)
DESKTOP_LOGIN_LOGS = inline_serializer("DesktopLoginLogList", DESKTOP_LOGIN_LOG_FIELDS, many=True)
TIME_SPENTS_IN_RANGE = inline_serializer(
    "TimeSpentWithTask",
    {
        "id": serializers.UUIDField(),
        "person_id": serializers.UUIDField(),
        "task_id": serializers.UUIDField(),
        "date": serializers.DateField(),
        "duration": serializers.FloatField(),
        "project_id": serializers.UUIDField(),
        "task_type_id": serializers.UUIDField(),
        "type": serializers.CharField(),
    },
    many=True,
)
PROJECT_FILTER = OpenApiParameter("project_id", OpenApiTypes.UUID, description="Only this production")
