"""Productions with a file tree, built as the ones made on the reference server whose answers the
path tests compare with (the same names, so the same paths)."""

import types

import pytest

from assets.models import AssetInstance
from files.models import OutputType
from people.models import Software
from tests import factories
from tests.files_area.trees import CUSTOM_TREE, DEFAULT_TREE


@pytest.fixture(autouse=True)
def working_file_folder(settings, tmp_path):
    """Working files' binaries in a folder of the test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "working_files": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "working-files")},
        },
    }
    return tmp_path / "working-files"


@pytest.fixture
def default_world(db):
    """The reference's shipped tree on "WF Oracle a1": an episode, a sequence, a shot, an asset
    and a task on each."""
    project = factories.make_project(name="WF Oracle a1", production_type="tvshow", file_tree=DEFAULT_TREE)
    episode = factories.make_episode(project, name="E01")
    sequence = factories.make_sequence(project, episode, name="SQ01")
    shot = factories.make_shot(project, sequence, name="SH010")
    asset = factories.make_asset(project, factories.make_asset_type("Props a1"), name="Magic Cup")
    modeling = factories.make_task_type(name="Modeling a1", for_entity="Asset")
    animation = factories.make_task_type(name="Animation a1", for_entity="Shot")
    team = factories.make_team(project, password=None)
    return types.SimpleNamespace(
        project=project,
        episode=episode,
        sequence=sequence,
        shot=shot,
        asset=asset,
        modeling=modeling,
        animation=animation,
        asset_task=factories.make_task(asset, modeling),
        shot_task=factories.make_task(shot, animation),
        output_type=OutputType.objects.create(name="Cache a1", short_name="cache"),
        team=team,
    )


@pytest.fixture
def custom_world(db):
    """CUSTOM_TREE on "Custom Tree c1": departments, short names, a "Seq7" sequence, named
    tasks, a software and two asset instances (one named, one numbered only)."""
    project = factories.make_project(name="Custom Tree c1", production_type="tvshow", file_tree=CUSTOM_TREE)
    department = factories.make_department(name="Anim Dept c1")
    episode = factories.make_episode(project, name="Ep 02")
    sequence = factories.make_sequence(project, episode, name="Seq7")
    shot = factories.make_shot(project, sequence, name="Sh 020")
    asset = factories.make_asset(project, factories.make_asset_type("Set Dressing c1"), name="Old Chair")
    surfacing = factories.make_task_type(
        name="Surfacing c1", short_name="SRF", for_entity="Asset", department=department
    )
    layout = factories.make_task_type(
        name="Layout c1", short_name="LAY", for_entity="Shot", department=department
    )
    team = factories.make_team(project, password=None)
    return types.SimpleNamespace(
        project=project,
        department=department,
        episode=episode,
        sequence=sequence,
        shot=shot,
        asset=asset,
        surfacing=surfacing,
        layout=layout,
        asset_task=factories.make_task(asset, surfacing, name="Main Look"),
        shot_task=factories.make_task(shot, layout),
        output_type=OutputType.objects.create(name="Alembic Cache c1", short_name="ABC"),
        software=Software.objects.create(name="Maya c1", short_name="MY", file_extension=".ma"),
        instance=AssetInstance.objects.create(asset=asset, name="chair left", number=3, description=""),
        numbered_instance=AssetInstance.objects.create(asset=asset, number=12),
        team=team,
    )


@pytest.fixture
def admin_client(default_world):
    return factories.client_for(default_world.team["admin"])
