"""Routes of the `concepts` area: concepts (pictures an asset or a shot is designed from, linked
to what they show), their board with tasks, and the folders that sort them.

Access, as on the reference: concepts belong to their production's team (admins reach every
production), vendors and clients aside; a vendor reads one only when working on it. Folders are
created, renamed, deleted and filled by the production's supervisors and managers. A concept is
deleted by its creator or a manager.
"""

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from assets import breakdown_queries as queries
from assets import concept_queries
from assets import concept_services as services
from assets.models import Entity
from assets.queries import (
    entity_task_types,
)
from assets.services import remove_entity
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_bool, parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import ROWS
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import entity_or_404, project_or_404, team_project
from tasks.task_queries import (
    entity_previews_by_task_type,
    entity_tasks,
)

TAGS = ["concepts"]
EntityRow = output_serializer(REGISTRY["entities"])
TaskRow = output_serializer(REGISTRY["tasks"])
TaskTypeRow = output_serializer(REGISTRY["task-types"])
RELATIONS_PARAMETER = OpenApiParameter("relations", bool, description="Add the assignees of each task")
FORCE_PARAMETER = OpenApiParameter(
    "force", bool, description="Delete for real (with its tasks) instead of canceling it when it has tasks"
)
BOARD_PARAMETERS = [
    OpenApiParameter("project_id", OpenApiTypes.UUID, description="Only the entities of this production"),
    OpenApiParameter("id", OpenApiTypes.UUID, description="Only this entity"),
    OpenApiParameter(
        "assigned_to", str, description="Only the entities holding a task assigned to the caller"
    ),
]


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


# --- shared lookups and checks (the edits area uses them too) ----------------------------------


def list_criteria(request):
    """The query string as the reference's list criteria (`page` aside)."""
    return {key: value for key, value in request.query_params.items() if key != "page"}


def check_id_criteria(criteria, names=("id", "project_id", "episode_id")):
    """The id criteria of a board, checked before they reach a query ("main" and "all" are
    episodes too)."""
    for name in names:
        value = criteria.get(name)
        if value is None or (name == "episode_id" and value in ("main", "all")):
            continue
        parse_uuid(value, f"Invalid UUID format for {name}: {value}")


def criteria_project_access(request, criteria):
    """The production a list names, checked as the reference does: admins list anything,
    anyone else must name a production of their team (a 404 when it doesn't exist). Returns the
    caller's role on it (their global role without one)."""
    access = access_for(request)
    raw = criteria.get("project_id")
    project_id = parse_uuid(raw, f"Invalid UUID value: {raw}") if raw is not None else None
    if access.is_admin:
        return "admin"
    if project_id is None:
        raise PermissionDenied
    project_or_404(project_id)
    return access.check_project_access(project_id)


def reachable(request, entity_id, kind):
    """The concept or edit of the URL (404 when it is not one), once the caller reaches its
    production and, as a vendor, works on it. Returns (entity, the caller's role on its
    production)."""
    entity = entity_or_404(entity_id, kind)
    access = access_for(request)
    access.check_project_and_entity_access(entity.project_id, entity.pk)
    return entity, access.project_role(entity.project_id)


def refuse(role, *roles):
    if role in roles:
        raise PermissionDenied


def render_typed(entity, kind):
    """An entity as the reference's `serialize(obj_type=kind)` writes it (a concept with the ids
    its concept links point at)."""
    data = REGISTRY["entities"].render(entity, relations=False)
    data["type"] = kind
    if kind == "Concept":
        data["entity_concept_links"] = [
            str(pk) for pk in entity.entity_concept_links.values_list("pk", flat=True)
        ]
    return data


def remove(request, entity):
    """Delete a concept or an edit: its creator, or a manager of its production (`force`: with
    its tasks; without, one holding tasks is only canceled)."""
    access_for(request).check_entity_delete(entity)
    remove_entity(entity, force=parse_bool(request.query_params.get("force", "false")), user=request.user)
    return Response(status=204)


# --- concepts ------------------------------------------------------------------------------------


class ConceptsView(KitsuView):
    """`GET /data/concepts`: concepts filtered by the query string's columns, each with its
    production's name (non-admins must name a production of their team)."""

    @extend_schema(
        tags=TAGS, operation_id="list_concepts", parameters=BOARD_PARAMETERS, responses={200: ROWS}
    )
    def get(self, request):
        criteria = list_criteria(request)
        role = criteria_project_access(request, criteria)
        refuse(role, "vendor", "client")
        return Response(queries.listed_entities("Concept", criteria, request.user))


def board_filter(criteria):
    check_id_criteria(criteria)
    return queries.BoardFilter(
        entity_id=parse_uuid(criteria["id"], "Invalid UUID format for id.") if "id" in criteria else None,
        project_id=parse_uuid(criteria["project_id"], "Invalid UUID.") if "project_id" in criteria else None,
        episode_id=criteria.get("episode_id"),
        assigned="assigned_to" in criteria,
    )


class ConceptsWithTasksView(KitsuView):
    """`GET /data/concepts/with-tasks`: the concept board, each concept with its tasks and the
    ids its concept links point at."""

    @extend_schema(tags=TAGS, parameters=BOARD_PARAMETERS, responses={200: ROWS})
    def get(self, request):
        criteria = list_criteria(request)
        check_id_criteria(criteria, ("id", "project_id"))
        role = criteria_project_access(request, criteria)
        refuse(role, "vendor", "client")
        board = board_filter({key: value for key, value in criteria.items() if key != "episode_id"})
        return Response(concept_queries.concepts_with_tasks(board, request.user))


class ConceptView(KitsuView):
    """`GET /data/concepts/{concept_id}`: the concept with its tasks and relations. `DELETE`: its
    creator or a manager removes it (canceled while it holds tasks, unless `force=true`)."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, concept_id):
        concept, role = reachable(request, concept_id, "Concept")
        refuse(role, "client")
        [data] = concept_queries.concepts_with_tasks(queries.BoardFilter(entity_id=concept.pk), request.user)
        data.update(REGISTRY["entities"].render(concept, relations=True))
        return Response(data)

    @extend_schema(tags=TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, concept_id):
        return remove(request, entity_or_404(concept_id, "Concept"))


class ConceptTaskTypesView(KitsuView):
    """`GET /data/concepts/{concept_id}/task-types`: the types of its tasks."""

    @extend_schema(tags=TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, concept_id):
        concept, role = reachable(request, concept_id, "Concept")
        refuse(role, "client")
        return Response(entity_task_types(concept.pk))


class ConceptTasksView(KitsuView):
    """`GET /data/concepts/{concept_id}/tasks`: its tasks with their names (`relations=true`: and
    their assignees)."""

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=TaskRow(many=True))
    def get(self, request, concept_id):
        concept, role = reachable(request, concept_id, "Concept")
        refuse(role, "client")
        relations = parse_bool(request.query_params.get("relations", "false"))
        return Response(entity_tasks(concept.pk, relations=relations))


class ConceptPreviewFilesView(KitsuView):
    """`GET /data/concepts/{concept_id}/preview-files`: {task type id: the previews of its task
    of that type}."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, concept_id):
        concept, role = reachable(request, concept_id, "Concept")
        refuse(role, "client")
        return Response(entity_previews_by_task_type(concept.pk))


class ProjectConceptsView(KitsuView):
    """`GET /data/projects/{project_id}/concepts`: the production's concepts. `POST` {name, data,
    description, entity_concept_links, parent_id}: its team (vendors and clients aside) adds one
    (the one of that name when it exists already)."""

    @extend_schema(tags=TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        project, role = team_project(request, project_id)
        refuse(role, "vendor", "client")
        return Response(queries.project_entities(project.pk, "Concept"))

    @extend_schema(tags=TAGS, request=NewConceptSerializer, responses={201: EntityRow})
    def post(self, request, project_id):
        project, role = team_project(request, project_id)
        refuse(role, "vendor", "client")
        body = validated(NewConceptSerializer, request.data)
        folder = None
        if body["parent_id"] is not None:
            folder = entity_or_404(body["parent_id"], "ConceptFolder")
            if folder.project_id != project.pk:
                raise NotFound("ConceptFolder not found.")
        concept, _ = services.create_concept(
            project.pk,
            body["name"],
            data=body["data"],
            description=body["description"],
            linked_ids=body["entity_concept_links"],
            folder=folder,
            user=request.user,
        )
        return Response(render_typed(concept, "Concept"), status=201)


# --- concept folders -------------------------------------------------------------------------------


class ProjectConceptFoldersView(KitsuView):
    """`GET /data/projects/{project_id}/concept-folders`: the production's concept folders, by
    name. `POST` {name}: its supervisors add one (the one of that name when it exists)."""

    @extend_schema(tags=TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        project, role = team_project(request, project_id)
        refuse(role, "vendor", "client")
        return Response(queries.project_entities(project.pk, "ConceptFolder"))

    @extend_schema(tags=TAGS, request=ConceptFolderSerializer, responses={201: EntityRow})
    def post(self, request, project_id):
        project = project_or_404(project_id)
        access_for(request).check_supervisor(project.pk)
        body = validated(ConceptFolderSerializer, request.data)
        folder, _ = services.create_concept_folder(project.pk, body["name"], user=request.user)
        return Response(render_typed(folder, "ConceptFolder"), status=201)


class ConceptFolderView(KitsuView):
    """`PUT /data/concept-folders/{concept_folder_id}` {name}: its production's supervisors rename
    it. `DELETE`: they remove it, its concepts going back to the root of the production."""

    @extend_schema(tags=TAGS, request=ConceptFolderSerializer, responses=EntityRow)
    def put(self, request, concept_folder_id):
        folder = entity_or_404(concept_folder_id, "ConceptFolder")
        access_for(request).check_supervisor(folder.project_id)
        body = validated(ConceptFolderSerializer, request.data)
        folder = services.rename_concept_folder(folder, body["name"], user=request.user)
        return Response(render_typed(folder, "ConceptFolder"))

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, concept_folder_id):
        folder = entity_or_404(concept_folder_id, "ConceptFolder")
        access_for(request).check_supervisor(folder.project_id)
        services.remove_concept_folder(folder, user=request.user)
        return Response(status=204)


class MoveConceptsView(KitsuView):
    """`POST /actions/projects/{project_id}/move-concepts` {concept_ids, concept_folder_id}: the
    production's supervisors put concepts in a folder (at the root without one); answers the ids
    of the concepts moved (others are skipped)."""

    @extend_schema(
        tags=["actions/projects"],
        request=MoveConceptsSerializer,
        responses={200: build_array_type(build_basic_type(OpenApiTypes.UUID))},
    )
    def post(self, request, project_id):
        project = project_or_404(project_id)
        access_for(request).check_supervisor(project.pk)
        body = validated(MoveConceptsSerializer, request.data)
        folder = None
        if body["concept_folder_id"] is not None:
            folder = Entity.objects.filter(
                pk=body["concept_folder_id"], project_id=project.pk, entity_type__name="ConceptFolder"
            ).first()
            if folder is None:
                raise NotFound("ConceptFolder not found.")
        return Response(services.move_concepts(project.pk, body["concept_ids"], folder, user=request.user))
