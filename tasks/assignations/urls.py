"""Kitsu routes of assignations.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.assignations import views

urlpatterns = [
    kitsu_path(
        "/actions/persons/{person_id}/assign", views.PersonTasksAssignView.as_view(), name="person-assign"
    ),
    kitsu_path(
        "/actions/tasks/clear-assignation",
        views.ClearAssignationView.as_view(),
        name="tasks-clear-assignation",
    ),
    kitsu_path("/actions/tasks/{task_id}/assign", views.TaskAssignView.as_view(), name="task-assign"),
]
