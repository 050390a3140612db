"""Routes of the `shots` area: thin views that parse, check access the reference's way, and call
one query (shots.queries) or one service (shots.services).

Access, as on the reference: reading an episode, a sequence, a shot or a scene needs its
production (admins, or its team) and, for a vendor (by their role on that production), a task on
that very entity; writing needs the production's managers, save for the creator rules of the
deletions. Lists that take a production from the query string need one for anyone but an admin;
a vendor lists only what they are assigned to, and reads only the custom fields of their
departments. A malformed id in the path is a 404, as on the reference.
"""

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from assets.queries import (
    board_fingerprint,
    cast_assets,
    entity_task_types,
    hidden_metadata_fields,
    hide_vendor_metadata,
)
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_bool
from kitsu_server.api.requests import json_body, validated
from kitsu_server.api.responses import board_etag, board_response, etag_matches, not_modified
from kitsu_server.api.schema import board
from kitsu_server.core.access import access_for
from kitsu_server.core.data.inputs import input_serializer
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import entity_or_404, project_or_404, team_project
from shots import queries, services
from tasks.task_queries import (
    entity_previews_by_task_type,
    entity_tasks,
)

SHOT_TAGS = ["shots"]
EPISODE_SENTINELS = ("all", "main")

EntityRow = output_serializer(REGISTRY["entities"])
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
COUNT_MODE_PARAMETER = OpenApiParameter(
    "count_mode", str, enum=list(queries.QUOTA_COUNT_MODES), description="How done work counts"
)
STUDIO_PARAMETER = OpenApiParameter(
    "studio_id", OpenApiTypes.UUID, description="Only the tasks of this studio's people"
)

# Columns a shot update never sets (the reference drops them from the body).
FIXED_SHOT_COLUMNS = {
    "id",
    "created_at",
    "updated_at",
    "instance_casting",
    "project_id",
    "entities_in",
    "entities_out",
    "type",
    "shotgun_id",
    "created_by",
}


# --- request bodies ----------------------------------------------------------------------------


class NewShotBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    sequence_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    data = serializers.DictField(required=False, allow_null=True, default=None)
    nb_frames = serializers.IntegerField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)


class NewSequenceBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    episode_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default="")
    data = serializers.DictField(required=False, allow_null=True, default=dict)


class NewEpisodeBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    status = serializers.CharField(required=False, allow_null=True, default="running")
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default="")
    data = serializers.DictField(required=False, allow_null=True, default=dict)


class NewSceneBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    sequence_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class SceneShotBody(serializers.Serializer):
    shot_id = serializers.UUIDField()


class FramesUpdate(serializers.Serializer):
    id = serializers.UUIDField()
    nb_frames = serializers.IntegerField()


def shot_update_values(request):
    """The columns a shot update sets, validated (a 400 naming the wrong ones): the fixed ones
    and names of no column are left out, as the reference does."""
    policy = REGISTRY["entities"]
    body = {
        key: value
        for key, value in json_body(request).items()
        if key in policy.fields_by_column and key not in FIXED_SHOT_COLUMNS
    }
    if "name" in body and not body["name"]:
        raise WrongParameter("name: the name of a shot can't be empty.")
    if "data" in body and body["data"] is not None and not isinstance(body["data"], dict):
        raise WrongParameter("data: a JSON object is expected.")
    serializer = input_serializer(policy, partial=True)(data=body, partial=True)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- access --------------------------------------------------------------------------------------


def check_criteria_project(access, project_id):
    """Who may list what the query string's production holds: its team (a 404 when there is no
    such production); without a production, admins only."""
    if access.is_admin:
        return
    if project_id is None:
        raise PermissionDenied
    project = project_or_404(project_id)
    access.check_project_access(project.pk)


def readable(request, entity_id, kind):
    """The `kind` entity of the URL (404), once the caller reaches it (403)."""
    entity = entity_or_404(entity_id, kind)
    access_for(request).check_project_and_entity_access(entity.project_id, entity.pk)
    return entity


def list_criteria(request):
    return {key: value for key, value in request.query_params.items() if key != "page"}


def relations_asked(request):
    return parse_bool(request.query_params.get("relations", "false"))


def force_asked(request):
    return request.query_params.get("force", "false").lower() == "true"


def check_id_formats(criteria, names):
    for name in names:
        value = criteria.get(name)
        if value is None or (name == "episode_id" and value in EPISODE_SENTINELS):
            continue
        if not queries.is_valid_id(value):
            raise WrongParameter(f"Invalid UUID format for {name}: {value}")


def mask_for_vendor(rows, kind, departments, project_id=None):
    """Rows without the custom fields a vendor's departments may not read; rows that carry no
    production take the one of the request."""
    if departments is None or not rows:
        return rows
    if all("project_id" in row for row in rows):
        return hide_vendor_metadata(rows, departments, kind)
    hidden = hidden_metadata_fields(kind, departments, {str(project_id)}).get(str(project_id), ())
    for row in rows:
        row["data"] = {key: value for key, value in (row["data"] or {}).items() if key not in hidden}
    return rows


def as_entity(entity):
    """An entity as the reference's update routes answer it: its columns, typed "Entity"."""
    data = queries.render_entity(entity)
    data["type"] = "Entity"
    return data


def list_scope(request, id_names=(), parent=None):
    """(access, criteria, project id, role) of a list route: the query string's criteria (the ids
    `id_names` checked; `parent`, (key, kind), turns a parent's id into its production and
    `parent_id`), the production they name (checked for the requester), the requester's role there."""
    access = access_for(request)
    criteria = list_criteria(request)
    if parent is not None and parent[0] in criteria:
        entity = entity_or_404(criteria.pop(parent[0]), parent[1])
        criteria["project_id"] = str(entity.project_id)
        criteria["parent_id"] = str(entity.pk)
    check_id_formats(criteria, id_names)
    project_id = criteria.get("project_id")
    check_criteria_project(access, project_id)
    return access, criteria, project_id, access.project_role(project_id)


def team_project_role(request, project_id):
    """(project, access, role): the production of the URL (its team only) and the requester's role."""
    project, _ = team_project(request, project_id)
    access = access_for(request)
    return project, access, access.project_role(project.pk)


def creation_in(request, project_id, body_serializer):
    """(body, project) of a creation route: the production of the URL, which only its managers
    add to, then the body validated (who may not write learns nothing from it)."""
    project = project_or_404(project_id)
    access_for(request).check_manager(project.pk)
    return validated(body_serializer, request.data), project


def delete_entity(request, entity_id, kind, remove, **options):
    """Delete the `kind` entity of the URL (its creator or the production's managers): a 204."""
    entity = entity_or_404(entity_id, kind)
    access_for(request).check_entity_delete(entity)
    remove(entity, user=request.user, **options)
    return Response(status=204)


class TeamTasksView(KitsuView):
    """`GET` tasks hanging off the `kind` entity of the URL (`rows(entity id, relations, client)`),
    for whoever reaches it. Vendors are refused."""

    kind = None
    rows = None

    def get(self, request, **entity_ids):
        (entity_id,) = entity_ids.values()
        entity = readable(request, entity_id, self.kind)
        role = access_for(request).project_role(entity.project_id)
        if role == "vendor":
            raise PermissionDenied
        return Response(type(self).rows(entity.pk, relations_asked(request), role == "client"))


# --- shots -------------------------------------------------------------------------------------


class ShotView(KitsuView):
    """`/data/shots/{shot_id}`: read (its board entry, columns and relations), update (the
    production's managers; a change of name or frame range is kept as a version), delete (the
    creator or the production's managers; canceled while it holds tasks unless `force=true`)."""

    @extend_schema(tags=SHOT_TAGS, operation_id="get_shot", responses=OpenApiTypes.OBJECT)
    def get(self, request, shot_id):
        shot = readable(request, shot_id, "Shot")
        client = access_for(request).project_role(shot.project_id) == "client"
        return Response(queries.full_shot(shot, client=client))

    @extend_schema(
        tags=SHOT_TAGS, request=input_serializer(REGISTRY["entities"], partial=True), responses=EntityRow
    )
    def put(self, request, shot_id):
        shot = entity_or_404(shot_id, "Shot")
        access_for(request).check_manager(shot.project_id)
        values = shot_update_values(request)
        policy = REGISTRY["entities"]
        policy.check_unique_name(shot, values)
        fields = {policy.fields_by_column[column].name: value for column, value in values.items()}
        services.update_shot(shot, fields, request.user)
        return Response(as_entity(shot))

    @extend_schema(tags=SHOT_TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, shot_id):
        return delete_entity(request, shot_id, "Shot", services.remove_shot, force=force_asked(request))


class AllShotsView(KitsuView):
    """`GET /data/shots` (and `/data/shots/all`): the shots of a production (any for an admin),
    filtered by the query string's columns; `sequence_id` names a sequence's shots."""

    @extend_schema(
        tags=SHOT_TAGS,
        parameters=[PROJECT_PARAMETER, OpenApiParameter("sequence_id", OpenApiTypes.UUID)],
        responses={200: OBJECT_LIST},
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, parent=("sequence_id", "Sequence"))
        assigned = access.person if role == "vendor" else None
        return Response(queries.list_shots(criteria, assigned, access.vendor_departments(role)))


def project_entity_rows(request, project_id, kind):
    """The production's entities of `kind` for its team (a vendor's: those they are assigned to,
    with only the custom fields of their departments)."""
    project, access, role = team_project_role(request, project_id)
    assigned = access.person if role == "vendor" else None
    rows = queries.project_entities(project.pk, kind, assigned)
    return mask_for_vendor(rows, kind, access.vendor_departments(role), project.pk)


def parent_in_project(project, parent_id, kind):
    """The parent (a sequence, an episode) a new entity goes under, None without one; a 404 when it
    is not one of the production's."""
    if parent_id is None:
        return None
    parent = entity_or_404(parent_id, kind)
    if parent.project_id != project.pk:
        raise NotFound(f"{kind} not found.")
    return parent


class ShotsWithTasksView(KitsuView):
    """`GET /data/shots/with-tasks`: the shot board, each shot with its tasks. `compact=true`
    sends rows of values under a header naming the fields, `stream=true` sends NDJSON (the
    header, then one shot a line). A production's board carries an ETag: a client holding the
    current one gets a 304."""

    @extend_schema(
        tags=SHOT_TAGS,
        parameters=[
            PROJECT_PARAMETER,
            EPISODE_PARAMETER,
            OpenApiParameter("id", OpenApiTypes.UUID, description="Only this shot"),
            OpenApiParameter("compact", bool, description="Rows of values under a header of field names"),
            OpenApiParameter("stream", bool, description="NDJSON: the header, then one shot a line"),
        ],
        responses={200: board(), 304: None},
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, ("id", "project_id", "episode_id"))
        stream = criteria.pop("stream", "false") == "true"
        compact = criteria.pop("compact", "false") == "true"
        departments = access.vendor_departments(role)
        board = queries.ShotBoardCriteria(
            shot_id=criteria.get("id"),
            project_id=project_id,
            episode_id=criteria.get("episode_id"),
            assigned_person=access.person if role == "vendor" else None,
        )
        etag = None
        if project_id is not None:
            etag = board_etag(
                board_fingerprint(project_id, access.person), access, role, criteria, departments
            )
            if etag_matches(request, etag):
                return not_modified(etag)
        rows = queries.shots_with_tasks(
            board, access.person, client=role == "client", vendor_departments=departments, compact=compact
        )
        return board_response(
            rows,
            etag,
            compact,
            stream,
            shot_fields=queries.SHOTS_AND_TASKS_SHOT_FIELDS,
            task_fields=queries.SHOTS_AND_TASKS_TASK_FIELDS,
        )


class ShotAssetsView(KitsuView):
    """`GET /data/shots/{shot_id}/assets`: the assets cast in the shot."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, shot_id):
        shot = readable(request, shot_id, "Shot")
        return Response(cast_assets(shot.pk))


class ShotTaskTypesView(KitsuView):
    """`GET /data/shots/{shot_id}/task-types`: the types of the shot's tasks."""

    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, shot_id):
        shot = readable(request, shot_id, "Shot")
        return Response(entity_task_types(shot.pk))


class ShotTasksView(KitsuView):
    """`GET /data/shots/{shot_id}/tasks`: the shot's tasks with their names (a client reads
    their studio fields blank)."""

    @extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
    def get(self, request, shot_id):
        shot = readable(request, shot_id, "Shot")
        client = access_for(request).project_role(shot.project_id) == "client"
        return Response(entity_tasks(shot.pk, relations_asked(request), client))


class ShotPreviewFilesView(KitsuView):
    """`GET /data/shots/{shot_id}/preview-files`: the shot's previews by task type."""

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, shot_id):
        shot = readable(request, shot_id, "Shot")
        return Response(entity_previews_by_task_type(shot.pk))


class ShotVersionsView(KitsuView):
    """`GET /data/shots/{shot_id}/versions`: the history of the shot's name and frame range."""

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, shot_id):
        shot = readable(request, shot_id, "Shot")
        return Response(queries.shot_versions(shot.pk))


class ProjectShotsView(KitsuView):
    """`/data/projects/{project_id}/shots`: the production's shots (a vendor's, those they are
    assigned to); its managers create one (`shot:new`), or get the existing one of that name."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        return Response(project_entity_rows(request, project_id, "Shot"))

    @extend_schema(tags=SHOT_TAGS, request=NewShotBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body, project = creation_in(request, project_id, NewShotBody)
        sequence = parent_in_project(project, body["sequence_id"], "Sequence")
        shot, _ = services.create_shot(
            project,
            sequence,
            name=body["name"],
            data=body["data"] if body["data"] is not None else {},
            nb_frames=body["nb_frames"],
            description=body["description"],
            user=request.user,
        )
        return Response(queries.render_entity(shot), status=201)


class SetShotsFramesView(KitsuView):
    """`POST /actions/projects/{project_id}/task-types/{task_type_id}/set-shot-nb-frames`: the
    production's managers set the length of each shot (of an episode: `episode_id` in the query
    string) from the newest preview of its task of that type. Answers the shots changed."""

    @extend_schema(
        tags=SHOT_TAGS,
        request=None,
        parameters=[OpenApiParameter("episode_id", OpenApiTypes.UUID, description="Only this episode")],
        responses=FramesUpdate(many=True),
    )
    def post(self, request, project_id, task_type_id):
        access_for(request).check_manager(project_id)
        if not queries.is_valid_id(project_id) or not queries.is_valid_id(task_type_id):
            raise WrongParameter("Invalid project or task type id")
        episode_id = request.query_params.get("episode_id") or None
        if episode_id is not None and not queries.is_valid_id(episode_id):
            raise WrongParameter("Invalid episode id")
        project = project_or_404(project_id)
        return Response(services.set_shots_nb_frames(project, task_type_id, episode_id))


# --- scenes ------------------------------------------------------------------------------------


class SceneView(KitsuView):
    """`/data/scenes/{scene_id}`: read (with its production, sequence and episode), delete (the
    creator or the production's managers; canceled when something still hangs off it)."""

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, scene_id):
        scene = readable(request, scene_id, "Scene")
        return Response(queries.full_scene(scene))

    @extend_schema(tags=SHOT_TAGS, responses={204: None})
    def delete(self, request, scene_id):
        return delete_entity(request, scene_id, "Scene", services.remove_scene)


class ScenesView(KitsuView):
    """`GET /data/scenes/all`: the scenes of a production (any for an admin), filtered by the
    query string's columns. Vendors are refused."""

    @extend_schema(tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER], responses={200: OBJECT_LIST})
    def get(self, request):
        _, criteria, _, role = list_scope(request)
        if role == "vendor":
            raise PermissionDenied
        return Response(queries.list_scenes(criteria))


class ScenesWithTasksView(KitsuView):
    """`GET /data/scenes/with-tasks`: the scene board, each scene with its tasks. Vendors are
    refused."""

    @extend_schema(
        tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER, EPISODE_PARAMETER], responses={200: OBJECT_LIST}
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, ("project_id", "episode_id"))
        if role == "vendor":
            raise PermissionDenied
        rows = queries.entities_with_tasks(
            "Scene", access.person, project_id, criteria.get("episode_id"), client=role == "client"
        )
        return Response(rows)


class ProjectScenesView(KitsuView):
    """`/data/projects/{project_id}/scenes`: the production's scenes (a vendor's, those they are
    assigned to); its managers create one (`scene:new`), or get the existing one of that name."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        return Response(project_entity_rows(request, project_id, "Scene"))

    @extend_schema(tags=SHOT_TAGS, request=NewSceneBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body, project = creation_in(request, project_id, NewSceneBody)
        sequence = parent_in_project(project, body["sequence_id"], "Sequence")
        scene, _ = services.create_scene(project, sequence, name=body["name"], user=request.user)
        return Response(queries.render_entity(scene), status=201)


class SceneShotsView(KitsuView):
    """`/data/scenes/{scene_id}/shots`: the shots linked to the scene; any member of its
    production links one more (`shot:add-to-scene`)."""

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, scene_id):
        scene = readable(request, scene_id, "Scene")
        return Response(queries.list_shots({"source_id": str(scene.pk)}))

    @extend_schema(tags=SHOT_TAGS, request=SceneShotBody, responses={201: EntityRow})
    def post(self, request, scene_id):
        scene = entity_or_404(scene_id, "Scene")
        access_for(request).check_project_access(scene.project_id)
        body = validated(SceneShotBody, request.data)
        shot = entity_or_404(body["shot_id"], "Shot")
        services.set_shot_scene(scene, shot, request.user, add=True)
        return Response(as_entity(shot), status=201)


class SceneShotView(KitsuView):
    """`DELETE /data/scenes/{scene_id}/shots/{shot_id}`: any member of the scene's production
    unlinks a shot from it (`shot:remove-from-scene`)."""

    @extend_schema(tags=SHOT_TAGS, responses={204: None})
    def delete(self, request, scene_id, shot_id):
        scene = entity_or_404(scene_id, "Scene")
        access_for(request).check_project_access(scene.project_id)
        shot = entity_or_404(shot_id, "Shot")
        services.set_shot_scene(scene, shot, request.user, add=False)
        return Response(status=204)


class SceneTaskTypesView(KitsuView):
    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, scene_id):
        scene = readable(request, scene_id, "Scene")
        return Response(entity_task_types(scene.pk))


class SceneTasksView(KitsuView):
    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, scene_id):
        scene = readable(request, scene_id, "Scene")
        client = access_for(request).project_role(scene.project_id) == "client"
        return Response(entity_tasks(scene.pk, client=client))


# --- sequences ---------------------------------------------------------------------------------


class SequenceView(KitsuView):
    """`/data/sequences/{sequence_id}`: read (with its production and episode), delete (the
    creator or the production's managers; refused while something hangs off it unless
    `force=true`)."""

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, sequence_id):
        sequence = readable(request, sequence_id, "Sequence")
        return Response(queries.full_sequence(sequence))

    @extend_schema(tags=SHOT_TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, sequence_id):
        force = force_asked(request)
        return delete_entity(request, sequence_id, "Sequence", services.remove_sequence, force=force)


class SequencesView(KitsuView):
    """`GET /data/sequences`: the sequences of a production (any for an admin), filtered by the
    query string's columns; `episode_id` names an episode's sequences. A vendor lists those
    holding a shot they are assigned to."""

    @extend_schema(
        tags=SHOT_TAGS,
        parameters=[PROJECT_PARAMETER, OpenApiParameter("episode_id", OpenApiTypes.UUID)],
        responses=EntityRow(many=True),
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, parent=("episode_id", "Episode"))
        if role == "vendor":  # a vendor always names a production: see check_criteria_project
            rows = queries.assigned_sequences(access.person, project_id=project_id)
            return Response(mask_for_vendor(rows, "Sequence", access.vendor_departments(role), project_id))
        return Response(queries.list_entities("Sequence", criteria))


class SequencesWithTasksView(KitsuView):
    """`GET /data/sequences/with-tasks`: the sequence board, each sequence with its tasks. A
    vendor sees the sequences holding a shot they are assigned to, with their own tasks."""

    @extend_schema(
        tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER, EPISODE_PARAMETER], responses={200: OBJECT_LIST}
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, ("project_id", "episode_id"))
        episode_id = criteria.get("episode_id")
        entity_ids = assigned = None
        if role == "vendor":
            assigned = access.person
            if episode_id not in (None, "all"):
                entity_ids = queries.assigned_sequence_ids(access.person, episode_id=episode_id)
            else:
                entity_ids = queries.assigned_sequence_ids(access.person, project_id=project_id)
        rows = queries.entities_with_tasks(
            "Sequence", access.person, project_id, episode_id, entity_ids, assigned, client=role == "client"
        )
        return Response(mask_for_vendor(rows, "Sequence", access.vendor_departments(role), project_id))


class SequenceShotsView(KitsuView):
    """`GET /data/sequences/{sequence_id}/shots`: the sequence's shots, filtered by the query
    string's columns (a vendor's, those they are assigned to)."""

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, sequence_id):
        sequence = entity_or_404(sequence_id, "Sequence")
        access = access_for(request)
        access.check_project_access(sequence.project_id)
        criteria = {**list_criteria(request), "parent_id": str(sequence.pk)}
        role = access.project_role(sequence.project_id)
        assigned = access.person if role == "vendor" else None
        return Response(queries.list_shots(criteria, assigned, access.vendor_departments(role)))


class SequenceScenesView(KitsuView):
    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, sequence_id):
        sequence = readable(request, sequence_id, "Sequence")
        access = access_for(request)
        departments = access.vendor_departments(access.project_role(sequence.project_id))
        return Response(mask_for_vendor(queries.sequence_scenes(sequence.pk), "Scene", departments))


class SequenceTasksView(KitsuView):
    """`GET /data/sequences/{sequence_id}/tasks`: the sequence's own tasks (a vendor's, those
    they are assigned to)."""

    @extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
    def get(self, request, sequence_id):
        sequence = readable(request, sequence_id, "Sequence")
        access = access_for(request)
        role = access.project_role(sequence.project_id)
        if role == "vendor":
            return Response(queries.assigned_entity_tasks(sequence.pk, access.person))
        return Response(entity_tasks(sequence.pk, relations_asked(request), role == "client"))


@extend_schema_view(
    get=extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
)
class SequenceShotTasksView(TeamTasksView):
    """`GET /data/sequences/{sequence_id}/shot-tasks`: the tasks of the sequence's shots.
    Vendors are refused."""

    kind = "Sequence"
    rows = staticmethod(queries.sequence_shot_tasks)


class SequenceTaskTypesView(KitsuView):
    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, sequence_id):
        sequence = readable(request, sequence_id, "Sequence")
        return Response(queries.sequence_task_types(sequence.pk))


class ProjectSequencesView(KitsuView):
    """`/data/projects/{project_id}/sequences`: the production's sequences (a vendor's, those
    holding a shot they are assigned to); its managers create one (`sequence:new`)."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        project, access, role = team_project_role(request, project_id)
        if role == "vendor":
            rows = queries.assigned_sequences(access.person, project_id=project.pk)
        else:
            rows = queries.project_entities(project.pk, "Sequence")
        return Response(mask_for_vendor(rows, "Sequence", access.vendor_departments(role), project.pk))

    @extend_schema(tags=SHOT_TAGS, request=NewSequenceBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body, project = creation_in(request, project_id, NewSequenceBody)
        episode = parent_in_project(project, body["episode_id"], "Episode")
        sequence, _ = services.create_sequence(
            project,
            episode,
            name=body["name"],
            description=body["description"],
            data=body["data"] if body["data"] is not None else {},
            user=request.user,
        )
        return Response(queries.render_entity(sequence), status=201)


# --- episodes ----------------------------------------------------------------------------------


class EpisodeView(KitsuView):
    """`/data/episodes/{episode_id}`: read (with its production's name), delete (the creator or
    the production's managers; refused while something hangs off it unless `force=true`)."""

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, episode_id):
        episode = readable(request, episode_id, "Episode")
        return Response(queries.full_episode(episode))

    @extend_schema(tags=SHOT_TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, episode_id):
        force = force_asked(request)
        return delete_entity(request, episode_id, "Episode", services.remove_episode, force=force)


class EpisodesView(KitsuView):
    """`GET /data/episodes`: the episodes of a production (any for an admin), filtered by the
    query string's columns. A vendor lists those holding a shot or an asset they work on."""

    @extend_schema(tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER], responses=EntityRow(many=True))
    def get(self, request):
        access, criteria, project_id, role = list_scope(request)
        if role == "vendor":  # a vendor always names a production: see check_criteria_project
            rows = queries.assigned_episodes(project_id, access.person)
            return Response(mask_for_vendor(rows, "Episode", access.vendor_departments(role), project_id))
        return Response(queries.list_entities("Episode", criteria))


class EpisodesWithTasksView(KitsuView):
    """`GET /data/episodes/with-tasks`: the episode board, each episode with its tasks. A vendor
    sees the episodes they work on, with their own tasks."""

    @extend_schema(
        tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER, EPISODE_PARAMETER], responses={200: OBJECT_LIST}
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, ("project_id", "episode_id"))
        entity_ids = assigned = None
        if role == "vendor":
            assigned = access.person
            entity_ids = queries.assigned_episode_ids(project_id, access.person)
        rows = queries.entities_with_tasks(
            "Episode",
            access.person,
            project_id,
            criteria.get("episode_id"),
            entity_ids,
            assigned,
            client=role == "client",
        )
        return Response(mask_for_vendor(rows, "Episode", access.vendor_departments(role), project_id))


class EpisodeSequencesView(KitsuView):
    """`GET /data/episodes/{episode_id}/sequences`: the episode's sequences, filtered by the query
    string's columns (a vendor's, those holding a shot they are assigned to). A malformed id
    gives an empty list, as on the reference."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, episode_id):
        if not queries.is_valid_id(episode_id):
            return Response([])
        episode = entity_or_404(episode_id, "Episode")
        access = access_for(request)
        access.check_project_access(episode.project_id)
        role = access.project_role(episode.project_id)
        if role == "vendor":
            rows = queries.assigned_sequences(access.person, episode_id=episode.pk)
            return Response(mask_for_vendor(rows, "Sequence", access.vendor_departments(role)))
        return Response(queries.episode_sequences(episode.pk, list_criteria(request)))


class EpisodeShotsView(KitsuView):
    @extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses=EntityRow(many=True))
    def get(self, request, episode_id):
        episode = readable(request, episode_id, "Episode")
        access = access_for(request)
        rows = queries.episode_shots(episode.pk, relations_asked(request))
        departments = access.vendor_departments(access.project_role(episode.project_id))
        return Response(mask_for_vendor(rows, "Shot", departments))


class EpisodeTasksView(KitsuView):
    """`GET /data/episodes/{episode_id}/tasks`: the episode's own tasks (a vendor's, those they
    are assigned to)."""

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, episode_id):
        episode = readable(request, episode_id, "Episode")
        access = access_for(request)
        role = access.project_role(episode.project_id)
        if role == "vendor":
            return Response(queries.assigned_entity_tasks(episode.pk, access.person))
        return Response(entity_tasks(episode.pk, client=role == "client"))


class EpisodeTaskTypesView(KitsuView):
    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, episode_id):
        episode = readable(request, episode_id, "Episode")
        return Response(queries.episode_task_types(episode.pk))


@extend_schema_view(
    get=extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
)
class EpisodeShotTasksView(TeamTasksView):
    """`GET /data/episodes/{episode_id}/shot-tasks`: the tasks of the episode's shots. Vendors are
    refused."""

    kind = "Episode"
    rows = staticmethod(queries.episode_shot_tasks)


@extend_schema_view(
    get=extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
)
class EpisodeAssetTasksView(TeamTasksView):
    """`GET /data/episodes/{episode_id}/asset-tasks`: the tasks of the assets whose main episode
    it is. Vendors are refused."""

    kind = "Episode"
    rows = staticmethod(queries.episode_asset_tasks)


class ProjectEpisodesView(KitsuView):
    """`/data/projects/{project_id}/episodes`: the production's episodes (a vendor's, those they
    work on); its managers create one (`episode:new`), or get the existing one of that name."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        project, access, role = team_project_role(request, project_id)
        if role == "vendor":
            rows = queries.assigned_episodes(project.pk, access.person)
        else:
            rows = queries.project_entities(project.pk, "Episode")
        return Response(mask_for_vendor(rows, "Episode", access.vendor_departments(role), project.pk))

    @extend_schema(tags=SHOT_TAGS, request=NewEpisodeBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body, project = creation_in(request, project_id, NewEpisodeBody)
        episode, _ = services.create_episode(
            project,
            name=body["name"],
            status=body["status"],
            description=body["description"],
            data=body["data"] if body["data"] is not None else {},
            user=request.user,
        )
        return Response(queries.render_entity(episode), status=201)


class ProjectEpisodeStatsView(KitsuView):
    """`GET /data/projects/{project_id}/episodes/stats`: the production's shot tasks counted per
    episode, task type and status (clients only where the production shows them its stats)."""

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id):
        project, access, role = team_project_role(request, project_id)
        if role == "client" and project.is_client_stats_visible is False:
            raise PermissionDenied
        assigned = access.person if role == "vendor" else None
        return Response(queries.episode_stats(project.pk, assigned))


class ProjectEpisodeRetakeStatsView(KitsuView):
    """`GET /data/projects/{project_id}/episodes/retake-stats`: where the production's shot tasks
    stand and how their takes went, per episode and task type. Clients are refused."""

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id):
        project, access, role = team_project_role(request, project_id)
        if role == "client":
            raise PermissionDenied
        assigned = access.person if role == "vendor" else None
        return Response(queries.episode_retake_stats(project.pk, assigned))


# --- quotas ------------------------------------------------------------------------------------


def quota_options(request):
    """(count mode, studio id) from the query string, or a 400."""
    count_mode = request.query_params.get("count_mode", "weighted")
    if count_mode not in queries.QUOTA_COUNT_MODES:
        raise WrongParameter("count_mode must be equal to weighted, weigtheddone, feedback, or done")
    studio_id = request.query_params.get("studio_id") or None
    if studio_id is not None and not queries.is_valid_id(studio_id):
        raise WrongParameter(f"Invalid UUID format for studio_id: {studio_id}")
    return count_mode, studio_id


class ProjectQuotasView(KitsuView):
    """`GET /data/projects/{project_id}/quotas/{task_type_id}`: the production's shot quotas of a
    task type, per person and in total. Clients are refused."""

    @extend_schema(
        tags=SHOT_TAGS, parameters=[COUNT_MODE_PARAMETER, STUDIO_PARAMETER], responses=OpenApiTypes.OBJECT
    )
    def get(self, request, project_id, task_type_id):
        project, _ = team_project(request, project_id)
        access = access_for(request)
        if access.project_role(project.pk) == "client":
            raise PermissionDenied
        count_mode, studio_id = quota_options(request)
        if not queries.is_valid_id(task_type_id):
            raise WrongParameter(f"Invalid UUID format for task_type_id: {task_type_id}")
        quotas = queries.project_quotas(
            project, access.person, count_mode, task_type_id=task_type_id, studio_id=studio_id
        )
        return Response(quotas)


class ProjectPersonQuotasView(KitsuView):
    """`GET /data/projects/{project_id}/quotas/persons/{person_id}`: a person's shot quotas in the
    production, per task type and in total. Supervisors and managers of the production read
    anyone's; others their own. Clients are refused."""

    @extend_schema(
        tags=SHOT_TAGS, parameters=[COUNT_MODE_PARAMETER, STUDIO_PARAMETER], responses=OpenApiTypes.OBJECT
    )
    def get(self, request, project_id, person_id):
        project = project_or_404(project_id)
        access = access_for(request)
        role = access.project_role(project.pk) if access.is_member(project.pk) else access.role
        if role == "client":
            raise PermissionDenied
        if role in ("admin", "manager", "supervisor"):
            access.check_project_access(project.pk)
        elif not (access.is_admin or person_id == str(access.person.pk)):
            raise PermissionDenied
        if not queries.is_valid_id(person_id):
            raise WrongParameter(f"Invalid UUID format for person_id: {person_id}")
        count_mode, studio_id = quota_options(request)
        quotas = queries.project_quotas(
            project, access.person, count_mode, person_id=person_id, studio_id=studio_id
        )
        return Response(quotas)
