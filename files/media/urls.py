"""Kitsu routes of preview media (/pictures/..., /movies/..., /actions/preview-files/...), one line
each (see kitsu_server.routing.kitsu_path), in the order of routes.tsv."""

from files.media import thumbnail_views, views
from kitsu_server.routing import kitsu_path

PREVIEW = "preview-files/{instance_id}"

urlpatterns = [
    kitsu_path(f"/movies/low/{PREVIEW}.mp4", views.PreviewLowMovieView.as_view(), name="preview-movie-low"),
    kitsu_path(f"/movies/originals/{PREVIEW}.mp4", views.PreviewMovieView.as_view(), name="preview-movie"),
    kitsu_path(
        f"/movies/originals/{PREVIEW}/download",
        views.PreviewMovieDownloadView.as_view(),
        name="preview-movie-download",
    ),
    kitsu_path(
        f"/movies/source/{PREVIEW}.mp4", views.PreviewSourceMovieView.as_view(), name="preview-movie-source"
    ),
    kitsu_path(f"/movies/tiles/{PREVIEW}.png", views.PreviewTileView.as_view(), name="preview-tile"),
    kitsu_path(
        f"/pictures/originals/{PREVIEW}.png",
        views.PreviewOriginalPictureView.as_view(),
        name="preview-original-png",
    ),
    kitsu_path(
        f"/pictures/originals/{PREVIEW}/download",
        views.PreviewFileDownloadView.as_view(),
        name="preview-download",
    ),
    kitsu_path(
        f"/pictures/originals/{PREVIEW}.{{extension}}",
        views.PreviewFileOriginalView.as_view(),
        name="preview-original",
    ),
    kitsu_path(f"/pictures/{PREVIEW}", views.PreviewFileUploadView.as_view(), name="preview-upload"),
    kitsu_path(
        f"/pictures/previews/{PREVIEW}.png", views.PreviewPreviewPictureView.as_view(), name="preview-picture"
    ),
    kitsu_path(
        f"/pictures/thumbnails-square/{PREVIEW}.png",
        views.PreviewSquareThumbnailView.as_view(),
        name="preview-thumbnail-square",
    ),
    kitsu_path(
        f"/pictures/thumbnails/{PREVIEW}.png", views.PreviewThumbnailView.as_view(), name="preview-thumbnail"
    ),
]

urlpatterns += [
    kitsu_path(
        "/pictures/preview-background-files/{instance_id}.{extension}",
        thumbnail_views.PreviewBackgroundFileView.as_view(),
        name="preview-background-file",
    ),
    kitsu_path(
        "/pictures/preview-background-files/{instance_id}",
        thumbnail_views.PreviewBackgroundUploadView.as_view(),
        name="preview-background-upload",
    ),
    kitsu_path(
        "/pictures/thumbnails/organisations/{instance_id}.png",
        thumbnail_views.OrganisationThumbnailView.as_view(),
        name="organisation-thumbnail-png",
    ),
    kitsu_path(
        "/pictures/thumbnails/organisations/{instance_id}",
        thumbnail_views.OrganisationThumbnailView.as_view(),
        name="organisation-thumbnail",
    ),
    kitsu_path(
        "/pictures/thumbnails/persons/{instance_id}.png",
        thumbnail_views.PersonThumbnailView.as_view(),
        name="person-thumbnail-png",
    ),
    kitsu_path(
        "/pictures/thumbnails/persons/{instance_id}",
        thumbnail_views.PersonThumbnailView.as_view(),
        name="person-thumbnail",
    ),
    kitsu_path(
        "/pictures/thumbnails/preview-background-files/{instance_id}.png",
        thumbnail_views.PreviewBackgroundThumbnailView.as_view(),
        name="preview-background-thumbnail",
    ),
    kitsu_path(
        "/pictures/thumbnails/projects/{instance_id}.png",
        thumbnail_views.ProjectThumbnailDisplayView.as_view(),
        name="project-thumbnail-png",
    ),
    kitsu_path(
        "/pictures/thumbnails/projects/{instance_id}",
        thumbnail_views.ProjectThumbnailView.as_view(),
        name="project-thumbnail",
    ),
]
