"""Routes of the `breakdown` area: castings (what a shot, an episode or an asset casts, read one
by one or production-wide, written one entity, several entities or one asset at a time), the
entity links of a production, and the asset instances of scenes and shots.

Access, as on the reference: reading a production's castings needs its team (admins reach every
production) and is refused to vendors; writing them needs its managers. Asset instances need
the production of their scene or shot.
"""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from assets.breakdown import queries, services
from assets.models import AssetInstance, Entity, EntityLink
from assets.queries import asset_or_404
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import harden
from kitsu_server.api.params import parse_int, parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE, ROWS, rows_or_page
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import asset_type_or_404, entity_or_404, object_or_404
from kitsu_server.core.scoped import MEMBER, READER, EntityScopedView
from productions.models import Project

TAGS = ["breakdown"]
AssetInstanceRow = output_serializer(REGISTRY["asset-instances"])
EntityLinkRow = output_serializer(REGISTRY["entity-links"])
EntityRow = output_serializer(REGISTRY["entities"])


# --- request and response bodies ------------------------------------------------------------


class BreakdownCastingEntrySerializer(serializers.Serializer):
    asset_id = serializers.UUIDField()
    nb_occurences = serializers.IntegerField(allow_null=True)
    label = serializers.CharField(max_length=80, required=False, allow_null=True, allow_blank=True)


class CastAssetSerializer(serializers.Serializer):
    entity_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    nb_occurences = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    label = serializers.CharField(
        max_length=80, required=False, allow_null=True, allow_blank=True, default=None
    )


class CastAssetRowSerializer(serializers.Serializer):
    asset_id = serializers.UUIDField()
    asset_name = serializers.CharField()
    asset_type_name = serializers.CharField()
    ready_for = serializers.UUIDField(allow_null=True)
    episode_id = serializers.UUIDField(allow_null=True)
    preview_file_id = serializers.UUIDField(allow_null=True)
    nb_occurences = serializers.IntegerField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    is_shared = serializers.BooleanField()
    project_id = serializers.UUIDField()


class SceneAssetInstanceSerializer(serializers.Serializer):
    asset_id = serializers.UUIDField()
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)


class ShotAssetInstanceSerializer(serializers.Serializer):
    asset_instance_id = serializers.UUIDField()


def casting_entries(body):
    """A casting as sent (a JSON array of {asset_id, nb_occurences, label}) as CastEntry values.
    An entry lacking `asset_id` or `nb_occurences` is kept as sent and skipped (None, or
    incomplete), as the reference does; a malformed one is a 400."""
    entries = []
    for index, item in enumerate(body):
        if not isinstance(item, dict):
            raise WrongParameter(f"Casting entry {index} must be a JSON object.")
        if "asset_id" not in item:
            entries.append(None)
            continue
        complete = "nb_occurences" in item
        serializer = harden(BreakdownCastingEntrySerializer(data={"nb_occurences": None, **item}))
        if not serializer.is_valid():
            problems = "; ".join(f"{name}: {errors[0]}" for name, errors in serializer.errors.items())
            raise WrongParameter(f"Casting entry {index}: {problems}")
        values = serializer.validated_data
        entries.append(
            services.CastEntry(values["asset_id"], values["nb_occurences"], values.get("label", ""), complete)
        )
    return entries


def json_array(request):
    if not isinstance(request.data, list):
        raise WrongParameter("Request body must be a JSON array")
    return request.data


# --- who may read and write -------------------------------------------------------------------


def check_project_access(request, project_id):
    """The production of the URL as the reference checks it: admins pass, anyone else must be in
    its team (a 404 when it doesn't exist). Returns its id."""
    access = access_for(request)
    project_id = parse_uuid(project_id, f"Malformed ID: {project_id}.")
    if not access.is_admin:
        object_or_404(Project, project_id)
        access.check_project_access(project_id)
    return project_id


def casting_reader(request, project_id):
    """A production whose castings the caller reads: its team but vendors."""
    project_id = check_project_access(request, project_id)
    access = access_for(request)
    access.check_not_vendor(access.project_role(project_id))
    return project_id


def casting_writer(request, project_id):
    """A production whose castings the caller writes: its managers."""
    project_id = parse_uuid(project_id, f"Malformed ID: {project_id}.")
    access = access_for(request)
    if not access.is_admin:
        object_or_404(Project, project_id)
    access.check_manager(project_id)
    return project_id


def targets_in_project(entity_ids, project_id):
    """The casting targets of `entity_ids`: a 404 when one doesn't exist, a 403 when one belongs
    to another production (before anything is written)."""
    targets = services.casting_targets(entity_ids)
    for entity_id in entity_ids:
        target = targets.get(entity_id)
        if target is None:
            raise NotFound("Entity not found.")
        if target.project_id != project_id:
            raise PermissionDenied
    return [targets[entity_id] for entity_id in entity_ids]


# --- castings ----------------------------------------------------------------------------------


class EntityCastingView(KitsuView):
    """`GET /data/projects/{project_id}/entities/{entity_id}/casting`: what the entity casts
    (canceled assets aside). `PUT`: the production's managers replace it; the body comes back."""

    @extend_schema(tags=TAGS, responses=CastAssetRowSerializer(many=True))
    def get(self, request, project_id, entity_id):
        project_id = casting_reader(request, project_id)
        entity_id = parse_uuid(entity_id, f"Malformed ID: {entity_id}.")
        targets_in_project([entity_id], project_id)
        return Response(queries.castings_of([entity_id])[str(entity_id)])

    @extend_schema(tags=TAGS, request=BreakdownCastingEntrySerializer(many=True), responses={200: ROWS})
    def put(self, request, project_id, entity_id):
        project_id = casting_writer(request, project_id)
        entity_id = parse_uuid(entity_id, f"Malformed ID: {entity_id}.")
        [target] = targets_in_project([entity_id], project_id)
        body = json_array(request)
        entries = casting_entries(body)
        services.update_castings([(target, entries)], user=request.user)
        return Response(body)


class EntitiesCastingView(KitsuView):
    """`PUT /data/projects/{project_id}/entities/casting`: replace the casting of several
    entities of the production at once ({entity id: casting}); the body comes back."""

    @extend_schema(
        tags=TAGS,
        operation_id="update_project_entities_castings",
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
    )
    def put(self, request, project_id):
        project_id = casting_writer(request, project_id)
        body = request.data
        if not isinstance(body, dict) or not all(isinstance(casting, list) for casting in body.values()):
            raise WrongParameter("Request body must be a JSON object mapping entity ids to casting arrays")
        entity_ids = [parse_uuid(key, f"Malformed entity ID: {key}.") for key in body]
        targets = targets_in_project(entity_ids, project_id)
        castings = [
            (target, casting_entries(entries)) for target, entries in zip(targets, body.values(), strict=True)
        ]
        services.update_castings(castings, user=request.user)
        return Response(body)


class EntitiesAssetCastingView(KitsuView):
    """`PUT /data/projects/{project_id}/entities/casting/assets/{asset_id}`: cast one asset in
    several entities ({entity_ids, nb_occurences, label}; a count of 0 removes it, a missing
    count or label keeps the current one). Answers the new casting of each entity."""

    @extend_schema(tags=TAGS, request=CastAssetSerializer, responses=OpenApiTypes.OBJECT)
    def put(self, request, project_id, asset_id):
        project_id = casting_writer(request, project_id)
        asset = asset_or_404(asset_id)
        body = validated(CastAssetSerializer, request.data)
        entity_ids = list(dict.fromkeys(body["entity_ids"]))
        targets = targets_in_project(entity_ids, project_id)
        if body["nb_occurences"] == 0:
            services.uncast_asset(targets, asset.pk, user=request.user)
        else:
            services.cast_asset(targets, asset.pk, body["nb_occurences"], body["label"], user=request.user)
        return Response(queries.castings_of(entity_ids))


class AssetTypeCastingView(KitsuView):
    """`GET /data/projects/{project_id}/asset-types/{asset_type_id}/casting`: {asset id: what it
    casts} for the production's assets of that type."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id, asset_type_id):
        project_id = casting_reader(request, project_id)
        asset_type = asset_type_or_404(asset_type_id)
        return Response(queries.asset_type_casting(project_id, asset_type.pk))


class EpisodesCastingView(KitsuView):
    """`GET /data/projects/{project_id}/episodes/casting`: {episode id: its casting}."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id):
        project_id = casting_reader(request, project_id)
        return Response(queries.episodes_casting(project_id))


class SequenceCastingView(KitsuView):
    """`GET /data/projects/{project_id}/sequences/{sequence_id}/casting`: {shot id: its casting}
    for the shots of the sequence."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id, sequence_id):
        project_id = casting_reader(request, project_id)
        sequence = entity_or_404(sequence_id, "Sequence")
        if sequence.project_id != project_id:
            raise PermissionDenied
        return Response(queries.shots_casting(sequence_id=sequence.pk))


class SequencesCastingView(KitsuView):
    """`GET /data/projects/{project_id}/sequences/all/casting`: {shot id: its casting} for every
    shot of the production."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id):
        project_id = casting_reader(request, project_id)
        return Response(queries.shots_casting(project_id=project_id))


class EpisodeSequencesCastingView(KitsuView):
    """`GET /data/projects/{project_id}/episodes/{episode_id}/sequences/all/casting`: {shot id:
    its casting} for the shots of one episode ("main", the shots of no episode: none)."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id, episode_id):
        project_id = casting_reader(request, project_id)
        if episode_id == "main":
            return Response({})
        episode_id = parse_uuid(episode_id, f"Malformed ID: {episode_id}.")
        return Response(queries.shots_casting(project_id=project_id, episode_id=episode_id))


# --- entity links ------------------------------------------------------------------------------


class ProjectEntityLinksView(KitsuView):
    """`GET /data/projects/{project_id}/entity-links`: the production's casting links, oldest
    first, for its managers: `page` (and `limit`) for the reference's pages, `cursor_created_at`
    for the links created after a date, else a plain list (of at most `limit`)."""

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("page", PAGE_NUMBER, description="Page number: the reference's page envelope"),
            OpenApiParameter("limit", PAGE_SIZE, description="Links per page, or most links listed"),
            OpenApiParameter(
                "cursor_created_at",
                str,
                description="Only the links created after this date (with microseconds)",
            ),
        ],
        responses={200: rows_or_page()},
    )
    def get(self, request, project_id):
        project_id = casting_writer(request, project_id)
        object_or_404(Project, project_id)
        params = request.query_params
        page = parse_int(params, "page", -1)
        limit = parse_int(params, "limit", 0)
        cursor = params.get("cursor_created_at")
        if cursor is not None:
            cursor = parse_cursor(cursor)
        return Response(queries.project_entity_links(project_id, page, limit, cursor))


def parse_cursor(value):
    """The reference's cursor, `YYYY-MM-DDTHH:MM:SS.ffffff` in UTC, or a 400."""
    try:
        moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f")
    except ValueError:
        raise WrongParameter(
            f"Wrong date format for cursor_created_at: {value!r}. Expected YYYY-MM-DDTHH:MM:SS.ffffff."
        ) from None
    return moment.replace(tzinfo=datetime.UTC)


class ProjectEntityLinkView(KitsuView):
    """`DELETE /data/projects/{project_id}/entity-links/{entity_link_id}`: a manager removes one
    casting link (the casting rules apply, the episode's shots keep theirs); answers the link."""

    @extend_schema(tags=TAGS, responses=EntityLinkRow)
    def delete(self, request, project_id, entity_link_id):
        project_id = casting_writer(request, project_id)
        link = object_or_404(EntityLink, entity_link_id, name="Entity link")
        project_of_entity = (
            Entity.objects.filter(pk=link.entity_in_id).values_list("project_id", flat=True).first()
        )
        if project_of_entity != project_id:
            raise PermissionDenied
        data = REGISTRY["entity-links"].render(link, relations=False)
        services.remove_entity_link(link, user=request.user)
        return Response(data)


# --- asset instances ---------------------------------------------------------------------------


class SceneScopedView(EntityScopedView):
    """The scene of `<scene_id>`: read by whoever reads it (a vendor: one they work on), written
    by its production's team."""

    kind = "Scene"
    url_kwarg = "scene_id"
    rules = {"GET": READER, "POST": MEMBER}


class ShotScopedView(EntityScopedView):
    """The shot of `<shot_id>`: read by whoever reads it (a vendor: one they work on), written by
    its production's team."""

    kind = "Shot"
    url_kwarg = "shot_id"
    rules = {"GET": READER, "POST": MEMBER, "DELETE": MEMBER}


class SceneAssetInstancesView(SceneScopedView):
    """`GET /data/scenes/{scene_id}/asset-instances`: {asset id: its instances in the scene}.
    `POST` {asset_id, description}: a new instance of the asset there (`asset_instance:new`)."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, scene_id):
        return Response(queries.scene_asset_instances(self.entity.pk))

    @extend_schema(tags=TAGS, request=SceneAssetInstanceSerializer, responses={201: AssetInstanceRow})
    def post(self, request, scene_id):
        scene = self.entity
        body = validated(SceneAssetInstanceSerializer, request.data)
        asset = Entity.objects.filter(pk=body["asset_id"]).first()
        if asset is None:
            raise NotFound("Asset not found.")
        instance = services.add_asset_instance_to_scene(scene, asset, body["description"], user=request.user)
        return Response(REGISTRY["asset-instances"].render(instance, relations=False), status=201)


class SceneCameraInstancesView(SceneScopedView):
    """`GET /data/scenes/{scene_id}/camera-instances`: {camera asset id: its instances in the
    scene} (the "Camera" asset type is created on first use, as on the reference)."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, scene_id):
        camera = services.camera_type(user=request.user)
        return Response(queries.scene_asset_instances(self.entity.pk, asset_type_id=camera.pk))


class ShotAssetInstancesView(ShotScopedView):
    """`GET /data/shots/{shot_id}/asset-instances`: {asset id: its instances cast in the shot}.
    `POST` {asset_instance_id}: cast an instance in it; answers the shot."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, shot_id):
        return Response(queries.shot_asset_instances(self.entity.pk))

    @extend_schema(tags=TAGS, request=ShotAssetInstanceSerializer, responses={201: EntityRow})
    def post(self, request, shot_id):
        body = validated(ShotAssetInstanceSerializer, request.data)
        instance = AssetInstance.objects.filter(pk=body["asset_instance_id"]).first()
        if instance is None:
            raise NotFound("Asset instance not found.")
        shot = services.add_asset_instance_to_shot(self.entity, instance, user=request.user)
        return Response(render_plain_entity(shot), status=201)


def render_plain_entity(entity):
    """An entity as the reference's bare `serialize()` writes it: its columns, `type` "Entity"."""
    data = REGISTRY["entities"].render(entity, relations=False)
    data["type"] = "Entity"
    return data


class ShotAssetInstanceView(ShotScopedView):
    """`DELETE /data/shots/{shot_id}/asset-instances/{asset_instance_id}`: take an instance out of
    the shot's instance casting."""

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, shot_id, asset_instance_id):
        shot = self.entity
        instance = object_or_404(AssetInstance, asset_instance_id, name="Asset instance")
        if not shot.instance_casting.filter(pk=instance.pk).exists():
            raise NotFound("Asset instance not cast in this shot.")
        services.remove_asset_instance_from_shot(shot, instance, user=request.user)
        return Response(status=204)
