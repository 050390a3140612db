"""Kitsu routes of the time spents of a task.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.time_spents import views

TASK_TIME_SPENT = "/actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}"

urlpatterns = [
    kitsu_path(
        "/actions/tasks/{task_id}/time-spents", views.TaskTimeSpentsView.as_view(), name="task-time-spents"
    ),
    kitsu_path(
        "/actions/tasks/{task_id}/time-spents/{date}",
        views.TaskDayTimeSpentsView.as_view(),
        name="task-day-time-spents",
    ),
    kitsu_path(TASK_TIME_SPENT, views.PersonTimeSpentView.as_view(), name="task-person-time-spent"),
    kitsu_path(
        f"{TASK_TIME_SPENT}/add", views.PersonTimeSpentAddView.as_view(), name="task-person-time-spent-add"
    ),
]
