"""Kitsu routes of CSV and OTIO imports (/import/csv/..., /import/otio/...), one line each."""

from exchange.csv_imports import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path("/import/csv/persons", views.PersonsCsvImport.as_view(), name="import-csv-persons"),
    kitsu_path(
        "/import/csv/projects/{project_id}/assets", views.AssetsCsvImport.as_view(), name="import-csv-assets"
    ),
    kitsu_path(
        "/import/csv/projects/{project_id}/casting",
        views.CastingCsvImport.as_view(),
        name="import-csv-casting",
    ),
    kitsu_path(
        "/import/csv/projects/{project_id}/edits", views.EditsCsvImport.as_view(), name="import-csv-edits"
    ),
    kitsu_path(
        "/import/csv/projects/{project_id}/episodes/{episode_id}/task-types/{task_type_id}/estimations",
        views.EpisodeEstimationsCsvImport.as_view(),
        name="import-csv-episode-estimations",
    ),
    kitsu_path(
        "/import/csv/projects/{project_id}/shots", views.ShotsCsvImport.as_view(), name="import-csv-shots"
    ),
    kitsu_path(
        "/import/csv/projects/{project_id}/task-types/{task_type_id}/estimations",
        views.EstimationsCsvImport.as_view(),
        name="import-csv-estimations",
    ),
    kitsu_path("/import/otio/projects/{project_id}", views.OtioImport.as_view(), name="import-otio"),
    kitsu_path(
        "/import/otio/projects/{project_id}/episodes/{episode_id}",
        views.EpisodeOtioImport.as_view(),
        name="import-otio-episode",
    ),
]
