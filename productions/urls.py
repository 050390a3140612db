"""Kitsu routes served by the `productions` app, one line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from productions import views

urlpatterns = [
    kitsu_path(
        "/actions/projects/{project_id}/task-type-links/reorder",
        views.ProjectTaskTypeLinksReorderView.as_view(),
        name="project-task-type-links-reorder",
    ),
    kitsu_path(
        "/actions/projects/{project_id}/task-status-links/reorder",
        views.ProjectTaskStatusLinksReorderView.as_view(),
        name="project-task-status-links-reorder",
    ),
]
