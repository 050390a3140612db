"""Routes of the `scenes` area: a production's scenes, their board with tasks, and the shots,
tasks and task types of a scene.

Access, as on the reference: reading a scene needs its production (admins, or its team) and, for
a vendor, a task on it; vendors list no scenes. Creating one needs the production's managers,
deleting one its creator or a manager; any member of the production links shots to it.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from assets.queries import entity_task_types
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import UPDATED_SINCE, ListSchema
from kitsu_server.core.access import Access
from kitsu_server.core.delta import delta_window
from kitsu_server.core.lookups import entity_or_404
from kitsu_server.core.scoped import MANAGER, MEMBER, READER, EntityScopedView, ProjectScopedView
from shots import queries, services
from shots.requests import as_entity, list_scope, parent_in_project, project_entity_rows
from shots.serializers import (
    ENTITY_ROWS,
    EPISODE_PARAMETER,
    OBJECT_LIST,
    PROJECT_PARAMETER,
    SHOT_TAGS,
    EntityRow,
    TaskTypeRow,
)
from tasks.boards import entity_tasks


class NewSceneBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    sequence_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class SceneShotBody(serializers.Serializer):
    shot_id = serializers.UUIDField()


class SceneScopedView(EntityScopedView):
    """The scene of `<scene_id>`: read by whoever reads it (a vendor: one they work on)."""

    kind = "Scene"
    url_kwarg = "scene_id"
    rules = {"GET": READER}


class SceneView(SceneScopedView):
    """`/data/scenes/{scene_id}`: read (with its production, sequence and episode), delete (the
    creator or the production's managers; canceled when something still hangs off it)."""

    rules = {"GET": READER, "DELETE": Access.check_entity_delete}

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, scene_id):
        return Response(queries.full_scene(self.entity))

    @extend_schema(tags=SHOT_TAGS, responses={204: None})
    def delete(self, request, scene_id):
        services.remove_scene(self.entity, user=request.user)
        return Response(status=204)


class ScenesView(KitsuView):
    """`GET /data/scenes/all`: the scenes of a production (any for an admin), filtered by the
    query string's columns. Vendors are refused."""

    @extend_schema(tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER], responses={200: OBJECT_LIST})
    def get(self, request):
        access, criteria, _, role = list_scope(request)
        access.check_not_vendor(role)
        return Response(queries.list_scenes(criteria))


class ScenesWithTasksView(KitsuView):
    """`GET /data/scenes/with-tasks`: the scene board, each scene with its tasks. Vendors are
    refused."""

    @extend_schema(
        tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER, EPISODE_PARAMETER], responses={200: OBJECT_LIST}
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, ("project_id", "episode_id"))
        access.check_not_vendor(role)
        rows = queries.entities_with_tasks(
            "Scene",
            access.person,
            project_id,
            criteria.get("episode_id"),
            client=access.reads_as_client(role),
        )
        return Response(rows)


class ProjectScenesView(ProjectScopedView):
    """`/data/projects/{project_id}/scenes`: the production's scenes (a vendor's, those they are
    assigned to); its managers create one (`scene:new`), or get the existing one of that name."""

    schema = ListSchema()  # its GET lists (a raw schema: rows or their delta)
    rules = {"GET": MEMBER, "POST": MANAGER}

    @extend_schema(tags=SHOT_TAGS, parameters=[UPDATED_SINCE], responses={200: ENTITY_ROWS})
    def get(self, request, project_id):
        window = delta_window(request)
        return Response(project_entity_rows(self.access, self.role, self.project, "Scene", window))

    @extend_schema(tags=SHOT_TAGS, request=NewSceneBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body = validated(NewSceneBody, request.data)
        sequence = parent_in_project(self.project, body["sequence_id"], "Sequence")
        scene, _ = services.create_scene(self.project, sequence, name=body["name"], user=request.user)
        return Response(queries.render_entity(scene), status=201)


class SceneShotsView(SceneScopedView):
    """`/data/scenes/{scene_id}/shots`: the shots linked to the scene; any member of its
    production links one more (`shot:add-to-scene`)."""

    rules = {"GET": READER, "POST": MEMBER}

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, scene_id):
        return Response(queries.list_shots({"source_id": str(self.entity.pk)}))

    @extend_schema(tags=SHOT_TAGS, request=SceneShotBody, responses={201: EntityRow})
    def post(self, request, scene_id):
        body = validated(SceneShotBody, request.data)
        shot = entity_or_404(body["shot_id"], "Shot")
        services.set_shot_scene(self.entity, shot, request.user, add=True)
        return Response(as_entity(shot), status=201)


class SceneShotView(SceneScopedView):
    """`DELETE /data/scenes/{scene_id}/shots/{shot_id}`: any member of the scene's production
    unlinks a shot from it (`shot:remove-from-scene`)."""

    rules = {"DELETE": MEMBER}

    @extend_schema(tags=SHOT_TAGS, responses={204: None})
    def delete(self, request, scene_id, shot_id):
        shot = entity_or_404(shot_id, "Shot")
        services.set_shot_scene(self.entity, shot, request.user, add=False)
        return Response(status=204)


class SceneTaskTypesView(SceneScopedView):
    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, scene_id):
        return Response(entity_task_types(self.entity.pk))


class SceneTasksView(SceneScopedView):
    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, scene_id):
        return Response(entity_tasks(self.entity.pk, client=self.access.reads_as_client(self.role)))
