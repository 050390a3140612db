"""`POST /data/search`: persons, assets and shots found by name, description or custom fields,
within the projects the requester may see. PostgreSQL answers by full-text search (word
prefixes), other databases by substrings: each path has its own test."""

import pytest
from django.db import connection

from files.models import PreviewFile
from people.models import Person
from productions.models import DepartmentMetadataDescriptorLink, MetadataDescriptor, ProjectPersonLink
from tasks.models import TaskPersonLink
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

MINIMAL_PERSON_KEYS = {
    "id",
    "type",
    "first_name",
    "last_name",
    "full_name",
    "has_avatar",
    "active",
    "departments",
    "studio_id",
    "role",
    "desktop_login",
    "is_bot",
    "matched_terms",
}
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
on_other_databases = pytest.mark.skipif(connection.vendor == "postgresql", reason="the substring fallback")


@pytest.fixture
def character():
    return factories.make_asset_type("Character")


def search(person, query, **body):
    return client_for(person).post("/api/data/search", {"query": query, **body}, format="json")


def names(rows):
    return [row["name"] for row in rows]


def test_assets_shots_and_persons_are_found(show, team, character):
    preview = PreviewFile.objects.create(name="v1", extension="png")
    hero = factories.make_asset(
        show, character, name="Hero_main", description="The lead", preview_file=preview
    )
    factories.make_asset(show, character, name="Villain")
    sequence = factories.make_sequence(show, name="SQ01")
    factories.make_shot(show, sequence, name="SH010", description="hero enters")
    Person.objects.filter(pk=team["manager"].pk).update(first_name="Heroine")

    response = search(team["user"], "hero")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"persons", "assets", "shots"}
    asset = body["assets"][0]
    assert names(body["assets"]) == ["Hero_main"]
    assert asset["id"] == str(hero.pk) and asset["type"] == "Asset" and asset["project_id"] == str(show.pk)
    assert asset["project_name"] == "Show" and asset["asset_type_name"] == "Character"
    assert asset["preview_file_extension"] == "png" and asset["matched_terms"] == ["name"]
    shot = body["shots"][0]
    assert names(body["shots"]) == ["SH010"] and shot["type"] == "Shot"
    assert shot["sequence_name"] == "SQ01" and shot["project_name"] == "Show"
    assert shot["preview_file_extension"] is None and shot["matched_terms"] == ["description"]
    assert "episode" not in shot
    person = body["persons"][0]
    assert person["first_name"] == "Heroine" and set(person) == MINIMAL_PERSON_KEYS
    assert person["full_name"] == "Heroine Member" and person["matched_terms"] == ["name"]


def test_only_the_indexes_asked_for_and_nothing_below_three_characters(show, team, character):
    factories.make_asset(show, character, name="Hero")
    assert search(team["user"], "he").json() == {}
    body = search(team["user"], "hero", index_names=["assets"]).json()
    assert set(body) == {"assets"} and names(body["assets"]) == ["Hero"]
    assert search(team["user"], "hero", index_names=["unknown"]).json() == {}


def test_only_the_open_projects_of_the_team_are_searched(show, team, character):
    other = factories.make_project(name="Other")
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    ProjectPersonLink.objects.create(project=closed, person=team["user"])
    for project in (show, other, closed):
        factories.make_asset(project, character, name=f"Hero {project.name}")
    assert names(search(team["user"], "hero", limit=10).json()["assets"]) == ["Hero Show"]
    assert search(team["outsider"], "hero", limit=10).json()["assets"] == []
    assert names(search(team["admin"], "hero", limit=10).json()["assets"]) == ["Hero Other", "Hero Show"]
    # One project: of those one may see, else nothing.
    assert names(search(team["admin"], "hero", project_id=str(other.pk)).json()["assets"]) == ["Hero Other"]
    assert search(team["user"], "hero", project_id=str(other.pk)).json()["assets"] == []
    assert search(team["admin"], "hero", project_id=str(closed.pk)).json()["assets"] == []


def test_an_admin_reads_the_whole_person_and_only_active_persons_are_found(team):
    factories.make_person(first_name="Gone", last_name="Member", active=False)
    factories.make_person(first_name="Guest", last_name="Member", is_guest=True)
    body = search(team["admin"], "member", index_names=["persons"], limit=20).json()
    found = {row["first_name"] for row in body["persons"]}
    assert found == {"Manager", "Supervisor", "User", "Client", "Vendor"}
    row = body["persons"][0]
    assert row["type"] == "Person" and row["full_name"] == f"{row['first_name']} Member"
    assert "email" in row and "password" not in row and "totp_secret" not in row
    assert names_sorted(body["persons"]) == [row["full_name"] for row in body["persons"]]


def names_sorted(rows):
    return sorted(row["full_name"] for row in rows)


def test_custom_fields_and_descriptions_match(show, team, character):
    factories.make_asset(show, character, name="Prop A", data={"material": "Bronze"}, description="A statue")
    sequence = factories.make_sequence(show)
    factories.make_shot(show, sequence, name="SH020", data={"fps": "bronze", "frame_in": 1})
    body = search(team["user"], "bronze").json()
    assert names(body["assets"]) == ["Prop A"] and body["assets"][0]["matched_terms"] == ["material"]
    assert body["shots"] == []  # frame bookkeeping is not searched
    assert search(team["user"], "statue").json()["assets"][0]["matched_terms"] == ["description"]


def test_a_tv_show_shot_names_its_episode(team, character):
    tv = factories.make_project(name="TV", production_type="tvshow")
    ProjectPersonLink.objects.create(project=tv, person=team["user"])
    episode = factories.make_episode(tv, name="E01")
    sequence = factories.make_sequence(tv, episode, name="SQ01")
    factories.make_shot(tv, sequence, name="SH010")
    shot = search(team["user"], "sh010").json()["shots"][0]
    assert shot["episode"] == "E01" and shot["episode_id"] == str(episode.pk)
    # The episode's and sequence's names are part of the shot's name.
    assert names(search(team["user"], "e01 sh010").json()["shots"]) == ["SH010"]


def test_a_vendor_finds_only_what_they_work_on_without_others_fields(show, team, character):
    department = factories.make_department("Modeling")
    other_department = factories.make_department("Lighting")
    team["vendor"].departments.add(department)
    for field_name, dept in (("material", department), ("light", other_department)):
        descriptor = MetadataDescriptor.objects.create(
            project=show, entity_type="Asset", name=field_name, field_name=field_name
        )
        DepartmentMetadataDescriptorLink.objects.create(metadata_descriptor=descriptor, department=dept)
    mine = factories.make_asset(show, character, name="Hero", data={"material": "wood", "light": "warm"})
    factories.make_asset(show, character, name="Heroine")
    task = factories.make_task(mine)
    TaskPersonLink.objects.create(task=task, person=team["vendor"])
    rows = search(team["vendor"], "hero", limit=10).json()["assets"]
    assert names(rows) == ["Hero"] and rows[0]["data"] == {"material": "wood"}
    assert names(search(team["user"], "hero", limit=10).json()["assets"]) == ["Hero", "Heroine"]


def test_limit_and_offset_page_the_results(show, team, character):
    for index in range(5):
        factories.make_asset(show, character, name=f"Crate {index}")
    assert names(search(team["user"], "crate").json()["assets"]) == ["Crate 0", "Crate 1", "Crate 2"]
    assert names(search(team["user"], "crate", limit=2, offset=3).json()["assets"]) == ["Crate 3", "Crate 4"]


def test_bad_input_is_refused(team):
    for body in (
        {},
        {"query": "hero", "limit": 0},
        {"query": "hero", "offset": -1},
        {"query": "hero", "project_id": "x"},
    ):
        response = client_for(team["user"]).post("/api/data/search", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"] is True
    assert (
        client_for(team["user"])
        .post("/api/data/search", {"query": "hero", "index_names": "assets"}, format="json")
        .status_code
        == 400
    )


def test_the_search_runs_a_bounded_number_of_queries(show, team, character, django_assert_max_num_queries):
    sequence = factories.make_sequence(show, name="SQ01")

    def build(count):
        for _ in range(count):
            factories.make_asset(show, character, name=f"Barrel {factories._n()}")
            factories.make_shot(show, sequence, name=f"Barrel shot {factories._n()}")

    build(1)
    client = client_for(team["user"])
    with django_assert_max_num_queries(10) as small:
        client.post("/api/data/search", {"query": "barrel", "limit": 100}, format="json")
    baseline = len(small.captured_queries)
    build(30)
    with django_assert_max_num_queries(baseline):
        body = client.post("/api/data/search", {"query": "barrel", "limit": 100}, format="json").json()
    assert len(body["assets"]) == 31 and len(body["shots"]) == 31


@on_postgresql
def test_postgresql_matches_word_prefixes(show, team, character):
    factories.make_asset(show, character, name="Hero_main", description="brave-heart")
    assert names(search(team["user"], "her").json()["assets"]) == ["Hero_main"]
    assert names(search(team["user"], "main").json()["assets"]) == ["Hero_main"]  # "_" separates words
    assert names(search(team["user"], "hero bra").json()["assets"]) == ["Hero_main"]
    assert search(team["user"], "ero").json()["assets"] == []  # inside a word: no match
    assert search(team["user"], "hero zzz").json()["assets"] == []  # every word must match
    assert search(team["user"], "it's a & b | !c").json()["assets"] == []  # query syntax is plain text


@on_other_databases
def test_other_databases_match_substrings(show, team, character):
    factories.make_asset(show, character, name="Hero_main", description="brave-heart")
    assert names(search(team["user"], "ero").json()["assets"]) == ["Hero_main"]
    assert names(search(team["user"], "hero bra").json()["assets"]) == ["Hero_main"]
    assert search(team["user"], "hero zzz").json()["assets"] == []
    assert search(team["user"], "it's a & b | !c").json()["assets"] == []
