"""Kitsu routes of the playlists area, one line each, in the order of routes.tsv."""

from files.playlists import build_views, share_views, views
from kitsu_server.routing import kitsu_path

PLAYLIST = "/data/playlists/{playlist_id}"

urlpatterns = [
    kitsu_path(
        "/actions/playlists/{playlist_id}/add-entities",
        views.PlaylistAddEntitiesView.as_view(),
        name="playlist-add-entities",
    ),
    kitsu_path(
        "/actions/playlists/{playlist_id}/add-entity",
        views.PlaylistAddEntityView.as_view(),
        name="playlist-add-entity",
    ),
    kitsu_path(
        "/data/playlists/entities/{entity_id}/preview-files",
        views.EntityPreviewFilesView.as_view(),
        name="playlist-entity-previews",
    ),
    kitsu_path(f"{PLAYLIST}/build/mp4", build_views.BuildMovieView.as_view(), name="playlist-build-movie"),
    kitsu_path(f"{PLAYLIST}/download/zip", build_views.ZipDownloadView.as_view(), name="playlist-zip"),
    kitsu_path(
        f"{PLAYLIST}/jobs/{{build_job_id}}", build_views.BuildJobView.as_view(), name="playlist-build-job"
    ),
    kitsu_path(
        f"{PLAYLIST}/jobs/{{build_job_id}}/build/mp4",
        build_views.BuildDownloadView.as_view(),
        name="playlist-build-download",
    ),
    kitsu_path(
        f"{PLAYLIST}/notify-clients", views.NotifyClientsView.as_view(), name="playlist-notify-clients"
    ),
    kitsu_path(f"{PLAYLIST}/share", share_views.ShareLinksView.as_view(), name="playlist-share-links"),
    kitsu_path(
        f"{PLAYLIST}/share/{{token}}", share_views.ShareLinkView.as_view(), name="playlist-share-link"
    ),
    kitsu_path(
        f"{PLAYLIST}/share/{{token}}/invite",
        share_views.ShareInviteView.as_view(),
        name="playlist-share-invite",
    ),
    kitsu_path(
        "/data/projects/{project_id}/build-jobs",
        views.ProjectBuildJobsView.as_view(),
        name="project-build-jobs",
    ),
    kitsu_path(
        "/data/projects/{project_id}/episodes/{episode_id}/playlists",
        views.EpisodePlaylistsView.as_view(),
        name="episode-playlists",
    ),
    kitsu_path(
        "/data/projects/{project_id}/playlists",
        views.ProjectPlaylistsView.as_view(),
        name="project-playlists",
    ),
    kitsu_path(
        "/data/projects/{project_id}/playlists/all",
        views.ProjectAllPlaylistsView.as_view(),
        name="project-all-playlists",
    ),
    kitsu_path(
        "/data/projects/{project_id}/playlists/temp",
        views.TempPlaylistView.as_view(),
        name="project-temp-playlist",
    ),
    kitsu_path(
        "/data/projects/{project_id}/playlists/{playlist_id}",
        views.ProjectPlaylistView.as_view(),
        name="project-playlist",
    ),
]
