"""The assets and edits CSV imports (/import/csv/projects/{id}/assets|edits): the reference's
exports import unchanged, twice changes nothing, the update flag and the dry run, bad files
(400, nothing written), who may import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import Asset, Entity, EntityType
from productions.models import ProjectAssetTypeLink
from shots.models import Edit, Episode
from tasks.models import ApiEvent, Comment, Task
from tests import factories
from tests.exchange.conftest import empty_show, reference_file, statuses


@pytest.fixture
def target(db):
    project = empty_show("Copie")
    statuses()
    return project


def upload(client, project, what, content, query=""):
    if isinstance(content, str):
        content = content.encode()
    file = SimpleUploadedFile(f"{what}.csv", content, content_type="text/csv")
    return client.post(
        f"/api/import/csv/projects/{project.pk}/{what}{query}", {"file": file}, format="multipart"
    )


def snapshot():
    return Entity.objects.count(), Task.objects.count(), Comment.objects.count(), ApiEvent.objects.count()


def test_the_reference_assets_export_imports_unchanged(target, admin_person):
    client = factories.client_for(admin_person)
    response = upload(client, target, "assets", reference_file("assets.csv"))
    assert response.status_code == 201, response.json()
    assert [row["name"] for row in response.json()] == ['Héros "Bob"', "Chaise", "Table; ronde"]
    hero = Asset.objects.get(project=target, name='Héros "Bob"')
    assert (hero.entity_type.name, hero.description, hero.data) == (
        "Character",
        "Le héros; principal",
        {"difficulte": "dur"},
    )
    # each asset gets its workflow's tasks (the production's asset task types); the column sets a status
    modeling = dict(
        Task.objects.filter(project=target).values_list("entity__name", "task_status__short_name")
    )
    assert modeling == {'Héros "Bob"': "done", "Chaise": "todo", "Table; ronde": "todo"}
    before = snapshot()
    for query in ("", "?update=true"):
        assert upload(client, target, "assets", reference_file("assets.csv"), query).status_code == 201
    assert snapshot() == before


def test_assets_update_dry_run_and_apply(target, admin_person):
    client = factories.client_for(admin_person)
    upload(client, target, "assets", reference_file("assets.csv"))
    changed = reference_file("assets.csv").replace(b"Prop;Chaise;;", b"Prop;Chaise;Bois;")
    plan = upload(client, target, "assets", changed, "?update=true&dry_run=true").json()
    assert plan["summary"] == {"create": 0, "update": 1, "unchanged": 2, "error": 0}
    assert plan["rows"][1]["changes"] == {"description": ["", "Bois"]}
    assert Asset.objects.get(name="Chaise").description == ""
    assert upload(client, target, "assets", changed, "?update=true").status_code == 201
    assert Asset.objects.get(name="Chaise").description == "Bois"


def test_an_existing_asset_gets_the_tasks_it_misses(target, admin_person):
    client = factories.client_for(admin_person)
    chair = factories.make_asset(target, factories.make_asset_type("Prop"), name="Chaise")
    plan = upload(client, target, "assets", "Type;Name\nProp;Chaise\n", "?dry_run=true").json()
    assert plan["rows"][0]["action"] == "update"
    assert plan["rows"][0]["changes"] == {"tasks": [None, ["Modeling"]]}
    assert upload(client, target, "assets", "Type;Name\nProp;Chaise\n").status_code == 201
    assert list(Task.objects.filter(entity=chair).values_list("task_type__name", flat=True)) == ["Modeling"]


def test_tv_show_assets_in_episodes_and_types(target, admin_person):
    client = factories.client_for(admin_person)
    EntityType.objects.get_or_create(name="FX")
    content = "Episode;Type;Name\nE07;prop;Vase\nMP;FX;Fumée\n"
    response = upload(client, target, "assets", content)
    assert response.status_code == 201, response.json()
    vase = Asset.objects.get(name="Vase")
    assert (vase.entity_type.name, vase.source.name) == ("Prop", "E07")
    assert Asset.objects.get(name="Fumée").source is None
    # an existing type missing from the production's list is added to it
    assert ProjectAssetTypeLink.objects.filter(project=target, asset_type__name="FX").exists()
    response = upload(client, target, "assets", "Type;Name\nDragon;Puff\n")
    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "Line 2, column Type: Asset type Dragon is not configured for this project"
    )
    assert response.json()["column"] == "Type"


@pytest.mark.parametrize(
    "content,line,column",
    [
        ("Type;Name\nProp;A\n;B\n", 3, "Type"),
        ("Type;Name;Modeling\nProp;A;nope\n", 2, "Modeling"),
        ("Type;Name;Ready for\nProp;A;Nothing\n", 2, "Ready for"),
        ("Type;Name;Modeling assignations\nProp;A;Nobody Here\n", 2, "Modeling assignations"),
        ("Name\nA\n", 1, "Type"),
    ],
)
def test_bad_assets_files(target, admin_person, content, line, column):
    response = upload(factories.client_for(admin_person), target, "assets", content)
    assert response.status_code == 400
    assert (response.json()["line_number"], response.json()["column"]) == (line, column)
    assert Entity.objects.count() == 0


def test_the_reference_edits_export_imports_unchanged(target, admin_person):
    client = factories.client_for(admin_person)
    response = upload(client, target, "edits", reference_file("edits.csv"))
    assert response.status_code == 201, response.json()
    edit = Edit.objects.get(project=target)
    assert (edit.name, edit.description, edit.parent) == ("Montage é", "v1", None)
    assert list(
        Task.objects.filter(entity=edit).values_list("task_type__name", "task_status__short_name")
    ) == [("Edit", "todo")]
    before = snapshot()
    assert upload(client, target, "edits", reference_file("edits.csv"), "?update=true").status_code == 201
    assert snapshot() == before
    response = upload(client, target, "edits", "Episode;Name\nE02;Montage é\n")
    assert response.status_code == 201
    assert Edit.objects.get(project=target, parent__name="E02").name == "Montage é"  # another episode's
    assert Episode.objects.filter(project=target, name="E02").count() == 1


def test_episodes_are_for_tv_shows(db, admin_person):
    project = empty_show("Court", production_type="short")
    response = upload(factories.client_for(admin_person), project, "edits", "Episode;Name\nE1;A\n")
    assert response.status_code == 400
    assert response.json()["column"] == "Episode"


@pytest.mark.parametrize("what", ["assets", "edits"])
@pytest.mark.parametrize(
    "role,expected",
    [
        ("manager", 201),
        ("supervisor", 403),
        ("user", 403),
        ("client", 403),
        ("vendor", 403),
        ("outsider", 403),
    ],
)
def test_who_may_import_assets_and_edits(target, what, role, expected):
    team = factories.make_team(target, password=None)
    response = upload(factories.client_for(team[role]), target, what, "Type;Name\nProp;A\n")
    assert response.status_code == expected
