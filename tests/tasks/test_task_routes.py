"""The `tasks` area routes: task creation in bulk, assignations, priorities, previews of comments,
main previews, deletions, comment threads, to-do lists, open tasks and the project-wide lists.

Each family covers the reference's happy path, the roles it refuses, missing objects (404) and
bad input (400, nothing written); lists assert a query bound that does not grow with the rows.
"""

import uuid

import pytest

from assets.models import EntityLink
from files.models import AttachmentFile, PreviewFile
from people.models import DepartmentLink
from productions.models import ProjectPersonLink
from shots.models import Edit
from tasks.models import (
    ApiEvent,
    Comment,
    CommentMention,
    News,
    Notification,
    Subscription,
    Task,
    TaskPersonLink,
)
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def modeling():
    return factories.make_task_type(name="Modeling", for_entity="Asset")


@pytest.fixture
def animation():
    return factories.make_task_type(name="Animation", for_entity="Shot")


@pytest.fixture
def todo():
    return factories.make_task_status(name="Todo", short_name="todo", is_default=True)


@pytest.fixture
def wip():
    return factories.make_task_status(name="Work In Progress", short_name="wip", is_wip=True)


@pytest.fixture
def done_status():
    return factories.make_task_status(name="Done", short_name="done", is_done=True)


@pytest.fixture
def assets(show):
    return [factories.make_asset(show, name=f"prop{i}") for i in range(3)]


@pytest.fixture
def shots(show):
    episode = factories.make_episode(show, name="E01")
    sequence = factories.make_sequence(show, episode, name="SQ01")
    return [factories.make_shot(show, sequence, name=f"SH{i:02d}") for i in range(2)]


@pytest.fixture
def task(assets, modeling, todo, team):
    task = factories.make_task(assets[0], modeling, todo)
    task.assignees.add(team["user"])
    return task


def events(name):
    return list(ApiEvent.objects.filter(name=name).values_list("data", flat=True))


def url_of(task, suffix=""):
    return f"/api/data/tasks/{task.pk}{suffix}"


# --- creating tasks -----------------------------------------------------------------------------


def test_managers_create_asset_tasks_for_every_asset_without_one(show, team, assets, modeling, todo):
    factories.make_task(assets[0], modeling, todo)
    response = client_for(team["manager"]).post(
        f"/api/actions/projects/{show.pk}/task-types/{modeling.pk}/assets/create-tasks", format="json"
    )
    assert response.status_code == 201
    rows = response.json()
    assert [row["entity_id"] for row in rows] == [str(assets[1].pk), str(assets[2].pk)]
    row = rows[0]
    assert row["name"] == "main" and row["type"] == "Task" and row["assignees"] == []
    assert row["task_status_id"] == str(todo.pk) and row["task_status_name"] == "Todo"
    assert row["task_status_short_name"] == "todo" and row["task_type_name"] == "Modeling"
    assert row["assigner_id"] == str(team["manager"].pk) and row["project_id"] == str(show.pk)
    assert row["duration"] == 0 and row["task_type_priority"] == modeling.priority
    assert Task.objects.filter(task_type=modeling).count() == 3
    assert sorted(data["task_id"] for data in events("task:new")) == sorted(r["id"] for r in rows)
    again = client_for(team["manager"]).post(
        f"/api/actions/projects/{show.pk}/task-types/{modeling.pk}/assets/create-tasks", [], format="json"
    )
    assert again.status_code == 201 and again.json() == []


def test_create_tasks_for_listed_shots_skips_other_projects(show, team, shots, animation, todo):
    other = factories.make_project(name="Other")
    other_shot = factories.make_shot(other, factories.make_sequence(other))
    body = [str(shots[1].pk), str(other_shot.pk), str(shots[1].pk)]
    response = client_for(team["admin"]).post(
        f"/api/actions/projects/{show.pk}/task-types/{animation.pk}/shots/create-tasks", body, format="json"
    )
    assert response.status_code == 201
    assert [row["entity_id"] for row in response.json()] == [str(shots[1].pk)]
    assert Task.objects.count() == 1


def test_create_tasks_narrowed_by_the_query_string(show, team, shots, animation, todo):
    response = client_for(team["manager"]).post(
        f"/api/actions/projects/{show.pk}/task-types/{animation.pk}/shots/create-tasks?name=sh01&page=1",
        format="json",
    )
    assert response.status_code == 201
    assert [row["entity_id"] for row in response.json()] == [str(shots[1].pk)]


def test_create_tasks_refusals_and_bad_input_write_nothing(show, team, assets, shots, modeling, animation):
    base = f"/api/actions/projects/{show.pk}/task-types"
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        response = client_for(team[role]).post(f"{base}/{modeling.pk}/assets/create-tasks", format="json")
        assert response.status_code == 403, role
    manager = client_for(team["manager"])
    assert manager.post(f"{base}/{uuid.uuid4()}/assets/create-tasks", format="json").status_code == 404
    missing = f"/api/actions/projects/{uuid.uuid4()}/task-types/{modeling.pk}/assets/create-tasks"
    assert manager.post(missing, format="json").status_code == 404
    response = manager.post(f"{base}/{animation.pk}/shots/create-tasks", {"a": 1}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "Request body must be a JSON array."
    response = manager.post(f"{base}/{animation.pk}/shots/create-tasks", ["zz"], format="json")
    assert response.status_code == 400 and "valid UUIDs" in response.json()["message"]
    # an asset is no shot
    response = manager.post(f"{base}/{animation.pk}/shots/create-tasks", [str(assets[0].pk)], format="json")
    assert response.status_code == 404
    assert not Task.objects.exists() and not ApiEvent.objects.filter(name="task:new").exists()


def test_concept_tasks_start_on_the_concept_status(show, team):
    concept_type = factories.make_task_type(name="Concept", for_entity="Concept")
    concept = factories.make_asset(show, asset_type=factories.make_asset_type("Concept"), name="c1")
    base = f"/api/actions/projects/{show.pk}/task-types/{concept_type.pk}/concepts/create-tasks"
    for role in ("vendor", "client", "outsider"):
        assert client_for(team[role]).post(base, format="json").status_code == 403, role
    response = client_for(team["user"]).post(base, format="json")
    assert response.status_code == 201
    (row,) = response.json()
    assert row["entity_id"] == str(concept.pk) and row["task_status_short_name"] == "neutral"


def test_create_tasks_for_an_entity_type_by_name(show, team, shots, animation, todo):
    sequence_id = shots[0].parent_id
    base = f"/api/actions/projects/{show.pk}/task-types/{animation.pk}/create-tasks"
    response = client_for(team["manager"]).post(f"{base}/sequence", format="json")
    assert response.status_code == 201
    assert [row["entity_id"] for row in response.json()] == [str(sequence_id)]
    assert client_for(team["manager"]).post(f"{base}/sequences", format="json").status_code == 404
    assert client_for(team["user"]).post(f"{base}/sequence", format="json").status_code == 403


def test_edit_tasks(show, team, todo):
    edit = Edit.objects.create(project=show, name="Trailer")
    edit_type = factories.make_task_type(name="Editing", for_entity="Edit")
    url = f"/api/actions/projects/{show.pk}/task-types/{edit_type.pk}/edits/create-tasks"
    response = client_for(team["manager"]).post(url, format="json")
    assert response.status_code == 201 and [row["entity_id"] for row in response.json()] == [str(edit.pk)]


# --- deleting tasks -----------------------------------------------------------------------------


def test_managers_delete_listed_tasks_of_their_project(show, team, task, assets, modeling, todo):
    other = factories.make_task(assets[1], modeling, todo)
    Comment.objects.create(object_id=task.pk, object_type="Task", person=team["user"], task_status=todo)
    url = f"/api/actions/projects/{show.pk}/delete-tasks"
    assert client_for(team["user"]).post(url, [str(task.pk)], format="json").status_code == 403
    assert client_for(team["manager"]).post(url, {"a": 1}, format="json").status_code == 400
    unknown = str(uuid.uuid4())
    response = client_for(team["manager"]).post(url, [str(task.pk), unknown], format="json")
    assert response.status_code == 200 and response.json() == [str(task.pk), unknown]
    assert list(Task.objects.all()) == [other] and not Comment.objects.exists()
    (event,) = events("task:delete")
    assert event["task_id"] == str(task.pk) and event["entity_id"] == str(assets[0].pk)
    assert event["task_type_id"] == str(modeling.pk)


def test_admins_delete_every_task_of_a_type(show, team, task, assets, animation, shots, todo):
    kept = factories.make_task(shots[0], animation, todo)
    url = f"/api/actions/projects/{show.pk}/task-types/{task.task_type_id}/delete-tasks"
    assert client_for(team["manager"]).delete(url).status_code == 403
    assert (
        client_for(team["admin"])
        .delete(f"/api/actions/projects/{uuid.uuid4()}/task-types/x/delete-tasks")
        .status_code
        == 404
    )
    assert client_for(team["admin"]).delete(url).status_code == 204
    assert list(Task.objects.all()) == [kept]


# --- assignations -------------------------------------------------------------------------------


def test_managers_assign_a_task_and_the_assignee_hears_of_it(show, team, task):
    newcomer = factories.make_person(role="user")
    response = client_for(team["manager"]).put(
        f"/api/actions/tasks/{task.pk}/assign", {"person_id": str(newcomer.pk)}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted(body["assignees"]) == sorted([str(team["user"].pk), str(newcomer.pk)])
    assert body["assigner_id"] == str(team["manager"].pk)
    assert Notification.objects.filter(person=newcomer, type="assignation", task=task).count() == 1
    assert ProjectPersonLink.objects.filter(project=show, person=newcomer).exists()
    assert events("task:assign") == [
        {"task_id": str(task.pk), "person_id": str(newcomer.pk), "project_id": str(show.pk)}
    ]
    assert len(events("task:update")) == 1 and len(events("project:update")) == 1


def test_assign_refusals_and_bad_input(show, team, task):
    url = f"/api/actions/tasks/{task.pk}/assign"
    target = {"person_id": str(team["vendor"].pk)}
    for role in ("user", "client", "vendor", "outsider"):
        assert client_for(team[role]).put(url, target, format="json").status_code == 403, role
    manager = client_for(team["manager"])
    response = manager.put(url, {"person_id": str(uuid.uuid4())}, format="json")
    assert response.status_code == 400 and response.json() == {"error": "Assignee doesn't exist in database."}
    assert manager.put(url, {}, format="json").status_code == 400
    assert manager.put(f"/api/actions/tasks/{uuid.uuid4()}/assign", target, format="json").status_code == 404
    bot = factories.make_person(role="user", is_bot=True)
    assert manager.put(url, {"person_id": str(bot.pk)}, format="json").status_code == 403
    preview = factories.make_person(role="client", preview_project=factories.make_project(name="Preview"))
    assert manager.put(url, {"person_id": str(preview.pk)}, format="json").status_code == 400
    assert list(task.assignees.all()) == [team["user"]] and not Notification.objects.exists()


def test_department_rules_of_assignation(show, team, task):
    modeling_dept = factories.make_department(name="Modeling")
    task.task_type.department = modeling_dept
    task.task_type.save()
    supervisor, artist = team["supervisor"], team["user"]
    DepartmentLink.objects.create(person=supervisor, department=modeling_dept)
    url = f"/api/actions/tasks/{task.pk}/assign"
    # a supervisor assigns people of their own departments only
    response = client_for(supervisor).put(url, {"person_id": str(team["vendor"].pk)}, format="json")
    assert response.status_code == 403
    DepartmentLink.objects.create(person=team["vendor"], department=modeling_dept)
    response = client_for(supervisor).put(url, {"person_id": str(team["vendor"].pk)}, format="json")
    assert response.status_code == 200
    # an artist of the department assigns themselves, nobody else
    DepartmentLink.objects.create(person=artist, department=modeling_dept)
    response = client_for(artist).put(url, {"person_id": str(team["client"].pk)}, format="json")
    assert response.status_code == 403
    response = client_for(artist).put(url, {"person_id": str(artist.pk)}, format="json")
    assert response.status_code == 200


def test_assign_several_tasks_to_a_person(show, team, task, assets, modeling, todo):
    second = factories.make_task(assets[1], modeling, todo)
    vendor = team["vendor"]
    body = {"task_ids": [str(task.pk), str(second.pk), str(uuid.uuid4()), "zz"]}
    url = f"/api/actions/persons/{vendor.pk}/assign"
    assert client_for(team["user"]).put(url, body, format="json").json() == []  # skipped, not refused
    response = client_for(team["manager"]).put(url, body, format="json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [str(task.pk), str(second.pk)]
    assert all(str(vendor.pk) in row["assignees"] for row in response.json())
    assert TaskPersonLink.objects.filter(person=vendor).count() == 2
    assert Notification.objects.filter(person=vendor).count() == 2
    assert len(events("task:assign")) == 2
    response = client_for(team["manager"]).put(url, {"task_ids": []}, format="json")
    assert response.status_code == 400
    unknown = f"/api/actions/persons/{uuid.uuid4()}/assign"
    response = client_for(team["manager"]).put(unknown, {"task_ids": [str(task.pk)]}, format="json")
    assert response.status_code == 400 and response.json()["error"] == "Assignee doesn't exist in database."
    response = client_for(team["manager"]).put(unknown, {"task_ids": [str(uuid.uuid4())]}, format="json")
    assert response.status_code == 200 and response.json() == []


def test_clear_assignation(show, team, task, assets, modeling, todo):
    other = factories.make_task(assets[1], modeling, todo)
    other.assignees.add(team["vendor"], team["user"])
    url = "/api/actions/tasks/clear-assignation"
    artist = team["user"]
    # an assignee removes themselves; from others' tasks they are skipped
    body = {"task_ids": [str(task.pk)], "person_id": str(team["vendor"].pk)}
    assert client_for(artist).put(url, body, format="json").json() == []
    response = client_for(artist).put(
        url, {"task_ids": [str(task.pk)], "person_id": str(artist.pk)}, format="json"
    )
    assert response.status_code == 200 and response.json() == [str(task.pk)]
    assert not task.assignees.exists()
    # no person: everybody goes
    response = client_for(team["manager"]).put(url, {"task_ids": [str(other.pk), "zz"]}, format="json")
    assert response.json() == [str(other.pk)] and not other.assignees.exists()
    assert sorted(data["person_id"] for data in events("task:unassign")) == sorted(
        [str(artist.pk), str(artist.pk), str(team["vendor"].pk)]
    )
    assert client_for(team["manager"]).put(url, {"task_ids": []}, format="json").status_code == 400


def test_set_priority(show, team, task, assets, modeling, todo):
    url = "/api/actions/tasks/set-priority"
    body = {"task_ids": [str(task.pk), str(uuid.uuid4())], "priority": 3}
    assert client_for(team["user"]).put(url, body, format="json").json() == []
    response = client_for(team["manager"]).put(url, body, format="json")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["priority"] == 3 and row["id"] == str(task.pk) and "assignees" not in row
    task.refresh_from_db()
    assert task.priority == 3 and len(events("task:update")) == 1
    for bad in ({"task_ids": [str(task.pk)], "priority": -1}, {"task_ids": [str(task.pk)], "priority": "x"}):
        assert client_for(team["manager"]).put(url, bad, format="json").status_code == 400
    task.refresh_from_db()
    assert task.priority == 3


# --- previews and main previews -----------------------------------------------------------------


@pytest.fixture
def comment(task, team, wip):
    return Comment.objects.create(
        object_id=task.pk, object_type="Task", person=team["manager"], task_status=wip, text="look"
    )


def test_add_previews_to_a_comment(show, team, task, comment):
    url = f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/add-preview"
    news = News.objects.create(author=team["manager"], comment=comment, task=task)
    artist = client_for(team["user"])  # an assignee may
    first = artist.post(url, {}, format="json")
    assert first.status_code == 201
    body = first.json()
    assert (body["revision"], body["position"], body["status"], body["extension"]) == (
        1,
        1,
        "processing",
        "mp4",
    )
    assert body["comments"] == [str(comment.pk)] and body["person_id"] == str(team["user"].pk)
    second = artist.post(url, format="json").json()
    assert (second["revision"], second["position"]) == (1, 2)
    news.refresh_from_db()
    assert str(news.preview_file_id) == second["id"]
    assert len(events("preview-file:new")) == 2 and len(events("comment:update")) == 2
    assert set(comment.previews.values_list("pk", flat=True)) == {
        uuid.UUID(body["id"]),
        uuid.UUID(second["id"]),
    }
    extra = artist.post(f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/preview-files/{body['id']}")
    assert extra.status_code == 201 and (extra.json()["revision"], extra.json()["position"]) == (1, 3)


def test_add_preview_past_the_last_revision_number_is_a_400_and_nothing_written(team, task, comment, wip):
    """A revision sent in the body can be the column's last: the next one would overflow."""
    manager = client_for(team["manager"])
    url = f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/add-preview"
    assert manager.post(url, {"revision": 2**31 - 1}, format="json").status_code == 201
    fresh = Comment.objects.create(
        object_id=task.pk, object_type="Task", person=team["manager"], task_status=wip, text="again"
    )
    response = manager.post(f"/api/actions/tasks/{task.pk}/comments/{fresh.pk}/add-preview", format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "The task has reached the last revision number."
    assert list(PreviewFile.objects.filter(task=task).values_list("revision", flat=True)) == [2**31 - 1]


def test_add_preview_refusals_and_bad_input(show, team, task, comment, wip):
    url = f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/add-preview"
    for role in ("vendor", "outsider"):
        assert client_for(team[role]).post(url, {}, format="json").status_code == 403, role
    manager = client_for(team["manager"])
    assert manager.post(url, {"revision": -1}, format="json").status_code == 400
    assert (
        manager.post(f"/api/actions/tasks/{task.pk}/comments/{uuid.uuid4()}/add-preview").status_code == 404
    )
    assert (
        manager.post(f"/api/actions/tasks/{uuid.uuid4()}/comments/{comment.pk}/add-preview").status_code
        == 404
    )
    manager.post(url, {}, format="json")
    fresh = Comment.objects.create(
        object_id=task.pk, object_type="Task", person=team["manager"], task_status=wip
    )
    response = manager.post(
        f"/api/actions/tasks/{task.pk}/comments/{fresh.pk}/add-preview", {"revision": 1}, format="json"
    )
    assert response.status_code == 400 and "Revision 1 already exists" in response.json()["message"]
    assert PreviewFile.objects.count() == 1


def test_remove_a_preview_of_a_comment(show, team, task, comment):
    manager = client_for(team["manager"])
    preview_id = manager.post(f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/add-preview").json()["id"]
    url = f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/preview-files/{preview_id}"
    assert client_for(team["user"]).delete(f"{url}?force=true").status_code == 403
    assert client_for(team["vendor"]).delete(url).status_code == 403
    other = Comment.objects.create(object_id=task.pk, object_type="Task", person=team["user"])
    wrong = f"/api/actions/tasks/{task.pk}/comments/{other.pk}/preview-files/{preview_id}"
    assert manager.delete(wrong).status_code == 404
    assert (
        manager.delete(f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/preview-files/zz").status_code
        == 400
    )
    assert PreviewFile.objects.count() == 1
    assert client_for(team["user"]).delete(url).status_code == 204
    assert not PreviewFile.objects.exists() and not comment.previews.exists()


def test_set_main_preview(show, team, task, assets):
    url = f"/api/actions/tasks/{task.pk}/set-main-preview"
    response = client_for(team["manager"]).put(url)
    assert response.status_code == 400 and "no preview file" in response.json()["message"]
    old = PreviewFile.objects.create(task=task, revision=1, name="a", status="ready")
    newest = PreviewFile.objects.create(task=task, revision=2, name="b")
    assert client_for(team["client"]).put(url).status_code == 403
    assert client_for(team["vendor"]).put(url).status_code == 403  # not working on the asset
    assert (
        client_for(team["user"]).put(f"/api/actions/tasks/{uuid.uuid4()}/set-main-preview").status_code == 404
    )
    response = client_for(team["user"]).put(url)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(assets[0].pk) and body["type"] == "Entity"
    assert body["preview_file_id"] == str(newest.pk) and body["preview_file_status"] == "processing"
    assets[0].refresh_from_db()
    assert assets[0].preview_file_id == newest.pk != old.pk
    (event,) = events("preview-file:set-main")
    assert event["entity_id"] == str(assets[0].pk) and event["preview_file_id"] == str(newest.pk)
    assert events("asset:update") == [{"asset_id": str(assets[0].pk), "project_id": str(show.pk)}]


def test_set_main_previews_of_several_tasks(show, team, task, assets, modeling, todo):
    bare = factories.make_task(assets[1], modeling, todo)
    preview = PreviewFile.objects.create(task=task, revision=1, name="a")
    url = "/api/actions/tasks/set-main-preview"
    body = {"task_ids": [str(task.pk), str(bare.pk)]}
    assert client_for(team["client"]).put(url, body, format="json").status_code == 403
    response = client_for(team["manager"]).put(
        url, {"task_ids": [str(task.pk), str(uuid.uuid4())]}, format="json"
    )
    assert response.status_code == 404
    assets[0].refresh_from_db()
    assert assets[0].preview_file_id is None
    response = client_for(team["manager"]).put(url, body, format="json")
    assert response.status_code == 200 and [row["preview_file_id"] for row in response.json()] == [
        str(preview.pk)
    ]
    assert client_for(team["manager"]).put(url, {"task_ids": []}, format="json").status_code == 400


# --- comments of a task -------------------------------------------------------------------------


def make_thread(task, team, wip, todo, count=1):
    """Per round: an artist's comment, a client's, one for clients and one with a preview, mentions,
    an attachment and a reply."""
    for n in range(count):
        Comment.objects.create(
            object_id=task.pk, object_type="Task", person=team["user"], task_status=wip, text=f"artist {n}"
        )
        Comment.objects.create(
            object_id=task.pk, object_type="Task", person=team["client"], task_status=wip, text=f"client {n}"
        )
        Comment.objects.create(
            object_id=task.pk,
            object_type="Task",
            person=team["manager"],
            task_status=todo,
            text=f"for client {n}",
            for_client=True,
        )
        with_preview = Comment.objects.create(
            object_id=task.pk,
            object_type="Task",
            person=team["manager"],
            editor=team["supervisor"],
            task_status=todo,
            text=f"preview {n}",
            replies=[{"id": str(uuid.uuid4()), "text": "ok", "person_id": str(team["user"].pk)}],
        )
        with_preview.previews.add(
            PreviewFile.objects.create(task=task, revision=n + 1, name=uuid.uuid4().hex[:8])
        )
        CommentMention.objects.create(comment=with_preview, person=team["user"])
        AttachmentFile.objects.create(comment=with_preview, name="notes", extension="txt", size=3)


def test_task_comments_with_their_nested_rows(show, team, task, wip, todo):
    make_thread(task, team, wip, todo)
    response = client_for(team["manager"]).get(url_of(task, "/comments"))
    assert response.status_code == 200
    comments = response.json()
    assert len(comments) == 4
    preview_comment = next(c for c in comments if c["text"] == "preview 0")
    assert preview_comment["type"] == "Comment" and preview_comment["object_id"] == str(task.pk)
    manager = team["manager"]
    assert preview_comment["person"] == {
        "first_name": manager.first_name,
        "last_name": manager.last_name,
        "full_name": manager.full_name,
        "has_avatar": False,
        "role": "manager",
        "id": str(manager.pk),
    }
    assert preview_comment["editor"]["id"] == str(team["supervisor"].pk)
    assert preview_comment["task_status"] == {
        "name": "Todo",
        "short_name": "todo",
        "color": todo.color,
        "id": str(todo.pk),
    }
    (preview,) = preview_comment["previews"]
    assert (
        preview["revision"] == 1 and preview["status"] == "processing" and preview["task_id"] == str(task.pk)
    )
    assert preview_comment["mentions"] == [str(team["user"].pk)]
    (attachment,) = preview_comment["attachment_files"]
    assert (
        attachment["name"] == "notes" and attachment["extension"] == "txt" and attachment["reply_id"] is None
    )
    assert preview_comment["replies"][0]["person"]["id"] == str(team["user"].pk)
    assert preview_comment["acknowledgements"] == [] and preview_comment["department_mentions"] == []


def test_what_artists_and_clients_read_of_a_thread(show, team, task, wip, todo):
    make_thread(task, team, wip, todo)
    artist_texts = {c["text"] for c in client_for(team["user"]).get(url_of(task, "/comments")).json()}
    assert artist_texts == {"artist 0", "for client 0", "preview 0"}  # not what the client wrote
    client_rows = client_for(team["client"]).get(url_of(task, "/comments")).json()
    assert {c["text"] for c in client_rows} == {"client 0", "for client 0", ""}
    blanked = next(c for c in client_rows if c["previews"])
    assert blanked["attachment_files"] == [] and blanked["replies"] == [] and blanked["checklist"] == []
    assert client_for(team["vendor"]).get(url_of(task, "/comments")).status_code == 403
    assert client_for(team["outsider"]).get(url_of(task, "/comments")).status_code == 403
    assert client_for(team["user"]).get(f"/api/data/tasks/{uuid.uuid4()}/comments").status_code == 404


def test_task_comments_run_a_bounded_number_of_queries(
    show, team, task, wip, todo, django_assert_max_num_queries
):
    api = client_for(team["client"])
    make_thread(task, team, wip, todo, count=1)
    with django_assert_max_num_queries(11):
        assert len(api.get(url_of(task, "/comments")).json()) == 3
    make_thread(task, team, wip, todo, count=8)
    with django_assert_max_num_queries(11):
        assert len(api.get(url_of(task, "/comments")).json()) == 27


def test_read_one_comment_of_a_task(show, team, task, assets, modeling, todo, wip):
    mine = Comment.objects.create(object_id=task.pk, object_type="Task", person=team["user"], task_status=wip)
    by_client = Comment.objects.create(object_id=task.pk, object_type="Task", person=team["client"])
    response = client_for(team["user"]).get(url_of(task, f"/comments/{mine.pk}"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(mine.pk) and body["type"] == "Comment" and "person" not in body
    assert client_for(team["user"]).get(url_of(task, f"/comments/{by_client.pk}")).status_code == 403
    assert client_for(team["client"]).get(url_of(task, f"/comments/{by_client.pk}")).status_code == 200
    other = factories.make_task(assets[1], modeling, todo)
    assert client_for(team["user"]).get(url_of(other, f"/comments/{mine.pk}")).status_code == 404
    assert client_for(team["user"]).get(url_of(task, f"/comments/{uuid.uuid4()}")).status_code == 404


def test_delete_a_comment_of_a_task(show, team, task, wip, todo):
    mine = Comment.objects.create(object_id=task.pk, object_type="Task", person=team["user"], task_status=wip)
    theirs = Comment.objects.create(
        object_id=task.pk, object_type="Task", person=team["manager"], task_status=todo
    )
    task.task_status = todo
    task.save()
    assert client_for(team["user"]).delete(url_of(task, f"/comments/{theirs.pk}")).status_code == 403
    assert client_for(team["user"]).delete(url_of(task, f"/comments/{uuid.uuid4()}")).status_code == 404
    assert client_for(team["user"]).delete(url_of(task, f"/comments/{mine.pk}")).status_code == 204
    assert list(Comment.objects.all()) == [theirs]
    assert events("comment:delete") == [
        {"comment_id": str(mine.pk), "task_id": str(task.pk), "project_id": str(show.pk)}
    ]
    assert client_for(team["manager"]).delete(url_of(task, f"/comments/{theirs.pk}")).status_code == 204
    task.refresh_from_db()
    assert task.task_status_id == todo.pk and not Comment.objects.exists()


# --- a task in full, its previews, an entity's tasks --------------------------------------------


def test_task_previews(show, team, task):
    PreviewFile.objects.create(task=task, revision=1, name="a")
    PreviewFile.objects.create(task=task, revision=2, name="b", validation_status="rejected")
    rows = client_for(team["user"]).get(url_of(task, "/previews")).json()
    assert [row["revision"] for row in rows] == [2, 1] and rows[0]["type"] == "PreviewFile"
    assert [row["revision"] for row in client_for(team["client"]).get(url_of(task, "/previews")).json()] == [
        1
    ]
    assert client_for(team["vendor"]).get(url_of(task, "/previews")).status_code == 403
    assert client_for(team["user"]).get(f"/api/data/tasks/{uuid.uuid4()}/previews").status_code == 404


def test_full_task(show, team, task, shots, animation, todo):
    task.assigner = team["manager"]
    task.duration = 30
    task.save()
    Subscription.objects.create(task=task, person=team["user"])
    body = client_for(team["user"]).get(url_of(task, "/full")).json()
    assert body["type"] == "Task" and body["assignees"] == [str(team["user"].pk)]
    assert body["entity"]["id"] == str(task.entity_id) and body["entity"]["type"] == "Entity"
    assert body["entity_type"]["name"] == "Character" and body["project"]["name"] == "Show"
    assert body["task_type"]["name"] == "Modeling" and body["task_status"]["short_name"] == "todo"
    assert body["is_subscribed"] is True and body["duration"] == 30
    (person,) = body["persons"]
    assert person["id"] == str(team["user"].pk) and "password" not in person and person["full_name"]
    assert body["assigner"]["id"] == str(team["manager"].pk) and "departments" in body["assigner"]
    assert "sequence" not in body
    client_view = client_for(team["client"]).get(url_of(task, "/full")).json()
    assert client_view["persons"] == [] and "assigner" not in client_view and client_view["duration"] == 0
    assert client_view["assignees"] == []
    shot_task = factories.make_task(shots[0], animation, todo)
    shot_view = client_for(team["manager"]).get(url_of(shot_task, "/full")).json()
    assert shot_view["sequence"]["name"] == "SQ01" and shot_view["sequence"]["type"] == "Sequence"
    assert shot_view["episode"]["name"] == "E01" and shot_view["episode"]["type"] == "Episode"
    assert client_for(team["vendor"]).get(url_of(task, "/full")).status_code == 403
    assert client_for(team["outsider"]).get(url_of(task, "/full")).status_code == 403
    assert client_for(team["user"]).get(f"/api/data/tasks/{uuid.uuid4()}/full").status_code == 404


def test_full_task_read_compiled_once_reads_each_time(show, team, task, todo, django_assert_max_num_queries):
    """The panel's task is read by SQL compiled once (and prepared on PostgreSQL): each read
    still sees the row as it is now, in the same few queries."""
    client = client_for(team["manager"])
    first = client.get(url_of(task, "/full")).json()
    task.duration = 42
    task.assigner = team["user"]
    task.save()
    with django_assert_max_num_queries(7):
        second = client.get(url_of(task, "/full")).json()
    assert first["duration"] == 0 and second["duration"] == 42
    assert "assigner" not in first and second["assigner"]["id"] == str(team["user"].pk)
    assert second["task_status"]["id"] == str(todo.pk) and second["entity"]["id"] == str(task.entity_id)


def test_tasks_of_an_entity_for_a_task_type(show, team, task, assets, modeling):
    task.duration = 12
    task.save()
    url = f"/api/data/entities/{assets[0].pk}/task-types/{modeling.pk}/tasks"
    (row,) = client_for(team["user"]).get(url).json()
    assert row["id"] == str(task.pk) and row["duration"] == 12 and "assignees" not in row
    (blank,) = client_for(team["client"]).get(url).json()
    assert blank["duration"] == 0 and blank["difficulty"] is None
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["vendor"]).get(url).status_code == 403  # not working on the asset
    task.assignees.add(team["vendor"])
    assert client_for(team["vendor"]).get(url).status_code == 200
    assert (
        client_for(team["user"])
        .get(f"/api/data/entities/{uuid.uuid4()}/task-types/{modeling.pk}/tasks")
        .status_code
        == 404
    )
    assert (
        client_for(team["user"]).get(f"/api/data/entities/{assets[0].pk}/task-types/zz/tasks").status_code
        == 400
    )


# --- people's tasks -----------------------------------------------------------------------------


def make_todo(person, team, show, modeling, statuses, count):
    """`count` tasks assigned to `person`, each with a comment (and one by a client)."""
    for n in range(count):
        asset = factories.make_asset(show, name=f"todo {uuid.uuid4().hex[:6]}")
        task = factories.make_task(asset, modeling, statuses[n % len(statuses)])
        task.assignees.add(person)
        Comment.objects.create(object_id=task.pk, object_type="Task", person=team["manager"], text=f"do {n}")
        Comment.objects.create(object_id=task.pk, object_type="Task", person=team["client"], text="client")


def test_a_person_todo_list(show, team, task, shots, animation, todo, wip, done_status):
    artist = team["user"]
    shot_task = factories.make_task(shots[0], animation, wip)
    shot_task.assignees.add(artist)
    factories.make_task(shots[1], animation, done_status).assignees.add(artist)
    Comment.objects.create(object_id=task.pk, object_type="Task", person=team["manager"], text="go")
    Comment.objects.create(object_id=task.pk, object_type="Task", person=team["client"], text="later")
    rows = client_for(team["supervisor"]).get(f"/api/data/persons/{artist.pk}/tasks").json()
    assert {row["id"] for row in rows} == {str(task.pk), str(shot_task.pk)}
    asset_row = next(row for row in rows if row["id"] == str(task.pk))
    assert asset_row["project_name"] == "Show" and asset_row["entity_name"] == "prop0"
    assert asset_row["entity_type_name"] == "Character" and asset_row["task_type_name"] == "Modeling"
    assert asset_row["task_status_short_name"] == "todo" and asset_row["assignees"] == [str(artist.pk)]
    assert asset_row["last_comment"]["text"] == "go" and asset_row["episode_id"] == ""
    assert asset_row["entity_preview_file_id"] == "" and asset_row["sequence_name"] is None
    shot_row = next(row for row in rows if row["id"] == str(shot_task.pk))
    assert shot_row["sequence_name"] == "SQ01" and shot_row["episode_name"] == "E01"
    assert shot_row["episode_id"] == str(shots[0].parent.parent_id) and shot_row["last_comment"] == {}
    done = client_for(artist).get(f"/api/data/persons/{artist.pk}/done-tasks").json()
    assert [row["task_status_short_name"] for row in done] == ["done"]
    for role in ("client", "outsider"):
        assert client_for(team[role]).get(f"/api/data/persons/{artist.pk}/tasks").json() == [], role
    assert client_for(team["vendor"]).get(f"/api/data/persons/{artist.pk}/tasks").status_code == 403
    assert client_for(team["vendor"]).get(f"/api/data/persons/{team['vendor'].pk}/tasks").json() == []
    assert client_for(artist).get(f"/api/data/persons/{uuid.uuid4()}/tasks").status_code == 404


def test_asset_cast_in_episodes_shows_them(show, team, task, shots):
    episode = shots[0].parent.parent
    EntityLink.objects.create(entity_in=episode, entity_out=task.entity)
    (row,) = client_for(team["user"]).get(f"/api/data/persons/{team['user'].pk}/tasks").json()
    assert row["episode_ids"] == [str(episode.pk)] and row["episode_names"] == ["E01"]


def test_todo_list_runs_a_bounded_number_of_queries(
    show, team, modeling, todo, wip, django_assert_max_num_queries
):
    artist, api = team["user"], client_for(team["manager"])
    make_todo(artist, team, show, modeling, [todo, wip], 2)
    with django_assert_max_num_queries(7):
        assert len(api.get(f"/api/data/persons/{artist.pk}/tasks").json()) == 2
    make_todo(artist, team, show, modeling, [todo, wip], 20)
    with django_assert_max_num_queries(7):
        rows = api.get(f"/api/data/persons/{artist.pk}/tasks").json()
    assert len(rows) == 22 and all(row["last_comment"]["text"].startswith("do") for row in rows)


def test_related_tasks_of_a_person(show, team, task, assets, modeling, todo):
    lighting = factories.make_task_type(name="Lighting")
    related = factories.make_task(assets[0], lighting, todo)
    factories.make_task(assets[1], lighting, todo)  # not an entity the artist works on
    url = f"/api/data/persons/{team['user'].pk}/related-tasks/{lighting.pk}"
    rows = client_for(team["manager"]).get(url).json()
    assert [row["id"] for row in rows] == [str(related.pk)] and rows[0]["type"] == "Task"
    assert client_for(team["outsider"]).get(url).json() == []
    assert client_for(team["vendor"]).get(url).status_code == 403
    assert (
        client_for(team["manager"]).get(f"/api/data/persons/{team['user'].pk}/related-tasks/zz").status_code
        == 400
    )


def test_persons_task_dates(show, team, task):
    import datetime

    task.start_date = datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
    task.due_date = datetime.datetime(2024, 3, 20, tzinfo=datetime.UTC)
    task.save()
    elsewhere = factories.make_project(name="Elsewhere")
    busy = factories.make_task(factories.make_asset(elsewhere), task.task_type, task.task_status)
    busy.start_date = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    busy.due_date = datetime.datetime(2024, 5, 3, tzinfo=datetime.UTC)
    busy.save()
    busy.assignees.add(team["user"])
    url = "/api/data/persons/task-dates"
    expected = {
        "person_id": str(team["user"].pk),
        "min_date": "2024-03-01T00:00:00",
        "max_date": "2024-03-20T00:00:00",
    }
    (row,) = client_for(team["supervisor"]).get(f"{url}?project_id={show.pk}").json()
    assert row == {**expected, "busy_periods": []}
    (row,) = client_for(team["supervisor"]).get(url).json()
    assert row["busy_periods"] == [{"start_date": "2024-05-01 00:00:00", "end_date": "2024-05-03 00:00:00"}]
    for role in ("user", "client", "vendor"):
        assert client_for(team[role]).get(url).status_code == 403, role
    assert client_for(team["outsider"]).get(f"{url}?project_id={show.pk}").status_code == 403
    assert client_for(team["supervisor"]).get(f"{url}?project_id=zz").status_code == 400
    assert client_for(team["supervisor"]).get(f"{url}?project_id={uuid.uuid4()}").status_code == 404
    assert len(client_for(team["admin"]).get(url).json()) == 1


# --- open tasks ---------------------------------------------------------------------------------


def test_open_tasks_page_and_stats(show, team, task, shots, animation, todo, wip):
    shot_task = factories.make_task(shots[0], animation, wip, estimation=60, duration=30)
    unassigned = factories.make_task(shots[1], animation, todo)
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    factories.make_task(factories.make_asset(closed), animation, todo)
    api = client_for(team["user"])
    body = api.get("/api/data/tasks/open-tasks").json()
    assert {row["id"] for row in body["data"]} == {str(task.pk), str(shot_task.pk), str(unassigned.pk)}
    assert body["limit"] == 100 and body["page"] == 1 and body["is_more"] is False
    stats = body["stats"]
    assert stats["total"] == 3 and stats["total_duration"] == 30 and stats["total_estimation"] == 60
    assert sorted((s["task_status_id"], s["amount"]) for s in stats["status"]) == sorted(
        [(str(todo.pk), 2), (str(wip.pk), 1)]
    )
    row = next(row for row in body["data"] if row["id"] == str(shot_task.pk))
    assert row["type_name"] == "Animation" and row["status_short_name"] == "wip"
    assert row["sequence_name"] == "SQ01" and row["episode_name"] == "E01" and row["assignees"] == []
    page = api.get("/api/data/tasks/open-tasks?limit=2&page=2").json()
    assert len(page["data"]) == 1 and page["stats"]["total"] == 3 and page["is_more"] is False
    assert api.get("/api/data/tasks/open-tasks?limit=2").json()["is_more"] is True
    mine = api.get(f"/api/data/tasks/open-tasks?person_id={team['user'].pk}").json()
    assert [row["id"] for row in mine["data"]] == [str(task.pk)]
    alone = api.get("/api/data/tasks/open-tasks?person_id=unassigned").json()
    assert {row["id"] for row in alone["data"]} == {str(shot_task.pk), str(unassigned.pk)}
    typed = api.get(f"/api/data/tasks/open-tasks?task_type_id={animation.pk}&project_id={show.pk}").json()
    assert typed["stats"]["total"] == 2
    empty = api.get("/api/data/tasks/open-tasks?page=9").json()
    assert empty["data"] == [] and empty["stats"] == {
        "total_duration": 0,
        "total_estimation": 0,
        "total": 0,
        "status": [],
    }
    assert client_for(team["outsider"]).get("/api/data/tasks/open-tasks").json()["data"] == []
    # a vendor reads the tasks they are assigned only
    vendor = client_for(team["vendor"])
    assert vendor.get(f"/api/data/tasks/open-tasks?project_id={show.pk}").json()["data"] == []
    unassigned.assignees.add(team["vendor"])
    assert [row["id"] for row in vendor.get("/api/data/tasks/open-tasks").json()["data"]] == [
        str(unassigned.pk)
    ]
    (project_stats,) = vendor.get("/api/data/tasks/open-tasks/stats").json().values()
    assert project_stats["amount"] == 1


def test_open_tasks_refusals_and_bad_input(show, team):
    url = "/api/data/tasks/open-tasks"
    assert client_for(team["outsider"]).get(f"{url}?project_id={show.pk}").status_code == 403
    assert client_for(team["user"]).get(f"{url}?project_id={uuid.uuid4()}").status_code == 404
    for query in ("project_id=zz", "person_id=zz", "start_date=2024-13-01", "priority=x", "limit=x"):
        response = client_for(team["user"]).get(f"{url}?{query}")
        assert response.status_code == 400, query
        assert response.json()["error"] is True


def test_open_tasks_run_a_bounded_number_of_queries(
    show, team, modeling, todo, wip, django_assert_max_num_queries
):
    api = client_for(team["user"])
    make_todo(team["vendor"], team, show, modeling, [todo, wip], 2)
    with django_assert_max_num_queries(5):
        assert len(api.get("/api/data/tasks/open-tasks").json()["data"]) == 2
    make_todo(team["vendor"], team, show, modeling, [todo, wip], 20)
    with django_assert_max_num_queries(5):
        assert len(api.get("/api/data/tasks/open-tasks").json()["data"]) == 22


def test_open_tasks_stats(show, team, task, shots, animation, done_status, django_assert_max_num_queries):
    factories.make_task(shots[0], animation, done_status, duration=10, estimation=20)
    with django_assert_max_num_queries(2):
        stats = client_for(team["user"]).get("/api/data/tasks/open-tasks/stats").json()
    project = stats[str(show.pk)]
    assert project["amount"] == 2 and project["amount_done"] == 1
    assert project["total_duration"] == 10 and project["total_estimation"] == 20
    assert {entry["task_type_id"] for entry in project["task_types"]} == {
        str(task.task_type_id),
        str(animation.pk),
    }
    assert client_for(team["outsider"]).get("/api/data/tasks/open-tasks/stats").json() == {}


def test_open_tasks_burndown(show, team, task, shots, animation, done_status):
    import datetime

    task.start_date = datetime.datetime(2024, 3, 5, tzinfo=datetime.UTC)
    task.due_date = datetime.datetime(2024, 3, 20, tzinfo=datetime.UTC)
    task.estimation = 60
    task.save()
    early = factories.make_task(shots[0], animation, done_status, estimation=30)
    early.done_date = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)
    early.save()
    body = client_for(team["user"]).get(f"/api/data/tasks/open-tasks/burndown?project_id={show.pk}").json()
    assert body == {
        "total": 2,
        "total_estimation": 90,
        "start_date": "2024-03-05",
        "end_date": "2024-03-20",
        "done_by_day": [{"date": "2024-03-05", "done": 1, "done_estimation": 30}],
    }
    empty = client_for(team["outsider"]).get("/api/data/tasks/open-tasks/burndown").json()
    assert empty == {
        "total": 0,
        "total_estimation": 0,
        "start_date": None,
        "end_date": None,
        "done_by_day": [],
    }
    assert client_for(team["user"]).get("/api/data/tasks/open-tasks/burndown?due_date=x").status_code == 400


# --- project-wide lists -------------------------------------------------------------------------


def test_project_tasks(show, team, task, assets, modeling, todo, django_assert_max_num_queries):
    second = factories.make_task(assets[1], modeling, todo, duration=5)
    url = f"/api/data/projects/{show.pk}/tasks"
    with django_assert_max_num_queries(5):
        rows = client_for(team["user"]).get(url).json()
    assert {row["id"] for row in rows} == {str(task.pk), str(second.pk)}
    assert next(row for row in rows if row["id"] == str(task.pk))["assignees"] == [str(team["user"].pk)]
    page = client_for(team["user"]).get(f"{url}?page=1").json()
    assert page["total"] == 2 and page["nb_pages"] == 1 and page["limit"] == 100 and len(page["data"]) == 2
    make_todo(team["user"], team, show, modeling, [todo], 12)
    with django_assert_max_num_queries(5):
        assert len(client_for(team["user"]).get(url).json()) == 14
    assert client_for(team["vendor"]).get(url).json() == []  # a vendor reads their own tasks only
    blanked = client_for(team["client"]).get(url).json()
    assert all(row["duration"] == 0 and row["assignees"] == [] for row in blanked)
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["user"]).get(f"/api/data/projects/{uuid.uuid4()}/tasks").status_code == 404
    assert client_for(team["user"]).get(f"{url}?task_type_id=zz").status_code == 400


def test_project_comments(show, team, task, wip):
    comment = Comment.objects.create(
        object_id=task.pk, object_type="Task", person=team["user"], task_status=wip
    )
    CommentMention.objects.create(comment=comment, person=team["manager"])
    url = f"/api/data/projects/{show.pk}/comments"
    (row,) = client_for(team["user"]).get(url).json()
    assert row["id"] == str(comment.pk) and row["mentions"] == [str(team["manager"].pk)]
    assert row["previews"] == [] and row["attachment_files"] == [] and "person" not in row
    page = client_for(team["manager"]).get(f"{url}?page=1&limit=1").json()
    assert page["total"] == 1 and page["limit"] == 1 and page["nb_pages"] == 1
    for role in ("client", "vendor", "outsider"):
        assert client_for(team[role]).get(url).status_code == 403, role
    assert client_for(team["admin"]).get(f"/api/data/projects/{uuid.uuid4()}/comments").status_code == 404


def test_admin_only_project_lists(show, team, task):
    Notification.objects.create(person=team["user"], author=team["manager"], task=task, type="assignation")
    Subscription.objects.create(person=team["user"], task=task)
    PreviewFile.objects.create(task=task, name="p")
    admin = client_for(team["admin"])
    (notification,) = admin.get(f"/api/data/projects/{show.pk}/notifications").json()
    assert notification["type"] == "Notification" and notification["notification_type"] == "assignation"
    page = admin.get(f"/api/data/projects/{show.pk}/notifications?page=1").json()
    assert page["total"] == 1 and len(page["data"]) == 1
    (subscription,) = admin.get(f"/api/data/projects/{show.pk}/subscriptions").json()
    assert subscription["task_id"] == str(task.pk)
    (preview,) = admin.get(f"/api/data/projects/{show.pk}/preview-files").json()
    assert preview["name"] == "p" and preview["type"] == "PreviewFile"
    for suffix in ("notifications", "subscriptions", "preview-files"):
        assert client_for(team["manager"]).get(f"/api/data/projects/{show.pk}/{suffix}").status_code == 403
        assert admin.get(f"/api/data/projects/{uuid.uuid4()}/{suffix}").status_code == 404


def test_supervisors_act_on_the_tasks_of_their_departments(show, team, task, assets, todo):
    lighting_dept, modeling_dept = factories.make_department(name="Lighting"), factories.make_department()
    task.task_type.department = modeling_dept
    task.task_type.save()
    lit = factories.make_task(
        assets[1], factories.make_task_type(name="Light", department=lighting_dept), todo
    )
    lit.assignees.add(team["user"])
    supervisor = client_for(team["supervisor"])
    DepartmentLink.objects.create(person=team["supervisor"], department=lighting_dept)
    body = {"task_ids": [str(task.pk), str(lit.pk)], "priority": 2}
    rows = supervisor.put("/api/actions/tasks/set-priority", body, format="json").json()
    assert [row["id"] for row in rows] == [str(lit.pk)]
    body = {"task_ids": [str(task.pk), str(lit.pk)], "person_id": str(team["user"].pk)}
    assert supervisor.put("/api/actions/tasks/clear-assignation", body, format="json").json() == [str(lit.pk)]
    assert list(task.assignees.all()) == [team["user"]] and not lit.assignees.exists()


def test_asset_tasks_of_an_episode(show, team, shots, modeling, todo):
    episode = shots[0].parent.parent
    made_for = factories.make_asset(show, name="made for", source=episode)
    cast = factories.make_asset(show, name="cast")
    factories.make_asset(show, name="elsewhere")
    EntityLink.objects.create(entity_in=episode, entity_out=cast)
    base = f"/api/actions/projects/{show.pk}/task-types/{modeling.pk}/assets/create-tasks"
    url = f"{base}?episode_id={episode.pk}"
    rows = client_for(team["manager"]).post(url, format="json").json()
    assert sorted(row["entity_id"] for row in rows) == sorted([str(made_for.pk), str(cast.pk)])
    bad = client_for(team["manager"]).post(url.replace(str(episode.pk), "zz"), format="json")
    assert bad.status_code == 400 and Task.objects.count() == 2


def test_one_preview_per_revision_when_the_project_says_so(show, team, task, comment):
    show.is_single_preview_per_revision = True
    show.save()
    url = f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/add-preview"
    assert client_for(team["manager"]).post(url).status_code == 201
    response = client_for(team["manager"]).post(url)
    assert response.status_code == 400 and "Only one preview file" in response.json()["message"]
    assert PreviewFile.objects.count() == 1
