"""Routes of the `entities` area: the pages of any entity (its news, previews, time spents, the
entities linked to it), the creation of its tasks, and the removal of several entities of a
production at once.

Access, as on the reference: reading an entity needs its production (admins, or its team) and,
for a vendor, a task on it; creating its tasks is refused to vendors and clients; removing
entities needs their creator or the production's managers.
"""

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets import services
from assets.entities import queries
from assets.models import Entity
from assets.queries import TASK_SHAPE
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import json_list, validated
from kitsu_server.api.schema import ROWS
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.scoped import MEMBER, READER, EntityScopedView, ProjectScopedView
from tasks.models import TaskType

ENTITY_TAGS = ["entities"]
UUID_LIST = build_array_type(build_basic_type(OpenApiTypes.UUID))
TimeSpentRow = output_serializer(REGISTRY["time-spents"])
FORCE_PARAMETER = OpenApiParameter(
    "force", bool, description="Delete for real (with everything hanging off) instead of canceling"
)


class EntityTasksSerializer(serializers.Serializer):
    task_type_ids = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class EntityReadView(EntityScopedView):
    """The entity of `<entity_id>`, of any kind: read by whoever reads it."""

    rules = {"GET": READER}


class EntityNewsView(EntityReadView):
    """`GET /data/entities/{entity_id}/news`: the news of its tasks, newest first (one page)."""

    @extend_schema(tags=ENTITY_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, entity_id):
        return Response(queries.entity_news(self.entity, self.access))


class EntityPreviewFilesView(EntityReadView):
    """`GET /data/entities/{entity_id}/preview-files`: the previews of its tasks."""

    @extend_schema(tags=ENTITY_TAGS, responses={200: ROWS})
    def get(self, request, entity_id):
        return Response(queries.entity_preview_files(self.entity.pk))


class EntityTimeSpentsView(EntityReadView):
    """`GET /data/entities/{entity_id}/time-spents`: the time spent on its tasks, newest first."""

    @extend_schema(tags=ENTITY_TAGS, responses=TimeSpentRow(many=True))
    def get(self, request, entity_id):
        return Response(queries.entity_time_spents(self.entity.pk, self.access))


class EntitiesLinkedWithTasksView(EntityReadView):
    """`GET /data/entities/{entity_id}/entities-linked/with-tasks`: the entities linked to it by
    concept links, with their tasks."""

    @extend_schema(tags=ENTITY_TAGS, responses={200: ROWS})
    def get(self, request, entity_id):
        return Response(queries.linked_entities_with_tasks(self.entity.pk))


class EntityTasksView(EntityScopedView):
    """`POST /data/entities/{entity_id}/tasks`: whoever reaches the entity, clients and vendors
    aside, creates its tasks of the given types (every fitting one without a list)."""

    rules = {"POST": READER}

    @extend_schema(tags=ENTITY_TAGS, request=EntityTasksSerializer, responses={201: ROWS})
    def post(self, request, entity_id):
        entity = self.entity
        self.access.check_studio_role(self.role)
        body = validated(EntityTasksSerializer, request.data)
        task_type_ids = list(
            dict.fromkeys(
                parse_uuid(value, f"Malformed ID for task_type_ids: {value!r}.")
                for value in body["task_type_ids"]
            )
        )
        task_types = TaskType.objects.in_bulk(task_type_ids)
        if len(task_types) != len(task_type_ids):
            raise NotFound("Task type not found.")
        created = services.create_tasks_for_entity(
            entity, [task_types[pk] for pk in task_type_ids], user=request.user
        )
        return Response([self.render(*item) for item in created], status=201)

    @staticmethod
    def render(task, task_type, status):
        data = serialize_instance(task, shape=TASK_SHAPE)
        data["assignees"] = []
        data.update(
            task_status_id=str(status.pk),
            task_status_name=status.name,
            task_status_short_name=status.short_name,
            task_status_color=status.color,
            task_type_id=str(task_type.pk),
            task_type_name=task_type.name,
            task_type_color=task_type.color,
            task_type_priority=task_type.priority,
        )
        return data


class ProjectDeleteEntitiesView(ProjectScopedView):
    """`POST /actions/projects/{project_id}/delete-entities` with a JSON array of ids: removes
    the production's assets, shots, edits and concepts among them (see
    assets.services.remove_entities). The creator of an entity may remove it; any other needs
    to manage the production. Answers the ids removed. Who is not in the production deletes
    nothing of it: refused before the body is read."""

    rules = {"POST": MEMBER}

    @extend_schema(
        tags=ENTITY_TAGS,
        parameters=[FORCE_PARAMETER],
        request={"application/json": UUID_LIST},
        responses={200: UUID_LIST},
    )
    def post(self, request, project_id):
        project = self.project
        entity_ids = json_list(request)
        for entity_id in entity_ids:
            if not isinstance(entity_id, str):
                raise WrongParameter("Request body must only contain valid UUIDs.")
            parse_uuid(entity_id, "Request body must only contain valid UUIDs.")
        creators = Entity.objects.filter(pk__in=entity_ids).values_list("created_by_id", flat=True)
        self.access.check_entities_delete(project.pk, creators)
        force = request.query_params.get("force", "false").lower() == "true"
        return Response(services.remove_entities(project.pk, entity_ids, force=force, user=request.user))
