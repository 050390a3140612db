"""Kitsu routes of the `shots` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id (`/data/shots/all`,
`/data/shots/with-tasks` before `/data/shots/{shot_id}`; `.../episodes/stats` before any
`.../episodes/{episode_id}`; `quotas/persons/...` before `quotas/{task_type_id}`).
"""

from kitsu_server.routing import kitsu_path
from shots import views

urlpatterns = [
    kitsu_path(
        "/actions/projects/{project_id}/task-types/{task_type_id}/set-shot-nb-frames",
        views.SetShotsFramesView.as_view(),
        name="project-set-shot-nb-frames",
    ),
    # --- episodes ---
    kitsu_path("/data/episodes", views.EpisodesView.as_view(), name="episodes"),
    kitsu_path(
        "/data/episodes/with-tasks", views.EpisodesWithTasksView.as_view(), name="episodes-with-tasks"
    ),
    kitsu_path("/data/episodes/{episode_id}", views.EpisodeView.as_view(), name="episode"),
    kitsu_path(
        "/data/episodes/{episode_id}/asset-tasks",
        views.EpisodeAssetTasksView.as_view(),
        name="episode-asset-tasks",
    ),
    kitsu_path(
        "/data/episodes/{episode_id}/sequences",
        views.EpisodeSequencesView.as_view(),
        name="episode-sequences",
    ),
    kitsu_path(
        "/data/episodes/{episode_id}/shot-tasks",
        views.EpisodeShotTasksView.as_view(),
        name="episode-shot-tasks",
    ),
    kitsu_path("/data/episodes/{episode_id}/shots", views.EpisodeShotsView.as_view(), name="episode-shots"),
    kitsu_path(
        "/data/episodes/{episode_id}/task-types",
        views.EpisodeTaskTypesView.as_view(),
        name="episode-task-types",
    ),
    kitsu_path("/data/episodes/{episode_id}/tasks", views.EpisodeTasksView.as_view(), name="episode-tasks"),
    # --- productions ---
    kitsu_path(
        "/data/projects/{project_id}/episodes", views.ProjectEpisodesView.as_view(), name="project-episodes"
    ),
    kitsu_path(
        "/data/projects/{project_id}/episodes/retake-stats",
        views.ProjectEpisodeRetakeStatsView.as_view(),
        name="project-episodes-retake-stats",
    ),
    kitsu_path(
        "/data/projects/{project_id}/episodes/stats",
        views.ProjectEpisodeStatsView.as_view(),
        name="project-episodes-stats",
    ),
    kitsu_path(
        "/data/projects/{project_id}/quotas/persons/{person_id}",
        views.ProjectPersonQuotasView.as_view(),
        name="project-person-quotas",
    ),
    kitsu_path(
        "/data/projects/{project_id}/quotas/{task_type_id}",
        views.ProjectQuotasView.as_view(),
        name="project-quotas",
    ),
    kitsu_path(
        "/data/projects/{project_id}/scenes", views.ProjectScenesView.as_view(), name="project-scenes"
    ),
    kitsu_path(
        "/data/projects/{project_id}/sequences",
        views.ProjectSequencesView.as_view(),
        name="project-sequences",
    ),
    kitsu_path("/data/projects/{project_id}/shots", views.ProjectShotsView.as_view(), name="project-shots"),
    # --- scenes ---
    kitsu_path("/data/scenes/all", views.ScenesView.as_view(), name="scenes-all"),
    kitsu_path("/data/scenes/with-tasks", views.ScenesWithTasksView.as_view(), name="scenes-with-tasks"),
    kitsu_path("/data/scenes/{scene_id}", views.SceneView.as_view(), name="scene"),
    kitsu_path("/data/scenes/{scene_id}/shots", views.SceneShotsView.as_view(), name="scene-shots"),
    kitsu_path("/data/scenes/{scene_id}/shots/{shot_id}", views.SceneShotView.as_view(), name="scene-shot"),
    kitsu_path(
        "/data/scenes/{scene_id}/task-types", views.SceneTaskTypesView.as_view(), name="scene-task-types"
    ),
    kitsu_path("/data/scenes/{scene_id}/tasks", views.SceneTasksView.as_view(), name="scene-tasks"),
    # --- sequences ---
    kitsu_path("/data/sequences", views.SequencesView.as_view(), name="sequences"),
    kitsu_path(
        "/data/sequences/with-tasks", views.SequencesWithTasksView.as_view(), name="sequences-with-tasks"
    ),
    kitsu_path("/data/sequences/{sequence_id}", views.SequenceView.as_view(), name="sequence"),
    kitsu_path(
        "/data/sequences/{sequence_id}/scenes", views.SequenceScenesView.as_view(), name="sequence-scenes"
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/shot-tasks",
        views.SequenceShotTasksView.as_view(),
        name="sequence-shot-tasks",
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/shots", views.SequenceShotsView.as_view(), name="sequence-shots"
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/task-types",
        views.SequenceTaskTypesView.as_view(),
        name="sequence-task-types",
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/tasks", views.SequenceTasksView.as_view(), name="sequence-tasks"
    ),
    # --- shots ---
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
