"""Kitsu routes of the `concepts` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id
(`/data/concepts/with-tasks` before `/data/concepts/{concept_id}`).
"""

from assets.concepts import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path(
        "/actions/projects/{project_id}/move-concepts",
        views.MoveConceptsView.as_view(),
        name="project-move-concepts",
    ),
    kitsu_path(
        "/data/concept-folders/{concept_folder_id}",
        views.ConceptFolderView.as_view(),
        name="concept-folder",
    ),
    kitsu_path("/data/concepts", views.ConceptsView.as_view(), name="concepts"),
    kitsu_path(
        "/data/concepts/with-tasks", views.ConceptsWithTasksView.as_view(), name="concepts-with-tasks"
    ),
    kitsu_path("/data/concepts/{concept_id}", views.ConceptView.as_view(), name="concept"),
    kitsu_path(
        "/data/concepts/{concept_id}/preview-files",
        views.ConceptPreviewFilesView.as_view(),
        name="concept-preview-files",
    ),
    kitsu_path(
        "/data/concepts/{concept_id}/task-types",
        views.ConceptTaskTypesView.as_view(),
        name="concept-task-types",
    ),
    kitsu_path("/data/concepts/{concept_id}/tasks", views.ConceptTasksView.as_view(), name="concept-tasks"),
    kitsu_path(
        "/data/projects/{project_id}/concept-folders",
        views.ProjectConceptFoldersView.as_view(),
        name="project-concept-folders",
    ),
    kitsu_path(
        "/data/projects/{project_id}/concepts",
        views.ProjectConceptsView.as_view(),
        name="project-concepts",
    ),
]
