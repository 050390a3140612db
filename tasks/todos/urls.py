"""Kitsu routes of the to-do lists: a person's tasks, people's task dates, the open tasks.

Fixed segments first: "/data/tasks/open-tasks" is not the task of id "open-tasks".

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.todos import views

urlpatterns = [
    kitsu_path("/data/persons/task-dates", views.PersonsTaskDatesView.as_view(), name="persons-task-dates"),
    kitsu_path(
        "/data/persons/{person_id}/done-tasks", views.PersonDoneTasksView.as_view(), name="person-done-tasks"
    ),
    kitsu_path(
        "/data/persons/{person_id}/related-tasks/{task_type_id}",
        views.PersonRelatedTasksView.as_view(),
        name="person-related-tasks",
    ),
    kitsu_path("/data/persons/{person_id}/tasks", views.PersonTasksView.as_view(), name="person-tasks"),
    kitsu_path("/data/tasks/open-tasks", views.OpenTasksView.as_view(), name="open-tasks"),
    kitsu_path(
        "/data/tasks/open-tasks/burndown", views.OpenTasksBurndownView.as_view(), name="open-tasks-burndown"
    ),
    kitsu_path("/data/tasks/open-tasks/stats", views.OpenTasksStatsView.as_view(), name="open-tasks-stats"),
]
