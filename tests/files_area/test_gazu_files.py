"""A studio's publishing script with the real gazu client over HTTP: the file tree set on the
production, working file paths built and revisions saved, their binaries uploaded and downloaded,
outputs published for an asset and for an asset instance in a shot, revisions and lists read
back. Skipped where gazu is not installed."""

import copy

import pytest

gazu = pytest.importorskip("gazu")

from assets.models import AssetInstance  # noqa: E402
from files.models import OutputFile, WorkingFile  # noqa: E402
from people.models import Software  # noqa: E402
from tests import factories  # noqa: E402
from tests.files_area.trees import DEFAULT_TREE  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
# The shipped tree, with the instance templates it lacks (without them an instance's output is a
# 400 here, a server error on the reference).
TREE = copy.deepcopy(DEFAULT_TREE)
TREE["output"]["folder_path"]["instance"] = "<Project>/shots/<TemporalEntity>/<Asset>/<Instance>/<OutputType>"
TREE["output"]["file_name"]["instance"] = "<Asset>_<Instance>_<OutputType>_v<Version>"

EMAIL = "gazu-files@example.com"
PASSWORD = "gazu-password"


@pytest.fixture
def studio(live_server):
    """A production without a tree yet, its artist logged in with gazu."""
    artist = factories.make_person(role="user", email=EMAIL, password=PASSWORD, first_name="Ada")
    project = factories.make_project(name="WF Oracle a1", production_type="tvshow")
    factories.join(project, artist)
    episode = factories.make_episode(project, name="E01")
    sequence = factories.make_sequence(project, episode, name="SQ01")
    shot = factories.make_shot(project, sequence, name="SH010")
    asset = factories.make_asset(project, factories.make_asset_type("Props a1"), name="Magic Cup")
    modeling = factories.make_task_type(name="Modeling a1", for_entity="Asset")
    animation = factories.make_task_type(name="Animation a1", for_entity="Shot")
    task = factories.make_task(asset, modeling)
    factories.assign(task, artist)
    client = gazu.client.create_client(live_server.url + "/api")
    gazu.log_in(EMAIL, PASSWORD, client=client)
    return {
        "client": client,
        "artist": artist,
        "project": project,
        "shot": shot,
        "asset": asset,
        "modeling": modeling,
        "animation": animation,
        "task": task,
        "software": Software.objects.create(name="Blender 4", short_name="bl", file_extension=".blend"),
        "instance": AssetInstance.objects.create(asset=asset, name="cup left", number=1),
        "admin": factories.make_person(role="admin", email="gazu-admin-files@example.com", password=PASSWORD),
    }


def test_a_publishing_script(studio, tmp_path, working_file_folder):
    client = studio["client"]
    files = gazu.files
    task = gazu.task.get_task(str(studio["task"].pk), client=client)
    software = files.get_software_by_name("Blender 4", client=client)

    # The production's tree is set by an admin, as a pipeline TD does once.
    admin = gazu.client.create_client(client.host)
    gazu.log_in("gazu-admin-files@example.com", PASSWORD, client=admin)
    files.update_project_file_tree(str(studio["project"].pk), TREE, client=admin)

    path = files.build_working_file_path(task, software=software, client=client)
    assert path == (
        "/simple/productions/wf_oracle_a1/assets/props_a1/magic_cup/modeling_a1/wf_oracle_a1_props_a1_magic_cup_modeling_a1"
    )

    first = files.new_working_file(task, software=software, comment="blocking", client=client)
    second = files.new_working_file(task, software=software, comment="details", client=client)
    assert (first["revision"], second["revision"]) == (1, 2)
    assert first["path"] == path
    assert files.get_last_working_file_revision(task, client=client)["id"] == second["id"]
    assert list(files.get_last_working_files(task, client=client)) == ["main"]
    assert [row["revision"] for row in files.get_working_files_for_task(task, client=client)] == [2, 1]
    entity_files = files.get_all_working_files_for_entity(str(studio["asset"].pk), client=client)
    assert {row["id"] for row in entity_files} == {first["id"], second["id"]}

    scene = tmp_path / "magic_cup_v002.blend"
    scene.write_bytes(b"BLENDER-v" + bytes(range(256)) * 64)
    uploaded = files.upload_working_file(second, str(scene), client=client)
    assert uploaded["id"] == second["id"]
    copy = tmp_path / "downloaded.blend"
    files.download_working_file(second, str(copy), client=client)
    assert copy.read_bytes() == scene.read_bytes()

    assert files.update_comment(second, "final details", client=client)["comment"] == "final details"
    assert files.update_modification_date(second, client=client)["id"] == second["id"]
    assert WorkingFile.objects.get(pk=second["id"]).comment == "final details"

    cache = files.new_output_type("Cache a1", "cache", client=admin)  # the TD again
    modeling = gazu.task.get_task_type(str(studio["modeling"].pk), client=client)
    asset = gazu.asset.get_asset(str(studio["asset"].pk), client=client)
    assert files.get_next_entity_output_revision(asset, cache, modeling, client=client) == 1
    expected_path = files.build_entity_output_file_path(asset, cache, modeling, client=client)
    assert expected_path == (
        "/simple/productions/export/wf_oracle_a1/assets/props_a1/magic_cup/cache_a1/"
        "wf_oracle_a1_props_a1_magic_cup_cache_a1_main"
    )
    output = files.new_entity_output_file(
        asset, cache, modeling, "first publish", working_file=second, client=client
    )
    assert output["revision"] == 1 and output["source_file_id"] == second["id"]
    assert output["path"] == expected_path
    files.new_entity_output_file(asset, cache, modeling, "second publish", client=client)
    assert files.get_last_entity_output_revision(asset, cache, modeling, client=client) == 2
    last = files.get_last_output_files_for_entity(asset, client=client)
    assert [(row["name"], row["revision"]) for row in last] == [("main", 2)]
    assert [row["revision"] for row in files.all_output_files_for_entity(asset, client=client)] == [2, 1]
    assert [row["name"] for row in files.all_output_types_for_entity(asset, client=client)] == ["Cache a1"]
    assert files.get_output_file(output["id"], client=client)["comment"] == "first publish"

    shot = gazu.shot.get_shot(str(studio["shot"].pk), client=client)
    animation = gazu.task.get_task_type(str(studio["animation"].pk), client=client)
    instance = {"id": str(studio["instance"].pk)}
    instance_output = files.new_asset_instance_output_file(
        instance, shot, cache, animation, "instance cache", client=client
    )
    assert instance_output["revision"] == 1 and instance_output["asset_instance_id"] == instance["id"]
    assert instance_output["path"] == (
        "/simple/productions/export/wf_oracle_a1/shots/sh010/magic_cup/cup_left/cache_a1/magic_cup_cup_left_cache_a1_v001"
    )
    assert files.get_next_asset_instance_output_revision(instance, shot, cache, animation, client=client) == 2
    outputs = files.all_output_files_for_asset_instance(instance, client=client)
    assert [row["id"] for row in outputs] == [instance_output["id"]]
    last = files.get_last_output_files_for_asset_instance(instance, shot, client=client)
    assert [row["id"] for row in last] == [instance_output["id"]]
    assert [
        row["name"] for row in files.all_output_types_for_asset_instance(instance, shot, client=client)
    ] == ["Cache a1"]
    assert OutputFile.objects.count() == 3

    guessed = gazu.client.post(
        "data/entities/guess_from_path",
        {"project_id": str(studio["project"].pk), "file_path": path},
        client=client,
    )
    assert guessed[0]["Asset"] == asset["id"]


def test_what_gazu_sees_when_refused(studio):
    """An artist outside the production: gazu raises the reference's errors."""
    outsider = factories.make_person(role="user", email="outsider-files@example.com", password=PASSWORD)
    client = gazu.client.create_client(studio["client"].host)
    gazu.log_in(outsider.email, PASSWORD, client=client)
    with pytest.raises(gazu.exception.NotAllowedException):
        gazu.files.new_working_file(str(studio["task"].pk), client=client)
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.files.get_working_files_for_task("7e2f2a9e-7514-4dc2-a6bc-01806ec74b9e", client=client)
    assert not WorkingFile.objects.exists()
