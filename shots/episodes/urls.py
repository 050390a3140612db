"""Kitsu routes of the `episodes` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id (`/data/episodes/with-tasks`
before `/data/episodes/{episode_id}`).
"""

from kitsu_server.routing import kitsu_path
from shots.episodes import views

urlpatterns = [
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
]
