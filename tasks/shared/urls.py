"""Kitsu routes of the `shared` area (a playlist through its share link), one line each, in the
order of routes.tsv."""

from kitsu_server.routing import kitsu_path
from tasks.shared import views

SHARED = "/shared/playlists/{token}"
PREVIEW = "preview-files/{preview_file_id}"

urlpatterns = [
    kitsu_path(SHARED, views.SharedPlaylistView.as_view(), name="shared-playlist"),
    kitsu_path(f"{SHARED}/annotations", views.SharedAnnotationsView.as_view(), name="shared-annotations"),
    kitsu_path(
        f"{SHARED}/attachment-files/{{attachment_file_id}}/file/{{file_name}}",
        views.SharedAttachmentView.as_view(),
        name="shared-attachment",
    ),
    kitsu_path(f"{SHARED}/comments", views.SharedCommentsView.as_view(), name="shared-comments"),
    kitsu_path(f"{SHARED}/comments/{{comment_id}}", views.SharedCommentView.as_view(), name="shared-comment"),
    kitsu_path(
        f"{SHARED}/comments/{{comment_id}}/attachments",
        views.SharedCommentAttachmentsView.as_view(),
        name="shared-comment-attachments",
    ),
    kitsu_path(
        f"{SHARED}/comments/{{comment_id}}/attachments/{{attachment_file_id}}",
        views.SharedCommentAttachmentView.as_view(),
        name="shared-comment-attachment",
    ),
    kitsu_path(f"{SHARED}/context", views.SharedContextView.as_view(), name="shared-context"),
    kitsu_path(f"{SHARED}/guest", views.SharedGuestView.as_view(), name="shared-guest"),
    kitsu_path(
        f"{SHARED}/movies/originals/{PREVIEW}.mp4", views.SharedMovieView.as_view(), name="shared-movie"
    ),
    kitsu_path(f"{SHARED}/movies/tiles/{PREVIEW}.png", views.SharedTileView.as_view(), name="shared-tile"),
    kitsu_path(
        f"{SHARED}/pictures/originals/{PREVIEW}.png",
        views.SharedOriginalPictureView.as_view(),
        name="shared-original-png",
    ),
    kitsu_path(
        f"{SHARED}/pictures/originals/{PREVIEW}.{{extension}}",
        views.SharedOriginalFileView.as_view(),
        name="shared-original",
    ),
    kitsu_path(
        f"{SHARED}/pictures/thumbnails/persons/{{person_id}}.png",
        views.SharedPersonThumbnailView.as_view(),
        name="shared-person-thumbnail",
    ),
    kitsu_path(
        f"{SHARED}/pictures/thumbnails/{PREVIEW}.png",
        views.SharedThumbnailView.as_view(),
        name="shared-thumbnail",
    ),
    kitsu_path(f"{SHARED}/{PREVIEW}", views.SharedPreviewFileView.as_view(), name="shared-preview-file"),
    kitsu_path(
        f"{SHARED}/{PREVIEW}/download", views.SharedPreviewDownloadView.as_view(), name="shared-download"
    ),
]
