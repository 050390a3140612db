"""Kitsu routes of the time spents of a task.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks.time_spents import views

# A viewset reads the time spents of a task: the verb of each path and the action it calls.
ALL = {"get": "list"}
DAY = {"get": "day"}
TASK_TIME_SPENT = "/actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}"

urlpatterns = [
    kitsu_path(
        "/actions/tasks/{task_id}/time-spents",
        views.TaskTimeSpentsViewSet.as_view(ALL),
        name="task-time-spents",
    ),
    kitsu_path(
        "/actions/tasks/{task_id}/time-spents/{date}",
        views.TaskTimeSpentsViewSet.as_view(DAY),
        name="task-day-time-spents",
    ),
    kitsu_path(TASK_TIME_SPENT, views.PersonTimeSpentView.as_view(), name="task-person-time-spent"),
    kitsu_path(
        f"{TASK_TIME_SPENT}/add", views.PersonTimeSpentAddView.as_view(), name="task-person-time-spent-add"
    ),
]
