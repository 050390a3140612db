"""Kitsu routes of the `sequences` area, one line each (see kitsu_server.routing.kitsu_path).

Fixed paths come before the ones they would otherwise match as an id (`/data/sequences/with-tasks`
before `/data/sequences/{sequence_id}`).
"""

from kitsu_server.routing import kitsu_path
from shots.sequences import views

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/sequences",
        views.ProjectSequencesView.as_view(),
        name="project-sequences",
    ),
    kitsu_path("/data/sequences", views.SequencesView.as_view(), name="sequences"),
    kitsu_path(
        "/data/sequences/with-tasks", views.SequencesWithTasksView.as_view(), name="sequences-with-tasks"
    ),
    kitsu_path("/data/sequences/{sequence_id}", views.SequenceView.as_view(), name="sequence"),
    kitsu_path(
        "/data/sequences/{sequence_id}/scenes", views.SequenceScenesView.as_view(), name="sequence-scenes"
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/shot-tasks",
        views.SequenceShotTasksView.as_view(),
        name="sequence-shot-tasks",
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/shots", views.SequenceShotsView.as_view(), name="sequence-shots"
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/task-types",
        views.SequenceTaskTypesView.as_view(),
        name="sequence-task-types",
    ),
    kitsu_path(
        "/data/sequences/{sequence_id}/tasks", views.SequenceTasksView.as_view(), name="sequence-tasks"
    ),
]
