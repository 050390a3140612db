"""The `/data/...` routes of this app: one policy per model (see kitsu_server.core.data)."""

import itertools

from budgets.models import Budget, BudgetEntry, SalaryScale
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.data.policies import CrudPolicy, register
from people.models import POSITION_TYPES, SENIORITY_TYPES, Department


@register
class BudgetsPolicy(CrudPolicy):
    model = Budget
    path = "budgets"
    read_only_on_update = ("revision",)  # it names the quote


@register
class BudgetEntriesPolicy(CrudPolicy):
    model = BudgetEntry
    path = "budget-entries"
    read_only_on_update = ("budget_id",)  # what ties the entry to a production


@register
class SalaryScalesPolicy(CrudPolicy):
    """Admins only. The scales are a grid, one per department, position and seniority: the list
    fills the cells missing (new departments) before answering; none is created by hand, and a
    scale stays in its department."""

    model = SalaryScale
    path = "salary-scales"
    read_only_on_update = ("department_id",)

    def visible(self, access, queryset):
        access.check_admin()
        fill_salary_scale_grid()
        return queryset

    def check_create(self, access, data):
        access.check_admin()
        raise WrongParameter("Salary scales cannot be created")


def fill_salary_scale_grid():
    """Create the salary scales missing from the department × position × seniority grid (2 queries
    when none is missing)."""
    existing = set(SalaryScale.objects.values_list("department_id", "position", "seniority"))
    cells = itertools.product(
        Department.objects.values_list("pk", flat=True),
        [position for position, _ in POSITION_TYPES],
        [seniority for seniority, _ in SENIORITY_TYPES],
    )
    missing = [
        SalaryScale(department_id=department_id, position=position, seniority=seniority)
        for department_id, position, seniority in cells
        if (department_id, position, seniority) not in existing
    ]
    SalaryScale.objects.bulk_create(missing)
