"""Share links: made, listed, revoked and mailed by the production's managers; a guest (no
account) reads the playlist through one and comments and annotates within what it allows.
Every guest route is tried with a valid, an expired, a revoked and a foreign token."""

import datetime
import uuid

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from files.models import Playlist, PlaylistShareLink, PreviewFile
from files.playlists import sharing
from productions.models import ProjectTaskStatusLink
from tasks.models import Comment
from tests import factories
from tests.playlists.conftest import as_

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    """The client playlist holding the first shot (revision 2) and the second (revision 1), a
    link to it, a guest of that link and a status clients may set."""
    world.shared.shots = [
        {"entity_id": str(world.shots[0].pk), "preview_file_id": str(world.previews[1].pk)},
        {"entity_id": str(world.shots[1].pk), "preview_file_id": str(world.previews[2].pk)},
    ]
    world.shared.save()
    world.link = sharing.create_link(world.shared, world.team["manager"])
    world.guest, _ = sharing.create_guest(world.link, "Jane", "Doe")
    world.status = factories.make_task_status(name="Client OK", is_client_allowed=True)
    ProjectTaskStatusLink.objects.create(project=world.project, task_status=world.status)
    world.guest_client = APIClient()
    return world


def base(link):
    return f"/api/shared/playlists/{link.token}"


# --- managing links ---------------------------------------------------------------------------


def test_a_manager_creates_lists_and_revokes_a_link(world):
    client = as_(world, "manager")
    url = f"/api/data/playlists/{world.shared.pk}/share"
    response = client.post(url, {"expiration_date": "2099-01-10", "password": "s3cret"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert "password" not in body and body["has_password"] is True
    assert body["expiration_date"].startswith("2099-01-10T23:59:59")
    link = PlaylistShareLink.objects.get(pk=body["id"])
    assert link.password != "s3cret"
    assert [item["token"] for item in client.get(url).json()] == [link.token]
    response = client.delete(f"{url}/{link.token}")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get(url).json() == []


@pytest.mark.parametrize("role", ["supervisor", "user", "client", "vendor", "outsider"])
def test_links_are_for_managers_only(world, role):
    client = as_(world, role)
    url = f"/api/data/playlists/{world.shared.pk}/share"
    assert client.get(url).status_code == 403
    assert client.post(url, {}, format="json").status_code == 403
    assert not PlaylistShareLink.objects.exists()


def test_links_404_and_bad_input(world):
    client = as_(world, "manager")
    assert client.get(f"/api/data/playlists/{uuid.uuid4()}/share").status_code == 404
    url = f"/api/data/playlists/{world.shared.pk}/share"
    response = client.post(url, {"expiration_date": "next week"}, format="json")
    assert response.status_code == 400 and response.json()["error"] is True
    assert client.delete(f"{url}/no-such-token").status_code == 404
    other = Playlist.objects.create(name="Other", project=world.project)
    foreign = sharing.create_link(other, world.team["manager"])
    assert client.delete(f"{url}/{foreign.token}").status_code == 404  # a link of another playlist
    assert PlaylistShareLink.objects.get(pk=foreign.pk).is_active


def test_invite_mails_the_link(world):
    link = sharing.create_link(world.shared, world.team["manager"])
    url = f"/api/data/playlists/{world.shared.pk}/share/{link.token}/invite"
    body = {"emails": ["a@example.com"], "person_ids": [str(world.team["client"].pk)], "message": "Hi"}
    response = as_(world, "manager").post(url, body, format="json")
    assert response.status_code == 200 and response.json() == {"sent": 2}
    assert link.token in mail.outbox[0].body
    assert as_(world, "manager").post(url, {"emails": ["nope"]}, format="json").status_code == 400
    assert as_(world, "user").post(url, body, format="json").status_code == 403


# --- the guest surface ------------------------------------------------------------------------


def test_a_guest_reads_the_playlist_without_an_account(shared):
    response = shared.guest_client.get(base(shared.link))
    assert response.status_code == 200
    assert response.json()["project_name"] == shared.project.name
    shots = response.json()["shots"]
    assert [shot["name"] for shot in shots] == ["SH010", "SH020"]
    assert shots[0]["parent_name"] == "SQ01" and shots[0]["preview_files"] == {}
    assert shots[0]["preview_file_revision"] == 2
    context = shared.guest_client.get(f"{base(shared.link)}/context").json()
    assert context["project"]["name"] == shared.project.name
    assert [status["name"] for status in context["task_statuses"]] == ["Client OK"]


def test_a_guest_sees_only_positioned_previews(shared):
    client = shared.guest_client
    ok = client.get(f"{base(shared.link)}/preview-files/{shared.previews[1].pk}")
    assert ok.status_code == 200 and ok.json()["id"] == str(shared.previews[1].pk)
    # revision 1 of the first shot is not positioned: not shown
    assert client.get(f"{base(shared.link)}/preview-files/{shared.previews[0].pk}").status_code == 404
    foreign = PreviewFile.objects.create(
        name="x", task=factories.make_task(factories.make_asset(factories.make_project()))
    )
    assert client.get(f"{base(shared.link)}/preview-files/{foreign.pk}").status_code == 404


def test_a_password_protected_link_needs_its_password(shared):
    link = sharing.create_link(shared.shared, shared.team["manager"], password="s3cret")
    assert shared.guest_client.get(base(link)).status_code == 404
    assert shared.guest_client.get(base(link), {"password": "wrong"}).status_code == 404
    assert shared.guest_client.get(base(link), {"password": "s3cret"}).status_code == 200


def test_a_guest_comments_with_a_client_status_and_edits_and_deletes_their_own(shared):
    client = shared.guest_client
    guest = client.post(f"{base(shared.link)}/guest", {"first_name": "Bob"}, format="json")
    assert guest.status_code == 201 and guest.json()["is_guest"] is True and "password" not in guest.json()
    again = client.post(f"{base(shared.link)}/guest", {"guest_id": guest.json()["id"]}, format="json")
    assert again.status_code == 200 and again.json()["id"] == guest.json()["id"]
    body = {
        "guest_id": str(shared.guest.pk),
        "task_id": str(shared.tasks[0].pk),
        "task_status_id": str(shared.status.pk),
        "text": "Looks good",
    }
    response = client.post(f"{base(shared.link)}/comments", body, format="json")
    assert response.status_code == 201
    comment_id = response.json()["id"]
    listed = client.get(f"{base(shared.link)}/comments").json()
    assert [c["text"] for c in listed] == ["Looks good"] and listed[0]["person"]["is_guest"] is True
    url = f"{base(shared.link)}/comments/{comment_id}"
    edited = client.put(url, {"guest_id": str(shared.guest.pk), "text": "Better"}, format="json")
    assert edited.status_code == 200 and Comment.objects.get(pk=comment_id).text == "Better"
    other_guest, _ = sharing.create_guest(shared.link, "Eve")
    assert client.put(url, {"guest_id": str(other_guest.pk), "text": "x"}, format="json").status_code == 404
    assert client.delete(url, {"guest_id": str(other_guest.pk)}, format="json").status_code == 404
    assert client.delete(url, {"guest_id": str(shared.guest.pk)}, format="json").status_code == 204
    assert not Comment.objects.filter(pk=comment_id).exists()


def test_a_guest_comment_stays_within_the_link(shared):
    client = shared.guest_client
    body = {
        "guest_id": str(shared.guest.pk),
        "task_id": str(shared.tasks[0].pk),
        "task_status_id": str(shared.status.pk),
    }
    internal = factories.make_task_status(name="Internal", is_client_allowed=False)
    assert (
        client.post(
            f"{base(shared.link)}/comments", {**body, "task_status_id": str(internal.pk)}, format="json"
        ).status_code
        == 400
    )
    other_task = factories.make_task(shared.shots[0])
    assert (
        client.post(
            f"{base(shared.link)}/comments", {**body, "task_id": str(other_task.pk)}, format="json"
        ).status_code
        == 403
    )
    other_link = sharing.create_link(shared.internal, shared.team["manager"])
    stranger, _ = sharing.create_guest(other_link, "Mallory")
    assert (
        client.post(
            f"{base(shared.link)}/comments", {**body, "guest_id": str(stranger.pk)}, format="json"
        ).status_code
        == 403
    )
    assert client.post(f"{base(shared.link)}/comments", {"guest_id": "x"}, format="json").status_code == 400
    no_comment = sharing.create_link(shared.shared, shared.team["manager"], can_comment=False)
    assert client.post(f"{base(no_comment)}/comments", body, format="json").status_code == 403
    assert not Comment.objects.exists()


def test_internal_comments_are_not_shown_to_guests(shared):
    Comment.objects.create(
        object_id=shared.tasks[0].pk,
        object_type="Task",
        person=shared.team["manager"],
        task_status=shared.status,
        text="internal",
    )
    Comment.objects.create(
        object_id=shared.tasks[0].pk,
        object_type="Task",
        person=shared.team["manager"],
        task_status=shared.status,
        text="for you",
        for_client=True,
    )
    assert [c["text"] for c in shared.guest_client.get(f"{base(shared.link)}/comments").json()] == ["for you"]


def test_a_guest_annotates_and_touches_only_their_own_strokes(shared):
    preview = shared.previews[1]
    PreviewFile.objects.filter(pk=preview.pk).update(
        annotations=[{"time": 1, "drawing": {"objects": [{"id": "team-stroke", "type": "path"}]}}]
    )
    url = f"{base(shared.link)}/annotations"
    body = {
        "guest_id": str(shared.guest.pk),
        "preview_file_id": str(preview.pk),
        "additions": [{"time": 1, "drawing": {"objects": [{"id": "guest-stroke", "type": "path"}]}}],
        "deletions": [{"time": 1, "objects": ["team-stroke"]}],
    }
    response = shared.guest_client.put(url, body, format="json")
    assert response.status_code == 200
    ids = [item["id"] for item in PreviewFile.objects.get(pk=preview.pk).annotations[0]["drawing"]["objects"]]
    assert ids == ["team-stroke", "guest-stroke"]
    body = {**body, "additions": [], "deletions": [{"time": 1, "objects": ["guest-stroke"]}]}
    shared.guest_client.put(url, body, format="json")
    ids = [item["id"] for item in PreviewFile.objects.get(pk=preview.pk).annotations[0]["drawing"]["objects"]]
    assert ids == ["team-stroke"]
    foreign = {**body, "preview_file_id": str(shared.previews[0].pk)}
    assert shared.guest_client.put(url, foreign, format="json").status_code == 404


def test_a_guest_attaches_files_to_their_own_comment_and_reads_them(shared, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = shared.guest_client
    body = {
        "guest_id": str(shared.guest.pk),
        "task_id": str(shared.tasks[0].pk),
        "task_status_id": str(shared.status.pk),
    }
    comment_id = client.post(f"{base(shared.link)}/comments", body, format="json").json()["id"]
    url = f"{base(shared.link)}/comments/{comment_id}/attachments"
    upload = SimpleUploadedFile("note.txt", b"hello", content_type="text/plain")
    response = client.post(url, {"guest_id": str(shared.guest.pk), "file": upload}, format="multipart")
    assert response.status_code == 201
    [attachment_id] = response.json()["attachment_files"]
    listed = client.get(f"{base(shared.link)}/comments").json()
    assert [a["id"] for a in listed[0]["attachment_files"]] == [attachment_id]
    download = client.get(f"{base(shared.link)}/attachment-files/{attachment_id}/file/note.txt")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"hello"
    other, _ = sharing.create_guest(shared.link, "Eve")
    upload = SimpleUploadedFile("x.txt", b"x")
    assert (
        client.post(url, {"guest_id": str(other.pk), "file": upload}, format="multipart").status_code == 404
    )
    assert client.post(url, {"guest_id": str(shared.guest.pk)}, format="multipart").status_code == 400
    gone = client.delete(f"{url}/{attachment_id}", {"guest_id": str(shared.guest.pk)}, format="json")
    assert gone.status_code == 204
    assert (
        client.get(f"{base(shared.link)}/attachment-files/{attachment_id}/file/note.txt").status_code == 404
    )


# --- every guest route with a valid, expired, revoked and foreign token -------------------------


def guest_requests(world, link):
    """(method, path, body) of every guest route, naming the rows of `world`'s shared playlist."""
    preview = world.previews[1].pk
    guest = str(world.guest.pk)
    root = base(link)
    return [
        ("get", root, None),
        ("get", f"{root}/context", None),
        ("get", f"{root}/comments", None),
        ("post", f"{root}/guest", {"first_name": "Zed"}),
        (
            "post",
            f"{root}/comments",
            {"guest_id": guest, "task_id": str(world.tasks[0].pk), "task_status_id": str(world.status.pk)},
        ),
        ("put", f"{root}/comments/{uuid.uuid4()}", {"guest_id": guest, "text": "x"}),
        ("delete", f"{root}/comments/{uuid.uuid4()}", {"guest_id": guest}),
        ("post", f"{root}/comments/{uuid.uuid4()}/attachments", {"guest_id": guest}),
        ("delete", f"{root}/comments/{uuid.uuid4()}/attachments/{uuid.uuid4()}", {"guest_id": guest}),
        ("put", f"{root}/annotations", {"guest_id": guest, "preview_file_id": str(preview)}),
        ("get", f"{root}/preview-files/{preview}", None),
        ("get", f"{root}/preview-files/{preview}/download", None),
        ("get", f"{root}/movies/originals/preview-files/{preview}.mp4", None),
        ("get", f"{root}/movies/tiles/preview-files/{preview}.png", None),
        ("get", f"{root}/pictures/originals/preview-files/{preview}.png", None),
        ("get", f"{root}/pictures/originals/preview-files/{preview}.mp4", None),
        ("get", f"{root}/pictures/thumbnails/preview-files/{preview}.png", None),
        ("get", f"{root}/pictures/thumbnails/persons/{guest}.png", None),
        ("get", f"{root}/attachment-files/{uuid.uuid4()}/file/a.png", None),
    ]


def call(client, method, path, body):
    return (
        getattr(client, method)(path, body, format="json")
        if body is not None
        else getattr(client, method)(path)
    )


def test_every_guest_route_answers_a_valid_token(shared):
    for method, path, body in guest_requests(shared, shared.link):
        response = call(shared.guest_client, method, path, body)
        # 404 only where the row asked for is missing (no stored media, unknown ids)
        assert response.status_code in (200, 201, 204, 404), (path, response.status_code)
        if path.endswith(("/context", "/comments")) or path == base(shared.link):
            assert response.status_code in (200, 201), path


@pytest.mark.parametrize("state", ["expired", "revoked", "foreign", "unknown"])
def test_every_guest_route_refuses_an_unusable_token(shared, state):
    link = shared.link
    if state == "expired":
        PlaylistShareLink.objects.filter(pk=link.pk).update(
            expiration_date=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif state == "revoked":
        response = as_(shared, "manager").delete(f"/api/data/playlists/{shared.shared.pk}/share/{link.token}")
        assert response.status_code == 200
    # a valid token of another playlist of another production, asked for this one's rows
    other = factories.make_project(name="Elsewhere")
    foreign = sharing.create_link(Playlist.objects.create(name="F", project=other), shared.team["admin"])
    before = Comment.objects.count(), PreviewFile.objects.get(pk=shared.previews[1].pk).annotations
    for method, path, body in guest_requests(shared, link):
        if state == "foreign":
            path = path.replace(link.token, foreign.token)
        elif state == "unknown":
            path = path.replace(link.token, "x" * 43)
        response = call(shared.guest_client, method, path, body)
        if state == "foreign":
            assert response.status_code in (200, 201, 403, 404), (path, response.status_code)
            text = response.content.decode(errors="ignore")
            assert str(shared.shots[0].pk) not in text and str(shared.previews[1].pk) not in text, path
        else:
            assert response.status_code == 404, (state, path, response.status_code)
            assert response.json()["message"] == "Playlist share link not found."
    assert (Comment.objects.count(), PreviewFile.objects.get(pk=shared.previews[1].pk).annotations) == before
