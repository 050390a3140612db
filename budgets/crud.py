"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from budgets.models import Budget, BudgetEntry, SalaryScale
from kitsu_server.api.crud import CrudPolicy, register
from kitsu_server.api.errors import WrongParameter


@register
class BudgetsPolicy(CrudPolicy):
    model = Budget
    path = "budgets"


@register
class BudgetEntriesPolicy(CrudPolicy):
    model = BudgetEntry
    path = "budget-entries"


@register
class SalaryScalesPolicy(CrudPolicy):
    model = SalaryScale
    path = "salary-scales"

    def check_create(self, access, data):
        access.check_admin()
        raise WrongParameter("Salary scales cannot be created")
