"""Per-model rules of the tasks app's /data routes: tasks, task types and statuses, comments,
time spents, and the admin-only logs; plus `POST /actions/task-types/reorder`."""

import json
import uuid

import pytest

from people.models import DepartmentLink
from productions.models import ProjectTaskTypeLink
from tasks.models import (
    ApiEvent,
    Comment,
    News,
    Notification,
    Task,
    TaskPersonLink,
    TaskStatus,
    TaskType,
    TimeSpent,
)
from tests import factories
from tests.factories import client_for, join

pytestmark = pytest.mark.django_db


def events(name):
    """Data of the recorded events; the project id every event data carries is checked apart."""
    rows = ApiEvent.objects.filter(name=name).order_by("created_at").values_list("data", flat=True)
    return [{k: v for k, v in data.items() if k != "project_id"} for data in rows]


@pytest.fixture
def project():
    return factories.make_project(name="Open show")


@pytest.fixture
def closed_project():
    return factories.make_project(name="Closed show", project_status=factories.make_project_status("Closed"))


@pytest.fixture
def task_type():
    return factories.make_task_type(name="Modeling", for_entity="Asset")


@pytest.fixture
def status():
    return factories.make_task_status(name="WIP", short_name="wip")


@pytest.fixture
def asset(project):
    return factories.make_asset(project, name="Hero")


@pytest.fixture
def task(asset, task_type, status):
    return factories.make_task(asset, task_type, status)


def make_person(role="user", **fields):
    return factories.make_person(role=role, password=None, **fields)  # no password: no slow hashing


@pytest.fixture
def admin_person():
    return make_person("admin")


@pytest.fixture
def api(admin_person):
    return client_for(admin_person)


@pytest.fixture
def people(project):
    """One member of the project per role, plus an artist outside its team."""
    return factories.make_team(project, outsider={"role": "user"}, admin=False, password=None)


def as_(people, role):
    return client_for(people[role])


# --- tasks: lists ----------------------------------------------------------------------------


def test_admin_lists_filters_and_paginates_tasks(api, asset, task_type, status):
    other_type = factories.make_task_type(name="Rigging")
    tasks = [factories.make_task(asset, task_type, status, name=f"t{i}") for i in range(3)]
    factories.make_task(asset, other_type, status, name="rig")
    assert len(api.get("/api/data/tasks").json()) == 4
    filtered = api.get(f"/api/data/tasks?task_type_id={task_type.id}").json()
    assert sorted(row["name"] for row in filtered) == ["t0", "t1", "t2"]
    in_list = api.get(f'/api/data/tasks?id=["{tasks[0].id}","{tasks[2].id}"]').json()
    assert {row["id"] for row in in_list} == {str(tasks[0].id), str(tasks[2].id)}
    page = api.get("/api/data/tasks?page=2&limit=3").json()
    assert {k: page[k] for k in ("total", "nb_pages", "limit", "offset", "page")} == {
        "total": 4,
        "nb_pages": 2,
        "limit": 3,
        "offset": 3,
        "page": 2,
    }
    assert len(page["data"]) == 1 and page["data"][0]["type"] == "Task"


def test_relations_true_lists_assignees(api, task, people):
    task.assignees.add(people["user"])
    row = api.get("/api/data/tasks?relations=true").json()[0]
    assert row["assignees"] == [str(people["user"].id)]
    assert "assignees" not in api.get("/api/data/tasks").json()[0]


def test_members_list_the_tasks_of_their_open_projects_only(task, people, closed_project, task_type, status):
    closed_task = factories.make_task(factories.make_asset(closed_project), task_type, status)
    join(closed_project, people["user"])
    ids = [row["id"] for row in as_(people, "user").get("/api/data/tasks").json()]
    assert ids == [str(task.id)]
    assert str(closed_task.id) not in ids
    assert as_(people, "outsider").get("/api/data/tasks").json() == []


def test_vendors_list_their_assigned_tasks_only(task, people, asset, task_type, status):
    factories.make_task(asset, task_type, status, name="not mine")
    elsewhere = factories.make_task(factories.make_asset(factories.make_project()), task_type, status)
    assert as_(people, "vendor").get("/api/data/tasks").json() == []
    TaskPersonLink.objects.create(task=task, person=people["vendor"])
    TaskPersonLink.objects.create(task=elsewhere, person=people["vendor"])
    ids = {row["id"] for row in as_(people, "vendor").get("/api/data/tasks").json()}
    assert ids == {str(task.id), str(elsewhere.id)}


def test_clients_read_tasks_with_the_studio_fields_blank(task, people):
    Task.objects.filter(pk=task.pk).update(priority=3, estimation=5, duration=7)
    task.assignees.add(people["user"])
    row = as_(people, "client").get("/api/data/tasks?relations=true").json()[0]
    assert (row["priority"], row["estimation"], row["duration"], row["difficulty"]) == (0, 0, 0, None)
    assert row["assignees"] == []
    body = as_(people, "client").get(f"/api/data/tasks/{task.id}").json()
    assert body["priority"] == 0 and body["assignees"] == []
    assert as_(people, "user").get(f"/api/data/tasks/{task.id}").json()["priority"] == 3


def test_listing_10000_tasks_with_relations_stays_a_few_queries(
    admin_person, project, asset, task_type, status, django_assert_max_num_queries
):
    artist = join(project, make_person("user"))
    tasks = Task.objects.bulk_create(
        Task(name=f"task {i}", project=project, entity=asset, task_type=task_type, task_status=status)
        for i in range(10_000)
    )
    TaskPersonLink.objects.bulk_create(TaskPersonLink(task=task, person=artist) for task in tasks)
    # A list this long is streamed (read, rendered and sent a chunk at a time): its queries run
    # as it is read.
    with django_assert_max_num_queries(5):
        response = client_for(admin_person).get("/api/data/tasks?relations=true")
        rows = json.loads(b"".join(response.streaming_content))
    assert len(rows) == 10_000 and rows[0]["assignees"] == [str(artist.id)]
    with django_assert_max_num_queries(5):
        response = client_for(artist).get("/api/data/tasks?relations=true")
        rows = json.loads(b"".join(response.streaming_content))
    assert len(rows) == 10_000


# --- tasks: writes ---------------------------------------------------------------------------


def test_create_task(api, asset, task_type, status, admin_person):
    body = {"name": "main", "entity_id": str(asset.id), "task_type_id": str(task_type.id)}
    body |= {"task_status_id": str(status.id), "assignees": [str(make_person().id)]}
    response = api.post("/api/data/tasks", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["project_id"] == str(asset.project_id)  # taken from its entity
    assert len(created["assignees"]) == 1 and created["type"] == "Task"
    event = ApiEvent.objects.get(name="task:new")
    assert event.data == {"task_id": created["id"], "project_id": str(asset.project_id)}
    assert event.project_id == asset.project_id


@pytest.mark.parametrize(
    "change, message",
    [
        ({"task_type_id": None}, "A valid task_type_id is required."),
        ({"entity_id": None}, "A valid entity_id is required."),
        ({"difficulty": "hard"}, "difficulty"),
        ({"task_type_id": "not-an-id"}, "task_type_id"),
    ],
)
def test_create_task_refuses_bad_input(api, asset, task_type, change, message):
    body = {"name": "main", "entity_id": str(asset.id), "task_type_id": str(task_type.id)} | change
    response = api.post("/api/data/tasks", {k: v for k, v in body.items() if v is not None}, format="json")
    assert response.status_code == 400 and message in response.json()["message"]
    assert not Task.objects.exists() and not ApiEvent.objects.exists()


def test_a_task_without_a_name_is_the_main_task(api, asset, task_type):
    body = {"entity_id": str(asset.id), "task_type_id": str(task_type.id), "name": ""}
    response = api.post("/api/data/tasks", body, format="json")
    assert response.status_code == 201 and response.json()["name"] == "main"


def test_create_task_checks_its_entity_and_project(api, asset, task_type, project):
    shot_type = factories.make_task_type(name="Animation", for_entity="Shot")
    body = {"name": "main", "entity_id": str(asset.id), "task_type_id": str(shot_type.id)}
    response = api.post("/api/data/tasks", body, format="json")
    assert response.json()["message"] == "Task type of the task does not match entity type."
    other = factories.make_project()
    body = {"name": "main", "entity_id": str(asset.id), "task_type_id": str(task_type.id)}
    response = api.post("/api/data/tasks", body | {"project_id": str(other.id)}, format="json")
    assert response.status_code == 400 and "project" in response.json()["message"]
    assert api.post("/api/data/tasks", body, format="json").status_code == 201
    duplicate = api.post("/api/data/tasks", body, format="json")
    assert duplicate.status_code == 400 and duplicate.json()["message"] == "Task already exists."
    assert Task.objects.count() == 1


def test_preview_accounts_are_not_assigned(api, asset, task_type):
    preview_person = make_person(preview_project=factories.make_project())
    body = {"name": "main", "entity_id": str(asset.id), "task_type_id": str(task_type.id)}
    response = api.post("/api/data/tasks", body | {"assignees": [str(preview_person.id)]}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "A preview account can't be assigned"


def test_outsiders_create_no_task_in_a_project(people, asset, task_type):
    body = {"name": "main", "entity_id": str(asset.id), "task_type_id": str(task_type.id)}
    assert as_(people, "outsider").post("/api/data/tasks", body, format="json").status_code == 403
    assert as_(people, "user").post("/api/data/tasks", body, format="json").status_code == 201


def test_read_task(task, people):
    assert as_(people, "user").get(f"/api/data/tasks/{task.id}").json()["id"] == str(task.id)
    assert as_(people, "outsider").get(f"/api/data/tasks/{task.id}").status_code == 403
    assert as_(people, "vendor").get(f"/api/data/tasks/{task.id}").status_code == 403  # not on its entity
    task.assignees.add(people["vendor"])
    assert as_(people, "vendor").get(f"/api/data/tasks/{task.id}").status_code == 200
    assert as_(people, "user").get(f"/api/data/tasks/{uuid.uuid4()}").status_code == 404
    malformed = as_(people, "user").get("/api/data/tasks/not-an-id")
    assert malformed.status_code == 400 and malformed.json()["message"] == "Malformed ID."


def test_update_task_by_role(task, people):
    url = f"/api/data/tasks/{task.id}"
    assert as_(people, "manager").put(url, {"name": "renamed"}, format="json").status_code == 200
    assert as_(people, "supervisor").put(url, {"priority": 2}, format="json").status_code == 200
    assert as_(people, "supervisor").put(url, {"name": "x"}, format="json").status_code == 403
    for role in ("user", "client", "vendor", "outsider"):
        assert as_(people, role).put(url, {"priority": 4}, format="json").status_code == 403, role
    task.refresh_from_db()
    assert (task.name, task.priority) == ("renamed", 2)
    assert [e["task_id"] for e in events("task:update")] == [str(task.id)] * 2


def test_supervisors_update_the_tasks_of_their_departments_only(task, people, task_type):
    modeling, lighting = (
        factories.make_department(name="Modeling"),
        factories.make_department(name="Lighting"),
    )
    DepartmentLink.objects.create(person=people["supervisor"], department=modeling)
    url = f"/api/data/tasks/{task.id}"
    assert as_(people, "supervisor").put(url, {"priority": 2}, format="json").status_code == 403
    TaskType.objects.filter(pk=task_type.pk).update(department=modeling)
    assert as_(people, "supervisor").put(url, {"priority": 2}, format="json").status_code == 200
    TaskType.objects.filter(pk=task_type.pk).update(department=lighting)
    assert as_(people, "supervisor").put(url, {"priority": 3}, format="json").status_code == 403


def test_update_merges_custom_data(api, task):
    Task.objects.filter(pk=task.pk).update(data={"kept": 1, "changed": 1})
    response = api.put(f"/api/data/tasks/{task.id}", {"data": {"changed": 2}}, format="json")
    assert response.json()["data"] == {"kept": 1, "changed": 2}


def test_update_of_assignees_records_assignations(api, admin_person, task, people):
    task.assignees.add(people["user"])
    body = {"assignees": [str(people["vendor"].id)]}
    assert api.put(f"/api/data/tasks/{task.id}", body, format="json").status_code == 200
    assert events("task:assign") == [{"task_id": str(task.id), "person_id": str(people["vendor"].id)}]
    assert events("task:unassign") == [{"task_id": str(task.id), "person_id": str(people["user"].id)}]
    notification = Notification.objects.get()
    assert (notification.person, notification.author, notification.type) == (
        people["vendor"],
        admin_person,
        "assignation",
    )


def test_update_validation_writes_nothing(api, task):
    response = api.put(f"/api/data/tasks/{task.id}", {"difficulty": "hard"}, format="json")
    assert response.status_code == 400
    assert api.put(f"/api/data/tasks/{uuid.uuid4()}", {"priority": 1}, format="json").status_code == 404
    task.refresh_from_db()
    assert task.difficulty == 3 and not ApiEvent.objects.exists()


def test_delete_task(task, people):
    url = f"/api/data/tasks/{task.id}"
    for role in ("supervisor", "user", "outsider"):
        assert as_(people, role).delete(url).status_code == 403, role
    task.assignees.add(people["user"])
    assert as_(people, "manager").delete(url).status_code == 204
    assert not Task.objects.exists() and not TaskPersonLink.objects.exists()
    assert events("task:delete") == [
        {"task_id": str(task.id), "entity_id": str(task.entity_id), "task_type_id": str(task.task_type_id)}
    ]


def test_delete_task_with_time_spents_is_400_naming_them(api, task, people):
    TimeSpent.objects.create(task=task, person=people["user"], duration=60, date="2026-01-02")
    response = api.delete(f"/api/data/tasks/{task.id}")
    assert response.status_code == 400 and "time spent" in response.json()["message"]
    assert Task.objects.filter(pk=task.pk).exists()


# --- task types and statuses -----------------------------------------------------------------


def test_everyone_reads_task_types_and_statuses(people, task_type, status):
    for role in ("user", "client", "vendor", "outsider"):
        client = as_(people, role)
        assert [row["id"] for row in client.get("/api/data/task-types").json()] == [str(task_type.id)]
        assert client.get(f"/api/data/task-types/{task_type.id}").status_code == 200
        assert client.get(f"/api/data/task-status/{status.id}").status_code == 200
        assert client.get("/api/data/task-status").status_code == 200


def test_only_admins_write_task_types_and_statuses(people, task_type, status):
    manager = as_(people, "manager")
    assert manager.post("/api/data/task-types", {"name": "New"}, format="json").status_code == 403
    assert (
        manager.put(f"/api/data/task-types/{task_type.id}", {"color": "#000000"}, format="json").status_code
        == 403
    )
    assert manager.delete(f"/api/data/task-status/{status.id}").status_code == 403
    body = {"name": "Done", "short_name": "done", "color": "#000000"}
    assert manager.post("/api/data/task-status", body, format="json").status_code == 403


def test_task_type_names_are_unique_regardless_of_case(api, task_type):
    response = api.post("/api/data/task-types", {"name": "MODELING"}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "A task type with similar name already exists"
    other = factories.make_task_type(name="Layout")
    response = api.put(f"/api/data/task-types/{other.id}", {"name": "modeling"}, format="json")
    assert response.status_code == 400
    assert (
        api.put(
            f"/api/data/task-types/{task_type.id}", {"name": "Modeling", "color": "#000"}, format="json"
        ).status_code
        == 200
    )
    assert TaskType.objects.count() == 2


def test_task_type_used_by_a_project_is_not_deleted(api, task_type, project):
    ProjectTaskTypeLink.objects.create(project=project, task_type=task_type)
    response = api.delete(f"/api/data/task-types/{task_type.id}")
    assert response.status_code == 400
    assert response.json()["message"].startswith("Task type is attached to projects.")
    assert TaskType.objects.filter(pk=task_type.pk).exists()


def test_one_default_task_status_at_a_time(api, status):
    TaskStatus.objects.filter(pk=status.pk).update(is_default=True)
    body = {"name": "Todo", "short_name": "todo", "color": "#f5f5f5", "is_default": True}
    created = api.post("/api/data/task-status", body, format="json").json()
    assert list(TaskStatus.objects.filter(is_default=True).values_list("id", flat=True)) == [
        uuid.UUID(created["id"])
    ]
    api.put(f"/api/data/task-status/{status.id}", {"is_default": True}, format="json")
    assert list(TaskStatus.objects.filter(is_default=True)) == [status]
    assert events("task-status:new") == [{"task_status_id": created["id"]}]


def test_reorder_task_types(api, people):
    first, second = factories.make_task_type(name="A"), factories.make_task_type(name="B")
    body = {"task_type_ids": [str(second.id), str(uuid.uuid4()), str(first.id)]}
    response = api.post("/api/actions/task-types/reorder", body, format="json")
    assert response.status_code == 200
    assert [(row["name"], row["priority"], row["type"]) for row in response.json()] == [
        ("B", 1, "TaskType"),
        ("A", 3, "TaskType"),
    ]
    first.refresh_from_db()
    assert first.priority == 3
    assert (
        as_(people, "manager").post("/api/actions/task-types/reorder", body, format="json").status_code == 403
    )
    for bad in ({"task_type_ids": "x"}, [1], {}):
        response = api.post("/api/actions/task-types/reorder", bad, format="json")
        assert response.status_code == 400
        assert response.json()["message"] == "Request body must be a JSON object with a 'task_type_ids' list."
    malformed = api.post("/api/actions/task-types/reorder", {"task_type_ids": ["nope"]}, format="json")
    assert malformed.status_code == 400


# --- comments --------------------------------------------------------------------------------


def make_comment(task, person, **fields):
    fields.setdefault("task_status", task.task_status)
    return Comment.objects.create(object_id=task.id, object_type="Task", person=person, text="hi", **fields)


def test_comment_lists_and_creation_are_for_admins(api, admin_person, task, people, status):
    make_comment(task, people["user"])
    for role in ("manager", "user", "client"):
        assert as_(people, role).get("/api/data/comments").status_code == 403
    assert len(api.get(f"/api/data/comments?object_id={task.id}").json()) == 1
    body = {"object_id": str(task.id), "object_type": "Task", "person_id": str(people["user"].id)}
    body |= {"text": "by data", "task_status_id": str(status.id)}
    assert as_(people, "manager").post("/api/data/comments", body, format="json").status_code == 403
    response = api.post("/api/data/comments", body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["previews"] == [] and created["mentions"] == [] and created["attachment_files"] == []
    assert events("comment:new") == [
        {
            "comment_id": created["id"],
            "task_id": str(task.id),
            "person_id": str(people["user"].id),
            "for_client": False,
        }
    ]
    assert ApiEvent.objects.get(name="comment:new").project_id is None


def test_comment_read_rules(task, people):
    studio_comment = make_comment(task, people["user"])
    client_comment = make_comment(task, people["client"])
    shared = make_comment(task, people["manager"], for_client=True)
    url = "/api/data/comments/{}".format
    body = as_(people, "supervisor").get(url(studio_comment.id)).json()
    assert body["person"]["id"] == str(people["user"].id) and body["person"]["full_name"]
    assert as_(people, "user").get(url(studio_comment.id)).status_code == 200
    assert as_(people, "user").get(url(client_comment.id)).status_code == 403  # a client wrote it
    assert as_(people, "client").get(url(studio_comment.id)).status_code == 403
    assert as_(people, "client").get(url(client_comment.id)).status_code == 200
    assert as_(people, "client").get(url(shared.id)).status_code == 200
    assert as_(people, "outsider").get(url(studio_comment.id)).status_code == 403
    assert as_(people, "vendor").get(url(studio_comment.id)).status_code == 403  # not on the entity


def test_comment_update_rules(task, people):
    comment = make_comment(task, people["user"])
    url = f"/api/data/comments/{comment.id}"
    assert as_(people, "supervisor").put(url, {"text": "not mine"}, format="json").status_code == 403
    assert as_(people, "user").put(url, {"for_client": True}, format="json").status_code == 403
    assert as_(people, "user").put(url, {"pinned": True}, format="json").status_code == 403
    assert as_(people, "supervisor").put(url, {"pinned": True}, format="json").status_code == 200
    response = as_(people, "user").put(url, {"text": "edited"}, format="json")
    assert response.status_code == 200 and response.json()["editor_id"] == str(people["user"].id)
    assert as_(people, "manager").put(url, {"for_client": True}, format="json").status_code == 200
    response = as_(people, "manager").put(url, {"mentions": [str(people["user"].id)]}, format="json")
    assert response.status_code == 200 and response.json()["mentions"] == []  # they follow the text
    comment.refresh_from_db()
    assert (comment.text, comment.pinned, comment.for_client) == ("edited", True, True)
    assert events("comment:update")[-1] == {
        "comment_id": str(comment.id),
        "task_id": str(task.id),
        "person_id": str(people["user"].id),
        "for_client": True,
    }
    assert ApiEvent.objects.filter(name="comment:update").first().project_id == task.project_id


def test_changing_a_comment_status_moves_the_task(api, task, people, status):
    done = factories.make_task_status(name="Done", short_name="done", is_done=True)
    comment = make_comment(task, people["user"])
    response = api.put(f"/api/data/comments/{comment.id}", {"task_status_id": str(done.id)}, format="json")
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.task_status == done and task.done_date is not None
    assert events("task:status-changed") == [
        {
            "task_id": str(task.id),
            "new_task_status_id": str(done.id),
            "previous_task_status_id": str(status.id),
            "person_id": str(people["user"].id),
        }
    ]


def test_delete_comment(task, people, status):
    comment = make_comment(task, people["user"])
    News.objects.create(author=people["user"], comment=comment, task=task)
    url = f"/api/data/comments/{comment.id}"
    assert as_(people, "supervisor").delete(url).status_code == 403
    assert as_(people, "outsider").delete(url).status_code == 403
    assert as_(people, "user").delete(url).status_code == 204
    assert not Comment.objects.exists() and not News.objects.exists()
    task.refresh_from_db()
    assert task.task_status.is_default  # back to the default status once no comment is left
    assert events("comment:delete") == [{"comment_id": str(comment.id), "task_id": str(task.id)}]
    assert events("task:update") == [{"task_id": str(task.id)}]
    other = make_comment(task, people["user"])
    assert as_(people, "manager").delete(f"/api/data/comments/{other.id}").status_code == 204


# --- time spents -----------------------------------------------------------------------------


def test_time_spents_are_listed_and_written_by_admins(api, task, people):
    for role in ("manager", "user"):
        assert as_(people, role).get("/api/data/time-spents").status_code == 403
    body = {
        "task_id": str(task.id),
        "person_id": str(people["user"].id),
        "duration": 60,
        "date": "2026-01-02",
    }
    assert as_(people, "user").post("/api/data/time-spents", body, format="json").status_code == 403
    response = api.post("/api/data/time-spents", body, format="json")
    assert response.status_code == 201
    task.refresh_from_db()
    assert task.duration == 60
    assert [e.name for e in ApiEvent.objects.order_by("created_at")] == ["task:update", "time-spent:new"]
    bad = api.post("/api/data/time-spents", body | {"duration": "long", "date": "2026-01-03"}, format="json")
    assert bad.status_code == 400 and TimeSpent.objects.count() == 1


def test_time_spent_deletion_rules(api, task, people):
    task.assignees.add(people["user"])
    mine = TimeSpent.objects.create(task=task, person=people["user"], duration=30, date="2026-01-02")
    stray = TimeSpent.objects.create(task=task, person=people["manager"], duration=10, date="2026-01-02")
    assert api.delete(f"/api/data/time-spents/{stray.id}").status_code == 403  # not an assignee's
    assert as_(people, "supervisor").delete(f"/api/data/time-spents/{mine.id}").status_code == 403
    assert as_(people, "user").delete(f"/api/data/time-spents/{mine.id}").status_code == 204
    task.refresh_from_db()
    assert task.duration == 10


# --- rows only admins reach through /data ----------------------------------------------------


@pytest.mark.parametrize(
    "path", ["news", "notifications", "subscriptions", "events", "chats", "chat-messages"]
)
def test_logs_and_messages_are_for_admins(api, people, path):
    assert api.get(f"/api/data/{path}").status_code == 200
    for role in ("manager", "user", "client"):
        assert as_(people, role).get(f"/api/data/{path}").status_code == 403


def test_a_client_reading_leaves_nothing_behind_for_the_next_request(api, task, people):
    """What a client reads blank is decided per request, from its own access: an admin reading
    right after a client still sees the assignees."""
    TaskPersonLink.objects.create(task=task, person=people["user"])
    client_rows = as_(people, "client").get("/api/data/tasks?relations=true").json()
    assert [row["assignees"] for row in client_rows] == [[]]
    admin_rows = api.get("/api/data/tasks?relations=true").json()
    assert [row["assignees"] for row in admin_rows] == [[str(people["user"].pk)]]


def test_notifications_keep_their_own_type_as_notification_type():
    admin = factories.make_person(role="admin")
    task = factories.make_task(factories.make_asset(factories.make_project()))
    notification = Notification.objects.create(person=admin, author=admin, task=task, type="mention")
    rows = client_for(admin).get("/api/data/notifications").json()
    assert [(row["type"], row["notification_type"]) for row in rows] == [("Notification", "mention")]
    one = client_for(admin).get(f"/api/data/notifications/{notification.pk}").json()
    assert one["notification_type"] == "mention"
