"""Kitsu routes of the `shots` area, one line each (see kitsu_server.routing.kitsu_path). The
episodes, sequences, scenes and quotas have route tables of their own (shots.<area>.urls).

Fixed paths come before the ones they would otherwise match as an id (`/data/shots/all`,
`/data/shots/with-tasks` before `/data/shots/{shot_id}`).
"""

from kitsu_server.routing import kitsu_path
from shots import views

urlpatterns = [
    kitsu_path(
        "/actions/projects/{project_id}/task-types/{task_type_id}/set-shot-nb-frames",
        views.SetShotsFramesView.as_view(),
        name="project-set-shot-nb-frames",
    ),
    kitsu_path("/data/projects/{project_id}/shots", views.ProjectShotsView.as_view(), name="project-shots"),
    kitsu_path("/data/shots", views.AllShotsView.as_view(), name="shots"),
    kitsu_path("/data/shots/all", views.AllShotsView.as_view(), name="shots-all"),
    kitsu_path("/data/shots/with-tasks", views.ShotsWithTasksView.as_view(), name="shots-with-tasks"),
    kitsu_path("/data/shots/{shot_id}", views.ShotView.as_view(), name="shot"),
    kitsu_path("/data/shots/{shot_id}/assets", views.ShotAssetsView.as_view(), name="shot-assets"),
    kitsu_path(
        "/data/shots/{shot_id}/preview-files", views.ShotPreviewFilesView.as_view(), name="shot-preview-files"
    ),
    kitsu_path("/data/shots/{shot_id}/task-types", views.ShotTaskTypesView.as_view(), name="shot-task-types"),
    kitsu_path("/data/shots/{shot_id}/tasks", views.ShotTasksView.as_view(), name="shot-tasks"),
    kitsu_path("/data/shots/{shot_id}/versions", views.ShotVersionsView.as_view(), name="shot-versions"),
]
