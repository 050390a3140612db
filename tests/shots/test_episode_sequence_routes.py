"""The `shots` area, episode and sequence side: episode and sequence lists and boards, one episode
or sequence (read, create, delete with and without force), what hangs off them (sequences, shots,
scenes, tasks, task types), and the production's episode statistics."""

import uuid

import pytest

from assets.models import Entity
from people.models import DepartmentLink
from productions.models import DepartmentMetadataDescriptorLink, MetadataDescriptor
from shots.models import Episode, Sequence, Shot
from tasks.models import Subscription, Task
from tests import factories
from tests.factories import assign, client_for

pytestmark = pytest.mark.django_db

MISSING = uuid.uuid4()


def events(*names):
    return factories.recorded_events(*names, order=("created_at", "id"))


@pytest.fixture
def world(show):
    """Two episodes; E01 holds a sequence of two shots (SH01 with two tasks) and an asset."""

    class World:
        e01 = factories.make_episode(show, name="E01")
        e02 = factories.make_episode(show, name="E02")
        sq01 = factories.make_sequence(show, e01, name="SQ01")
        layout = factories.make_task_type("Layout", for_entity="Shot", priority=1)
        anim = factories.make_task_type("Animation", for_entity="Shot", priority=2)
        modeling = factories.make_task_type("Modeling")
        todo = factories.make_task_status("Todo", "todo", color="#111111")
        retake = factories.make_task_status("Retake", "retake", color="#ff0000", is_retake=True)
        done = factories.make_task_status("Done", "done", color="#00ff00", is_done=True)

    world = World()
    world.sh01 = factories.make_shot(show, world.sq01, name="SH01", nb_frames=24)
    world.sh02 = factories.make_shot(show, world.sq01, name="SH02", nb_frames=10)
    world.sh01_layout = factories.make_task(world.sh01, world.layout, world.todo)
    world.sh01_anim = factories.make_task(world.sh01, world.anim, world.retake, retake_count=2, nb_drawings=5)
    world.hero = factories.make_asset(show, name="Hero", source_id=world.e01.pk)
    world.hero_modeling = factories.make_task(world.hero, world.modeling, world.todo)
    return world


# --- episodes --------------------------------------------------------------------------------------


def test_episode_lists(world, team, show):
    api = client_for(team["user"])
    rows = api.get(f"/api/data/episodes?project_id={show.id}").json()
    assert [(row["name"], row["type"]) for row in rows] == [("E01", "Episode"), ("E02", "Episode")]
    assert [row["name"] for row in api.get(f"/api/data/episodes?project_id={show.id}&name=e02").json()] == [
        "E02"
    ]
    assert [row["name"] for row in api.get(f"/api/data/projects/{show.id}/episodes").json()] == ["E01", "E02"]
    assert api.get("/api/data/episodes").status_code == 403
    assert client_for(team["outsider"]).get(f"/api/data/episodes?project_id={show.id}").status_code == 403
    assert client_for(team["outsider"]).get(f"/api/data/projects/{show.id}/episodes").status_code == 403
    assert len(client_for(team["admin"]).get("/api/data/episodes").json()) == 2
    assert client_for(team["admin"]).get("/api/data/episodes?project_id=nope").status_code == 400
    assert api.get(f"/api/data/projects/{MISSING}/episodes").status_code == 404


def test_vendors_list_the_episodes_and_sequences_they_work_on(world, team, show):
    vendor = client_for(team["vendor"])
    assert vendor.get(f"/api/data/projects/{show.id}/episodes").json() == []
    assign(world.sh01_anim, team["vendor"])
    rows = vendor.get(f"/api/data/projects/{show.id}/episodes").json()
    assert [(row["name"], row["type"]) for row in rows] == [("E01", "Entity")]
    assert [row["name"] for row in vendor.get(f"/api/data/episodes?project_id={show.id}").json()] == ["E01"]
    rows = vendor.get(f"/api/data/projects/{show.id}/sequences").json()
    assert [(row["name"], row["type"]) for row in rows] == [("SQ01", "Entity")]
    assert [row["name"] for row in vendor.get(f"/api/data/sequences?project_id={show.id}").json()] == ["SQ01"]
    assert [row["name"] for row in vendor.get(f"/api/data/episodes/{world.e01.id}/sequences").json()] == [
        "SQ01"
    ]
    other = factories.make_episode(show, name="E03")
    prop = factories.make_asset(show, name="Prop", source_id=other.pk)
    assign(factories.make_task(prop, world.modeling, world.todo), team["vendor"])
    rows = vendor.get(f"/api/data/projects/{show.id}/episodes").json()
    assert [row["name"] for row in rows] == ["E01", "E03"]


def test_managers_create_episodes(world, team, show):
    path = f"/api/data/projects/{show.id}/episodes"
    api = client_for(team["manager"])
    response = api.post(path, {"name": "E10", "status": "bogus", "data": {"x": 1}}, format="json")
    assert response.status_code == 201
    episode = response.json()
    assert episode["type"] == "Episode" and episode["status"] == "running" and episode["description"] == ""
    assert episode["data"] == {"x": 1} and episode["created_by"] == str(team["manager"].id)
    assert events("episode:new") == [("episode:new", {"episode_id": episode["id"]})]
    again = api.post(path, {"name": "E10"}, format="json")
    assert (
        again.status_code == 201 and again.json()["id"] == episode["id"] and len(events("episode:new")) == 1
    )
    before = Episode.objects.count()
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).post(path, {"name": "X"}, format="json").status_code == 403, role
    for body in ({}, {"name": ""}, {"name": "X", "data": [1]}):
        assert api.post(path, body, format="json").status_code == 400, body
    assert api.post(f"/api/data/projects/{MISSING}/episodes", {"name": "X"}, format="json").status_code == 404
    assert Episode.objects.count() == before


def test_full_episode(world, team):
    body = client_for(team["user"]).get(f"/api/data/episodes/{world.e01.id}").json()
    assert body["type"] == "Episode" and body["name"] == "E01" and body["project_name"] == "Show"
    assert "entities_out" not in body
    assert client_for(team["vendor"]).get(f"/api/data/episodes/{world.e01.id}").status_code == 403
    assert client_for(team["outsider"]).get(f"/api/data/episodes/{world.e01.id}").status_code == 403
    api = client_for(team["admin"])
    assert api.get(f"/api/data/episodes/{MISSING}").status_code == 404
    assert api.get(f"/api/data/episodes/{world.sq01.id}").status_code == 404
    assert api.get("/api/data/episodes/nope").status_code == 404


def test_episode_deletion(world, team, show):
    empty = factories.make_episode(show, name="E09")
    assert client_for(team["user"]).delete(f"/api/data/episodes/{empty.id}").status_code == 403
    api = client_for(team["manager"])
    assert api.delete(f"/api/data/episodes/{empty.id}").status_code == 204
    assert not Entity.objects.filter(pk=empty.pk).exists()
    response = api.delete(f"/api/data/episodes/{world.e01.id}")
    assert (
        response.status_code == 400
        and "Some data are still linked to this episode" in response.json()["message"]
    )
    assert Entity.objects.filter(pk=world.e01.pk).exists() and Task.objects.count() == 3
    Subscription.objects.create(person=team["manager"], task=world.sh01_layout)
    assert api.delete(f"/api/data/episodes/{world.e01.id}?force=true").status_code == 204
    assert not Entity.objects.filter(
        pk__in=[world.e01.pk, world.sq01.pk, world.sh01.pk, world.hero.pk]
    ).exists()
    assert not Task.objects.exists()
    assert [data for _, data in events("episode:delete")] == [
        {"episode_id": str(empty.id)},
        {"episode_id": str(world.e01.id)},
    ]
    assert events("sequence:delete") == [("sequence:delete", {"sequence_id": str(world.sq01.id)})]
    assert api.delete(f"/api/data/episodes/{MISSING}").status_code == 404


def test_episode_sequences_shots_and_tasks(world, team):
    api = client_for(team["user"])
    base = f"/api/data/episodes/{world.e01.id}"
    rows = api.get(f"{base}/sequences").json()
    assert [(row["name"], row["type"]) for row in rows] == [("SQ01", "Sequence")]
    assert api.get(f"{base}/sequences?name=nothing").json() == []
    assert api.get("/api/data/episodes/nope/sequences").json() == []
    assert api.get(f"/api/data/episodes/{MISSING}/sequences").status_code == 404
    rows = api.get(f"{base}/shots").json()
    assert [row["name"] for row in rows] == ["SH01", "SH02"] and "entities_out" not in rows[0]
    assert api.get(f"{base}/shots?relations=true").json()[0]["entities_out"] == []
    rows = api.get(f"{base}/shot-tasks?relations=true").json()
    assert [row["task_type_name"] for row in rows] == ["Animation", "Layout"] and rows[0]["assignees"] == []
    assert [row["name"] for row in api.get(f"{base}/task-types").json()] == ["Layout", "Animation"]
    rows = api.get(f"{base}/asset-tasks").json()
    assert [(row["entity_name"], row["task_type_name"]) for row in rows] == [("Hero", "Modeling")]
    episode_task = factories.make_task(world.e01, world.layout, world.todo)
    assert [row["id"] for row in api.get(f"{base}/tasks").json()] == [str(episode_task.id)]
    assert client_for(team["outsider"]).get(f"{base}/shots").status_code == 403


def test_vendors_on_episode_routes(world, team):
    episode_task = factories.make_task(world.e01, world.layout, world.todo)
    base = f"/api/data/episodes/{world.e01.id}"
    vendor = client_for(team["vendor"])
    assert vendor.get(f"{base}/tasks").status_code == 403
    assign(episode_task, team["vendor"])
    rows = vendor.get(f"{base}/tasks").json()
    assert [row["id"] for row in rows] == [str(episode_task.id)] and rows[0]["type"] == "Task"
    assert "task_type_name" not in rows[0]
    assert vendor.get(f"{base}/shot-tasks").status_code == 403
    assert vendor.get(f"{base}/asset-tasks").status_code == 403
    rows = client_for(team["client"]).get(f"{base}/shot-tasks?relations=true").json()
    assert rows[0]["retake_count"] == 0 and rows[0]["assignees"] == []


def test_episode_board(world, team, show):
    episode_task = factories.make_task(world.e01, world.layout, world.todo)
    assign(episode_task, team["user"])
    Subscription.objects.create(person=team["user"], task=episode_task)
    rows = client_for(team["user"]).get(f"/api/data/episodes/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["E01", "E02"]
    e01 = rows[0]
    assert e01["episode_id"] == "None" and e01["status"] == "running" and e01["preview_file_id"] == ""
    assert e01["data"] == {} and e01["frame_in"] is None
    task = e01["tasks"][0]
    assert task["id"] == str(episode_task.id) and task["is_subscribed"] is True
    assert task["assignees"] == [str(team["user"].id)] and list(task)[-2:] == ["is_subscribed", "assignees"]
    assert client_for(team["manager"]).get("/api/data/episodes/with-tasks").status_code == 403
    assert client_for(team["admin"]).get("/api/data/episodes/with-tasks?project_id=nope").status_code == 400
    vendor = client_for(team["vendor"])
    assert vendor.get(f"/api/data/episodes/with-tasks?project_id={show.id}").json() == []
    assign(world.sh01_layout, team["vendor"])
    rows = vendor.get(f"/api/data/episodes/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["E01"] and rows[0]["tasks"] == []  # not their task


# --- sequences -------------------------------------------------------------------------------------


def test_sequence_lists(world, team, show):
    loose = factories.make_sequence(show, None, name="SQ00")
    api = client_for(team["user"])
    rows = api.get(f"/api/data/sequences?project_id={show.id}").json()
    assert [(row["name"], row["type"]) for row in rows] == [("SQ00", "Sequence"), ("SQ01", "Sequence")]
    assert [row["name"] for row in api.get(f"/api/data/sequences?episode_id={world.e01.id}").json()] == [
        "SQ01"
    ]
    assert api.get(f"/api/data/sequences?episode_id={MISSING}").status_code == 404
    assert [row["name"] for row in api.get(f"/api/data/projects/{show.id}/sequences").json()] == [
        "SQ00",
        "SQ01",
    ]
    assert api.get("/api/data/sequences").status_code == 403
    assert client_for(team["outsider"]).get(f"/api/data/projects/{show.id}/sequences").status_code == 403
    full = api.get(f"/api/data/sequences/{world.sq01.id}").json()
    assert (full["project_name"], full["episode_id"], full["episode_name"]) == (
        "Show",
        str(world.e01.id),
        "E01",
    )
    assert "episode_id" not in api.get(f"/api/data/sequences/{loose.id}").json()
    assert api.get(f"/api/data/sequences/{MISSING}").status_code == 404
    assert client_for(team["vendor"]).get(f"/api/data/sequences/{world.sq01.id}").status_code == 403


def test_managers_create_sequences(world, team, show):
    path = f"/api/data/projects/{show.id}/sequences"
    api = client_for(team["manager"])
    response = api.post(path, {"name": "SQ02", "episode_id": str(world.e02.id)}, format="json")
    assert response.status_code == 201
    sequence = response.json()
    assert sequence["type"] == "Sequence" and sequence["parent_id"] == str(world.e02.id)
    assert sequence["description"] == "" and sequence["data"] == {}
    assert events("sequence:new") == [("sequence:new", {"sequence_id": sequence["id"]})]
    assert (
        api.post(path, {"name": "SQ02", "episode_id": str(world.e02.id)}, format="json").json()["id"]
        == sequence["id"]
    )
    assert api.post(path, {"name": "SQ02"}, format="json").json()["parent_id"] is None
    before = Sequence.objects.count()
    assert client_for(team["supervisor"]).post(path, {"name": "X"}, format="json").status_code == 403
    assert api.post(path, {"name": ""}, format="json").status_code == 400
    assert api.post(path, {"name": "X", "episode_id": "nope"}, format="json").status_code == 400
    assert api.post(path, {"name": "X", "episode_id": str(MISSING)}, format="json").status_code == 404
    assert api.post(path, {"name": "X", "episode_id": str(world.sq01.id)}, format="json").status_code == 404
    assert Sequence.objects.count() == before


def test_sequence_deletion(world, team, show):
    empty = factories.make_sequence(show, world.e02, name="SQ09")
    assert client_for(team["user"]).delete(f"/api/data/sequences/{empty.id}").status_code == 403
    api = client_for(team["manager"])
    assert api.delete(f"/api/data/sequences/{empty.id}").status_code == 204
    response = api.delete(f"/api/data/sequences/{world.sq01.id}")
    assert (
        response.status_code == 400
        and "Some data are still linked to this sequence" in response.json()["message"]
    )
    assert Shot.objects.count() == 2
    assert api.delete(f"/api/data/sequences/{world.sq01.id}?force=true").status_code == 204
    assert not Shot.objects.exists() and Task.objects.count() == 1  # the asset's task stays
    assert {data["shot_id"] for _, data in events("shot:delete")} == {str(world.sh01.id), str(world.sh02.id)}
    assert len(events("sequence:delete")) == 2
    assert api.delete(f"/api/data/sequences/{MISSING}").status_code == 404


def test_sequence_shots_scenes_and_tasks(world, team):
    api = client_for(team["user"])
    base = f"/api/data/sequences/{world.sq01.id}"
    rows = api.get(f"{base}/shots").json()
    assert [row["name"] for row in rows] == ["SH01", "SH02"] and rows[0]["sequence_name"] == "SQ01"
    assert [row["name"] for row in api.get(f"{base}/shots?name=sh02").json()] == ["SH02"]
    rows = api.get(f"{base}/shot-tasks").json()
    assert {row["entity_name"] for row in rows} == {"SH01"} and len(rows) == 2
    assert [row["name"] for row in api.get(f"{base}/task-types").json()] == ["Layout", "Animation"]
    assert api.get(f"{base}/scenes").json() == []
    sequence_task = factories.make_task(world.sq01, world.layout, world.todo)
    assign(sequence_task, team["user"])
    rows = api.get(f"{base}/tasks?relations=true").json()
    assert [row["id"] for row in rows] == [str(sequence_task.id)] and rows[0]["assignees"] == [
        str(team["user"].id)
    ]
    assert rows[0]["entity_type_name"] == "Sequence"
    assert client_for(team["outsider"]).get(f"{base}/shots").status_code == 403
    assert api.get(f"/api/data/sequences/{MISSING}/shots").status_code == 404


def test_vendors_on_sequence_routes(world, team, show):
    base = f"/api/data/sequences/{world.sq01.id}"
    vendor = client_for(team["vendor"])
    assign(world.sh01_anim, team["vendor"])
    rows = vendor.get(f"{base}/shots").json()
    assert [row["name"] for row in rows] == ["SH01"]
    assert vendor.get(f"{base}/shot-tasks").status_code == 403  # no task on the sequence itself
    sequence_task = factories.make_task(world.sq01, world.layout, world.todo)
    factories.make_task(world.sq01, world.anim, world.todo)
    assign(sequence_task, team["vendor"])
    assert [row["id"] for row in vendor.get(f"{base}/tasks").json()] == [str(sequence_task.id)]
    assert vendor.get(f"{base}/shot-tasks").status_code == 403


def test_sequence_board(world, team, show):
    sequence_task = factories.make_task(world.sq01, world.layout, world.todo)
    other_task = factories.make_task(world.sq01, world.anim, world.todo)
    department = factories.make_department()
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Sequence", name="Secret", field_name="secret"
    )
    DepartmentMetadataDescriptorLink.objects.create(metadata_descriptor=descriptor, department=department)
    world.sq01.data = {"secret": 1, "open": 2}
    world.sq01.save()
    rows = client_for(team["manager"]).get(f"/api/data/sequences/with-tasks?project_id={show.id}").json()
    assert rows[0]["episode_id"] == str(world.e01.id) and len(rows[0]["tasks"]) == 2
    assert rows[0]["data"] == {"secret": 1, "open": 2}
    rows = (
        client_for(team["manager"])
        .get(f"/api/data/sequences/with-tasks?project_id={show.id}&episode_id={world.e02.id}")
        .json()
    )
    assert rows == []
    assign(world.sh01_layout, team["vendor"])
    assign(sequence_task, team["vendor"])
    rows = client_for(team["vendor"]).get(f"/api/data/sequences/with-tasks?project_id={show.id}").json()
    assert [task["id"] for task in rows[0]["tasks"]] == [str(sequence_task.id)]
    assert rows[0]["data"] == {"open": 2}
    DepartmentLink.objects.create(person=team["vendor"], department=department)
    rows = client_for(team["vendor"]).get(f"/api/data/sequences/with-tasks?project_id={show.id}").json()
    assert rows[0]["data"] == {"secret": 1, "open": 2}
    rows = client_for(team["client"]).get(f"/api/data/sequences/with-tasks?project_id={show.id}").json()
    assert {task["id"] for task in rows[0]["tasks"]} == {str(sequence_task.id), str(other_task.id)}
    assert all(task["assignees"] == [] for task in rows[0]["tasks"])
    assert client_for(team["user"]).get("/api/data/sequences/with-tasks").status_code == 403


def test_boards_run_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    paths = (
        f"/api/data/sequences/with-tasks?project_id={show.id}",
        f"/api/data/episodes/with-tasks?project_id={show.id}",
        f"/api/data/projects/{show.id}/sequences",
        f"/api/data/episodes/{world.e01.id}/shot-tasks?relations=true",
    )
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(12) as few:
            assert api.get(path).status_code == 200
        counts[path] = len(few.captured_queries)
    for i in range(30):
        episode = factories.make_episode(show, name=f"E1{i:02d}")
        sequence = factories.make_sequence(show, world.e01, name=f"SQ1{i:02d}")
        shot = factories.make_shot(show, sequence, name=f"SH1{i:02d}")
        for entity in (episode, sequence, shot):
            assign(factories.make_task(entity, world.layout, world.todo), team["user"])
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            assert len(api.get(path).json()) >= 30


# --- statistics ------------------------------------------------------------------------------------


def test_episode_stats(world, team, show):
    factories.make_task(world.sh02, world.layout, world.todo, nb_drawings=3)
    body = client_for(team["user"]).get(f"/api/data/projects/{show.id}/episodes/stats").json()
    e01 = body[str(world.e01.id)]
    assert e01[str(world.layout.id)][str(world.todo.id)] == {
        "name": "todo",
        "color": "#111111",
        "count": 2,
        "frames": 34,
        "drawings": 3,
    }
    assert e01[str(world.anim.id)][str(world.retake.id)]["drawings"] == 5
    assert e01["all"][str(world.todo.id)]["count"] == 2 and e01["all"][str(world.retake.id)]["count"] == 1
    assert body["all"]["all"][str(world.todo.id)]["frames"] == 34
    assert set(body) == {str(world.e01.id), "all"}  # the asset's task hangs from no sequence


def test_episode_stats_access(world, team, show):
    path = f"/api/data/projects/{show.id}/episodes/stats"
    assert client_for(team["client"]).get(path).status_code == 200
    show.is_client_stats_visible = False
    show.save()
    assert client_for(team["client"]).get(path).status_code == 403
    assert client_for(team["outsider"]).get(path).status_code == 403
    assert client_for(team["admin"]).get(f"/api/data/projects/{MISSING}/episodes/stats").status_code == 404
    assign(world.sh01_layout, team["vendor"])
    body = client_for(team["vendor"]).get(path).json()
    assert list(body[str(world.e01.id)]) == [str(world.layout.id), "all"]


def test_episode_retake_stats(world, team, show):
    factories.make_task(world.sh02, world.anim, world.done, retake_count=1)
    body = client_for(team["manager"]).get(f"/api/data/projects/{show.id}/episodes/retake-stats").json()
    anim = body[str(world.e01.id)][str(world.anim.id)]
    assert anim["max_retake_count"] == 2
    assert anim["retake"] == {"count": 1, "frames": 24, "drawings": 5}
    assert anim["done"] == {"count": 1, "frames": 10, "drawings": 0}
    assert anim["evolution"] == {
        "1": {
            "done": {"count": 0, "frames": 0, "drawings": 0},
            "retake": {"count": 2, "frames": 34, "drawings": 5},
            "other": {"count": 0, "frames": 0, "drawings": 0},
        },
        "2": {
            "done": {"count": 1, "frames": 10, "drawings": 0},
            "retake": {"count": 1, "frames": 24, "drawings": 5},
            "other": {"count": 0, "frames": 0, "drawings": 0},
        },
    }
    assert body["all"]["all"]["other"]["count"] == 1 and body["all"]["all"]["evolution"] == {}
    assert (
        client_for(team["client"]).get(f"/api/data/projects/{show.id}/episodes/retake-stats").status_code
        == 403
    )
    assert (
        client_for(team["outsider"]).get(f"/api/data/projects/{show.id}/episodes/retake-stats").status_code
        == 403
    )


def test_stats_run_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    paths = (
        f"/api/data/projects/{show.id}/episodes/stats",
        f"/api/data/projects/{show.id}/episodes/retake-stats",
    )
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(8) as few:
            api.get(path)
        counts[path] = len(few.captured_queries)
    for i in range(30):
        shot = factories.make_shot(show, world.sq01, name=f"SH1{i:02d}", nb_frames=i)
        factories.make_task(shot, world.layout, world.retake if i % 2 else world.done, retake_count=i % 4)
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            assert api.get(path).status_code == 200
    body = api.get(paths[0]).json()
    assert body[str(world.e01.id)][str(world.layout.id)][str(world.done.id)]["count"] == 15
