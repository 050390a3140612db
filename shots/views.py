"""Routes of the `shots` area: thin views that parse, check access the reference's way, and call
one query (shots.queries) or one service (shots.services). Sequences, episodes, scenes and quotas
are areas of their own (shots.sequences, shots.episodes, shots.scenes, shots.quotas).

Access, as on the reference: reading a shot needs its production (admins, or its team) and, for
a vendor (by their role on that production), a task on that very shot; writing needs the
production's managers, save for the creator rule of the deletion. Lists that take a production
from the query string need one for anyone but an admin; a vendor lists only what they are
assigned to, and reads only the custom fields of their departments. A malformed id in the path
is a 404, as on the reference.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from assets.models import Entity
from assets.queries import board_fingerprint, cast_assets, entity_task_types
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.requests import json_body, relations_asked, validated
from kitsu_server.api.responses import board_etag, board_response, etag_matches, not_modified
from kitsu_server.api.schema import UPDATED_SINCE, ListSchema, board, or_delta
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.data.inputs import input_serializer
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.delta import delta_window, entity_list, project_scope
from kitsu_server.core.lookups import project_or_404
from kitsu_server.core.scoped import MANAGER, MEMBER, READER, EntityScopedView, ProjectScopedView
from shots import queries, services
from shots.requests import as_entity, force_asked, list_scope, parent_in_project, project_entity_rows
from shots.serializers import (
    ENTITY_ROWS,
    EPISODE_PARAMETER,
    FORCE_PARAMETER,
    OBJECT_LIST,
    PROJECT_PARAMETER,
    RELATIONS_PARAMETER,
    SHOT_TAGS,
    EntityRow,
    TaskTypeRow,
)
from tasks.boards import board_delta, entity_previews_by_task_type, entity_tasks

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


class NewShotBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    sequence_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    data = serializers.DictField(required=False, allow_null=True, default=None)
    nb_frames = serializers.IntegerField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)


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


class ShotScopedView(EntityScopedView):
    """The shot of `<shot_id>`: read by whoever reads it (a vendor: one they work on)."""

    kind = "Shot"
    url_kwarg = "shot_id"
    rules = {"GET": READER}


class ShotView(ShotScopedView):
    """`/data/shots/{shot_id}`: read (its board entry, columns and relations), update (the
    production's managers; a change of name or frame range is kept as a version), delete (the
    creator or the production's managers; canceled while it holds tasks unless `force=true`)."""

    rules = {"GET": READER, "PUT": MANAGER, "DELETE": Access.check_entity_delete}

    @extend_schema(tags=SHOT_TAGS, operation_id="get_shot", responses=OpenApiTypes.OBJECT)
    def get(self, request, shot_id):
        return Response(queries.full_shot(self.entity, client=self.access.reads_as_client(self.role)))

    @extend_schema(
        tags=SHOT_TAGS, request=input_serializer(REGISTRY["entities"], partial=True), responses=EntityRow
    )
    def put(self, request, shot_id):
        shot = self.entity
        values = shot_update_values(request)
        policy = REGISTRY["entities"]
        policy.check_unique_name(shot, values)
        fields = {policy.fields_by_column[column].name: value for column, value in values.items()}
        services.update_shot(shot, fields, request.user)
        return Response(as_entity(shot))

    @extend_schema(tags=SHOT_TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, shot_id):
        services.remove_shot(self.entity, user=request.user, force=force_asked(request))
        return Response(status=204)


class AllShotsView(KitsuView):
    """`GET /data/shots` (and `/data/shots/all`): the shots of a production (any for an admin),
    filtered by the query string's columns; `sequence_id` names a sequence's shots."""

    @extend_schema(
        tags=SHOT_TAGS,
        parameters=[PROJECT_PARAMETER, OpenApiParameter("sequence_id", OpenApiTypes.UUID), UPDATED_SINCE],
        responses={200: or_delta(OBJECT_LIST)},
    )
    def get(self, request):
        access, criteria, project_id, role = list_scope(request, parent=("sequence_id", "Sequence"))
        window = delta_window(request)
        rows = queries.list_shots(
            criteria, access.vendor_assignee(role), access.vendor_departments(role), window=window
        )
        if window is not None:
            return Response(entity_list(window, rows, project_scope(access, project_id)))
        return Response(rows)


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
            UPDATED_SINCE,
        ],
        responses={200: board(with_delta=True), 304: None},
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
            assigned_person=access.vendor_assignee(role),
        )
        etag, delta = None, None
        board.window = delta_window(request)
        if board.window is not None:
            board.scope, board.person = project_scope(access, project_id), access.person
            narrowed = board.episode_id is not None or board.assigned_person is not None or board.shot_id
            whole = queries.ShotBoardCriteria(project_id=project_id, window=board.window, scope=board.scope)
            whole.person = access.person
            left = (whole.shots(), board.shots()) if narrowed else (None, None)
            delta = board_delta(board.window, Entity, board.scope, *left)
        elif project_id is not None:
            etag = board_etag(
                board_fingerprint(project_id, access.person), access, role, criteria, departments
            )
            if etag_matches(request, etag):
                return not_modified(etag)
        rows = queries.shots_with_tasks(
            board,
            access.person,
            client=access.reads_as_client(role),
            vendor_departments=departments,
            compact=compact,
        )
        return board_response(
            rows,
            etag,
            compact,
            stream,
            delta=delta,
            shot_fields=queries.SHOTS_AND_TASKS_SHOT_FIELDS,
            task_fields=queries.SHOTS_AND_TASKS_TASK_FIELDS,
        )


class ShotAssetsView(ShotScopedView):
    """`GET /data/shots/{shot_id}/assets`: the assets cast in the shot."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, shot_id):
        return Response(cast_assets(self.entity.pk))


class ShotTaskTypesView(ShotScopedView):
    """`GET /data/shots/{shot_id}/task-types`: the types of the shot's tasks."""

    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, shot_id):
        return Response(entity_task_types(self.entity.pk))


class ShotTasksView(ShotScopedView):
    """`GET /data/shots/{shot_id}/tasks`: the shot's tasks with their names (a client reads
    their studio fields blank)."""

    @extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
    def get(self, request, shot_id):
        return Response(
            entity_tasks(self.entity.pk, relations_asked(request), self.access.reads_as_client(self.role))
        )


class ShotPreviewFilesView(ShotScopedView):
    """`GET /data/shots/{shot_id}/preview-files`: the shot's previews by task type."""

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, shot_id):
        return Response(entity_previews_by_task_type(self.entity.pk))


class ShotVersionsView(ShotScopedView):
    """`GET /data/shots/{shot_id}/versions`: the history of the shot's name and frame range."""

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, shot_id):
        return Response(queries.shot_versions(self.entity.pk))


class ProjectShotsView(ProjectScopedView):
    """`/data/projects/{project_id}/shots`: the production's shots (a vendor's, those they are
    assigned to); its managers create one (`shot:new`), or get the existing one of that name."""

    schema = ListSchema()  # its GET lists (a raw schema: rows or their delta)
    rules = {"GET": MEMBER, "POST": MANAGER}

    @extend_schema(tags=SHOT_TAGS, parameters=[UPDATED_SINCE], responses={200: ENTITY_ROWS})
    def get(self, request, project_id):
        window = delta_window(request)
        return Response(project_entity_rows(self.access, self.role, self.project, "Shot", window))

    @extend_schema(tags=SHOT_TAGS, request=NewShotBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body = validated(NewShotBody, request.data)
        sequence = parent_in_project(self.project, body["sequence_id"], "Sequence")
        shot, _ = services.create_shot(
            self.project,
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
