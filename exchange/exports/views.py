"""The CSV exports (/export/csv/...): each view checks who may export, then answers the rows of
its query module streamed (exchange.exports.writer)."""

import datetime
import zoneinfo

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound

from exchange.exports import breakdown, playlists, queries
from exchange.exports.writer import csv_response
from files.models import Playlist
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.params import parse_bool, uuid_or_none
from kitsu_server.api.requests import query_id, query_text
from kitsu_server.core.access import access_for
from kitsu_server.core.scoped import ProjectScopedView

CSV_ANSWER = {(200, "text/csv"): OpenApiResponse(description="A `;`-separated CSV attachment, streamed.")}
EPISODE_PARAMETER = OpenApiParameter(
    "episode_id", str, description="An episode's id (`main`: no episode, `all`: every one)."
)


def not_vendor(access, project):
    """The production's team, vendors aside (the reference's project exports)."""
    access.check_project_reader(project.pk, ("vendor",))


def episode_choice(request):
    """The `episode_id` parameter: None, "main", "all" or an episode's id (400 when malformed)."""
    value = query_text(request, "episode_id")
    if value in (None, "main", "all"):
        return value
    return query_id(request, "episode_id", "Wrong UUID format for episode_id.")


class StudioCsvExport(KitsuView):
    """A studio-wide export: the global managers (and admins)."""

    rows = None  # the query module's rows function
    name = "export"

    def file_name(self, request):
        return self.name

    @extend_schema(responses=CSV_ANSWER)
    def get(self, request):
        access_for(request).check_manager()
        return csv_response(type(self).rows(), self.file_name(request))


class ProjectsCsvExport(StudioCsvExport):
    rows = queries.projects_rows


class PersonsCsvExport(StudioCsvExport):
    rows = queries.persons_rows
    name = "people_export"


class TaskTypesCsvExport(StudioCsvExport):
    rows = queries.task_types_rows


class TasksCsvExport(StudioCsvExport):
    rows = queries.tasks_rows
    name = "tasks_export"


class TimeSpentsCsvExport(StudioCsvExport):
    rows = queries.time_spents_rows

    def file_name(self, request):
        try:
            zone = zoneinfo.ZoneInfo(request.user.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        today = datetime.datetime.now(tz=zone).strftime("%Y-%m-%d")
        return f"{today}_open_projects_time_spents_export"


class ProjectCsvExport(ProjectScopedView):
    rules = {"GET": not_vendor}


class AssetsCsvExport(ProjectCsvExport):
    @extend_schema(parameters=[EPISODE_PARAMETER], responses=CSV_ANSWER)
    def get(self, request, project_id):
        rows = breakdown.assets_rows(self.project, episode_choice(request))
        return csv_response(rows, f"{self.project.name} assets", charset=False)


class ShotsCsvExport(ProjectCsvExport):
    @extend_schema(parameters=[EPISODE_PARAMETER], responses=CSV_ANSWER)
    def get(self, request, project_id):
        rows = breakdown.shots_rows(self.project, episode_choice(request))
        return csv_response(rows, f"{self.project.name} shots", charset=False)


class EditsCsvExport(ProjectCsvExport):
    @extend_schema(responses=CSV_ANSWER)
    def get(self, request, project_id):
        return csv_response(breakdown.edits_rows(self.project), f"{self.project.name} edits", charset=False)


class CastingCsvExport(ProjectCsvExport):
    @extend_schema(
        parameters=[
            EPISODE_PARAMETER,
            OpenApiParameter("is_shot_casting", bool, description="Shots' casting."),
        ],
        responses=CSV_ANSWER,
    )
    def get(self, request, project_id):
        rows = breakdown.casting_rows(
            self.project, episode_choice(request), parse_bool(request.query_params.get("is_shot_casting"))
        )
        return csv_response(rows, f"{self.project.name} casting", charset=False)


class PlaylistCsvExport(KitsuView):
    @extend_schema(responses=CSV_ANSWER)
    def get(self, request, playlist_id):
        access = access_for(request)
        access.block_vendor()
        pk = uuid_or_none(playlist_id)
        playlist = Playlist.objects.select_related("project", "episode").filter(pk=pk).first() if pk else None
        if playlist is None or playlist.project is None:
            raise NotFound("Playlist not found.")
        check_playlist_export(access, playlist)
        rows = playlists.playlist_rows(playlist, playlist.project, request.user)
        return csv_response(rows, f"{playlist.project.name} playlist {playlist.name}", charset=False)


def check_playlist_export(access, playlist):
    """The production's managers and supervisors, its clients for the playlists shared with them."""
    role = access.check_project_access(playlist.project_id)
    if role in ("admin", "manager", "supervisor") or (role == "client" and playlist.for_client):
        return
    access.check_manager(playlist.project_id)
