"""Writes on a production's budgets and their entries, with the reference's events.

A new budget takes the next revision number of its project. Entries carry `exceptions`: the
months whose number of worked days differs from the default, {"YYYY-MM": days}; a month set to
zero or to nothing is dropped rather than stored.
"""

from django.db import transaction
from django.db.models import Max

from budgets.models import Budget, BudgetEntry
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import next_number
from kitsu_server.core.events import record_event
from productions.models import Project


def clean_exceptions(exceptions):
    """{"YYYY-MM": days > 0} from what a client sent (None: no exception at all)."""
    if exceptions is None:
        return {}
    cleaned = {}
    for month, days in exceptions.items():
        if days is None:
            continue
        try:
            days = int(days)
        except (TypeError, ValueError):
            raise WrongParameter(f"exceptions: {month} must be a number of days, not {days!r}.") from None
        if days > 0:
            cleaned[str(month)] = days
    return cleaned


def _budget_event(action, budget, user):
    record_event(f"budget:{action}", {"budget_id": str(budget.pk)}, project_id=budget.project_id, user=user)


def _entry_event(action, entry, budget, user):
    record_event(
        f"budget-entry:{action}",
        {"budget_id": str(budget.pk), "budget_entry_id": str(entry.pk)},
        project_id=budget.project_id,
        user=user,
    )


@transaction.atomic
def create_budget(project_id, name, currency, user=None):
    # The project row is locked so that two budgets made at once do not share a revision.
    Project.objects.select_for_update().filter(pk=project_id).values_list("pk", flat=True).first()
    last = Budget.objects.filter(project_id=project_id).aggregate(last=Max("revision"))["last"] or 0
    revision = next_number(last, "The production has reached the last budget revision number.")
    budget = Budget.objects.create(project_id=project_id, name=name, currency=currency, revision=revision)
    _budget_event("create", budget, user)
    return budget


@transaction.atomic
def update_budget(budget, changes, user=None):
    """`changes`: name and/or currency; a null value leaves the column as it is."""
    for column in ("name", "currency"):
        if changes.get(column) is not None:
            setattr(budget, column, changes[column])
    budget.save()
    _budget_event("update", budget, user)
    return budget


@transaction.atomic
def delete_budget(budget, user=None):
    """The budget and its entries."""
    budget_id = budget.pk
    BudgetEntry.objects.filter(budget=budget).delete()
    budget.delete()
    record_event("budget:delete", {"budget_id": str(budget_id)}, project_id=budget.project_id, user=user)


@transaction.atomic
def create_budget_entry(budget, values, user=None):
    """`values`: the entry's columns; position and seniority default to artist and mid."""
    values = {**values}
    values["position"] = values.get("position") or "artist"
    values["seniority"] = values.get("seniority") or "mid"
    entry = BudgetEntry.objects.create(budget=budget, exceptions={}, **values)
    _entry_event("create", entry, budget, user)
    return entry


@transaction.atomic
def update_budget_entry(entry, budget, changes, user=None):
    """`changes`: the columns sent; `exceptions` is cleaned (see clean_exceptions)."""
    changes = {**changes}
    if "exceptions" in changes:
        changes["exceptions"] = clean_exceptions(changes["exceptions"])
    for column, value in changes.items():
        setattr(entry, column, value)
    entry.save()
    _entry_event("update", entry, budget, user)
    return entry


@transaction.atomic
def delete_budget_entry(entry, budget, user=None):
    entry_id = entry.pk
    entry.delete()
    record_event(
        "budget-entry:delete",
        {"budget_id": str(budget.pk), "budget_entry_id": str(entry_id)},
        project_id=budget.project_id,
        user=user,
    )
