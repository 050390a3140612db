"""The `user` routes of the requester's notifications (list, read, mark all read) and of their
subscriptions to tasks and sequences."""

import datetime
import uuid

import pytest
from django.utils import timezone

from files.models import Playlist, PreviewFile
from people.auth.authentication import KitsuAccessToken
from tasks.models import (
    ApiEvent,
    Comment,
    CommentDepartmentMention,
    CommentMention,
    CommentPreviewLink,
    Notification,
    Subscription,
)
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

NOTIFICATION_KEYS = {
    "id",
    "type",
    "notification_type",
    "author_id",
    "comment_id",
    "task_id",
    "task_type_id",
    "task_status_id",
    "mentions",
    "department_mentions",
    "reply_mentions",
    "reply_department_mentions",
    "preview_file_id",
    "project_id",
    "project_name",
    "comment_text",
    "reply_text",
    "created_at",
    "read",
    "change",
    "full_entity_name",
    "episode_id",
    "entity_preview_file_id",
    "subscription_id",
    "playlist_id",
    "playlist_name",
    "playlist_for_entity",
    "playlist_is_for_all",
}


@pytest.fixture
def asset(show):
    return factories.make_asset(show, factories.make_asset_type("Character"), name="Hero")


@pytest.fixture
def task(asset):
    return factories.make_task(asset, factories.make_task_type(name="Modeling"))


def comment_on(task, author, text="Looks good", **fields):
    return Comment.objects.create(
        object_id=task.pk,
        object_type="Task",
        person=author,
        text=text,
        task_status=task.task_status,
        **fields,
    )


def notify(person, task, author, kind="comment", comment=None, **fields):
    return Notification.objects.create(
        person=person, author=author, task=task, comment=comment, type=kind, **fields
    )


def user_get(person, path, **params):
    return client_for(person).get(f"/api/data/user/{path}", params)


# --- the list -------------------------------------------------------------------------------------


def test_notifications_list_the_requesters_own_with_what_they_point_at(show, team, task, asset):
    artist, manager = team["user"], team["manager"]
    department = factories.make_department("Animation")
    comment = comment_on(task, manager, "Nice work @User Member")
    CommentMention.objects.create(comment=comment, person=artist)
    CommentDepartmentMention.objects.create(comment=comment, department=department)
    preview = PreviewFile.objects.create(name="v1", task=task, revision=1)
    CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
    mine = notify(artist, task, manager, "mention", comment)
    notify(team["supervisor"], task, manager, "comment", comment)  # someone else's
    subscription = Subscription.objects.create(person=artist, task=task)

    response = user_get(artist, "notifications")
    assert response.status_code == 200
    rows = response.json()
    assert [row["id"] for row in rows] == [str(mine.pk)]
    row = rows[0]
    assert set(row) == NOTIFICATION_KEYS
    assert row["type"] == "Notification" and row["notification_type"] == "mention"
    assert row["author_id"] == str(manager.pk) and row["comment_id"] == str(comment.pk)
    assert row["task_id"] == str(task.pk) and row["task_type_id"] == str(task.task_type_id)
    assert row["task_status_id"] == str(comment.task_status_id)
    assert row["mentions"] == [str(artist.pk)] and row["department_mentions"] == [str(department.pk)]
    assert row["preview_file_id"] == str(preview.pk)
    assert row["project_id"] == str(show.pk) and row["project_name"] == "Show"
    assert row["comment_text"] == "Nice work @User Member" and row["reply_text"] == ""
    assert row["full_entity_name"] == "Character / Hero"
    assert row["subscription_id"] == str(subscription.pk)
    assert row["read"] is False and row["change"] is False
    assert row["playlist_id"] is None and row["playlist_name"] == "" and row["playlist_is_for_all"] is False
    assert len(row["created_at"]) == 19


def test_an_assignation_has_no_comment_text(team, task):
    notify(team["user"], task, team["manager"], "assignation")
    row = user_get(team["user"], "notifications").json()[0]
    assert row["comment_id"] is None and row["comment_text"] is None and row["task_status_id"] is None
    assert row["mentions"] == [] and row["preview_file_id"] is None and row["subscription_id"] is None


def test_replies_carry_their_own_text_and_mentions(team, task):
    artist, manager = team["user"], team["manager"]
    reply_id = str(uuid.uuid4())
    reply = {"id": reply_id, "text": "Fixed it", "mentions": [str(artist.pk)], "department_mentions": []}
    comment = comment_on(task, artist, "Please fix", replies=[reply])
    notify(artist, task, manager, "reply-mention", comment, reply_id=reply_id)
    row = user_get(artist, "notifications").json()[0]
    assert row["notification_type"] == "reply-mention"
    assert row["comment_text"] == "Please fix" and row["reply_text"] == "Fixed it"
    assert row["reply_mentions"] == [str(artist.pk)] and row["reply_department_mentions"] == []


def test_an_artist_does_not_read_what_a_client_wrote(team, task):
    comment = comment_on(task, team["client"], "Client feedback")
    notify(team["user"], task, team["client"], "comment", comment)
    notify(team["supervisor"], task, team["client"], "comment", comment)
    assert user_get(team["user"], "notifications").json()[0]["comment_text"] == ""
    assert user_get(team["supervisor"], "notifications").json()[0]["comment_text"] == "Client feedback"


def test_a_playlist_notification_names_its_playlist(show, team):
    episode = factories.make_episode(show, name="E01")
    playlist = Playlist.objects.create(name="Dailies", project=show, episode=episode, for_entity="shot")
    Notification.objects.create(
        person=team["user"], author=team["manager"], playlist=playlist, type="playlist-ready"
    )
    row = user_get(team["user"], "notifications").json()[0]
    assert row["playlist_id"] == str(playlist.pk) and row["playlist_name"] == "Dailies"
    assert row["playlist_for_entity"] == "shot" and row["playlist_is_for_all"] is False
    assert row["project_id"] == str(show.pk) and row["project_name"] == "Show"
    assert row["episode_id"] == str(episode.pk) and row["full_entity_name"] == ""


def test_notifications_of_a_project_outside_the_team_are_not_shown(show, team, task):
    other = factories.make_project(name="Other")
    foreign_task = factories.make_task(factories.make_asset(other))
    notify(team["user"], task, team["manager"], "assignation")
    hidden = notify(team["user"], foreign_task, team["manager"], "assignation")
    rows = user_get(team["user"], "notifications").json()
    assert [row["task_id"] for row in rows] == [str(task.pk)]
    assert user_get(team["user"], f"notifications/{hidden.pk}").status_code == 404
    # An admin reaches every project: their own notifications all show.
    notify(team["admin"], foreign_task, team["manager"], "assignation")
    assert len(user_get(team["admin"], "notifications").json()) == 1


def test_notification_filters(team, task, asset):
    artist, manager = team["user"], team["manager"]
    other_task = factories.make_task(asset, factories.make_task_type(name="Rigging"))
    old = notify(artist, task, manager, "assignation", read=True)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    comment = comment_on(other_task, manager)
    recent = notify(artist, other_task, manager, "comment", comment)
    Subscription.objects.create(person=artist, task=other_task)

    def ids(**params):
        response = user_get(artist, "notifications", **params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()]

    assert ids() == [str(recent.pk), str(old.pk)]
    assert ids(read="false") == [str(recent.pk)]
    assert ids(read="true") == [str(old.pk)]
    assert ids(type="assignation") == [str(old.pk)]
    assert ids(task_type_id=str(task.task_type_id)) == [str(old.pk)]
    assert ids(task_status_id=str(other_task.task_status_id)) == [str(recent.pk)]
    assert ids(watching="true") == [str(recent.pk)]
    assert ids(watching="false") == [str(old.pk)]
    since = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert ids(after=since) == [str(recent.pk)]
    assert ids(before=since) == [str(old.pk)]
    assert ids(after=(timezone.now() - datetime.timedelta(days=30)).date().isoformat()) == [
        str(recent.pk),
        str(old.pk),
    ]


def test_notification_filters_refuse_malformed_values(team):
    response = user_get(team["user"], "notifications", after="yesterday")
    assert response.status_code == 400
    assert response.json()["message"] == "Wrong date format for after or before."
    response = user_get(team["user"], "notifications", task_type_id="abc")
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid UUID format for task_type_id: abc"
    assert user_get(team["user"], "notifications", task_status_id="abc").status_code == 400


def test_the_list_stops_at_the_100_newest(team, task):
    Notification.objects.bulk_create(
        Notification(
            person=team["user"], author=team["manager"], task=task, type="comment", change=bool(i % 2)
        )
        for i in range(105)
    )
    assert len(user_get(team["user"], "notifications").json()) == 100


def build_notifications(show, team, count):
    sequence = factories.make_sequence(show)
    playlist = Playlist.objects.create(name=f"Playlist {uuid.uuid4().hex[:6]}", project=show)
    for _ in range(count):
        shot = factories.make_shot(show, sequence)
        task = factories.make_task(shot)
        comment = comment_on(task, team["manager"])
        CommentMention.objects.create(comment=comment, person=team["user"])
        preview = PreviewFile.objects.create(name="v1", task=task)
        CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
        notify(team["user"], task, team["manager"], "mention", comment)
        Subscription.objects.create(person=team["user"], task=task)
        Notification.objects.create(
            person=team["user"],
            author=team["manager"],
            playlist=playlist,
            type="playlist-ready",
            comment=comment,
        )


def test_the_list_runs_a_bounded_number_of_queries(show, team, django_assert_max_num_queries):
    build_notifications(show, team, 1)
    client = client_for(team["user"])
    with django_assert_max_num_queries(10) as small:
        assert len(client.get("/api/data/user/notifications").json()) == 2
    baseline = len(small.captured_queries)
    build_notifications(show, team, 20)
    with django_assert_max_num_queries(baseline):
        rows = client.get("/api/data/user/notifications").json()
    assert len(rows) == 42
    assert all(row["full_entity_name"].count(" / ") == 1 for row in rows if row["playlist_id"] is None)


def test_bots_may_not_read_the_user_routes(team):
    bot = factories.make_person(role="user", is_bot=True)
    token = KitsuAccessToken.for_person(bot, identity_type="bot")
    bot.jti = token["jti"]
    bot.save()
    client = client_for(bot)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/data/user/notifications").status_code == 403
    assert client.post("/api/actions/user/notifications/mark-all-as-read").status_code == 403


# --- one notification -------------------------------------------------------------------------------


def test_one_notification_reads_as_in_the_list(team, task):
    mine = notify(team["user"], task, team["manager"], "assignation")
    response = user_get(team["user"], f"notifications/{mine.pk}")
    assert response.status_code == 200
    assert response.json() == user_get(team["user"], "notifications").json()[0]


def test_one_notification_of_someone_else_or_unknown_is_not_found(team, task):
    theirs = notify(team["supervisor"], task, team["manager"], "assignation")
    assert user_get(team["user"], f"notifications/{theirs.pk}").status_code == 404
    assert user_get(team["admin"], f"notifications/{theirs.pk}").status_code == 404
    assert user_get(team["user"], f"notifications/{uuid.uuid4()}").status_code == 404
    response = user_get(team["user"], "notifications/not-an-id")
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid UUID format for notification_id: not-an-id"


def test_marking_a_notification_read_and_unread(team, task):
    mine = notify(team["user"], task, team["manager"], "mention")
    client = client_for(team["user"])
    response = client.put(f"/api/data/user/notifications/{mine.pk}", {"read": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["read"] is True and body["type"] == "Notification" and body["notification_type"] == "mention"
    assert body["person_id"] == str(team["user"].pk) and body["task_id"] == str(task.pk)
    mine.refresh_from_db()
    assert mine.read is True
    event = ApiEvent.objects.get(name="notification:read")
    assert event.data == {"person_id": str(team["user"].pk), "notification_id": str(mine.pk)}
    assert event.project_id is None and event.user_id == team["user"].pk

    response = client.put(f"/api/data/user/notifications/{mine.pk}", {"read": False}, format="json")
    assert response.status_code == 200 and response.json()["read"] is False
    assert ApiEvent.objects.filter(name="notification:unread").count() == 1


def test_a_notification_update_needs_a_boolean_and_ones_own(team, task):
    mine = notify(team["user"], task, team["manager"], "mention")
    theirs = notify(team["supervisor"], task, team["manager"], "mention")
    client = client_for(team["user"])
    for body in ({}, {"read": "maybe"}, {"read": None}):
        response = client.put(f"/api/data/user/notifications/{mine.pk}", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"] is True
    response = client.put(f"/api/data/user/notifications/{theirs.pk}", {"read": True}, format="json")
    assert response.status_code == 404
    response = client.put("/api/data/user/notifications/bad", {"read": True}, format="json")
    assert response.status_code == 400
    assert not Notification.objects.filter(read=True).exists()
    assert not ApiEvent.objects.filter(name__startswith="notification:").exists()


def test_mark_all_as_read_marks_only_the_requesters(team, task):
    for _ in range(3):
        notify(team["user"], task, team["manager"], "comment", comment_on(task, team["manager"]))
    theirs = notify(team["supervisor"], task, team["manager"], "assignation")
    response = client_for(team["user"]).post("/api/actions/user/notifications/mark-all-as-read")
    assert response.status_code == 200 and response.json() == {"success": True}
    assert Notification.objects.filter(person=team["user"], read=False).count() == 0
    theirs.refresh_from_db()
    assert theirs.read is False
    event = ApiEvent.objects.get(name="notification:all-read")
    assert event.data == {"person_id": str(team["user"].pk)} and event.project_id is None


# --- task subscriptions -----------------------------------------------------------------------------


def action(person, path, body=None, method="post"):
    return getattr(client_for(person), method)(f"/api/actions/user/{path}", body, format="json")


def test_subscribing_to_a_task_and_back(team, task):
    artist = team["user"]
    assert user_get(artist, f"tasks/{task.pk}/subscribed").json() is False
    response = action(artist, f"tasks/{task.pk}/subscribe")
    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "Subscription" and body["task_id"] == str(task.pk)
    assert body["person_id"] == str(artist.pk) and body["entity_id"] is None and body["task_type_id"] is None
    again = action(artist, f"tasks/{task.pk}/subscribe")
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert Subscription.objects.filter(person=artist, task=task).count() == 1
    assert user_get(artist, f"tasks/{task.pk}/subscribed").json() is True
    assert user_get(team["supervisor"], f"tasks/{task.pk}/subscribed").json() is False

    assert action(artist, f"tasks/{task.pk}/unsubscribe", method="delete").status_code == 204
    assert user_get(artist, f"tasks/{task.pk}/subscribed").json() is False
    assert action(artist, f"tasks/{task.pk}/unsubscribe", method="delete").status_code == 204
    assert not ApiEvent.objects.exists()  # the reference emits nothing for subscriptions


def test_subscribing_needs_the_tasks_project(team, task):
    assert action(team["outsider"], f"tasks/{task.pk}/subscribe").status_code == 403
    assert action(team["user"], f"tasks/{uuid.uuid4()}/subscribe").status_code == 404
    assert action(team["user"], "tasks/not-an-id/subscribe").status_code == 404
    assert not Subscription.objects.exists()
    assert user_get(team["outsider"], f"tasks/{task.pk}/subscribed").json() is False
    assert user_get(team["user"], "tasks/not-an-id/subscribed").json() is False
    assert action(team["admin"], f"tasks/{task.pk}/subscribe").status_code == 201


def test_subscribing_to_several_tasks_is_all_or_nothing(show, team, task, asset):
    second = factories.make_task(asset, factories.make_task_type(name="Rigging"))
    foreign = factories.make_task(factories.make_asset(factories.make_project(name="Other")))
    artist = team["user"]
    response = action(artist, "tasks/subscribe", {"task_ids": [str(task.pk), str(foreign.pk)]})
    assert response.status_code == 403
    response = action(artist, "tasks/subscribe", {"task_ids": [str(task.pk), str(uuid.uuid4())]})
    assert response.status_code == 404
    for body in ({"task_ids": []}, {}, {"task_ids": "nope"}):
        response = action(artist, "tasks/subscribe", body)
        assert response.status_code == 400, body
    assert not Subscription.objects.exists()

    response = action(artist, "tasks/subscribe", {"task_ids": [str(task.pk), str(second.pk)]})
    assert response.status_code == 201
    assert [row["task_id"] for row in response.json()] == [str(task.pk), str(second.pk)]
    assert Subscription.objects.filter(person=artist).count() == 2

    ids = [str(task.pk), "not-an-id", str(second.pk)]
    response = action(artist, "tasks/unsubscribe", {"task_ids": ids})
    assert response.status_code == 200 and response.json() == ids
    assert not Subscription.objects.exists()
    assert action(artist, "tasks/unsubscribe", {}).status_code == 400


# --- sequence subscriptions -------------------------------------------------------------------------


def test_subscribing_to_a_sequence_task_type(show, team, asset):
    sequence = factories.make_sequence(show)
    animation = factories.make_task_type(name="Animation", for_entity="Shot")
    artist = team["user"]
    path = f"sequences/{sequence.pk}/task-types/{animation.pk}"
    assert user_get(artist, f"{path}/subscribed").json() is False
    response = action(artist, f"{path}/subscribe")
    assert response.status_code == 201
    body = response.json()
    assert body["entity_id"] == str(sequence.pk) and body["task_type_id"] == str(animation.pk)
    assert body["task_id"] is None and body["type"] == "Subscription"
    assert action(artist, f"{path}/subscribe").json()["id"] == body["id"]
    assert user_get(artist, f"{path}/subscribed").json() is True
    assert user_get(artist, f"entities/{sequence.pk}/task-types/{animation.pk}/subscribed").json() is True
    assert user_get(team["manager"], f"{path}/subscribed").json() is False
    assert action(artist, f"{path}/unsubscribe", method="delete").status_code == 204
    assert user_get(artist, f"{path}/subscribed").json() is False
    assert not Subscription.objects.exists()


def test_sequence_subscription_refusals(show, team, asset):
    sequence = factories.make_sequence(show)
    animation = factories.make_task_type(name="Animation", for_entity="Shot")
    path = f"sequences/{sequence.pk}/task-types/{animation.pk}"
    assert action(team["outsider"], f"{path}/subscribe").status_code == 403
    assert (
        action(team["user"], f"sequences/{asset.pk}/task-types/{animation.pk}/subscribe").status_code == 404
    )
    assert (
        action(team["user"], f"sequences/{sequence.pk}/task-types/{uuid.uuid4()}/subscribe").status_code
        == 404
    )
    assert action(team["user"], f"sequences/{sequence.pk}/task-types/bad/subscribe").status_code == 400
    assert not Subscription.objects.exists()
    assert user_get(team["user"], f"sequences/bad/task-types/{animation.pk}/subscribed").json() is False
    assert (
        action(
            team["user"], f"sequences/bad/task-types/{animation.pk}/unsubscribe", method="delete"
        ).status_code
        == 204
    )
