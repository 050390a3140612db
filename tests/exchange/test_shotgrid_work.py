"""ShotGrid push imports of the work (tasks, versions, notes) and the removals
(`/import/shotgun/remove/<kind>`)."""

import datetime

import pytest

from assets.models import Asset
from files.models import DataImportError, PreviewFile, WorkingFile
from people.models import Person
from productions.models import Project, ProjectPersonLink
from shots.models import Episode, Scene, Sequence, Shot
from tasks.models import Comment, Task, TaskStatus, TaskType
from tests import factories
from tests.exchange import shotgrid_payloads as sg
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(team):
    return client_for(team["admin"])


def push(client, kind, records):
    response = client.post(f"/api/import/shotgun/{kind}", records, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def pipeline(admin):
    """A production pushed from ShotGrid: people, steps, statuses, breakdown."""
    push(admin, "projects", [sg.project()])
    push(admin, "persons", [sg.human_user(), sg.human_user(89, email="max@studio.example")])
    push(admin, "project-connections", [sg.project_connection()])
    push(admin, "steps", [sg.step(), sg.step(13, "Model", entity_type="Asset")])
    push(admin, "status", [sg.status(), sg.status(6, "In Progress", "ip")])
    push(admin, "episodes", [sg.episode()])
    push(admin, "sequences", [sg.sequence()])
    push(admin, "scenes", [sg.scene()])
    push(admin, "assets", [sg.asset()])
    push(admin, "shots", [sg.shot(assets=[1001])])
    return Project.objects.get(shotgun_id=70)


def utc(*parts):
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def test_tasks_with_type_status_entity_and_assignees(admin, pipeline):
    rows = push(
        admin,
        "tasks",
        [
            sg.task(),
            sg.task(602, entity=("Asset", 1001), step_id=13, status_code="ip", assignees=(88, 89)),
            sg.task(603, step_id=None),  # no step: passed over
            sg.task(604, assignees=(4444,)),  # an assignee never imported: a row error
        ],
    )
    anim, model = Task.objects.get(shotgun_id=601), Task.objects.get(shotgun_id=602)
    assert [row["id"] for row in rows] == [str(anim.id), str(model.id)]
    assert rows[0]["type"] == "Task"
    rita = Person.objects.get(shotgun_id=88)
    assert (anim.name, anim.project, anim.entity, anim.task_type, anim.task_status) == (
        "Animation",
        pipeline,
        Shot.objects.get(shotgun_id=501),
        TaskType.objects.get(shotgun_id=12),
        TaskStatus.objects.get(short_name="wtg"),
    )
    assert (anim.start_date, anim.due_date, anim.sort_order, anim.duration) == (
        utc(2024, 3, 1),
        utc(2024, 3, 15),
        3,
        4800,
    )
    assert (anim.assigner, list(anim.assignees.all())) == (rita, [rita])
    assert set(model.assignees.values_list("shotgun_id", flat=True)) == {88, 89}
    assert (model.entity.shotgun_id, model.task_status.short_name) == (1001, "ip")
    [error] = DataImportError.objects.all()
    assert error.event_data["error"] == "The assignee 4444 is not imported."

    push(admin, "tasks", [sg.task(assignees=(89,), status_code="ip")])
    anim.refresh_from_db()
    assert anim.task_status.short_name == "ip"
    assert list(anim.assignees.values_list("shotgun_id", flat=True)) == [89]
    assert Task.objects.filter(project=pipeline).count() == 2


def test_a_task_made_here_first_is_adopted(admin, pipeline):
    shot = Shot.objects.get(shotgun_id=501)
    here = factories.make_task(shot, TaskType.objects.get(shotgun_id=12), name="Animation")
    assert push(admin, "tasks", [sg.task()])[0]["id"] == str(here.id)
    here.refresh_from_db()
    assert here.shotgun_id == 601
    assert Task.objects.count() == 1


def test_versions_become_preview_files_and_notes_comments(admin, pipeline):
    push(admin, "tasks", [sg.task()])
    task = Task.objects.get(shotgun_id=601)
    rows = push(
        admin, "versions", [sg.version(), sg.version(702, task_id=None), sg.version(703, "v3", movie=False)]
    )
    preview = PreviewFile.objects.get(shotgun_id=701)
    assert [row["id"] for row in rows] == [str(preview.id), str(PreviewFile.objects.get(shotgun_id=703).id)]
    assert (preview.name, preview.task, preview.person.shotgun_id, preview.source) == (
        "SH0010_anim_v001",
        task,
        88,
        "Shotgun",
    )
    assert (preview.uploaded_movie_url, preview.uploaded_movie_name) == (
        "https://sg.example/files/v001.mov",
        "v001.mov",
    )
    push(admin, "versions", [sg.version()])
    assert PreviewFile.objects.filter(shotgun_id=701).count() == 1

    rows = push(admin, "notes", [sg.note(), sg.note(802, task_id=None), sg.note(803, task_id=99999)])
    comment = Comment.objects.get(shotgun_id=801)
    assert [row["id"] for row in rows] == [str(comment.id)]
    assert (
        comment.text,
        comment.object_id,
        comment.object_type,
        comment.person.shotgun_id,
        comment.created_at,
    ) == (
        "Faster ears, please",
        task.id,
        "Task",
        88,
        utc(2024, 3, 2, 14, 30),
    )
    push(admin, "notes", [sg.note(content="Even faster")])
    comment.refresh_from_db()
    assert comment.text == "Even faster"
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "kind, record, message",
    [
        (
            "tasks",
            {**sg.task(), "start_date": "March 1st"},
            'the field "start_date" must be an ISO date or null.',
        ),
        ("tasks", {**sg.task(), "duration": "long"}, 'the field "duration" must be a number or null.'),
        (
            "versions",
            {**sg.version(), "sg_uploaded_movie": {"url": 3}},
            'the field "sg_uploaded_movie" must be',
        ),
        ("notes", {**sg.note(), "tasks": None}, 'the field "tasks" must be a list of an object with "id"s.'),
    ],
)
def test_a_malformed_work_push_writes_nothing(admin, pipeline, kind, record, message):
    response = admin.post(f"/api/import/shotgun/{kind}", [record], format="json")
    assert response.status_code == 400
    assert response.json()["message"].startswith(f"Record 0: {message}")
    assert not Task.objects.exists() and not PreviewFile.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize("kind", ["tasks", "versions", "notes"])
def test_only_admins_import_the_work(team, kind):
    for role in ("manager", "supervisor", "user", "client", "vendor", "outsider"):
        assert (
            client_for(team[role]).post(f"/api/import/shotgun/{kind}", [], format="json").status_code == 403
        )


# --- removals ---------------------------------------------------------------------------------


def remove(client, kind, shotgun_id):
    return client.post(f"/api/import/shotgun/remove/{kind}", {"id": shotgun_id}, format="json")


def test_removals_take_the_row_of_the_shotgun_id(admin, pipeline):
    push(admin, "tasks", [sg.task()])
    push(admin, "versions", [sg.version()])
    push(admin, "notes", [sg.note()])
    for kind, model, shotgun_id in (
        ("note", Comment, 801),
        ("version", PreviewFile, 701),
        ("task", Task, 601),
        ("shot", Shot, 501),
        ("scene", Scene, 401),
        ("sequence", Sequence, 301),
        ("episode", Episode, 201),
        ("asset", Asset, 1001),
        ("step", TaskType, 12),
        ("status", TaskStatus, 5),
    ):
        row = model.objects.get(shotgun_id=shotgun_id)
        response = remove(admin, kind, shotgun_id)
        assert response.status_code == 200, kind
        assert response.json() == {"removed_instance_id": str(row.id), "success": True}, kind
        assert not model.objects.filter(pk=row.pk).exists(), kind
        # Gone already: a success, with no id.
        assert remove(admin, kind, shotgun_id).json() == {"success": True}, kind


def test_a_removal_refused_by_what_holds_the_row_keeps_it(admin, pipeline):
    push(admin, "tasks", [sg.task()])
    shot = Shot.objects.get(shotgun_id=501)
    response = remove(admin, "shot", 501)  # its task holds it
    assert response.json() == {"removed_instance_id": str(shot.id), "success": False}
    assert Shot.objects.filter(pk=shot.pk).exists()
    push(admin, "notes", [sg.note()])
    task = Task.objects.get(shotgun_id=601)
    assert remove(admin, "task", 601).json() == {"removed_instance_id": str(task.id), "success": False}
    assert Task.objects.filter(pk=task.pk).exists()


def test_an_asset_with_working_files_is_canceled(admin, pipeline):
    push(admin, "tasks", [sg.task(602, entity=("Asset", 1001), step_id=13)])
    asset = Asset.objects.get(shotgun_id=1001)
    task = Task.objects.get(shotgun_id=602)
    WorkingFile.objects.create(name="bunny", task=task, entity=asset, revision=1)
    assert remove(admin, "asset", 1001).json() == {"removed_instance_id": str(asset.id), "success": True}
    asset.refresh_from_db()
    assert asset.canceled is True


def test_project_person_and_connection_removals(admin, pipeline):
    rita = Person.objects.get(shotgun_id=88)
    for route in ("project-connection", "projectconnection"):
        push(admin, "project-connections", [sg.project_connection()])
        assert remove(admin, route, 901).json() == {"success": True}
        assert not ProjectPersonLink.objects.filter(project=pipeline, person=rita).exists()
    max_ = Person.objects.get(shotgun_id=89)
    assert remove(admin, "person", 89).json() == {"removed_instance_id": str(max_.id), "success": True}
    assert not Person.objects.filter(pk=max_.pk).exists()
    # The production still holds its entities: refused, kept.
    assert remove(admin, "project", 70).json() == {"removed_instance_id": str(pipeline.id), "success": False}
    empty = push(admin, "projects", [sg.project(71, "Empty")])[0]
    assert remove(admin, "project", 71).json() == {"removed_instance_id": empty["id"], "success": True}
    assert not Project.objects.filter(pk=empty["id"]).exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ([{"id": 5}], "A ShotGrid record is expected."),
        ({}, 'The field "id" is missing.'),
        ({"id": "5"}, 'The field "id" must be an integer.'),
    ],
)
def test_a_malformed_removal_is_a_400(admin, pipeline, body, message):
    response = admin.post("/api/import/shotgun/remove/status", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"error": True, "message": message}
    assert TaskStatus.objects.filter(shotgun_id=5).exists()


@pytest.mark.parametrize(
    "kind", ["project", "person", "shot", "asset", "task", "status", "project-connection"]
)
def test_only_admins_remove(team, pipeline, kind):
    for role in ("manager", "supervisor", "user", "client", "vendor", "outsider"):
        assert remove(client_for(team[role]), kind, 70).status_code == 403
    assert Project.objects.filter(shotgun_id=70).exists()
