"""Kitsu routes of the previews of tasks: main previews, a comment's preview slots, preview lists.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.previews import attachment_thumbnails, review_views, views

COMMENT_PREVIEW = "/actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}"

urlpatterns = [
    # --- actions ---
    kitsu_path(
        "/actions/tasks/set-main-preview", views.TasksMainPreviewView.as_view(), name="tasks-set-main-preview"
    ),
    kitsu_path(
        "/actions/tasks/{task_id}/comments/{comment_id}/add-preview",
        views.CommentPreviewAddView.as_view(),
        name="comment-add-preview",
    ),
    # --- data ---
    kitsu_path(COMMENT_PREVIEW, views.CommentExtraPreviewView.as_view(), name="comment-preview-file"),
    kitsu_path(
        "/actions/tasks/{task_id}/set-main-preview",
        views.TaskMainPreviewView.as_view(),
        name="task-set-main-preview",
    ),
    kitsu_path(
        "/data/projects/{project_id}/preview-files",
        views.ProjectPreviewFilesView.as_view(),
        name="project-preview-files",
    ),
    kitsu_path("/data/tasks/{task_id}/previews", views.TaskPreviewsView.as_view(), name="task-previews"),
]

urlpatterns += [  # review of preview files (their media: files.media)
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/extract-annotated-frame",
        review_views.ExtractAnnotatedFrameView.as_view(),
        name="preview-extract-annotated-frame",
    ),
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/extract-annotated-frames",
        review_views.ExtractAnnotatedFramesView.as_view(),
        name="preview-extract-annotated-frames",
    ),
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/extract-annotated-frames-pdf",
        review_views.ExtractAnnotatedFramesPdfView.as_view(),
        name="preview-extract-annotated-frames-pdf",
    ),
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/extract-frame",
        review_views.ExtractFrameView.as_view(),
        name="preview-extract-frame",
    ),
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/extract-tile",
        review_views.ExtractTileView.as_view(),
        name="preview-extract-tile",
    ),
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/set-main-preview",
        review_views.SetMainPreviewView.as_view(),
        name="preview-set-main",
    ),
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/update-annotations",
        review_views.UpdateAnnotationsView.as_view(),
        name="preview-update-annotations",
    ),
    kitsu_path(
        "/actions/preview-files/{preview_file_id}/update-position",
        review_views.UpdatePositionView.as_view(),
        name="preview-update-position",
    ),
    kitsu_path(
        "/actions/tasks/batch-comment",
        review_views.TasksBatchCommentView.as_view(),
        name="tasks-batch-comment",
    ),
    kitsu_path(
        "/actions/tasks/{task_id}/batch-comment",
        review_views.TaskBatchCommentView.as_view(),
        name="task-batch-comment",
    ),
    kitsu_path(
        "/data/playlists/preview-files/running",
        review_views.RunningPreviewFilesView.as_view(),
        name="running-preview-files",
    ),
    kitsu_path(
        "/pictures/thumbnails/attachment-files/{attachment_file_id}.png",
        attachment_thumbnails.AttachmentThumbnailView.as_view(),
        name="attachment-thumbnail",
    ),
]
