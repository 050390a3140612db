"""Kitsu routes of comments: posting them (one, many, copied from clients), their thread (replies,
acknowledgements, moves, attachments), a task's and a project's comments.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.comments import views

TASK_COMMENT = "/data/tasks/{task_id}/comments/{comment_id}"
TASK_COMMENT_ACTION = "/actions/tasks/{task_id}/comments/{comment_id}"

urlpatterns = [
    # --- actions ---
    kitsu_path(
        "/actions/projects/{project_id}/tasks/comment-many",
        views.ProjectTasksCommentManyView.as_view(),
        name="project-tasks-comment-many",
    ),
    kitsu_path(
        "/actions/projects/{project_id}/tasks/copy-client-comments",
        views.CopyClientCommentsView.as_view(),
        name="project-tasks-copy-client-comments",
    ),
    kitsu_path(
        "/actions/tasks/{task_id}/comment", views.TaskCommentPostView.as_view(), name="task-comment-post"
    ),
    kitsu_path(
        f"{TASK_COMMENT_ACTION}/add-attachment",
        views.CommentAttachmentAddView.as_view(),
        name="comment-add-attachment",
    ),
    kitsu_path(f"{TASK_COMMENT_ACTION}/move", views.CommentMoveView.as_view(), name="comment-move"),
    # --- data ---
    kitsu_path(
        "/data/attachment-files/{attachment_file_id}/file/{file_name}",
        views.AttachmentFileDownloadView.as_view(),
        name="attachment-file-download",
    ),
    kitsu_path(
        "/data/projects/{project_id}/attachment-files",
        views.ProjectAttachmentFilesView.as_view(),
        name="project-attachment-files",
    ),
    kitsu_path(
        "/data/projects/{project_id}/comments", views.ProjectCommentsView.as_view(), name="project-comments"
    ),
    kitsu_path(
        "/data/tasks/{task_id}/attachment-files",
        views.TaskAttachmentFilesView.as_view(),
        name="task-attachment-files",
    ),
    kitsu_path("/data/tasks/{task_id}/comments", views.TaskCommentsView.as_view(), name="task-comments"),
    kitsu_path(
        "/data/tasks/{task_id}/comments/{comment_id}", views.TaskCommentView.as_view(), name="task-comment"
    ),
    kitsu_path(f"{TASK_COMMENT}/ack", views.CommentAckView.as_view(), name="comment-ack"),
    kitsu_path(
        f"{TASK_COMMENT}/attachments/{{attachment_file_id}}",
        views.CommentAttachmentDeleteView.as_view(),
        name="comment-attachment",
    ),
    kitsu_path(f"{TASK_COMMENT}/reply", views.CommentReplyView.as_view(), name="comment-reply"),
    kitsu_path(
        f"{TASK_COMMENT}/reply/{{reply_id}}",
        views.CommentReplyDeleteView.as_view(),
        name="comment-reply-delete",
    ),
]
