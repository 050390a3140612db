"""The `edits` area: edit lists and board, one edit (read, delete), its tasks, task types,
previews and versions, an episode's edits and edit tasks, a production's edits and their creation."""

import uuid

import pytest

from assets.models import Entity, EntityType
from files.models import PreviewFile
from people.models import DepartmentLink
from productions.models import DepartmentMetadataDescriptorLink, MetadataDescriptor
from shots.models import EntityVersion
from tasks.models import Task, TaskPersonLink
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


events = factories.recorded_events


@pytest.fixture
def show():
    return factories.make_project(name="Show", production_type="tvshow")


def make_edit(project, name, episode=None, **fields):
    edit_type = EntityType.objects.get_or_create(name="Edit")[0]
    return Entity.objects.create(project=project, entity_type=edit_type, name=name, parent=episode, **fields)


@pytest.fixture
def world(show):
    class World:
        episode = factories.make_episode(show, name="E01")
        editing = factories.make_task_type("Editing", for_entity="Edit")

    world = World()
    world.cut = make_edit(show, "Cut", world.episode, data={"length": 12, "secret": "s"})
    world.trailer = make_edit(show, "Trailer")
    world.task = factories.make_task(world.cut, world.editing)
    return world


# --- lists ---------------------------------------------------------------------------------------


def test_edit_lists(world, team, show):
    api = client_for(team["user"])
    for path in ("/api/data/edits", "/api/data/edits/all"):
        rows = api.get(f"{path}?project_id={show.id}").json()
        assert [row["name"] for row in rows] == ["Cut", "Trailer"]
        assert rows[0]["type"] == "Edit" and rows[0]["project_name"] == "Show"
        assert rows[0]["parent_id"] == str(world.episode.id) and "entity_concept_links" not in rows[0]
    assert [row["name"] for row in api.get(f"/api/data/edits?project_id={show.id}&name=cut").json()] == [
        "Cut"
    ]
    assert api.get("/api/data/edits").status_code == 403
    assert len(client_for(team["admin"]).get("/api/data/edits").json()) == 2
    assert client_for(team["client"]).get(f"/api/data/edits?project_id={show.id}").status_code == 200
    assert client_for(team["outsider"]).get(f"/api/data/edits?project_id={show.id}").status_code == 403
    assert api.get(f"/api/data/edits?project_id={uuid.uuid4()}").status_code == 404


def test_a_vendor_lists_their_edits_with_their_departments_fields(world, team, show):
    department = factories.make_department("Editing")
    DepartmentLink.objects.create(person=team["vendor"], department=department)
    secret = MetadataDescriptor.objects.create(
        project=show, entity_type="Edit", name="Secret", field_name="secret"
    )
    DepartmentMetadataDescriptorLink.objects.create(
        metadata_descriptor=secret, department=factories.make_department("Other")
    )
    api = client_for(team["vendor"])
    assert api.get(f"/api/data/edits?project_id={show.id}").json() == []
    TaskPersonLink.objects.create(task=world.task, person=team["vendor"])
    [row] = api.get(f"/api/data/edits?project_id={show.id}").json()
    assert row["name"] == "Cut" and row["data"] == {"length": 12}
    [row] = api.get(f"/api/data/projects/{show.id}/edits").json()
    assert row["data"] == {"length": 12}
    [board_row] = api.get(f"/api/data/edits/with-tasks?project_id={show.id}").json()
    assert board_row["data"] == {"length": 12} and len(board_row["tasks"]) == 1
    manager_rows = client_for(team["manager"]).get(f"/api/data/projects/{show.id}/edits").json()
    assert manager_rows[0]["data"]["secret"] == "s" and len(manager_rows) == 2


def test_edit_board(world, team, show):
    TaskPersonLink.objects.create(task=world.task, person=team["user"])
    api = client_for(team["user"])
    rows = api.get(f"/api/data/edits/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["Cut", "Trailer"]
    cut, trailer = rows
    assert (cut["episode_id"], cut["episode_name"]) == (str(world.episode.id), "E01")
    assert (trailer["episode_id"], trailer["episode_name"]) == (None, "")
    [task] = cut["tasks"]
    assert task["assignees"] == [str(team["user"].id)] and task["is_subscribed"] is False
    assert "last_preview_file_id" in task and "done_date" not in task
    episode_rows = api.get(
        f"/api/data/edits/with-tasks?project_id={show.id}&episode_id={world.episode.id}"
    ).json()
    assert [row["name"] for row in episode_rows] == ["Cut"]
    main = api.get(f"/api/data/edits/with-tasks?project_id={show.id}&episode_id=main").json()
    assert [row["name"] for row in main] == ["Trailer"]
    assert len(api.get(f"/api/data/edits/with-tasks?project_id={show.id}&episode_id=all").json()) == 2
    client_rows = client_for(team["client"]).get(f"/api/data/edits/with-tasks?project_id={show.id}").json()
    assert client_rows[0]["tasks"][0]["assignees"] == [] and client_rows[0]["tasks"][0]["duration"] == 0
    assert api.get("/api/data/edits/with-tasks?episode_id=nope").status_code == 400
    assert api.get("/api/data/edits/with-tasks").status_code == 403


def test_edit_lists_are_bounded(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    for size in (1, 12):
        for n in range(size):
            edit = make_edit(show, f"E{size}-{n}", world.episode)
            TaskPersonLink.objects.create(task=factories.make_task(edit, world.editing), person=team["user"])
        with django_assert_max_num_queries(10):
            assert api.get(f"/api/data/edits/with-tasks?project_id={show.id}").status_code == 200
        with django_assert_max_num_queries(8):
            assert api.get(f"/api/data/edits?project_id={show.id}").status_code == 200
        with django_assert_max_num_queries(10):
            assert api.get(f"/api/data/episodes/{world.episode.id}/edits?relations=true").status_code == 200
        with django_assert_max_num_queries(10):
            assert (
                api.get(f"/api/data/episodes/{world.episode.id}/edit-tasks?relations=true").status_code == 200
            )


# --- one edit ------------------------------------------------------------------------------------


def test_read_an_edit(world, team, show):
    api = client_for(team["user"])
    body = api.get(f"/api/data/edits/{world.cut.id}").json()
    assert (body["name"], body["type"], body["episode_name"]) == ("Cut", "Edit", "E01")
    assert [task["id"] for task in body["tasks"]] == [str(world.task.id)]
    assert client_for(team["client"]).get(f"/api/data/edits/{world.cut.id}").status_code == 200
    for role in ("vendor", "outsider"):
        assert client_for(team[role]).get(f"/api/data/edits/{world.cut.id}").status_code == 403, role
    assert api.get(f"/api/data/edits/{world.episode.id}").status_code == 404
    assert api.get(f"/api/data/edits/{uuid.uuid4()}").status_code == 404
    assert api.get("/api/data/edits/nope").status_code == 404  # a malformed id names no row


def test_edit_tasks_task_types_previews_and_versions(world, team, show):
    PreviewFile.objects.create(task=world.task, revision=2, name="v2", extension="mp4", duration=3)
    PreviewFile.objects.create(task=world.task, revision=1, name="v1", extension="mp4")
    EntityVersion.objects.create(entity=world.cut, name="Cut", data={"length": 10})
    api = client_for(team["user"])
    tasks = api.get(f"/api/data/edits/{world.cut.id}/tasks").json()
    assert [(task["task_type_name"], task["entity_name"]) for task in tasks] == [("Editing", "Cut")]
    assert "assignees" not in tasks[0]
    assert [row["name"] for row in api.get(f"/api/data/edits/{world.cut.id}/task-types").json()] == [
        "Editing"
    ]
    previews = api.get(f"/api/data/edits/{world.cut.id}/preview-files").json()[str(world.editing.id)]
    assert [(row["revision"], row["duration"]) for row in previews] == [(2, 3.0), (1, 0.0)]
    [version] = api.get(f"/api/data/edits/{world.cut.id}/versions").json()
    assert (version["type"], version["data"]) == ("EditVersion", {"length": 10})
    for path in ("tasks", "task-types", "preview-files", "versions"):
        assert client_for(team["outsider"]).get(f"/api/data/edits/{world.cut.id}/{path}").status_code == 403
        assert api.get(f"/api/data/edits/{uuid.uuid4()}/{path}").status_code == 404
    client_tasks = client_for(team["client"]).get(f"/api/data/edits/{world.cut.id}/tasks").json()
    assert client_tasks[0]["estimation"] == 0


def test_delete_an_edit(world, team, show):
    assert client_for(team["user"]).delete(f"/api/data/edits/{world.cut.id}").status_code == 403
    manager = client_for(team["manager"])
    assert manager.delete(f"/api/data/edits/{world.cut.id}").status_code == 204
    assert Entity.objects.get(pk=world.cut.pk).canceled is True
    assert manager.delete(f"/api/data/edits/{world.cut.id}?force=true").status_code == 204
    assert not Entity.objects.filter(pk=world.cut.pk).exists() and not Task.objects.exists()
    Entity.objects.filter(pk=world.trailer.pk).update(created_by=team["user"])
    assert client_for(team["user"]).delete(f"/api/data/edits/{world.trailer.id}").status_code == 204
    assert [name for name, _ in events("edit:update", "edit:delete")] == [
        "edit:update",
        "edit:delete",
        "edit:delete",
    ]
    assert manager.delete(f"/api/data/edits/{world.trailer.id}").status_code == 404


# --- an episode's edits ------------------------------------------------------------------------------


def test_episode_edits_and_edit_tasks(world, team, show):
    api = client_for(team["user"])
    rows = api.get(f"/api/data/episodes/{world.episode.id}/edits").json()
    assert [row["name"] for row in rows] == ["Cut"] and "entities_out" not in rows[0]
    rows = api.get(f"/api/data/episodes/{world.episode.id}/edits?relations=true").json()
    assert rows[0]["entities_out"] == [] and rows[0]["type"] == "Edit"
    tasks = api.get(f"/api/data/episodes/{world.episode.id}/edit-tasks?relations=true").json()
    assert [task["id"] for task in tasks] == [str(world.task.id)] and tasks[0]["assignees"] == []
    assert tasks[0]["entity_type_name"] == "Edit"
    assert (
        client_for(team["vendor"]).get(f"/api/data/episodes/{world.episode.id}/edit-tasks").status_code == 403
    )
    assert client_for(team["vendor"]).get(f"/api/data/episodes/{world.episode.id}/edits").status_code == 403
    assert client_for(team["outsider"]).get(f"/api/data/episodes/{world.episode.id}/edits").status_code == 403
    assert api.get(f"/api/data/episodes/{world.cut.id}/edits").status_code == 404
    assert api.get(f"/api/data/episodes/{uuid.uuid4()}/edit-tasks").status_code == 404


# --- a production's edits ----------------------------------------------------------------------------


def test_create_an_edit(world, team, show):
    url = f"/api/data/projects/{show.id}/edits"
    api = client_for(team["manager"])
    response = api.post(
        url, {"name": "Teaser", "episode_id": str(world.episode.id), "data": {"a": 1}}, format="json"
    )
    assert response.status_code == 201
    edit = response.json()
    assert (edit["name"], edit["type"], edit["parent_id"], edit["description"]) == (
        "Teaser",
        "Edit",
        str(world.episode.id),
        "",
    )
    assert edit["data"] == {"a": 1} and edit["created_by"] == str(team["manager"].id)
    assert events("edit:new") == [("edit:new", {"edit_id": edit["id"], "parent_id": str(world.episode.id)})]
    again = api.post(url, {"name": "Teaser", "episode_id": str(world.episode.id)}, format="json")
    assert again.status_code == 201 and again.json()["id"] == edit["id"] and len(events("edit:new")) == 1
    other = api.post(url, {"name": "Teaser"}, format="json").json()
    assert other["id"] != edit["id"] and other["parent_id"] is None and other["data"] == {}
    assert [row["name"] for row in client_for(team["user"]).get(url).json()] == [
        "Cut",
        "Teaser",
        "Teaser",
        "Trailer",
    ]


def test_edit_creation_refusals_and_bad_input(world, team, show):
    url = f"/api/data/projects/{show.id}/edits"
    before = Entity.objects.count()
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).post(url, {"name": "X"}, format="json").status_code == 403, role
    api = client_for(team["manager"])
    for body in ({}, {"name": ""}, {"name": "X", "episode_id": ""}, {"name": "X", "data": [1]}):
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and response.json()["message"], body
    assert api.post(url, {"name": "X", "episode_id": str(uuid.uuid4())}, format="json").status_code == 404
    assert (
        api.post(f"/api/data/projects/{uuid.uuid4()}/edits", {"name": "X"}, format="json").status_code == 404
    )
    assert Entity.objects.count() == before
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert api.get(f"/api/data/projects/{uuid.uuid4()}/edits").status_code == 404
