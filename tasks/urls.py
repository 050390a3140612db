"""Kitsu routes of tasks themselves: creating and deleting them in bulk, their priority, the order of
task types, a project's tasks, an entity's tasks of a type, one task in full.

One line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from tasks import views

PROJECT_TASK_TYPE = "/actions/projects/{project_id}/task-types/{task_type_id}"

urlpatterns = [
    # --- actions ---
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
        "/actions/task-types/reorder", views.TaskTypesReorderView.as_view(), name="task-types-reorder"
    ),
    kitsu_path("/actions/tasks/set-priority", views.TasksPriorityView.as_view(), name="tasks-set-priority"),
    # --- data ---
    kitsu_path(
        "/data/entities/{entity_id}/task-types/{task_type_id}/tasks",
        views.EntityTaskTypeTasksView.as_view(),
        name="entity-task-type-tasks",
    ),
    kitsu_path("/data/projects/{project_id}/tasks", views.ProjectTasksView.as_view(), name="project-tasks"),
    kitsu_path("/data/tasks/{task_id}/full", views.TaskFullView.as_view(), name="task-full"),
]
