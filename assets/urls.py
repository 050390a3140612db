"""Kitsu routes of the `assets` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id (`/data/assets/all`,
`/data/assets/with-tasks` before `/data/assets/{asset_id}`).
"""

from assets import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    # --- assets ---
    kitsu_path("/actions/assets/share", views.SetSharedAssetsView.as_view(), name="assets-share"),
    kitsu_path(
        "/actions/projects/{project_id}/asset-types/{asset_type_id}/assets/share",
        views.SetSharedProjectAssetTypeAssetsView.as_view(),
        name="project-asset-type-assets-share",
    ),
    kitsu_path(
        "/actions/projects/{project_id}/assets/share",
        views.SetSharedProjectAssetsView.as_view(),
        name="project-assets-share",
    ),
    kitsu_path("/data/asset-types", views.AssetTypesView.as_view(), name="asset-types"),
    kitsu_path("/data/asset-types/{asset_type_id}", views.AssetTypeView.as_view(), name="asset-type"),
    kitsu_path("/data/assets", views.AllAssetsView.as_view(), name="assets"),
    kitsu_path("/data/assets/all", views.AllAssetsView.as_view(), name="assets-all"),
    kitsu_path("/data/assets/with-tasks", views.AssetsWithTasksView.as_view(), name="assets-with-tasks"),
    kitsu_path("/data/assets/{asset_id}", views.AssetView.as_view(), name="asset"),
    kitsu_path(
        "/data/assets/{asset_id}/asset-asset-instances",
        views.AssetAssetInstancesView.as_view(),
        name="asset-asset-instances",
    ),
    kitsu_path("/data/assets/{asset_id}/assets", views.AssetAssetsView.as_view(), name="asset-assets"),
    kitsu_path("/data/assets/{asset_id}/cast-in", views.AssetCastInView.as_view(), name="asset-cast-in"),
    kitsu_path("/data/assets/{asset_id}/casting", views.AssetCastingView.as_view(), name="asset-casting"),
    kitsu_path(
        "/data/assets/{asset_id}/scene-asset-instances",
        views.AssetSceneAssetInstancesView.as_view(),
        name="asset-scene-asset-instances",
    ),
    kitsu_path(
        "/data/assets/{asset_id}/shot-asset-instances",
        views.AssetShotAssetInstancesView.as_view(),
        name="asset-shot-asset-instances",
    ),
    kitsu_path(
        "/data/assets/{asset_id}/task-types", views.AssetTaskTypesView.as_view(), name="asset-task-types"
    ),
    kitsu_path("/data/assets/{asset_id}/tasks", views.AssetTasksView.as_view(), name="asset-tasks"),
    kitsu_path(
        "/data/projects/{project_id}/asset-types",
        views.ProjectAssetTypesView.as_view(),
        name="project-asset-types",
    ),
    kitsu_path(
        "/data/projects/{project_id}/asset-types/{asset_type_id}/assets",
        views.ProjectAssetTypeAssetsView.as_view(),
        name="project-asset-type-assets",
    ),
    kitsu_path(
        "/data/projects/{project_id}/asset-types/{asset_type_id}/assets/new",
        views.NewAssetView.as_view(),
        name="project-asset-new",
    ),
    kitsu_path(
        "/data/projects/{project_id}/assets", views.ProjectAssetsView.as_view(), name="project-assets"
    ),
    kitsu_path(
        "/data/projects/{project_id}/assets/shared-used",
        views.ProjectAssetsSharedUsedView.as_view(),
        name="project-assets-shared-used",
    ),
    kitsu_path(
        "/data/projects/{project_id}/episodes/{episode_id}/assets/shared-used",
        views.ProjectEpisodeAssetsSharedUsedView.as_view(),
        name="project-episode-assets-shared-used",
    ),
    kitsu_path(
        "/data/shots/{shot_id}/asset-types", views.ShotAssetTypesView.as_view(), name="shot-asset-types"
    ),
]
