"""Path generation from a production's file tree: a task's working file path, an entity's and an
asset instance's output file path. The expected paths are the reference server's answers to the
same requests on the same tree and names (recorded from Zou 1.0.97)."""

import pytest

from files.models import FileStatus, OutputFile, WorkingFile
from people.models import Software
from tests import factories

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(f"/api{path}", body, format="json")


# --- the reference's shipped tree ----------------------------------------------------------------


def test_working_file_path_of_a_shot_task(default_world, admin_client):
    response = post(admin_client, f"/data/tasks/{default_world.shot_task.pk}/working-file-path", {})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "path": "/simple/productions/wf_oracle_a1/shots/sq01/sh010/animation_a1",
        "name": "wf_oracle_a1_sh010_animation_a1",
    }


def test_working_file_path_with_a_separator_and_a_name(default_world, admin_client):
    body = {"name": "Main Cup", "sep": "\\", "revision": 3}
    response = post(admin_client, f"/data/tasks/{default_world.asset_task.pk}/working-file-path", body)
    assert response.json() == {
        "path": "/simple\\productions\\wf_oracle_a1\\assets\\props_a1\\magic_cup\\modeling_a1",
        "name": "wf_oracle_a1_props_a1_magic_cup_modeling_a1",
    }


def test_working_file_path_in_the_output_mode(default_world, admin_client):
    """A template naming an output type when none is given: Geometry, made on the fly."""
    body = {"mode": "output"}
    response = post(admin_client, f"/data/tasks/{default_world.asset_task.pk}/working-file-path", body)
    assert response.json() == {
        "path": "/simple/productions/export/wf_oracle_a1/assets/props_a1/magic_cup/geometry",
        "name": "wf_oracle_a1_props_a1_magic_cup_geometry_main",
    }


def test_working_file_path_of_an_unknown_mode_is_a_400(default_world, admin_client):
    response = post(
        admin_client, f"/data/tasks/{default_world.asset_task.pk}/working-file-path", {"mode": "nope"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Mode nope cannot be found on given tree."


def test_entity_output_file_paths(default_world, admin_client):
    world = default_world
    ids = {"output_type_id": str(world.output_type.pk), "task_type_id": str(world.animation.pk)}
    response = post(admin_client, f"/data/entities/{world.shot.pk}/output-file-path", ids)
    assert response.json() == {
        "folder_path": "/simple/productions/export/wf_oracle_a1/shots/sq01/sh010/cache_a1",
        "file_name": "wf_oracle_a1_sq01_sh010_cache_a1_main",
    }
    body = {
        **ids,
        "task_type_id": str(world.modeling.pk),
        "revision": 4,
        "representation": "abc",
        "separator": "\\",
    }
    response = post(admin_client, f"/data/entities/{world.asset.pk}/output-file-path", body)
    assert response.json() == {
        "folder_path": "/simple\\productions/export\\wf_oracle_a1\\assets\\props_a1\\magic_cup\\cache_a1",
        "file_name": "wf_oracle_a1_props_a1_magic_cup_cache_a1_main",
    }
    response = post(admin_client, f"/data/entities/{world.episode.pk}/output-file-path", ids)
    assert response.json() == {
        "folder_path": "/simple/productions/export/wf_oracle_a1/episodes/e01/cache_a1",
        "file_name": "wf_oracle_a1_e01_cache_a1_main",
    }


def test_an_unknown_token_is_a_400(default_world, admin_client):
    """The shipped tree's sequence output file name says <OuputType>."""
    world = default_world
    ids = {"output_type_id": str(world.output_type.pk), "task_type_id": str(world.modeling.pk)}
    response = post(admin_client, f"/data/entities/{world.sequence.pk}/output-file-path", ids)
    assert response.status_code == 400
    assert response.json()["message"] == "Unknown data type: OuputType."


# --- a custom tree: every token, styles, ids, instances --------------------------------------------


@pytest.fixture
def custom_admin(custom_world):
    return factories.client_for(custom_world.team["admin"])


def test_custom_working_paths(custom_world, custom_admin):
    world = custom_world
    body = {"name": "Blocking Pass", "revision": 7}
    response = post(custom_admin, f"/data/tasks/{world.shot_task.pk}/working-file-path", body)
    assert response.json() == {
        "path": "/mnt/Studio/CUSTOM_TREE_C1/EP_02/S007/SH_020/LAY/ANIM_DEPT_C1",
        "name": "CUSTOM_TREE_C1_SH_020_LAYOUT_C1_V007_BLOCKING_PASS",
    }
    body = {"software_id": str(world.software.pk), "sep": "\\"}
    response = post(custom_admin, f"/data/tasks/{world.asset_task.pk}/working-file-path", body)
    assert response.json() == {
        "path": "/mnt/Studio\\CUSTOM_TREE_C1\\lib\\SET_DRESSING_C1\\OLD_CHAIR\\MAIN_LOOK\\MAYA_C1",
        "name": f"{world.asset.pk}_OLD_CHAIR_MY_R001",
    }


def test_custom_working_path_without_software_makes_the_default_one(custom_world, custom_admin):
    response = post(custom_admin, f"/data/tasks/{custom_world.asset_task.pk}/working-file-path", {})
    assert response.json() == {
        "path": "/mnt/Studio/CUSTOM_TREE_C1/lib/SET_DRESSING_C1/OLD_CHAIR/MAIN_LOOK/3DS_MAX",
        "name": f"{custom_world.asset.pk}_OLD_CHAIR_MAX_R001",
    }
    assert Software.objects.filter(name="3ds Max", short_name="max").count() == 1


def test_custom_output_paths(custom_world, custom_admin):
    world = custom_world
    shot_ids = {"output_type_id": str(world.output_type.pk), "task_type_id": str(world.layout.pk)}
    body = {**shot_ids, "representation": "ABC", "name": "Cam Main"}
    response = post(custom_admin, f"/data/entities/{world.shot.pk}/output-file-path", body)
    assert response.json() == {
        "folder_path": "/out/exports/custom_tree_c1/s007/sh_020/layout_c1/alembic_cache_c1/abc/v000",
        "file_name": "custom_tree_c1_sh_020_alembic_cache_c1_cam_main_v001",
    }
    response = post(
        custom_admin, f"/data/entities/{world.shot.pk}/output-file-path", {**shot_ids, "revision": 5}
    )
    assert response.json() == {
        "folder_path": "/out/exports/custom_tree_c1/s007/sh_020/layout_c1/alembic_cache_c1//v005",
        "file_name": "custom_tree_c1_sh_020_alembic_cache_c1_main_v005",
    }
    asset_ids = {**shot_ids, "task_type_id": str(world.surfacing.pk)}
    response = post(
        custom_admin,
        f"/data/entities/{world.asset.pk}/output-file-path",
        {**asset_ids, "representation": "Obj File"},
    )
    assert response.json() == {
        "folder_path": "/out/exports/custom_tree_c1/set_dressing_c1/old_chair/abc/obj_file",
        "file_name": "old_chair_alembic_cache_c1_main_v001",
    }
    response = post(custom_admin, f"/data/entities/{world.sequence.pk}/output-file-path", asset_ids)
    assert response.json() == {"folder_path": "/out/exports/custom_tree_c1/s007", "file_name": "s007_main"}
    response = post(
        custom_admin, f"/data/entities/{world.episode.pk}/output-file-path", {**asset_ids, "mode": "working"}
    )
    assert response.json() == {
        "folder_path": f"/mnt/Studio/CUSTOM_TREE_C1/{world.episode.pk}",
        "file_name": "EP_02_MAIN",
    }


def test_custom_instance_output_paths(custom_world, custom_admin):
    world = custom_world
    ids = {"output_type_id": str(world.output_type.pk), "task_type_id": str(world.layout.pk)}
    url = f"/data/asset-instances/{world.instance.pk}/entities/{world.shot.pk}/output-file-path"
    response = post(custom_admin, url, {**ids, "revision": 2})
    assert response.json() == {
        "folder_path": "/out/exports/custom_tree_c1/sh_020/old_chair/chair_left/alembic_cache_c1",
        "file_name": "old_chair_0003_shot_alembic_cache_c1_v002",
    }
    url = f"/data/asset-instances/{world.numbered_instance.pk}/entities/{world.shot.pk}/output-file-path"
    response = post(custom_admin, url, ids)
    assert response.json() == {
        "folder_path": "/out/exports/custom_tree_c1/sh_020/old_chair/0012/alembic_cache_c1",
        "file_name": "old_chair_0012_shot_alembic_cache_c1_v000",
    }
    # The working templates have no instance template: a 400, nothing written.
    response = post(custom_admin, url, {**ids, "mode": "working"})
    assert response.status_code == 400
    assert response.json()["error"] is True


def test_output_path_revision_follows_existing_files(default_world, admin_client):
    """Revision 0 asks for the next one: it names the file, the folder keeps the 0 asked."""
    world = default_world
    tree = dict(world.project.file_tree)
    tree["output"] = {
        **tree["output"],
        "file_name": {**tree["output"]["file_name"], "shot": "<Shot>_v<Version>"},
    }
    world.project.file_tree = tree
    world.project.save()
    OutputFile.objects.create(
        name="main", revision=2, entity=world.shot, output_type=world.output_type, task_type=world.animation,
        file_status=factories.make_row(FileStatus),
    )  # fmt: skip
    ids = {"output_type_id": str(world.output_type.pk), "task_type_id": str(world.animation.pk)}
    response = post(admin_client, f"/data/entities/{world.shot.pk}/output-file-path", ids)
    assert response.json()["file_name"] == "sh010_v003"


def test_working_path_revision_follows_existing_files(default_world, admin_client):
    world = default_world
    tree = dict(world.project.file_tree)
    tree["working"] = {
        **tree["working"],
        "file_name": {**tree["working"]["file_name"], "asset": "<Asset>_v<Version>"},
    }
    world.project.file_tree = tree
    world.project.save()
    WorkingFile.objects.create(name="main", revision=4, task=world.asset_task, entity=world.asset)
    response = post(admin_client, f"/data/tasks/{world.asset_task.pk}/working-file-path", {})
    assert response.json()["name"] == "magic_cup_v005"
    response = post(admin_client, f"/data/tasks/{world.asset_task.pk}/working-file-path", {"name": "other"})
    assert response.json()["name"] == "magic_cup_v001"


@pytest.mark.parametrize(
    "tree, message",
    [
        (None, "No tree can be found for given project."),
        ({}, "Mode working cannot be found on given tree."),
        ({"working": {"folder_path": {}}}, "Can't find given mode (working) in given tree."),
        ({"working": {"mountpoint": "/m", "root": "", "folder_path": {}}}, None),
    ],
)
def test_malformed_trees_are_400s_naming_what_is_missing(default_world, admin_client, tree, message):
    default_world.project.file_tree = tree
    default_world.project.save()
    response = post(admin_client, f"/data/tasks/{default_world.asset_task.pk}/working-file-path", {})
    assert response.status_code == 400
    assert response.json()["error"] is True
    if message:
        assert response.json()["message"] == message
    assert not Software.objects.filter(name="3ds Max").exists()  # nothing made for a path not given
