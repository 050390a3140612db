"""The `entities` area: what hangs off any entity (news, previews, time spents, linked
entities), creating its tasks, and removing a batch of a production's entities."""

import datetime
import uuid

import pytest

from assets.models import Concept, Entity, EntityConceptLink, EntityLink, TaskTypeAssetTypeLink
from files.models import PreviewFile
from productions.models import ProjectTaskTypeLink
from tasks.models import ApiEvent, Comment, News, Task, TaskPersonLink, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def event_names(*names):
    return list(ApiEvent.objects.filter(name__in=names).order_by("created_at").values_list("name", flat=True))


@pytest.fixture
def world(show):
    class World:
        character = factories.make_asset_type("Character")
        episode = factories.make_episode(show, name="E01")
        sequence = factories.make_sequence(show, episode, name="SQ01")
        modeling = factories.make_task_type("Modeling", priority=2)
        rigging = factories.make_task_type("Rigging", priority=3)
        layout = factories.make_task_type("Layout", for_entity="Shot")

    world = World()
    world.shot = factories.make_shot(show, world.sequence, name="SH01")
    world.hero = factories.make_asset(show, world.character, name="Hero", source_id=world.episode.pk)
    world.task = factories.make_task(world.hero, world.modeling)
    return world


def entity_paths(entity):
    return [f"/api/data/entities/{entity.id}/{path}" for path in ("news", "preview-files", "time-spents")] + [
        f"/api/data/entities/{entity.id}/entities-linked/with-tasks"
    ]


# --- reads ---------------------------------------------------------------------------------


def test_entity_news(world, team, show):
    status = factories.make_task_status(name="WIP", short_name="wip")
    comment = Comment.objects.create(
        object_id=world.task.pk, object_type="Task", person=team["manager"], task_status=status, text="hi"
    )
    news = News.objects.create(author=team["manager"], comment=comment, task=world.task, change=True)
    shot_task = factories.make_task(world.shot, world.layout)
    News.objects.create(author=team["manager"], task=shot_task)
    body = client_for(team["user"]).get(f"/api/data/entities/{world.hero.id}/news").json()
    assert (body["total"], body["nb_pages"], body["limit"], body["offset"], body["page"]) == (
        1,
        1,
        2000,
        0,
        1,
    )
    entry = body["data"][0]
    assert entry["id"] == str(news.id) and entry["type"] == "News" and entry["change"] is True
    assert entry["task_status_id"] == str(status.id) and entry["task_type_id"] == str(world.modeling.id)
    assert entry["full_entity_name"] == "Character / Hero" and entry["episode_id"] == str(world.episode.id)
    assert entry["project_name"] == "Show" and entry["preview_file_id"] is None
    assert entry["person"]["id"] == str(team["manager"].id) and entry["person"]["role"] == "manager"
    assert entry["person"]["full_name"] == f"{team['manager'].first_name} {team['manager'].last_name}"
    body = client_for(team["user"]).get(f"/api/data/entities/{world.shot.id}/news").json()
    assert body["data"][0]["full_entity_name"] == "E01 / SQ01 / SH01"
    assert body["data"][0]["episode_id"] == str(world.episode.id)


def test_entity_preview_files_and_time_spents(world, team, show):
    PreviewFile.objects.create(task=world.task, name="v1", revision=1, extension="png", person=team["user"])
    PreviewFile.objects.create(task=world.task, name="v2", revision=2, extension="mp4")
    rows = client_for(team["user"]).get(f"/api/data/entities/{world.hero.id}/preview-files").json()
    assert [row["revision"] for row in rows] == [2, 1]
    assert set(rows[0]) == {
        "id",
        "name",
        "original_name",
        "extension",
        "revision",
        "position",
        "file_size",
        "status",
        "validation_status",
        "task_id",
        "person_id",
        "created_at",
        "token_in",
        "token_out",
    }
    assert rows[1]["person_id"] == str(team["user"].id) and rows[1]["task_id"] == str(world.task.id)
    for day, duration in ((1, 60), (2, 120)):
        TimeSpent.objects.create(
            task=world.task, person=team["user"], date=datetime.date(2026, 3, day), duration=duration
        )
    rows = client_for(team["user"]).get(f"/api/data/entities/{world.hero.id}/time-spents").json()
    assert [(row["date"], row["duration"], row["type"]) for row in rows] == [
        ("2026-03-02", 120.0, "TimeSpent"),
        ("2026-03-01", 60.0, "TimeSpent"),
    ]


def test_entities_linked_with_tasks(world, team, show):
    concept = Concept.objects.create(project=show, name="Hero sketch", data={"fps": 24})
    EntityConceptLink.objects.create(entity_in=concept, entity_out=world.hero)
    task = factories.make_task(concept, factories.make_task_type("Concept", for_entity="Concept"))
    TaskPersonLink.objects.create(task=task, person=team["user"])
    rows = (
        client_for(team["user"]).get(f"/api/data/entities/{world.hero.id}/entities-linked/with-tasks").json()
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(concept.id) and row["type"] == "Concept" and row["project_name"] == "Show"
    assert (
        row["fps"] == 24 and row["frame_in"] is None and row["entity_concept_links"] == [str(world.hero.id)]
    )
    assert [(t["id"], t["assignees"], t["priority"]) for t in row["tasks"]] == [
        (str(task.id), [str(team["user"].id)], 0)
    ]
    assert (
        client_for(team["user"]).get(f"/api/data/entities/{concept.id}/entities-linked/with-tasks").json()
        == []
    )


def test_entity_reads_need_access(world, team, show):
    for path in entity_paths(world.hero):
        assert client_for(team["outsider"]).get(path).status_code == 403, path
        assert client_for(team["vendor"]).get(path).status_code == 403, path  # no task on it
        assert client_for(team["client"]).get(path).status_code == 200, path
    TaskPersonLink.objects.create(task=world.task, person=team["vendor"])
    for path in entity_paths(world.hero):
        assert client_for(team["vendor"]).get(path).status_code == 200, path
    api = client_for(team["admin"])
    for path in entity_paths(Entity(pk=uuid.uuid4())):
        assert api.get(path).status_code == 404, path
    assert api.get("/api/data/entities/nope/news").status_code == 404  # a malformed id names no row


def test_entity_reads_run_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    def add_rows(count):
        for i in range(count):
            task = factories.make_task(world.hero, factories.make_task_type())
            News.objects.create(author=team["user"], task=task)
            PreviewFile.objects.create(task=task, name=f"p{i}", revision=1)
            TimeSpent.objects.create(
                task=task, person=team["user"], date=datetime.date(2026, 1, 1), duration=1
            )
            concept = Concept.objects.create(project=show, name=f"Concept {uuid.uuid4()}")
            EntityConceptLink.objects.create(entity_in=concept, entity_out=world.hero)
            TaskPersonLink.objects.create(
                task=factories.make_task(concept, task.task_type), person=team["user"]
            )

    api = client_for(team["user"])
    add_rows(1)
    counts = {}
    for path in entity_paths(world.hero):
        with django_assert_max_num_queries(10) as few:
            api.get(path)
        counts[path] = len(few.captured_queries)
    add_rows(10)
    for path in entity_paths(world.hero):
        with django_assert_max_num_queries(counts[path]):
            assert api.get(path).status_code == 200


# --- task creation ---------------------------------------------------------------------------


def test_create_the_tasks_of_an_entity(world, team, show):
    for task_type in (world.modeling, world.rigging, world.layout):
        ProjectTaskTypeLink.objects.create(project=show, task_type=task_type)
    prop = factories.make_asset(show, factories.make_asset_type("Prop"), name="Sword")
    api = client_for(team["user"])
    response = api.post(
        f"/api/data/entities/{prop.id}/tasks", {"task_type_ids": [str(world.rigging.id)]}, format="json"
    )
    assert response.status_code == 201
    (task,) = response.json()
    assert task["name"] == "main" and task["entity_id"] == str(prop.id) and task["type"] == "Task"
    assert task["task_type_name"] == "Rigging" and task["task_status_short_name"] == "todo"
    assert task["assignees"] == [] and task["assigner_id"] == str(team["user"].id)
    # Without a list: every task type of the production fitting the entity, those it has aside.
    response = api.post(f"/api/data/entities/{prop.id}/tasks", {}, format="json")
    assert [task["task_type_name"] for task in response.json()] == ["Modeling"]
    assert Task.objects.filter(entity=prop).count() == 2
    assert event_names("task:new") == ["task:new", "task:new"]
    # An asset type's workflow narrows it down.
    TaskTypeAssetTypeLink.objects.create(asset_type=world.character, task_type=world.rigging)
    response = api.post(f"/api/data/entities/{world.hero.id}/tasks", format="json")
    assert [task["task_type_name"] for task in response.json()] == ["Rigging"]


def test_task_creation_refusals(world, team, show):
    ProjectTaskTypeLink.objects.create(project=show, task_type=world.layout)
    path = f"/api/data/entities/{world.hero.id}/tasks"
    before = Task.objects.count()
    for role in ("client", "vendor", "outsider"):
        body = {"task_type_ids": [str(world.rigging.id)]}
        assert client_for(team[role]).post(path, body, format="json").status_code == 403, role
    api = client_for(team["manager"])
    response = api.post(path, {"task_type_ids": [str(world.layout.id)]}, format="json")
    assert response.status_code == 400 and "is for Shot entities, got Asset" in response.json()["message"]
    response = api.post(path, {"task_type_ids": [str(world.rigging.id)]}, format="json")
    assert response.status_code == 400 and "is not enabled in project" in response.json()["message"]
    assert api.post(path, {"task_type_ids": ["nope"]}, format="json").status_code == 400
    assert api.post(path, {"task_type_ids": "nope"}, format="json").status_code == 400
    assert api.post(path, {"task_type_ids": [str(uuid.uuid4())]}, format="json").status_code == 404
    assert api.post(f"/api/data/entities/{uuid.uuid4()}/tasks", {}, format="json").status_code == 404
    assert Task.objects.count() == before and not event_names("task:new")


# --- batch removal ---------------------------------------------------------------------------


def test_delete_a_batch_of_entities(world, team, show):
    bare = factories.make_asset(show, world.character, name="Bare")
    shot_task = factories.make_task(world.shot, world.layout)
    other = factories.make_asset(factories.make_project(name="Other"), world.character, name="Elsewhere")
    EntityLink.objects.create(entity_in=world.shot, entity_out=world.hero)
    path = f"/api/actions/projects/{show.id}/delete-entities"
    ids = [str(world.hero.id), str(bare.id), str(world.shot.id), str(world.sequence.id), str(other.id)]
    response = client_for(team["manager"]).post(path, ids, format="json")
    assert response.status_code == 200
    assert response.json() == [str(world.hero.id), str(bare.id), str(world.shot.id)]
    world.hero.refresh_from_db()
    world.shot.refresh_from_db()
    assert world.hero.canceled and world.shot.canceled  # they hold tasks
    assert not Entity.objects.filter(pk=bare.pk).exists()
    assert Entity.objects.filter(pk__in=[world.sequence.pk, other.pk]).count() == 2  # skipped
    assert event_names("asset:update", "asset:delete", "shot:update") == [
        "asset:update",
        "asset:delete",
        "shot:update",
    ]
    # Canceled ones go for real the second time.
    response = client_for(team["manager"]).post(path, [str(world.hero.id), str(world.shot.id)], format="json")
    assert response.json() == [str(world.hero.id), str(world.shot.id)]
    assert not Entity.objects.filter(pk__in=[world.hero.pk, world.shot.pk]).exists()
    assert not Task.objects.filter(pk__in=[world.task.pk, shot_task.pk]).exists()
    assert event_names("task:delete").count("task:delete") == 2


def test_delete_entities_refusals(world, team, show):
    path = f"/api/actions/projects/{show.id}/delete-entities"
    before = Entity.objects.count()
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).post(path, [str(world.hero.id)], format="json").status_code == 403, role
    mine = factories.make_asset(show, world.character, name="Mine", created_by=team["user"])
    response = client_for(team["user"]).post(path, [str(mine.id)], format="json")
    assert response.status_code == 200 and response.json() == [str(mine.id)]  # its creator removes it
    api = client_for(team["manager"])
    response = api.post(path, {"ids": [str(world.hero.id)]}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "Request body must be a JSON array."
    response = api.post(path, ["nope"], format="json")
    assert (
        response.status_code == 400
        and response.json()["message"] == "Request body must only contain valid UUIDs."
    )
    assert api.post(path, [42], format="json").status_code == 400
    assert (
        api.post(f"/api/actions/projects/{uuid.uuid4()}/delete-entities", [], format="json").status_code
        == 404
    )
    assert api.post(path, [str(uuid.uuid4())], format="json").json() == []
    assert Entity.objects.count() == before
    assert api.post(f"{path}?force=true", [str(world.hero.id)], format="json").json() == [str(world.hero.id)]
    assert not Entity.objects.filter(pk=world.hero.pk).exists()
