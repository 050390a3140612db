"""Routes of the `assets` area: thin views that parse, check access the reference's way, and call
one query (assets.queries) or one service (assets.services). The pages of any entity are the
`entities` area (assets.entities).

Access, as on the reference: reading an asset needs its production (admins, or its team) and,
for a vendor (by their role on that production), a task on it; writing needs the
production's managers, save for a few creator and team rules named on each view. Lists that take
a production from the query string check it the same way, and a vendor only lists what they are
assigned to.
"""

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets import queries, services
from assets.models import Entity
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_bool, parse_uuid
from kitsu_server.api.requests import json_list, list_criteria, validated
from kitsu_server.api.responses import board_etag, board_response, etag_matches, not_modified
from kitsu_server.api.schema import ROWS, UPDATED_SINCE, ListSchema, board, component, or_delta, rows
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.delta import delta_window, entity_list, project_scope
from kitsu_server.core.lookups import (
    asset_type_or_404,
    entity_or_404,
    listed_project_role,
)
from kitsu_server.core.scoped import MANAGER, MEMBER, READER, EntityScopedView, ProjectScopedView
from tasks.boards import board_delta, entity_tasks

ASSET_TAGS = ["assets"]
UUID_LIST = build_array_type(build_basic_type(OpenApiTypes.UUID))
ENTITY_TAGS = ["entities"]
EPISODE_SENTINELS = ("main", "all")

Asset = output_serializer(REGISTRY["entities"])
AssetType = output_serializer(REGISTRY["entity-types"])
AssetInstance = output_serializer(REGISTRY["asset-instances"])
TaskRow = output_serializer(REGISTRY["tasks"])
TaskTypeRow = output_serializer(REGISTRY["task-types"])
TimeSpentRow = output_serializer(REGISTRY["time-spents"])

FORCE_PARAMETER = OpenApiParameter(
    "force", bool, description="Delete for real (with everything hanging off) instead of canceling"
)
RELATIONS_PARAMETER = OpenApiParameter("relations", bool, description="Add the assignees of each task")
LIST_PARAMETERS = [
    OpenApiParameter("project_id", OpenApiTypes.UUID, description="Only the assets of this production"),
    OpenApiParameter("episode_id", str, description="An episode's own assets and those cast in it"),
    OpenApiParameter("assigned_to", str, description="Only the assets holding a task assigned to the caller"),
]


# --- request bodies ----------------------------------------------------------------------


# The asset lists: rows, or asked with `updated_since`, their delta.
ASSET_ROWS = or_delta(rows(component(Asset)), component(Asset))


class NewAssetSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default="")
    data = serializers.DictField(required=False, allow_null=True, default=dict)
    is_shared = serializers.BooleanField(required=False, allow_null=True, default=False)
    episode_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class CastingEntrySerializer(serializers.Serializer):
    asset_id = serializers.UUIDField()
    nb_occurences = serializers.IntegerField(min_value=0, default=1)
    label = serializers.CharField(max_length=80, allow_blank=True, default="")


class CastingLinkSerializer(serializers.Serializer):
    asset_id = serializers.UUIDField()
    asset_name = serializers.CharField()
    asset_type_name = serializers.CharField()
    ready_for = serializers.UUIDField(allow_null=True)
    episode_id = serializers.UUIDField(allow_null=True)
    preview_file_id = serializers.UUIDField(allow_null=True)
    nb_occurences = serializers.IntegerField()
    label = serializers.CharField(allow_null=True)
    is_shared = serializers.BooleanField()
    project_id = serializers.UUIDField()


class AssetInstanceRequestSerializer(serializers.Serializer):
    asset_to_instantiate_id = serializers.UUIDField()
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)


class SharedAssetsSerializer(serializers.Serializer):
    is_shared = serializers.BooleanField(required=False, default=True)
    asset_ids = serializers.ListField(child=serializers.UUIDField(), required=False, allow_null=True)


# --- shared lookups and checks -------------------------------------------------------------


class AssetScopedView(EntityScopedView):
    """The asset of `<asset_id>`: read by whoever reads it (a vendor: one they work on)."""

    kind = "Asset"
    url_kwarg = "asset_id"
    rules = {"GET": READER}


def check_criteria_access(access, criteria):
    """The production the criteria name (directly or through their episode), checked as the
    reference does: a team member's (404 when absent), anyone's for an admin. Returns its id
    when one is named, so that the caller's role on it applies."""
    if "project_id" in criteria:
        project_id = parse_uuid(criteria["project_id"], f"Invalid UUID value: {criteria['project_id']}")
        listed_project_role(access, project_id)
        return project_id
    if "episode_id" in criteria:
        if criteria["episode_id"] in EPISODE_SENTINELS:
            raise NotFound("Episode not found.")
        episode = entity_or_404(criteria["episode_id"], "Episode")
        access.check_project_access(episode.project_id)
        return episode.project_id
    return None


def scope_to_vendor(access, role, criteria):
    """A vendor lists only what they are assigned to, and only the custom fields of their
    departments: returns those departments (None for anyone else)."""
    departments = access.vendor_departments(role)
    if departments is not None:
        criteria["assigned_to"] = str(access.person.pk)
    return departments


# --- asset types ---------------------------------------------------------------------------


class AssetTypesView(KitsuView):
    """`GET /data/asset-types`: every asset type, with the task types of its workflow."""

    @extend_schema(tags=ASSET_TAGS, responses=AssetType(many=True))
    def get(self, request):
        return Response(queries.asset_types(list_criteria(request)))


class AssetTypeView(KitsuView):
    @extend_schema(tags=ASSET_TAGS, responses=AssetType)
    def get(self, request, asset_type_id):
        return Response(queries.asset_type(asset_type_or_404(asset_type_id)))


class ProjectAssetTypesView(ProjectScopedView):
    """`GET /data/projects/{project_id}/asset-types`: the types of the production's assets."""

    rules = {"GET": MEMBER}

    @extend_schema(tags=ASSET_TAGS, responses=AssetType(many=True))
    def get(self, request, project_id):
        return Response(queries.project_asset_types(self.project.pk))


class ShotAssetTypesView(EntityScopedView):
    """`GET /data/shots/{shot_id}/asset-types`: the types of the assets cast in the shot (its
    production's team)."""

    kind = "Shot"
    url_kwarg = "shot_id"
    rules = {"GET": MEMBER}

    @extend_schema(tags=ASSET_TAGS, responses=AssetType(many=True))
    def get(self, request, shot_id):
        return Response(queries.shot_asset_types(self.entity))


# --- asset lists ---------------------------------------------------------------------------


class AllAssetsView(KitsuView):
    """`GET /data/assets` (and `/data/assets/all`): the assets of the caller's productions
    (every one for an admin), filtered by the query string's columns."""

    schema = ListSchema()

    @extend_schema(tags=ASSET_TAGS, parameters=[*LIST_PARAMETERS, UPDATED_SINCE], responses={200: ASSET_ROWS})
    def get(self, request):
        access = access_for(request)
        criteria = list_criteria(request)
        project_id = check_criteria_access(access, criteria)
        departments = scope_to_vendor(access, access.project_role(project_id), criteria)
        window = delta_window(request)
        rows = queries.list_assets(
            criteria,
            access.person,
            only_team_projects=not access.is_admin,
            vendor_departments=departments,
            window=window,
        )
        if window is not None:
            return Response(entity_list(window, rows, project_scope(access, project_id)))
        return Response(rows)


class AssetsWithTasksView(KitsuView):
    """`GET /data/assets/with-tasks`: the asset board, each asset with its tasks. `compact=true`
    sends rows of values under a header naming the fields, `stream=true` sends NDJSON (the
    header, then one asset a line). A production's board carries an ETag: a client holding the
    current one gets a 304."""

    @extend_schema(
        tags=ASSET_TAGS,
        parameters=[
            *LIST_PARAMETERS,
            OpenApiParameter("id", OpenApiTypes.UUID, description="Only this asset"),
            OpenApiParameter("compact", bool, description="Rows of values under a header of field names"),
            OpenApiParameter("stream", bool, description="NDJSON: the header, then one asset a line"),
            UPDATED_SINCE,
        ],
        responses={200: board(with_delta=True), 304: None},
    )
    def get(self, request):
        access = access_for(request)
        criteria = list_criteria(request)
        stream = criteria.pop("stream", "false") == "true"
        compact = criteria.pop("compact", "false") == "true"
        for name in ("id", "project_id", "episode_id"):
            value = criteria.get(name)
            if value is not None and not (name == "episode_id" and value in EPISODE_SENTINELS):
                parse_uuid(value, f"Invalid UUID format for {name}: {value}")
        project_id = check_criteria_access(access, criteria)
        role = access.project_role(project_id)
        departments = scope_to_vendor(access, role, criteria)
        board = queries.BoardCriteria(
            asset_id=parse_uuid(criteria["id"], "Invalid UUID format for id.") if "id" in criteria else None,
            project_id=project_id if "project_id" in criteria else None,
            episode_id=self.episode(criteria.get("episode_id")),
            assigned="assigned_to" in criteria,
        )
        etag, delta = None, None
        board.window = delta_window(request)
        if board.window is not None:
            board.scope = project_scope(access, board.project_id)
            delta = board_delta(board.window, Entity, board.scope, *self.left_board(board, access))
        elif board.project_id is not None:
            fingerprint = queries.board_fingerprint(board.project_id, access.person)
            etag = board_etag(fingerprint, access, role, criteria, departments)
            if etag_matches(request, etag):
                return not_modified(etag)
        rows = queries.assets_with_tasks(
            board,
            access.person,
            only_team_projects=not access.is_admin,
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
            asset_fields=queries.ASSETS_AND_TASKS_ASSET_FIELDS,
            task_fields=queries.ASSETS_AND_TASKS_TASK_FIELDS,
        )

    @staticmethod
    def left_board(board, access):
        """(changed on the whole board, changed on this one) of a narrowed board's delta."""
        if board.episode_id is None and not board.assigned and board.asset_id is None:
            return None, None
        whole = queries.BoardCriteria(project_id=board.project_id, window=board.window, scope=board.scope)
        only_team = not access.is_admin
        return (
            queries.board_assets(whole, access.person, only_team),
            queries.board_assets(board, access.person, only_team),
        )

    @staticmethod
    def episode(value):
        if value is None or value in EPISODE_SENTINELS:
            return value
        return parse_uuid(value, f"Invalid UUID format for episode_id: {value}")


class ProjectAssetsView(ProjectScopedView):
    """`GET /data/projects/{project_id}/assets`: the production's assets (filtered by the query
    string's columns; a vendor's only those they are assigned to)."""

    schema = ListSchema()  # its GET lists (a raw schema: rows or their delta)
    rules = {"GET": MEMBER}

    @extend_schema(
        tags=ASSET_TAGS, parameters=[*LIST_PARAMETERS[1:], UPDATED_SINCE], responses={200: ASSET_ROWS}
    )
    def get(self, request, project_id, asset_type_id=None):
        criteria = list_criteria(request)
        criteria["project_id"] = str(self.project.pk)
        if asset_type_id is not None:
            criteria["entity_type_id"] = str(parse_uuid(asset_type_id, f"Malformed ID: {asset_type_id}."))
        departments = scope_to_vendor(self.access, self.role, criteria)
        window = delta_window(request)
        rows = queries.list_assets(
            criteria, self.access.person, vendor_departments=departments, window=window
        )
        if window is not None:
            return Response(entity_list(window, rows, [self.project.pk]))
        return Response(rows)


class ProjectAssetTypeAssetsView(ProjectAssetsView):
    """`GET /data/projects/{project_id}/asset-types/{asset_type_id}/assets`."""

    @extend_schema(
        tags=ASSET_TAGS, parameters=[*LIST_PARAMETERS[1:], UPDATED_SINCE], responses={200: ASSET_ROWS}
    )
    def get(self, request, project_id, asset_type_id):
        return super().get(request, project_id, asset_type_id)


class ProjectAssetsSharedUsedView(ProjectScopedView):
    """`GET /data/projects/{project_id}/assets/shared-used`: shared assets of other productions
    cast in this one's shots."""

    rules = {"GET": MEMBER}

    @extend_schema(tags=ASSET_TAGS, responses=Asset(many=True))
    def get(self, request, project_id):
        return Response(queries.shared_assets_used_in_project(self.project.pk))


class ProjectEpisodeAssetsSharedUsedView(ProjectScopedView):
    """`GET /data/projects/{project_id}/episodes/{episode_id}/assets/shared-used`: the same, in
    the shots of one episode ("main" and "all": every shot)."""

    rules = {"GET": MEMBER}

    @extend_schema(tags=ASSET_TAGS, responses=Asset(many=True))
    def get(self, request, project_id, episode_id):
        project = self.project
        if episode_id in EPISODE_SENTINELS:
            episode_id = None
        else:
            episode_id = parse_uuid(episode_id, f"Malformed ID: {episode_id}.")
        return Response(queries.shared_assets_used_in_project(project.pk, episode_id))


# --- one asset -----------------------------------------------------------------------------


class AssetView(AssetScopedView):
    """`GET /data/assets/{asset_id}`: the asset with its production and type names, tasks and
    episodes. `DELETE`: by its creator or a manager of its production; an asset holding tasks is
    canceled unless `force=true`."""

    rules = {"GET": READER, "DELETE": Access.check_entity_delete}

    @extend_schema(tags=ASSET_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, asset_id):
        return Response(
            queries.full_asset(self.entity, request.user, client=self.access.reads_as_client(self.role))
        )

    @extend_schema(tags=ASSET_TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, asset_id):
        force = request.query_params.get("force", "false").lower() == "true"
        services.remove_entity(self.entity, force=force, user=request.user)
        return Response(status=204)


class NewAssetView(ProjectScopedView):
    """`POST /data/projects/{project_id}/asset-types/{asset_type_id}/assets/new`: the
    production's managers create an asset (`asset:new`), or get the existing one of that type and
    name, as the creation routes of shots, sequences, episodes, edits and concepts do."""

    rules = {"POST": MANAGER}

    @extend_schema(tags=ASSET_TAGS, request=NewAssetSerializer, responses={201: Asset})
    def post(self, request, project_id, asset_type_id):
        project = self.project
        body = validated(NewAssetSerializer, request.data)
        asset_type = asset_type_or_404(asset_type_id)
        episode_id = body["episode_id"]
        if episode_id is not None and not Entity.objects.filter(pk=episode_id).exists():
            raise WrongParameter(f"episode_id refers to no entity: {episode_id}.")
        asset, _ = services.create_asset(
            project,
            asset_type,
            name=body["name"],
            description=body["description"],
            data=body["data"],
            is_shared=bool(body["is_shared"]),
            episode_id=episode_id,
            user=request.user,
        )
        return Response(REGISTRY["entities"].render(asset, relations=False), status=201)


class AssetAssetsView(AssetScopedView):
    """`GET /data/assets/{asset_id}/assets`: the assets it casts (set dressing)."""

    @extend_schema(tags=ASSET_TAGS, responses=Asset(many=True))
    def get(self, request, asset_id):
        return Response(queries.cast_assets(self.entity.pk))


class AssetCastInView(AssetScopedView):
    """`GET /data/assets/{asset_id}/cast-in`: the shots and assets casting it."""

    @extend_schema(tags=ASSET_TAGS, responses={200: ROWS})
    def get(self, request, asset_id):
        return Response(queries.cast_in(self.entity.pk))


class AssetCastingView(AssetScopedView):
    """`GET /data/assets/{asset_id}/casting`: what the asset casts. `PUT`: its production's
    managers replace it with a list of {asset_id, nb_occurences, label}."""

    rules = {"GET": READER, "PUT": MANAGER}

    @extend_schema(tags=ASSET_TAGS, responses=CastingLinkSerializer(many=True))
    def get(self, request, asset_id):
        return Response(queries.casting(self.entity.pk))

    @extend_schema(
        tags=ASSET_TAGS,
        request=CastingEntrySerializer(many=True),
        responses=CastingEntrySerializer(many=True),
    )
    def put(self, request, asset_id):
        entries = validated(CastingEntrySerializer, json_list(request), many=True)
        return Response(services.update_asset_casting(self.entity, entries, user=request.user))


class AssetInstancesView(AssetScopedView):
    """The instances of an asset, grouped; whoever reaches its production reads them."""

    rules = {"GET": MEMBER, "POST": MEMBER}
    group = None

    def get(self, request, asset_id):
        return Response(type(self).group(self.entity.pk))


class AssetShotAssetInstancesView(AssetInstancesView):
    """`GET /data/assets/{asset_id}/shot-asset-instances`: {shot id: [its instances there]}."""

    group = staticmethod(queries.shot_instances_of_asset)

    @extend_schema(tags=ASSET_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, asset_id):
        return super().get(request, asset_id)


class AssetSceneAssetInstancesView(AssetInstancesView):
    """`GET /data/assets/{asset_id}/scene-asset-instances`: {scene id: [its instances there]}."""

    group = staticmethod(queries.scene_instances_of_asset)

    @extend_schema(tags=ASSET_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, asset_id):
        return super().get(request, asset_id)


class AssetAssetInstancesView(AssetInstancesView):
    """`GET /data/assets/{asset_id}/asset-asset-instances`: {instantiated asset id: [its
    instances inside this asset]}. `POST` adds one (`asset_instance:new`)."""

    group = staticmethod(queries.instances_in_asset)

    @extend_schema(tags=ASSET_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, asset_id):
        return super().get(request, asset_id)

    @extend_schema(tags=ASSET_TAGS, request=AssetInstanceRequestSerializer, responses={201: AssetInstance})
    def post(self, request, asset_id):
        asset = self.entity
        body = validated(AssetInstanceRequestSerializer, request.data)
        instantiated = Entity.objects.filter(pk=body["asset_to_instantiate_id"]).first()
        if instantiated is None:
            raise NotFound("Asset not found.")
        instance = services.add_asset_instance(asset, instantiated, body["description"], user=request.user)
        return Response(REGISTRY["asset-instances"].render(instance, relations=False), status=201)


class AssetTasksView(AssetScopedView):
    """`GET /data/assets/{asset_id}/tasks`: its tasks with their names (`relations=true`: and
    assignees); a client reads their studio fields blank."""

    @extend_schema(tags=ASSET_TAGS, parameters=[RELATIONS_PARAMETER], responses=TaskRow(many=True))
    def get(self, request, asset_id):
        relations = parse_bool(request.query_params.get("relations", "false"))
        return Response(
            entity_tasks(self.entity.pk, relations=relations, client=self.access.reads_as_client(self.role))
        )


class AssetTaskTypesView(AssetScopedView):
    """`GET /data/assets/{asset_id}/task-types`: the types of its tasks."""

    @extend_schema(tags=ASSET_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, asset_id):
        return Response(queries.entity_task_types(self.entity.pk))


# --- sharing -------------------------------------------------------------------------------


class SetSharedAssetsView(KitsuView):
    """`POST /actions/assets/share`: the managers of the assets' productions share (or stop
    sharing, `is_shared: false`) the listed assets."""

    @extend_schema(tags=ASSET_TAGS, request=SharedAssetsSerializer, responses=Asset(many=True))
    def post(self, request):
        body = validated(SharedAssetsSerializer, request.data)
        asset_ids = body.get("asset_ids") or []
        found = dict(queries.all_assets().filter(pk__in=asset_ids).values_list("pk", "project_id"))
        if any(asset_id not in found for asset_id in asset_ids):
            raise NotFound("Asset not found.")
        access = access_for(request)
        for project_id in set(found.values()):
            access.check_manager(project_id)
        return Response(
            queries.render_assets(services.set_shared_assets(body["is_shared"], asset_ids=asset_ids))
        )


class SetSharedProjectAssetsView(ProjectScopedView):
    """`POST /actions/projects/{project_id}/assets/share`: the production's managers share the
    listed assets of it (all of them without a list)."""

    rules = {"POST": MANAGER}

    @extend_schema(tags=ASSET_TAGS, request=SharedAssetsSerializer, responses=Asset(many=True))
    def post(self, request, project_id):
        project = self.project
        body = validated(SharedAssetsSerializer, request.data)
        queryset = services.set_shared_assets(
            body["is_shared"], project_id=project.pk, asset_ids=body.get("asset_ids") or None
        )
        return Response(queries.render_assets(queryset))


class SetSharedProjectAssetTypeAssetsView(ProjectScopedView):
    """`POST /actions/projects/{project_id}/asset-types/{asset_type_id}/assets/share`: the
    production's managers share all its assets of one type."""

    rules = {"POST": MANAGER}

    @extend_schema(tags=ASSET_TAGS, request=SharedAssetsSerializer, responses=Asset(many=True))
    def post(self, request, project_id, asset_type_id):
        project = self.project
        asset_type_id = parse_uuid(asset_type_id, f"Malformed ID: {asset_type_id}.")
        body = validated(SharedAssetsSerializer, request.data)
        queryset = services.set_shared_assets(
            body["is_shared"], project_id=project.pk, asset_type_id=asset_type_id
        )
        return Response(queries.render_assets(queryset))
