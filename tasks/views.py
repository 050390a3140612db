"""Action routes of the `tasks` app: thin views that validate, check and call one service."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.permissions import IsActivePerson
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from tasks import services


class TaskTypesOrderSerializer(serializers.Serializer):
    task_type_ids = serializers.ListField(child=serializers.UUIDField())


class TaskTypesReorderView(APIView):
    """`POST /actions/task-types/reorder`: admins set task type priorities 1, 2, 3... in the
    given order (unknown ids are skipped) and get back the task types they changed."""

    permission_classes = [IsActivePerson]

    @extend_schema(
        request=TaskTypesOrderSerializer,
        responses={200: output_serializer(REGISTRY["task-types"])(many=True)},
        tags=["actions/task-types"],
    )
    def post(self, request):
        access_for(request).check_admin()
        body = request.data
        if not isinstance(body, dict) or not isinstance(body.get("task_type_ids"), list):
            raise WrongParameter("Request body must be a JSON object with a 'task_type_ids' list.")
        serializer = TaskTypesOrderSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        task_types = services.reorder_task_types(serializer.validated_data["task_type_ids"])
        policy = REGISTRY["task-types"]
        return Response([policy.render(task_type, relations=False) for task_type in task_types])
