"""Routes of the `sequences` area: a production's sequences, their board with tasks, and what
hangs off a sequence (its shots, scenes, tasks and task types).

Access, as on the reference: reading a sequence needs its production (admins, or its team) and,
for a vendor, a shot of it they work on; creating one needs the production's managers, deleting
one its creator or a manager. A vendor lists only the sequences holding a shot they are assigned
to, and reads only the custom fields of their departments.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import list_criteria, relations_asked, validated
from kitsu_server.api.schema import UPDATED_SINCE, ListSchema
from kitsu_server.core.access import Access
from kitsu_server.core.delta import delta_window, entity_list
from kitsu_server.core.scoped import MANAGER, MEMBER, READER, EntityScopedView, ProjectScopedView
from shots import queries, services
from shots.requests import TeamTasksView, force_asked, list_scope, mask_for_vendor, parent_in_project
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
from tasks.boards import entity_tasks


class NewSequenceBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    episode_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default="")
    data = serializers.DictField(required=False, allow_null=True, default=dict)


class SequenceScopedView(EntityScopedView):
    """The sequence of `<sequence_id>`: read by whoever reads it (a vendor: one they work on)."""

    kind = "Sequence"
    url_kwarg = "sequence_id"
    rules = {"GET": READER}


class SequenceView(SequenceScopedView):
    """`/data/sequences/{sequence_id}`: read (with its production and episode), delete (the
    creator or the production's managers; refused while something hangs off it unless
    `force=true`)."""

    rules = {"GET": READER, "DELETE": Access.check_entity_delete}

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, sequence_id):
        return Response(queries.full_sequence(self.entity))

    @extend_schema(tags=SHOT_TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, sequence_id):
        services.remove_sequence(self.entity, user=request.user, force=force_asked(request))
        return Response(status=204)


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
        assignee = access.vendor_assignee(role)
        if assignee is not None:  # a vendor always names a production: see check_criteria_project
            rows = queries.assigned_sequences(assignee, project_id=project_id)
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
        entity_ids = None
        assigned = access.vendor_assignee(role)
        if assigned is not None:
            if episode_id not in (None, "all"):
                entity_ids = queries.assigned_sequence_ids(assigned, episode_id=episode_id)
            else:
                entity_ids = queries.assigned_sequence_ids(assigned, project_id=project_id)
        rows = queries.entities_with_tasks(
            "Sequence",
            access.person,
            project_id,
            episode_id,
            entity_ids,
            assigned,
            client=access.reads_as_client(role),
        )
        return Response(mask_for_vendor(rows, "Sequence", access.vendor_departments(role), project_id))


class SequenceShotsView(SequenceScopedView):
    """`GET /data/sequences/{sequence_id}/shots`: the sequence's shots, filtered by the query
    string's columns (a vendor's, those they are assigned to), for its production's team."""

    rules = {"GET": MEMBER}

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, sequence_id):
        criteria = {**list_criteria(request), "parent_id": str(self.entity.pk)}
        assigned = self.access.vendor_assignee(self.role)
        return Response(queries.list_shots(criteria, assigned, self.access.vendor_departments(self.role)))


class SequenceScenesView(SequenceScopedView):
    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, sequence_id):
        departments = self.access.vendor_departments(self.role)
        return Response(mask_for_vendor(queries.sequence_scenes(self.entity.pk), "Scene", departments))


class SequenceTasksView(SequenceScopedView):
    """`GET /data/sequences/{sequence_id}/tasks`: the sequence's own tasks (a vendor's, those
    they are assigned to)."""

    @extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
    def get(self, request, sequence_id):
        assigned = self.access.vendor_assignee(self.role)
        if assigned is not None:
            return Response(queries.assigned_entity_tasks(self.entity.pk, assigned))
        return Response(
            entity_tasks(self.entity.pk, relations_asked(request), self.access.reads_as_client(self.role))
        )


@extend_schema_view(
    get=extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
)
class SequenceShotTasksView(TeamTasksView):
    """`GET /data/sequences/{sequence_id}/shot-tasks`: the tasks of the sequence's shots.
    Vendors are refused."""

    kind = "Sequence"
    url_kwarg = "sequence_id"
    rows = staticmethod(queries.sequence_shot_tasks)


class SequenceTaskTypesView(SequenceScopedView):
    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, sequence_id):
        return Response(queries.sequence_task_types(self.entity.pk))


class ProjectSequencesView(ProjectScopedView):
    """`/data/projects/{project_id}/sequences`: the production's sequences (a vendor's, those
    holding a shot they are assigned to); its managers create one (`sequence:new`)."""

    schema = ListSchema()  # its GET lists (a raw schema: rows or their delta)
    rules = {"GET": MEMBER, "POST": MANAGER}

    @extend_schema(tags=SHOT_TAGS, parameters=[UPDATED_SINCE], responses={200: ENTITY_ROWS})
    def get(self, request, project_id):
        assigned = self.access.vendor_assignee(self.role)
        window = delta_window(request)
        if assigned is not None:
            rows = queries.assigned_sequences(assigned, project_id=self.project.pk, window=window)
        else:
            rows = queries.project_entities(self.project.pk, "Sequence", window=window)
        departments = self.access.vendor_departments(self.role)
        rows = mask_for_vendor(rows, "Sequence", departments, self.project.pk)
        return Response(rows if window is None else entity_list(window, rows, [self.project.pk]))

    @extend_schema(tags=SHOT_TAGS, request=NewSequenceBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body = validated(NewSequenceBody, request.data)
        episode = parent_in_project(self.project, body["episode_id"], "Episode")
        sequence, _ = services.create_sequence(
            self.project,
            episode,
            name=body["name"],
            description=body["description"],
            data=body["data"] if body["data"] is not None else {},
            user=request.user,
        )
        return Response(queries.render_entity(sequence), status=201)
