"""The `shots` area, shot side: the shot board, shot lists, one shot (read, update with its version
history, cancel or delete), its tasks, task types, assets, previews and versions, production
shots, scenes and their shots, shot lengths from previews, and quotas."""

import datetime
import uuid

import pytest

from assets.models import Entity, EntityLink
from files.models import PreviewFile
from people.models import DepartmentLink
from productions.models import DepartmentMetadataDescriptorLink, MetadataDescriptor
from shots.models import EntityVersion, Scene, Shot
from tasks.models import Subscription, Task, TimeSpent
from tests import factories
from tests.factories import assign, client_for

pytestmark = pytest.mark.django_db

MISSING = uuid.uuid4()


def events(*names):
    return factories.recorded_events(*names, order=("created_at", "id"))


@pytest.fixture
def show():
    return factories.make_project(name="Show", fps="25")


@pytest.fixture
def world(show):
    """An episode's sequence with two shots; SH01 has a frame range and two tasks."""

    class World:
        episode = factories.make_episode(show, name="E01")
        sequence = factories.make_sequence(show, episode, name="SQ01")
        layout = factories.make_task_type("Layout", for_entity="Shot", priority=2)
        anim = factories.make_task_type("Animation", for_entity="Shot", priority=3)
        todo = factories.make_task_status("Todo", "todo")

    world = World()
    world.sh01 = factories.make_shot(
        show, world.sequence, name="SH01", nb_frames=24, data={"frame_in": 1, "frame_out": 25, "fps": 24}
    )
    world.sh02 = factories.make_shot(show, world.sequence, name="SH02")
    world.sh01_layout = factories.make_task(world.sh01, world.layout, world.todo)
    world.sh01_anim = factories.make_task(world.sh01, world.anim, world.todo)
    return world


# --- the shot board --------------------------------------------------------------------------------


def test_shot_board_shape(world, team, show):
    assign(world.sh01_layout, team["user"])
    Subscription.objects.create(person=team["manager"], task=world.sh01_layout)
    rows = client_for(team["manager"]).get(f"/api/data/shots/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["SH01", "SH02"]
    sh01 = rows[0]
    assert sh01["type"] == "Shot" and sh01["id"] == str(world.sh01.id)
    assert sh01["episode_id"] == str(world.episode.id) and sh01["episode_name"] == "E01"
    assert sh01["sequence_id"] == sh01["parent_id"] == str(world.sequence.id)
    assert sh01["sequence_name"] == "SQ01" and sh01["project_name"] == "Show"
    assert (sh01["frame_in"], sh01["frame_out"], sh01["fps"], sh01["nb_frames"]) == (1, 25, 24, 24)
    assert sh01["preview_file_id"] is None and sh01["source_id"] is None
    tasks = {task["task_type_id"]: task for task in sh01["tasks"]}
    layout = tasks[str(world.layout.id)]
    assert list(layout) == [
        "id",
        "duration",
        "due_date",
        "end_date",
        "done_date",
        "entity_id",
        "estimation",
        "is_subscribed",
        "last_comment_date",
        "last_preview_file_id",
        "nb_assets_ready",
        "priority",
        "real_start_date",
        "retake_count",
        "start_date",
        "difficulty",
        "nb_drawings",
        "task_status_id",
        "task_type_id",
        "assignees",
        "data",
    ]
    assert layout["assignees"] == [str(team["user"].id)] and layout["is_subscribed"] is True
    assert tasks[str(world.anim.id)]["is_subscribed"] is False
    assert rows[1]["tasks"] == [] and rows[1]["data"] == {} and rows[1]["frame_in"] is None


def test_shot_board_runs_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    path = f"/api/data/shots/with-tasks?project_id={show.id}"
    with django_assert_max_num_queries(20) as few:
        assert len(api.get(path).json()) == 2
    task_types = [factories.make_task_type(for_entity="Shot") for _ in range(3)]
    for i in range(40):
        shot = factories.make_shot(show, world.sequence, name=f"SH1{i:02d}")
        for task_type in task_types:
            assign(factories.make_task(shot, task_type, world.todo), team["user"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = api.get(path).json()
    assert len(rows) == 42
    assert all(len(row["tasks"]) == 3 for row in rows if row["name"].startswith("SH1"))
    assert rows[-1]["tasks"][0]["assignees"] == [str(team["user"].id)]


def test_shot_board_compact_stream_and_etag(world, team, show):
    api = client_for(team["manager"])
    path = f"/api/data/shots/with-tasks?project_id={show.id}"
    body = api.get(path + "&compact=true").json()
    assert body["compact"] is True and body["shot_fields"][-1] == "tasks"
    first = dict(zip(body["shot_fields"], body["rows"][0], strict=True))
    assert first["name"] == "SH01" and first["type"] == "Shot"
    task = dict(zip(body["task_fields"], first["tasks"][0], strict=True))
    assert task["entity_id"] == str(world.sh01.id)
    response = api.get(path + "&stream=true")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["Content-Type"] == "application/x-ndjson" and len(lines) == 3
    etag = api.get(path)["ETag"]
    assert api.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    world.sh02.name = "SH02b"
    world.sh02.save()
    assert api.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_shot_board_for_clients_and_vendors(world, team, show):
    world.sh01_layout.priority = 3
    world.sh01_layout.save()
    assign(world.sh01_layout, team["vendor"])
    rows = client_for(team["client"]).get(f"/api/data/shots/with-tasks?project_id={show.id}").json()
    layout = next(task for task in rows[0]["tasks"] if task["task_type_id"] == str(world.layout.id))
    assert layout["priority"] == 0 and layout["assignees"] == [] and layout["difficulty"] is None
    department = factories.make_department()
    DepartmentLink.objects.create(person=team["vendor"], department=department)
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Shot", name="Secret", field_name="secret"
    )
    DepartmentMetadataDescriptorLink.objects.create(
        metadata_descriptor=descriptor, department=factories.make_department()
    )
    world.sh01.data = {**world.sh01.data, "secret": "x"}
    world.sh01.save()
    rows = client_for(team["vendor"]).get(f"/api/data/shots/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["SH01"]
    assert [task["id"] for task in rows[0]["tasks"]] == [str(world.sh01_layout.id)]
    assert "secret" not in rows[0]["data"] and rows[0]["frame_in"] == 1
    assert rows[0]["tasks"][0]["priority"] == 3


def test_shot_board_access_and_bad_input(world, team, show):
    assert client_for(team["manager"]).get("/api/data/shots/with-tasks").status_code == 403
    outsider = client_for(team["outsider"])
    assert outsider.get(f"/api/data/shots/with-tasks?project_id={show.id}").status_code == 403
    admin = client_for(team["admin"])
    assert len(admin.get("/api/data/shots/with-tasks").json()) == 2
    response = admin.get("/api/data/shots/with-tasks?project_id=nope")
    assert (
        response.status_code == 400
        and response.json()["message"] == "Invalid UUID format for project_id: nope"
    )
    assert admin.get("/api/data/shots/with-tasks?episode_id=nope").status_code == 400
    assert admin.get(f"/api/data/shots/with-tasks?episode_id={MISSING}").json() == []
    rows = admin.get(f"/api/data/shots/with-tasks?episode_id={world.episode.id}&id={world.sh02.id}").json()
    assert [row["name"] for row in rows] == ["SH02"]
    assert client_for(team["user"]).get(f"/api/data/shots/with-tasks?project_id={MISSING}").status_code == 404


# --- shot lists ------------------------------------------------------------------------------------


def test_shot_lists(world, team, show):
    api = client_for(team["user"])
    rows = api.get(f"/api/data/shots?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["SH01", "SH02"]
    assert (
        rows[0]["type"] == "Shot" and rows[0]["project_name"] == "Show" and rows[0]["sequence_name"] == "SQ01"
    )
    assert rows[0]["data"] == {"frame_in": 1, "frame_out": 25, "fps": 24}
    assert [row["name"] for row in api.get(f"/api/data/shots/all?project_id={show.id}&name=sh02").json()] == [
        "SH02"
    ]
    other_sequence = factories.make_sequence(show, world.episode, name="SQ02")
    factories.make_shot(show, other_sequence, name="SH03")
    rows = api.get(f"/api/data/shots?sequence_id={other_sequence.id}").json()
    assert [row["name"] for row in rows] == ["SH03"]
    assert api.get(f"/api/data/shots?sequence_id={MISSING}").status_code == 404
    assert api.get("/api/data/shots").status_code == 403
    assert client_for(team["outsider"]).get(f"/api/data/shots?project_id={show.id}").status_code == 403
    assert len(client_for(team["admin"]).get("/api/data/shots").json()) == 3
    assert client_for(team["admin"]).get("/api/data/shots?project_id=nope").status_code == 400


def test_project_shots_for_a_vendor(world, team, show):
    assign(world.sh01_anim, team["vendor"])
    rows = client_for(team["vendor"]).get(f"/api/data/projects/{show.id}/shots").json()
    assert [row["name"] for row in rows] == ["SH01"] and rows[0]["type"] == "Shot"
    rows = client_for(team["vendor"]).get(f"/api/data/shots?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["SH01"]
    assert len(client_for(team["user"]).get(f"/api/data/projects/{show.id}/shots").json()) == 2
    assert client_for(team["outsider"]).get(f"/api/data/projects/{show.id}/shots").status_code == 403
    assert client_for(team["admin"]).get(f"/api/data/projects/{MISSING}/shots").status_code == 404
    assert client_for(team["admin"]).get("/api/data/projects/nope/shots").status_code == 404


def test_shot_lists_run_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    paths = (
        f"/api/data/shots?project_id={show.id}",
        f"/api/data/projects/{show.id}/shots",
        f"/api/data/sequences/{world.sequence.id}/shots",
        f"/api/data/episodes/{world.episode.id}/shots?relations=true",
        f"/api/data/sequences/{world.sequence.id}/shot-tasks?relations=true",
    )
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(12) as few:
            assert api.get(path).status_code == 200
        counts[path] = len(few.captured_queries)
    for i in range(30):
        shot = factories.make_shot(show, world.sequence, name=f"SH1{i:02d}")
        assign(factories.make_task(shot, world.layout, world.todo), team["user"])
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            assert len(api.get(path).json()) >= 30


# --- one shot --------------------------------------------------------------------------------------


def test_full_shot(world, team):
    asset = factories.make_asset(world.sh01.project, name="Hero")
    EntityLink.objects.create(entity_in=world.sh01, entity_out=asset)
    body = client_for(team["user"]).get(f"/api/data/shots/{world.sh01.id}").json()
    assert body["type"] == "Shot" and body["name"] == "SH01" and body["sequence_name"] == "SQ01"
    assert body["episode_name"] == "E01" and len(body["tasks"]) == 2
    assert body["entities_out"] == [str(asset.id)] and body["entities_in"] == []
    assert body["created_by"] is None and body["status"] == "running"
    world.sh01_layout.priority = 2
    world.sh01_layout.save()
    assign(world.sh01_layout, team["user"])
    tasks = client_for(team["client"]).get(f"/api/data/shots/{world.sh01.id}").json()["tasks"]
    assert {task["priority"] for task in tasks} == {0} and all(task["assignees"] == [] for task in tasks)


def test_shot_read_access(world, team):
    path = f"/api/data/shots/{world.sh01.id}"
    assert client_for(team["vendor"]).get(path).status_code == 403
    assign(world.sh01_anim, team["vendor"])
    assert client_for(team["vendor"]).get(path).status_code == 200
    assert client_for(team["outsider"]).get(path).status_code == 403
    api = client_for(team["admin"])
    assert api.get(f"/api/data/shots/{MISSING}").status_code == 404
    assert api.get("/api/data/shots/nope").status_code == 404
    assert api.get(f"/api/data/shots/{world.episode.id}").status_code == 404
    response = api.get(f"/api/data/shots/{MISSING}/tasks")
    assert response.status_code == 404 and response.json()["message"] == "Shot not found."


def test_shot_update_keeps_versions(world, team):
    api = client_for(team["manager"])
    response = api.put(
        f"/api/data/shots/{world.sh01.id}",
        {"name": "SH01b", "data": {"frame_in": 2, "frame_out": 30}, "project_id": str(MISSING), "bogus": 1},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "Entity" and body["name"] == "SH01b"
    assert body["data"] == {"frame_in": 2, "frame_out": 30}  # replaced, as on the reference
    assert body["project_id"] == str(world.sh01.project_id)
    assert events("shot:update") == [("shot:update", {"shot_id": str(world.sh01.id)})]
    versions = api.get(f"/api/data/shots/{world.sh01.id}/versions").json()
    assert len(versions) == 1 and versions[0]["type"] == "ShotVersion"
    assert versions[0]["name"] == "SH01" and versions[0]["data"] == {"frame_in": 2, "frame_out": 30}
    assert versions[0]["person_id"] == str(team["manager"].id)
    api.put(f"/api/data/shots/{world.sh01.id}", {"description": "calm"}, format="json")
    assert EntityVersion.objects.count() == 1  # no frame or name change: no version


def test_shot_update_refusals_and_bad_input(world, team):
    path = f"/api/data/shots/{world.sh01.id}"
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).put(path, {"name": "X"}, format="json").status_code == 403, role
    api = client_for(team["manager"])
    for body in (
        {"name": ""},
        {"nb_frames": "many"},
        {"parent_id": str(MISSING)},
        {"data": "flat"},
        {"name": "SH02"},
    ):
        response = api.put(path, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"] is True and response.json()["message"]
    world.sh01.refresh_from_db()
    assert world.sh01.name == "SH01" and world.sh01.nb_frames == 24
    assert events("shot:update") == [] and EntityVersion.objects.count() == 0
    assert api.put(f"/api/data/shots/{MISSING}", {"name": "X"}, format="json").status_code == 404


def test_shot_with_tasks_is_canceled_unless_forced(world, team):
    for role in ("supervisor", "user", "outsider"):
        assert client_for(team[role]).delete(f"/api/data/shots/{world.sh01.id}").status_code == 403, role
    api = client_for(team["manager"])
    assert api.delete(f"/api/data/shots/{world.sh01.id}").status_code == 204
    world.sh01.refresh_from_db()
    assert world.sh01.canceled is True and Task.objects.filter(entity=world.sh01).count() == 2
    assert events("shot:update", "shot:delete") == [("shot:update", {"shot_id": str(world.sh01.id)})]
    assert api.delete(f"/api/data/shots/{world.sh01.id}?force=true").status_code == 204
    assert not Entity.objects.filter(pk=world.sh01.pk).exists() and not Task.objects.exists()
    assert ("shot:delete", {"shot_id": str(world.sh01.id)}) in events("shot:delete")
    assert len(events("task:delete")) == 2
    assert api.delete(f"/api/data/shots/{MISSING}").status_code == 404


def test_a_creator_deletes_their_shot(world, team):
    world.sh02.created_by = team["user"]
    world.sh02.save()
    assert client_for(team["user"]).delete(f"/api/data/shots/{world.sh02.id}").status_code == 204
    assert not Entity.objects.filter(pk=world.sh02.pk).exists()


# --- what hangs off a shot -------------------------------------------------------------------------


def test_shot_tasks_and_task_types(world, team):
    assign(world.sh01_layout, team["user"])
    api = client_for(team["user"])
    rows = api.get(f"/api/data/shots/{world.sh01.id}/tasks").json()
    assert [row["task_type_name"] for row in rows] == ["Animation", "Layout"]
    assert (
        rows[0]["type"] == "Task"
        and rows[0]["entity_name"] == "SH01"
        and rows[0]["entity_type_name"] == "Shot"
    )
    assert (
        rows[0]["project_name"] == "Show"
        and rows[0]["task_status_name"] == "Todo"
        and "assignees" not in rows[0]
    )
    rows = api.get(f"/api/data/shots/{world.sh01.id}/tasks?relations=true").json()
    assert rows[1]["assignees"] == [str(team["user"].id)]
    rows = client_for(team["client"]).get(f"/api/data/shots/{world.sh01.id}/tasks?relations=true").json()
    assert rows[1]["assignees"] == [] and rows[1]["difficulty"] is None
    rows = api.get(f"/api/data/shots/{world.sh01.id}/task-types").json()
    assert [row["name"] for row in rows] == ["Layout", "Animation"] and rows[0]["type"] == "TaskType"
    assert client_for(team["outsider"]).get(f"/api/data/shots/{world.sh01.id}/task-types").status_code == 403
    assert client_for(team["vendor"]).get(f"/api/data/shots/{world.sh01.id}/tasks").status_code == 403


def test_shot_assets_and_previews(world, team):
    hero = factories.make_asset(world.sh01.project, name="Hero")
    EntityLink.objects.create(entity_in=world.sh01, entity_out=hero)
    api = client_for(team["user"])
    rows = api.get(f"/api/data/shots/{world.sh01.id}/assets").json()
    assert [(row["name"], row["type"]) for row in rows] == [("Hero", "Asset")]
    first = PreviewFile.objects.create(
        task=world.sh01_anim,
        revision=1,
        position=1,
        extension="mp4",
        duration=2,
        data={"original_width": 1920},
    )
    second = PreviewFile.objects.create(task=world.sh01_anim, revision=1, position=2, extension="png")
    newest = PreviewFile.objects.create(task=world.sh01_anim, revision=2, position=1, extension="mp4")
    body = api.get(f"/api/data/shots/{world.sh01.id}/preview-files").json()
    previews = body[str(world.anim.id)]
    assert [preview["id"] for preview in previews] == [str(newest.id), str(first.id)]
    assert previews[1]["previews"][0]["id"] == str(second.id)
    assert previews[1]["duration"] == 2.0 and previews[1]["original_width"] == 1920
    assert client_for(team["outsider"]).get(f"/api/data/shots/{world.sh01.id}/assets").status_code == 403
    assert api.get(f"/api/data/shots/{MISSING}/preview-files").status_code == 404


# --- production shots ------------------------------------------------------------------------------


def test_managers_create_shots(world, team, show):
    api = client_for(team["manager"])
    body = {
        "name": "SH10",
        "sequence_id": str(world.sequence.id),
        "nb_frames": 48,
        "data": {"frame_in": 1, "frame_out": 49},
    }
    response = api.post(f"/api/data/projects/{show.id}/shots", body, format="json")
    assert response.status_code == 201
    shot = response.json()
    assert shot["type"] == "Shot" and shot["parent_id"] == str(world.sequence.id) and shot["nb_frames"] == 48
    assert shot["data"] == {"frame_in": 1, "frame_out": 49} and shot["created_by"] == str(team["manager"].id)
    assert shot["description"] is None
    assert events("shot:new") == [("shot:new", {"shot_id": shot["id"], "episode_id": str(world.episode.id)})]
    again = api.post(f"/api/data/projects/{show.id}/shots", body, format="json")
    assert again.status_code == 201 and again.json()["id"] == shot["id"] and len(events("shot:new")) == 1
    loose = api.post(f"/api/data/projects/{show.id}/shots", {"name": "SH11"}, format="json").json()
    assert loose["parent_id"] is None and loose["data"] == {}
    assert events("shot:new")[-1] == ("shot:new", {"shot_id": loose["id"], "episode_id": None})


def test_shot_creation_refusals_and_bad_input(world, team, show):
    before = Shot.objects.count()
    path = f"/api/data/projects/{show.id}/shots"
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).post(path, {"name": "X"}, format="json").status_code == 403, role
    api = client_for(team["manager"])
    for body in ({}, {"name": ""}, {"name": "X", "nb_frames": "many"}, {"name": "X", "data": "flat"}):
        response = api.post(path, body, format="json")
        assert response.status_code == 400, body
    assert "name" in api.post(path, {}, format="json").json()["message"]
    assert api.post(path, {"name": "X", "sequence_id": "nope"}, format="json").status_code == 400
    assert api.post(path, {"name": "X", "sequence_id": str(MISSING)}, format="json").status_code == 404
    other = factories.make_project(name="Other")
    foreign = factories.make_sequence(other, name="SQ99")
    assert api.post(path, {"name": "X", "sequence_id": str(foreign.id)}, format="json").status_code == 404
    assert api.post(f"/api/data/projects/{MISSING}/shots", {"name": "X"}, format="json").status_code == 404
    assert Shot.objects.count() == before and events("shot:new") == []


# --- scenes --------------------------------------------------------------------------------------


def test_scenes(world, team, show):
    api = client_for(team["manager"])
    response = api.post(
        f"/api/data/projects/{show.id}/scenes",
        {"name": "SC01", "sequence_id": str(world.sequence.id)},
        format="json",
    )
    assert response.status_code == 201
    scene = response.json()
    assert scene["type"] == "Scene" and scene["data"] == {} and scene["parent_id"] == str(world.sequence.id)
    assert events("scene:new") == [("scene:new", {"scene_id": scene["id"]})]
    assert (
        client_for(team["user"])
        .post(f"/api/data/projects/{show.id}/scenes", {"name": "S"}, format="json")
        .status_code
        == 403
    )
    assert api.post(f"/api/data/projects/{show.id}/scenes", {}, format="json").status_code == 400
    assert [row["name"] for row in api.get(f"/api/data/projects/{show.id}/scenes").json()] == ["SC01"]
    rows = api.get(f"/api/data/scenes/all?project_id={show.id}").json()
    assert rows[0]["sequence_name"] == "SQ01" and rows[0]["project_name"] == "Show"
    assert client_for(team["vendor"]).get(f"/api/data/scenes/all?project_id={show.id}").status_code == 403
    full = api.get(f"/api/data/scenes/{scene['id']}").json()
    assert (full["project_name"], full["sequence_name"], full["episode_name"]) == ("Show", "SQ01", "E01")
    assert full["episode_id"] == str(world.episode.id)
    assert api.get(f"/api/data/scenes/{MISSING}").status_code == 404
    assert api.get(f"/api/data/scenes/{world.sh01.id}").status_code == 404
    rows = api.get(f"/api/data/sequences/{world.sequence.id}/scenes").json()
    assert [row["name"] for row in rows] == ["SC01"]


def test_scene_board_tasks_and_shots(world, team, show):
    scene = Scene.objects.create(project=show, parent=world.sequence, name="SC01")
    task = factories.make_task(scene, world.layout, world.todo)
    api = client_for(team["user"])
    rows = api.get(f"/api/data/scenes/with-tasks?project_id={show.id}").json()
    assert rows[0]["name"] == "SC01" and rows[0]["episode_id"] == str(world.sequence.id)
    assert [row["id"] for row in rows[0]["tasks"]] == [str(task.id)] and rows[0]["preview_file_id"] == ""
    assert (
        client_for(team["vendor"]).get(f"/api/data/scenes/with-tasks?project_id={show.id}").status_code == 403
    )
    assert api.get("/api/data/scenes/with-tasks").status_code == 403
    assert [row["task_type_name"] for row in api.get(f"/api/data/scenes/{scene.id}/tasks").json()] == [
        "Layout"
    ]
    assert [row["name"] for row in api.get(f"/api/data/scenes/{scene.id}/task-types").json()] == ["Layout"]
    response = api.post(f"/api/data/scenes/{scene.id}/shots", {"shot_id": str(world.sh02.id)}, format="json")
    assert response.status_code == 201 and response.json()["source_id"] == str(scene.id)
    assert response.json()["type"] == "Entity"
    assert events("shot:add-to-scene") == [
        ("shot:add-to-scene", {"scene_id": str(scene.id), "shot_id": str(world.sh02.id)})
    ]
    assert [row["name"] for row in api.get(f"/api/data/scenes/{scene.id}/shots").json()] == ["SH02"]
    assert (
        api.post(f"/api/data/scenes/{scene.id}/shots", {"shot_id": "nope"}, format="json").status_code == 400
    )
    assert (
        api.post(f"/api/data/scenes/{scene.id}/shots", {"shot_id": str(MISSING)}, format="json").status_code
        == 404
    )
    assert (
        client_for(team["outsider"]).delete(f"/api/data/scenes/{scene.id}/shots/{world.sh02.id}").status_code
        == 403
    )
    assert api.delete(f"/api/data/scenes/{scene.id}/shots/{world.sh02.id}").status_code == 204
    world.sh02.refresh_from_db()
    assert world.sh02.source_id is None and len(events("shot:remove-from-scene")) == 1


def test_scene_deletion(world, team, show):
    scene = Scene.objects.create(project=show, parent=world.sequence, name="SC01")
    held = Scene.objects.create(project=show, parent=world.sequence, name="SC02")
    factories.make_task(held, world.layout, world.todo)
    assert client_for(team["user"]).delete(f"/api/data/scenes/{scene.id}").status_code == 403
    api = client_for(team["manager"])
    assert api.delete(f"/api/data/scenes/{scene.id}").status_code == 204
    assert not Entity.objects.filter(pk=scene.pk).exists()
    assert api.delete(f"/api/data/scenes/{held.id}").status_code == 204
    held.refresh_from_db()
    assert held.canceled is True  # a task hangs off it: canceled instead
    assert [data["scene_id"] for _, data in events("scene:delete")] == [str(scene.id), str(held.id)]
    assert api.delete(f"/api/data/scenes/{MISSING}").status_code == 404


# --- shot lengths from previews --------------------------------------------------------------------


def test_set_shot_nb_frames_from_previews(world, team, show):
    old = PreviewFile.objects.create(task=world.sh01_anim, revision=1, duration=1.0)
    old.created_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    old.save()
    PreviewFile.objects.create(task=world.sh01_anim, revision=2, duration=2.0)
    path = f"/api/actions/projects/{show.id}/task-types/{world.anim.id}/set-shot-nb-frames"
    assert client_for(team["supervisor"]).post(path).status_code == 403
    response = client_for(team["manager"]).post(path)
    assert response.status_code == 200
    assert response.json() == [{"id": str(world.sh01.id), "nb_frames": 50}]
    world.sh01.refresh_from_db()
    world.sh02.refresh_from_db()
    assert world.sh01.nb_frames == 50 and world.sh02.nb_frames is None
    api = client_for(team["admin"])
    assert api.post(f"/api/actions/projects/{show.id}/task-types/nope/set-shot-nb-frames").status_code == 400
    assert api.post(path + "?episode_id=nope").status_code == 400
    assert api.post(path + f"?episode_id={MISSING}").json() == []
    assert (
        api.post(f"/api/actions/projects/{MISSING}/task-types/{world.anim.id}/set-shot-nb-frames").status_code
        == 404
    )


# --- quotas ----------------------------------------------------------------------------------------


def ended(task, person, end, start=None, done=None):
    assign(task, person)
    task.end_date = end
    task.real_start_date = start
    task.done_date = done
    task.save()


def test_raw_quotas_count_ended_tasks(world, team, show):
    artist = team["user"]
    ended(world.sh01_anim, artist, datetime.datetime(2024, 3, 15, 10, tzinfo=datetime.UTC))
    api = client_for(team["manager"])
    quotas = api.get(f"/api/data/projects/{show.id}/quotas/{world.anim.id}?count_mode=feedback").json()
    mine = quotas[str(artist.id)]
    assert mine["day"]["frames"] == {"2024-03-15": 24} and mine["day"]["count"] == {"2024-03-15": 1}
    assert mine["day"]["seconds"] == {"2024-03-15": 24 / 25} and mine["day"]["entries"] == {"2024-03": 1}
    assert mine["week"]["frames"] == {"2024-11": 24} and mine["month"]["frames"] == {"2024-03": 24}
    assert mine["year"]["count"] == {"2024": 1} and "entries" not in mine["year"]
    assert quotas["total"]["day"]["frames"] == {"2024-03-15": 24}
    assert api.get(f"/api/data/projects/{show.id}/quotas/{world.anim.id}?count_mode=done").json() == {}
    person = api.get(f"/api/data/projects/{show.id}/quotas/persons/{artist.id}?count_mode=feedback").json()
    assert person[str(world.anim.id)]["month"]["frames"] == {"2024-03": 24}


def test_quota_days_are_the_readers(world, team, show):
    ended(world.sh01_anim, team["user"], datetime.datetime(2024, 3, 31, 23, 30, tzinfo=datetime.UTC))
    team["manager"].timezone = "Europe/Paris"
    team["manager"].save()
    quotas = client_for(team["manager"]).get(
        f"/api/data/projects/{show.id}/quotas/{world.anim.id}?count_mode=feedback"
    )
    total = quotas.json()["total"]
    assert total["day"]["frames"] == {"2024-04-01": 24} and total["month"]["entries"] == {"2024": 1}
    team["manager"].timezone = "America/New_York"
    team["manager"].save()
    quotas = client_for(team["manager"]).get(
        f"/api/data/projects/{show.id}/quotas/{world.anim.id}?count_mode=feedback"
    )
    assert quotas.json()["total"]["day"]["frames"] == {"2024-03-31": 24}


def test_weighted_quotas_follow_time_spent(world, team, show):
    artist = team["user"]
    ended(world.sh01_anim, artist, datetime.datetime(2024, 3, 15, 10, tzinfo=datetime.UTC))
    world.sh01_anim.duration = 4
    world.sh01_anim.save()
    TimeSpent.objects.create(task=world.sh01_anim, person=artist, date=datetime.date(2024, 3, 12), duration=1)
    TimeSpent.objects.create(task=world.sh01_anim, person=artist, date=datetime.date(2024, 3, 13), duration=3)
    ended(
        world.sh01_layout,
        artist,
        datetime.datetime(2024, 3, 19, 12, tzinfo=datetime.UTC),
        start=datetime.datetime(2024, 3, 15, 9, tzinfo=datetime.UTC),
    )
    api = client_for(team["supervisor"])
    quotas = api.get(f"/api/data/projects/{show.id}/quotas/{world.anim.id}").json()
    days = quotas[str(artist.id)]["day"]
    assert days["frames"] == {"2024-03-12": 6, "2024-03-13": 18} and days["count"] == {
        "2024-03-12": 0.25,
        "2024-03-13": 0.75,
    }
    person = api.get(f"/api/data/projects/{show.id}/quotas/persons/{artist.id}").json()
    layout_days = person[str(world.layout.id)]["day"]
    # Friday to Tuesday: three working days share the task.
    assert layout_days["count"] == {"2024-03-15": 0.33, "2024-03-18": 0.33, "2024-03-19": 0.33}
    assert layout_days["frames"] == {"2024-03-15": 8, "2024-03-18": 8, "2024-03-19": 8}


def test_quota_access(world, team, show):
    base = f"/api/data/projects/{show.id}/quotas"
    assert client_for(team["client"]).get(f"{base}/{world.anim.id}").status_code == 403
    assert client_for(team["outsider"]).get(f"{base}/{world.anim.id}").status_code == 403
    assert client_for(team["user"]).get(f"{base}/{world.anim.id}").json() == {}
    assert client_for(team["user"]).get(f"{base}/{world.anim.id}?count_mode=nope").status_code == 400
    assert (
        client_for(team["admin"]).get(f"/api/data/projects/{MISSING}/quotas/{world.anim.id}").status_code
        == 404
    )
    assert client_for(team["user"]).get(f"{base}/persons/{team['user'].id}").status_code == 200
    assert client_for(team["user"]).get(f"{base}/persons/{team['manager'].id}").status_code == 403
    assert client_for(team["supervisor"]).get(f"{base}/persons/{team['user'].id}").status_code == 200
    assert client_for(team["client"]).get(f"{base}/persons/{team['client'].id}").status_code == 403
    assert client_for(team["outsider"]).get(f"{base}/persons/{team['user'].id}").status_code == 403


def test_quotas_run_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    paths = [
        f"/api/data/projects/{show.id}/quotas/{world.anim.id}?count_mode={mode}"
        for mode in ("weighted", "feedback")
    ]
    end = datetime.datetime(2024, 3, 15, 10, tzinfo=datetime.UTC)
    ended(world.sh01_anim, team["user"], end, start=end - datetime.timedelta(days=2))
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(10) as few:
            api.get(path)
        counts[path] = len(few.captured_queries)
    for i in range(20):
        shot = factories.make_shot(show, world.sequence, name=f"SH1{i:02d}", nb_frames=10)
        task = factories.make_task(shot, world.anim, world.todo, duration=2)
        ended(task, team["user"], end, start=end - datetime.timedelta(days=2))
        if i % 2:
            TimeSpent.objects.create(
                task=task, person=team["user"], date=datetime.date(2024, 3, 14), duration=1
            )
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            assert api.get(path).status_code == 200
