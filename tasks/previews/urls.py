"""Kitsu routes of the previews of tasks: main previews, a comment's preview slots, preview lists.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.previews import views

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
