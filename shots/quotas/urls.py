"""Kitsu routes of the `quotas` area, one line each (see kitsu_server.routing.kitsu_path).

`quotas/persons/...` comes before `quotas/{task_type_id}`.
"""

from kitsu_server.routing import kitsu_path
from shots.quotas import views

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/quotas/persons/{person_id}",
        views.ProjectPersonQuotasView.as_view(),
        name="project-person-quotas",
    ),
    kitsu_path(
        "/data/projects/{project_id}/quotas/{task_type_id}",
        views.ProjectQuotasView.as_view(),
        name="project-quotas",
    ),
]
