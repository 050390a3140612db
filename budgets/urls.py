"""Kitsu routes of a production's budgets, one line each (see kitsu_server.routing.kitsu_path)."""

from budgets import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/budgets", views.ProjectBudgetsView.as_view(), name="project-budgets"
    ),
    # Before the budget route: "time-spents" is no budget id.
    kitsu_path(
        "/data/projects/{project_id}/budgets/time-spents",
        views.ProjectMonthTimeSpentsView.as_view(),
        name="project-budgets-time-spents",
    ),
    kitsu_path(
        "/data/projects/{project_id}/budgets/{budget_id}",
        views.ProjectBudgetView.as_view(),
        name="project-budget",
    ),
    kitsu_path(
        "/data/projects/{project_id}/budgets/{budget_id}/entries",
        views.BudgetEntriesView.as_view(),
        name="project-budget-entries",
    ),
    kitsu_path(
        "/data/projects/{project_id}/budgets/{budget_id}/entries/{entry_id}",
        views.BudgetEntryView.as_view(),
        name="project-budget-entry",
    ),
]
