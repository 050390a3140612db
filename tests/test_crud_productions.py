"""/data rules of people and productions: who reads the directory and the projects, who writes them,
and the project link reorder actions."""

import uuid

import pytest

from people.models import Person
from productions.models import Project, ProjectPersonLink, ProjectTaskStatusLink, ProjectTaskTypeLink
from shots.models import Episode
from tasks.models import ApiEvent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


# --- projects -----------------------------------------------------------------------------


def test_non_admins_list_only_their_projects(show, team):
    factories.make_project(name="Secret")
    for role in ("manager", "user", "client", "vendor"):
        names = [row["name"] for row in client_for(team[role]).get("/api/data/projects").json()]
        assert names == ["Show"], role
    assert client_for(team["outsider"]).get("/api/data/projects").json() == []
    admin_names = sorted(row["name"] for row in client_for(team["admin"]).get("/api/data/projects").json())
    assert admin_names == ["Secret", "Show"]


def test_project_read_needs_team_membership(show, team):
    assert client_for(team["user"]).get(f"/api/data/projects/{show.id}").json()["name"] == "Show"
    response = client_for(team["outsider"]).get(f"/api/data/projects/{show.id}")
    assert response.status_code == 403 and response.json()["error"] is True
    assert client_for(team["user"]).get(f"/api/data/projects/{uuid.uuid4()}").status_code == 404


def test_project_update_by_its_managers_only(show, team):
    response = client_for(team["manager"]).put(f"/api/data/projects/{show.id}", {"fps": "24"}, format="json")
    assert response.status_code == 200 and response.json()["fps"] == "24"
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        response = client_for(team[role]).put(f"/api/data/projects/{show.id}", {"fps": "30"}, format="json")
        assert response.status_code == 403, role
    show.refresh_from_db()
    assert show.fps == "24"
    assert ApiEvent.objects.filter(name="project:update").count() == 1


def test_only_admins_create_and_delete_projects(team):
    response = client_for(team["manager"]).post("/api/data/projects", {"name": "Mine"}, format="json")
    assert response.status_code == 403
    assert not Project.objects.filter(name="Mine").exists()
    response = client_for(team["admin"]).post("/api/data/projects", {"name": "Mine"}, format="json")
    assert response.status_code == 201
    project_id = response.json()["id"]
    assert response.json()["project_status_id"] == str(factories.make_project_status("Open").pk)
    response = client_for(team["admin"]).delete(f"/api/data/projects/{project_id}")
    assert response.status_code == 400
    assert response.json()["message"] == "Only closed projects can be deleted"
    Project.objects.filter(pk=project_id).update(project_status=factories.make_project_status("Closed"))
    assert client_for(team["manager"]).delete(f"/api/data/projects/{project_id}").status_code == 403
    assert client_for(team["admin"]).delete(f"/api/data/projects/{project_id}").status_code == 204


def test_a_new_tv_show_starts_with_its_first_episode(team):
    api = client_for(team["admin"])
    response = api.post("/api/data/projects", {"name": "Series", "production_type": "tvshow"}, format="json")
    assert response.status_code == 201
    episodes = Episode.objects.filter(project_id=response.json()["id"])
    assert list(episodes.values_list("name", flat=True)) == ["E01"]
    # Its columns as the episode route writes them: the episode lists read "" and {}, not null.
    first = api.get(f"/api/data/projects/{response.json()['id']}/episodes").json()[0]
    assert (first["description"], first["data"], first["status"]) == ("", {}, "running")
    api.put(f"/api/data/projects/{response.json()['id']}", {"description": "again"}, format="json")
    assert episodes.count() == 1


@pytest.mark.parametrize("resolution", ["1920x", "big", "1920*1080"])
def test_a_malformed_resolution_is_refused(team, resolution):
    body = {"name": "Sized", "resolution": resolution}
    response = client_for(team["admin"]).post("/api/data/projects", body, format="json")
    assert response.status_code == 400 and "Invalid resolution" in response.json()["message"]
    assert not Project.objects.filter(name="Sized").exists()
    ok = client_for(team["admin"]).post("/api/data/projects", {**body, "resolution": "x1080"}, format="json")
    assert ok.status_code == 201


def test_project_creation_bad_input_writes_nothing(team):
    api = client_for(team["admin"])
    before = Project.objects.count()
    assert api.post("/api/data/projects", {"fps": "25"}, format="json").status_code == 400  # no name
    assert (
        api.post("/api/data/projects", {"name": "X", "production_style": "oil"}, format="json").status_code
        == 400
    )
    assert (
        api.post("/api/data/projects", {"name": "X", "max_retakes": "many"}, format="json").status_code == 400
    )
    assert Project.objects.count() == before


def test_project_list_queries_are_bounded(team, django_assert_max_num_queries):
    api = client_for(team["admin"])
    with django_assert_max_num_queries(10):
        assert len(api.get("/api/data/projects?relations=true").json()) == 1
    for i in range(30):
        ProjectPersonLink.objects.create(project=factories.make_project(name=f"P{i}"), person=team["user"])
    with django_assert_max_num_queries(10):
        assert len(api.get("/api/data/projects?relations=true").json()) == 31


# --- persons, departments, studios, project statuses --------------------------------------


def test_everyone_reads_the_directory(team):
    for role in ("user", "vendor", "outsider"):
        api = client_for(team[role])
        assert api.get("/api/data/persons").status_code == 200
        assert api.get("/api/data/departments").status_code == 200
        assert api.get("/api/data/studios").status_code == 200
        assert api.get("/api/data/project-status").status_code == 200
    rows = client_for(team["user"]).get("/api/data/persons").json()
    assert {row["id"] for row in rows} == {str(person.id) for person in Person.objects.all()}
    assert all("password" not in row and "totp_secret" not in row for row in rows)


def test_a_client_reads_only_persons_of_its_projects(team):
    client = client_for(team["client"])
    assert client.get(f"/api/data/persons/{team['user'].id}").status_code == 200
    assert client.get(f"/api/data/persons/{team['outsider'].id}").status_code == 403


def test_persons_edit_themselves_but_not_their_role(team):
    artist = team["user"]
    api = client_for(artist)
    response = api.put(f"/api/data/persons/{artist.id}", {"phone": "555", "role": "admin"}, format="json")
    assert response.status_code == 200
    artist.refresh_from_db()
    assert (artist.phone, artist.role) == ("555", "user")
    assert api.put(f"/api/data/persons/{team['vendor'].id}", {"phone": "1"}, format="json").status_code == 403
    admin_api = client_for(team["admin"])
    assert (
        admin_api.put(f"/api/data/persons/{artist.id}", {"role": "supervisor"}, format="json").status_code
        == 200
    )
    artist.refresh_from_db()
    assert artist.role == "supervisor"


def test_person_deletion_by_admins_but_not_of_themselves(team):
    admin_api = client_for(team["admin"])
    assert admin_api.delete(f"/api/data/persons/{team['admin'].id}").status_code == 403
    assert client_for(team["manager"]).delete(f"/api/data/persons/{team['outsider'].id}").status_code == 403
    assert admin_api.delete(f"/api/data/persons/{team['outsider'].id}").status_code == 204
    assert not Person.objects.filter(pk=team["outsider"].pk).exists()


def test_only_admins_write_departments(team):
    body = {"name": "Lighting", "color": "#ffaa00"}
    assert client_for(team["manager"]).post("/api/data/departments", body, format="json").status_code == 403
    response = client_for(team["admin"]).post("/api/data/departments", body, format="json")
    assert response.status_code == 201 and response.json()["type"] == "Department"
    assert (
        client_for(team["admin"]).post("/api/data/departments", {"color": "#fff"}, format="json").status_code
        == 400
    )


# --- reorder actions ----------------------------------------------------------------------


@pytest.fixture
def links(show):
    types = [factories.make_task_type(name=n) for n in ("Modeling", "Rigging", "Shading")]
    statuses = [factories.make_task_status(name=n) for n in ("Todo", "WIP")]
    for i, task_type in enumerate(types):
        ProjectTaskTypeLink.objects.create(project=show, task_type=task_type, priority=i + 1)
    for i, status in enumerate(statuses):
        ProjectTaskStatusLink.objects.create(project=show, task_status=status, priority=i + 1)
    return types, statuses


def test_managers_reorder_task_type_links(show, team, links):
    types, _ = links
    order = [str(types[2].id), str(types[0].id), str(uuid.uuid4()), str(types[1].id)]
    response = client_for(team["manager"]).post(
        f"/api/actions/projects/{show.id}/task-type-links/reorder", {"task_type_ids": order}, format="json"
    )
    assert response.status_code == 200
    assert [row["task_type_id"] for row in response.json()] == [order[0], order[1], order[3]]
    priorities = dict(ProjectTaskTypeLink.objects.values_list("task_type_id", "priority"))
    assert (priorities[types[2].id], priorities[types[0].id], priorities[types[1].id]) == (1, 2, 4)
    assert ApiEvent.objects.filter(name="project:update", project_id=show.id).exists()


def test_managers_reorder_task_status_links(show, team, links):
    _, statuses = links
    response = client_for(team["admin"]).post(
        f"/api/actions/projects/{show.id}/task-status-links/reorder",
        {"task_status_ids": [str(statuses[1].id), str(statuses[0].id)]},
        format="json",
    )
    assert response.status_code == 200
    assert dict(ProjectTaskStatusLink.objects.values_list("task_status_id", "priority")) == {
        statuses[1].id: 1,
        statuses[0].id: 2,
    }


def test_reorder_refusals_and_bad_input(show, team, links):
    types, _ = links
    url = f"/api/actions/projects/{show.id}/task-type-links/reorder"
    body = {"task_type_ids": [str(types[2].id)]}
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).post(url, body, format="json").status_code == 403, role
    api = client_for(team["manager"])
    assert api.post(url, {"task_type_ids": "nope"}, format="json").status_code == 400
    assert api.post(url, {"task_type_ids": ["12"]}, format="json").status_code == 400
    missing = api.post(f"/api/actions/projects/{uuid.uuid4()}/task-type-links/reorder", body, format="json")
    assert missing.status_code == 404
    # A malformed project id names no project (the project-scoped views' 404; it was a 400).
    assert (
        api.post("/api/actions/projects/xyz/task-type-links/reorder", body, format="json").status_code == 404
    )
    assert sorted(ProjectTaskTypeLink.objects.values_list("priority", flat=True)) == [1, 2, 3]


def test_a_project_read_by_id_carries_the_open_list_extras(show, team):
    task_type = factories.make_task_type()
    ProjectTaskTypeLink.objects.create(project=show, task_type=task_type, priority=3)
    one = client_for(team["user"]).get(f"/api/data/projects/{show.id}").json()
    listed = client_for(team["user"]).get("/api/data/projects/open").json()
    assert one["task_types_priority"] == {str(task_type.pk): 3}
    # Read by id, it also names its status, as the reference's read does.
    assert one.pop("project_status_name") == show.project_status.name
    assert one == next(row for row in listed if row["id"] == str(show.pk))
    plain = client_for(team["user"]).get(f"/api/data/projects/{show.id}?relations=false").json()
    assert "task_types_priority" not in plain
