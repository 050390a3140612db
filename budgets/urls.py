"""Kitsu routes of a production's budgets, one line each (see kitsu_server.routing.kitsu_path)."""

from budgets import views
from kitsu_server.routing import kitsu_path

# The verbs of each path and the viewset action they call.
LIST_CREATE = {"get": "list", "post": "create"}
READ_CHANGE_DELETE = {"get": "retrieve", "put": "update", "delete": "destroy"}

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/budgets",
        views.BudgetViewSet.as_view(LIST_CREATE),
        name="project-budgets",
    ),
    # Before the budget route: "time-spents" is no budget id.
    kitsu_path(
        "/data/projects/{project_id}/budgets/time-spents",
        views.ProjectMonthTimeSpentsView.as_view(),
        name="project-budgets-time-spents",
    ),
    kitsu_path(
        "/data/projects/{project_id}/budgets/{budget_id}",
        views.BudgetViewSet.as_view(READ_CHANGE_DELETE),
        name="project-budget",
    ),
    kitsu_path(
        "/data/projects/{project_id}/budgets/{budget_id}/entries",
        views.BudgetEntryViewSet.as_view(LIST_CREATE),
        name="project-budget-entries",
    ),
    kitsu_path(
        "/data/projects/{project_id}/budgets/{budget_id}/entries/{entry_id}",
        views.BudgetEntryViewSet.as_view(READ_CHANGE_DELETE),
        name="project-budget-entry",
    ),
]
