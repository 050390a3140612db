"""Action routes of the `productions` app: thin views that validate, check and call one service."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_uuid
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.scoped import MANAGER, ProjectScopedView
from productions import services


def ordered_ids(body, key):
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise WrongParameter(f"Request body must be a JSON object with a '{key}' list.")
    return [parse_uuid(value, f"{key} holds a malformed id: {value!r}.") for value in body[key]]


class ReorderLinksView(ProjectScopedView):
    """`POST /actions/projects/{project_id}/<links>/reorder`: managers of the project set the links'
    priorities 1, 2, 3... in the given order; they get back the links they changed."""

    rules = {"POST": MANAGER}
    key = None
    policy_path = None
    reorder = None

    def post(self, request, project_id):
        ids = ordered_ids(request.data, self.key)
        links = type(self).reorder(self.project.pk, ids, user=request.user)
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
