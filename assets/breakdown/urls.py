"""Kitsu routes of the `breakdown` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id
(`/sequences/all/casting` before `/sequences/{sequence_id}/casting`).
"""

from assets.breakdown import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/asset-types/{asset_type_id}/casting",
        views.AssetTypeCastingView.as_view(),
        name="project-asset-type-casting",
    ),
    kitsu_path(
        "/data/projects/{project_id}/entities/casting",
        views.EntitiesCastingView.as_view(),
        name="project-entities-casting",
    ),
    kitsu_path(
        "/data/projects/{project_id}/entities/casting/assets/{asset_id}",
        views.EntitiesAssetCastingView.as_view(),
        name="project-entities-asset-casting",
    ),
    kitsu_path(
        "/data/projects/{project_id}/entities/{entity_id}/casting",
        views.EntityCastingView.as_view(),
        name="project-entity-casting",
    ),
    kitsu_path(
        "/data/projects/{project_id}/entity-links",
        views.ProjectEntityLinksView.as_view(),
        name="project-entity-links",
    ),
    kitsu_path(
        "/data/projects/{project_id}/entity-links/{entity_link_id}",
        views.ProjectEntityLinkView.as_view(),
        name="project-entity-link",
    ),
    kitsu_path(
        "/data/projects/{project_id}/episodes/casting",
        views.EpisodesCastingView.as_view(),
        name="project-episodes-casting",
    ),
    kitsu_path(
        "/data/projects/{project_id}/episodes/{episode_id}/sequences/all/casting",
        views.EpisodeSequencesCastingView.as_view(),
        name="project-episode-sequences-casting",
    ),
    kitsu_path(
        "/data/projects/{project_id}/sequences/all/casting",
        views.SequencesCastingView.as_view(),
        name="project-sequences-casting",
    ),
    kitsu_path(
        "/data/projects/{project_id}/sequences/{sequence_id}/casting",
        views.SequenceCastingView.as_view(),
        name="project-sequence-casting",
    ),
    kitsu_path(
        "/data/scenes/{scene_id}/asset-instances",
        views.SceneAssetInstancesView.as_view(),
        name="scene-asset-instances",
    ),
    kitsu_path(
        "/data/scenes/{scene_id}/camera-instances",
        views.SceneCameraInstancesView.as_view(),
        name="scene-camera-instances",
    ),
    kitsu_path(
        "/data/shots/{shot_id}/asset-instances",
        views.ShotAssetInstancesView.as_view(),
        name="shot-asset-instances",
    ),
    kitsu_path(
        "/data/shots/{shot_id}/asset-instances/{asset_instance_id}",
        views.ShotAssetInstanceView.as_view(),
        name="shot-asset-instance",
    ),
]
