"""The production the reference CSV files of files/reference/ were exported from (see
files/reference.py), built again here with the same names and values, so that our exports of it
can be compared with the reference's byte for byte, and its files imported into a copy."""

import datetime
import pathlib
from types import SimpleNamespace

import pytest

from assets.models import EntityLink
from productions.models import MetadataDescriptor, ProjectAssetTypeLink, ProjectTaskTypeLink
from shots.models import Edit
from tasks.models import TaskStatus, TaskType, TimeSpent
from tests import factories

REFERENCE_FILES = pathlib.Path(__file__).parent / "files" / "reference"
REFERENCE_PROJECT = "Échange CSV 074954"
STAMP = "074954"


def reference_file(name):
    return (REFERENCE_FILES / name).read_bytes()


def status(name, short_name):
    return TaskStatus.objects.get_or_create(
        short_name=short_name, defaults={"name": name, "color": "#f5f5f5"}
    )[0]


def task_type(name, for_entity, priority):
    return TaskType.objects.get_or_create(
        name=name, for_entity=for_entity, defaults={"priority": priority, "color": "#f5f5f5"}
    )[0]


def statuses():
    return {
        short: status(name, short)
        for name, short in (("Todo", "todo"), ("Work In Progress", "wip"), ("Done", "done"))
    }


def task_types():
    return {
        "Layout": task_type("Layout", "Shot", 2),
        "Animation": task_type("Animation", "Shot", 3),
        "Modeling": task_type("Modeling", "Asset", 2),
        "Edit": task_type("Edit", "Edit", 8),
    }


def empty_show(name, production_type="tvshow"):
    """A production with the reference one's settings (task types, asset types, descriptors)."""
    project = factories.make_project(name=name, production_type=production_type)
    types = task_types()
    for kind in types.values():
        ProjectTaskTypeLink.objects.create(project=project, task_type=kind, priority=None)
    for asset_type in ("Character", "Prop"):
        ProjectAssetTypeLink.objects.create(project=project, asset_type=factories.make_asset_type(asset_type))
    for kind in ("Shot", "Asset"):
        MetadataDescriptor.objects.create(
            project=project, entity_type=kind, name="Difficulté", field_name="difficulte", data_type="string"
        )
    return project


@pytest.fixture
def reference_show(db):
    """The reference production: a TV show with an episode, two sequences, three shots, three
    assets, their tasks, casting, an edit and time spent."""
    project = empty_show(REFERENCE_PROJECT)
    done = statuses()
    types = task_types()
    zoe = factories.make_person(
        first_name="Zoé", last_name=f"Lefèvre {STAMP}", email=f"zoe.{STAMP}@example.com"
    )
    factories.join(project, zoe)
    episode = factories.make_episode(project, name="E01")
    sq01 = factories.make_sequence(project, episode, name="SQ01")
    sq02 = factories.make_sequence(project, episode, name="SQ02 à")
    sh010 = factories.make_shot(
        project,
        sq01,
        name="SH010",
        description='Le "début"; calme',
        data={"fps": "24", "frame_in": 1, "frame_out": 48, "difficulte": "facile"},
    )
    factories.make_shot(project, sq01, name="SH020", description="Ligne 1\nLigne 2", nb_frames=12, data={})
    sh030 = factories.make_shot(project, sq02, name="SH030 ç", data={"frame_in": 100, "frame_out": 119})
    character, prop = factories.make_asset_type("Character"), factories.make_asset_type("Prop")
    hero = factories.make_asset(
        project, character, name='Héros "Bob"', description="Le héros; principal", data={"difficulte": "dur"}
    )
    table = factories.make_asset(project, prop, name="Table; ronde", source=episode)
    factories.make_asset(project, prop, name="Chaise")

    started = datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)
    layout = factories.make_task(sh010, types["Layout"], done["wip"], duration=240, real_start_date=started)
    factories.assign(layout, zoe)
    TimeSpent.objects.create(task=layout, person=zoe, date=datetime.date(2026, 12, 6), duration=240)
    factories.make_task(sh010, types["Animation"], done["todo"])
    factories.make_task(sh030, types["Animation"], done["done"])
    factories.assign(factories.make_task(hero, types["Modeling"], done["done"]), zoe)
    EntityLink.objects.create(entity_in=sh010, entity_out=hero, nb_occurences=2, label="animate")
    EntityLink.objects.create(entity_in=sh010, entity_out=table, nb_occurences=1, label="")
    EntityLink.objects.create(entity_in=sh030, entity_out=hero, nb_occurences=1, label="")
    edit = Edit.objects.create(project=project, name="Montage é", description="v1")
    factories.make_task(edit, types["Edit"], done["todo"])
    return SimpleNamespace(
        project=project, episode=episode, zoe=zoe, shots=[sh010, sh030], hero=hero, layout=layout
    )
