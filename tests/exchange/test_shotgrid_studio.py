"""ShotGrid push imports of the studio's records (projects, people, steps, statuses, project
connections) and the import errors list: admins only, matched by ShotGrid id so that a second
push changes nothing, a malformed push a 400 with nothing written, each push a job."""

import pytest

from files.models import DataImportError
from kitsu_server.core.models import Job
from people.models import Department, Person
from productions.models import Project, ProjectPersonLink, ProjectStatus
from tasks.models import TaskStatus, TaskType
from tests import factories
from tests.exchange import shotgrid_payloads as sg
from tests.factories import client_for

pytestmark = pytest.mark.django_db

REFUSED = ("manager", "supervisor", "user", "client", "vendor", "outsider")


@pytest.fixture
def admin(team):
    return client_for(team["admin"])


def push(client, kind, records):
    return client.post(f"/api/import/shotgun/{kind}", records, format="json")


def test_projects_are_created_then_matched_by_shotgun_id(admin):
    response = push(admin, "projects", [sg.project()])
    assert response.status_code == 200
    [row] = response.json()
    project = Project.objects.get(shotgun_id=70)
    assert row["id"] == str(project.id)
    assert row["name"] == "Big Buck Bunny"
    assert row["type"] == "Project"
    assert project.project_status == ProjectStatus.objects.get(name="Active")
    assert project.data == {"sg_description": "An open movie"}  # the studio's own fields, empty ones left out

    renamed = push(admin, "projects", [sg.project(name="Big Buck Bunny 2", status="Closed")])
    assert renamed.status_code == 200
    assert renamed.json()[0]["id"] == str(project.id)
    assert Project.objects.filter(shotgun_id=70).count() == 1
    project.refresh_from_db()
    assert (project.name, project.project_status.name) == ("Big Buck Bunny 2", "Closed")


def test_a_push_is_a_job_with_its_counts(admin, team):
    push(admin, "projects", [sg.project(), sg.project(shotgun_id=71, name="Sintel")])
    push(admin, "projects", [sg.project()])
    jobs = list(Job.objects.filter(name="shotgrid.import").order_by("created_at"))
    assert [(job.state, job.progress_done, job.progress_total) for job in jobs] == [
        ("succeeded", 2, 2),
        ("succeeded", 1, 1),
    ]
    assert {key: jobs[0].result[key] for key in ("created", "updated", "skipped")} == {
        "created": 2,
        "updated": 0,
        "skipped": 0,
    }
    assert jobs[1].result["updated"] == 1
    assert jobs[0].created_by == team["admin"]
    listed = admin.get(f"/api/data/jobs/{jobs[0].id}")
    assert listed.status_code == 200
    assert listed.json()["state"] == "succeeded"


def test_persons_take_role_status_and_department(admin):
    records = [
        sg.human_user(),
        sg.human_user(shotgun_id=89, email="max@studio.example", group="Manager", sg_status_list="dis"),
        sg.human_user(shotgun_id=90, email="changeme@email.com", group="Admin"),
    ]
    response = push(admin, "persons", records)
    assert response.status_code == 200
    rows = response.json()
    assert [row["email"] for row in rows] == ["rita@studio.example", "max@studio.example"]
    rita = Person.objects.get(shotgun_id=88)
    assert (rita.first_name, rita.last_name, rita.desktop_login, rita.role, rita.active) == (
        "Rita",
        "Moreno",
        "rmoreno",
        "user",
        True,
    )
    assert not rita.has_usable_password()
    assert list(rita.departments.values_list("name", flat=True)) == ["Animation"]
    max_ = Person.objects.get(shotgun_id=89)
    assert (max_.role, max_.active) == ("manager", False)
    # The placeholder user is no person: left out, the reason kept in the errors list.
    assert not Person.objects.filter(email="changeme@email.com").exists()
    [error] = DataImportError.objects.filter(source="shotgun")
    assert error.event_data["shotgun_id"] == 90
    assert error.event_data["error"] == "This entry is not a real person."


def test_a_person_here_is_matched_by_email_and_keeps_their_fields(admin):
    here = factories.make_person(email="Rita@Studio.example", first_name="Rita H.", role="supervisor")
    response = push(admin, "persons", [sg.human_user(department="Lighting")])
    assert response.status_code == 200
    assert response.json()[0]["id"] == str(here.id)
    here.refresh_from_db()
    assert (here.first_name, here.role, here.shotgun_id) == ("Rita H.", "supervisor", 88)
    assert list(here.departments.values_list("name", flat=True)) == ["Lighting"]
    push(admin, "persons", [sg.human_user(department="Animation")])
    assert list(here.departments.values_list("name", flat=True)) == ["Animation"]
    assert Person.objects.filter(email__iexact="rita@studio.example").count() == 1


def test_steps_become_task_types_in_the_department_of_their_first_word(admin):
    response = push(admin, "steps", [sg.step(code="Anim Layout", color="255,128,0")])
    assert response.status_code == 200
    [row] = response.json()
    task_type = TaskType.objects.get(shotgun_id=12)
    assert row["id"] == str(task_type.id)
    assert (task_type.name, task_type.short_name, task_type.color, task_type.for_entity) == (
        "Anim Layout",
        "ANM",
        "#ff8000",
        "Shot",
    )
    assert task_type.department == Department.objects.get(name="Anim")
    assert task_type.department.color == "#ff8000"


def test_a_step_named_as_a_task_type_here_updates_it_and_keeps_its_name(admin):
    existing = factories.make_task_type(name="Modeling", for_entity="Asset")
    response = push(admin, "steps", [sg.step(shotgun_id=13, code="MODELING", entity_type="Asset")])
    assert response.json()[0]["id"] == str(existing.id)
    existing.refresh_from_db()
    assert (existing.name, existing.shotgun_id) == ("Modeling", 13)
    assert TaskType.objects.filter(name__iexact="modeling").count() == 1


def test_statuses_are_matched_by_shotgun_id_then_short_name(admin):
    here = factories.make_task_status(name="Work in progress", short_name="ip")
    response = push(
        admin, "status", [sg.status(), sg.status(shotgun_id=6, name="In Progress", code="ip", bg_color=None)]
    )
    assert response.status_code == 200
    wtg = TaskStatus.objects.get(shotgun_id=5)
    assert [row["id"] for row in response.json()] == [str(wtg.id), str(here.id)]
    assert (wtg.name, wtg.short_name, wtg.color) == ("Waiting to Start", "wtg", "#808080")
    here.refresh_from_db()
    assert (here.name, here.shotgun_id, here.color) == ("In Progress", 6, "#000000")
    push(admin, "status", [sg.status()])
    assert TaskStatus.objects.filter(short_name="wtg").count() == 1


@pytest.mark.parametrize("route", ["project-connections", "projectconnections"])
def test_project_connections_put_people_in_teams(admin, route):
    push(admin, "projects", [sg.project()])
    push(admin, "persons", [sg.human_user()])
    response = push(admin, route, [sg.project_connection(), sg.project_connection(shotgun_id=902, user=999)])
    assert response.status_code == 200
    project = Project.objects.get(shotgun_id=70)
    assert [row["id"] for row in response.json()] == [str(project.id)]
    link = ProjectPersonLink.objects.get(project=project)
    assert (link.person.shotgun_id, link.shotgun_id) == (88, 901)
    again = push(admin, route, [sg.project_connection()])
    assert again.json()[0]["id"] == str(project.id)
    assert ProjectPersonLink.objects.filter(project=project).count() == 1
    [error] = DataImportError.objects.all()
    assert error.event_data["error"] == "The person of this connection is not imported."


@pytest.mark.parametrize(
    "kind, records, message",
    [
        ("projects", {"id": 70}, "A list of ShotGrid records is expected."),
        ("projects", [sg.project(), "nope"], "Record 1: a JSON object is expected."),
        ("projects", [{"id": 70, "sg_status": None}], 'Record 0: the field "name" is missing.'),
        ("projects", [sg.project(shotgun_id="70")], 'Record 0: the field "id" must be an integer.'),
        ("projects", [sg.project(shotgun_id=2**40)], 'Record 0: the field "id" must be an integer.'),
        (
            "projects",
            [sg.project(name="x" * 81)],
            'Record 0: the field "name" must be a string of at most 80 characters.',
        ),
        (
            "persons",
            [sg.human_user(email=None)],
            'Record 0: the field "email" must be a string of at most 254 characters.',
        ),
        (
            "steps",
            [sg.step(color="red")],
            'Record 0: the field "color" must be a color "red,green,blue" or null.',
        ),
        (
            "status",
            [sg.status(code="waiting-too-long")],
            'Record 0: the field "code" must be a string of at most 10 characters.',
        ),
        (
            "project-connections",
            [sg.project_connection(), {"id": 3, "project": None, "user": sg.link("HumanUser", 1)}],
            'Record 1: the field "project" must be an object with "id".',
        ),
    ],
)
def test_a_malformed_push_is_a_400_naming_the_record_and_writes_nothing(admin, kind, records, message):
    projects_before = Project.objects.count()
    response = push(admin, kind, records)
    assert response.status_code == 400
    assert response.json() == {"error": True, "message": message}
    assert Project.objects.count() == projects_before
    assert not Person.objects.filter(shotgun_id__isnull=False).exists()
    assert not Job.objects.exists()
    assert not DataImportError.objects.exists()


@pytest.mark.parametrize("route", ["projects", "persons", "steps", "status", "project-connections", "errors"])
def test_only_admins_import(team, route):
    for role in REFUSED:
        response = push(client_for(team[role]), route, [sg.project()])
        assert response.status_code == 403, role
    assert not Project.objects.filter(shotgun_id=70).exists()
    assert not DataImportError.objects.exists()
    assert client_for(team["manager"]).get("/api/import/shotgun/errors").status_code == 403
    assert push(factories.APIClient(), route, []).status_code == 401


def test_the_import_errors_list(admin, team):
    posted = admin.post(
        "/api/import/shotgun/errors", {"event": "Shotgun_Shot_Change", "id": 55}, format="json"
    )
    assert posted.status_code == 201
    body = posted.json()
    assert body["event_data"] == {"event": "Shotgun_Shot_Change", "id": 55}
    assert (body["source"], body["type"]) == ("shotgun", "DataImportError")
    DataImportError.objects.create(source="csv", event_data={"line": 3})
    listed = admin.get("/api/import/shotgun/errors")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [body["id"]]

    deleted = admin.delete(f"/api/import/shotgun/errors/{body['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert not DataImportError.objects.filter(source="shotgun").exists()
    assert admin.delete(f"/api/import/shotgun/errors/{body['id']}").status_code == 404
    assert admin.delete("/api/import/shotgun/errors/not-an-id").status_code == 404
    other = DataImportError.objects.get(source="csv")
    assert admin.delete(f"/api/import/shotgun/errors/{other.id}").status_code == 404
    assert client_for(team["manager"]).delete(f"/api/import/shotgun/errors/{other.id}").status_code == 403


@pytest.mark.parametrize("errors", [1, 40])
def test_the_errors_list_reads_in_a_bounded_number_of_queries(admin, errors, django_assert_max_num_queries):
    DataImportError.objects.bulk_create(
        DataImportError(source="shotgun", event_data={"n": n}) for n in range(errors)
    )
    with django_assert_max_num_queries(4):  # the person, the list
        response = admin.get("/api/import/shotgun/errors")
    assert response.status_code == 200
    assert sorted(row["event_data"]["n"] for row in response.json()) == list(range(errors))
