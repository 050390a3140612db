"""Routes of the `edits` area: edits (the cuts of a production or of an episode), their board
with tasks, their tasks, previews and versions.

Access, as on the reference: edits belong to their production's team (admins reach every
production); a vendor only lists the edits they are assigned to, reads one only when working on
it, and only the custom fields of their departments. Edits are created by the production's
managers, deleted by their creator or a manager.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets.boards import board_filter, check_id_criteria, criteria_project_access
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
from assets.typed_entities import (
    BoardFilter,
    hide_metadata,
    listed_entities,
    of_kind,
    project_entities,
    render_typed,
    typed_rows,
)
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_bool
from kitsu_server.api.requests import list_criteria, relations_asked, validated
from kitsu_server.api.schema import ROWS
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.scoped import MANAGER, MEMBER, READER, EntityScopedView, ProjectScopedView
from shots.edits import queries, services
from tasks.boards import entity_previews_by_task_type, entity_tasks

TAGS = ["edits"]
EPISODE_PARAMETER = OpenApiParameter(
    "episode_id", str, description='Only the edits of this episode ("main": of none, "all": every one)'
)


class NewEditSerializer(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=160)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default="")
    data = serializers.DictField(required=False, allow_null=True, default=None)
    episode_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class EditVersionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    data = serializers.JSONField(allow_null=True)
    entity_id = serializers.UUIDField(allow_null=True)
    person_id = serializers.UUIDField(allow_null=True)
    created_at = serializers.CharField()
    updated_at = serializers.CharField()
    type = serializers.CharField(default="EditVersion")


class EditScopedView(EntityScopedView):
    """The edit of `<edit_id>`: whoever reads it (a vendor: one they work on)."""

    kind = "Edit"
    url_kwarg = "edit_id"
    rules = {"GET": READER}


class EditsView(KitsuView):
    """`GET /data/edits` and `/data/edits/all`: edits filtered by the query string's columns, each
    with its production's name (non-admins must name a production of their team; a vendor lists
    only what they are assigned to)."""

    @extend_schema(tags=TAGS, operation_id="list_edits", parameters=BOARD_PARAMETERS, responses={200: ROWS})
    def get(self, request):
        criteria = list_criteria(request)
        role = criteria_project_access(request, criteria)
        departments = access_for(request).vendor_departments(role)
        if departments is not None:
            criteria["assigned_to"] = str(request.user.pk)
        rows = listed_entities("Edit", criteria, request.user)
        return Response(hide_metadata(rows, "Edit", departments))


class AllEditsView(EditsView):
    """`GET /data/edits/all`: the same list (gazu asks this path)."""

    @extend_schema(
        tags=TAGS, operation_id="list_all_edits", parameters=BOARD_PARAMETERS, responses={200: ROWS}
    )
    def get(self, request):
        return super().get(request)


class EditsWithTasksView(KitsuView):
    """`GET /data/edits/with-tasks`: the edit board, each edit with its episode and its tasks (a
    client reads the studio fields of the tasks blank, a vendor only their own edits and tasks)."""

    @extend_schema(tags=TAGS, parameters=[*BOARD_PARAMETERS, EPISODE_PARAMETER], responses={200: ROWS})
    def get(self, request):
        criteria = list_criteria(request)
        check_id_criteria(criteria)
        role = criteria_project_access(request, criteria)
        access = access_for(request)
        departments = access.vendor_departments(role)
        if departments is not None:
            criteria["assigned_to"] = str(request.user.pk)
        rows = queries.edits_with_tasks(
            board_filter(criteria),
            request.user,
            client=access.reads_as_client(role),
            vendor_departments=departments,
        )
        return Response(rows)


class EditView(EditScopedView):
    """`GET /data/edits/{edit_id}`: the edit with its episode and tasks. `DELETE`: its creator or a
    manager removes it (canceled while it holds tasks, unless `force=true`)."""

    rules = {"GET": READER, "DELETE": Access.check_entity_delete}

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, edit_id):
        [data] = queries.edits_with_tasks(
            BoardFilter(entity_id=self.entity.pk), request.user, client=self.access.reads_as_client(self.role)
        )
        return Response(data)

    @extend_schema(tags=TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, edit_id):
        force = parse_bool(request.query_params.get("force", "false"))
        remove_entity(self.entity, force=force, user=request.user)
        return Response(status=204)


class EditTaskTypesView(EditScopedView):
    """`GET /data/edits/{edit_id}/task-types`: the types of its tasks."""

    @extend_schema(tags=TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, edit_id):
        return Response(entity_task_types(self.entity.pk))


class EditTasksView(EditScopedView):
    """`GET /data/edits/{edit_id}/tasks`: its tasks with their names (`relations=true`: and their
    assignees); a client reads their studio fields blank."""

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=TaskRow(many=True))
    def get(self, request, edit_id):
        relations = relations_asked(request)
        return Response(
            entity_tasks(self.entity.pk, relations=relations, client=self.access.reads_as_client(self.role))
        )


class EditPreviewFilesView(EditScopedView):
    """`GET /data/edits/{edit_id}/preview-files`: {task type id: the previews of its task of that
    type}."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, edit_id):
        return Response(entity_previews_by_task_type(self.entity.pk))


class EditVersionsView(EditScopedView):
    """`GET /data/edits/{edit_id}/versions`: the recorded versions of its data, newest first."""

    @extend_schema(tags=TAGS, responses=EditVersionSerializer(many=True))
    def get(self, request, edit_id):
        return Response(queries.edit_versions(self.entity.pk))


class EpisodeEditTasksView(EntityScopedView):
    """`GET /data/episodes/{episode_id}/edit-tasks`: the tasks of the episode's edits (vendors
    aside; a client reads their studio fields blank)."""

    kind = "Episode"
    url_kwarg = "episode_id"
    rules = {"GET": Access.check_team_entity_read}

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=TaskRow(many=True))
    def get(self, request, episode_id):
        return Response(
            queries.episode_edit_tasks(
                self.entity.pk,
                relations=relations_asked(request),
                client=self.access.reads_as_client(self.role),
            )
        )


class EpisodeEditsView(EntityScopedView):
    """`GET /data/episodes/{episode_id}/edits`: the episode's edits (`relations=true`: with their
    relation id lists)."""

    kind = "Episode"
    url_kwarg = "episode_id"
    rules = {"GET": READER}

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=EntityRow(many=True))
    def get(self, request, episode_id):
        edits = of_kind("Edit").filter(parent_id=self.entity.pk)
        rows = typed_rows(edits, "Edit", relations=relations_asked(request))
        return Response(hide_metadata(rows, "Edit", self.access.vendor_departments(self.role)))


class ProjectEditsView(ProjectScopedView):
    """`GET /data/projects/{project_id}/edits`: the production's edits (a vendor's: those they are
    assigned to). `POST` {name, description, data, episode_id}: its managers add one (the one of
    that name in that episode when it exists already)."""

    rules = {"GET": MEMBER, "POST": MANAGER}

    @extend_schema(tags=TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        assigned_to = self.access.vendor_assignee(self.role)
        rows = project_entities(self.project.pk, "Edit", assigned_to=assigned_to)
        departments = self.access.vendor_departments(self.role)
        return Response(hide_metadata(rows, "Edit", departments, self.project.pk))

    @extend_schema(tags=TAGS, request=NewEditSerializer, responses={201: EntityRow})
    def post(self, request, project_id):
        body = validated(NewEditSerializer, request.data)
        episode = None
        if body["episode_id"] is not None:
            episode = Entity.objects.filter(pk=body["episode_id"]).first()
            if episode is None:
                raise NotFound("Episode not found.")
        edit, _ = services.create_edit(
            self.project.pk,
            body["name"],
            data=body["data"],
            description=body["description"],
            episode=episode,
            user=request.user,
        )
        return Response(render_typed(edit, "Edit"), status=201)
