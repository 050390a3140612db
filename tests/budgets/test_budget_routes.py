"""A production's budgets: budgets (with revisions), their entries (with monthly exceptions),
and the time logged per department, person and month."""

import datetime
import uuid

import pytest

from budgets.models import Budget, BudgetEntry
from productions.models import ProjectPersonLink
from tasks.models import ApiEvent, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

ROLES = ("manager", "supervisor", "user", "client", "vendor")


@pytest.fixture
def manager_api(team):
    return client_for(team["manager"])


@pytest.fixture
def budget(show):
    return Budget.objects.create(project=show, name="Main", currency="EUR", revision=1)


@pytest.fixture
def department():
    return factories.make_department(name="Modeling")


def budgets_url(project, *parts):
    return "/".join([f"/api/data/projects/{project.id}/budgets", *(str(part) for part in parts)])


def entry_body(department, **fields):
    return {
        "department_id": str(department.id),
        "start_date": "2026-01-01",
        "months_duration": 3,
        "daily_salary": 300,
        **fields,
    }


# --- budgets -----------------------------------------------------------------------------------------


def test_create_budgets_with_increasing_revisions(show, team, manager_api):
    response = manager_api.post(budgets_url(show), {"name": "First", "currency": "EUR"}, format="json")
    assert response.status_code == 200  # the reference answers 200 here
    first = response.json()
    assert first["name"] == "First" and first["currency"] == "EUR" and first["revision"] == 1
    assert first["type"] == "Budget" and first["project_id"] == str(show.id)
    second = manager_api.post(budgets_url(show), {"name": "Second"}, format="json").json()
    assert second["revision"] == 2 and second["currency"] == "USD"
    events = ApiEvent.objects.filter(name="budget:create").order_by("created_at")
    assert [event.data["budget_id"] for event in events] == [first["id"], second["id"]]


def test_a_budget_past_the_last_revision_number_is_a_400_and_nothing_written(show, manager_api):
    """A revision set through /data/budgets can be the column's last: the next one would overflow
    (a 500 on PostgreSQL, a row no schema allows on SQLite)."""
    Budget.objects.create(project=show, name="Last", currency="EUR", revision=2**31 - 1)
    response = manager_api.post(budgets_url(show), {"name": "Next"}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "The production has reached the last budget revision number."
    assert Budget.objects.filter(project=show).count() == 1


def test_list_budgets_in_the_reference_short_form(show, team, manager_api, budget):
    Budget.objects.create(project=factories.make_project(), name="Other")
    rows = manager_api.get(budgets_url(show)).json()
    assert rows == [
        {"id": str(budget.id), "project_id": str(show.id), "revision": 1, "name": "Main", "currency": "EUR"}
    ]


def test_budgets_for_the_project_managers_only(show, team, budget):
    for url in (budgets_url(show), budgets_url(show, budget.id), budgets_url(show, budget.id, "entries")):
        codes = {role: client_for(team[role]).get(url).status_code for role in team}
        assert codes == {**dict.fromkeys(codes, 403), "manager": 200, "admin": 200}, url
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        api = client_for(team[role])
        assert api.post(budgets_url(show), {"name": "Nope"}, format="json").status_code == 403
        assert api.put(budgets_url(show, budget.id), {"name": "Nope"}, format="json").status_code == 403
        assert api.delete(budgets_url(show, budget.id)).status_code == 403
    assert list(Budget.objects.values_list("name", flat=True)) == ["Main"]


def test_create_budget_bad_input_writes_nothing(show, team, manager_api):
    for body in ({}, {"name": ""}, {"name": "Long", "currency": "EURO"}):
        response = manager_api.post(budgets_url(show), body, format="json")
        assert response.status_code == 400 and response.json()["error"] is True, body
    assert "name" in manager_api.post(budgets_url(show), {}, format="json").json()["message"]
    assert not Budget.objects.exists() and not ApiEvent.objects.exists()


def test_budget_routes_of_missing_objects(show, team, manager_api, budget):
    assert client_for(team["admin"]).get(f"/api/data/projects/{uuid.uuid4()}/budgets").status_code == 404
    response = manager_api.get(budgets_url(show, uuid.uuid4()))
    assert response.status_code == 404 and response.json()["message"] == "Budget not found."
    assert manager_api.get(budgets_url(show, "not-an-id")).status_code == 400
    # A budget is reached through its own project only.
    other = factories.make_project()
    ProjectPersonLink.objects.create(project=other, person=team["manager"])
    assert manager_api.get(budgets_url(other, budget.id)).status_code == 404
    assert manager_api.put(budgets_url(other, budget.id), {"name": "Moved"}, format="json").status_code == 404
    assert manager_api.delete(budgets_url(other, budget.id)).status_code == 404
    budget.refresh_from_db()
    assert budget.name == "Main"


def test_read_and_update_a_budget(show, team, manager_api, budget):
    data = manager_api.get(budgets_url(show, budget.id)).json()
    assert data["id"] == str(budget.id) and data["type"] == "Budget" and "created_at" in data
    response = manager_api.put(
        budgets_url(show, budget.id), {"name": "Renamed", "currency": None}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed" and response.json()["currency"] == "EUR"  # null leaves it
    assert ApiEvent.objects.get(name="budget:update").data["budget_id"] == str(budget.id)
    assert (
        manager_api.put(budgets_url(show, budget.id), {"currency": "EUROS"}, format="json").status_code == 400
    )
    budget.refresh_from_db()
    assert budget.currency == "EUR"


def test_delete_a_budget_and_its_entries(show, team, manager_api, budget, department):
    BudgetEntry.objects.create(
        budget=budget,
        department=department,
        start_date=datetime.date(2026, 1, 1),
        months_duration=1,
        daily_salary=1,
    )
    assert manager_api.delete(budgets_url(show, budget.id)).status_code == 204
    assert not Budget.objects.exists() and not BudgetEntry.objects.exists()
    assert ApiEvent.objects.get(name="budget:delete").data == {
        "budget_id": str(budget.id),
        "project_id": str(show.id),
    }


def test_budget_list_in_bounded_queries(show, team, manager_api, django_assert_max_num_queries):
    for n in range(25):
        Budget.objects.create(project=show, name=f"B{n}", revision=n + 1)
    with django_assert_max_num_queries(6):
        rows = manager_api.get(budgets_url(show)).json()
    assert [row["revision"] for row in rows] == list(range(1, 26))


# --- budget entries ------------------------------------------------------------------------------


def test_create_a_budget_entry_with_defaults(show, team, manager_api, budget, department):
    url = budgets_url(show, budget.id, "entries")
    response = manager_api.post(url, entry_body(department, person_id=str(team["user"].id)), format="json")
    assert response.status_code == 200
    entry = response.json()
    assert entry["type"] == "BudgetEntry" and entry["budget_id"] == str(budget.id)
    assert entry["position"] == "artist" and entry["seniority"] == "mid" and entry["exceptions"] == {}
    assert entry["daily_salary"] == 300 and entry["start_date"] == "2026-01-01"
    assert entry["person_id"] == str(team["user"].id)
    event = ApiEvent.objects.get(name="budget-entry:create")
    assert event.data == {
        "budget_id": str(budget.id),
        "budget_entry_id": entry["id"],
        "project_id": str(show.id),
    }
    response = manager_api.post(
        url, entry_body(department, position="lead", seniority="senior"), format="json"
    )
    assert (response.json()["position"], response.json()["seniority"]) == ("lead", "senior")


def test_create_a_budget_entry_bad_input_writes_nothing(show, team, manager_api, budget, department):
    url = budgets_url(show, budget.id, "entries")
    bodies = [
        {"department_id": str(department.id)},  # no start date, duration nor salary
        entry_body(department, start_date="someday"),
        entry_body(department, months_duration="abc"),
        entry_body(department, position="boss"),
        {**entry_body(department), "department_id": str(uuid.uuid4())},
        entry_body(department, person_id=str(uuid.uuid4())),
    ]
    for body in bodies:
        response = manager_api.post(url, body, format="json")
        assert response.status_code == 400, body
    message = manager_api.post(url, {"department_id": str(department.id)}, format="json").json()["message"]
    assert "start_date" in message and "months_duration" in message and "daily_salary" in message
    assert not BudgetEntry.objects.exists() and not ApiEvent.objects.exists()


def test_list_budget_entries_in_the_reference_short_form(show, team, manager_api, budget, department):
    entry = BudgetEntry.objects.create(
        budget=budget,
        department=department,
        start_date=datetime.date(2026, 2, 1),
        months_duration=2,
        daily_salary=250.5,
        exceptions={"2026-02": 15},
    )
    rows = manager_api.get(budgets_url(show, budget.id, "entries")).json()
    assert rows == [
        {
            "id": str(entry.id),
            "budget_id": str(budget.id),
            "department_id": str(department.id),
            "person_id": None,
            "start_date": "2026-02-01",
            "months_duration": 2,
            "daily_salary": 250.5,
            "position": "artist",
            "seniority": "mid",
            "exceptions": {"2026-02": 15},
        }
    ]


def test_budget_entries_in_bounded_queries(
    show, team, manager_api, budget, department, django_assert_max_num_queries
):
    for n in range(25):
        BudgetEntry.objects.create(
            budget=budget,
            department=department,
            start_date=datetime.date(2026, 1, 1) + datetime.timedelta(n),
            months_duration=1,
            daily_salary=100,
        )
    with django_assert_max_num_queries(6):
        assert len(manager_api.get(budgets_url(show, budget.id, "entries")).json()) == 25


def test_update_a_budget_entry_and_its_exceptions(show, team, manager_api, budget, department):
    entry = BudgetEntry.objects.create(
        budget=budget,
        department=department,
        start_date=datetime.date(2026, 1, 1),
        months_duration=3,
        daily_salary=300,
        exceptions={},
    )
    url = budgets_url(show, budget.id, "entries", entry.id)
    body = {"daily_salary": 350, "exceptions": {"2026-01": 12, "2026-02": 0, "2026-03": None, "2026-04": "8"}}
    response = manager_api.put(url, body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["daily_salary"] == 350 and data["exceptions"] == {"2026-01": 12, "2026-04": 8}
    assert data["months_duration"] == 3  # what is not sent stays
    assert manager_api.put(url, {"exceptions": None}, format="json").json()["exceptions"] == {}
    event = ApiEvent.objects.filter(name="budget-entry:update").first()
    assert event.data["budget_entry_id"] == str(entry.id)
    assert manager_api.get(url).json()["daily_salary"] == 350


def test_update_a_budget_entry_bad_input_changes_nothing(show, team, manager_api, budget, department):
    entry = BudgetEntry.objects.create(
        budget=budget,
        department=department,
        start_date=datetime.date(2026, 1, 1),
        months_duration=3,
        daily_salary=300,
        exceptions={"2026-01": 5},
    )
    url = budgets_url(show, budget.id, "entries", entry.id)
    for body in (
        {"months_duration": "abc"},
        {"department_id": None},
        {"exceptions": {"2026-01": "many"}},
        {"exceptions": ["2026-01"]},
        {"seniority": "ancient"},
    ):
        assert manager_api.put(url, body, format="json").status_code == 400, body
    entry.refresh_from_db()
    assert (entry.months_duration, entry.exceptions, entry.seniority) == (3, {"2026-01": 5}, "mid")
    assert not ApiEvent.objects.exists()


def test_budget_entry_routes_refusals_and_missing_objects(show, team, manager_api, budget, department):
    entry = BudgetEntry.objects.create(
        budget=budget,
        department=department,
        start_date=datetime.date(2026, 1, 1),
        months_duration=1,
        daily_salary=1,
    )
    url = budgets_url(show, budget.id, "entries", entry.id)
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        api = client_for(team[role])
        assert api.get(url).status_code == 403
        assert api.put(url, {"daily_salary": 2}, format="json").status_code == 403
        assert api.delete(url).status_code == 403
        assert (
            api.post(
                budgets_url(show, budget.id, "entries"), entry_body(department), format="json"
            ).status_code
            == 403
        )
    assert manager_api.get(budgets_url(show, budget.id, "entries", uuid.uuid4())).status_code == 404
    assert manager_api.get(budgets_url(show, uuid.uuid4(), "entries")).status_code == 404
    other_budget = Budget.objects.create(project=show, name="Other", revision=2)
    assert manager_api.get(budgets_url(show, other_budget.id, "entries", entry.id)).status_code == 404
    assert manager_api.delete(budgets_url(show, other_budget.id, "entries", entry.id)).status_code == 404
    assert BudgetEntry.objects.count() == 1 and not ApiEvent.objects.exists()


def test_delete_a_budget_entry(show, team, manager_api, budget, department):
    entry = BudgetEntry.objects.create(
        budget=budget,
        department=department,
        start_date=datetime.date(2026, 1, 1),
        months_duration=1,
        daily_salary=1,
    )
    assert manager_api.delete(budgets_url(show, budget.id, "entries", entry.id)).status_code == 204
    assert not BudgetEntry.objects.exists()
    event = ApiEvent.objects.get(name="budget-entry:delete")
    assert event.data["budget_entry_id"] == str(entry.id) and event.data["budget_id"] == str(budget.id)


# --- time spents per month -------------------------------------------------------------------------


@pytest.fixture
def logged(show, team, department):
    asset = factories.make_asset(show)
    modeling = factories.make_task(asset, task_type=factories.make_task_type(department=department))
    untyped = factories.make_task(asset, task_type=factories.make_task_type())  # no department: left out
    for person, date, duration in (
        (team["user"], "2026-01-15", 120),
        (team["user"], "2026-01-20", 60),
        (team["user"], "2026-02-03", 30),
        (team["supervisor"], "2026-02-04", 45),
    ):
        TimeSpent.objects.create(
            task=modeling, person=person, date=datetime.date.fromisoformat(date), duration=duration
        )
    TimeSpent.objects.create(task=untyped, person=team["user"], date=datetime.date(2026, 1, 2), duration=500)


def test_month_time_spents_by_department_person_and_month(show, team, department, logged):
    data = client_for(team["admin"]).get(budgets_url(show, "time-spents")).json()
    assert data == {
        str(department.id): {
            "total": 255,
            str(team["user"].id): {"total": 210, "2026-01": 180, "2026-02": 30},
            str(team["supervisor"].id): {"total": 45, "2026-02": 45},
        }
    }


def test_month_time_spents_for_admins_only(show, team, logged):
    for role in ("manager", "supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).get(budgets_url(show, "time-spents")).status_code == 403, role
    api = client_for(team["admin"])
    assert api.get(f"/api/data/projects/{uuid.uuid4()}/budgets/time-spents").status_code == 404
    assert api.get("/api/data/projects/bad/budgets/time-spents").status_code == 400


def test_month_time_spents_in_bounded_queries(show, team, department, django_assert_max_num_queries):
    task = factories.make_task(
        factories.make_asset(show), task_type=factories.make_task_type(department=department)
    )
    for n in range(40):
        TimeSpent.objects.create(
            task=task,
            person=team["user"],
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=3 * n),
            duration=1,
        )
    with django_assert_max_num_queries(5):
        data = client_for(team["admin"]).get(budgets_url(show, "time-spents")).json()
    assert data[str(department.id)]["total"] == 40
