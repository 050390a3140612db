"""Views of playlist builds: a movie built (a job), its state, cancelled, downloaded; the zip of
the playlist's previews, streamed."""

import re

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from files.media.downloads import content_disposition, send_stored
from files.models import BuildJob, Playlist
from files.playlists import builds, services
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_bool, uuid_or_none
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import found_or_404

TAGS = ["data/playlists"]


def playlist_or_404(playlist_id):
    return found_or_404(Playlist, playlist_id, "Playlist not found.")


def build_job_of(playlist, build_job_id):
    pk = uuid_or_none(build_job_id)
    build_job = BuildJob.objects.filter(pk=pk, playlist=playlist).first() if pk else None
    if build_job is None:
        raise NotFound("Build job not found.")
    return build_job


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "_", text or "").strip("_") or "playlist"


def download_name(playlist, extension, build_job=None):
    """`<project>[_<episode>]_<playlist>.<ext>` (a movie prefixed with its build's time)."""
    parts = [slug(playlist.project.name if playlist.project else "")]
    if playlist.episode is not None:
        parts.append(slug(playlist.episode.name))
    parts.append(slug(playlist.name))
    if build_job is not None:
        parts.insert(0, build_job.created_at.strftime("%Y%m%d_%H%M%S"))
    return "_".join(parts) + f".{extension}"


class BuildMovieView(KitsuView):
    """`GET /data/playlists/<id>/build/mp4[?full=]`: a build of the playlist's movie started
    (managers of its production); its row, running. One build at a time per playlist (409)."""

    @extend_schema(
        parameters=[OpenApiParameter("full", bool)], responses={200: OpenApiTypes.OBJECT}, tags=TAGS
    )
    def get(self, request, playlist_id):
        playlist = playlist_or_404(playlist_id)
        access_for(request).check_manager(playlist.project_id)
        full = parse_bool(request.query_params.get("full", "false"))
        try:
            build_job = services.start_build(playlist, request.user, full=full)
        except services.BuildInProgress:
            return Response(
                {"error": True, "message": "A build is already in progress for this playlist"}, status=409
            )
        return Response(builds.render_build_job(build_job))


class BuildJobView(KitsuView):
    """`GET|DELETE /data/playlists/<id>/jobs/<id>`: a build's state and progress; the build
    cancelled or its movie removed (204). Managers, and clients for a playlist shared with them."""

    def build_job(self, request, playlist_id, build_job_id):
        access = access_for(request)
        access.block_vendor()
        playlist = playlist_or_404(playlist_id)
        access.check_playlist_access(playlist)
        return build_job_of(playlist, build_job_id)

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, playlist_id, build_job_id):
        return Response(builds.render_build_job(self.build_job(request, playlist_id, build_job_id)))

    @extend_schema(responses={204: None}, tags=TAGS)
    def delete(self, request, playlist_id, build_job_id):
        builds.remove_build(self.build_job(request, playlist_id, build_job_id), request.user)
        return Response(status=204)


class BuildDownloadView(KitsuView):
    """`GET /data/playlists/<id>/jobs/<id>/build/mp4`: the built movie (ranges), once the build
    succeeded (400 before). Managers, supervisors, clients for a shared playlist."""

    @extend_schema(responses={(200, "video/mp4"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, playlist_id, build_job_id):
        access = access_for(request)
        access.block_vendor()
        playlist = playlist_or_404(playlist_id)
        access.check_playlist_access(playlist, supervisor_access=True)
        build_job = build_job_of(playlist, build_job_id)
        if build_job.status != "succeeded":
            raise WrongParameter("Build is not finished")
        return send_stored(
            request,
            builds.movie_key(build_job.pk),
            "video/mp4",
            last_modified=build_job.ended_at,
            download_name=download_name(playlist, "mp4", build_job),
            as_attachment=True,
        )


class ZipDownloadView(KitsuView):
    """`GET /data/playlists/<id>/download/zip`: the chosen previews in a zip, streamed as it is
    written. Managers, supervisors, clients for a shared playlist."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, playlist_id):
        access = access_for(request)
        access.block_vendor()
        playlist = playlist_or_404(playlist_id)
        access.check_playlist_access(playlist, supervisor_access=True)
        entries = builds.zip_entries(playlist)
        response = StreamingHttpResponse(builds.stream_zip(entries), content_type="application/zip")
        response["Content-Disposition"] = content_disposition("attachment", download_name(playlist, "zip"))
        return response
