"""Kitsu routes of project templates, one line each (see kitsu_server.routing.kitsu_path).

The template itself is served by the generic `/data/project-templates` routes (productions.crud).
"""

from kitsu_server.routing import kitsu_path
from productions.project_templates import views

TEMPLATE = "/data/project-templates/{project_template_id}"

urlpatterns = [
    kitsu_path(
        "/actions/project-templates/{project_template_id}/task-statuses/reorder",
        views.TemplateTaskStatusesReorderView.as_view(),
        name="project-template-task-statuses-reorder",
    ),
    kitsu_path(
        "/actions/project-templates/{project_template_id}/task-types/reorder",
        views.TemplateTaskTypesReorderView.as_view(),
        name="project-template-task-types-reorder",
    ),
    kitsu_path(
        "/data/project-templates/from-project/{project_id}",
        views.TemplateFromProjectView.as_view(),
        name="project-template-from-project",
    ),
    kitsu_path(
        f"{TEMPLATE}/asset-types", views.TemplateAssetTypesView.as_view(), name="project-template-asset-types"
    ),
    kitsu_path(
        f"{TEMPLATE}/asset-types/{{asset_type_id}}",
        views.TemplateAssetTypeView.as_view(),
        name="project-template-asset-type",
    ),
    kitsu_path(
        f"{TEMPLATE}/default-preview-background-file",
        views.TemplateDefaultPreviewBackgroundView.as_view(),
        name="project-template-default-preview-background-file",
    ),
    kitsu_path(
        f"{TEMPLATE}/metadata-descriptors",
        views.TemplateMetadataDescriptorsView.as_view(),
        name="project-template-metadata-descriptors",
    ),
    kitsu_path(
        f"{TEMPLATE}/preview-background-files",
        views.TemplatePreviewBackgroundsView.as_view(),
        name="project-template-preview-background-files",
    ),
    kitsu_path(
        f"{TEMPLATE}/preview-background-files/{{preview_background_file_id}}",
        views.TemplatePreviewBackgroundView.as_view(),
        name="project-template-preview-background-file",
    ),
    kitsu_path(
        f"{TEMPLATE}/status-automations",
        views.TemplateStatusAutomationsView.as_view(),
        name="project-template-status-automations",
    ),
    kitsu_path(
        f"{TEMPLATE}/status-automations/{{status_automation_id}}",
        views.TemplateStatusAutomationView.as_view(),
        name="project-template-status-automation",
    ),
    kitsu_path(
        f"{TEMPLATE}/task-statuses",
        views.TemplateTaskStatusesView.as_view(),
        name="project-template-task-statuses",
    ),
    kitsu_path(
        f"{TEMPLATE}/task-statuses/{{task_status_id}}",
        views.TemplateTaskStatusView.as_view(),
        name="project-template-task-status",
    ),
    kitsu_path(
        f"{TEMPLATE}/task-types", views.TemplateTaskTypesView.as_view(), name="project-template-task-types"
    ),
    kitsu_path(
        f"{TEMPLATE}/task-types/{{task_type_id}}",
        views.TemplateTaskTypeView.as_view(),
        name="project-template-task-type",
    ),
    kitsu_path(
        "/data/projects/{project_id}/apply-template/{project_template_id}",
        views.ApplyTemplateView.as_view(),
        name="project-apply-template",
    ),
]
