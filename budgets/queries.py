"""Reads of a production's budgets: budgets, their entries, and the time logged per month."""

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from budgets.models import Budget, BudgetEntry
from kitsu_server.api.json import pick
from kitsu_server.core.rendering import render_rows
from tasks.models import TimeSpent

# The reference's short forms (`present()`) of its lists: no `type`, no audit dates.
BUDGET_COLUMNS = ("id", "project_id", "revision", "name", "currency")
BUDGET_ENTRY_COLUMNS = (
    "id",
    "budget_id",
    "department_id",
    "person_id",
    "start_date",
    "months_duration",
    "daily_salary",
    "position",
    "seniority",
    "exceptions",
)


def project_budgets(project_id):
    queryset = Budget.objects.filter(project_id=project_id).order_by("revision", "created_at", "pk")
    return pick(render_rows(queryset), BUDGET_COLUMNS)


def budget_entries(budget_id):
    queryset = BudgetEntry.objects.filter(budget_id=budget_id).order_by("start_date", "created_at", "pk")
    return pick(render_rows(queryset), BUDGET_ENTRY_COLUMNS)


def month_time_spents(project_id):
    """The time logged on the project, by department (of the task's type), person and month:

        {department id: {"total": t, person id: {"total": t, "YYYY-MM": t, ...}}}

    Sums by month are the database's (one grouped query); tasks whose type has no department
    are left out, as on the reference.
    """
    rows = (
        TimeSpent.objects.filter(task__project_id=project_id, task__task_type__department_id__isnull=False)
        .annotate(month=TruncMonth("date"))
        .values("task__task_type__department_id", "person_id", "month")
        .annotate(duration=Sum("duration"))
        .order_by("month")
    )
    result = {}
    for row in rows:
        department = result.setdefault(str(row["task__task_type__department_id"]), {"total": 0})
        person = department.setdefault(str(row["person_id"]), {"total": 0})
        month = row["month"].strftime("%Y-%m")
        person[month] = person.get(month, 0) + row["duration"]
        person["total"] += row["duration"]
        department["total"] += row["duration"]
    return result
