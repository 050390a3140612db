"""The casting, persons and estimations CSV imports: the reference's casting export into a copy of
its production, persons as the persons export writes them (labels or codes), estimations per task
type (and per episode), the same file twice, dry runs, bad files (400, nothing written), roles."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import EntityLink
from people.models import Department, DepartmentLink, Person, Studio
from tasks.models import ApiEvent, Task
from tests import factories
from tests.exchange.conftest import STAMP, empty_show, reference_file, statuses


def upload(client, path, content, query=""):
    if isinstance(content, str):
        content = content.encode()
    file = SimpleUploadedFile("file.csv", content, content_type="text/csv")
    return client.post(f"/api/import/csv/{path}{query}", {"file": file}, format="multipart")


@pytest.fixture
def copy(db, admin_person):
    """A copy of the reference production made from its shots and assets exports."""
    project = empty_show("Copie")
    statuses()
    factories.make_person(first_name="Zoé", last_name=f"Lefèvre {STAMP}", email=f"zoe.{STAMP}@example.com")
    client = factories.client_for(admin_person)
    assert upload(client, f"projects/{project.pk}/shots", reference_file("shots.csv")).status_code == 201
    assert upload(client, f"projects/{project.pk}/assets", reference_file("assets.csv")).status_code == 201
    return project


# --- casting ---------------------------------------------------------------------------------


def test_the_reference_casting_export_imports_unchanged(copy, admin_person):
    client = factories.client_for(admin_person)
    path = f"projects/{copy.pk}/casting"
    plan = upload(client, path, reference_file("casting_shots.csv"), "?dry_run=true").json()
    assert plan["summary"] == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert not EntityLink.objects.exists()
    response = upload(client, path, reference_file("casting_shots.csv"))
    assert response.status_code == 201
    assert response.json() == [None, None, None]  # as the reference answers
    # (the casting service also casts the assets in the shots' episode, as the breakdown does)
    shot_links = EntityLink.objects.filter(entity_in__entity_type__name="Shot")
    links = set(shot_links.values_list("entity_in__name", "entity_out__name", "nb_occurences", "label"))
    assert links == {
        ("SH010", 'Héros "Bob"', 2, "animate"),
        ("SH010", "Table; ronde", 1, ""),
        ("SH030 ç", 'Héros "Bob"', 1, ""),
    }
    events = ApiEvent.objects.count()
    assert upload(client, path, reference_file("casting_shots.csv")).status_code == 201
    assert ApiEvent.objects.count() == events
    # our export of it is the reference's file again
    exported = client.get(f"/api/export/csv/projects/{copy.pk}/casting.csv?is_shot_casting=true")
    assert b"".join(exported.streaming_content) == reference_file("casting_shots.csv")


def test_casting_counts_update_and_assets_in_assets(copy, admin_person):
    client = factories.client_for(admin_person)
    path = f"projects/{copy.pk}/casting"
    upload(client, path, reference_file("casting_shots.csv"))
    header = "Episode;Parent;Name;Asset Type;Asset;Occurences;Label\n"
    content = header + 'E01;SQ01;SH010;Character;Héros "Bob";5;animate\n'
    plan = upload(client, path, content, "?dry_run=true").json()
    assert plan["rows"][0]["changes"] == {"nb_occurences": [2, 5]}
    upload(client, path, content)
    assert EntityLink.objects.get(entity_in__name="SH010", entity_out__name='Héros "Bob"').nb_occurences == 5
    content = 'Episode;Parent;Name;Asset Type;Asset;Occurences;Label\n;Character;Héros "Bob";Prop;Chaise;;\n'
    assert upload(client, path, content).status_code == 201
    assert EntityLink.objects.filter(
        entity_in__name='Héros "Bob"', entity_out__name="Chaise", nb_occurences=1
    ).exists()


@pytest.mark.parametrize(
    "content,column",
    [
        ("Parent;Name;Asset Type;Asset;Occurences;Label\nSQ01;SH010;Prop;Nothing;1;\n", "Asset"),
        ("Episode;Parent;Name;Asset Type;Asset;Occurences;Label\nE01;SQ01;SH999;Prop;Chaise;1;\n", "Name"),
        (
            "Episode;Parent;Name;Asset Type;Asset;Occurences;Label\nE01;SQ01;SH010;Prop;Chaise;two;\n",
            "Occurences",
        ),
        ("Parent;Name;Asset\nSQ01;SH010;Chaise\n", "Asset Type"),
    ],
)
def test_bad_casting_files(copy, admin_person, content, column):
    response = upload(factories.client_for(admin_person), f"projects/{copy.pk}/casting", content)
    assert response.status_code == 400
    assert response.json()["column"] == column
    assert not EntityLink.objects.exists()


@pytest.mark.parametrize(
    "role,expected",
    [("manager", 201), ("supervisor", 403), ("client", 403), ("vendor", 403), ("outsider", 403)],
)
def test_who_may_import_casting(copy, role, expected):
    team = factories.make_team(copy, password=None)
    content = "Episode;Parent;Name;Asset Type;Asset;Occurences;Label\nE01;SQ01;SH010;Prop;Chaise;1;\n"
    assert (
        upload(factories.client_for(team[role]), f"projects/{copy.pk}/casting", content).status_code
        == expected
    )


# --- persons ---------------------------------------------------------------------------------

PERSONS = (
    "First Name;Last Name;Email;Phone;Role;Departments;Studio;Country;Contract Type;Position;Seniority;"
    "Daily Salary;Active\n"
    "Zoé;Lefèvre;zoe@example.com;+33 1;Production Manager;Animation,Rigging;Studio Ü;fr;Freelance;lead;"
    "Senior;300;yes\n"
    'Ali;"B; C";ali@example.com;;user;;;;;;;;no\n'
)


@pytest.fixture
def studio(db):
    for name in ("Animation", "Rigging"):
        Department.objects.create(name=name, color="#000000")
    return Studio.objects.create(name="Studio Ü", color="#000000")


def test_persons_import_labels_or_codes_and_twice(studio, admin_person):
    client = factories.client_for(admin_person)
    response = upload(client, "persons", PERSONS)
    assert response.status_code == 201, response.json()
    assert [row["email"] for row in response.json()] == ["zoe@example.com", "ali@example.com"]
    assert "password" not in response.json()[0]
    zoe = Person.objects.get(email="zoe@example.com")
    values = (
        zoe.role,
        zoe.contract_type,
        zoe.position,
        zoe.seniority,
        zoe.country,
        zoe.daily_salary,
        zoe.studio,
    )
    assert values == ("manager", "freelance", "lead", "senior", "FR", 300, studio)
    names = set(DepartmentLink.objects.filter(person=zoe).values_list("department__name", flat=True))
    assert names == {"Animation", "Rigging"}
    assert Person.objects.get(email="ali@example.com").active is False
    count, events = Person.objects.count(), ApiEvent.objects.count()
    for query in ("", "?update=true"):
        assert upload(client, "persons", PERSONS, query).status_code == 201
    assert (Person.objects.count(), ApiEvent.objects.count()) == (count, events)
    changed = PERSONS.replace("Zoé;Lefèvre;", "Zoé;Martin;").replace("zoe@", "ZOE@")
    plan = upload(client, "persons", changed, "?update=true&dry_run=true").json()
    assert plan["rows"][0]["changes"] == {"last_name": ["Lefèvre", "Martin"]}
    upload(client, "persons", changed, "?update=true")
    assert Person.objects.get(email="zoe@example.com").last_name == "Martin"


def test_our_persons_export_imports_back(studio, admin_person):
    client = factories.client_for(admin_person)
    upload(client, "persons", PERSONS)
    exported = b"".join(client.get("/api/export/csv/persons.csv").streaming_content)
    count = Person.objects.count()
    plan = upload(client, "persons", exported, "?update=true&dry_run=true").json()
    assert plan["summary"] == {"create": 0, "update": 0, "unchanged": count, "error": 0}


@pytest.mark.parametrize(
    "cells,column",
    [
        ("A;B;not-an-email;;;;;;;;;;", "Email"),
        ("A;B;a@example.com;;Boss;;;;;;;;", "Role"),
        ("A;B;a@example.com;;;Nowhere;;;;;;;", "Departments"),
        ("A;B;a@example.com;;;;Nope;;;;;;", "Studio"),
        ("A;B;a@example.com;;;;;France;;;;;", "Country"),
        ("A;B;a@example.com;;;;;;;;;lots;", "Daily Salary"),
    ],
)
def test_bad_persons_files(studio, admin_person, cells, column):
    count = Person.objects.count()
    response = upload(
        factories.client_for(admin_person), "persons", PERSONS.splitlines()[0] + "\n" + cells + "\n"
    )
    assert response.status_code == 400
    assert (response.json()["line_number"], response.json()["column"]) == (2, column)
    assert Person.objects.count() == count


@pytest.mark.parametrize("role", ["manager", "supervisor", "user", "client", "vendor"])
def test_persons_import_is_for_admins(studio, role):
    response = upload(
        factories.client_for(factories.make_person(role=role, password=None)), "persons", PERSONS
    )
    assert response.status_code == 403
    assert not Person.objects.filter(email="zoe@example.com").exists()


# --- estimations -----------------------------------------------------------------------------


def test_estimations_per_task_type_and_episode(copy, admin_person):
    client = factories.client_for(admin_person)
    layout = Task.objects.get(entity__name="SH010", task_type__name="Layout")
    path = f"projects/{copy.pk}/task-types/{layout.task_type_id}/estimations"
    content = "Parent;Entity;Estimation;Start date;Difficulty\nSQ01;SH010;2;2026-12-04;4\nSQ02 à;SH030 ç;;;\n"
    plan = upload(client, path, content, "?dry_run=true").json()
    assert plan["summary"] == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    response = upload(client, path, content)
    assert response.status_code == 201
    assert response.json() == [None, None]
    layout.refresh_from_db()
    assert (layout.estimation, layout.difficulty) == (960, 4)  # 2 days of 8 hours
    assert layout.due_date.date() == datetime.date(2026, 12, 7)  # a Friday and the next business day
    episode = layout.entity.parent.parent
    path = f"projects/{copy.pk}/episodes/{episode.pk}/task-types/{layout.task_type_id}/estimations"
    assert upload(client, path, "Parent;Entity;Drawings\nSQ01;SH010;12\n").status_code == 201
    layout.refresh_from_db()
    assert layout.nb_drawings == 12


def test_bad_estimations(copy, admin_person):
    client = factories.client_for(admin_person)
    layout = Task.objects.get(entity__name="SH010", task_type__name="Layout")
    path = f"projects/{copy.pk}/task-types/{layout.task_type_id}/estimations"
    response = upload(client, path, "Parent;Entity;Estimation\nSQ01;SH010;1\nSQ01;Nope;2\n")
    assert response.status_code == 400
    assert response.json()["message"] == "Line 3, column Entity: Entity 'Nope' with parent 'SQ01' not found"
    layout.refresh_from_db()
    assert layout.estimation == 0
    unknown = "6ec5aa3c-5ec5-4e08-9a1b-3b3a7f8d2c11"
    assert upload(client, f"projects/{copy.pk}/task-types/{unknown}/estimations", "a\n").status_code == 404
    path = f"projects/{copy.pk}/episodes/{unknown}/task-types/{layout.task_type_id}/estimations"
    assert upload(client, path, "a\n").status_code == 404


@pytest.mark.parametrize(
    "role,expected", [("manager", 201), ("user", 403), ("client", 403), ("vendor", 403), ("outsider", 403)]
)
def test_who_may_import_estimations(copy, role, expected):
    team = factories.make_team(copy, password=None)
    layout = Task.objects.get(entity__name="SH010", task_type__name="Layout")
    path = f"projects/{copy.pk}/task-types/{layout.task_type_id}/estimations"
    assert (
        upload(factories.client_for(team[role]), path, "Parent;Entity;Drawings\nSQ01;SH010;3\n").status_code
        == expected
    )
