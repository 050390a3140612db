"""The `comments` area routes: commenting on a task (status change, dates, retakes, mentions,
notifications, news, attachments, hashtags, status automations) in one transaction, batches and
client comment copies, replies, acknowledgements, moves and attachment files.

Each family covers the reference's happy path, the roles it refuses, missing objects (404) and bad
input (400, nothing written); lists assert a query bound that does not grow with the rows.
"""

import threading
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from files.models import AttachmentFile, PreviewFile, StoredFile
from kitsu_server.core import events as event_log
from people.models import DepartmentLink
from productions.models import ProjectPersonLink, ProjectTaskTypeLink, StatusAutomation
from tasks.comments.attachments import attachment_path
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    Comment,
    CommentAcknowledgement,
    CommentDepartmentMention,
    CommentMention,
    News,
    Notification,
    Subscription,
    Task,
)
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def team(show, team):
    """The shared team, with a second artist in it."""
    team["artist2"] = factories.make_person(role="user", first_name="Jane", last_name="Doe", password=None)
    ProjectPersonLink.objects.create(project=show, person=team["artist2"])
    return team


@pytest.fixture
def statuses():
    make = factories.make_task_status
    return {
        "todo": make(name="Todo", short_name="todo", is_default=True),
        "wip": make(name="Work In Progress", short_name="wip", is_wip=True),
        "wfa": make(name="Waiting For Approval", short_name="wfa", is_feedback_request=True),
        "retake": make(name="Retake", short_name="retake", is_retake=True),
        "done": make(name="Done", short_name="done", is_done=True),
        "closed": make(name="Closed", short_name="closed", is_artist_allowed=False, is_client_allowed=False),
    }


@pytest.fixture
def modeling():
    return factories.make_task_type(name="Modeling", for_entity="Asset")


@pytest.fixture
def rigging():
    return factories.make_task_type(name="Rigging", for_entity="Asset")


@pytest.fixture
def asset(show):
    return factories.make_asset(show, name="chair")


@pytest.fixture
def task(asset, modeling, statuses, team):
    task = factories.make_task(asset, modeling, statuses["todo"])
    task.assignees.add(team["user"])
    return task


@pytest.fixture
def rig_task(asset, rigging, statuses):
    return factories.make_task(asset, rigging, statuses["todo"])


def comment_url(task):
    return f"/api/actions/tasks/{task.pk}/comment"


def post_comment(person, task, status, text="", **extra):
    body = {"task_status_id": str(status.pk), "comment": text, **extra}
    return client_for(person).post(comment_url(task), body, format="json")


def event_names():
    return list(ApiEvent.objects.order_by("created_at", "pk").values_list("name", flat=True))


def events(name):
    return list(
        ApiEvent.objects.filter(name=name).order_by("created_at", "pk").values_list("data", flat=True)
    )


def make_comment(task, person, status, text="", **fields):
    return Comment.objects.create(
        object_id=task.pk, object_type="Task", task_status=status, person=person, text=text, **fields
    )


# --- POST /actions/tasks/{task_id}/comment ------------------------------------------------------


def test_comment_moves_the_task_and_records_news_and_events(team, task, statuses):
    response = post_comment(team["user"], task, statuses["wip"], "started")
    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "Comment" and body["text"] == "started" and body["object_type"] == "Task"
    assert body["object_id"] == str(task.pk) and body["person_id"] == str(team["user"].pk)
    assert body["task_status"]["short_name"] == "wip" and body["task_status"]["type"] == "TaskStatus"
    assert (
        body["person"]["id"] == str(team["user"].pk) and body["person"]["full_name"] == team["user"].full_name
    )
    assert "password" not in body["person"]
    assert body["attachment_files"] == [] and body["mentions"] == [] and body["acknowledgements"] == []
    assert body["for_client"] is False and body["checklist"] == [] and body["replies"] == []
    task.refresh_from_db()
    comment = Comment.objects.get()
    assert task.task_status_id == statuses["wip"].pk and task.real_start_date is not None
    assert task.last_comment_date == comment.created_at and task.retake_count == 0
    assert event_names()[-4:] == ["comment:new", "task:update", "task:status-changed", "news:new"]
    assert events("comment:new")[0] == {
        "comment_id": str(comment.pk),
        "task_id": str(task.pk),
        "task_status_id": str(statuses["wip"].pk),
        "person_id": str(team["user"].pk),
        "for_client": False,
        "project_id": str(task.project_id),
    }
    changed = events("task:status-changed")[0]
    assert changed["previous_task_status_id"] == str(statuses["todo"].pk)
    assert changed["new_task_status_id"] == str(statuses["wip"].pk)
    news = News.objects.get()
    assert news.comment_id == comment.pk and news.change is True and news.created_at == comment.created_at
    assert ApiEvent.objects.filter(name="news:new").get().data["news_id"] == str(news.pk)


def test_status_history_counts_retakes_and_stamps_end_and_done_dates(team, task, statuses):
    manager = team["manager"]
    assert post_comment(manager, task, statuses["wfa"]).status_code == 201
    task.refresh_from_db()
    assert task.end_date is not None and task.done_date is None
    assert events("task:to-review")[0]["comment_id"] == str(Comment.objects.get().pk)
    post_comment(manager, task, statuses["retake"])
    task.refresh_from_db()
    assert task.retake_count == 1 and task.end_date is None
    post_comment(manager, task, statuses["retake"], "still wrong")  # no change: no second retake
    task.refresh_from_db()
    assert task.retake_count == 1
    post_comment(manager, task, statuses["done"])
    task.refresh_from_db()
    assert task.done_date is not None and task.task_status_id == statuses["done"].pk
    post_comment(manager, task, statuses["retake"])
    task.refresh_from_db()
    assert task.retake_count == 2 and task.done_date is None
    assert len(events("task:status-changed")) == 4 and len(events("task:update")) == 5


def test_an_older_comment_replays_the_history_instead_of_moving_the_task(team, task, statuses):
    post_comment(team["manager"], task, statuses["wip"])
    latest = Task.objects.get(pk=task.pk).last_comment_date
    response = post_comment(
        team["manager"], task, statuses["done"], "imported", created_at="2020-01-05 10:00:00"
    )
    assert response.status_code == 201 and response.json()["created_at"] == "2020-01-05T10:00:00"
    task.refresh_from_db()
    assert task.task_status_id == statuses["wip"].pk and task.last_comment_date == latest
    assert task.done_date.year == 2020
    assert len(events("task:status-changed")) == 1


def test_managers_set_author_date_and_client_flag_but_artists_do_not(team, task, statuses):
    extra = {"person_id": str(team["artist2"].pk), "created_at": "2024-03-01T08:00:00", "for_client": True}
    body = post_comment(team["manager"], task, statuses["wip"], **extra).json()
    assert body["person_id"] == str(team["artist2"].pk) and body["for_client"] is True
    assert body["created_at"] == "2024-03-01T08:00:00"
    body = post_comment(team["user"], task, statuses["wip"], **extra).json()
    assert body["person_id"] == str(team["user"].pk) and body["for_client"] is False
    assert body["created_at"] != "2024-03-01T08:00:00"


def test_mentions_notify_people_and_departments_and_followers(show, team, task, statuses, asset):
    department = factories.make_department(name="Lighting")
    DepartmentLink.objects.create(person=team["supervisor"], department=department)
    Subscription.objects.create(person=team["client"], task=task)
    text = "@Jane Doe please check, @Lighting too"
    response = post_comment(team["manager"], task, statuses["wip"], text)
    assert response.status_code == 201
    body = response.json()
    assert body["mentions"] == [str(team["artist2"].pk)] and body["department_mentions"] == [
        str(department.pk)
    ]
    comment = Comment.objects.get()
    assert CommentMention.objects.get(comment=comment).person_id == team["artist2"].pk
    assert CommentDepartmentMention.objects.get(comment=comment).department_id == department.pk
    notified = {(n.person_id, n.type, n.change) for n in Notification.objects.all()}
    assert notified == {
        (team["user"].pk, "comment", True),  # assignee
        (team["client"].pk, "comment", True),  # subscriber
        (team["artist2"].pk, "mention", False),
        (team["supervisor"].pk, "mention", False),  # through the department
    }
    assert all(
        n.author_id == team["manager"].pk and n.comment_id == comment.pk for n in Notification.objects.all()
    )
    assert not ApiEvent.objects.filter(name="notification:new").exists()  # broadcast, never stored


def test_notifications_are_broadcast_once_committed(team, task, statuses, django_capture_on_commit_callbacks):
    received = []
    listener = event_log.on_event(received.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert post_comment(team["manager"], task, statuses["wip"], "@Jane Doe").status_code == 201
    finally:
        event_log._listeners.remove(listener)
    live = [(event.name, event.data["person_id"]) for event in received if event.name == "notification:new"]
    assert sorted(live) == sorted(
        [("notification:new", str(team["user"].pk)), ("notification:new", str(team["artist2"].pk))]
    )
    assert {event.name for event in received} >= {"comment:new", "task:status-changed", "news:new"}


def test_sequence_subscribers_hear_of_their_shots_and_authors_hear_nothing(show, team, statuses):
    animation = factories.make_task_type(name="Animation", for_entity="Shot")
    sequence = factories.make_sequence(show, name="SQ01")
    shot_task = factories.make_task(factories.make_shot(show, sequence), animation, statuses["todo"])
    shot_task.assignees.add(team["manager"])
    Subscription.objects.create(person=team["supervisor"], entity=sequence, task_type=animation)
    assert post_comment(team["manager"], shot_task, statuses["wip"]).status_code == 201
    assert list(Notification.objects.values_list("person_id", "type")) == [(team["supervisor"].pk, "comment")]


def test_attachments_sent_with_the_comment_are_stored_and_served(team, task, statuses, media):
    files = {
        "file-0": SimpleUploadedFile("ref.png", b"\x89PNG image", content_type="image/png"),
        "file-1": SimpleUploadedFile("notes.html", b"<b>hi</b>", content_type="text/html"),
    }
    body = {"task_status_id": str(statuses["wip"].pk), "comment": "see files", "checklist": '[{"text": "a"}]'}
    response = client_for(team["user"]).post(comment_url(task), {**body, **files}, format="multipart")
    assert response.status_code == 201
    data = response.json()
    assert data["checklist"] == [{"text": "a"}]
    attachments = {entry["name"]: entry for entry in data["attachment_files"]}
    assert set(attachments) == {"ref.png", "notes.html"}
    assert attachments["ref.png"]["extension"] == "png" and attachments["ref.png"]["size"] == 10
    png = AttachmentFile.objects.get(name="ref.png")
    assert png.mimetype == "image/png" and png.comment_id == uuid.UUID(data["id"])
    path = attachment_path(png.pk)
    assert path == f"files/attachments/{str(png.pk)[:3]}/{str(png.pk)[3:6]}/{png.pk}"
    assert (media / path).read_bytes() == b"\x89PNG image"
    assert StoredFile.objects.filter(file_id=str(png.pk), prefix="attachments", bucket="files").exists()
    response = client_for(team["manager"]).get(f"/api/data/attachment-files/{png.pk}/file/ref.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == b"\x89PNG image"
    html = AttachmentFile.objects.get(name="notes.html")
    response = client_for(team["manager"]).get(f"/api/data/attachment-files/{html.pk}/file/notes.html")
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "notes.html" in response["Content-Disposition"]
    )
    assert client_for(team["outsider"]).get(f"/api/data/attachment-files/{html.pk}/file/x").status_code == 403
    assert (
        client_for(team["user"]).get(f"/api/data/attachment-files/{uuid.uuid4()}/file/x").status_code == 404
    )


def test_a_storage_failure_half_way_leaves_nothing_behind(team, task, statuses, media, monkeypatch):
    real_save = default_storage.save
    calls = []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", failing_save)
    files = {
        "a": SimpleUploadedFile("a.png", b"one", content_type="image/png"),
        "b": SimpleUploadedFile("b.png", b"two", content_type="image/png"),
    }
    body = {"task_status_id": str(statuses["wip"].pk), "comment": "half", **files}
    events_before = ApiEvent.objects.count()
    response = client_for(team["user"]).post(comment_url(task), body, format="multipart")
    assert response.status_code == 500 and response.json()["error"] is True
    task.refresh_from_db()
    assert task.task_status_id == statuses["todo"].pk and task.last_comment_date is None
    assert Comment.objects.count() == 0 and AttachmentFile.objects.count() == 0 and News.objects.count() == 0
    assert ApiEvent.objects.count() == events_before and StoredFile.objects.count() == 0
    assert not (media / calls[0]).exists()  # the first file, written, was removed again


def test_comment_refusals_and_bad_input_write_nothing(show, team, task, statuses):
    assert post_comment(team["outsider"], task, statuses["wip"]).status_code == 403
    assert post_comment(team["artist2"], task, statuses["wip"]).status_code == 403  # not assigned
    assert post_comment(team["user"], task, statuses["closed"]).status_code == 403  # not for artists
    assert post_comment(team["client"], task, statuses["closed"]).status_code == 403
    missing = client_for(team["manager"]).post(comment_url(task), {"comment": "x"}, format="json")
    assert missing.status_code == 400 and "task_status_id" in missing.json()["message"]
    bad = post_comment(team["manager"], task, statuses["wip"], checklist="not json")
    assert bad.status_code == 400 and "checklist" in bad.json()["message"]
    unknown_task = client_for(team["manager"]).post(
        f"/api/actions/tasks/{uuid.uuid4()}/comment",
        {"task_status_id": str(statuses["wip"].pk)},
        format="json",
    )
    assert unknown_task.status_code == 404
    unknown_status = post_comment(team["manager"], task, statuses["wip"], task_status_id=str(uuid.uuid4()))
    assert unknown_status.status_code == 404
    malformed = post_comment(team["manager"], task, statuses["wip"], task_status_id="nope")
    assert malformed.status_code == 400
    assert Comment.objects.count() == 0 and News.objects.count() == 0
    assert not ApiEvent.objects.filter(name="comment:new").exists()


def test_retakes_over_the_cap_are_refused(show, team, task, statuses, asset):
    show.max_retakes = 1
    show.save()
    assert post_comment(team["manager"], task, statuses["retake"]).status_code == 201
    response = post_comment(team["manager"], task, statuses["retake"], "again")
    assert (
        response.status_code == 400 and response.json()["message"] == "No more retakes allowed on this task"
    )
    asset.data = {"max_retakes": 3}
    asset.save()
    assert post_comment(team["manager"], task, statuses["retake"], "again").status_code == 201
    assert Comment.objects.count() == 2


def test_someone_mentioned_may_answer_without_changing_the_status(team, task, statuses):
    make_comment(task, team["manager"], statuses["todo"], "@Jane Doe?")
    CommentMention.objects.create(comment=Comment.objects.get(), person=team["artist2"])
    assert post_comment(team["artist2"], task, statuses["wip"]).status_code == 403
    response = post_comment(team["artist2"], task, statuses["todo"], "here")
    assert response.status_code == 201 and Comment.objects.count() == 2


def test_hashtags_post_the_comment_on_the_other_tasks_of_the_entity(team, task, rig_task, statuses):
    response = post_comment(team["manager"], task, statuses["wip"], "fix the scale #rigging")
    assert response.status_code == 201
    copy = Comment.objects.get(object_id=rig_task.pk)
    assert copy.text == "fix the scale #rigging\n\n____\nFrom Modeling task"
    assert copy.task_status_id == statuses["todo"].pk and copy.person_id == team["manager"].pk
    rig_task.refresh_from_db()
    assert rig_task.task_status_id == statuses["todo"].pk and rig_task.last_comment_date is not None


def test_status_automations_move_the_next_task_and_mark_assets_ready(show, team, task, rig_task, statuses):
    ProjectTaskTypeLink.objects.create(project=show, task_type=task.task_type, priority=1)
    ProjectTaskTypeLink.objects.create(project=show, task_type=rig_task.task_type, priority=2)
    to_status = StatusAutomation.objects.create(
        entity_type="asset",
        in_task_type=task.task_type,
        in_task_status=statuses["done"],
        out_field_type="status",
        out_task_type=rig_task.task_type,
        out_task_status=statuses["wip"],
    )
    ready = StatusAutomation.objects.create(
        entity_type="asset",
        in_task_type=task.task_type,
        in_task_status=statuses["done"],
        out_field_type="ready_for",
        out_task_type=rig_task.task_type,
    )
    back = StatusAutomation.objects.create(  # a rollback towards an earlier step: not applied
        entity_type="asset",
        in_task_type=rig_task.task_type,
        in_task_status=statuses["wip"],
        out_field_type="status",
        out_task_type=task.task_type,
        out_task_status=statuses["retake"],
    )
    show.status_automations.add(to_status, ready, back)
    assert post_comment(team["manager"], task, statuses["done"]).status_code == 201
    rig_task.refresh_from_db()
    assert rig_task.task_status_id == statuses["wip"].pk
    automated = Comment.objects.get(object_id=rig_task.pk)
    assert automated.text == "Change triggered by Modeling set to Done"
    task.refresh_from_db()
    assert task.task_status_id == statuses["done"].pk
    assert task.entity.ready_for_id == rig_task.task_type_id
    assert events("asset:update")[-1]["data"] == {"ready_for": str(rig_task.task_type_id)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_comments_on_one_task_lose_nothing(team, task, statuses):
    """Each thread comments the same task at once; the task row lock applies them one after the
    other, so the task ends on the newest comment's status and counts every move into retake."""
    plan = [statuses["retake"], statuses["wip"]] * 4
    barrier = threading.Barrier(len(plan))
    results = []

    def comment(status):
        try:
            barrier.wait()
            results.append(post_comment(team["manager"], task, status).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=comment, args=(status,)) for status in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * len(plan)
    comments = list(Comment.objects.filter(object_id=task.pk).order_by("created_at"))
    assert len(comments) == len(plan) and News.objects.count() == len(plan)
    previous, retakes = statuses["todo"].pk, 0
    for comment in comments:
        if comment.task_status_id == statuses["retake"].pk and previous != statuses["retake"].pk:
            retakes += 1
        previous = comment.task_status_id
    task.refresh_from_db()
    assert task.task_status_id == comments[-1].task_status_id
    assert task.last_comment_date == comments[-1].created_at and task.retake_count == retakes
    assert ApiEvent.objects.filter(name="comment:new").count() == len(plan)


# --- POST /actions/projects/{project_id}/tasks/comment-many -------------------------------------


def test_managers_comment_many_tasks_at_once(show, team, task, rig_task, statuses):
    other_task = factories.make_task(
        factories.make_asset(factories.make_project(name="Other")), task.task_type
    )
    body = [
        {"object_id": str(task.pk), "task_status_id": str(statuses["wip"].pk), "comment": "go"},
        {"object_id": str(rig_task.pk), "task_status_id": str(statuses["wfa"].pk), "comment": "check"},
        {"object_id": str(rig_task.pk), "comment": "no status: skipped"},
        {"task_status_id": str(statuses["wip"].pk), "comment": "no task: skipped"},
        {"object_id": str(other_task.pk), "task_status_id": str(statuses["wip"].pk), "comment": "elsewhere"},
    ]
    response = client_for(team["manager"]).post(
        f"/api/actions/projects/{show.pk}/tasks/comment-many", body, format="json"
    )
    assert response.status_code == 201
    assert [row["text"] for row in response.json()] == ["go", "check"]
    assert response.json()[0]["task_status"]["short_name"] == "wip"
    task.refresh_from_db()
    rig_task.refresh_from_db()
    assert task.task_status_id == statuses["wip"].pk and rig_task.task_status_id == statuses["wfa"].pk
    assert not Comment.objects.filter(object_id=other_task.pk).exists()


def test_artists_comment_many_only_their_tasks(show, team, task, rig_task, statuses):
    body = [
        {"object_id": str(task.pk), "task_status_id": str(statuses["wip"].pk), "comment": "mine"},
        {"object_id": str(rig_task.pk), "task_status_id": str(statuses["wip"].pk), "comment": "not mine"},
    ]
    url = f"/api/actions/projects/{show.pk}/tasks/comment-many"
    response = client_for(team["user"]).post(url, body, format="json")
    assert response.status_code == 201 and [row["text"] for row in response.json()] == ["mine"]
    closed = [{"object_id": str(task.pk), "task_status_id": str(statuses["closed"].pk), "comment": "x"}]
    assert client_for(team["user"]).post(url, closed, format="json").status_code == 403
    # Outside the production nothing is commented: refused before the body is read (the reference
    # reads it, then answers []).
    assert client_for(team["outsider"]).post(url, body, format="json").status_code == 403
    assert Comment.objects.count() == 1


def test_comment_many_bad_input(show, team, task, statuses):
    url = f"/api/actions/projects/{show.pk}/tasks/comment-many"
    response = client_for(team["manager"]).post(url, {"object_id": str(task.pk)}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "Request body must be a JSON array."
    assert client_for(team["manager"]).post(url, [{"object_id": "nope"}], format="json").status_code == 400
    unknown = [{"object_id": str(uuid.uuid4()), "task_status_id": str(statuses["wip"].pk), "comment": "x"}]
    assert client_for(team["manager"]).post(url, unknown, format="json").status_code == 404
    other_url = f"/api/actions/projects/{uuid.uuid4()}/tasks/comment-many"
    assert client_for(team["manager"]).post(other_url, [], format="json").status_code == 404
    assert Comment.objects.count() == 0


# --- POST /actions/projects/{project_id}/tasks/copy-client-comments -----------------------------


def test_managers_copy_the_last_client_comment_of_each_task(show, team, task, rig_task, statuses):
    first = make_comment(task, team["client"], statuses["wip"], "old remark")
    Comment.objects.filter(pk=first.pk).update(created_at=first.created_at.replace(year=2020))
    make_comment(task, team["client"], statuses["wip"], "make it red")
    make_comment(task, team["user"], statuses["wip"], "artist talk")
    make_comment(rig_task, team["user"], statuses["wip"], "no client here")
    Task.objects.filter(pk=task.pk).update(task_status=statuses["wfa"])
    url = f"/api/actions/projects/{show.pk}/tasks/copy-client-comments"
    body = {"task_ids": [str(task.pk), str(rig_task.pk)], "prefix": "From the client:"}
    response = client_for(team["manager"]).post(url, body, format="json")
    assert response.status_code == 201
    (copy,) = response.json()
    assert copy["text"] == "From the client:\n\nmake it red" and copy["person_id"] == str(team["manager"].pk)
    assert copy["task_status_id"] == str(statuses["wfa"].pk)
    assert client_for(team["user"]).post(url, body, format="json").status_code == 403
    empty = client_for(team["manager"]).post(url, {"task_ids": []}, format="json")
    assert empty.status_code == 400
    assert Comment.objects.count() == 5


# --- attachments ----------------------------------------------------------------------------------


@pytest.fixture
def comment(task, team, statuses):
    return make_comment(task, team["user"], statuses["wip"], "with files")


def add_url(task, comment):
    return f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/add-attachment"


def test_authors_and_managers_add_attachments(team, task, comment, rig_task, media):
    upload = {"file": SimpleUploadedFile("a.txt", b"abc", content_type="text/plain")}
    response = client_for(team["user"]).post(add_url(task, comment), upload, format="multipart")
    assert response.status_code == 201
    (entry,) = response.json()
    assert entry["name"] == "a.txt" and entry["extension"] == "txt" and entry["size"] == 3
    upload = {"file": SimpleUploadedFile("b.txt", b"b", content_type="text/plain")}
    assert (
        client_for(team["manager"]).post(add_url(task, comment), upload, format="multipart").status_code
        == 201
    )
    upload = {"file": SimpleUploadedFile("c.txt", b"c", content_type="text/plain")}
    assert (
        client_for(team["artist2"]).post(add_url(task, comment), upload, format="multipart").status_code
        == 403
    )
    assert (
        client_for(team["user"]).post(add_url(rig_task, comment), upload, format="multipart").status_code
        == 403
    )
    missing = f"/api/actions/tasks/{task.pk}/comments/{uuid.uuid4()}/add-attachment"
    assert client_for(team["user"]).post(missing, upload, format="multipart").status_code == 404
    assert AttachmentFile.objects.count() == 2
    assert client_for(team["user"]).post(add_url(task, comment), {}, format="multipart").json() == []


def test_authors_and_managers_remove_attachments(
    team, task, comment, media, django_capture_on_commit_callbacks
):
    upload = {"file": SimpleUploadedFile("a.txt", b"abc", content_type="text/plain")}
    entry = client_for(team["user"]).post(add_url(task, comment), upload, format="multipart").json()[0]
    path = media / attachment_path(entry["id"])
    assert path.exists()
    url = f"/api/data/tasks/{task.pk}/comments/{comment.pk}/attachments/{entry['id']}"
    assert client_for(team["artist2"]).delete(url).status_code == 403
    other = make_comment(task, team["user"], comment.task_status)
    wrong = f"/api/data/tasks/{task.pk}/comments/{other.pk}/attachments/{entry['id']}"
    assert client_for(team["user"]).delete(wrong).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(team["manager"]).delete(url).status_code == 204
    assert not AttachmentFile.objects.exists() and not path.exists()
    assert StoredFile.objects.get(file_id=entry["id"]).deleted_at is not None
    assert client_for(team["user"]).delete(url).status_code == 404


def test_admins_list_the_attachment_files_of_a_task_or_a_project(
    show, team, task, statuses, django_assert_max_num_queries
):
    for index in range(6):
        owner = make_comment(task, team["user"], statuses["wip"], f"c{index}")
        AttachmentFile.objects.create(
            name=f"f{index}.png", extension="png", mimetype="image/png", comment=owner
        )
    admin = client_for(team["admin"])
    with django_assert_max_num_queries(6):
        rows = admin.get(f"/api/data/tasks/{task.pk}/attachment-files").json()
    assert len(rows) == 6 and rows[0]["type"] == "AttachmentFile" and rows[0]["mimetype"] == "image/png"
    assert rows[0]["comment"]["id"] == rows[0]["comment_id"] and rows[0]["comment"]["type"] == "Comment"
    with django_assert_max_num_queries(6):
        assert len(admin.get(f"/api/data/projects/{show.pk}/attachment-files").json()) == 6
    assert admin.get(f"/api/data/projects/{uuid.uuid4()}/attachment-files").json() == []
    assert client_for(team["manager"]).get(f"/api/data/tasks/{task.pk}/attachment-files").status_code == 403
    assert admin.get("/api/data/tasks/nope/attachment-files").status_code == 400


def test_chat_attachments_are_served_to_who_reaches_the_entity(team, asset, media):
    chat = Chat.objects.create(object_id=asset.pk, object_type="entity")
    message = ChatMessage.objects.create(chat=chat, person=team["manager"], text="see")
    attachment = AttachmentFile.objects.create(
        name="c.png", extension="png", mimetype="image/png", chat_message=message
    )
    path = media / attachment_path(attachment.pk)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"chat")
    url = f"/api/data/attachment-files/{attachment.pk}/file/c.png"
    response = client_for(team["user"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"chat"
    assert client_for(team["vendor"]).get(url).status_code == 403  # no task on the asset
    assert client_for(team["outsider"]).get(url).status_code == 403


def test_attachment_without_stored_file_or_owner(team, task, comment):
    orphan = AttachmentFile.objects.create(name="x.png", extension="png")
    assert (
        client_for(team["admin"]).get(f"/api/data/attachment-files/{orphan.pk}/file/x.png").status_code == 403
    )
    lost = AttachmentFile.objects.create(name="y.png", extension="png", comment=comment)
    assert client_for(team["user"]).get(f"/api/data/attachment-files/{lost.pk}/file/y.png").status_code == 404


# --- replies ----------------------------------------------------------------------------------


def reply_url(task, comment):
    return f"/api/data/tasks/{task.pk}/comments/{comment.pk}/reply"


def test_replies_are_added_and_notified(team, task, comment, media):
    Subscription.objects.create(person=team["supervisor"], task=task)
    response = client_for(team["manager"]).post(
        reply_url(task, comment), {"text": "ok @Jane Doe"}, format="json"
    )
    assert response.status_code == 200
    reply = response.json()
    assert reply["text"] == "ok @Jane Doe" and reply["person_id"] == str(team["manager"].pk)
    assert reply["mentions"] == [str(team["artist2"].pk)] and reply["department_mentions"] == []
    assert reply["person"]["full_name"] == team["manager"].full_name and len(reply["date"]) == 19
    comment.refresh_from_db()
    assert comment.replies[0]["id"] == reply["id"]
    notified = {(n.person_id, n.type) for n in Notification.objects.filter(reply_id=reply["id"])}
    assert notified == {
        (team["user"].pk, "reply"),  # author of the comment, and assignee
        (team["supervisor"].pk, "reply"),
        (team["artist2"].pk, "reply-mention"),
    }
    assert events("comment:reply")[0]["reply_id"] == reply["id"]
    upload = {"text": "file", "f": SimpleUploadedFile("r.txt", b"r", content_type="text/plain")}
    response = client_for(team["user"]).post(reply_url(task, comment), upload, format="multipart")
    entry = response.json()["attachment_files"][0]
    assert entry["name"] == "r.txt" and entry["reply_id"] == response.json()["id"]
    assert AttachmentFile.objects.get().reply_id == uuid.UUID(response.json()["id"])


def test_reply_refusals(team, task, comment, rig_task, statuses):
    assert (
        client_for(team["outsider"]).post(reply_url(task, comment), {"text": "x"}, format="json").status_code
        == 403
    )
    assert (
        client_for(team["user"]).post(reply_url(rig_task, comment), {"text": "x"}, format="json").status_code
        == 403
    )
    missing = f"/api/data/tasks/{task.pk}/comments/{uuid.uuid4()}/reply"
    assert client_for(team["user"]).post(missing, {"text": "x"}, format="json").status_code == 404
    client_thread = make_comment(task, team["client"], statuses["wip"], "I want red")
    refused = client_for(team["user"]).post(reply_url(task, client_thread), {"text": "ok"}, format="json")
    assert refused.status_code == 403  # managers answer clients for the studio
    assert (
        client_for(team["manager"]).post(reply_url(task, client_thread), {}, format="json").status_code == 200
    )
    comment.refresh_from_db()
    assert comment.replies == []


def test_replies_are_deleted_by_their_author_or_an_admin(team, task, comment, media):
    upload = {"text": "oops", "f": SimpleUploadedFile("r.txt", b"r", content_type="text/plain")}
    reply = client_for(team["manager"]).post(reply_url(task, comment), upload, format="multipart").json()
    url = f"/api/data/tasks/{task.pk}/comments/{comment.pk}/reply/{reply['id']}"
    assert Notification.objects.filter(reply_id=reply["id"]).exists()
    assert client_for(team["user"]).delete(url).status_code == 403
    response = client_for(team["manager"]).delete(url)
    assert response.status_code == 200
    assert response.json()["replies"] == [] and response.json()["type"] == "Comment"
    assert "mentions" not in response.json()
    assert (
        not AttachmentFile.objects.exists() and not Notification.objects.filter(reply_id=reply["id"]).exists()
    )
    assert not ApiEvent.objects.filter(name="comment:delete-reply").exists()
    assert client_for(team["manager"]).delete(url).status_code == 404
    other = client_for(team["user"]).post(reply_url(task, comment), {"text": "mine"}, format="json").json()
    admin_url = f"/api/data/tasks/{task.pk}/comments/{comment.pk}/reply/{other['id']}"
    assert client_for(team["admin"]).delete(admin_url).status_code == 200


# --- acknowledgements -------------------------------------------------------------------------


def test_acknowledging_a_comment_toggles(team, task, comment, rig_task):
    url = f"/api/data/tasks/{task.pk}/comments/{comment.pk}/ack"
    response = client_for(team["manager"]).post(url)
    assert response.status_code == 200 and response.json()["acknowledgements"] == [str(team["manager"].pk)]
    assert response.json()["attachment_files"] == [] and response.json()["id"] == str(comment.pk)
    assert CommentAcknowledgement.objects.filter(comment=comment).count() == 1
    assert client_for(team["manager"]).post(url).json()["acknowledgements"] == []
    assert not ApiEvent.objects.filter(name__startswith="comment:").exists()  # broadcast only
    assert client_for(team["outsider"]).post(url).status_code == 403
    assert (
        client_for(team["user"]).post(f"/api/data/tasks/{task.pk}/comments/{uuid.uuid4()}/ack").status_code
        == 404
    )
    wrong_task = f"/api/data/tasks/{rig_task.pk}/comments/{comment.pk}/ack"
    assert client_for(team["user"]).post(wrong_task).status_code == 404
    assert not CommentAcknowledgement.objects.exists()


# --- moving a comment -------------------------------------------------------------------------


def test_managers_move_a_comment_to_another_task_of_the_entity(team, task, rig_task, statuses):
    post_comment(team["user"], task, statuses["wip"], "wrong task")
    comment = Comment.objects.get()
    rig_task.assignees.add(team["artist2"])
    url = f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/move"
    response = client_for(team["manager"]).post(url, {"target_task_id": str(rig_task.pk)}, format="json")
    assert response.status_code == 200
    assert response.json()["object_id"] == str(rig_task.pk) and response.json()["attachment_files"] == []
    task.refresh_from_db()
    rig_task.refresh_from_db()
    assert task.task_status_id == statuses["todo"].pk and task.last_comment_date is None
    assert rig_task.task_status_id == statuses["wip"].pk
    assert News.objects.get().task_id == rig_task.pk
    assert list(Notification.objects.values_list("person_id", "task_id")) == [
        (team["artist2"].pk, rig_task.pk)
    ]
    assert events("comment:delete")[-1] == {
        "comment_id": str(comment.pk),
        "task_id": str(task.pk),
        "project_id": str(task.project_id),
    }
    assert events("comment:new")[-1]["task_id"] == str(rig_task.pk)
    assert len(events("news:delete")) == 1


def test_moving_a_comment_refusals_and_bad_input(show, team, task, rig_task, statuses):
    comment = make_comment(task, team["user"], statuses["wip"])
    url = f"/api/actions/tasks/{task.pk}/comments/{comment.pk}/move"
    body = {"target_task_id": str(rig_task.pk)}
    assert client_for(team["supervisor"]).post(url, body, format="json").status_code == 403
    assert client_for(team["outsider"]).post(url, body, format="json").status_code == 403
    missing = client_for(team["manager"]).post(url, {}, format="json")
    assert missing.status_code == 400 and "target_task_id" in missing.json()["message"]
    same = client_for(team["manager"]).post(url, {"target_task_id": str(task.pk)}, format="json")
    assert same.json()["message"] == "Source and target tasks must be different."
    other_entity = factories.make_task(factories.make_asset(show), rig_task.task_type)
    far = client_for(team["manager"]).post(url, {"target_task_id": str(other_entity.pk)}, format="json")
    assert far.json()["message"] == "A comment can only be moved between tasks of the same entity."
    wrong = f"/api/actions/tasks/{rig_task.pk}/comments/{comment.pk}/move"
    refused = client_for(team["manager"]).post(wrong, {"target_task_id": str(task.pk)}, format="json")
    assert (
        refused.status_code == 400
        and refused.json()["message"] == "Comment does not belong to the given task."
    )
    unknown = client_for(team["manager"]).post(url, {"target_task_id": str(uuid.uuid4())}, format="json")
    assert unknown.status_code == 404
    preview = PreviewFile.objects.create(task=task, revision=1)
    comment.previews.add(preview)
    with_preview = client_for(team["manager"]).post(url, body, format="json")
    assert with_preview.json()["message"] == "A comment attached to a preview revision cannot be moved."
    assert Comment.objects.get().object_id == task.pk
