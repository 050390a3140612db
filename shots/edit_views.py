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

from assets import breakdown_queries as queries
from assets.concept_views import (
    BOARD_PARAMETERS,
    FORCE_PARAMETER,
    RELATIONS_PARAMETER,
    EntityRow,
    TaskRow,
    TaskTypeRow,
    board_filter,
    check_id_criteria,
    criteria_project_access,
    list_criteria,
    reachable,
    refuse,
    remove,
    render_typed,
    team_project,
    validated,
)
from assets.models import Entity
from assets.queries import (
    entity_task_types,
)
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_bool
from kitsu_server.api.schema import ROWS
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import entity_or_404, project_or_404
from shots import edit_queries, edit_services
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


def relations_asked(request):
    return parse_bool(request.query_params.get("relations", "false"))


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
        rows = queries.listed_entities("Edit", criteria, request.user)
        return Response(queries.hide_metadata(rows, "Edit", departments))


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
        departments = access_for(request).vendor_departments(role)
        if departments is not None:
            criteria["assigned_to"] = str(request.user.pk)
        rows = edit_queries.edits_with_tasks(
            board_filter(criteria), request.user, client=role == "client", vendor_departments=departments
        )
        return Response(rows)


class EditView(KitsuView):
    """`GET /data/edits/{edit_id}`: the edit with its episode and tasks. `DELETE`: its creator or a
    manager removes it (canceled while it holds tasks, unless `force=true`)."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, edit_id):
        edit, role = reachable(request, edit_id, "Edit")
        [data] = edit_queries.edits_with_tasks(
            queries.BoardFilter(entity_id=edit.pk), request.user, client=role == "client"
        )
        return Response(data)

    @extend_schema(tags=TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, edit_id):
        return remove(request, entity_or_404(edit_id, "Edit"))


class EditTaskTypesView(KitsuView):
    """`GET /data/edits/{edit_id}/task-types`: the types of its tasks."""

    @extend_schema(tags=TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, edit_id):
        edit, _ = reachable(request, edit_id, "Edit")
        return Response(entity_task_types(edit.pk))


class EditTasksView(KitsuView):
    """`GET /data/edits/{edit_id}/tasks`: its tasks with their names (`relations=true`: and their
    assignees); a client reads their studio fields blank."""

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=TaskRow(many=True))
    def get(self, request, edit_id):
        edit, role = reachable(request, edit_id, "Edit")
        return Response(entity_tasks(edit.pk, relations=relations_asked(request), client=role == "client"))


class EditPreviewFilesView(KitsuView):
    """`GET /data/edits/{edit_id}/preview-files`: {task type id: the previews of its task of that
    type}."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, edit_id):
        edit, _ = reachable(request, edit_id, "Edit")
        return Response(entity_previews_by_task_type(edit.pk))


class EditVersionsView(KitsuView):
    """`GET /data/edits/{edit_id}/versions`: the recorded versions of its data, newest first."""

    @extend_schema(tags=TAGS, responses=EditVersionSerializer(many=True))
    def get(self, request, edit_id):
        edit, _ = reachable(request, edit_id, "Edit")
        return Response(edit_queries.edit_versions(edit.pk))


def reachable_episode(request, episode_id):
    """The episode of the URL (404), once the caller reaches it. Returns (episode, role)."""
    episode = entity_or_404(episode_id, "Episode")
    access = access_for(request)
    access.check_project_and_entity_access(episode.project_id, episode.pk)
    return episode, access.project_role(episode.project_id)


class EpisodeEditTasksView(KitsuView):
    """`GET /data/episodes/{episode_id}/edit-tasks`: the tasks of the episode's edits (vendors
    aside; a client reads their studio fields blank)."""

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=TaskRow(many=True))
    def get(self, request, episode_id):
        episode, role = reachable_episode(request, episode_id)
        refuse(role, "vendor")
        return Response(
            edit_queries.episode_edit_tasks(
                episode.pk, relations=relations_asked(request), client=role == "client"
            )
        )


class EpisodeEditsView(KitsuView):
    """`GET /data/episodes/{episode_id}/edits`: the episode's edits (`relations=true`: with their
    relation id lists)."""

    @extend_schema(tags=TAGS, parameters=[RELATIONS_PARAMETER], responses=EntityRow(many=True))
    def get(self, request, episode_id):
        episode, role = reachable_episode(request, episode_id)
        edits = queries.of_kind("Edit").filter(parent_id=episode.pk)
        rows = queries.typed_rows(edits, "Edit", relations=relations_asked(request))
        return Response(queries.hide_metadata(rows, "Edit", access_for(request).vendor_departments(role)))


class ProjectEditsView(KitsuView):
    """`GET /data/projects/{project_id}/edits`: the production's edits (a vendor's: those they are
    assigned to). `POST` {name, description, data, episode_id}: its managers add one (the one of
    that name in that episode when it exists already)."""

    @extend_schema(tags=TAGS, responses=EntityRow(many=True))
    def get(self, request, project_id):
        project, role = team_project(request, project_id)
        assigned_to = request.user if role == "vendor" else None
        rows = queries.project_entities(project.pk, "Edit", assigned_to=assigned_to)
        departments = access_for(request).vendor_departments(role)
        return Response(queries.hide_metadata(rows, "Edit", departments, project.pk))

    @extend_schema(tags=TAGS, request=NewEditSerializer, responses={201: EntityRow})
    def post(self, request, project_id):
        project = project_or_404(project_id)
        access_for(request).check_manager(project.pk)
        body = validated(NewEditSerializer, request.data)
        episode = None
        if body["episode_id"] is not None:
            episode = Entity.objects.filter(pk=body["episode_id"]).first()
            if episode is None:
                raise NotFound("Episode not found.")
        edit, _ = edit_services.create_edit(
            project.pk,
            body["name"],
            data=body["data"],
            description=body["description"],
            episode=episode,
            user=request.user,
        )
        return Response(render_typed(edit, "Edit"), status=201)
