"""A production's schedule routes: milestones, schedule items (made on first read), day offs,
time spents, and the production schedule versions' task links and actions."""

import datetime
import uuid

import pytest
from django.utils import timezone

from people.models import DayOff
from productions.models import (
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    ProductionScheduleVersionTaskLinkPersonLink,
    ProjectTaskTypeLink,
    ScheduleItem,
)
from shots.models import Edit
from tasks.models import ApiEvent, Task, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

ROLES = ("manager", "supervisor", "user", "client", "vendor")


def statuses(team, url, roles=(*ROLES, "outsider", "admin"), method="get"):
    return {role: getattr(client_for(team[role]), method)(url).status_code for role in roles}


def day(text):
    return datetime.date.fromisoformat(text)


def moment(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


# --- milestones -----------------------------------------------------------------------------------


def test_milestones_in_the_reference_short_form(show, team):
    task_type = factories.make_task_type()
    milestone = Milestone.objects.create(
        project=show, name="Delivery", date=day("2026-05-01"), task_type=task_type
    )
    Milestone.objects.create(project=factories.make_project(), name="Elsewhere", date=day("2026-05-01"))
    rows = client_for(team["user"]).get(f"/api/data/projects/{show.id}/milestones").json()
    assert rows == [
        {
            "id": str(milestone.id),
            "date": "2026-05-01",
            "name": "Delivery",
            "project_id": str(show.id),
            "task_type_id": str(task_type.id),
        }
    ]


def test_milestones_refused_to_clients_and_outsiders(show, team):
    codes = statuses(team, f"/api/data/projects/{show.id}/milestones")
    assert codes == {**dict.fromkeys(codes, 200), "client": 403, "outsider": 403}


def test_milestones_of_a_missing_or_malformed_project(team):
    api = client_for(team["admin"])
    response = api.get(f"/api/data/projects/{uuid.uuid4()}/milestones")
    assert response.status_code == 404 and response.json()["message"] == "Project not found."
    assert api.get("/api/data/projects/not-an-id/milestones").status_code == 404  # names no row


def test_milestones_list_in_bounded_queries(show, team, django_assert_max_num_queries):
    for n in range(30):
        Milestone.objects.create(
            project=show, name=f"M{n}", date=day("2026-01-01") + datetime.timedelta(days=n)
        )
    with django_assert_max_num_queries(6):
        rows = client_for(team["manager"]).get(f"/api/data/projects/{show.id}/milestones").json()
    assert [row["name"] for row in rows] == [f"M{n}" for n in range(30)]


# --- schedule items ----------------------------------------------------------------------------------


def test_all_schedule_items_in_the_full_shape(show, team):
    task_type = factories.make_task_type()
    item = ScheduleItem.objects.create(project=show, task_type=task_type, start_date=day("2026-01-05"))
    rows = client_for(team["supervisor"]).get(f"/api/data/projects/{show.id}/schedule-items").json()
    assert len(rows) == 1
    assert rows[0]["id"] == str(item.id) and rows[0]["type"] == "ScheduleItem"
    assert rows[0]["start_date"] == "2026-01-05" and "created_at" in rows[0]
    codes = statuses(team, f"/api/data/projects/{show.id}/schedule-items")
    assert codes == {**dict.fromkeys(codes, 200), "client": 403, "vendor": 403, "outsider": 403}


def test_task_type_schedule_items_are_made_on_first_read(show, team):
    asset = factories.make_asset(show)
    shot_type = factories.make_task_type(for_entity="Shot")
    asset_type = factories.make_task_type(for_entity="Asset")
    concept_type = factories.make_task_type(for_entity="Concept")
    for task_type in (shot_type, asset_type, concept_type):
        factories.make_task(asset, task_type=task_type)
    url = f"/api/data/projects/{show.id}/schedule-items/task-types"
    rows = client_for(team["manager"]).get(url).json()
    assert sorted(row["task_type_id"] for row in rows) == sorted([str(shot_type.id), str(asset_type.id)])
    today = timezone.localdate()
    assert rows[0]["start_date"] == today.isoformat()
    assert rows[0]["end_date"] == (today + datetime.timedelta(days=1)).isoformat()
    assert set(rows[0]) == {
        "id",
        "start_date",
        "end_date",
        "man_days",
        "project_id",
        "task_type_id",
        "object_id",
    }
    assert ApiEvent.objects.filter(name="schedule-item:new").count() == 2
    again = client_for(team["client"]).get(url).json()
    assert sorted(row["id"] for row in again) == sorted(row["id"] for row in rows)
    assert ScheduleItem.objects.filter(project=show).count() == 2
    assert ApiEvent.objects.filter(name="schedule-item:new").count() == 2


def test_task_type_schedule_items_follow_the_project_settings(show, team):
    asset = factories.make_asset(show)
    kept, dropped = factories.make_task_type(), factories.make_task_type()
    for task_type in (kept, dropped):
        factories.make_task(asset, task_type=task_type)
    url = f"/api/data/projects/{show.id}/schedule-items/task-types"
    assert len(client_for(team["manager"]).get(url).json()) == 2
    ProjectTaskTypeLink.objects.create(project=show, task_type=kept)
    rows = client_for(team["manager"]).get(url).json()
    assert [row["task_type_id"] for row in rows] == [str(kept.id)]
    assert ScheduleItem.objects.filter(project=show, task_type=dropped).exists()  # kept, not listed


def test_task_type_schedule_items_sorted_by_start_and_refused_to_vendors(show, team):
    asset = factories.make_asset(show)
    late, early = factories.make_task_type(), factories.make_task_type()
    for task_type in (late, early):
        factories.make_task(asset, task_type=task_type)
    ScheduleItem.objects.create(project=show, task_type=late, start_date=day("2030-01-01"))
    ScheduleItem.objects.create(project=show, task_type=early, start_date=day("2020-01-01"))
    url = f"/api/data/projects/{show.id}/schedule-items/task-types"
    rows = client_for(team["manager"]).get(url).json()
    assert [row["task_type_id"] for row in rows] == [str(early.id), str(late.id)]
    codes = statuses(team, url)
    assert codes == {**dict.fromkeys(codes, 200), "vendor": 403, "outsider": 403}
    assert (
        client_for(team["admin"])
        .get(f"/api/data/projects/{uuid.uuid4()}/schedule-items/task-types")
        .status_code
        == 404
    )


def test_task_type_schedule_items_in_bounded_queries(show, team, django_assert_max_num_queries):
    asset = factories.make_asset(show)
    for _ in range(12):
        factories.make_task(asset, task_type=factories.make_task_type())
    url = f"/api/data/projects/{show.id}/schedule-items/task-types"
    with django_assert_max_num_queries(14):
        assert len(client_for(team["manager"]).get(url).json()) == 12
    with django_assert_max_num_queries(10):
        assert len(client_for(team["manager"]).get(url).json()) == 12


def test_asset_type_schedule_items_one_per_asset_type_by_name(show, team):
    task_type = factories.make_task_type()
    props, chars = factories.make_asset_type("Props"), factories.make_asset_type("Characters")
    episode = factories.make_episode(show)
    factories.make_asset(show, props)
    factories.make_asset(show, props)
    factories.make_asset(show, chars, source=episode)
    url = f"/api/data/projects/{show.id}/schedule-items/{task_type.id}/asset-types"
    rows = client_for(team["supervisor"]).get(url).json()
    assert [(row["name"], row["object_id"]) for row in rows] == [
        ("Characters", str(chars.id)),
        ("Props", str(props.id)),
    ]
    assert all(row["task_type_id"] == str(task_type.id) for row in rows)
    assert ScheduleItem.objects.filter(task_type=task_type).count() == 2
    rows = client_for(team["supervisor"]).get(f"{url}?episode_id={episode.id}").json()
    assert [row["name"] for row in rows] == ["Characters"]
    assert ScheduleItem.objects.filter(task_type=task_type).count() == 2


def test_sequence_and_episode_schedule_items(show, team):
    task_type = factories.make_task_type(for_entity="Shot")
    first, second = factories.make_episode(show, name="E01"), factories.make_episode(show, name="E02")
    factories.make_sequence(show, first, name="SQ02")
    factories.make_sequence(show, first, name="SQ01")
    factories.make_sequence(show, second, name="SQ03")
    base = f"/api/data/projects/{show.id}/schedule-items/{task_type.id}"
    api = client_for(team["manager"])
    assert [row["name"] for row in api.get(f"{base}/sequences").json()] == ["SQ01", "SQ02", "SQ03"]
    assert [row["name"] for row in api.get(f"{base}/sequences?episode_id={first.id}").json()] == [
        "SQ01",
        "SQ02",
    ]
    assert [row["name"] for row in api.get(f"{base}/episodes").json()] == ["E01", "E02"]
    assert [row["object_id"] for row in api.get(f"{base}/episodes?episode_id={second.id}").json()] == [
        str(second.id)
    ]
    assert ScheduleItem.objects.filter(task_type=task_type).count() == 5
    assert ApiEvent.objects.filter(name="schedule-item:new").count() == 5


def test_edit_schedule_items_leave_canceled_edits_out(show, team):
    task_type = factories.make_task_type(for_entity="Edit")
    Edit.objects.create(project=show, name="Trailer")
    Edit.objects.create(project=show, name="Cut", canceled=True)
    rows = (
        client_for(team["manager"])
        .get(f"/api/data/projects/{show.id}/schedule-items/{task_type.id}/edits")
        .json()
    )
    assert [row["name"] for row in rows] == ["Trailer"]


def test_entity_schedule_items_refusals_and_bad_input(show, team):
    task_type = factories.make_task_type()
    factories.make_sequence(show)
    url = f"/api/data/projects/{show.id}/schedule-items/{task_type.id}/sequences"
    codes = statuses(team, url)
    assert codes == {**dict.fromkeys(codes, 200), "vendor": 403, "outsider": 403}
    api = client_for(team["manager"])
    before = ScheduleItem.objects.count()
    response = api.get(f"/api/data/projects/{show.id}/schedule-items/{uuid.uuid4()}/sequences")
    assert response.status_code == 404 and response.json()["message"] == "TaskType not found."
    assert api.get(f"{url}?episode_id=nope").status_code == 400
    assert api.get(f"/api/data/projects/{show.id}/schedule-items/nope/sequences").status_code == 400
    assert ScheduleItem.objects.count() == before


def test_entity_schedule_items_in_bounded_queries(show, team, django_assert_max_num_queries):
    task_type = factories.make_task_type()
    for n in range(25):
        factories.make_sequence(show, name=f"SQ{n:03d}")
    url = f"/api/data/projects/{show.id}/schedule-items/{task_type.id}/sequences"
    with django_assert_max_num_queries(14):
        assert len(client_for(team["manager"]).get(url).json()) == 25
    with django_assert_max_num_queries(10):
        assert len(client_for(team["manager"]).get(url).json()) == 25


# --- day offs ----------------------------------------------------------------------------------------


@pytest.fixture
def day_offs(show, team):
    made = {}
    for role in ("user", "supervisor"):
        made[role] = DayOff.objects.create(
            person=team[role], date=day("2026-03-02"), end_date=day("2026-03-04"), description=f"{role} trip"
        )
    DayOff.objects.create(person=team["outsider"], date=day("2026-03-02"), end_date=day("2026-03-02"))
    return made


def test_day_offs_of_the_team_with_descriptions_for_managers(show, team, day_offs):
    rows = client_for(team["manager"]).get(f"/api/data/projects/{show.id}/day-offs").json()
    assert set(rows) == {str(team["user"].id), str(team["supervisor"].id)}
    entry = rows[str(team["user"].id)][0]
    assert entry["description"] == "user trip" and entry["type"] == "DayOff"
    assert entry["date"] == "2026-03-02" and entry["end_date"] == "2026-03-04"


def test_day_offs_descriptions_are_only_ones_own_for_others(show, team, day_offs):
    rows = client_for(team["user"]).get(f"/api/data/projects/{show.id}/day-offs").json()
    assert rows[str(team["user"].id)][0]["description"] == "user trip"
    other = rows[str(team["supervisor"].id)][0]
    assert "description" not in other and other["date"] == "2026-03-02"


def test_day_offs_between_dates_and_bad_dates(show, team, day_offs):
    api = client_for(team["manager"])
    url = f"/api/data/projects/{show.id}/day-offs"
    assert api.get(f"{url}?start_date=2026-03-05").json() == {}
    assert api.get(f"{url}?end_date=2026-03-01").json() == {}
    assert len(api.get(f"{url}?start_date=2026-03-04&end_date=2026-03-04").json()) == 2
    response = api.get(f"{url}?start_date=xx")
    assert response.status_code == 400
    assert response.json()["message"] == "Wrong date format for xx and/or None"


def test_day_offs_refused_to_clients_vendors_and_outsiders(show, team, day_offs):
    codes = statuses(team, f"/api/data/projects/{show.id}/day-offs")
    assert codes == {**dict.fromkeys(codes, 200), "client": 403, "vendor": 403, "outsider": 403}


def test_day_offs_in_bounded_queries(show, team, django_assert_max_num_queries):
    for n in range(20):
        DayOff.objects.create(
            person=team["user"],
            date=day("2026-01-01") + datetime.timedelta(days=2 * n),
            end_date=day("2026-01-01") + datetime.timedelta(days=2 * n),
        )
    with django_assert_max_num_queries(6):
        rows = client_for(team["user"]).get(f"/api/data/projects/{show.id}/day-offs").json()
    assert len(rows[str(team["user"].id)]) == 20


# --- time spents -----------------------------------------------------------------------------------


@pytest.fixture
def logged(show, team):
    modeling = factories.make_task_type(name="Modeling")
    asset = factories.make_asset(show)
    task = factories.make_task(asset, task_type=modeling)
    other_task = factories.make_task(asset, task_type=factories.make_task_type())
    rows = [
        TimeSpent.objects.create(task=task, person=team["user"], date=day("2026-01-15"), duration=120),
        TimeSpent.objects.create(task=task, person=team["user"], date=day("2026-02-03"), duration=30),
        TimeSpent.objects.create(task=task, person=team["supervisor"], date=day("2026-01-20"), duration=60),
        TimeSpent.objects.create(task=other_task, person=team["user"], date=day("2026-01-15"), duration=10),
    ]
    return {"task_type": modeling, "task": task, "rows": rows}


def test_project_time_spents(show, team, logged):
    factories.make_task(factories.make_asset(factories.make_project()))
    rows = client_for(team["user"]).get(f"/api/data/projects/{show.id}/time-spents").json()
    assert len(rows) == 4 and rows[0]["type"] == "TimeSpent" and rows[0]["date"] == "2026-01-15"
    # Unlike the reference, a vendor reads only their own time (none here), not the production's.
    assert client_for(team["vendor"]).get(f"/api/data/projects/{show.id}/time-spents").json() == []
    codes = statuses(team, f"/api/data/projects/{show.id}/time-spents")
    assert codes == {**dict.fromkeys(codes, 200), "client": 403, "outsider": 403}


def test_project_time_spents_in_bounded_queries(show, team, django_assert_max_num_queries):
    task = factories.make_task(factories.make_asset(show))
    for n in range(30):
        TimeSpent.objects.create(
            task=task, person=team["user"], date=day("2026-01-01") + datetime.timedelta(n), duration=1
        )
    with django_assert_max_num_queries(6):
        assert len(client_for(team["user"]).get(f"/api/data/projects/{show.id}/time-spents").json()) == 30


def test_task_type_time_spents_by_person_newest_first(show, team, logged):
    url = f"/api/data/projects/{show.id}/task-types/{logged['task_type'].id}/time-spents"
    rows = client_for(team["manager"]).get(url).json()
    assert set(rows) == {str(team["user"].id), str(team["supervisor"].id)}
    assert [row["date"] for row in rows[str(team["user"].id)]] == ["2026-02-03", "2026-01-15"]
    assert rows[str(team["user"].id)][0]["duration"] == 30
    ranged = client_for(team["manager"]).get(f"{url}?start_date=2026-01-16&end_date=2026-02-28").json()
    assert [row["date"] for row in ranged[str(team["user"].id)]] == ["2026-02-03"]
    assert [row["date"] for row in ranged[str(team["supervisor"].id)]] == ["2026-01-20"]


def test_task_type_time_spents_for_managers_only_and_bad_input(show, team, logged):
    url = f"/api/data/projects/{show.id}/task-types/{logged['task_type'].id}/time-spents"
    codes = statuses(team, url)
    assert codes == {**dict.fromkeys(codes, 403), "manager": 200, "admin": 200}
    api = client_for(team["manager"])
    assert api.get(f"{url}?start_date=bad").status_code == 400
    assert api.get(f"/api/data/projects/{show.id}/task-types/{uuid.uuid4()}/time-spents").status_code == 404
    assert api.get(f"/api/data/projects/{show.id}/task-types/bad/time-spents").status_code == 400


# --- production schedule versions -----------------------------------------------------------------


@pytest.fixture
def planned(show, team):
    """Two tasks with dates, one assigned, and an empty version."""
    asset = factories.make_asset(show)
    modeling = factories.make_task_type()
    first = factories.make_task(
        asset,
        task_type=modeling,
        start_date=moment("2026-03-01T00:00:00"),
        due_date=moment("2026-03-10T00:00:00"),
        estimation=3,
    )
    second = factories.make_task(asset, task_type=factories.make_task_type(), estimation=1)
    first.assignees.add(team["user"])
    version = ProductionScheduleVersion.objects.create(project=show, name="V1")
    return {"first": first, "second": second, "version": version, "modeling": modeling}


def actions(version):
    return f"/api/actions/production-schedule-versions/{version.id}"


def test_set_task_links_from_production(show, team, planned):
    version = planned["version"]
    response = client_for(team["manager"]).post(f"{actions(version)}/set-task-links-from-production")
    assert response.status_code == 200
    assert response.json() == {"success": True, "task_link_count": 2}
    link = ProductionScheduleVersionTaskLink.objects.get(
        production_schedule_version=version, task=planned["first"]
    )
    assert link.start_date == planned["first"].start_date and link.estimation == 3
    assert list(
        ProductionScheduleVersionTaskLinkPersonLink.objects.filter(
            production_schedule_version_task_link=link
        ).values_list("person_id", flat=True)
    ) == [team["user"].id]
    # Again, after the production moved: the links are refreshed, not doubled.
    Task.objects.filter(pk=planned["first"].pk).update(estimation=5)
    planned["first"].assignees.set([team["supervisor"]])
    response = client_for(team["manager"]).post(f"{actions(version)}/set-task-links-from-production")
    assert response.json()["task_link_count"] == 2
    assert ProductionScheduleVersionTaskLink.objects.filter(production_schedule_version=version).count() == 2
    link.refresh_from_db()
    assert link.estimation == 5
    assert list(link.assignees.values_list("pk", flat=True)) == [team["supervisor"].id]


def test_version_actions_for_managers_only(show, team, planned):
    version = planned["version"]
    for action in ("set-task-links-from-production", "apply-to-production"):
        codes = statuses(
            team,
            f"{actions(version)}/{action}",
            roles=("supervisor", "user", "client", "outsider"),
            method="post",
        )
        assert set(codes.values()) == {403}, action
    assert not ProductionScheduleVersionTaskLink.objects.exists()
    api = client_for(team["admin"])
    assert (
        api.post(f"/api/actions/production-schedule-versions/{uuid.uuid4()}/apply-to-production").status_code
        == 404
    )
    assert (
        api.post("/api/actions/production-schedule-versions/bad/set-task-links-from-production").status_code
        == 400
    )


def test_version_task_links_list(show, team, planned):
    version = planned["version"]
    client_for(team["manager"]).post(f"{actions(version)}/set-task-links-from-production")
    url = f"/api/data/production-schedule-versions/{version.id}/task-links"
    rows = client_for(team["user"]).get(url).json()
    assert (
        len(rows) == 2
        and rows[0]["type"] == "ProductionScheduleVersionTaskLink"
        and "assignees" not in rows[0]
    )
    rows = client_for(team["user"]).get(f"{url}?relations=true&task_type_id={planned['modeling'].id}").json()
    assert len(rows) == 1
    assert rows[0]["task_id"] == str(planned["first"].id)
    assert rows[0]["start_date"] == "2026-03-01T00:00:00"
    assert rows[0]["assignees"] == [str(team["user"].id)]
    codes = statuses(team, url)
    assert codes == {**dict.fromkeys(codes, 200), "client": 403, "vendor": 403, "outsider": 403}
    api = client_for(team["admin"])
    assert api.get(f"/api/data/production-schedule-versions/{uuid.uuid4()}/task-links").status_code == 404
    assert api.get(f"{url}?task_type_id=bad").status_code == 400


def test_version_task_links_in_bounded_queries(show, team, django_assert_max_num_queries):
    asset = factories.make_asset(show)
    version = ProductionScheduleVersion.objects.create(project=show, name="Big")
    for n in range(30):
        task = factories.make_task(asset, name=f"t{n}")
        task.assignees.add(team["user"])
    client_for(team["manager"]).post(f"{actions(version)}/set-task-links-from-production")
    with django_assert_max_num_queries(8):
        rows = (
            client_for(team["user"])
            .get(f"/api/data/production-schedule-versions/{version.id}/task-links?relations=true")
            .json()
        )
    assert len(rows) == 30 and all(row["assignees"] == [str(team["user"].id)] for row in rows)


def test_set_task_links_from_another_version(show, team, planned):
    source = planned["version"]
    client_for(team["manager"]).post(f"{actions(source)}/set-task-links-from-production")
    target = ProductionScheduleVersion.objects.create(project=show, name="V2")
    # A link the source does not hold keeps its assignees.
    lone_task = factories.make_task(factories.make_asset(show))
    lone = ProductionScheduleVersionTaskLink.objects.create(
        production_schedule_version=target, task=lone_task
    )
    lone.assignees.add(team["supervisor"])
    response = client_for(team["manager"]).post(
        f"{actions(target)}/set-task-links-from-production-schedule-version",
        {"production_schedule_version_id": str(source.id)},
        format="json",
    )
    assert response.status_code == 200 and response.json() == {"success": True, "task_link_count": 2}
    copied = ProductionScheduleVersionTaskLink.objects.get(
        production_schedule_version=target, task=planned["first"]
    )
    assert copied.estimation == 3 and list(copied.assignees.values_list("pk", flat=True)) == [team["user"].id]
    assert list(lone.assignees.values_list("pk", flat=True)) == [team["supervisor"].id]
    target.refresh_from_db()
    assert target.production_schedule_from_id == source.id
    event = ApiEvent.objects.get(name="production_schedule_version:update")
    assert event.data["production_schedule_version_id"] == str(target.id)


def test_set_task_links_from_another_version_bad_input(show, team, planned):
    version = planned["version"]
    api = client_for(team["manager"])
    url = f"{actions(version)}/set-task-links-from-production-schedule-version"
    response = api.post(url, {}, format="json")
    assert response.status_code == 400 and "production_schedule_version_id" in response.json()["message"]
    response = api.post(url, {"production_schedule_version_id": str(version.id)}, format="json")
    assert response.status_code == 400 and "onto itself" in response.json()["message"]
    elsewhere = ProductionScheduleVersion.objects.create(project=factories.make_project(), name="X")
    response = api.post(url, {"production_schedule_version_id": str(elsewhere.id)}, format="json")
    assert response.status_code == 400 and "same project" in response.json()["message"]
    assert (
        api.post(url, {"production_schedule_version_id": str(uuid.uuid4())}, format="json").status_code == 404
    )
    assert not ProductionScheduleVersionTaskLink.objects.exists()
    version.refresh_from_db()
    assert version.production_schedule_from_id is None


def test_apply_version_to_production(show, team, planned):
    version = planned["version"]
    ProductionScheduleVersionTaskLink.objects.create(
        production_schedule_version=version,
        task=planned["second"],
        start_date=moment("2026-06-01T00:00:00"),
        due_date=moment("2026-06-05T00:00:00"),
        estimation=2,
    )
    response = client_for(team["manager"]).post(f"{actions(version)}/apply-to-production")
    assert response.status_code == 200 and response.json() == {"success": True, "task_count": 1}
    second, first = Task.objects.get(pk=planned["second"].pk), Task.objects.get(pk=planned["first"].pk)
    assert second.start_date == moment("2026-06-01T00:00:00") and second.estimation == 2
    assert first.estimation == 3  # no link, untouched
    version.refresh_from_db()
    show.refresh_from_db()
    assert version.locked is True and show.from_schedule_version_id == version.id
    names = list(ApiEvent.objects.order_by("created_at").values_list("name", flat=True))
    assert names == ["task:update", "production_schedule_version:update", "project:update"]
    assert ApiEvent.objects.get(name="task:update").data == {
        "task_id": str(second.id),
        "project_id": str(show.id),
    }
