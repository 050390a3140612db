"""Action routes of the `productions` app: thin views that validate, check and call one service."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.permissions import IsActivePerson
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from productions import services
from productions.models import Project


def ordered_ids(body, key):
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise WrongParameter(f"Request body must be a JSON object with a '{key}' list.")
    return [parse_uuid(value, f"{key} holds a malformed id: {value!r}.") for value in body[key]]


def managed_project_id(request, project_id):
    """The project of the URL, once checked to exist and to be managed by the caller."""
    project_id = parse_uuid(project_id, "Malformed ID.")
    if not Project.objects.filter(pk=project_id).exists():
        raise NotFound("Project not found.")
    access_for(request).check_manager(project_id)
    return project_id


class ReorderLinksView(APIView):
    """`POST /actions/projects/{project_id}/<links>/reorder`: managers of the project set the links'
    priorities 1, 2, 3... in the given order; they get back the links they changed."""

    permission_classes = [IsActivePerson]
    key = None
    policy_path = None
    reorder = None

    def post(self, request, project_id):
        project_id = managed_project_id(request, project_id)
        ids = ordered_ids(request.data, self.key)
        links = type(self).reorder(project_id, ids, user=request.user)
        policy = REGISTRY[self.policy_path]
        return Response([policy.render(link, relations=False) for link in links])


class TaskTypeLinksOrder(serializers.Serializer):
    task_type_ids = serializers.ListField(child=serializers.UUIDField())


class TaskStatusLinksOrder(serializers.Serializer):
    task_status_ids = serializers.ListField(child=serializers.UUIDField())


class ProjectTaskTypeLinksReorderView(ReorderLinksView):
    key = "task_type_ids"
    policy_path = "task-type-links"
    reorder = staticmethod(services.reorder_project_task_types)

    @extend_schema(
        request=TaskTypeLinksOrder,
        responses={200: output_serializer(REGISTRY["task-type-links"])(many=True)},
        tags=["actions/projects"],
    )
    def post(self, request, project_id):
        return super().post(request, project_id)


class ProjectTaskStatusLinksReorderView(ReorderLinksView):
    key = "task_status_ids"
    policy_path = "task-status-links"
    reorder = staticmethod(services.reorder_project_task_statuses)

    @extend_schema(
        request=TaskStatusLinksOrder,
        responses={200: output_serializer(REGISTRY["task-status-links"])(many=True)},
        tags=["actions/projects"],
    )
    def post(self, request, project_id):
        return super().post(request, project_id)
