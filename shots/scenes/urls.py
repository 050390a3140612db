"""Kitsu routes of the `scenes` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id (`/data/scenes/all`,
`/data/scenes/with-tasks` before `/data/scenes/{scene_id}`).
"""

from kitsu_server.routing import kitsu_path
from shots.scenes import views

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/scenes", views.ProjectScenesView.as_view(), name="project-scenes"
    ),
    kitsu_path("/data/scenes/all", views.ScenesView.as_view(), name="scenes-all"),
    kitsu_path("/data/scenes/with-tasks", views.ScenesWithTasksView.as_view(), name="scenes-with-tasks"),
    kitsu_path("/data/scenes/{scene_id}", views.SceneView.as_view(), name="scene"),
    kitsu_path("/data/scenes/{scene_id}/shots", views.SceneShotsView.as_view(), name="scene-shots"),
    kitsu_path("/data/scenes/{scene_id}/shots/{shot_id}", views.SceneShotView.as_view(), name="scene-shot"),
    kitsu_path(
        "/data/scenes/{scene_id}/task-types", views.SceneTaskTypesView.as_view(), name="scene-task-types"
    ),
    kitsu_path("/data/scenes/{scene_id}/tasks", views.SceneTasksView.as_view(), name="scene-tasks"),
]
