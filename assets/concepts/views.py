"""Routes of the `concepts` area: concepts (pictures an asset or a shot is designed from, linked
to what they show), their board with tasks, and the folders that sort them.

Access, as on the reference: concepts belong to their production's team (admins reach every
production), vendors and clients aside; a vendor reads one only when working on it. Folders are
created, renamed, deleted and filled by the production's supervisors and managers. A concept is
deleted by its creator or a manager.
"""

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets.boards import board_filter, check_id_criteria, criteria_project_access
from assets.concepts import queries, services
from assets.models import Entity
from assets.queries import entity_task_types
from assets.serializers import (
    BOARD_PARAMETERS,
    FORCE_PARAMETER,
    RELATIONS_PARAMETER,
    EntityRow,
    TaskRow,
    TaskTypeRow,
)
from assets.services import remove_entity
from assets.typed_entities import BoardFilter, listed_entities, project_entities, render_typed
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_bool
from kitsu_server.api.requests import list_criteria, relations_asked, validated
from kitsu_server.api.schema import ROWS
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.lookups import entity_or_404
from kitsu_server.core.scoped import SUPERVISOR, EntityScopedView, ProjectScopedView
from tasks.boards import entity_previews_by_task_type, entity_tasks

TAGS = ["concepts"]


# --- request bodies ----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.OBJECT)
class ConceptLinkField(serializers.Field):
    """An entity a new concept links to: `{"id": ...}` as Kitsu sends it, or the bare id."""

    default_error_messages = {"invalid": "Each concept link must be an entity id or an object with an id."}

    def to_internal_value(self, data):
        value = data.get("id") if isinstance(data, dict) else data
        try:
            return serializers.UUIDField().to_internal_value(value)
        except serializers.ValidationError:
            self.fail("invalid")

    def to_representation(self, value):
        return {"id": str(value)}


class NewConceptSerializer(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=160)
    data = serializers.DictField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)
    entity_concept_links = serializers.ListField(child=ConceptLinkField(), required=False, default=list)
    parent_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class ConceptFolderSerializer(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=160)


class MoveConceptsSerializer(serializers.Serializer):
    concept_ids = serializers.ListField(child=serializers.UUIDField())
    concept_folder_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class ConceptScopedView(EntityScopedView):
    """The concept of `<concept_id>`: whoever reads it, clients aside, unless a method says more."""

    kind = "Concept"
    url_kwarg = "concept_id"
    rules = {"GET": Access.check_concept_read}


# --- concepts ------------------------------------------------------------------------------------


class ConceptsView(KitsuView):
    """`GET /data/concepts`: concepts filtered by the query string's columns, each with its
    production's name (non-admins must name a production of their team)."""

    @extend_schema(
        tags=TAGS, operation_id="list_concepts", parameters=BOARD_PARAMETERS, responses={200: ROWS}
    )
    def get(self, request):
        criteria = list_criteria(request)
        access_for(request).check_studio_role(criteria_project_access(request, criteria))
        return Response(listed_entities("Concept", criteria, request.user))


class ConceptsWithTasksView(KitsuView):
    """`GET /data/concepts/with-tasks`: the concept board, each concept with its tasks and the
    ids its concept links point at."""

    @extend_schema(tags=TAGS, parameters=BOARD_PARAMETERS, responses={200: ROWS})
    def get(self, request):
        criteria = list_criteria(request)
        check_id_criteria(criteria, ("id", "project_id"))
        access_for(request).check_studio_role(criteria_project_access(request, criteria))
        board = board_filter({key: value for key, value in criteria.items() if key != "episode_id"})
        return Response(queries.concepts_with_tasks(board, request.user))


class ConceptView(ConceptScopedView):
    """`GET /data/concepts/{concept_id}`: the concept with its tasks and relations. `DELETE`: its
    creator or a manager removes it (canceled while it holds tasks, unless `force=true`)."""

    rules = {"GET": Access.check_concept_read, "DELETE": Access.check_entity_delete}

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, concept_id):
        [data] = queries.concepts_with_tasks(BoardFilter(entity_id=self.entity.pk), request.user)
        data.update(REGISTRY["entities"].render(self.entity, relations=True))
        return Response(data)

    @extend_schema(tags=TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, concept_id):
        force = parse_bool(request.query_params.get("force", "false"))
        remove_entity(self.entity, force=force, user=request.user)
        return Response(status=204)


class ConceptTaskTypesView(ConceptScopedView):
    """`GET /data/concepts/{concept_id}/task-types`: the types of its tasks."""

    @extend_schema(tags=TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, concept_id):
        return Response(entity_task_types(self.entity.pk))


class ConceptTasksView(ConceptScopedView):
    """`GET /data/concepts/{concept_id}/tasks`: its tasks with their names (`relations=true`: and
    their assignees)."""

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=TaskRow(many=True))
    def get(self, request, concept_id):
        return Response(entity_tasks(self.entity.pk, relations=relations_asked(request)))


class ConceptPreviewFilesView(ConceptScopedView):
    """`GET /data/concepts/{concept_id}/preview-files`: {task type id: the previews of its task
    of that type}."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, concept_id):
        return Response(entity_previews_by_task_type(self.entity.pk))


class ProjectConceptsView(ProjectScopedView):
    """`GET /data/projects/{project_id}/concepts`: the production's concepts. `POST` {name, data,
    description, entity_concept_links, parent_id}: its team (vendors and clients aside) adds one
    (the one of that name when it exists already)."""

    rules = {"GET": Access.check_concept_team, "POST": Access.check_concept_team}

    @extend_schema(tags=TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        return Response(project_entities(self.project.pk, "Concept"))

    @extend_schema(tags=TAGS, request=NewConceptSerializer, responses={201: EntityRow})
    def post(self, request, project_id):
        body = validated(NewConceptSerializer, request.data)
        folder = None
        if body["parent_id"] is not None:
            folder = entity_or_404(body["parent_id"], "ConceptFolder")
            if folder.project_id != self.project.pk:
                raise NotFound("ConceptFolder not found.")
        concept, _ = services.create_concept(
            self.project.pk,
            body["name"],
            data=body["data"],
            description=body["description"],
            linked_ids=body["entity_concept_links"],
            folder=folder,
            user=request.user,
        )
        return Response(render_typed(concept, "Concept"), status=201)


# --- concept folders -------------------------------------------------------------------------------


class ProjectConceptFoldersView(ProjectScopedView):
    """`GET /data/projects/{project_id}/concept-folders`: the production's concept folders, by
    name. `POST` {name}: its supervisors add one (the one of that name when it exists)."""

    rules = {"GET": Access.check_concept_team, "POST": SUPERVISOR}

    @extend_schema(tags=TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        return Response(project_entities(self.project.pk, "ConceptFolder"))

    @extend_schema(tags=TAGS, request=ConceptFolderSerializer, responses={201: EntityRow})
    def post(self, request, project_id):
        body = validated(ConceptFolderSerializer, request.data)
        folder, _ = services.create_concept_folder(self.project.pk, body["name"], user=request.user)
        return Response(render_typed(folder, "ConceptFolder"), status=201)


class ConceptFolderView(EntityScopedView):
    """`PUT /data/concept-folders/{concept_folder_id}` {name}: its production's supervisors rename
    it. `DELETE`: they remove it, its concepts going back to the root of the production."""

    kind = "ConceptFolder"
    url_kwarg = "concept_folder_id"
    rules = {"PUT": SUPERVISOR, "DELETE": SUPERVISOR}

    @extend_schema(tags=TAGS, request=ConceptFolderSerializer, responses=EntityRow)
    def put(self, request, concept_folder_id):
        body = validated(ConceptFolderSerializer, request.data)
        folder = services.rename_concept_folder(self.entity, body["name"], user=request.user)
        return Response(render_typed(folder, "ConceptFolder"))

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, concept_folder_id):
        services.remove_concept_folder(self.entity, user=request.user)
        return Response(status=204)


class MoveConceptsView(ProjectScopedView):
    """`POST /actions/projects/{project_id}/move-concepts` {concept_ids, concept_folder_id}: the
    production's supervisors put concepts in a folder (at the root without one); answers the ids
    of the concepts moved (others are skipped)."""

    rules = {"POST": SUPERVISOR}

    @extend_schema(
        tags=["actions/projects"],
        request=MoveConceptsSerializer,
        responses={200: build_array_type(build_basic_type(OpenApiTypes.UUID))},
    )
    def post(self, request, project_id):
        body = validated(MoveConceptsSerializer, request.data)
        folder = None
        if body["concept_folder_id"] is not None:
            folder = Entity.objects.filter(
                pk=body["concept_folder_id"], project_id=self.project.pk, entity_type__name="ConceptFolder"
            ).first()
            if folder is None:
                raise NotFound("ConceptFolder not found.")
        return Response(
            services.move_concepts(self.project.pk, body["concept_ids"], folder, user=request.user)
        )
