"""`manage.py import_kitsu` copies the media of a production's previews from the reference server:
a picture and a movie uploaded there through gazu come out here ready, with their thumbnails, the
originals download here as the reference serves them (the movie byte for byte, the picture pixel
for pixel: the media layer writes its own PNG), and the production's thumbnail comes along.

These tests need the reference Kitsu (Zou) server on 127.0.0.1:5000 and skip, saying so, when it
does not answer. They add a production of a unique name there and delete nothing."""

import io
import subprocess
import time
import urllib.request
import uuid

import pytest
from PIL import Image

from files.media.movies import ffmpeg_binary
from files.models import PreviewFile
from kitsu_server.core.models import Job
from tests.exchange.test_kitsu_import_command import ADMIN, REFERENCE, import_kitsu, reference_answers
from tests.factories import client_for, make_person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not reference_answers(), reason=f"the reference Kitsu (Zou) server does not answer on {REFERENCE}"
    ),
]
PROCESSING_WAIT = 120  # seconds the reference may take to process the movie


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "previews"
    settings.FFMPEG_PRESET = "ultrafast"
    settings.FFMPEG_THREADS = 1


def make_clip(path):
    """A one-second clip with a tone (the reference's processing needs an audio track)."""
    subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=1"]
        + ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
        + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-c:a", "aac", "-shortest"]
        + [str(path)],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A production on the reference with a thumbnail and a shot task showing a picture preview and
    a movie preview (processed there, when it can)."""
    gazu = pytest.importorskip("gazu")
    client = gazu.client.create_client(REFERENCE)
    gazu.log_in(ADMIN["email"], ADMIN["password"], client=client)
    suffix = uuid.uuid4().hex[:8]
    project = gazu.project.new_project(f"Media copy {suffix}", production_type="short", client=client)
    project = gazu.project.update_project(
        {"id": project["id"], "fps": "25", "resolution": "320x180"}, client=client
    )
    task_type = next(t for t in gazu.task.all_task_types(client=client) if t["for_entity"] == "Shot")
    gazu.project.add_task_type(project, task_type, 1, client=client)
    todo = gazu.task.get_task_status_by_short_name("todo", client=client)
    gazu.project.add_task_status(project, todo, client=client)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=client)
    shot = gazu.shot.new_shot(project, sequence, "SH010", frame_in=1, frame_out=25, client=client)
    task = gazu.task.new_task(shot, task_type, client=client)
    folder = tmp_path_factory.mktemp("reference-media")
    image = folder / "frame.png"
    Image.new("RGB", (64, 36), (200, 80, 40)).save(image)
    clip = make_clip(folder / "clip.mp4")
    gazu.client.upload(f"pictures/thumbnails/projects/{project['id']}", str(image), client=client)
    notes = folder / "notes.txt"
    notes.write_bytes(b"Keep the red. \xc3\xa9t\xc3\xa9\n")
    noted = gazu.task.add_comment(task, todo, "With notes", attachments=[str(notes)], client=client)
    previews = {}
    for kind, path in (("picture", image), ("movie", clip)):
        comment = gazu.task.add_comment(task, todo, f"The {kind}", client=client)
        previews[kind] = gazu.task.add_preview(task, comment, str(path), client=client)
    deadline = time.monotonic() + PROCESSING_WAIT
    statuses = {}
    for kind, preview in previews.items():
        while (status := gazu.files.get_preview_file(preview["id"], client=client)["status"]) == "processing":
            if time.monotonic() > deadline:
                pytest.fail(f"The reference did not process the {kind} preview in {PROCESSING_WAIT} s.")
            time.sleep(1)
        statuses[kind] = status
    return {
        "project": project,
        "attachment": noted["attachment_files"][0],
        "previews": previews,
        "statuses": statuses,
        "token": client.tokens["access_token"],
    }


def reference_file(production, path):
    request = urllib.request.Request(f"{REFERENCE}{path}")
    request.add_header("Authorization", f"Bearer {production['token']}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the reference)
        return response.read()


def served_here(path):
    answer = client_for(make_person(role="admin", email=f"{uuid.uuid4().hex[:8]}@example.com")).get(path)
    assert answer.status_code == 200, path
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return answer["Content-Type"], body


def copied(production):
    """The production copied here; its job's counts."""
    output = import_kitsu(production["project"]["name"])
    assert "Copied, counts verified" in output
    with_media = [kind for kind, status in production["statuses"].items() if status == "ready"]
    counts = Job.objects.get(name="kitsu.copy").result["counts"]
    assert (counts["preview-files"], counts["preview-media"], counts["thumbnails"]) == (
        {"source": 2, "here": 2},
        {"source": len(with_media), "here": len(with_media)},
        {"source": 1, "here": 1},  # the production's
    )
    assert counts["attachment-files"] == counts["attachment-media"] == {"source": 1, "here": 1}
    return output


def test_a_picture_preview_is_copied_with_its_media(production):
    assert production["statuses"]["picture"] == "ready"
    copied(production)
    picture_id = production["previews"]["picture"]["id"]
    picture = PreviewFile.objects.get(pk=picture_id)
    assert (picture.status, picture.extension, picture.width, picture.height) == ("ready", "png", 64, 36)
    assert "imported_only" not in picture.data
    path = f"/pictures/originals/preview-files/{picture_id}.png"
    content_type, body = served_here(f"/api{path}")
    # The media layer stores a picture as its own PNG encoding: the same pixels as the reference's.
    reference = Image.open(io.BytesIO(reference_file(production, path)))
    here = Image.open(io.BytesIO(body))
    assert content_type == "image/png"
    assert (here.size, here.convert("RGB").tobytes()) == (reference.size, reference.convert("RGB").tobytes())
    for variant in ("thumbnails", "thumbnails-square", "previews"):
        assert served_here(f"/api/pictures/{variant}/preview-files/{picture_id}.png")[0] == "image/png"
    project_id = production["project"]["id"]
    _, body = served_here(f"/api/pictures/thumbnails/projects/{project_id}.png")
    thumbnail = Image.open(io.BytesIO(body)).convert("RGB")
    assert thumbnail.getpixel((thumbnail.width // 2, thumbnail.height // 2)) == (200, 80, 40)

    attachment = production["attachment"]
    path = f"/data/attachment-files/{attachment['id']}/file/notes.txt"
    assert (
        served_here(f"/api{path}")[1]
        == reference_file(production, path)
        == b"Keep the red. \xc3\xa9t\xc3\xa9\n"
    )

    # Again: nothing downloaded a second time.
    assert "Preview media and pictures downloaded by this run: 0." in import_kitsu(
        production["project"]["name"]
    )


def test_a_movie_preview_is_copied_with_its_media(production):
    movie_id = production["previews"]["movie"]["id"]
    if production["statuses"]["movie"] != "ready":
        copied(production)  # a movie broken there is copied as its row, nothing downloaded
        assert PreviewFile.objects.get(pk=movie_id).data["imported_only"] is True
        pytest.skip(
            f"the reference could not process the uploaded movie (it is {production['statuses']['movie']} "
            "there; on this machine its processing finds no ffprobe, see its log), so it serves no movie "
            "to copy"
        )
    copied(production)
    movie = PreviewFile.objects.get(pk=movie_id)
    assert (movie.status, movie.extension, movie.is_movie, movie.width, movie.height) == (
        "ready",
        "mp4",
        True,
        320,
        180,
    )
    path = f"/movies/originals/preview-files/{movie_id}.mp4"
    assert served_here(f"/api{path}") == ("video/mp4", reference_file(production, path))  # byte for byte
    for route in (
        f"/api/pictures/thumbnails/preview-files/{movie_id}.png",
        f"/api/movies/tiles/preview-files/{movie_id}.png",
    ):
        assert served_here(route)[0] == "image/png"
