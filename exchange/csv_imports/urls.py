"""Kitsu routes of CSV and OTIO imports (/import/csv/..., /import/otio/...), one line each."""

from exchange.csv_imports import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path(
        "/import/csv/projects/{project_id}/assets", views.AssetsCsvImport.as_view(), name="import-csv-assets"
    ),
    kitsu_path(
        "/import/csv/projects/{project_id}/edits", views.EditsCsvImport.as_view(), name="import-csv-edits"
    ),
    kitsu_path(
        "/import/csv/projects/{project_id}/shots", views.ShotsCsvImport.as_view(), name="import-csv-shots"
    ),
]
