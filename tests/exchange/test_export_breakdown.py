"""A production's CSV exports (/export/csv/projects/{id}/assets|shots|edits|casting.csv): the same
bytes as the reference's exports of the same production (files/reference/, made by
files/reference.py from the reference server), who may export, bounded queries."""

import csv
import io

import pytest

from assets.models import EntityLink
from productions.models import MetadataDescriptor
from tests import factories
from tests.exchange.conftest import reference_file


def export(client, project, what, query=""):
    return client.get(f"/api/export/csv/projects/{project.pk}/{what}.csv{query}")


def body(response):
    return b"".join(response.streaming_content)


def rows(response):
    return list(csv.reader(io.StringIO(body(response).decode()), delimiter=";"))


@pytest.mark.parametrize(
    "what,query,reference",
    [
        ("shots", "", "shots.csv"),
        ("assets", "", "assets.csv"),
        ("edits", "", "edits.csv"),
        ("casting", "?is_shot_casting=true", "casting_shots.csv"),
        ("casting", "", "casting_assets.csv"),
    ],
)
def test_export_is_the_reference_file_byte_for_byte(reference_show, admin_person, what, query, reference):
    response = export(factories.client_for(admin_person), reference_show.project, what, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert body(response) == reference_file(reference)


def test_export_names_the_attachment_after_the_production(reference_show, admin_person):
    response = export(factories.client_for(admin_person), reference_show.project, "shots")
    assert response["Content-Disposition"] == "attachment; filename=kitsu_echange_csv_074954_shots.csv"


def test_shots_of_one_episode_and_assets_of_the_main_pack(reference_show, admin_person):
    client = factories.client_for(admin_person)
    other = factories.make_episode(reference_show.project, name="E02")
    factories.make_shot(
        reference_show.project, factories.make_sequence(reference_show.project, other), name="X1"
    )
    names = [
        row[3] for row in rows(export(client, reference_show.project, "shots", f"?episode_id={other.pk}"))
    ]
    assert names == ["Name", "X1"]
    names = [row[2] for row in rows(export(client, reference_show.project, "assets", "?episode_id=main"))]
    assert names == ["Name", 'Héros "Bob"', "Chaise"]
    query = f"?episode_id={reference_show.episode.pk}"
    assert [row[2] for row in rows(export(client, reference_show.project, "assets", query))] == [
        "Name",
        "Table; ronde",
    ]
    EntityLink.objects.create(entity_in=reference_show.episode, entity_out=reference_show.hero)
    names = [row[2] for row in rows(export(client, reference_show.project, "assets", query))]
    assert names == ["Name", 'Héros "Bob"', "Table; ronde"]  # its own asset and the one cast in it


def test_casting_of_episodes_and_of_the_main_pack(reference_show, admin_person):
    client = factories.client_for(admin_person)
    EntityLink.objects.create(
        entity_in=reference_show.episode, entity_out=reference_show.hero, nb_occurences=3
    )
    assert rows(export(client, reference_show.project, "casting", "?episode_id=all")) == [
        ["Parent", "Name", "Asset Type", "Asset", "Occurences", "Label"],
        ["Episode", "E01", "Character", 'Héros "Bob"', "3", ""],
    ]


def test_boolean_metadata_is_written_true_or_false(reference_show, admin_person):
    MetadataDescriptor.objects.create(
        project=reference_show.project,
        entity_type="Shot",
        name="Done",
        field_name="done",
        data_type="boolean",
    )
    shot = reference_show.shots[0]
    shot.data = {**shot.data, "done": "True"}
    shot.save()
    table = rows(export(factories.client_for(admin_person), reference_show.project, "shots"))
    column = table[0].index("Done")
    assert [row[column] for row in table[1:]] == ["true", "false", "false"]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("manager", 200),
        ("supervisor", 200),
        ("user", 200),
        ("client", 200),
        ("vendor", 403),
        ("outsider", 403),
    ],
)
def test_who_may_export_a_production(reference_show, role, expected):
    team = factories.make_team(reference_show.project, password=None)
    for what in ("shots", "assets", "edits", "casting"):
        response = export(factories.client_for(team[role]), reference_show.project, what)
        assert response.status_code == expected, what
        if expected == 403:
            assert response.json()["error"] is True


def test_unknown_production_and_bad_episode(db, admin_person):
    client = factories.client_for(admin_person)
    response = client.get("/api/export/csv/projects/6ec5aa3c-5ec5-4e08-9a1b-3b3a7f8d2c11/shots.csv")
    assert response.status_code == 404
    assert response.json() == {"error": True, "message": "Project not found."}
    project = factories.make_project()
    response = export(client, project, "shots", "?episode_id=nope")
    assert response.status_code == 400
    assert response.json()["error"] is True


def test_entity_exports_run_a_bounded_number_of_queries(
    reference_show, admin_person, django_assert_max_num_queries
):
    client = factories.client_for(admin_person)
    sequence = factories.make_sequence(reference_show.project, reference_show.episode, name="SQ99")
    layout = reference_show.layout.task_type
    for n in range(40):
        shot = factories.make_shot(reference_show.project, sequence, name=f"B{n:03d}")
        factories.assign(
            factories.make_task(shot, layout, reference_show.layout.task_status), reference_show.zoe
        )
    for what in ("shots", "assets", "edits", "casting"):
        with django_assert_max_num_queries(12):
            assert len(body(export(client, reference_show.project, what))) > 0


def test_a_production_without_episodes(db, admin_person):
    """No Episode column in its casting; its shots' Episode cells empty."""
    project = factories.make_project(name="Court métrage", production_type="short")
    sequence = factories.make_sequence(project, name="SQ1")
    shot = factories.make_shot(project, sequence, name="SH1", nb_frames=10)
    prop = factories.make_asset(project, factories.make_asset_type("Prop"), name="Lampe")
    EntityLink.objects.create(entity_in=shot, entity_out=prop, nb_occurences=1, label="")
    client = factories.client_for(admin_person)
    assert rows(export(client, project, "shots")) == [
        [
            "Project",
            "Episode",
            "Sequence",
            "Name",
            "Description",
            "Time Spent",
            "Frames",
            "Frame In",
            "Frame Out",
            "FPS",
        ],
        ["Court métrage", "", "SQ1", "SH1", "", "0.00", "10", "", "", ""],
    ]
    assert rows(export(client, project, "casting", "?is_shot_casting=true")) == [
        ["Parent", "Name", "Asset Type", "Asset", "Occurences", "Label"],
        ["SQ1", "SH1", "Prop", "Lampe", "1", ""],
    ]
