"""Routes of the `episodes` area: a production's episodes, their board with tasks, what hangs off
an episode (its sequences, shots, tasks and task types) and the production's episode statistics.

Access, as on the reference: reading an episode needs its production (admins, or its team) and,
for a vendor, something of it they work on; creating one needs the production's managers,
deleting one its creator or a manager. A vendor lists only the episodes holding a shot or an asset
they are assigned to, and reads only the custom fields of their departments. Clients read the
statistics only where the production shows them, and never the retake statistics.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import list_criteria, relations_asked, validated
from kitsu_server.api.schema import UPDATED_SINCE, ListSchema
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.delta import delta_window, entity_list
from kitsu_server.core.lookups import entity_or_404
from kitsu_server.core.scoped import MANAGER, MEMBER, READER, EntityScopedView, ProjectScopedView
from shots import queries, services
from shots.episodes.queries import episode_retake_stats, episode_stats
from shots.requests import TeamTasksView, force_asked, list_scope, mask_for_vendor
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


class NewEpisodeBody(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    status = serializers.CharField(required=False, allow_null=True, default="running")
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default="")
    data = serializers.DictField(required=False, allow_null=True, default=dict)


class EpisodeScopedView(EntityScopedView):
    """The episode of `<episode_id>`: read by whoever reads it (a vendor: one they work on)."""

    kind = "Episode"
    url_kwarg = "episode_id"
    rules = {"GET": READER}


class EpisodeView(EpisodeScopedView):
    """`/data/episodes/{episode_id}`: read (with its production's name), delete (the creator or
    the production's managers; refused while something hangs off it unless `force=true`)."""

    rules = {"GET": READER, "DELETE": Access.check_entity_delete}

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, episode_id):
        return Response(queries.full_episode(self.entity))

    @extend_schema(tags=SHOT_TAGS, parameters=[FORCE_PARAMETER], responses={204: None})
    def delete(self, request, episode_id):
        services.remove_episode(self.entity, user=request.user, force=force_asked(request))
        return Response(status=204)


class EpisodesView(KitsuView):
    """`GET /data/episodes`: the episodes of a production (any for an admin), filtered by the
    query string's columns. A vendor lists those holding a shot or an asset they work on."""

    @extend_schema(tags=SHOT_TAGS, parameters=[PROJECT_PARAMETER], responses=EntityRow(many=True))
    def get(self, request):
        access, criteria, project_id, role = list_scope(request)
        assigned = access.vendor_assignee(role)
        if assigned is not None:  # a vendor always names a production: see check_criteria_project
            rows = queries.assigned_episodes(project_id, assigned)
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
        entity_ids = None
        assigned = access.vendor_assignee(role)
        if assigned is not None:
            entity_ids = queries.assigned_episode_ids(project_id, assigned)
        rows = queries.entities_with_tasks(
            "Episode",
            access.person,
            project_id,
            criteria.get("episode_id"),
            entity_ids,
            assigned,
            client=access.reads_as_client(role),
        )
        return Response(mask_for_vendor(rows, "Episode", access.vendor_departments(role), project_id))


class EpisodeSequencesView(KitsuView):
    """`GET /data/episodes/{episode_id}/sequences`: the episode's sequences, filtered by the query
    string's columns (a vendor's, those holding a shot they are assigned to). A malformed id
    gives an empty list, as on the reference (so no scoped view: it would answer a 404)."""

    @extend_schema(tags=SHOT_TAGS, responses=EntityRow(many=True))
    def get(self, request, episode_id):
        if not queries.is_valid_id(episode_id):
            return Response([])
        episode = entity_or_404(episode_id, "Episode")
        access = access_for(request)
        access.check_project_access(episode.project_id)
        role = access.project_role(episode.project_id)
        assigned = access.vendor_assignee(role)
        if assigned is not None:
            rows = queries.assigned_sequences(assigned, episode_id=episode.pk)
            return Response(mask_for_vendor(rows, "Sequence", access.vendor_departments(role)))
        return Response(queries.episode_sequences(episode.pk, list_criteria(request)))


class EpisodeShotsView(EpisodeScopedView):
    @extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses=EntityRow(many=True))
    def get(self, request, episode_id):
        rows = queries.episode_shots(self.entity.pk, relations_asked(request))
        return Response(mask_for_vendor(rows, "Shot", self.access.vendor_departments(self.role)))


class EpisodeTasksView(EpisodeScopedView):
    """`GET /data/episodes/{episode_id}/tasks`: the episode's own tasks (a vendor's, those they
    are assigned to)."""

    @extend_schema(tags=SHOT_TAGS, responses={200: OBJECT_LIST})
    def get(self, request, episode_id):
        assigned = self.access.vendor_assignee(self.role)
        if assigned is not None:
            return Response(queries.assigned_entity_tasks(self.entity.pk, assigned))
        return Response(entity_tasks(self.entity.pk, client=self.access.reads_as_client(self.role)))


class EpisodeTaskTypesView(EpisodeScopedView):
    @extend_schema(tags=SHOT_TAGS, responses=TaskTypeRow(many=True))
    def get(self, request, episode_id):
        return Response(queries.episode_task_types(self.entity.pk))


@extend_schema_view(
    get=extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
)
class EpisodeShotTasksView(TeamTasksView):
    """`GET /data/episodes/{episode_id}/shot-tasks`: the tasks of the episode's shots. Vendors are
    refused."""

    kind = "Episode"
    url_kwarg = "episode_id"
    rows = staticmethod(queries.episode_shot_tasks)


@extend_schema_view(
    get=extend_schema(tags=SHOT_TAGS, parameters=[RELATIONS_PARAMETER], responses={200: OBJECT_LIST})
)
class EpisodeAssetTasksView(TeamTasksView):
    """`GET /data/episodes/{episode_id}/asset-tasks`: the tasks of the assets whose main episode
    it is. Vendors are refused."""

    kind = "Episode"
    url_kwarg = "episode_id"
    rows = staticmethod(queries.episode_asset_tasks)


class ProjectEpisodesView(ProjectScopedView):
    """`/data/projects/{project_id}/episodes`: the production's episodes (a vendor's, those they
    work on); its managers create one (`episode:new`), or get the existing one of that name."""

    schema = ListSchema()  # its GET lists (a raw schema: rows or their delta)
    rules = {"GET": MEMBER, "POST": MANAGER}

    @extend_schema(tags=SHOT_TAGS, parameters=[UPDATED_SINCE], responses={200: ENTITY_ROWS})
    def get(self, request, project_id):
        assigned = self.access.vendor_assignee(self.role)
        window = delta_window(request)
        if assigned is not None:
            rows = queries.assigned_episodes(self.project.pk, assigned, window=window)
        else:
            rows = queries.project_entities(self.project.pk, "Episode", window=window)
        departments = self.access.vendor_departments(self.role)
        rows = mask_for_vendor(rows, "Episode", departments, self.project.pk)
        return Response(rows if window is None else entity_list(window, rows, [self.project.pk]))

    @extend_schema(tags=SHOT_TAGS, request=NewEpisodeBody, responses={201: EntityRow})
    def post(self, request, project_id):
        body = validated(NewEpisodeBody, request.data)
        episode, _ = services.create_episode(
            self.project,
            name=body["name"],
            status=body["status"],
            description=body["description"],
            data=body["data"] if body["data"] is not None else {},
            user=request.user,
        )
        return Response(queries.render_entity(episode), status=201)


class ProjectEpisodeStatsView(ProjectScopedView):
    """`GET /data/projects/{project_id}/episodes/stats`: the production's shot tasks counted per
    episode, task type and status (clients only where the production shows them its stats)."""

    rules = {"GET": Access.check_episode_stats_read}

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id):
        return Response(episode_stats(self.project.pk, self.access.vendor_assignee(self.role)))


class ProjectEpisodeRetakeStatsView(ProjectScopedView):
    """`GET /data/projects/{project_id}/episodes/retake-stats`: where the production's shot tasks
    stand and how their takes went, per episode and task type. Clients are refused."""

    rules = {"GET": Access.check_team_but_clients}

    @extend_schema(tags=SHOT_TAGS, responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id):
        return Response(episode_retake_stats(self.project.pk, self.access.vendor_assignee(self.role)))
