"""Views of the playlist routes: lists of a production's and an episode's playlists, a playlist
with its previews, an entity's previews, entries added, temp playlists, clients notified."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from files.crud import unpin_foreign_previews
from files.models import BuildJob, Playlist
from files.playlists import queries, services
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.json import serialize_instance, serialize_rows
from kitsu_server.api.params import parse_bool, uuid_or_none
from kitsu_server.api.requests import query_int, query_text, validated
from kitsu_server.api.schema import rows
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import entity_or_404, found_or_404
from kitsu_server.core.scoped import ADMIN, MEMBER, EntityScopedView, ProjectScopedView
from productions.models import ProjectTaskTypeLink
from tasks.models import Task

TAGS = ["data/playlists"]
LIST_PARAMETERS = [
    OpenApiParameter("page", int),
    OpenApiParameter("sort_by", str),
    OpenApiParameter("task_type_id", str),
]


def not_vendor(access, project):
    """The production's team but its vendors (the reference's block_access_to_vendor, after the
    project access check, which resolves the role on the project)."""
    access.check_project_access(project.pk)
    if access.project_role(project.pk) == "vendor":
        raise PermissionDenied


def playlist_or_404(playlist_id):
    return found_or_404(Playlist, playlist_id, "Playlist not found.")


def listed(request, queryset, role):
    """The filters every playlist list shares: clients' shared playlists, a task type, a page."""
    if role == "client":
        queryset = queryset.filter(for_client=True)
    task_type_id = query_text(request, "task_type_id")
    if task_type_id is not None:
        queryset = queryset.filter(task_type_id=uuid_or_none(task_type_id))
    page = query_int(request, "page", 1, message="page must be an integer.")
    return queries.playlist_list(queryset, page, query_text(request, "sort_by") or "updated_at")


class ProjectPlaylistsView(ProjectScopedView):
    """`GET /data/projects/<id>/playlists`: a page of the production's playlists (20, newest
    update first), clients only those shared with them, vendors none."""

    rules = {"GET": not_vendor}

    @extend_schema(parameters=LIST_PARAMETERS, responses={200: rows()}, tags=TAGS)
    def get(self, request, project_id):
        return Response(listed(request, Playlist.objects.filter(project=self.project), self.role))


class EpisodePlaylistsView(ProjectScopedView):
    """`GET /data/projects/<id>/episodes/<episode id | main | all>/playlists`."""

    rules = {"GET": not_vendor}

    @extend_schema(
        parameters=[*LIST_PARAMETERS, OpenApiParameter("for_entity", str)],
        responses={200: rows()},
        tags=TAGS,
    )
    def get(self, request, project_id, episode_id):
        if episode_id not in ("main", "all"):
            episode_id = entity_or_404(episode_id, "Episode").pk
        queryset = queries.episode_playlists(Playlist.objects.all(), self.project.pk, episode_id)
        for_entity = query_text(request, "for_entity")
        if for_entity is not None:
            queryset = queryset.filter(for_entity=for_entity)
        return Response(listed(request, queryset, self.role))


class ProjectPlaylistView(ProjectScopedView):
    """`GET /data/projects/<id>/playlists/<id>`: the playlist, its build jobs, and each entry with
    the previews of its entity (annotations aside: the web UI loads them on demand)."""

    rules = {"GET": not_vendor}

    @extend_schema(
        operation_id="data_projects_playlist_retrieve", responses={200: OpenApiTypes.OBJECT}, tags=TAGS
    )
    def get(self, request, project_id, playlist_id):
        playlist = playlist_or_404(playlist_id)
        if playlist.project_id != self.project.pk:
            raise NotFound("Playlist not found.")
        self.access.check_playlist_read(playlist)
        return Response(queries.playlist_with_previews(playlist, with_annotations=False))


class EntityPreviewFilesView(EntityScopedView):
    """`GET /data/playlists/entities/<id>/preview-files`: {task type id: [previews]}, revisions
    mixed (what the task panel shows)."""

    rules = {"GET": "reader"}

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, entity_id):
        return Response(queries.entity_preview_files(self.entity.pk))


class EntryBody(serializers.Serializer):
    entity_id = serializers.UUIDField()
    preview_file_id = serializers.UUIDField(required=False, allow_null=True)


class EntriesBody(serializers.Serializer):
    entities = EntryBody(many=True, allow_empty=True)


def updatable_playlist(request, playlist_id):
    playlist = playlist_or_404(playlist_id)
    access_for(request).check_playlist_update(playlist)
    return playlist


def add_entries(request, playlist, entries):
    couples = [
        {"entity_id": str(entry["entity_id"]), "preview_file_id": str(entry["preview_file_id"])}
        if entry.get("preview_file_id")
        else {"entity_id": str(entry["entity_id"])}
        for entry in entries
    ]
    # A preview of another entity is dropped: the entity's latest is taken instead.
    couples = unpin_foreign_previews(couples)
    playlist = services.add_entities(
        playlist.pk,
        [(entry["entity_id"], entry.get("preview_file_id")) for entry in couples],
        user=request.user,
    )
    return Response(serialize_instance(playlist))


class PlaylistAddEntityView(KitsuView):
    """`POST /actions/playlists/<id>/add-entity` {entity_id, preview_file_id?}."""

    @extend_schema(request=EntryBody, responses={200: OpenApiTypes.OBJECT}, tags=["actions/playlists"])
    def post(self, request, playlist_id):
        playlist = updatable_playlist(request, playlist_id)
        return add_entries(request, playlist, [validated(EntryBody, request.data)])


class PlaylistAddEntitiesView(KitsuView):
    """`POST /actions/playlists/<id>/add-entities` {entities: [{entity_id, preview_file_id?}]}."""

    @extend_schema(request=EntriesBody, responses={200: OpenApiTypes.OBJECT}, tags=["actions/playlists"])
    def post(self, request, playlist_id):
        playlist = updatable_playlist(request, playlist_id)
        return add_entries(request, playlist, validated(EntriesBody, request.data)["entities"])


class ProjectBuildJobsView(ProjectScopedView):
    """`GET /data/projects/<id>/build-jobs`: the build jobs of the production (admins)."""

    rules = {"GET": ADMIN}

    @extend_schema(responses={200: rows()}, tags=TAGS)
    def get(self, request, project_id):
        jobs = BuildJob.objects.filter(playlist__project=self.project).order_by("-created_at")
        return Response(serialize_rows(jobs))


class ProjectAllPlaylistsView(ProjectScopedView):
    """`GET /data/projects/<id>/playlists/all`: every playlist of the production, whole rows
    (admins; `page` pages them)."""

    rules = {"GET": ADMIN}

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses={200: rows()}, tags=TAGS)
    def get(self, request, project_id):
        playlists = Playlist.objects.filter(project=self.project).order_by("created_at", "id")
        page = query_int(request, "page", 0, message="page must be an integer.")
        if page and page > 0:
            playlists = playlists[(page - 1) * queries.PAGE_SIZE : page * queries.PAGE_SIZE]
        return Response(serialize_rows(playlists, relations=True))


class TempPlaylistBody(serializers.Serializer):
    task_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=5000
    )
    entity_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=5000
    )


class TempPlaylistView(ProjectScopedView):
    """`POST /data/projects/<id>/playlists/temp` {task_ids, entity_ids}: playlist entries built
    from tasks (an entity gives its last reviewed task), not saved; `sort` orders them."""

    rules = {"POST": MEMBER}

    @extend_schema(
        request=TempPlaylistBody,
        parameters=[OpenApiParameter("sort", bool)],
        responses={200: rows()},
        tags=TAGS,
    )
    def post(self, request, project_id):
        body = validated(TempPlaylistBody, request.data)
        task_ids = [str(pk) for pk in body["task_ids"]]
        for entity_id in body["entity_ids"]:
            task_id = queries.playlist_task_for_entity(entity_id)
            if task_id is not None:
                task_ids.append(str(task_id))
        found = Task.objects.select_related("entity").in_bulk([pk for pk in task_ids if uuid_or_none(pk)])
        tasks = []
        for task_id in task_ids:
            task = found.get(uuid_or_none(task_id))
            if task is None:
                raise NotFound("Task not found.")
            self.access.check_task_access(task)
            tasks.append(task)
        if not tasks:
            return Response([])
        sort = parse_bool(request.query_params.get("sort", "true"))
        task_type_order = [
            str(pk)
            for pk in ProjectTaskTypeLink.objects.filter(project_id=tasks[0].project_id)
            .order_by("priority")
            .values_list("task_type_id", flat=True)
        ]
        return Response(queries.temp_playlist(tasks, task_type_order, sort=sort))


class NotifyClientsBody(serializers.Serializer):
    studio_id = serializers.UUIDField(required=False, allow_null=True)
    department_id = serializers.UUIDField(required=False, allow_null=True)


class NotifyClientsView(KitsuView):
    """`POST /data/playlists/<id>/notify-clients` {studio_id?, department_id?}: a notification
    to each client of the production (managers)."""

    @extend_schema(request=NotifyClientsBody, responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def post(self, request, playlist_id):
        playlist = playlist_or_404(playlist_id)
        access_for(request).check_manager(playlist.project_id)
        body = validated(NotifyClientsBody, request.data if isinstance(request.data, dict) else {})
        services.notify_clients(playlist, request.user, body.get("studio_id"), body.get("department_id"))
        return Response({"status": "success"})
