"""Review routes of previews: main preview (from a movie frame too), annotations merged per
time, positions within a revision, running previews, batch comments with previews and
attachments, frame and tile extraction, attachment thumbnails."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.models import PreviewFile
from tasks.models import Comment
from tasks.previews.services import add_preview_to_comment
from tests.factories import client_for
from tests.media.conftest import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def ready_preview(review, content=None, name="frame.png", comment=None):
    slot = add_preview_to_comment(review["task"], comment or review["comment"], review["team"]["manager"])
    upload = {"file": SimpleUploadedFile(name, content or png_bytes((64, 48)))}
    response = client_for(review["team"]["manager"]).post(f"/api/pictures/preview-files/{slot['id']}", upload)
    assert response.status_code == 201, response.content
    return PreviewFile.objects.get(pk=slot["id"])


def test_set_main_preview_and_from_a_movie_frame(review, clips):
    team = review["team"]
    picture = ready_preview(review)
    url = f"/api/actions/preview-files/{picture.pk}/set-main-preview"

    assert client_for(team["client"]).put(url, {}, format="json").status_code == 403
    assert client_for(team["outsider"]).put(url, {}, format="json").status_code == 403
    response = client_for(team["user"]).put(url, {}, format="json")
    assert response.status_code == 200
    assert (response.json()["preview_file_id"], response.json()["preview_file_status"]) == (
        str(picture.pk),
        "ready",
    )
    bad = client_for(team["user"]).put(url, {"frame_number": 3}, format="json")
    assert (bad.status_code, bad.json()["message"]) == (400, "Can't use a given frame on non movie preview")
    assert client_for(team["user"]).put(url, {"frame_number": "x"}, format="json").status_code == 400

    movie = ready_preview(review, clips["h264_audio"].read_bytes(), "clip.mp4")
    response = client_for(team["user"]).put(
        f"/api/actions/preview-files/{movie.pk}/set-main-preview", {"frame_number": 10}, format="json"
    )
    assert response.status_code == 200 and response.json()["preview_file_id"] == str(movie.pk)
    unknown = client_for(team["user"]).put(
        "/api/actions/preview-files/6f1c2a3e-1111-4222-8333-944455556666/set-main-preview", {}, format="json"
    )
    assert unknown.status_code == 404


def test_annotations_are_added_updated_and_deleted_per_time(review):
    team = review["team"]
    preview = ready_preview(review)
    url = f"/api/actions/preview-files/{preview.pk}/update-annotations"
    stroke = {"id": "s1", "type": "path", "path": [["M", 0, 0]]}

    added = client_for(team["manager"]).put(
        url, {"additions": [{"time": 0, "drawing": {"objects": [stroke, {"type": "line"}]}}]}, format="json"
    )
    assert added.status_code == 200
    objects = added.json()["annotations"][0]["drawing"]["objects"]
    assert objects[0] == stroke and objects[1]["id"]  # an id is given to what has none
    updated = client_for(team["client"]).put(
        url,
        {
            "additions": [{"time": 0, "drawing": {"objects": [{"id": "s1", "type": "ignored"}]}}],
            "updates": [{"time": 0, "drawing": {"objects": [{"id": "s1", "type": "path", "stroke": "red"}]}}],
        },
        format="json",
    )
    assert updated.status_code == 200
    assert updated.json()["annotations"][0]["drawing"]["objects"][0] == {
        "id": "s1",
        "type": "path",
        "stroke": "red",
    }
    line_id = objects[1]["id"]
    deleted = client_for(team["manager"]).put(
        url, {"deletions": [{"time": 0, "objects": ["s1", line_id]}]}, format="json"
    )
    assert deleted.json()["annotations"] == []
    assert client_for(team["user"]).put(url, {}, format="json").status_code == 403  # artists do not draw
    assert client_for(team["vendor"]).put(url, {}, format="json").status_code == 403
    bad = client_for(team["manager"]).put(url, {"additions": [{"drawing": {}}]}, format="json")
    assert bad.status_code == 400
    preview.refresh_from_db()
    assert preview.annotations == []


def test_update_position_moves_a_preview_within_its_revision(review):
    team = review["team"]
    first = ready_preview(review)
    second = ready_preview(review)
    third = ready_preview(review)
    assert [first.position, second.position, third.position] == [1, 2, 3]

    response = client_for(team["user"]).put(
        f"/api/actions/preview-files/{third.pk}/update-position", {"position": 1}, format="json"
    )

    assert response.status_code == 200
    assert [(row["id"], row["position"]) for row in response.json()] == [
        (str(third.pk), 1),
        (str(first.pk), 2),
        (str(second.pk), 3),
    ]
    url = f"/api/actions/preview-files/{first.pk}/update-position"
    assert client_for(team["vendor"]).put(url, {"position": 1}, format="json").status_code == 403
    assert client_for(team["user"]).put(url, {"position": -1}, format="json").status_code == 400


def test_running_previews_for_admins(review, django_assert_max_num_queries):
    team = review["team"]
    done = ready_preview(review)
    slots = [add_preview_to_comment(review["task"], review["comment"], team["manager"]) for _ in range(3)]
    PreviewFile.objects.filter(pk=slots[0]["id"]).update(status="broken", processing_error="ffmpeg said no")

    with django_assert_max_num_queries(6):
        response = client_for(team["admin"]).get("/api/data/playlists/preview-files/running")

    assert response.status_code == 200
    rows = response.json()
    assert {row["id"] for row in rows} == {slot["id"] for slot in slots} and str(done.pk) not in str(rows)
    assert rows[0]["project_id"] == str(review["project"].pk) and rows[0]["full_entity_name"]
    page = client_for(team["admin"]).get(
        f"/api/data/playlists/preview-files/running?cursor_preview_file_id={rows[0]['id']}&limit=1"
    )
    assert [row["id"] for row in page.json()] == [rows[1]["id"]]
    assert client_for(team["manager"]).get("/api/data/playlists/preview-files/running").status_code == 403
    bad = client_for(team["admin"]).get("/api/data/playlists/preview-files/running?cursor_preview_file_id=x")
    assert (bad.status_code, bad.json()["message"]) == (
        400,
        "The cursor_preview_file_id parameter is not a valid id",
    )


def test_batch_comments_with_previews_and_attachments(review):
    team, task = review["team"], review["task"]
    import orjson

    comments = [
        {"task_status_id": str(task.task_status_id), "text": "with a picture"},
        {"task_status_id": str(task.task_status_id), "text": "with a note"},
    ]
    body = {
        "comments": orjson.dumps(comments).decode(),
        "preview_file-0": SimpleUploadedFile("shot.png", png_bytes((80, 60))),
        "attachment_file-1": SimpleUploadedFile("note.txt", b"hello"),
        "preview_file-1": SimpleUploadedFile("bad.png", b"not a picture"),
    }

    response = client_for(team["user"]).post(f"/api/actions/tasks/{task.pk}/batch-comment", body)

    assert response.status_code == 201, response.content
    first, second = response.json()
    assert first["text"] == "with a picture" and [p["status"] for p in first["preview_files"]] == ["ready"]
    assert second["preview_files"] == [] and [a["name"] for a in second["attachment_files"]] == ["note.txt"]
    assert Comment.objects.get(pk=first["id"]).previews.count() == 1
    many = client_for(team["manager"]).post(
        "/api/actions/tasks/batch-comment",
        {"comments": [{"task_id": str(task.pk), "task_status_id": str(task.task_status_id), "text": "json"}]},
        format="json",
    )
    assert many.status_code == 201 and many.json()[0]["text"] == "json"
    assert (
        client_for(team["vendor"])
        .post(f"/api/actions/tasks/{task.pk}/batch-comment", {"comments": "[]"})
        .status_code
        == 403
    )
    bad = client_for(team["manager"]).post(f"/api/actions/tasks/{task.pk}/batch-comment", {"comments": "{"})
    assert bad.status_code == 400
    unknown = client_for(team["manager"]).post(
        "/api/actions/tasks/6f1c2a3e-1111-4222-8333-944455556666/batch-comment", {"comments": "[]"}
    )
    assert unknown.status_code == 404


def test_extract_frame_and_tile(review, clips):
    team = review["team"]
    movie = ready_preview(review, clips["h264_audio"].read_bytes(), "clip.mp4")

    frame = client_for(team["manager"]).get(
        f"/api/actions/preview-files/{movie.pk}/extract-frame?frame_number=5"
    )
    assert frame.status_code == 200 and frame["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(frame.streaming_content))).size == (64, 48)
    assert (
        client_for(team["user"]).get(f"/api/actions/preview-files/{movie.pk}/extract-frame").status_code
        == 403
    )
    tile = client_for(team["user"]).get(f"/api/actions/preview-files/{movie.pk}/extract-tile")
    assert tile.status_code == 200
    assert Image.open(io.BytesIO(b"".join(tile.streaming_content))).size == (8 * 134, 400)
    assert (
        client_for(team["outsider"]).get(f"/api/actions/preview-files/{movie.pk}/extract-tile").status_code
        == 403
    )
    bad = client_for(team["manager"]).get(
        f"/api/actions/preview-files/{movie.pk}/extract-frame?frame_number=x"
    )
    assert bad.status_code == 400


def test_a_picture_attachment_has_a_thumbnail(review):
    team, task = review["team"], review["task"]
    posted = client_for(team["manager"]).post(
        f"/api/actions/tasks/{task.pk}/comment",
        {
            "task_status_id": str(task.task_status_id),
            "comment": "ref",
            "file-0": SimpleUploadedFile("ref.png", png_bytes((300, 300))),
        },
    )
    assert posted.status_code == 201, posted.content
    attachment_id = posted.json()["attachment_files"][0]["id"]

    response = client_for(team["user"]).get(f"/api/pictures/thumbnails/attachment-files/{attachment_id}.png")

    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (150, 100)
    assert (
        client_for(team["outsider"])
        .get(f"/api/pictures/thumbnails/attachment-files/{attachment_id}.png")
        .status_code
        == 403
    )
