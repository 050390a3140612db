"""Output files of an entity and of an asset instance in a shot: new revisions and their paths
(the reference's answers on the same tree), next revision numbers, last revisions, output types
in use, the lists and their filters; who may, 404s and bad input."""

import pytest

from files.models import FileStatus, OutputFile, WorkingFile
from tests import factories

pytestmark = pytest.mark.django_db
UNKNOWN_ID = "083b2bba-1670-4ed8-86c1-94e9660f2f42"


def url(path):
    return f"/api{path}"


@pytest.fixture
def clients(custom_world):
    return {role: factories.client_for(person) for role, person in custom_world.team.items()}


@pytest.fixture
def asset_ids(custom_world):
    return {
        "output_type_id": str(custom_world.output_type.pk),
        "task_type_id": str(custom_world.surfacing.pk),
    }


@pytest.fixture
def shot_ids(custom_world):
    return {"output_type_id": str(custom_world.output_type.pk), "task_type_id": str(custom_world.layout.pk)}


def new_output(client, entity, body):
    return client.post(url(f"/data/entities/{entity.pk}/output-files/new"), body, format="json")


def new_instance_output(client, world, body, instance=None):
    instance = instance or world.instance
    path = f"/data/asset-instances/{instance.pk}/entities/{world.shot.pk}/output-files/new"
    return client.post(url(path), body, format="json")


# --- new output files ------------------------------------------------------------------------------


def test_new_entity_output_files(custom_world, clients, asset_ids):
    world = custom_world
    first = new_output(clients["user"], world.asset, {**asset_ids, "representation": "abc"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["revision"] == 1 and body["type"] == "OutputFile"
    assert body["path"] == f"{body['folder_path']}/{body['file_name']}"
    assert body["folder_path"] == "/out/exports/custom_tree_c1/set_dressing_c1/old_chair/abc/abc"
    assert body["file_name"] == "old_chair_alembic_cache_c1_main_v001"
    assert body["person_id"] == str(world.team["user"].pk)
    assert body["file_status_id"] == str(FileStatus.objects.get(name="To review").pk)
    second = new_output(clients["user"], world.asset, {**asset_ids, "representation": "abc"}).json()
    assert second["revision"] == 2
    body = {**asset_ids, "representation": "obj", "name": "Low Res", "sep": "\\", "nb_elements": 2}
    low = new_output(clients["manager"], world.asset, body).json()
    assert low["revision"] == 1
    assert low["path"] == (
        "/out\\exports\\custom_tree_c1\\set_dressing_c1\\old_chair\\abc\\obj\\old_chair_alembic_cache_c1_low_res_v001_[1-2]"
    )
    events = factories.recorded_events("output-file:new")
    assert ("output-file:new", {"output_file_id": first.json()["id"]}) in events and len(events) == 3


def test_new_instance_output_files(custom_world, clients, shot_ids):
    world = custom_world
    first = new_instance_output(clients["admin"], world, shot_ids)
    assert first.status_code == 201, first.content
    assert first.json()["path"] == (
        "/out/exports/custom_tree_c1/sh_020/old_chair/chair_left/alembic_cache_c1/old_chair_0003_shot_alembic_cache_c1_v001"
    )
    assert first.json()["entity_id"] == str(world.asset.pk)
    assert first.json()["asset_instance_id"] == str(world.instance.pk)
    assert first.json()["temporal_entity_id"] == str(world.shot.pk)
    second = new_instance_output(
        clients["admin"], world, {**shot_ids, "extension": ".abc", "nb_elements": 4}
    ).json()
    assert second["revision"] == 2
    assert second["path"].endswith("/old_chair_0003_shot_alembic_cache_c1_v002.abc")
    path = f"/data/asset-instances/{world.instance.pk}/entities/{world.shot.pk}/output-files/next-revision"
    response = clients["user"].post(url(path), shot_ids, format="json")
    assert response.json() == {"next_revision": 3}


def test_a_source_working_file_and_a_forced_revision(custom_world, clients, asset_ids):
    world = custom_world
    working_file = WorkingFile.objects.create(
        name="main", revision=1, task=world.asset_task, entity=world.asset
    )
    body = {**asset_ids, "working_file_id": str(working_file.pk), "revision": 5, "comment": "publish"}
    response = new_output(clients["admin"], world.asset, body)
    assert response.json()["source_file_id"] == str(working_file.pk)
    assert response.json()["revision"] == 5 and response.json()["comment"] == "publish"
    # An unknown source is no source, as the reference reads it.
    body = {**asset_ids, "working_file_id": UNKNOWN_ID}
    assert new_output(clients["admin"], world.asset, body).json()["source_file_id"] is None
    taken = new_output(clients["admin"], world.asset, {**asset_ids, "revision": 5})
    assert taken.status_code == 400
    assert taken.json()["message"] == "The given output file already exists."
    assert OutputFile.objects.count() == 2


@pytest.mark.parametrize(
    "change, status, message",
    [
        ({"output_type_id": UNKNOWN_ID}, 400, "Cannot find given output type."),
        ({"output_type_id": "nope"}, 400, "Cannot find given output type."),
        ({"person_id": UNKNOWN_ID}, 400, "Cannot find given person."),
        ({"file_status_id": UNKNOWN_ID}, 400, "Cannot find given file status."),
        ({"task_type_id": UNKNOWN_ID}, 404, None),
        ({"output_type_id": None}, 400, None),
        ({"revision": "x"}, 400, None),
        ({"nb_elements": [1]}, 400, None),
        ({"representation": "r" * 21}, 400, None),
    ],
)
def test_bad_new_output_files(custom_world, clients, asset_ids, change, status, message):
    response = new_output(clients["admin"], custom_world.asset, {**asset_ids, **change})
    assert response.status_code == status, response.content
    assert response.json()["error"] is True
    if message:
        assert response.json()["message"] == message
    assert not OutputFile.objects.exists()


def test_a_malformed_tree_writes_nothing(custom_world, clients, shot_ids):
    world = custom_world
    response = new_output(clients["admin"], world.shot, {**shot_ids, "mode": "ignored"})
    assert response.status_code == 201  # the mode of a new output file is always "output"
    world.project.file_tree = {"working": world.project.file_tree["working"]}
    world.project.save()
    response = new_output(clients["admin"], world.shot, shot_ids)
    assert response.status_code == 400
    assert response.json()["message"] == "Mode output cannot be found on given tree."
    assert OutputFile.objects.count() == 1


@pytest.mark.parametrize("role", ["outsider"])
def test_new_output_files_are_refused_outside_the_production(
    custom_world, clients, asset_ids, shot_ids, role
):
    assert new_output(clients[role], custom_world.asset, asset_ids).status_code == 403
    assert new_instance_output(clients[role], custom_world, shot_ids).status_code == 403
    assert not OutputFile.objects.exists()


def test_unknown_entities_are_404s(custom_world, clients, asset_ids):
    world = custom_world
    admin = clients["admin"]
    assert new_output(admin, type("E", (), {"pk": UNKNOWN_ID}), asset_ids).status_code == 404
    path = f"/data/asset-instances/{UNKNOWN_ID}/entities/{world.shot.pk}/output-files/new"
    assert admin.post(url(path), asset_ids, format="json").status_code == 404
    path = f"/data/asset-instances/{world.instance.pk}/entities/{UNKNOWN_ID}/output-files/new"
    assert admin.post(url(path), asset_ids, format="json").status_code == 404
    for path in ("output-files", "output-types", "output-files/last-revisions"):
        assert admin.get(url(f"/data/entities/{UNKNOWN_ID}/{path}")).status_code == 404
    assert admin.get(url(f"/data/asset-instances/{UNKNOWN_ID}/output-files")).status_code == 404
    path = f"/data/entities/{world.asset.pk}/output-types/{UNKNOWN_ID}/output-files"
    assert admin.get(url(path)).status_code == 404
    assert admin.get(url(f"/data/projects/{UNKNOWN_ID}/output-files")).status_code == 404
    assert (
        admin.get(url(f"/data/asset-instances/{world.instance.pk}/entities/nope/output-types")).status_code
        == 404
    )


# --- revisions, lists ------------------------------------------------------------------------------


@pytest.fixture
def published(custom_world, clients, asset_ids, shot_ids):
    """Asset: main abc v1, v2, Low Res obj v1; instance in the shot: main v1, v2; the shot: v1."""
    world = custom_world
    admin = clients["admin"]
    new_output(admin, world.asset, {**asset_ids, "representation": "abc"})
    new_output(admin, world.asset, {**asset_ids, "representation": "abc"})
    new_output(admin, world.asset, {**asset_ids, "representation": "obj", "name": "Low Res"})
    new_instance_output(admin, world, shot_ids)
    new_instance_output(admin, world, shot_ids)
    new_output(admin, world.shot, shot_ids)
    return OutputFile.objects.all()


def test_next_revision(custom_world, clients, asset_ids, published):
    path = url(f"/data/entities/{custom_world.asset.pk}/output-files/next-revision")
    assert clients["client"].post(path, asset_ids, format="json").json() == {"next_revision": 3}
    assert clients["user"].post(path, {**asset_ids, "name": "Low Res"}, format="json").json() == {
        "next_revision": 2
    }
    assert clients["user"].post(path, {**asset_ids, "name": "new"}, format="json").json() == {
        "next_revision": 1
    }
    assert clients["user"].post(path, {"name": "main"}, format="json").status_code == 400
    assert (
        clients["user"].post(path, {**asset_ids, "task_type_id": UNKNOWN_ID}, format="json").status_code
        == 404
    )
    assert clients["outsider"].post(path, asset_ids, format="json").status_code == 403


def test_entity_lists(custom_world, clients, published):
    world = custom_world
    base = f"/data/entities/{world.asset.pk}"
    rows = clients["user"].get(url(f"{base}/output-files")).json()
    assert [(row["name"], row["revision"]) for row in rows if row["name"] == "main"] == [
        ("main", 2),
        ("main", 1),
    ]
    assert len(rows) == 3  # the instance's outputs are not the asset's own
    rows = clients["user"].get(url(f"{base}/output-files"), {"representation": "obj"}).json()
    assert [row["name"] for row in rows] == ["Low Res"]
    rows = clients["user"].get(url(f"{base}/output-files/last-revisions")).json()
    assert sorted((row["name"], row["revision"]) for row in rows) == [("Low Res", 1), ("main", 2)]
    rows = clients["user"].get(url(f"{base}/output-files/last-revisions"), {"name": "main"}).json()
    assert [(row["name"], row["revision"]) for row in rows] == [("main", 2)]
    types = clients["vendor"].get(url(f"{base}/output-types")).json()
    assert [row["name"] for row in types] == ["Alembic Cache c1"] and types[0]["type"] == "OutputType"
    path = url(f"{base}/output-types/{world.output_type.pk}/output-files")
    assert len(clients["user"].get(path).json()) == 3
    assert [row["name"] for row in clients["user"].get(path, {"representation": "obj"}).json()] == ["Low Res"]
    assert clients["user"].get(url(f"{base}/output-files"), {"task_type_id": "x"}).status_code == 400


def test_instance_lists(custom_world, clients, published):
    world = custom_world
    base = f"/data/asset-instances/{world.instance.pk}"
    rows = clients["user"].get(url(f"{base}/output-files")).json()
    assert [row["revision"] for row in rows] == [2, 1]
    rows = (
        clients["user"].get(url(f"{base}/output-files"), {"temporal_entity_id": str(world.asset.pk)}).json()
    )
    assert rows == []
    in_shot = f"{base}/entities/{world.shot.pk}"
    assert [
        row["revision"] for row in clients["user"].get(url(f"{in_shot}/output-files/last-revisions")).json()
    ] == [2]
    assert [row["name"] for row in clients["client"].get(url(f"{in_shot}/output-types")).json()] == [
        "Alembic Cache c1"
    ]
    path = url(f"{in_shot}/output-types/{world.output_type.pk}/output-files")
    assert [row["revision"] for row in clients["user"].get(path).json()] == [2, 1]
    assert clients["user"].get(path, {"representation": "abc"}).json() == []


def test_project_output_files_are_for_managers(custom_world, clients, published):
    path = url(f"/data/projects/{custom_world.project.pk}/output-files")
    rows = clients["manager"].get(path).json()
    assert len(rows) == 4  # the asset's three and the shot's one, not the instance's
    assert [row["created_at"] for row in rows] == sorted((row["created_at"] for row in rows), reverse=True)
    assert len(clients["admin"].get(path, {"name": "Low Res"}).json()) == 1
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert clients[role].get(path).status_code == 403, role


@pytest.mark.parametrize("role", ["outsider"])
def test_lists_are_refused_outside_the_production(custom_world, clients, published, role):
    world = custom_world
    paths = [
        f"/data/entities/{world.asset.pk}/output-files",
        f"/data/entities/{world.asset.pk}/output-files/last-revisions",
        f"/data/entities/{world.asset.pk}/output-types",
        f"/data/entities/{world.asset.pk}/output-types/{world.output_type.pk}/output-files",
        f"/data/asset-instances/{world.instance.pk}/output-files",
        f"/data/asset-instances/{world.instance.pk}/entities/{world.shot.pk}/output-types",
        f"/data/asset-instances/{world.instance.pk}/entities/{world.shot.pk}/output-files/last-revisions",
    ]
    for path in paths:
        assert clients[role].get(url(path)).status_code == 403, path


def test_output_lists_are_bounded(custom_world, clients, django_assert_max_num_queries):
    world = custom_world
    status = FileStatus.objects.create(name="Done", color="#000000")
    common = {"output_type": world.output_type, "task_type": world.surfacing, "file_status": status}
    for n in range(40):
        OutputFile.objects.create(
            name=f"n{n % 4}", revision=n + 1, entity=world.asset, representation="", **common
        )
        OutputFile.objects.create(
            name="main", revision=n + 1, entity=world.asset, asset_instance=world.instance,
            temporal_entity=world.shot, representation="", **common,
        )  # fmt: skip
    base = f"/data/entities/{world.asset.pk}"
    in_shot = f"/data/asset-instances/{world.instance.pk}/entities/{world.shot.pk}"
    counts = {
        f"{base}/output-files": 40,
        f"{base}/output-files/last-revisions": 4,
        f"{base}/output-types": 1,
        f"{base}/output-types/{world.output_type.pk}/output-files": 40,  # not the instance's
        f"/data/asset-instances/{world.instance.pk}/output-files": 40,
        f"{in_shot}/output-files/last-revisions": 1,
        f"{in_shot}/output-types": 1,
        f"/data/projects/{world.project.pk}/output-files": 40,
    }
    for path, count in counts.items():
        with django_assert_max_num_queries(8):
            assert len(clients["manager"].get(url(path)).json()) == count, path
