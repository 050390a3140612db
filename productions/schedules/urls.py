"""Kitsu routes of a production's schedule, one line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from productions.schedules import views

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/milestones",
        views.ProjectMilestonesView.as_view(),
        name="project-milestones",
    ),
    kitsu_path(
        "/data/projects/{project_id}/schedule-items",
        views.ProjectScheduleItemsView.as_view(),
        name="project-schedule-items",
    ),
    kitsu_path(
        "/data/projects/{project_id}/schedule-items/task-types",
        views.ProjectTaskTypeScheduleItemsView.as_view(),
        name="project-task-type-schedule-items",
    ),
    kitsu_path(
        "/data/projects/{project_id}/schedule-items/{task_type_id}/asset-types",
        views.AssetTypeScheduleItemsView.as_view(),
        name="project-asset-type-schedule-items",
    ),
    kitsu_path(
        "/data/projects/{project_id}/schedule-items/{task_type_id}/edits",
        views.EditScheduleItemsView.as_view(),
        name="project-edit-schedule-items",
    ),
    kitsu_path(
        "/data/projects/{project_id}/schedule-items/{task_type_id}/episodes",
        views.EpisodeScheduleItemsView.as_view(),
        name="project-episode-schedule-items",
    ),
    kitsu_path(
        "/data/projects/{project_id}/schedule-items/{task_type_id}/sequences",
        views.SequenceScheduleItemsView.as_view(),
        name="project-sequence-schedule-items",
    ),
    kitsu_path(
        "/data/projects/{project_id}/day-offs", views.ProjectDayOffsView.as_view(), name="project-day-offs"
    ),
    kitsu_path(
        "/data/projects/{project_id}/time-spents",
        views.ProjectTimeSpentsView.as_view(),
        name="project-time-spents",
    ),
    kitsu_path(
        "/data/projects/{project_id}/task-types/{task_type_id}/time-spents",
        views.ProjectTaskTypeTimeSpentsView.as_view(),
        name="project-task-type-time-spents",
    ),
    kitsu_path(
        "/data/production-schedule-versions/{production_schedule_version_id}/task-links",
        views.VersionTaskLinksView.as_view(),
        name="production-schedule-version-task-links",
    ),
    kitsu_path(
        "/actions/production-schedule-versions/{production_schedule_version_id}/apply-to-production",
        views.VersionApplyToProductionView.as_view(),
        name="production-schedule-version-apply-to-production",
    ),
    kitsu_path(
        "/actions/production-schedule-versions/{production_schedule_version_id}/set-task-links-from-production",
        views.VersionTaskLinksFromProductionView.as_view(),
        name="production-schedule-version-set-task-links-from-production",
    ),
    kitsu_path(
        "/actions/production-schedule-versions/{production_schedule_version_id}"
        "/set-task-links-from-production-schedule-version",
        views.VersionTaskLinksFromVersionView.as_view(),
        name="production-schedule-version-set-task-links-from-version",
    ),
]
