"""Kitsu routes of the `edits` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id
(`/data/edits/all` and `/data/edits/with-tasks` before `/data/edits/{edit_id}`).
"""

from kitsu_server.routing import kitsu_path
from shots.edits import views

urlpatterns = [
    kitsu_path("/data/edits", views.EditsView.as_view(), name="edits"),
    kitsu_path("/data/edits/all", views.AllEditsView.as_view(), name="edits-all"),
    kitsu_path("/data/edits/with-tasks", views.EditsWithTasksView.as_view(), name="edits-with-tasks"),
    kitsu_path("/data/edits/{edit_id}", views.EditView.as_view(), name="edit"),
    kitsu_path(
        "/data/edits/{edit_id}/preview-files", views.EditPreviewFilesView.as_view(), name="edit-preview-files"
    ),
    kitsu_path("/data/edits/{edit_id}/task-types", views.EditTaskTypesView.as_view(), name="edit-task-types"),
    kitsu_path("/data/edits/{edit_id}/tasks", views.EditTasksView.as_view(), name="edit-tasks"),
    kitsu_path("/data/edits/{edit_id}/versions", views.EditVersionsView.as_view(), name="edit-versions"),
    kitsu_path(
        "/data/episodes/{episode_id}/edit-tasks",
        views.EpisodeEditTasksView.as_view(),
        name="episode-edit-tasks",
    ),
    kitsu_path("/data/episodes/{episode_id}/edits", views.EpisodeEditsView.as_view(), name="episode-edits"),
    kitsu_path("/data/projects/{project_id}/edits", views.ProjectEditsView.as_view(), name="project-edits"),
]
