"""Kitsu routes of working and output files, one line each (see kitsu_server.routing.kitsu_path),
in the order of routes.tsv."""

from files.working import output_views, transfer_views, views
from kitsu_server.routing import kitsu_path

WORKING_FILE = "/data/working-files/{working_file_id}"
INSTANCE = "/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}"

urlpatterns = [
    kitsu_path(
        "/actions/working-files/{working_file_id}/comment",
        views.WorkingFileCommentView.as_view(),
        name="working-file-comment",
    ),
    kitsu_path(
        "/actions/working-files/{working_file_id}/modified",
        views.WorkingFileModifiedView.as_view(),
        name="working-file-modified",
    ),
    kitsu_path(
        f"{INSTANCE}/output-file-path",
        output_views.InstanceOutputFilePathView.as_view(),
        name="instance-output-file-path",
    ),
    kitsu_path(
        f"{INSTANCE}/output-files/last-revisions",
        output_views.LastInstanceOutputFilesView.as_view(),
        name="instance-output-files-last-revisions",
    ),
    kitsu_path(
        f"{INSTANCE}/output-files/new",
        output_views.NewInstanceOutputFileView.as_view(),
        name="instance-output-file-new",
    ),
    kitsu_path(
        f"{INSTANCE}/output-files/next-revision",
        output_views.InstanceNextRevisionView.as_view(),
        name="instance-output-file-next-revision",
    ),
    kitsu_path(
        f"{INSTANCE}/output-types",
        output_views.InstanceOutputTypesView.as_view(),
        name="instance-output-types",
    ),
    kitsu_path(
        f"{INSTANCE}/output-types/{{output_type_id}}/output-files",
        output_views.InstanceOutputTypeFilesView.as_view(),
        name="instance-output-type-files",
    ),
    kitsu_path(
        "/data/asset-instances/{asset_instance_id}/output-files",
        output_views.InstanceOutputFilesView.as_view(),
        name="instance-output-files",
    ),
    kitsu_path("/data/entities/guess-from-path", views.GuessFromPathView.as_view(), name="guess-from-path"),
    # The snake_case spelling gazu still posts.
    kitsu_path(
        "/data/entities/guess_from_path",
        views.LegacyGuessFromPathView.as_view(),
        name="guess-from-path-legacy",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/output-file-path",
        output_views.EntityOutputFilePathView.as_view(),
        name="entity-output-file-path",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/output-files",
        output_views.EntityOutputFilesView.as_view(),
        name="entity-output-files",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/output-files/last-revisions",
        output_views.LastEntityOutputFilesView.as_view(),
        name="entity-output-files-last-revisions",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/output-files/new",
        output_views.NewEntityOutputFileView.as_view(),
        name="entity-output-file-new",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/output-files/next-revision",
        output_views.EntityNextRevisionView.as_view(),
        name="entity-output-file-next-revision",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/output-types",
        output_views.EntityOutputTypesView.as_view(),
        name="entity-output-types",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/output-types/{output_type_id}/output-files",
        output_views.EntityOutputTypeFilesView.as_view(),
        name="entity-output-type-files",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/working-files",
        views.EntityWorkingFilesView.as_view(),
        name="entity-working-files",
    ),
    kitsu_path("/data/files/{file_id}", views.FileView.as_view(), name="file"),
    kitsu_path(
        "/data/projects/{project_id}/output-files",
        output_views.ProjectOutputFilesView.as_view(),
        name="project-output-files",
    ),
    kitsu_path(
        "/data/tasks/{task_id}/working-file-path",
        views.WorkingFilePathView.as_view(),
        name="working-file-path",
    ),
    kitsu_path(
        "/data/tasks/{task_id}/working-files", views.TaskWorkingFilesView.as_view(), name="task-working-files"
    ),
    kitsu_path(
        "/data/tasks/{task_id}/working-files/last-revisions",
        views.LastWorkingFilesView.as_view(),
        name="task-working-files-last-revisions",
    ),
    kitsu_path(
        "/data/tasks/{task_id}/working-files/new", views.NewWorkingFileView.as_view(), name="working-file-new"
    ),
    kitsu_path(
        f"{WORKING_FILE}/file", transfer_views.WorkingFileBinaryView.as_view(), name="working-file-binary"
    ),
]
