"""The `chats` routes (an entity's chat and its messages, with attachments) and the `user` routes of
the chats the requester takes part in (join, leave, list)."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from files.models import AttachmentFile, PreviewFile, StoredFile
from kitsu_server.core import events as event_log
from productions.models import ProjectPersonLink
from tasks.comments.attachments import attachment_path
from tasks.models import ApiEvent, Chat, ChatMessage, ChatParticipant, TaskPersonLink
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def asset(show):
    return factories.make_asset(show, factories.make_asset_type("Character"), name="Hero")


@pytest.fixture
def live_events():
    """The events published to the live stream during the test (once their transaction commits:
    wrap the requests in `django_capture_on_commit_callbacks(execute=True)`)."""
    received = []
    listener = event_log.on_event(received.append)
    yield received
    event_log._listeners.remove(listener)


def chat_url(entity, suffix=""):
    return f"/api/data/entities/{entity.pk}/chat{suffix}"


def join(person, entity):
    return client_for(person).post(f"/api/actions/user/chats/{entity.pk}/join")


def post_message(person, entity, text="Hello", **files):
    if files:
        return client_for(person).post(
            chat_url(entity, "/messages"), {"message": text, **files}, format="multipart"
        )
    return client_for(person).post(chat_url(entity, "/messages"), {"message": text}, format="json")


# --- the chat -------------------------------------------------------------------------------------


def test_an_entity_chat_is_made_on_first_read(team, asset):
    response = client_for(team["user"]).get(chat_url(asset))
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "Chat" and body["object_id"] == str(asset.pk) and body["object_type"] == "entity"
    assert body["participants"] == [] and body["messages"] == [] and body["last_message"] is None
    again = client_for(team["manager"]).get(chat_url(asset)).json()
    assert again["id"] == body["id"]
    assert Chat.objects.count() == 1


def test_the_chat_follows_the_entity_access(show, team, asset):
    for person in (team["outsider"],):
        assert client_for(person).get(chat_url(asset)).status_code == 403
        assert client_for(person).get(chat_url(asset, "/messages")).status_code == 403
        assert join(person, asset).status_code == 403
    # A vendor reaches only the entities they work on.
    assert client_for(team["vendor"]).get(chat_url(asset)).status_code == 403
    task = factories.make_task(asset)
    TaskPersonLink.objects.create(task=task, person=team["vendor"])
    assert client_for(team["vendor"]).get(chat_url(asset)).status_code == 200
    assert client_for(team["admin"]).get(chat_url(asset)).status_code == 200
    missing = f"/api/data/entities/{uuid.uuid4()}/chat"
    assert client_for(team["user"]).get(missing).status_code == 404
    assert client_for(team["user"]).get("/api/data/entities/not-an-id/chat").status_code == 404
    assert client_for(team["user"]).post(f"/api/actions/user/chats/{uuid.uuid4()}/join").status_code == 404


def test_joining_and_leaving_a_chat(team, asset, live_events, django_capture_on_commit_callbacks):
    artist = team["user"]
    with django_capture_on_commit_callbacks(execute=True):
        response = join(artist, asset)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "Chat" and body["object_id"] == str(asset.pk) and "participants" not in body
    assert join(artist, asset).status_code == 200  # joining twice changes nothing
    assert ChatParticipant.objects.filter(person=artist).count() == 1
    assert client_for(team["manager"]).get(chat_url(asset)).json()["participants"] == [str(artist.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(artist).delete(f"/api/actions/user/chats/{asset.pk}/join")
    assert response.status_code == 204
    assert client_for(artist).delete(f"/api/actions/user/chats/{asset.pk}/join").status_code == 204
    assert client_for(artist).get(chat_url(asset)).json()["participants"] == []
    chat_id = body["id"]
    heard = [(event.name, event.data) for event in live_events]
    assert ("chat:joined", {"chat_id": chat_id, "person_id": str(artist.pk)}) in heard
    assert ("chat:left", {"chat_id": chat_id, "person_id": str(artist.pk)}) in heard
    assert not ApiEvent.objects.filter(name__startswith="chat:").exists()  # broadcast, never stored


# --- messages -------------------------------------------------------------------------------------


def test_a_participant_posts_a_message(team, asset, live_events, django_capture_on_commit_callbacks):
    artist = team["user"]
    join(artist, asset)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_message(artist, asset, "Hi there")
    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "ChatMessage" and body["text"] == "Hi there"
    assert body["person_id"] == str(artist.pk) and "attachment_files" not in body
    chat = Chat.objects.get()
    assert body["chat_id"] == str(chat.pk)
    assert chat.last_message is not None
    assert client_for(artist).get(chat_url(asset)).json()["last_message"] == body["created_at"]
    new = [event.data for event in live_events if event.name == "chat:new-message"]
    assert new == [
        {"chat_id": str(chat.pk), "chat_message_id": body["id"], "last_message": body["created_at"]}
    ]


def test_only_participants_post_and_a_message_is_required(team, asset):
    response = post_message(team["user"], asset)
    assert response.status_code == 400
    assert response.json()["message"] == "You are not a participant of this chat"
    join(team["user"], asset)
    response = client_for(team["user"]).post(chat_url(asset, "/messages"), {}, format="json")
    assert response.status_code == 400 and response.json()["data"]["errors"][0]["field"] == "message"
    assert post_message(team["outsider"], asset).status_code == 403
    assert not ChatMessage.objects.exists()


def test_attachments_are_stored_with_the_message(team, asset, media):
    join(team["user"], asset)
    files = {
        "file-0": SimpleUploadedFile("ref.png", b"\x89PNG image", content_type="image/png"),
        "file-1": SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
    }
    response = post_message(team["user"], asset, "with files", **files)
    assert response.status_code == 201
    attachments = {entry["name"]: entry for entry in response.json()["attachment_files"]}
    assert set(attachments) == {"ref.png", "notes.txt"}
    assert attachments["notes.txt"] == {
        "id": attachments["notes.txt"]["id"],
        "name": "notes.txt",
        "extension": "txt",
        "size": 5,
    }
    png = AttachmentFile.objects.get(name="ref.png")
    assert png.chat_message_id == uuid.UUID(response.json()["id"]) and png.comment_id is None
    assert (media / attachment_path(png.pk)).read_bytes() == b"\x89PNG image"
    assert StoredFile.objects.filter(file_id=str(png.pk), prefix="attachments").exists()
    # The chat's attachments are served to whoever reaches the entity.
    response = client_for(team["manager"]).get(f"/api/data/attachment-files/{png.pk}/file/ref.png")
    assert response.status_code == 200
    listed = client_for(team["manager"]).get(chat_url(asset, "/messages")).json()
    assert sorted(entry["name"] for entry in listed[0]["attachment_files"]) == ["notes.txt", "ref.png"]
    assert set(listed[0]["attachment_files"][0]) == {"id", "name", "extension"}


def test_messages_read_oldest_first_in_bounded_queries(team, asset, django_assert_max_num_queries):
    for person in (team["user"], team["manager"]):
        join(person, asset)
    post_message(team["user"], asset, "first", file=SimpleUploadedFile("a.txt", b"a"))
    client = client_for(team["supervisor"])
    with django_assert_max_num_queries(12) as small:
        assert len(client.get(chat_url(asset, "/messages")).json()) == 1
    baseline = len(small.captured_queries)
    for index in range(15):
        post_message(
            team["manager"], asset, f"message {index}", file=SimpleUploadedFile(f"{index}.txt", b"x")
        )
    with django_assert_max_num_queries(baseline):
        rows = client.get(chat_url(asset, "/messages")).json()
    assert [row["text"] for row in rows] == ["first", *(f"message {index}" for index in range(15))]
    assert all(len(row["attachment_files"]) == 1 for row in rows)
    chat = client.get(chat_url(asset)).json()
    assert [message["text"] for message in chat["messages"]] == [row["text"] for row in rows]


def test_one_message_of_the_chat(show, team, asset):
    join(team["user"], asset)
    message_id = post_message(team["user"], asset, "one").json()["id"]
    response = client_for(team["manager"]).get(chat_url(asset, f"/messages/{message_id}"))
    assert response.status_code == 200
    assert response.json()["text"] == "one" and response.json()["attachment_files"] == []
    other = factories.make_asset(show, name="Villain")
    assert client_for(team["manager"]).get(chat_url(other, f"/messages/{message_id}")).status_code == 403
    assert client_for(team["manager"]).get(chat_url(asset, f"/messages/{uuid.uuid4()}")).status_code == 404
    assert client_for(team["manager"]).get(chat_url(asset, "/messages/bad")).status_code == 400
    assert client_for(team["outsider"]).get(chat_url(asset, f"/messages/{message_id}")).status_code == 403


def test_a_message_is_deleted_by_its_author_or_an_admin(
    team, asset, media, live_events, django_capture_on_commit_callbacks
):
    for person in (team["user"], team["manager"]):
        join(person, asset)
    response = post_message(team["user"], asset, "mine", file=SimpleUploadedFile("a.txt", b"a"))
    message_id = response.json()["id"]
    attachment = AttachmentFile.objects.get()
    stored = media / attachment_path(attachment.pk)
    assert stored.exists()
    assert client_for(team["manager"]).delete(chat_url(asset, f"/messages/{message_id}")).status_code == 403
    assert ChatMessage.objects.filter(pk=message_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(team["user"]).delete(chat_url(asset, f"/messages/{message_id}"))
    assert response.status_code == 204
    assert not ChatMessage.objects.exists() and not AttachmentFile.objects.exists()
    assert not stored.exists()
    chat_id = str(Chat.objects.get().pk)
    deleted = [event.data for event in live_events if event.name == "chat:deleted-message"]
    assert deleted == [{"chat_id": chat_id, "chat_message_id": message_id}]

    other_id = post_message(team["manager"], asset, "theirs").json()["id"]
    assert client_for(team["admin"]).delete(chat_url(asset, f"/messages/{other_id}")).status_code == 204
    assert client_for(team["admin"]).delete(chat_url(asset, f"/messages/{other_id}")).status_code == 404


# --- the requester's chats --------------------------------------------------------------------------


def test_the_requester_lists_the_chats_they_take_part_in(show, team, asset):
    sequence = factories.make_sequence(show, name="SQ01")
    shot = factories.make_shot(show, sequence, name="SH010")
    preview = PreviewFile.objects.create(name="v1")
    shot.preview_file = preview
    shot.save()
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    ProjectPersonLink.objects.create(project=closed, person=team["user"])
    archived = factories.make_asset(closed, name="Old")
    artist = team["user"]
    for entity in (asset, shot, archived):
        assert join(artist, entity).status_code == 200
    join(team["manager"], factories.make_asset(show, name="Other"))
    post_message(artist, shot, "hello")

    response = client_for(artist).get("/api/data/user/chats")
    assert response.status_code == 200
    rows = {row["object_id"]: row for row in response.json()}
    assert set(rows) == {str(asset.pk), str(shot.pk)}
    assert rows[str(asset.pk)]["entity_name"] == "Character / Hero"
    assert rows[str(shot.pk)] == {
        "id": str(Chat.objects.get(object_id=shot.pk).pk),
        "object_id": str(shot.pk),
        "last_message": rows[str(shot.pk)]["last_message"],
        "entity_name": "SQ01 / SH010",
        "project_id": str(show.pk),
        "preview_file_id": str(preview.pk),
    }
    assert rows[str(shot.pk)]["last_message"] is not None and rows[str(asset.pk)]["last_message"] is None
    assert client_for(team["supervisor"]).get("/api/data/user/chats").json() == []


def test_chats_of_a_project_left_are_not_listed(show, team, asset):
    artist = team["user"]
    join(artist, asset)
    ProjectPersonLink.objects.filter(project=show, person=artist).delete()
    assert client_for(artist).get("/api/data/user/chats").json() == []


def test_the_chat_list_runs_a_bounded_number_of_queries(show, team, django_assert_max_num_queries):
    artist = team["user"]
    sequence = factories.make_sequence(show)
    join(artist, factories.make_shot(show, sequence))
    client = client_for(artist)
    with django_assert_max_num_queries(10) as small:
        assert len(client.get("/api/data/user/chats").json()) == 1
    baseline = len(small.captured_queries)
    for _ in range(15):
        join(artist, factories.make_shot(show, sequence))
    with django_assert_max_num_queries(baseline):
        assert len(client.get("/api/data/user/chats").json()) == 16


def test_a_message_with_a_bad_attachment_leaves_nothing_behind(team, asset, media):
    join(team["user"], asset)
    too_long = SimpleUploadedFile("x" * 251 + ".txt", b"x")
    response = post_message(team["user"], asset, "oops", file=too_long)
    assert response.status_code == 400 and "250 characters" in response.json()["message"]
    assert not ChatMessage.objects.exists() and not AttachmentFile.objects.exists()
    assert Chat.objects.get().last_message is None
    assert not any(media.rglob("*.*"))
