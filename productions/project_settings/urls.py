"""Kitsu routes of the project lists, team, settings, metadata descriptors and preview account,
one line each (see kitsu_server.routing.kitsu_path). A literal segment ("reorder") comes before
the id route it would otherwise match."""

from kitsu_server.routing import kitsu_path
from productions.project_settings import views

P = "/data/projects/{project_id}"

# A viewset serves both paths of a resource (the team, the links of a setting, the descriptors):
# the verbs of each path and the action they call.
LIST_ADD = {"get": "list", "post": "create"}
ADD = {"post": "create"}
CHANGE_REMOVE = {"put": "update", "delete": "destroy"}
REMOVE = {"delete": "destroy"}
READ_CHANGE_REMOVE = {"get": "retrieve", "put": "update", "delete": "destroy"}

urlpatterns = [
    kitsu_path("/data/projects/all", views.AllProjectsView.as_view(), name="projects-all"),
    kitsu_path("/data/projects/open", views.OpenProjectsView.as_view(), name="projects-open"),
    kitsu_path(f"{P}/team", views.ProjectTeamViewSet.as_view(LIST_ADD), name="project-team"),
    kitsu_path(
        f"{P}/team/{{person_id}}", views.ProjectTeamViewSet.as_view(CHANGE_REMOVE), name="project-team-member"
    ),
    kitsu_path(
        f"{P}/settings/asset-types",
        views.ProjectAssetTypeSettingsViewSet.as_view(ADD),
        name="project-settings-asset-types",
    ),
    kitsu_path(
        f"{P}/settings/asset-types/{{asset_type_id}}",
        views.ProjectAssetTypeSettingsViewSet.as_view(REMOVE),
        name="project-settings-asset-type",
    ),
    kitsu_path(
        f"{P}/settings/task-types",
        views.ProjectTaskTypeSettingsViewSet.as_view(ADD),
        name="project-settings-task-types",
    ),
    kitsu_path(
        f"{P}/settings/task-types/{{task_type_id}}",
        views.ProjectTaskTypeSettingsViewSet.as_view(REMOVE),
        name="project-settings-task-type",
    ),
    kitsu_path(
        f"{P}/settings/task-status",
        views.ProjectTaskStatusSettingsViewSet.as_view(LIST_ADD),
        name="project-settings-task-statuses",
    ),
    kitsu_path(
        f"{P}/settings/task-status/{{task_status_id}}",
        views.ProjectTaskStatusSettingsViewSet.as_view(CHANGE_REMOVE),
        name="project-settings-task-status",
    ),
    kitsu_path(
        f"{P}/settings/status-automations",
        views.ProjectStatusAutomationSettingsViewSet.as_view(LIST_ADD),
        name="project-settings-status-automations",
    ),
    kitsu_path(
        f"{P}/settings/status-automations/{{status_automation_id}}",
        views.ProjectStatusAutomationSettingsViewSet.as_view(REMOVE),
        name="project-settings-status-automation",
    ),
    kitsu_path(
        f"{P}/settings/preview-background-files",
        views.ProjectPreviewBackgroundSettingsViewSet.as_view(LIST_ADD),
        name="project-settings-preview-background-files",
    ),
    kitsu_path(
        f"{P}/settings/preview-background-files/{{preview_background_file_id}}",
        views.ProjectPreviewBackgroundSettingsViewSet.as_view(REMOVE),
        name="project-settings-preview-background-file",
    ),
    kitsu_path(
        f"{P}/settings/batch", views.ProjectSettingsBatchView.as_view(), name="project-settings-batch"
    ),
    kitsu_path(f"{P}/task-types", views.ProjectTaskTypesView.as_view(), name="project-task-types"),
    kitsu_path(
        f"{P}/task-type-softwares",
        views.ProjectTaskTypeSoftwaresView.as_view(),
        name="project-task-type-softwares",
    ),
    kitsu_path(
        f"{P}/task-types/{{task_type_id}}/softwares",
        views.ProjectTaskTypeSoftwareLinksView.as_view(),
        name="project-task-type-software-links",
    ),
    kitsu_path(
        f"{P}/task-types/{{task_type_id}}/softwares/{{software_id}}",
        views.ProjectTaskTypeSoftwareView.as_view(),
        name="project-task-type-software",
    ),
    kitsu_path(
        f"{P}/metadata-descriptors",
        views.ProjectMetadataDescriptorViewSet.as_view(LIST_ADD),
        name="project-metadata-descriptors",
    ),
    kitsu_path(
        f"{P}/metadata-descriptors/reorder",
        views.ProjectMetadataDescriptorsReorderView.as_view(),
        name="project-metadata-descriptors-reorder",
    ),
    kitsu_path(
        f"{P}/metadata-descriptors/{{metadata_descriptor_id}}",
        views.ProjectMetadataDescriptorViewSet.as_view(READ_CHANGE_REMOVE),
        name="project-metadata-descriptor",
    ),
    kitsu_path(
        "/data/metadata-descriptors/all-projects",
        views.AllProjectsMetadataDescriptorsView.as_view(),
        name="all-projects-metadata-descriptors",
    ),
    kitsu_path(
        "/data/metadata-descriptors/all-projects/{field_name}",
        views.AllProjectsMetadataDescriptorView.as_view(),
        name="all-projects-metadata-descriptor",
    ),
    kitsu_path(
        "/actions/metadata-descriptors/all-projects/reorder",
        views.AllProjectsMetadataDescriptorsReorderView.as_view(),
        name="all-projects-metadata-descriptors-reorder",
    ),
    kitsu_path(
        f"{P}/preview-account", views.ProjectPreviewAccountView.as_view(), name="project-preview-account"
    ),
]
