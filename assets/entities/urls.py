"""Kitsu routes of the `entities` area, one line each (see kitsu_server.routing.kitsu_path)."""

from assets.entities import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path(
        "/actions/projects/{project_id}/delete-entities",
        views.ProjectDeleteEntitiesView.as_view(),
        name="project-delete-entities",
    ),
    kitsu_path(
        "/data/entities/{entity_id}/entities-linked/with-tasks",
        views.EntitiesLinkedWithTasksView.as_view(),
        name="entity-linked-entities-with-tasks",
    ),
    kitsu_path("/data/entities/{entity_id}/news", views.EntityNewsView.as_view(), name="entity-news"),
    kitsu_path(
        "/data/entities/{entity_id}/preview-files",
        views.EntityPreviewFilesView.as_view(),
        name="entity-preview-files",
    ),
    kitsu_path("/data/entities/{entity_id}/tasks", views.EntityTasksView.as_view(), name="entity-tasks"),
    kitsu_path(
        "/data/entities/{entity_id}/time-spents",
        views.EntityTimeSpentsView.as_view(),
        name="entity-time-spents",
    ),
]
