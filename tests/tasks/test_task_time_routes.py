"""Time spents of a task: reading them per person and day, setting, adding and removing the
minutes of a day, with the task's duration summed again and the reference's events."""

import datetime
import uuid

import pytest

from tasks.models import ApiEvent, Task, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(show, team):
    task = factories.make_task(factories.make_asset(show))
    task.assignees.add(team["user"])
    return task


def spent_url(task, person, day="2024-03-11", suffix=""):
    return f"/api/actions/tasks/{task.pk}/time-spents/{day}/persons/{person.pk}{suffix}"


def event_names():
    return list(ApiEvent.objects.order_by("created_at", "pk").values_list("name", flat=True))


def duration_of(task):
    return Task.objects.get(pk=task.pk).duration


# --- setting and adding -------------------------------------------------------------------------


def test_an_assignee_sets_the_minutes_of_a_day(show, team, task):
    artist = team["user"]
    response = client_for(artist).post(spent_url(task, artist), {"duration": 600}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["duration"] == 600 and body["date"] == "2024-03-11" and body["type"] == "TimeSpent"
    assert body["task_id"] == str(task.pk) and body["person_id"] == str(artist.pk)
    assert duration_of(task) == 600
    artist.refresh_from_db()
    assert artist.last_presence == datetime.date(2024, 3, 11)
    assert event_names() == ["person:update", "time-spent:new", "task:update"]
    new_event = ApiEvent.objects.get(name="time-spent:new")
    assert new_event.data == {"time_spent_id": body["id"], "project_id": str(show.pk)}
    # setting again replaces the minutes of that day
    again = client_for(artist).post(spent_url(task, artist), {"duration": "90"}, format="json")
    assert again.status_code == 201 and again.json()["id"] == body["id"] and again.json()["duration"] == 90
    assert TimeSpent.objects.count() == 1 and duration_of(task) == 90
    assert event_names()[-2:] == ["time-spent:update", "task:update"]


def test_adding_minutes_to_a_day(show, team, task):
    artist = team["user"]
    first = client_for(artist).post(spent_url(task, artist, suffix="/add"), {"duration": 30}, format="json")
    assert first.status_code == 201 and first.json()["duration"] == 30
    more = client_for(artist).post(spent_url(task, artist, suffix="/add"), {"duration": 45.5}, format="json")
    assert more.status_code == 201 and more.json()["duration"] == 75.5
    other_day = client_for(artist).post(
        spent_url(task, artist, "2024-03-12", "/add"), {"duration": 10}, format="json"
    )
    assert other_day.status_code == 201
    assert TimeSpent.objects.count() == 2 and duration_of(task) == 85.5


def test_the_reference_sets_no_daily_cap(show, team, task):
    """Zou 1.0.97 accepts any positive number of minutes for a day (neither `hours_by_day` nor
    `timesheets_locked` of the organisation is enforced by its time spent routes)."""
    artist = team["user"]
    response = client_for(artist).post(spent_url(task, artist), {"duration": 100000}, format="json")
    assert response.status_code == 201 and duration_of(task) == 100000


def test_who_logs_time_for_whom(show, team, task):
    artist = team["user"]
    # managers and admins log for an assignee; supervisors and other artists may not
    assert (
        client_for(team["manager"]).post(spent_url(task, artist), {"duration": 60}, format="json").status_code
        == 201
    )
    assert (
        client_for(team["admin"]).post(spent_url(task, artist), {"duration": 60}, format="json").status_code
        == 201
    )
    for role in ("supervisor", "client", "vendor", "outsider"):
        response = client_for(team[role]).post(spent_url(task, artist), {"duration": 5}, format="json")
        assert response.status_code == 403, role
    # nobody logs time of someone not assigned, themselves included
    vendor = team["vendor"]
    assert client_for(vendor).post(spent_url(task, vendor), {"duration": 5}, format="json").status_code == 403
    assert (
        client_for(team["manager"]).post(spent_url(task, vendor), {"duration": 5}, format="json").status_code
        == 403
    )
    assert TimeSpent.objects.get().duration == 60


def test_bad_input_writes_nothing(show, team, task):
    artist, api = team["user"], client_for(team["user"])
    for body in ({}, {"duration": 0}, {"duration": -5}, {"duration": "x"}, {"duration": None}):
        response = api.post(spent_url(task, artist), body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"] is True
    for day in ("2024-13-11", "yesterday"):
        response = api.post(spent_url(task, artist, day), {"duration": 5}, format="json")
        assert response.status_code == 400 and response.json()["message"] == "Invalid date format."
    assert api.post(spent_url(task, artist, "2024-3-1"), {"duration": 5}, format="json").status_code == 201
    assert TimeSpent.objects.get().date == datetime.date(2024, 3, 1)


def test_missing_task_or_person(show, team, task):
    artist, api = team["user"], client_for(team["user"])
    unknown_task = f"/api/actions/tasks/{uuid.uuid4()}/time-spents/2024-03-11/persons/{artist.pk}"
    assert api.post(unknown_task, {"duration": 5}, format="json").status_code == 404
    unknown_person = f"/api/actions/tasks/{task.pk}/time-spents/2024-03-11/persons/{uuid.uuid4()}"
    assert api.post(unknown_person, {"duration": 5}, format="json").status_code == 404
    bot = factories.make_person(role="user", is_bot=True)
    task.assignees.add(bot)
    assert (
        client_for(team["admin"]).post(spent_url(task, bot), {"duration": 5}, format="json").status_code
        == 403
    )
    show.is_bot_collaboration_enabled = True
    show.save()
    assert (
        client_for(team["admin"]).post(spent_url(task, bot), {"duration": 5}, format="json").status_code
        == 201
    )


# --- reading ------------------------------------------------------------------------------------


def test_time_spents_of_a_task_per_person(show, team, task, django_assert_max_num_queries):
    artist, manager = team["user"], team["manager"]
    task.assignees.add(manager)
    TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2024, 3, 11), duration=60)
    TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2024, 3, 12), duration=30)
    TimeSpent.objects.create(task=task, person=manager, date=datetime.date(2024, 3, 11), duration=15)
    api = client_for(team["supervisor"])  # whoever reaches the task, clients and vendors aside
    with django_assert_max_num_queries(5):
        body = api.get(f"/api/actions/tasks/{task.pk}/time-spents").json()
    assert body["total"] == 105
    assert [row["date"] for row in body[str(artist.pk)]] == ["2024-03-11", "2024-03-12"]
    assert [row["duration"] for row in body[str(manager.pk)]] == [15]
    day = api.get(f"/api/actions/tasks/{task.pk}/time-spents/2024-03-11").json()
    assert day["total"] == 75 and set(day) == {"total", str(artist.pk), str(manager.pk)}
    for n in range(10):
        TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2024, 4, n + 1), duration=1)
    with django_assert_max_num_queries(5):
        assert len(api.get(f"/api/actions/tasks/{task.pk}/time-spents").json()[str(artist.pk)]) == 12
    assert api.get(f"/api/actions/tasks/{task.pk}/time-spents/2024-04-31").status_code == 400
    empty = factories.make_task(factories.make_asset(show))
    assert api.get(f"/api/actions/tasks/{empty.pk}/time-spents").json() == {"total": 0}
    # Unlike the reference, a client (who reads a task's duration blank) reads nobody's time.
    assert client_for(team["client"]).get(f"/api/actions/tasks/{task.pk}/time-spents").json() == {"total": 0}


def test_reading_time_spents_needs_the_task(show, team, task):
    url = f"/api/actions/tasks/{task.pk}/time-spents"
    assert client_for(team["vendor"]).get(url).status_code == 403  # not working on the entity
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["outsider"]).get(f"{url}/2024-03-11").status_code == 403
    assert client_for(team["user"]).get(f"/api/actions/tasks/{uuid.uuid4()}/time-spents").status_code == 404


# --- removing -----------------------------------------------------------------------------------


def test_removing_the_minutes_of_a_day(show, team, task):
    artist = team["user"]
    kept = TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2024, 3, 12), duration=20)
    gone = TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2024, 3, 11), duration=60)
    assert client_for(team["supervisor"]).delete(spent_url(task, artist)).status_code == 403
    response = client_for(artist).delete(spent_url(task, artist))
    assert response.status_code == 201  # as the reference answers
    body = response.json()
    assert body["id"] == str(gone.pk) and body["duration"] == 0 and body["date"] == "2024-03-11"
    assert list(TimeSpent.objects.all()) == [kept] and duration_of(task) == 20
    assert event_names() == ["time-spent:delete", "task:update"]
    assert client_for(artist).delete(spent_url(task, artist)).status_code == 404
    assert client_for(artist).delete(spent_url(task, artist, "2024-3-1x")).status_code == 400
    unknown = f"/api/actions/tasks/{uuid.uuid4()}/time-spents/2024-03-12/persons/{artist.pk}"
    assert client_for(artist).delete(unknown).status_code == 404
    assert client_for(team["manager"]).delete(spent_url(task, artist, "2024-03-12")).status_code == 201
    assert not TimeSpent.objects.exists() and duration_of(task) == 0
