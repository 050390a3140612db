"""One entity per production, type, parent and name, also without a parent (assets, episodes,
sequences outside episodes...): the database refuses twins, the creation routes answer the
existing row as the reference's do, `/data/entities` refuses a taken name with the reference's
message, and the migration lists the twins a database already holds instead of half-applying."""

import os

import pytest
from django.db import IntegrityError, transaction

from assets.models import Entity, EntityType
from shots.models import Sequence
from tests import factories
from tests.factories import client_for
from tests.test_migrations import manage

events = factories.recorded_events


@pytest.fixture
def prop(db):
    return factories.make_asset_type("Prop")


# --- the database ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_parentless_twins(show, prop):
    factories.make_asset(show, prop, name="Sword")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_asset(show, prop, name="Sword")
    episode = factories.make_episode(show, name="E01")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_episode(show, name="E01")
    # The same name elsewhere is no twin: another type, production or parent, or another case.
    factories.make_asset(show, factories.make_asset_type("Character"), name="Sword")
    factories.make_asset(factories.make_project(name="Other"), prop, name="Sword")
    factories.make_asset(show, prop, name="sword")
    factories.make_sequence(show, episode, name="Sword")
    factories.make_sequence(show, None, name="Sword")
    assert Entity.objects.filter(name__iexact="sword").count() == 6


# --- creation routes: the existing row -------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_new_asset_of_a_name_is_the_first_one(show, team, prop):
    """Two sequential posts used to make two rows: the route is a get-or-create now, as the
    reference's creation routes of every other kind of entity (and gazu's new_asset) are."""
    path = f"/api/data/projects/{show.id}/asset-types/{prop.id}/assets/new"
    api = client_for(team["manager"])
    first = api.post(path, {"name": "Sword", "description": "sharp"}, format="json")
    again = api.post(path, {"name": "Sword", "description": "blunt"}, format="json")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.json()["description"] == "sharp"
    assert Entity.objects.filter(name="Sword").count() == 1
    assert events("asset:new") == [
        ("asset:new", {"asset_id": first.json()["id"], "asset_type": str(prop.id)}),
    ]
    # A name taken in another type is free in this one.
    other_type = factories.make_asset_type("Character")
    path = f"/api/data/projects/{show.id}/asset-types/{other_type.id}/assets/new"
    other = api.post(path, {"name": "Sword"}, format="json")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


PARENTLESS_CREATIONS = [
    ("episodes", {"name": "E09"}, "episode:new"),
    ("sequences", {"name": "SQ09"}, "sequence:new"),
    ("shots", {"name": "SH09"}, "shot:new"),
    ("scenes", {"name": "SC09"}, "scene:new"),
    ("edits", {"name": "Cut"}, "edit:new"),
    ("concepts", {"name": "Look"}, "concept:new"),
    ("concept-folders", {"name": "Moods"}, "concept-folder:new"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "body", "event"), PARENTLESS_CREATIONS)
def test_get_or_create_routes_answer_the_existing_parentless_row(show, team, route, body, event):
    path = f"/api/data/projects/{show.id}/{route}"
    api = client_for(team["manager"])
    first = api.post(path, body, format="json")
    again = api.post(path, body, format="json")
    assert first.status_code in (200, 201) and again.status_code == first.status_code
    assert again.json()["id"] == first.json()["id"]
    assert Entity.objects.filter(name=body["name"], parent=None).count() == 1
    assert len(events(event)) == 1


# --- /data/entities: the reference's 400 -----------------------------------------------------------


@pytest.mark.django_db
def test_data_entities_refuse_a_taken_parentless_name(show, team, prop):
    factories.make_asset(show, prop, name="Sword")
    api = client_for(team["manager"])
    body = {"name": "Sword", "project_id": str(show.id), "entity_type_id": str(prop.id)}
    response = api.post("/api/data/entities", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] is True
    assert "An entity with name 'Sword'" in response.json()["message"]
    assert "must be unique" in response.json()["message"]
    assert Entity.objects.filter(name="Sword").count() == 1 and not events("asset:new")
    # Renaming another asset onto the name is refused the same way.
    shield = factories.make_asset(show, prop, name="Shield")
    response = api.put(f"/api/data/entities/{shield.id}", {"name": "Sword"}, format="json")
    assert response.status_code == 400 and "must be unique" in response.json()["message"]
    shield.refresh_from_db()
    assert shield.name == "Shield"
    # A free name is created.
    body["name"] = "Axe"
    assert api.post("/api/data/entities", body, format="json").status_code == 201


@pytest.mark.django_db
def test_data_entities_refuse_a_taken_name_under_a_parent(show, team):
    episode = factories.make_episode(show, name="E01")
    factories.make_sequence(show, episode, name="SQ01")
    sequence_type = EntityType.objects.get(name="Sequence")
    body = {
        "name": "SQ01",
        "project_id": str(show.id),
        "entity_type_id": str(sequence_type.id),
        "parent_id": str(episode.id),
    }
    response = client_for(team["manager"]).post("/api/data/entities", body, format="json")
    assert response.status_code == 400 and "must be unique" in response.json()["message"]
    assert Sequence.objects.filter(name="SQ01").count() == 1


# --- the migration ---------------------------------------------------------------------------------

TWINS_SCRIPT = """
from assets.models import Entity, EntityType
from productions.models import Project
episode_type = EntityType.objects.create(name="Episode")
project = Project.objects.create(name="Show")
for name in ("E01", "E01", "E02"):
    print(Entity.objects.create(project=project, entity_type=episode_type, name=name).pk)
"""


@pytest.mark.slow
def test_the_migration_lists_the_twins_it_finds_and_changes_nothing(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'twins.sqlite3'}"}
    env.pop("REDIS_URL", None)
    assert manage("migrate", "--noinput", env=env).returncode == 0
    assert manage("migrate", "--noinput", "assets", "0003", env=env).returncode == 0  # a database of before
    first, second, other = manage("shell", "--no-imports", "-c", TWINS_SCRIPT, env=env).stdout.split()
    refused = manage("migrate", "--noinput", env=env)
    assert refused.returncode != 0
    assert "1 name(s) are held by several entities of the same production and type" in refused.stderr
    assert f"production 'Show', Episode 'E01': 2 rows ({first}, {second})" in refused.stderr.replace(
        f"({second}, {first})", f"({first}, {second})"
    )
    assert other not in refused.stderr
    plan = manage("showmigrations", "assets", env=env).stdout
    assert "[ ] 0004_entity_unique_without_parent" in plan
    remove = f"from assets.models import Entity; Entity.objects.filter(pk='{second}').delete()"
    assert manage("shell", "--no-imports", "-c", remove, env=env).returncode == 0
    assert manage("migrate", "--noinput", env=env).returncode == 0
    # The twins can no longer be made.
    twins_again = TWINS_SCRIPT.replace('name="Episode"', 'name="Sequence"')
    assert manage("shell", "--no-imports", "-c", twins_again, env=env).returncode != 0
