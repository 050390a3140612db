"""Working files of a task: new revisions, the task's list and last revisions, an entity's list, a
file by id, comment and modification date; who may, 404s and bad input."""

import pytest

from files.models import FileStatus, OutputFile, WorkingFile
from people.models import DepartmentLink, Software
from tasks.models import ApiEvent, TaskPersonLink
from tests import factories

pytestmark = pytest.mark.django_db
UNKNOWN_ID = "7e2f2a9e-7514-4dc2-a6bc-01806ec74b9e"


def url(path):
    return f"/api{path}"


def put(client, path, body):
    return client.put(url(path), body, format="json")


def get(client, path, params=None):
    return client.get(url(path), params)


def new_file(client, task, **body):
    return client.post(
        url(f"/data/tasks/{task.pk}/working-files/new"), {"name": "main", **body}, format="json"
    )


@pytest.fixture
def clients(default_world):
    return {role: factories.client_for(person) for role, person in default_world.team.items()}


# --- new revisions -----------------------------------------------------------------------------


def test_new_working_files_take_the_next_revision_and_the_tree_path(default_world, clients):
    world = default_world
    first = new_file(clients["user"], world.asset_task, comment="first")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["revision"] == 1 and body["comment"] == "first" and body["type"] == "WorkingFile"
    assert body["path"] == (
        "/simple/productions/wf_oracle_a1/assets/props_a1/magic_cup/modeling_a1/wf_oracle_a1_props_a1_magic_cup_modeling_a1"
    )
    assert body["task_id"] == str(world.asset_task.pk) and body["entity_id"] == str(world.asset.pk)
    assert body["person_id"] == str(world.team["user"].pk)
    # No software named: the reference's default, Blender, made once.
    assert body["software_id"] == str(Software.objects.get(name="Blender").pk)
    second = new_file(clients["user"], world.asset_task, sep="\\").json()
    assert second["revision"] == 2
    # The folder keeps the server's separator, the file name is joined with the one asked.
    assert second["path"].endswith("magic_cup/modeling_a1\\wf_oracle_a1_props_a1_magic_cup_modeling_a1")
    other = new_file(clients["user"], world.asset_task, name="other").json()
    assert other["revision"] == 1
    assert ("working-file:new", {"working_file_id": body["id"]}) in factories.recorded_events(
        "working-file:new"
    )


def test_the_author_becomes_an_assignee(default_world, clients):
    world = default_world
    new_file(clients["supervisor"], world.shot_task)
    assert TaskPersonLink.objects.filter(task=world.shot_task, person=world.team["supervisor"]).exists()
    assert factories.recorded_events("task:assign") == [
        ("task:assign", {"task_id": str(world.shot_task.pk), "person_id": str(world.team["supervisor"].pk)})
    ]


def test_a_revision_taken_is_a_400_and_nothing_is_written(default_world, clients):
    world = default_world
    new_file(clients["admin"], world.asset_task)
    response = new_file(clients["admin"], world.asset_task, revision=1)
    assert response.status_code == 400
    assert response.json() == {"error": True, "message": "The given working file already exists."}
    assert WorkingFile.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": None},
        {"name": "main", "revision": "three"},
        {"name": "x" * 251},
        {"name": "main", "software_id": "not-an-id"},
        {"name": "main", "person_id": "5b3c7b3a-1c1e-4f8e-9d5e-0a0a0a0a0a0a"},
        {"name": "main", "mode": "nope"},
    ],
)
def test_bad_new_working_file_bodies(default_world, clients, body):
    response = clients["admin"].post(
        url(f"/data/tasks/{default_world.asset_task.pk}/working-files/new"), body, format="json"
    )
    assert response.status_code in (400, 404), response.content
    assert response.json()["error"] is True
    assert not WorkingFile.objects.exists()


def test_new_working_file_for_another_person_with_a_software(default_world, clients):
    world = default_world
    software = Software.objects.create(name="Houdini", short_name="hou", file_extension=".hip")
    body = {"person_id": str(world.team["user"].pk), "software_id": str(software.pk), "revision": 7}
    response = new_file(clients["manager"], world.asset_task, **body)
    assert response.status_code == 201
    assert response.json()["person_id"] == str(world.team["user"].pk)
    assert response.json()["software_id"] == str(software.pk)
    assert response.json()["revision"] == 7


@pytest.mark.parametrize("role", ["outsider", "vendor"])
def test_new_working_file_is_refused_outside_the_task(default_world, clients, role):
    response = new_file(clients[role], default_world.asset_task)
    assert response.status_code == 403
    assert not WorkingFile.objects.exists()


def test_a_vendor_works_on_their_entities(default_world, clients):
    world = default_world
    factories.assign(world.asset_task, world.team["vendor"])
    assert new_file(clients["vendor"], world.asset_task).status_code == 201
    assert new_file(clients["client"], world.asset_task).status_code == 201


def test_unknown_task_is_a_404(default_world, clients):
    for path in ("working-files/new", "working-file-path"):
        response = clients["admin"].post(
            url(f"/data/tasks/{UNKNOWN_ID}/{path}"), {"name": "x"}, format="json"
        )
        assert response.status_code == 404
    for path in ("working-files", "working-files/last-revisions"):
        assert get(clients["admin"], f"/data/tasks/not-an-id/{path}").status_code == 404


# --- lists ---------------------------------------------------------------------------------------


@pytest.fixture
def revisions(default_world, clients):
    """main v1, v2, v3 and other v1 on the asset task, one file on the shot task."""
    world = default_world
    for _ in range(3):
        new_file(clients["admin"], world.asset_task)
    new_file(clients["admin"], world.asset_task, name="other")
    new_file(clients["admin"], world.shot_task)
    return WorkingFile.objects.all()


def test_task_working_files_highest_revision_first(default_world, clients, revisions):
    response = get(clients["user"], f"/data/tasks/{default_world.asset_task.pk}/working-files")
    assert response.status_code == 200
    rows = response.json()
    assert sorted((row["name"], row["revision"]) for row in rows) == [
        ("main", 1),
        ("main", 2),
        ("main", 3),
        ("other", 1),
    ]
    assert [row["revision"] for row in rows] == sorted((row["revision"] for row in rows), reverse=True)


def test_last_working_files_by_name(default_world, clients, revisions):
    response = clients["client"].get(
        url(f"/data/tasks/{default_world.asset_task.pk}/working-files/last-revisions")
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"main", "other"}
    assert body["main"]["revision"] == 3 and body["other"]["revision"] == 1
    assert body["main"]["id"] == str(WorkingFile.objects.get(name="main", revision=3).pk)


def test_entity_working_files_filters_and_relations(default_world, clients, revisions):
    world = default_world
    base = url(f"/data/entities/{world.asset.pk}/working-files")
    rows = clients["vendor"].get(base).json()  # a vendor of the production: the reference lets them
    assert len(rows) == 4 and "outputs" not in rows[0]
    assert [row["revision"] for row in clients["user"].get(base, {"name": "main"}).json()] == [3, 2, 1]
    rows = clients["user"].get(base, {"task_id": str(world.shot_task.pk)}).json()
    assert rows == []
    rows = clients["user"].get(base, {"relations": "true", "name": "other"}).json()
    assert rows[0]["outputs"] == []
    assert clients["user"].get(base, {"task_id": "nope"}).status_code == 400
    assert clients["outsider"].get(base).status_code == 403
    assert get(clients["admin"], "/data/entities/nope/working-files").status_code == 404


@pytest.mark.parametrize("role", ["outsider", "vendor"])
def test_task_lists_are_refused_outside_the_task(default_world, clients, revisions, role):
    for path in ("working-files", "working-files/last-revisions"):
        assert get(clients[role], f"/data/tasks/{default_world.asset_task.pk}/{path}").status_code == 403


def test_lists_are_bounded(default_world, clients, django_assert_max_num_queries):
    world = default_world
    task_id = world.asset_task.pk
    for n in range(30):
        WorkingFile.objects.create(
            name=f"file {n % 5}", revision=n, task=world.asset_task, entity=world.asset
        )
    with django_assert_max_num_queries(8):
        assert len(get(clients["user"], f"/data/tasks/{task_id}/working-files").json()) == 30
    with django_assert_max_num_queries(8):
        assert len(get(clients["user"], f"/data/tasks/{task_id}/working-files/last-revisions").json()) == 5
    with django_assert_max_num_queries(9):
        rows = get(clients["user"], f"/data/entities/{world.asset.pk}/working-files?relations=true").json()
        assert len(rows) == 30


# --- a file by id ----------------------------------------------------------------------------------


def test_file_by_id_working_or_output(default_world, clients, revisions):
    world = default_world
    working_file = WorkingFile.objects.filter(task=world.asset_task).first()
    response = get(clients["vendor"], f"/data/files/{working_file.pk}")
    assert response.status_code == 200  # project access is the rule, as on the reference
    assert response.json()["id"] == str(working_file.pk) and response.json()["outputs"] == []
    output_file = OutputFile.objects.create(
        name="main",
        revision=1,
        entity=world.asset,
        output_type=world.output_type,
        task_type=world.modeling,
        file_status=factories.make_row(FileStatus),
        source_file=working_file,
    )
    response = get(clients["client"], f"/data/files/{output_file.pk}")
    assert response.status_code == 200 and response.json()["type"] == "OutputFile"
    assert get(clients["admin"], f"/data/files/{working_file.pk}").json()["outputs"] == [str(output_file.pk)]
    assert get(clients["outsider"], f"/data/files/{output_file.pk}").status_code == 403
    assert get(clients["admin"], "/data/files/abc").status_code == 404
    assert get(clients["admin"], f"/data/files/{world.asset.pk}").status_code == 404


# --- comment and modification date -----------------------------------------------------------------


def test_comment_and_modified(default_world, clients, revisions):
    world = default_world
    working_file = WorkingFile.objects.filter(task=world.asset_task).first()
    before = working_file.updated_at
    response = clients["manager"].put(
        url(f"/actions/working-files/{working_file.pk}/comment"), {"comment": "new comment"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["comment"] == "new comment" and "outputs" not in response.json()
    response = clients["client"].put(
        url(f"/actions/working-files/{working_file.pk}/modified"), {}, format="json"
    )
    assert response.status_code == 200
    working_file.refresh_from_db()
    assert working_file.comment == "new comment" and working_file.updated_at > before
    assert ApiEvent.objects.filter(name="working-file:update").count() == 2


@pytest.mark.parametrize("role", ["user", "vendor", "outsider", "supervisor"])
def test_comment_is_refused_to_who_may_not_act_on_the_task(default_world, clients, revisions, role):
    """Artists, vendors and supervisors act on the tasks they are assigned (supervisors: of their
    departments; these supervise some other department)."""
    world = default_world
    world.modeling.department = factories.make_department()
    world.modeling.save()
    DepartmentLink.objects.create(person=world.team["supervisor"], department=factories.make_department())
    working_file = WorkingFile.objects.filter(task=world.asset_task, name="other").first()
    for path, body in (("comment", {"comment": "x"}), ("modified", {})):
        response = clients[role].put(
            url(f"/actions/working-files/{working_file.pk}/{path}"), body, format="json"
        )
        assert response.status_code == 403, (role, path)
    working_file.refresh_from_db()
    assert working_file.comment == ""


def test_an_assignee_comments(default_world, clients, revisions):
    world = default_world
    factories.assign(world.asset_task, world.team["user"])
    working_file = WorkingFile.objects.filter(task=world.asset_task).first()
    response = clients["user"].put(
        url(f"/actions/working-files/{working_file.pk}/comment"), {"comment": "mine"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("body", [{}, {"comment": ""}, {"comment": None}, {"comment": ["x"]}])
def test_bad_comments_are_400s(default_world, clients, revisions, body):
    working_file = WorkingFile.objects.first()
    response = clients["admin"].put(
        url(f"/actions/working-files/{working_file.pk}/comment"), body, format="json"
    )
    assert response.status_code == 400
    working_file.refresh_from_db()
    assert working_file.comment == ""


def test_unknown_working_file_is_a_404(default_world, clients):
    for path in ("comment", "modified"):
        response = clients["admin"].put(url(f"/actions/working-files/{UNKNOWN_ID}/{path}"), {"comment": "x"})
        assert response.status_code == 404
