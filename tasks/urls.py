"""Kitsu routes served by the `tasks` app, one line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks import views

urlpatterns = [
    kitsu_path(
        "/actions/task-types/reorder", views.TaskTypesReorderView.as_view(), name="task-types-reorder"
    ),
]
