"""Kitsu routes of CSV exports (/export/csv/...), one line each."""

from exchange.exports import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path("/export/csv/persons.csv", views.PersonsCsvExport.as_view(), name="export-persons"),
    kitsu_path(
        "/export/csv/playlists/{playlist_id}", views.PlaylistCsvExport.as_view(), name="export-playlist"
    ),
    kitsu_path("/export/csv/projects.csv", views.ProjectsCsvExport.as_view(), name="export-projects"),
    kitsu_path(
        "/export/csv/projects/{project_id}/assets.csv", views.AssetsCsvExport.as_view(), name="export-assets"
    ),
    kitsu_path(
        "/export/csv/projects/{project_id}/casting.csv",
        views.CastingCsvExport.as_view(),
        name="export-casting",
    ),
    kitsu_path(
        "/export/csv/projects/{project_id}/edits.csv", views.EditsCsvExport.as_view(), name="export-edits"
    ),
    kitsu_path(
        "/export/csv/projects/{project_id}/shots.csv", views.ShotsCsvExport.as_view(), name="export-shots"
    ),
    kitsu_path("/export/csv/task-types.csv", views.TaskTypesCsvExport.as_view(), name="export-task-types"),
    kitsu_path("/export/csv/tasks.csv", views.TasksCsvExport.as_view(), name="export-tasks"),
    kitsu_path("/export/csv/time-spents.csv", views.TimeSpentsCsvExport.as_view(), name="export-time-spents"),
]
