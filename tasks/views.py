"""Routes of tasks themselves: creating them in bulk for the entities of a kind, deleting them,
their priority, the order of task types, a project's tasks, an entity's tasks of a type, one task
in full.

Views parse the URL ids, the body and the query string, check who may do it, then call one query
(tasks.queries) or one service (tasks.services).
"""

import json

from django.db.models import Q
from django.db.models.functions import Lower
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from assets.models import NON_ASSET_TYPE_NAMES, Entity, EntityLink, EntityType
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.permissions import IsActivePerson
from kitsu_server.api.requests import query_id, query_int, query_text, validated
from kitsu_server.api.schema import PAGE_NUMBER, UPDATED_SINCE, component, or_delta, rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.access.tasks import (
    blank_task_for_client,
)
from kitsu_server.core.data.filters import to_python
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.delta import delta_window
from kitsu_server.core.lookups import found_or_404, object_or_404
from kitsu_server.core.scoped import (
    MANAGER,
    MEMBER,
    READER,
    EntityScopedView,
    ProjectScopedView,
    TaskScopedView,
)
from productions.models import Project
from tasks.inputs import ID_LIST, INT_MESSAGE, TaskIdsBody, id_list, known_ids
from tasks.models import Task, TaskType
from tasks.queries import (
    full_task,
    full_task_by_pk,
    project_tasks,
    tasks_for_entity_and_task_type,
    tasks_in_order,
)
from tasks.schemas import TASK_SCHEMA
from tasks.services import create_tasks, delete_tasks, reorder_task_types, set_tasks_priority


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
        task_types = reorder_task_types(serializer.validated_data["task_type_ids"])
        policy = REGISTRY["task-types"]
        return Response([policy.render(task_type, relations=False) for task_type in task_types])


class TaskPriorityBody(TaskIdsBody):
    priority = serializers.IntegerField(min_value=0)


ID_LIST_BODY = {"application/json": ID_LIST}


# --- creating tasks -----------------------------------------------------------------------------


def entity_criteria(queryset, params, fixed=()):
    """Entities narrowed by the query string's entity columns (the reference's criterions): other
    keys are ignored, `name` is case-insensitive, `[...]` is a list."""
    columns = {field.column: field for field in Entity._meta.concrete_fields}
    for key, raw in params.items():
        field = columns.get(key)
        if field is None or key in fixed or key == "page":
            continue
        if isinstance(raw, str) and raw.startswith("["):
            try:
                values = json.loads(raw)
            except ValueError:
                raise WrongParameter(f"Malformed list filter for field {key}.") from None
            if not isinstance(values, list):
                raise WrongParameter(f"Malformed list filter for field {key}.")
            queryset = queryset.filter(**{f"{field.attname}__in": [to_python(field, v, key) for v in values]})
        elif key == "name":
            queryset = queryset.filter(name__iexact=raw)
        else:
            value = to_python(field, raw, key)
            queryset = queryset.filter(
                **({f"{field.attname}__isnull": True} if value is None else {field.attname: value})
            )
    return queryset


class CreateTasksView(ProjectScopedView):
    """`POST /actions/projects/{project_id}/task-types/{task_type_id}/<kind>/create-tasks`: the
    project's managers give a task of the type to each listed entity of the kind (all of them
    when the body lists none, narrowed by the query string), skipping those that have one.
    201 and the new tasks, with their status and type names."""

    kind = None  # the entity kind the route serves: "Shot", "Asset", "Edit", "Concept"
    rules = {"POST": MANAGER}

    def check_kind(self):
        """Before the entities are read: a 404 when the route names no known kind."""

    def kind_filter(self, queryset):
        if self.kind == "Asset":
            return queryset.exclude(entity_type__name__in=NON_ASSET_TYPE_NAMES)
        return queryset.filter(entity_type__name=self.kind)

    def listed_entities(self, project, entity_ids):
        found = self.kind_filter(Entity.objects.select_related("entity_type")).in_bulk(entity_ids)
        entities = []
        for entity_id in entity_ids:
            entity = found.get(entity_id)
            if entity is None:
                raise NotFound(f"{self.kind} not found.")
            if entity.project_id == project.pk:  # other projects' entities are skipped
                entities.append(entity)
        return entities

    def selected_entities(self, request, project):
        queryset = self.kind_filter(Entity.objects.select_related("entity_type").filter(project=project))
        params = request.query_params
        fixed = ("project_id",) if self.kind == "Asset" else ("project_id", "entity_type_id")
        if self.kind == "Asset" and query_text(request, "episode_id") is not None:
            episode_id = query_id(request, "episode_id", "Invalid UUID format for episode_id.")
            cast_in = EntityLink.objects.filter(entity_in_id=episode_id).values("entity_out_id")
            queryset = queryset.filter(Q(source_id=episode_id) | Q(pk__in=cast_in))
        queryset = entity_criteria(queryset, params, fixed=(*fixed, "episode_id"))
        return list(queryset.order_by(Lower("name"), "pk"))

    def post(self, request, project_id, task_type_id):
        project = self.project
        task_type = object_or_404(TaskType, task_type_id)
        self.check_kind()
        entity_ids = id_list(request, required=False)
        if entity_ids:
            entities = self.listed_entities(project, entity_ids)
        else:
            entities = self.selected_entities(request, project)
        tasks = create_tasks(task_type, entities, request.user)
        return Response(tasks, status=201)


CREATE_TASKS_SCHEMA = extend_schema(
    request=ID_LIST_BODY, responses={201: TASK_SCHEMA(many=True)}, tags=["actions/projects"]
)


class ShotTasksCreateView(CreateTasksView):
    kind = "Shot"

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class AssetTasksCreateView(CreateTasksView):
    kind = "Asset"

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class EditTasksCreateView(CreateTasksView):
    kind = "Edit"

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class ConceptTasksCreateView(CreateTasksView):
    """Concepts: anyone of the project but its vendors and clients."""

    kind = "Concept"
    rules = {"POST": lambda access, project: access.check_studio_team(project.pk)}

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id):
        return super().post(request, project_id, task_type_id)


class EntityTypeTasksCreateView(CreateTasksView):
    """`.../create-tasks/{entity_type}`: any entity type by name ("sequence", "episode"...); the
    listed entities may be of any kind, the query string only narrows by `episode_id` (parent)."""

    def listed_entities(self, project, entity_ids):
        found = Entity.objects.select_related("entity_type").in_bulk(entity_ids)
        entities = []
        for entity_id in entity_ids:
            if entity_id not in found:
                raise NotFound("Entity not found.")
            if found[entity_id].project_id == project.pk:
                entities.append(found[entity_id])
        return entities

    def selected_entities(self, request, project):
        queryset = Entity.objects.select_related("entity_type").filter(
            project=project, entity_type=self.entity_type
        )
        episode_id = query_id(request, "episode_id", "Invalid UUID format for episode_id.")
        if episode_id is not None:
            queryset = queryset.filter(parent_id=episode_id)
        return list(queryset.order_by("name", "pk"))

    def check_kind(self):
        if self.entity_type is None:
            raise NotFound("Entity type not found.")

    @CREATE_TASKS_SCHEMA
    def post(self, request, project_id, task_type_id, entity_type):
        self.entity_type = EntityType.objects.filter(name=entity_type.capitalize()).first()
        return super().post(request, project_id, task_type_id)


# --- deleting tasks -----------------------------------------------------------------------------


class ProjectTasksDeleteView(ProjectScopedView):
    """`POST /actions/projects/{project_id}/delete-tasks`: the project's managers remove the listed
    tasks of the project with what hangs off them; 200 and the ids asked."""

    rules = {"POST": MANAGER}

    @extend_schema(request=ID_LIST_BODY, responses={200: ID_LIST}, tags=["actions/projects"])
    def post(self, request, project_id):
        task_ids = id_list(request)
        delete_tasks(Task.objects.filter(project=self.project, pk__in=task_ids), request.user)
        return Response([str(task_id) for task_id in task_ids])


class TaskTypeTasksDeleteView(KitsuView):
    """`DELETE /actions/projects/{project_id}/task-types/{task_type_id}/delete-tasks`: admins remove
    every task of a type in a project; 204."""

    @extend_schema(request=None, responses={204: None}, tags=["actions/projects"])
    def delete(self, request, project_id, task_type_id):
        access_for(request).check_admin()
        project = object_or_404(Project, project_id)
        task_type_id = parse_uuid(task_type_id, f"Malformed ID: {task_type_id}.")
        delete_tasks(Task.objects.filter(project=project, task_type_id=task_type_id), request.user)
        return Response(status=204)


class TasksPriorityView(KitsuView):
    """`PUT /actions/tasks/set-priority` {task_ids, priority}: managers, and supervisors of the
    task's department, set the priority; other tasks are skipped. 200 and the tasks updated."""

    @extend_schema(request=TaskPriorityBody, responses={200: TASK_SCHEMA(many=True)}, tags=["actions/tasks"])
    def put(self, request):
        body = validated(TaskPriorityBody, request.data)
        access = access_for(request)
        tasks = access.updatable_tasks(
            tasks_in_order(known_ids(body["task_ids"])), {"priority": body["priority"]}
        )
        rows = set_tasks_priority(tasks, body["priority"], request.user)
        return Response(rows)


class TaskFullView(TaskScopedView):
    """`GET /data/tasks/{task_id}/full`: the task with its entity, types, status, project, assignees
    and assigner, for whoever reaches it (clients: studio fields blank, no assignee)."""

    rules = {"GET": READER}

    def lookup(self, object_id):
        # The task with its entity, types, status, project and assigner: one query for all.
        return found_or_404(full_task_by_pk, object_id, "Task not found.")

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["data/tasks"])
    def get(self, request, task_id):
        data = full_task(self.task, self.access.person)
        if self.role == "client":
            data = blank_task_for_client(data)
            data["persons"] = []
            data.pop("assigner", None)
        return Response(data)


class EntityTaskTypeTasksView(EntityScopedView):
    """`GET /data/entities/{entity_id}/task-types/{task_type_id}/tasks`: the entity's tasks of a type,
    for the project's members (vendors: entities they work on; clients: studio fields blank)."""

    rules = {"GET": READER}

    @extend_schema(responses={200: TASK_SCHEMA(many=True)}, tags=["data/entities"])
    def get(self, request, entity_id, task_type_id):
        task_type_id = parse_uuid(task_type_id, f"Malformed ID: {task_type_id}.")
        return Response(tasks_for_entity_and_task_type(self.entity, task_type_id, self.role == "client"))


# --- project-wide lists -------------------------------------------------------------------------


class ProjectTasksView(ProjectScopedView):
    """`GET /data/projects/{project_id}/tasks`: the project's tasks with their assignees, for its
    members (vendors: the tasks they are assigned; clients: studio fields blank)."""

    rules = {"GET": MEMBER}

    @extend_schema(
        parameters=[
            OpenApiParameter("page", PAGE_NUMBER, description="Page number; paginates into an envelope"),
            OpenApiParameter("task_type_id", OpenApiTypes.UUID),
            OpenApiParameter("episode_id", OpenApiTypes.UUID),
            UPDATED_SINCE,
        ],
        responses={200: or_delta(rows_or_page(component(TASK_SCHEMA)), component(TASK_SCHEMA))},
        tags=["data/projects"],
    )
    def get(self, request, project_id):
        role = self.role
        page = query_int(request, "page", -1, message=INT_MESSAGE)
        task_type_id = query_id(request, "task_type_id", "Invalid UUID format for task_type_id.")
        episode_id = query_id(request, "episode_id", "Invalid UUID format for episode_id.")
        return Response(
            project_tasks(
                self.project,
                page,
                task_type_id=task_type_id,
                episode_id=episode_id,
                vendor=self.access.person if role == "vendor" else None,
                as_client=role == "client",
                window=delta_window(request),
            )
        )
