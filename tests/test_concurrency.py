"""Integrity under concurrency: 8 clients at once, each with its own connection, on PostgreSQL
(SQLite runs one writer at a time, so races there are out of reach).

- Creating the same entity (asset, episode, sequence, shot, scene, edit, concept, concept
  folder): one row; every client gets it (201), the losers of the race too, never a 400 or 500.
- Creating the same tasks (create-tasks, an entity's tasks) and assigning the same person: one
  task per entity and type, one assignation link, one team membership; every client gets 2xx.
- Writing castings over a production (the same shot from several clients, sibling shots of one
  episode): every write answers 200, the links and the casting stats end right.
"""

import threading

import pytest
from django.db import connection

from assets.models import Entity, EntityLink
from productions.models import ProjectPersonLink, ProjectTaskTypeLink
from tasks.models import ApiEvent, Task, TaskPersonLink
from tests import factories
from tests.assets.test_entity_uniqueness import PARENTLESS_CREATIONS
from tests.factories import client_for

CLIENTS = 8

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def at_once(request, count=CLIENTS):
    """Run request(i) for i in range(count) in as many threads, released together; each opens
    its own database connection (closed after). Returns the responses in order."""
    barrier = threading.Barrier(count)
    responses, failures = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            responses[index] = request(index)
        except Exception as failure:  # noqa: BLE001 - reported below, with the thread's traceback
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return responses


def statuses(responses):
    return [response.status_code for response in responses]


def bodies(responses):
    return [response.json() for response in responses]


def event_count(name):
    return ApiEvent.objects.filter(name=name).count()


# --- creating the same entity ----------------------------------------------------------------------


def test_concurrent_new_assets_of_one_name_make_one_asset(show, team):
    prop = factories.make_asset_type("Prop")
    path = f"/api/data/projects/{show.id}/asset-types/{prop.id}/assets/new"
    responses = at_once(lambda i: client_for(team["manager"]).post(path, {"name": "Sword"}, format="json"))
    assert statuses(responses) == [201] * CLIENTS, bodies(responses)
    assert len({body["id"] for body in bodies(responses)}) == 1
    assert Entity.objects.filter(name="Sword").count() == 1 and event_count("asset:new") == 1


@pytest.mark.parametrize(("route", "body", "event"), PARENTLESS_CREATIONS)  # raced this time
def test_concurrent_get_or_create_without_parent_answers_one_row(show, team, route, body, event):
    # The entity types exist beforehand: the race to create one would serialize the requests.
    for name in ("Episode", "Sequence", "Shot", "Scene", "Edit", "Concept", "ConceptFolder"):
        factories.make_asset_type(name)
    path = f"/api/data/projects/{show.id}/{route}"
    responses = at_once(lambda i: client_for(team["manager"]).post(path, body, format="json"))
    assert len(set(statuses(responses))) == 1 and statuses(responses)[0] in (200, 201), bodies(responses)
    assert len({row["id"] for row in bodies(responses)}) == 1
    assert Entity.objects.filter(name=body["name"]).count() == 1 and event_count(event) == 1


def test_concurrent_shots_of_one_name_in_a_sequence_answer_one_shot(show, team):
    """Under a parent the reference's unique key held already: the losers got a 400."""
    sequence = factories.make_sequence(show, factories.make_episode(show, name="E01"), name="SQ01")
    path = f"/api/data/projects/{show.id}/shots"
    body = {"name": "SH01", "sequence_id": str(sequence.id), "nb_frames": 24}
    responses = at_once(lambda i: client_for(team["manager"]).post(path, body, format="json"))
    assert statuses(responses) == [201] * CLIENTS, bodies(responses)
    assert len({row["id"] for row in bodies(responses)}) == 1
    assert Entity.objects.filter(name="SH01", parent=sequence).count() == 1 and event_count("shot:new") == 1


# --- tasks ------------------------------------------------------------------------------------------


def test_concurrent_create_tasks_make_each_task_once(show, team):
    animation = factories.make_task_type("Animation", for_entity="Shot")
    factories.make_task_status(name="Todo", short_name="todo", is_default=True)
    sequence = factories.make_sequence(show, None, name="SQ01")
    shots = [factories.make_shot(show, sequence, name=f"SH0{n}") for n in range(1, 4)]
    path = f"/api/actions/projects/{show.id}/task-types/{animation.id}/shots/create-tasks"
    body = [str(shot.id) for shot in shots]
    responses = at_once(lambda i: client_for(team["manager"]).post(path, body, format="json"))
    assert statuses(responses) == [201] * CLIENTS, bodies(responses)
    tasks = {str(task.entity_id): str(task.pk) for task in Task.objects.all()}
    assert len(tasks) == Task.objects.count() == len(shots)
    # Each answer lists the tasks it made or lost to a concurrent request (the real rows), and none
    # that a request committed before it started: the reference's answer to a later request, [].
    for rows in bodies(responses):
        assert {row["entity_id"]: row["id"] for row in rows}.items() <= tasks.items()
        assert {row["task_status_short_name"] for row in rows} <= {"todo"}
    assert event_count("task:new") == len(shots)


def test_concurrent_entity_task_creations_make_each_task_once(show, team):
    modeling = factories.make_task_type("Modeling", for_entity="Asset")
    rigging = factories.make_task_type("Rigging", for_entity="Asset")
    for task_type in (modeling, rigging):
        ProjectTaskTypeLink.objects.create(project=show, task_type=task_type)
    asset = factories.make_asset(show, name="Hero")
    body = {"task_type_ids": [str(modeling.id), str(rigging.id)]}
    path = f"/api/data/entities/{asset.id}/tasks"
    responses = at_once(lambda i: client_for(team["manager"]).post(path, body, format="json"))
    assert statuses(responses) == [201] * CLIENTS, bodies(responses)
    tasks = {str(task.task_type_id): str(task.pk) for task in Task.objects.filter(entity=asset)}
    assert len(tasks) == Task.objects.count() == 2
    for rows in bodies(responses):  # what it made or lost to a concurrent request (see above)
        assert {row["task_type_id"]: row["id"] for row in rows}.items() <= tasks.items()
    assert event_count("task:new") == 2


def test_concurrent_assignations_of_one_person_link_them_once(show, team):
    task = factories.make_task(factories.make_asset(show, name="Hero"))
    newcomer = factories.make_person(role="user")  # joins the team with the first assignation
    path = f"/api/actions/tasks/{task.id}/assign"
    body = {"person_id": str(newcomer.id)}
    responses = at_once(lambda i: client_for(team["manager"]).put(path, body, format="json"))
    assert statuses(responses) == [200] * CLIENTS, bodies(responses)
    assert all(row["assignees"] == [str(newcomer.id)] for row in bodies(responses))
    assert TaskPersonLink.objects.filter(task=task, person=newcomer).count() == 1
    assert ProjectPersonLink.objects.filter(project=show, person=newcomer).count() == 1
    assert event_count("project:update") == 1


# --- casting ----------------------------------------------------------------------------------------


def test_concurrent_castings_over_a_production_all_succeed_with_right_stats(show, team):
    """The clients write the casting of two sibling shots of one episode, several on the same
    shot with the same body: each write is idempotent, the episode's auto links are made once."""
    layout = factories.make_task_type("Layout", for_entity="Shot")
    ProjectTaskTypeLink.objects.create(project=show, task_type=layout, priority=1)
    episode = factories.make_episode(show, name="E01")
    sequence = factories.make_sequence(show, episode, name="SQ01")
    shots = [factories.make_shot(show, sequence, name=f"SH0{n}") for n in (1, 2)]
    tasks = [factories.make_task(shot, layout) for shot in shots]
    hero = factories.make_asset(show, name="Hero", ready_for=layout)
    sword = factories.make_asset(show, name="Sword")
    casting = [
        {"asset_id": str(hero.id), "nb_occurences": 2, "label": "fixed"},
        {"asset_id": str(sword.id), "nb_occurences": 1},
    ]

    def write(index):
        shot = shots[index % 2]
        path = f"/api/data/projects/{show.id}/entities/{shot.id}/casting"
        return client_for(team["manager"]).put(path, casting, format="json")

    responses = at_once(write)
    assert statuses(responses) == [200] * CLIENTS, bodies(responses)
    assert all(body == casting for body in bodies(responses))
    for shot in shots:
        links = EntityLink.objects.filter(entity_in=shot)
        assert sorted(links.values_list("entity_out_id", "nb_occurences", "label")) == sorted(
            [(hero.id, 2, "fixed"), (sword.id, 1, "")]
        )
        assert Entity.objects.get(pk=shot.pk).nb_entities_out == 2
    auto = EntityLink.objects.filter(entity_in=episode).values_list("entity_out_id", "data")
    assert sorted(auto) == sorted([(hero.id, {"auto": True}), (sword.id, {"auto": True})])
    assert Entity.objects.get(pk=episode.pk).nb_entities_out == 2
    for task in tasks:  # Hero is ready for layout, Sword for nothing
        task.refresh_from_db()
        assert task.nb_assets_ready == 1
    assert event_count("shot:casting-update") == CLIENTS
