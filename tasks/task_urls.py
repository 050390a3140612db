"""Kitsu routes of the `tasks` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed segments first where a parameter could swallow them: "/data/tasks/open-tasks" is not the
task of id "open-tasks", nor "/actions/tasks/set-priority" a task action.
"""

from kitsu_server.routing import kitsu_path
from tasks import task_views as views

PROJECT_TASK_TYPE = "/actions/projects/{project_id}/task-types/{task_type_id}"
TASK_TIME_SPENT = "/actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}"
COMMENT_PREVIEW = "/actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}"

urlpatterns = [
    # --- actions ---
    kitsu_path(
        "/actions/persons/{person_id}/assign", views.PersonTasksAssignView.as_view(), name="person-assign"
    ),
    kitsu_path(
        "/actions/projects/{project_id}/delete-tasks",
        views.ProjectTasksDeleteView.as_view(),
        name="project-delete-tasks",
    ),
    kitsu_path(
        f"{PROJECT_TASK_TYPE}/assets/create-tasks",
        views.AssetTasksCreateView.as_view(),
        name="create-asset-tasks",
    ),
    kitsu_path(
        f"{PROJECT_TASK_TYPE}/concepts/create-tasks",
        views.ConceptTasksCreateView.as_view(),
        name="create-concept-tasks",
    ),
    kitsu_path(
        f"{PROJECT_TASK_TYPE}/create-tasks/{{entity_type}}",
        views.EntityTypeTasksCreateView.as_view(),
        name="create-entity-tasks",
    ),
    kitsu_path(
        f"{PROJECT_TASK_TYPE}/delete-tasks",
        views.TaskTypeTasksDeleteView.as_view(),
        name="task-type-delete-tasks",
    ),
    kitsu_path(
        f"{PROJECT_TASK_TYPE}/edits/create-tasks",
        views.EditTasksCreateView.as_view(),
        name="create-edit-tasks",
    ),
    kitsu_path(
        f"{PROJECT_TASK_TYPE}/shots/create-tasks",
        views.ShotTasksCreateView.as_view(),
        name="create-shot-tasks",
    ),
    kitsu_path(
        "/actions/tasks/clear-assignation",
        views.ClearAssignationView.as_view(),
        name="tasks-clear-assignation",
    ),
    kitsu_path(
        "/actions/tasks/set-main-preview", views.TasksMainPreviewView.as_view(), name="tasks-set-main-preview"
    ),
    kitsu_path("/actions/tasks/set-priority", views.TasksPriorityView.as_view(), name="tasks-set-priority"),
    kitsu_path("/actions/tasks/{task_id}/assign", views.TaskAssignView.as_view(), name="task-assign"),
    kitsu_path(
        "/actions/tasks/{task_id}/comments/{comment_id}/add-preview",
        views.CommentPreviewAddView.as_view(),
        name="comment-add-preview",
    ),
    kitsu_path(COMMENT_PREVIEW, views.CommentExtraPreviewView.as_view(), name="comment-preview-file"),
    kitsu_path(
        "/actions/tasks/{task_id}/set-main-preview",
        views.TaskMainPreviewView.as_view(),
        name="task-set-main-preview",
    ),
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
    # --- data ---
    kitsu_path(
        "/data/entities/{entity_id}/task-types/{task_type_id}/tasks",
        views.EntityTaskTypeTasksView.as_view(),
        name="entity-task-type-tasks",
    ),
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
    kitsu_path(
        "/data/projects/{project_id}/comments", views.ProjectCommentsView.as_view(), name="project-comments"
    ),
    kitsu_path(
        "/data/projects/{project_id}/notifications",
        views.ProjectNotificationsView.as_view(),
        name="project-notifications",
    ),
    kitsu_path(
        "/data/projects/{project_id}/preview-files",
        views.ProjectPreviewFilesView.as_view(),
        name="project-preview-files",
    ),
    kitsu_path(
        "/data/projects/{project_id}/subscriptions",
        views.ProjectSubscriptionsView.as_view(),
        name="project-subscriptions",
    ),
    kitsu_path("/data/projects/{project_id}/tasks", views.ProjectTasksView.as_view(), name="project-tasks"),
    kitsu_path("/data/tasks/open-tasks", views.OpenTasksView.as_view(), name="open-tasks"),
    kitsu_path(
        "/data/tasks/open-tasks/burndown", views.OpenTasksBurndownView.as_view(), name="open-tasks-burndown"
    ),
    kitsu_path("/data/tasks/open-tasks/stats", views.OpenTasksStatsView.as_view(), name="open-tasks-stats"),
    kitsu_path("/data/tasks/{task_id}/comments", views.TaskCommentsView.as_view(), name="task-comments"),
    kitsu_path(
        "/data/tasks/{task_id}/comments/{comment_id}", views.TaskCommentView.as_view(), name="task-comment"
    ),
    kitsu_path("/data/tasks/{task_id}/full", views.TaskFullView.as_view(), name="task-full"),
    kitsu_path("/data/tasks/{task_id}/previews", views.TaskPreviewsView.as_view(), name="task-previews"),
]
