"""The `assets` area: asset types, asset lists and the asset board, one asset (read, create,
delete), its casting and instances, its tasks, sharing and shared assets in use."""

import uuid

import pytest

from assets.models import AssetInstance, AssetInstanceLink, Entity, EntityLink, TaskTypeAssetTypeLink
from people.models import DepartmentLink
from productions.models import (
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    ProjectPersonLink,
    ProjectTaskTypeLink,
)
from tasks.models import Subscription, Task
from tests import factories
from tests.factories import assign, client_for

pytestmark = pytest.mark.django_db


events = factories.recorded_events


@pytest.fixture
def world(show):
    """Two assets of two types in an episode's production, a shot, and two tasks on Hero."""

    class World:
        character = factories.make_asset_type("Character")
        prop = factories.make_asset_type("Prop")
        episode = factories.make_episode(show, name="E01")
        sequence = factories.make_sequence(show, episode, name="SQ01")
        shot = factories.make_shot(show, sequence, name="SH01")
        modeling = factories.make_task_type("Modeling")
        shading = factories.make_task_type("Shading")

    world = World()
    world.hero = factories.make_asset(
        show, world.character, name="Hero", source_id=world.episode.pk, data={"x": 1}, description="the hero"
    )
    world.sword = factories.make_asset(show, world.prop, name="Sword")
    world.hero_modeling = factories.make_task(world.hero, world.modeling)
    world.hero_shading = factories.make_task(world.hero, world.shading)
    return world


def cast(entity, asset, nb=1, **fields):
    return EntityLink.objects.create(entity_in=entity, entity_out=asset, nb_occurences=nb, **fields)


# --- asset types -----------------------------------------------------------------------------


def test_asset_types_are_read_by_everyone_with_their_workflow(world, team):
    TaskTypeAssetTypeLink.objects.create(asset_type=world.character, task_type=world.modeling)
    rows = client_for(team["outsider"]).get("/api/data/asset-types").json()
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"Character", "Prop"}  # Episode, Sequence and Shot are no asset types
    assert by_name["Character"]["type"] == "AssetType"
    assert by_name["Character"]["task_types"] == [str(world.modeling.id)]
    api = client_for(team["user"])
    assert [row["name"] for row in api.get("/api/data/asset-types?name=character").json()] == ["Character"]
    other = factories.make_project(name="Other")
    factories.make_asset(other, factories.make_asset_type("FX"))
    assert [row["name"] for row in api.get(f"/api/data/asset-types?project_id={other.id}").json()] == ["FX"]
    assert api.get("/api/data/asset-types?project_id=nope").status_code == 400


def test_asset_type_detail(world, team):
    api = client_for(team["vendor"])
    body = api.get(f"/api/data/asset-types/{world.character.id}").json()
    assert body["name"] == "Character" and body["type"] == "AssetType" and body["task_types"] == []
    shot_type = world.shot.entity_type_id
    assert api.get(f"/api/data/asset-types/{shot_type}").status_code == 404
    assert api.get(f"/api/data/asset-types/{uuid.uuid4()}").status_code == 404
    assert api.get("/api/data/asset-types/nope").status_code == 404  # a malformed id names no row


def test_project_and_shot_asset_types(world, team, show):
    api = client_for(team["user"])
    rows = api.get(f"/api/data/projects/{show.id}/asset-types").json()
    assert [row["name"] for row in rows] == ["Character", "Prop"]
    assert "task_types" not in rows[0] and rows[0]["type"] == "AssetType"
    cast(world.shot, world.hero)
    rows = api.get(f"/api/data/shots/{world.shot.id}/asset-types").json()
    assert [row["name"] for row in rows] == ["Character"]
    outsider = client_for(team["outsider"])
    assert outsider.get(f"/api/data/projects/{show.id}/asset-types").status_code == 403
    assert outsider.get(f"/api/data/shots/{world.shot.id}/asset-types").status_code == 403
    assert api.get(f"/api/data/projects/{uuid.uuid4()}/asset-types").status_code == 404
    assert api.get(f"/api/data/shots/{world.hero.id}/asset-types").status_code == 404  # an asset is no shot


# --- asset lists -------------------------------------------------------------------------------


def test_asset_list_holds_the_assets_of_the_callers_productions(world, team, show):
    other = factories.make_project(name="Other")
    elsewhere = factories.make_asset(other, world.prop, name="Elsewhere")
    names = lambda person, path="/api/data/assets": sorted(  # noqa: E731
        row["name"] for row in client_for(person).get(path).json()
    )
    assert names(team["admin"]) == ["Elsewhere", "Hero", "Sword"]
    assert names(team["user"]) == ["Hero", "Sword"]
    assert names(team["user"], "/api/data/assets/all") == ["Hero", "Sword"]
    assert names(team["outsider"]) == []
    assert names(team["admin"], f"/api/data/assets?project_id={other.id}") == ["Elsewhere"]
    row = client_for(team["user"]).get("/api/data/assets").json()[0]
    assert row["type"] == "Asset" and row["id"] == str(world.hero.id) and row["data"] == {"x": 1}
    # A production named in the query string is checked: refused to outsiders, absent is a 404.
    assert client_for(team["user"]).get(f"/api/data/assets?project_id={other.id}").status_code == 403
    assert client_for(team["user"]).get(f"/api/data/assets?project_id={uuid.uuid4()}").status_code == 404
    assert client_for(team["admin"]).get(f"/api/data/assets?project_id={uuid.uuid4()}").json() == []
    assert elsewhere.pk


def test_a_vendor_lists_only_the_assets_they_work_on(world, team, show):
    api = client_for(team["vendor"])
    assert api.get("/api/data/assets").json() == []
    assign(world.hero_modeling, team["vendor"])
    assert [row["name"] for row in api.get("/api/data/assets").json()] == ["Hero"]
    assert [row["name"] for row in api.get(f"/api/data/projects/{show.id}/assets").json()] == ["Hero"]


def test_a_vendor_reads_only_the_custom_fields_of_their_departments(world, team, show):
    department = factories.make_department()
    DepartmentLink.objects.create(person=team["vendor"], department=department)
    other_department = factories.make_department()
    for field_name, owner in (("x", other_department), ("y", department)):
        descriptor = MetadataDescriptor.objects.create(
            project=show, entity_type="Asset", name=field_name, field_name=field_name
        )
        DepartmentMetadataDescriptorLink.objects.create(metadata_descriptor=descriptor, department=owner)
    world.hero.data = {"x": 1, "y": 2, "free": 3}
    world.hero.save()
    assign(world.hero_modeling, team["vendor"])
    row = client_for(team["vendor"]).get(f"/api/data/projects/{show.id}/assets").json()[0]
    assert row["data"] == {"y": 2, "free": 3}
    board = client_for(team["vendor"]).get(f"/api/data/assets/with-tasks?project_id={show.id}").json()
    assert board[0]["data"] == {"y": 2, "free": 3}
    assert client_for(team["user"]).get(f"/api/data/projects/{show.id}/assets").json()[0]["data"]["x"] == 1


def test_asset_list_filters(world, team, show):
    api = client_for(team["manager"])
    rows = api.get(f"/api/data/assets?entity_type_id={world.prop.id}").json()
    assert [row["name"] for row in rows] == ["Sword"]
    assert [row["name"] for row in api.get("/api/data/assets?name=HERO&relations=true").json()] == ["Hero"]
    rows = api.get(f"/api/data/projects/{show.id}/asset-types/{world.character.id}/assets").json()
    assert [row["name"] for row in rows] == ["Hero"]
    # An episode holds its own assets and those cast in it.
    cast(world.episode, world.sword)
    rows = api.get(f"/api/data/projects/{show.id}/assets?episode_id={world.episode.id}").json()
    assert sorted(row["name"] for row in rows) == ["Hero", "Sword"]
    assert api.get("/api/data/assets?is_shared=maybe").status_code == 400
    assert api.get("/api/data/assets?project_id=nope").status_code == 400
    assert api.get(f"/api/data/projects/{show.id}/asset-types/nope/assets").status_code == 400
    assert client_for(team["outsider"]).get(f"/api/data/projects/{show.id}/assets").status_code == 403
    assert api.get(f"/api/data/projects/{uuid.uuid4()}/assets").status_code == 404


def test_asset_lists_run_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["user"])
    paths = (
        "/api/data/assets",
        f"/api/data/projects/{show.id}/assets",
        f"/api/data/projects/{show.id}/asset-types",
    )
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(8) as few:
            api.get(path)
        counts[path] = len(few.captured_queries)
    for i in range(30):
        factories.make_asset(show, world.prop, name=f"Prop {i}")
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            assert api.get(path).status_code == 200
    assert len(api.get("/api/data/assets").json()) == 32


# --- the asset board -----------------------------------------------------------------------------


def test_asset_board_shape(world, team, show):
    assign(world.hero_modeling, team["user"])
    Subscription.objects.create(person=team["manager"], task=world.hero_modeling)
    cast(world.episode, world.sword)
    rows = client_for(team["manager"]).get(f"/api/data/assets/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["Hero", "Sword"]  # by type name, then name
    hero = rows[0]
    assert hero["asset_type_name"] == "Character" and hero["asset_type_id"] == str(world.character.id)
    assert hero["episode_id"] == str(world.episode.id) and hero["preview_file_id"] == ""
    assert hero["ready_for"] == "None" and hero["data"] == {"x": 1} and hero["description"] == "the hero"
    assert rows[1]["casting_episode_ids"] == [str(world.episode.id)] and rows[1]["episode_id"] == ""
    tasks = {task["id"]: task for task in hero["tasks"]}
    modeling = tasks[str(world.hero_modeling.id)]
    assert list(modeling) == [
        "id",
        "due_date",
        "done_date",
        "duration",
        "entity_id",
        "estimation",
        "end_date",
        "is_subscribed",
        "last_comment_date",
        "last_preview_file_id",
        "priority",
        "real_start_date",
        "retake_count",
        "start_date",
        "difficulty",
        "task_status_id",
        "task_type_id",
        "assignees",
        "data",
    ]
    assert modeling["assignees"] == [str(team["user"].id)] and modeling["is_subscribed"] is True
    assert tasks[str(world.hero_shading.id)]["is_subscribed"] is False
    assert rows[1]["tasks"] == []


def test_asset_board_runs_a_bounded_number_of_queries(world, team, show, django_assert_max_num_queries):
    api = client_for(team["manager"])
    path = f"/api/data/assets/with-tasks?project_id={show.id}"
    with django_assert_max_num_queries(20) as few:
        assert len(api.get(path).json()) == 2
    task_types = [factories.make_task_type() for _ in range(3)]
    status = factories.make_task_status()
    for i in range(30):
        asset = factories.make_asset(show, world.prop, name=f"Prop {i:02d}")
        for task_type in task_types:
            assign(factories.make_task(asset, task_type, status), team["user"])
        cast(world.episode, asset)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = api.get(path).json()
    props = [row for row in rows if row["name"].startswith("Prop")]
    assert len(rows) == 32 and all(len(row["tasks"]) == 3 for row in props)
    assert props[-1]["tasks"][0]["assignees"] == [str(team["user"].id)]
    assert props[-1]["casting_episode_ids"] == [str(world.episode.id)]


def test_asset_board_for_clients_and_vendors(world, team, show):
    world.hero_modeling.priority = 3
    world.hero_modeling.save()
    assign(world.hero_modeling, team["user"])
    rows = client_for(team["client"]).get(f"/api/data/assets/with-tasks?project_id={show.id}").json()
    task = next(task for task in rows[0]["tasks"] if task["id"] == str(world.hero_modeling.id))
    assert task["assignees"] == [] and task["priority"] == 0 and task["duration"] == 0
    assert task["task_status_id"] == str(world.hero_modeling.task_status_id)  # not a studio field
    vendor = client_for(team["vendor"])
    assert vendor.get(f"/api/data/assets/with-tasks?project_id={show.id}").json() == []
    assign(world.hero_shading, team["vendor"])
    rows = vendor.get(f"/api/data/assets/with-tasks?project_id={show.id}").json()
    assert [row["name"] for row in rows] == ["Hero"]
    assert [task["id"] for task in rows[0]["tasks"]] == [str(world.hero_shading.id)]


def test_asset_board_filters_and_refusals(world, team, show):
    api = client_for(team["manager"])
    rows = api.get(f"/api/data/assets/with-tasks?project_id={show.id}&episode_id=main").json()
    assert [row["name"] for row in rows] == ["Sword"]
    rows = api.get(f"/api/data/assets/with-tasks?project_id={show.id}&episode_id={world.episode.id}").json()
    assert [row["name"] for row in rows] == ["Hero"]
    rows = api.get(f"/api/data/assets/with-tasks?id={world.sword.id}").json()
    assert [row["name"] for row in rows] == ["Sword"]
    response = api.get("/api/data/assets/with-tasks?project_id=xx")
    assert response.status_code == 400 and "project_id" in response.json()["message"]
    assert api.get("/api/data/assets/with-tasks?episode_id=nope").status_code == 400
    assert (
        client_for(team["outsider"]).get(f"/api/data/assets/with-tasks?project_id={show.id}").status_code
        == 403
    )
    assert client_for(team["outsider"]).get("/api/data/assets/with-tasks").json() == []


def test_asset_board_compact_stream_and_etag(world, team, show):
    api = client_for(team["manager"])
    body = api.get(f"/api/data/assets/with-tasks?project_id={show.id}&compact=true").json()
    assert body["compact"] is True and body["asset_fields"][0] == "id" and body["task_fields"][-1] == "data"
    hero = dict(zip(body["asset_fields"], body["rows"][0], strict=True))
    assert hero["name"] == "Hero" and len(hero["tasks"]) == 2
    task = dict(zip(body["task_fields"], hero["tasks"][0], strict=True))
    assert task["entity_id"] == str(world.hero.id)
    response = api.get(f"/api/data/assets/with-tasks?project_id={show.id}&stream=true")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == '{"compact":false}' and len(lines) == 3
    response = api.get(f"/api/data/assets/with-tasks?project_id={show.id}")
    etag = response["ETag"]
    assert (
        api.get(f"/api/data/assets/with-tasks?project_id={show.id}", HTTP_IF_NONE_MATCH=etag).status_code
        == 304
    )
    world.sword.name = "Sabre"
    world.sword.save()
    response = api.get(f"/api/data/assets/with-tasks?project_id={show.id}", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    # The board of another person differs: their copy never validates.
    other = client_for(team["supervisor"])
    assert (
        other.get(f"/api/data/assets/with-tasks?project_id={show.id}", HTTP_IF_NONE_MATCH=etag).status_code
        == 200
    )


# --- one asset -----------------------------------------------------------------------------------


def test_read_an_asset(world, team, show):
    cast(world.shot, world.hero)
    body = client_for(team["user"]).get(f"/api/data/assets/{world.hero.id}").json()
    assert body["name"] == "Hero" and body["type"] == "Asset" and body["project_name"] == "Show"
    assert body["asset_type_name"] == "Character" and body["asset_type_id"] == str(world.character.id)
    assert body["entities_in"] == [str(world.shot.id)] and body["entities_out"] == []
    assert "source_id" not in body and "nb_frames" not in body
    assert body["episode_id"] == str(world.episode.id) and body["ready_for"] == "None"
    assert {task["id"] for task in body["tasks"]} == {str(world.hero_modeling.id), str(world.hero_shading.id)}
    assert client_for(team["outsider"]).get(f"/api/data/assets/{world.hero.id}").status_code == 403
    vendor = client_for(team["vendor"])
    assert vendor.get(f"/api/data/assets/{world.hero.id}").status_code == 403
    assign(world.hero_modeling, team["vendor"])
    assert vendor.get(f"/api/data/assets/{world.hero.id}").status_code == 200
    api = client_for(team["admin"])
    assert api.get(f"/api/data/assets/{uuid.uuid4()}").status_code == 404
    assert api.get(f"/api/data/assets/{world.shot.id}").status_code == 404  # a shot is no asset
    # A scoped view (kitsu_server.core.scoped) resolves the URL's asset once: a malformed id names no row.
    assert api.get("/api/data/assets/nope").status_code == 404


def test_an_asset_holding_tasks_is_canceled_unless_forced(world, team, show):
    cast(world.shot, world.hero)
    world.shot.nb_entities_out = 1
    world.shot.save()
    api = client_for(team["manager"])
    assert api.delete(f"/api/data/assets/{world.hero.id}").status_code == 204
    world.hero.refresh_from_db()
    assert world.hero.canceled is True and Task.objects.filter(entity=world.hero).count() == 2
    world.shot.refresh_from_db()
    assert world.shot.nb_entities_out == 0  # its casting counts live assets only
    assert events("asset:update", "shot:casting-update") == [
        ("asset:update", {"asset_id": str(world.hero.id)}),
        (
            "shot:casting-update",
            {
                "shot_id": str(world.shot.id),
                "nb_entities_out": 0,
                "added_asset_ids": [],
                "removed_asset_ids": [],
            },
        ),
    ]
    assert api.delete(f"/api/data/assets/{world.hero.id}?force=true").status_code == 204
    assert not Entity.objects.filter(pk=world.hero.pk).exists()
    assert not Task.objects.filter(pk__in=[world.hero_modeling.pk, world.hero_shading.pk]).exists()
    assert not EntityLink.objects.filter(entity_out_id=world.hero.pk).exists()
    names = [name for name, _ in events("task:delete", "asset:delete")]
    assert names == ["task:delete", "task:delete", "asset:delete"]
    # Without tasks, an asset goes at once.
    assert api.delete(f"/api/data/assets/{world.sword.id}").status_code == 204
    assert not Entity.objects.filter(pk=world.sword.pk).exists()


def test_who_deletes_an_asset(world, team, show):
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).delete(f"/api/data/assets/{world.sword.id}").status_code == 403, role
    assert Entity.objects.filter(pk=world.sword.pk).exists()
    mine = factories.make_asset(show, world.prop, name="Mine", created_by=team["user"])
    assert client_for(team["user"]).delete(f"/api/data/assets/{mine.id}").status_code == 204
    assert client_for(team["manager"]).delete(f"/api/data/assets/{uuid.uuid4()}").status_code == 404


def test_create_an_asset(world, team, show):
    path = f"/api/data/projects/{show.id}/asset-types/{world.prop.id}/assets/new"
    body = {"name": "Shield", "description": "round", "data": {"x": 2}, "episode_id": str(world.episode.id)}
    response = client_for(team["manager"]).post(path, body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "Shield" and created["type"] == "Asset" and created["data"] == {"x": 2}
    assert created["source_id"] == str(world.episode.id) and created["created_by"] == str(team["manager"].id)
    assert created["entity_type_id"] == str(world.prop.id) and created["is_shared"] is False
    assert events("asset:new") == [
        ("asset:new", {"asset_id": created["id"], "asset_type": str(world.prop.id)})
    ]
    created = client_for(team["admin"]).post(path, {"name": "Bare", "is_shared": True}, format="json").json()
    assert created["description"] == "" and created["data"] == {} and created["is_shared"] is True


def test_create_an_asset_refusals(world, team, show):
    path = f"/api/data/projects/{show.id}/asset-types/{world.prop.id}/assets/new"
    before = Entity.objects.count()
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).post(path, {"name": "X"}, format="json").status_code == 403, role
    api = client_for(team["manager"])
    response = api.post(path, {"description": "no name"}, format="json")
    assert response.status_code == 400 and "name" in response.json()["message"]
    assert api.post(path, {"name": ""}, format="json").status_code == 400
    assert api.post(path, {"name": "X", "episode_id": "zz"}, format="json").status_code == 400
    assert api.post(path, {"name": "X", "episode_id": str(uuid.uuid4())}, format="json").status_code == 400
    assert api.post(path, {"name": "X", "data": [1]}, format="json").status_code == 400
    shot_type = world.shot.entity_type_id
    path_of = f"/api/data/projects/{show.id}/asset-types/{shot_type}/assets/new"
    assert api.post(path_of, {"name": "X"}, format="json").status_code == 404
    path_of = f"/api/data/projects/{uuid.uuid4()}/asset-types/{world.prop.id}/assets/new"
    assert api.post(path_of, {"name": "X"}, format="json").status_code == 404
    assert Entity.objects.count() == before and not events("asset:new")


# --- casting -------------------------------------------------------------------------------------


def test_set_the_casting_of_an_asset(world, team, show):
    castle = factories.make_asset(show, world.prop, name="Castle")
    cast(castle, world.hero)
    api = client_for(team["manager"])
    entries = [
        {"asset_id": str(world.sword.id), "nb_occurences": 3},
        {"asset_id": str(world.hero.id), "label": "x"},
    ]
    response = api.put(f"/api/data/assets/{castle.id}/casting", entries, format="json")
    assert response.status_code == 200
    assert response.json() == [
        {"asset_id": str(world.sword.id), "nb_occurences": 3, "label": ""},
        {"asset_id": str(world.hero.id), "nb_occurences": 1, "label": "x"},
    ]
    castle.refresh_from_db()
    assert castle.nb_entities_out == 2
    assert events("asset:casting-update") == [
        (
            "asset:casting-update",
            {
                "asset_id": str(castle.id),
                "nb_entities_out": 2,
                "added_asset_ids": [str(world.sword.id)],
                "removed_asset_ids": [],
            },
        )
    ]
    assert [name for name, _ in events("entity-link:new")] == ["entity-link:new", "entity-link:new"]
    casting = client_for(team["user"]).get(f"/api/data/assets/{castle.id}/casting").json()
    assert casting[0] == {
        "asset_id": str(world.hero.id),
        "asset_name": "Hero",
        "asset_type_name": "Character",
        "ready_for": None,
        "episode_id": str(world.episode.id),
        "preview_file_id": None,
        "nb_occurences": 1,
        "label": "x",
        "is_shared": False,
        "project_id": str(show.id),
    }
    assert [row["asset_name"] for row in casting] == ["Hero", "Sword"]
    rows = client_for(team["user"]).get(f"/api/data/assets/{castle.id}/assets").json()
    assert sorted(row["name"] for row in rows) == ["Hero", "Sword"] and rows[0]["type"] == "Asset"
    # The casting is replaced as a whole.
    api.put(f"/api/data/assets/{castle.id}/casting", [], format="json")
    assert not EntityLink.objects.filter(entity_in=castle).exists()


def test_asset_casting_refusals(world, team, show):
    cast(world.hero, world.sword)
    path = f"/api/data/assets/{world.hero.id}/casting"
    entries = [{"asset_id": str(world.hero.id)}]
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert client_for(team[role]).put(path, entries, format="json").status_code == 403, role
    api = client_for(team["manager"])
    response = api.put(path, {"asset_id": str(world.hero.id)}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "Request body must be a JSON array."
    assert (
        api.put(path, [{"asset_id": str(world.hero.id), "nb_occurences": -1}], format="json").status_code
        == 400
    )
    assert api.put(path, [{"nb_occurences": 1}], format="json").status_code == 400
    assert list(EntityLink.objects.values_list("entity_out_id", flat=True)) == [world.sword.pk]
    assert api.put(f"/api/data/assets/{uuid.uuid4()}/casting", [], format="json").status_code == 404
    assert client_for(team["outsider"]).get(path).status_code == 403
    assert client_for(team["vendor"]).get(path).status_code == 403  # no task on it


def test_where_an_asset_is_cast(world, team, show):
    castle = factories.make_asset(show, world.character, name="Castle")
    cast(world.shot, world.sword, nb=2)
    cast(castle, world.sword, nb=3)
    rows = client_for(team["user"]).get(f"/api/data/assets/{world.sword.id}/cast-in").json()
    assert rows == [
        {
            "shot_id": str(world.shot.id),
            "shot_name": "SH01",
            "sequence_name": "SQ01",
            "episode_id": str(world.episode.id),
            "episode_name": "E01",
            "preview_file_id": None,
            "nb_occurences": 2,
        },
        {
            "asset_id": str(castle.id),
            "asset_name": "Castle",
            "asset_type_name": "Character",
            "preview_file_id": None,
            "nb_occurences": 3,
        },
    ]
    assert client_for(team["outsider"]).get(f"/api/data/assets/{world.sword.id}/cast-in").status_code == 403


# --- asset instances ----------------------------------------------------------------------------


def test_asset_instances(world, team, show):
    api = client_for(team["user"])  # anyone reaching the production
    path = f"/api/data/assets/{world.hero.id}/asset-asset-instances"
    first = api.post(
        path, {"asset_to_instantiate_id": str(world.sword.id), "description": "d"}, format="json"
    )
    assert first.status_code == 201
    first = first.json()
    assert first["name"] == "Sword_0001" and first["number"] == 1 and first["type"] == "AssetInstance"
    assert first["target_asset_id"] == str(world.hero.id) and first["asset_id"] == str(world.sword.id)
    second = api.post(path, {"asset_to_instantiate_id": str(world.sword.id)}, format="json").json()
    assert second["number"] == 2 and second["description"] is None
    assert events("asset_instance:new")[0] == (
        "asset_instance:new",
        {
            "asset_id": str(world.hero.id),
            "asset_instantiated": str(world.sword.id),
            "asset_instance_id": first["id"],
        },
    )
    grouped = api.get(path).json()
    assert [row["number"] for row in grouped[str(world.sword.id)]] == [1, 2]
    AssetInstanceLink.objects.create(entity=world.shot, asset_instance_id=first["id"])
    by_shot = api.get(f"/api/data/assets/{world.sword.id}/shot-asset-instances").json()
    assert [row["id"] for row in by_shot[str(world.shot.id)]] == [first["id"]]
    by_scene = api.get(f"/api/data/assets/{world.sword.id}/scene-asset-instances").json()
    assert [row["id"] for row in by_scene["None"]] == [first["id"], second["id"]]


def test_asset_instance_refusals(world, team, show):
    path = f"/api/data/assets/{world.hero.id}/asset-asset-instances"
    api = client_for(team["manager"])
    assert api.post(path, {}, format="json").status_code == 400
    assert api.post(path, {"asset_to_instantiate_id": "nope"}, format="json").status_code == 400
    assert api.post(path, {"asset_to_instantiate_id": str(uuid.uuid4())}, format="json").status_code == 404
    body = {"asset_to_instantiate_id": str(world.sword.id)}
    assert (
        api.post(f"/api/data/assets/{uuid.uuid4()}/asset-asset-instances", body, format="json").status_code
        == 404
    )
    outsider = client_for(team["outsider"])
    assert outsider.post(path, body, format="json").status_code == 403
    assert outsider.get(path).status_code == 403
    assert outsider.get(f"/api/data/assets/{world.hero.id}/scene-asset-instances").status_code == 403
    assert AssetInstance.objects.count() == 0


# --- tasks of an asset -----------------------------------------------------------------------------


def test_asset_tasks_and_task_types(world, team, show):
    assign(world.hero_modeling, team["user"])
    api = client_for(team["user"])
    rows = api.get(f"/api/data/assets/{world.hero.id}/tasks").json()
    assert [row["task_type_name"] for row in rows] == ["Modeling", "Shading"]
    assert rows[0]["project_name"] == "Show" and rows[0]["entity_name"] == "Hero"
    assert rows[0]["entity_type_name"] == "Character" and rows[0]["type"] == "Task"
    assert "assignees" not in rows[0]
    rows = api.get(f"/api/data/assets/{world.hero.id}/tasks?relations=true").json()
    assert rows[0]["assignees"] == [str(team["user"].id)]
    rows = client_for(team["client"]).get(f"/api/data/assets/{world.hero.id}/tasks?relations=true").json()
    assert rows[0]["assignees"] == []
    rows = api.get(f"/api/data/assets/{world.hero.id}/task-types").json()
    assert sorted(row["name"] for row in rows) == ["Modeling", "Shading"] and rows[0]["type"] == "TaskType"
    for path in ("tasks", "task-types"):
        assert client_for(team["outsider"]).get(f"/api/data/assets/{world.hero.id}/{path}").status_code == 403
        assert client_for(team["vendor"]).get(f"/api/data/assets/{world.hero.id}/{path}").status_code == 403
        assert api.get(f"/api/data/assets/{uuid.uuid4()}/{path}").status_code == 404


# --- sharing ---------------------------------------------------------------------------------------


def test_share_assets(world, team, show):
    api = client_for(team["manager"])
    rows = api.post("/api/actions/assets/share", {"asset_ids": [str(world.sword.id)]}, format="json").json()
    assert [(row["name"], row["is_shared"], row["type"]) for row in rows] == [("Sword", True, "Asset")]
    rows = api.post(f"/api/actions/projects/{show.id}/assets/share", {}, format="json").json()
    assert sorted(row["name"] for row in rows) == ["Hero", "Sword"] and all(row["is_shared"] for row in rows)
    path = f"/api/actions/projects/{show.id}/asset-types/{world.prop.id}/assets/share"
    rows = api.post(path, {"is_shared": False}, format="json").json()
    assert [(row["name"], row["is_shared"]) for row in rows] == [("Sword", False)]
    body = {"asset_ids": [str(world.hero.id)], "is_shared": False}
    rows = api.post(f"/api/actions/projects/{show.id}/assets/share", body, format="json").json()
    assert [row["name"] for row in rows] == ["Hero"]
    assert not Entity.objects.filter(is_shared=True).exists()
    assert not events()  # the reference records no event for sharing


def test_share_refusals(world, team, show):
    body = {"asset_ids": [str(world.sword.id)]}
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        api = client_for(team[role])
        assert api.post("/api/actions/assets/share", body, format="json").status_code == 403, role
        assert (
            api.post(f"/api/actions/projects/{show.id}/assets/share", body, format="json").status_code == 403
        )
    api = client_for(team["manager"])
    response = api.post(
        "/api/actions/assets/share", {"asset_ids": [str(world.sword.id)], "is_shared": "maybe"}
    )
    assert response.status_code == 400
    assert api.post("/api/actions/assets/share", {"asset_ids": ["nope"]}, format="json").status_code == 400
    body = {"asset_ids": [str(uuid.uuid4())]}
    assert api.post("/api/actions/assets/share", body, format="json").status_code == 404
    assert (
        api.post(f"/api/actions/projects/{uuid.uuid4()}/assets/share", {}, format="json").status_code == 404
    )
    assert not Entity.objects.filter(is_shared=True).exists()


def test_shared_assets_used_in_a_production(world, team, show):
    world.sword.is_shared = True
    world.sword.save()
    other = factories.make_project(name="Other")
    ProjectPersonLink.objects.create(project=other, person=team["user"])
    other_episode = factories.make_episode(other)
    other_shot = factories.make_shot(other, factories.make_sequence(other, other_episode))
    cast(other_shot, world.sword)
    cast(other_shot, world.hero)  # not shared
    api = client_for(team["user"])
    rows = api.get(f"/api/data/projects/{other.id}/assets/shared-used").json()
    assert [(row["name"], row["type"]) for row in rows] == [("Sword", "Asset")]
    path = f"/api/data/projects/{other.id}/episodes/{other_episode.id}/assets/shared-used"
    assert [row["name"] for row in api.get(path).json()] == ["Sword"]
    path = f"/api/data/projects/{other.id}/episodes/{world.episode.id}/assets/shared-used"
    assert api.get(path).json() == []
    assert len(api.get(f"/api/data/projects/{other.id}/episodes/all/assets/shared-used").json()) == 1
    assert api.get(f"/api/data/projects/{show.id}/assets/shared-used").json() == []  # its own don't count
    world.sword.canceled = True
    world.sword.save()
    assert api.get(f"/api/data/projects/{other.id}/assets/shared-used").json() == []
    outsider = client_for(team["outsider"])
    assert outsider.get(f"/api/data/projects/{other.id}/assets/shared-used").status_code == 403
    assert api.get(f"/api/data/projects/{uuid.uuid4()}/assets/shared-used").status_code == 404


def test_casting_stats_follow_the_readiness_of_assets(world, team, show):
    """A shot task counts the cast assets ready for its step: not canceled, and ready for a step
    at or after it in the production's pipeline (or shared from another production)."""
    layout = factories.make_task_type("Layout", for_entity="Shot")
    animation = factories.make_task_type("Animation", for_entity="Shot")
    ProjectTaskTypeLink.objects.create(project=show, task_type=layout, priority=1)
    ProjectTaskTypeLink.objects.create(project=show, task_type=animation, priority=2)
    world.hero.ready_for = animation
    world.hero.save()
    layout_task = factories.make_task(world.shot, layout, nb_assets_ready=0)
    animation_task = factories.make_task(world.shot, animation, nb_assets_ready=0)
    cast(world.shot, world.hero)
    from assets.breakdown.services import refresh_casting_stats
    from kitsu_server.core.events import EventLog

    refresh_casting_stats([world.shot.pk], EventLog(None))
    layout_task.refresh_from_db()
    animation_task.refresh_from_db()
    assert (layout_task.nb_assets_ready, animation_task.nb_assets_ready) == (1, 1)
    client_for(team["manager"]).delete(f"/api/data/assets/{world.hero.id}")  # canceled: it holds tasks
    layout_task.refresh_from_db()
    assert layout_task.nb_assets_ready == 0
