"""Kitsu routes of the `user` area (about the person calling), one line each (see
kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from people.user import views

# A viewset serves the requester's desktop logins: the verbs of the path and the action they call.
DESKTOP_LOGINS = {"get": "list", "post": "create"}

urlpatterns = [
    # --- context and projects
    kitsu_path("/data/user/context", views.ContextView.as_view(), name="user-context"),
    kitsu_path("/data/user/projects/open", views.OpenProjectsView.as_view(), name="user-open-projects"),
    kitsu_path(
        "/data/user/projects/{project_id}/asset-types",
        views.ProjectAssetTypesView.as_view(),
        name="user-project-asset-types",
    ),
    kitsu_path(
        "/data/user/projects/{project_id}/asset-types/{asset_type_id}/assets",
        views.AssetTypeAssetsView.as_view(),
        name="user-asset-type-assets",
    ),
    kitsu_path(
        "/data/user/projects/{project_id}/episodes",
        views.ProjectEpisodesView.as_view(),
        name="user-project-episodes",
    ),
    kitsu_path(
        "/data/user/projects/{project_id}/sequences",
        views.ProjectSequencesView.as_view(),
        name="user-project-sequences",
    ),
    # --- entities and their tasks
    kitsu_path(
        "/data/user/assets/{asset_id}/task-types",
        views.AssetTaskTypesView.as_view(),
        name="user-asset-task-types",
    ),
    kitsu_path("/data/user/assets/{asset_id}/tasks", views.AssetTasksView.as_view(), name="user-asset-tasks"),
    kitsu_path(
        "/data/user/scenes/{scene_id}/task-types",
        views.SceneTaskTypesView.as_view(),
        name="user-scene-task-types",
    ),
    kitsu_path("/data/user/scenes/{scene_id}/tasks", views.SceneTasksView.as_view(), name="user-scene-tasks"),
    kitsu_path(
        "/data/user/sequences/{sequence_id}/scenes",
        views.SequenceScenesView.as_view(),
        name="user-sequence-scenes",
    ),
    kitsu_path(
        "/data/user/sequences/{sequence_id}/shots",
        views.SequenceShotsView.as_view(),
        name="user-sequence-shots",
    ),
    kitsu_path(
        "/data/user/sequences/{sequence_id}/task-types",
        views.SequenceTaskTypesView.as_view(),
        name="user-sequence-task-types",
    ),
    kitsu_path(
        "/data/user/sequences/{sequence_id}/tasks",
        views.SequenceTasksView.as_view(),
        name="user-sequence-tasks",
    ),
    kitsu_path(
        "/data/user/shots/{shot_id}/task-types",
        views.ShotTaskTypesView.as_view(),
        name="user-shot-task-types",
    ),
    kitsu_path("/data/user/shots/{shot_id}/tasks", views.ShotTasksView.as_view(), name="user-shot-tasks"),
    # --- to-do, done and to-check lists
    kitsu_path("/data/user/tasks", views.TodoTasksView.as_view(), name="user-tasks"),
    kitsu_path("/data/user/done-tasks", views.DoneTasksView.as_view(), name="user-done-tasks"),
    kitsu_path("/data/user/tasks-to-check", views.TasksToCheckView.as_view(), name="user-tasks-to-check"),
    kitsu_path(
        "/data/user/tasks-to-check/filter-values",
        views.TasksToCheckFilterValuesView.as_view(),
        name="user-tasks-to-check-filter-values",
    ),
    # --- time, day offs, desktop logins, avatar
    kitsu_path(
        "/data/user/tasks/{task_id}/time-spents/{date}",
        views.TaskTimeSpentView.as_view(),
        name="user-task-time-spent",
    ),
    kitsu_path("/data/user/time-spents", views.TimeSpentsView.as_view(), name="user-time-spents"),
    kitsu_path(
        "/data/user/time-spents/{date}", views.DateTimeSpentsView.as_view(), name="user-date-time-spents"
    ),
    kitsu_path("/data/user/day-offs/{date}", views.DayOffView.as_view(), name="user-day-off"),
    kitsu_path(
        "/data/user/desktop-login-logs",
        views.DesktopLoginLogViewSet.as_view(DESKTOP_LOGINS),
        name="user-desktop-login-logs",
    ),
    kitsu_path("/actions/user/clear-avatar", views.ClearAvatarView.as_view(), name="user-clear-avatar"),
]
