"""The `concepts` area: concept lists and board, one concept (read, delete), its tasks, task types
and previews, a production's concepts and concept folders, and moving concepts between folders."""

import uuid

import pytest

from assets.models import Entity, EntityConceptLink, EntityType
from files.models import PreviewFile
from tasks.models import Subscription, Task, TaskPersonLink
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


events = factories.recorded_events


def concept_type():
    return EntityType.objects.get_or_create(name="Concept")[0]


def folder_type():
    return EntityType.objects.get_or_create(name="ConceptFolder")[0]


def make_concept(project, name, **fields):
    return Entity.objects.create(project=project, entity_type=concept_type(), name=name, **fields)


def make_folder(project, name):
    return Entity.objects.create(project=project, entity_type=folder_type(), name=name)


@pytest.fixture
def world(show):
    class World:
        hero = factories.make_asset(show, factories.make_asset_type("Character"), name="Hero")
        sketch = make_concept(show, "Sketch", data={"fps": 24})
        board = make_concept(show, "Board")
        design = factories.make_task_type("Design", for_entity="Concept")

    world = World()
    EntityConceptLink.objects.create(entity_in=world.sketch, entity_out=world.hero)
    world.task = factories.make_task(world.sketch, world.design)
    return world


# --- lists ---------------------------------------------------------------------------------------


def test_concept_list(world, team, show):
    api = client_for(team["user"])
    rows = api.get(f"/api/data/concepts?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["Board", "Sketch"]
    sketch = rows[1]
    assert sketch["type"] == "Concept" and sketch["project_name"] == "Show"
    assert sketch["entity_concept_links"] == [str(world.hero.id)]
    assert "entities_out" not in sketch and sketch["data"] == {"fps": 24}
    assert [
        row["name"] for row in api.get(f"/api/data/concepts?project_id={show.id}&name=sketch").json()
    ] == ["Sketch"]
    assert api.get("/api/data/concepts").status_code == 403  # a non-admin names a production
    assert len(client_for(team["admin"]).get("/api/data/concepts").json()) == 2
    for role in ("client", "vendor", "outsider"):
        assert client_for(team[role]).get(f"/api/data/concepts?project_id={show.id}").status_code == 403, role
    assert api.get(f"/api/data/concepts?project_id={uuid.uuid4()}").status_code == 404
    assert api.get("/api/data/concepts?project_id=nope").status_code == 400


def test_concept_board(world, team, show):
    TaskPersonLink.objects.create(task=world.task, person=team["user"])
    Subscription.objects.create(person=team["user"], task=world.task)
    api = client_for(team["user"])
    rows = api.get(f"/api/data/concepts/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["Board", "Sketch"]
    sketch = rows[1]
    assert (sketch["fps"], sketch["frame_in"], sketch["project_name"]) == (24, None, "Show")
    assert sketch["entity_concept_links"] == [str(world.hero.id)] and sketch["preview_file_status"] is None
    [task] = sketch["tasks"]
    assert task["id"] == str(world.task.id) and task["assignees"] == [str(team["user"].id)]
    assert task["is_subscribed"] is True and task["priority"] == 0
    assert set(task) == {
        "id", "duration", "due_date", "end_date", "entity_id", "estimation", "last_comment_date",
        "nb_assets_ready", "priority", "real_start_date", "retake_count", "start_date", "task_status_id",
        "task_type_id", "data", "is_subscribed", "assignees",
    }  # fmt: skip
    mine = client_for(team["manager"]).get(
        f"/api/data/concepts/with-tasks?project_id={show.id}&assigned_to=me"
    )
    assert mine.json() == []
    assert api.get("/api/data/concepts/with-tasks?id=nope").status_code == 400
    assert (
        client_for(team["client"]).get(f"/api/data/concepts/with-tasks?project_id={show.id}").status_code
        == 403
    )


def test_concept_lists_are_bounded(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    for size in (1, 12):
        for n in range(size):
            concept = make_concept(show, f"C{size}-{n}")
            EntityConceptLink.objects.create(entity_in=concept, entity_out=world.hero)
            factories.make_task(concept, world.design)
        with django_assert_max_num_queries(12):
            assert api.get(f"/api/data/concepts/with-tasks?project_id={show.id}").status_code == 200
        with django_assert_max_num_queries(10):
            assert api.get(f"/api/data/concepts?project_id={show.id}").status_code == 200
        with django_assert_max_num_queries(10):
            assert api.get(f"/api/data/projects/{show.id}/concepts").status_code == 200


# --- one concept -----------------------------------------------------------------------------------


def test_read_a_concept(world, team, show):
    api = client_for(team["user"])
    body = api.get(f"/api/data/concepts/{world.sketch.id}").json()
    assert body["name"] == "Sketch" and body["type"] == "Concept"
    assert body["entity_concept_links"] == [str(world.hero.id)]
    assert body["entities_out"] == [] and body["instance_casting"] == [] and "entities_in" in body
    assert [task["id"] for task in body["tasks"]] == [str(world.task.id)]
    assert api.get(f"/api/data/concepts/{world.hero.id}").status_code == 404  # an asset is no concept
    assert api.get(f"/api/data/concepts/{uuid.uuid4()}").status_code == 404
    for role in ("client", "vendor", "outsider"):
        assert client_for(team[role]).get(f"/api/data/concepts/{world.sketch.id}").status_code == 403, role
    TaskPersonLink.objects.create(task=world.task, person=team["vendor"])
    assert (
        client_for(team["vendor"]).get(f"/api/data/concepts/{world.sketch.id}").status_code == 200
    )  # works on it


def test_concept_tasks_task_types_and_previews(world, team, show):
    preview = PreviewFile.objects.create(
        task=world.task, revision=1, name="p", extension="png", data={"x": 1}
    )
    PreviewFile.objects.create(task=world.task, revision=1, position=2, name="p2", extension="png")
    api = client_for(team["user"])
    tasks = api.get(f"/api/data/concepts/{world.sketch.id}/tasks?relations=true").json()
    assert [task["task_type_name"] for task in tasks] == ["Design"] and tasks[0]["assignees"] == []
    task_types = api.get(f"/api/data/concepts/{world.sketch.id}/task-types").json()
    assert [row["name"] for row in task_types] == ["Design"]
    previews = api.get(f"/api/data/concepts/{world.sketch.id}/preview-files").json()
    [first] = previews[str(world.design.id)]
    assert first["id"] == str(preview.id) and len(first["previews"]) == 1
    assert first["task_id"] == str(world.task.id) and first["duration"] == 0.0
    for path in ("tasks", "task-types", "preview-files"):
        assert (
            client_for(team["client"]).get(f"/api/data/concepts/{world.sketch.id}/{path}").status_code == 403
        )
        assert api.get(f"/api/data/concepts/{uuid.uuid4()}/{path}").status_code == 404


def test_delete_a_concept(world, team, show):
    api = client_for(team["user"])
    assert api.delete(f"/api/data/concepts/{world.board.id}").status_code == 403
    Entity.objects.filter(pk=world.board.pk).update(created_by=team["user"])
    assert api.delete(f"/api/data/concepts/{world.board.id}").status_code == 204
    assert not Entity.objects.filter(pk=world.board.pk).exists()
    manager = client_for(team["manager"])
    assert manager.delete(f"/api/data/concepts/{world.sketch.id}").status_code == 204  # has a task: canceled
    assert Entity.objects.get(pk=world.sketch.pk).canceled is True
    assert manager.delete(f"/api/data/concepts/{world.sketch.id}?force=true").status_code == 204
    assert not Entity.objects.filter(pk=world.sketch.pk).exists() and not Task.objects.exists()
    assert [name for name, _ in events("concept:update", "concept:delete")] == [
        "concept:delete",
        "concept:update",
        "concept:delete",
    ]
    assert manager.delete(f"/api/data/concepts/{uuid.uuid4()}").status_code == 404


# --- a production's concepts ----------------------------------------------------------------------


def test_create_a_concept(world, team, show):
    folder = make_folder(show, "Characters")
    api = client_for(team["user"])
    body = {
        "name": "Turnaround",
        "description": "d",
        "data": {"a": 1},
        "entity_concept_links": [{"id": str(world.hero.id)}, {"id": str(uuid.uuid4())}],
        "parent_id": str(folder.id),
    }
    response = api.post(f"/api/data/projects/{show.id}/concepts", body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert (created["name"], created["type"], created["parent_id"]) == (
        "Turnaround",
        "Concept",
        str(folder.id),
    )
    assert created["entity_concept_links"] == [str(world.hero.id)] and created["created_by"] == str(
        team["user"].id
    )
    assert events("concept:new") == [("concept:new", {"concept_id": created["id"]})]
    again = api.post(f"/api/data/projects/{show.id}/concepts", {"name": "Turnaround"}, format="json")
    assert again.status_code == 201 and again.json()["id"] == created["id"]
    assert len(events("concept:new")) == 1
    rows = api.get(f"/api/data/projects/{show.id}/concepts").json()
    assert [row["name"] for row in rows] == ["Board", "Sketch", "Turnaround"]
    assert rows[2]["entity_concept_links"] == [str(world.hero.id)] and "project_name" not in rows[2]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "X", "parent_id": "nope"},
        {"name": "X", "entity_concept_links": [{}]},
        {"name": "X", "data": "text"},
    ],
)
def test_concept_creation_bad_input_writes_nothing(world, team, show, body):
    before = Entity.objects.count()
    response = client_for(team["user"]).post(f"/api/data/projects/{show.id}/concepts", body, format="json")
    assert response.status_code == 400 and response.json()["message"]
    assert Entity.objects.count() == before


def test_concept_creation_refusals(world, team, show):
    url = f"/api/data/projects/{show.id}/concepts"
    for role in ("client", "vendor", "outsider"):
        assert client_for(team[role]).post(url, {"name": "X"}, format="json").status_code == 403, role
        assert client_for(team[role]).get(url).status_code == 403, role
    api = client_for(team["user"])
    assert api.post(url, {"name": "X", "parent_id": str(uuid.uuid4())}, format="json").status_code == 404
    other_folder = make_folder(factories.make_project(name="Other"), "Elsewhere")
    assert api.post(url, {"name": "X", "parent_id": str(other_folder.id)}, format="json").status_code == 404
    assert (
        api.post(f"/api/data/projects/{uuid.uuid4()}/concepts", {"name": "X"}, format="json").status_code
        == 404
    )
    assert not Entity.objects.filter(name="X").exists()


# --- concept folders -------------------------------------------------------------------------------


def test_concept_folders(world, team, show):
    url = f"/api/data/projects/{show.id}/concept-folders"
    api = client_for(team["supervisor"])
    response = api.post(url, {"name": "Props"}, format="json")
    assert response.status_code == 201
    folder = response.json()
    assert (folder["name"], folder["type"], folder["data"]) == ("Props", "ConceptFolder", None)
    assert "entity_concept_links" not in folder
    assert api.post(url, {"name": "Props"}, format="json").json()["id"] == folder["id"]
    api.post(url, {"name": "Characters"}, format="json")
    assert [row["name"] for row in client_for(team["user"]).get(url).json()] == ["Characters", "Props"]
    assert client_for(team["user"]).post(url, {"name": "Mine"}, format="json").status_code == 403
    assert client_for(team["client"]).get(url).status_code == 403
    assert api.post(url, {"name": ""}, format="json").status_code == 400
    assert api.post(url, {"name": "x" * 161}, format="json").status_code == 400
    assert Entity.objects.filter(entity_type__name="ConceptFolder").count() == 2
    assert [name for name, _ in events("concept-folder:new")] == ["concept-folder:new"] * 2


def test_rename_and_delete_a_concept_folder(world, team, show):
    props, characters = make_folder(show, "Props"), make_folder(show, "Characters")
    Entity.objects.filter(pk=world.sketch.pk).update(parent=props)
    api = client_for(team["supervisor"])
    url = f"/api/data/concept-folders/{props.id}"
    taken = api.put(url, {"name": "Characters"}, format="json")
    assert (
        taken.status_code == 400
        and taken.json()["message"] == "A concept folder with this name already exists."
    )
    response = api.put(url, {"name": "Objects"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Objects"
    assert client_for(team["user"]).put(url, {"name": "Mine"}, format="json").status_code == 403
    assert (
        api.put(f"/api/data/concept-folders/{world.sketch.id}", {"name": "X"}, format="json").status_code
        == 404
    )
    assert api.put(url, {}, format="json").status_code == 400
    assert client_for(team["user"]).delete(url).status_code == 403
    assert api.delete(url).status_code == 204
    assert not Entity.objects.filter(pk=props.pk).exists()
    assert Entity.objects.get(pk=world.sketch.pk).parent_id is None
    assert [
        name for name, _ in events("concept-folder:update", "concept:update", "concept-folder:delete")
    ] == [
        "concept-folder:update",
        "concept:update",
        "concept-folder:delete",
    ]
    assert api.delete(url).status_code == 404
    assert Entity.objects.filter(pk=characters.pk).exists()


def test_move_concepts(world, team, show):
    folder = make_folder(show, "Props")
    url = f"/api/actions/projects/{show.id}/move-concepts"
    api = client_for(team["supervisor"])
    body = {
        "concept_ids": [str(world.sketch.id), str(world.hero.id), str(uuid.uuid4())],
        "concept_folder_id": str(folder.id),
    }
    response = api.post(url, body, format="json")
    assert response.status_code == 200 and response.json() == [str(world.sketch.id)]
    assert Entity.objects.get(pk=world.sketch.pk).parent_id == folder.id
    assert events("concept:update") == [("concept:update", {"concept_id": str(world.sketch.id)})]
    back = api.post(url, {"concept_ids": [str(world.sketch.id)]}, format="json")
    assert back.json() == [str(world.sketch.id)] and Entity.objects.get(pk=world.sketch.pk).parent_id is None
    assert api.post(url, {"concept_ids": []}, format="json").json() == []
    assert api.post(url, {}, format="json").status_code == 400
    assert api.post(url, {"concept_ids": ["nope"]}, format="json").status_code == 400
    missing = {"concept_ids": [str(world.sketch.id)], "concept_folder_id": str(uuid.uuid4())}
    assert api.post(url, missing, format="json").status_code == 404
    assert client_for(team["user"]).post(url, body, format="json").status_code == 403
    assert Entity.objects.get(pk=world.sketch.pk).parent_id is None
