"""Guessing what a path names from the production's file tree: the templates it matches and the
ids of its tokens' rows (the reference's answers on the same tree and names)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db
GUESS = "/api/data/entities/guess-from-path"


def guess(client, project, file_path, **body):
    return client.post(GUESS, {"project_id": str(project.pk), "file_path": file_path, **body}, format="json")


def test_a_working_shot_path(default_world, admin_client):
    world = default_world
    response = guess(
        admin_client, world.project, "/simple/productions/wf_oracle_a1/shots/sq01/sh010/animation_a1"
    )
    assert response.status_code == 200
    assert response.json() == [
        {
            "Template": "shot",
            "Project": str(world.project.pk),
            "Sequence": str(world.sequence.pk),
            "Shot": str(world.shot.pk),
            "TaskType": str(world.animation.pk),
        }
    ]


def test_an_asset_path_with_a_file_name(default_world, admin_client):
    world = default_world
    path = "/simple/productions/wf_oracle_a1/assets/props_a1/magic_cup/modeling_a1/file.blend"
    assert guess(admin_client, world.project, path).json() == [
        {
            "Template": "asset",
            "Project": str(world.project.pk),
            "AssetType": str(world.asset.entity_type_id),
            "Asset": str(world.asset.pk),
            "TaskType": str(world.modeling.pk),
        }
    ]


def test_an_output_path(default_world, admin_client):
    world = default_world
    path = "/simple/productions/export/wf_oracle_a1/assets/props_a1/magic_cup/cache_a1"
    assert guess(admin_client, world.project, path).json() == [
        {
            "Template": "asset",
            "Project": str(world.project.pk),
            "AssetType": str(world.asset.entity_type_id),
            "Asset": str(world.asset.pk),
            "OutputType": str(world.output_type.pk),
        }
    ]


def test_paths_naming_nothing_known(default_world, admin_client):
    world = default_world
    # Another production's name: the template matches, no id comes back.
    assert guess(admin_client, world.project, "/simple/productions/other_project/shots/sq01").json() == [
        {"Template": "shot"}
    ]
    response = admin_client.post(
        "/api/data/entities/guess_from_path",
        {"project_id": str(world.project.pk), "file_path": "/elsewhere/x"},
    )
    assert response.status_code == 200 and response.json() == []
    path = "\\simple\\productions\\wf_oracle_a1\\episodes\\e01\\x"
    assert guess(admin_client, world.project, path, sep="\\").json() == []


def test_another_production_named_in_the_path_gives_none_of_its_ids(default_world, admin_client):
    other = factories.make_project(name="Secret Show")
    factories.make_sequence(other, name="SQ01")
    path = "/simple/productions/secret_show/shots/sq01/sh010/animation_a1"
    assert guess(admin_client, default_world.project, path).json() == [{"Template": "shot"}]


def test_a_custom_tree_in_the_reference_order(custom_world):
    """Templates are tried in the order the reference stores them (shorter names first); literal
    folders keep their case while the path takes the mode's style."""
    world = custom_world
    client = factories.client_for(world.team["user"])
    project = str(world.project.pk)
    path = "/mnt/Studio/CUSTOM_TREE_C1/lib/SET_DRESSING_C1/OLD_CHAIR/MAIN_LOOK/MAYA"
    assert guess(client, world.project, path).json() == [
        {"Template": "scene", "Project": project},
        {"Template": "sequence", "Project": project},
    ]
    found = {"Project": project, "Episode": str(world.episode.pk), "Sequence": str(world.sequence.pk)}
    assert guess(client, world.project, "/mnt/Studio/CUSTOM_TREE_C1/EP_02/SEQ7").json() == [
        {"Template": "shot", **found},
        {"Template": "scene", "Project": project},
        {"Template": "sequence", **found},
    ]
    path = "/out/exports/custom_tree_c1/seq7/sh_020/layout_c1/alembic_cache_c1/abc/v003"
    assert guess(client, world.project, path).json() == [
        {
            "Template": "shot",
            "Project": project,
            "Sequence": str(world.sequence.pk),
            "Shot": str(world.shot.pk),
            "TaskType": str(world.layout.pk),
            "OutputType": str(world.output_type.pk),
            "Representation": "abc",
            "Version": "3",
        },
        {"Template": "scene", "Project": project},
        {"Template": "episode", "Project": project},
        {"Template": "instance", "Project": project},
        {"Template": "sequence", "Project": project, "Sequence": str(world.sequence.pk)},
    ]


def test_guess_needs_project_access(default_world):
    world = default_world
    path = "/simple/productions/wf_oracle_a1/shots/sq01/sh010/animation_a1"
    for role in ("user", "client", "vendor"):
        assert guess(factories.client_for(world.team[role]), world.project, path).status_code == 200
    assert guess(factories.client_for(world.team["outsider"]), world.project, path).status_code == 403


@pytest.mark.parametrize(
    "body, status",
    [
        ({"project_id": "PROJECT"}, 400),
        ({"file_path": "/x"}, 400),
        ({"project_id": "PROJECT", "file_path": ""}, 400),
        ({"project_id": "PROJECT", "file_path": ["/x"]}, 400),
        ({"project_id": "083b2bba-1670-4ed8-86c1-94e9660f2f42", "file_path": "/x"}, 404),
        ({"project_id": "nope", "file_path": "/x"}, 404),
    ],
)
def test_bad_guesses(default_world, admin_client, body, status):
    body = {
        key: str(default_world.project.pk) if value == "PROJECT" else value for key, value in body.items()
    }
    response = admin_client.post(GUESS, body, format="json")
    assert response.status_code == status
    assert response.json()["error"] is True


def test_a_production_without_tree(default_world, admin_client):
    default_world.project.file_tree = None
    default_world.project.save()
    response = guess(admin_client, default_world.project, "/x")
    assert response.status_code == 400
    assert response.json()["message"] == "No tree can be found for given project."
