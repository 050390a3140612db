"""`manage.py import_kitsu` copies the media of the preview files, on a source answered here (no
reference server needed): each preview's file downloaded and stored as an upload, its thumbnails
built and the preview ready; a rerun downloads nothing again; a preview the source does not serve
is an import error and the copy goes on; a copy cut mid-download resumes with that preview."""

import io
import re
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from exchange.kitsu.source import SourceRefused, SourceUnavailable
from exchange.management.commands import import_kitsu
from files.media.movies import ffmpeg_binary
from files.models import DataImportError, PreviewFile
from kitsu_server.core.models import Job
from tasks.comments.attachments import attachment_path
from tests.exchange.test_kitsu_import_copy import FakeSource, new_id
from tests.exchange.test_kitsu_import_copy import source as source  # noqa: F401 (the fixture)
from tests.factories import client_for, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "previews"
    settings.FFMPEG_PRESET = "ultrafast"
    settings.FFMPEG_THREADS = 1


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A PNG made with Pillow and an H.264 clip made with the shipped ffmpeg, as bytes."""
    folder = tmp_path_factory.mktemp("source-media")
    picture = folder / "frame.png"
    Image.new("RGB", (64, 36), (200, 80, 40)).save(picture)
    clip = folder / "clip.mp4"
    subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:duration=1"]
        + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", str(clip)],
        check=True,
        capture_output=True,
    )
    return {"png": picture.read_bytes(), "mp4": clip.read_bytes()}


class MediaSource(FakeSource):
    """The fake source, serving files too: {path: bytes}, or an exception to raise."""

    def __init__(self, routes, served):
        super().__init__(routes)
        self.served = served
        self.downloads = []

    def download(self, path, target):
        self.downloads.append(path)
        content = self.served.get(path, SourceRefused(f"GET {path}: 404 NOT FOUND"))
        if isinstance(content, Exception):
            target.write(b"partial")  # what a cut transfer leaves
            raise content
        target.write(content)
        return len(content)


@pytest.fixture
def copy(source, files):
    """The fake source with a picture preview, a movie preview and one still processing there."""
    ids, routes = source
    routes["/data/comments"] = routes["/data/comments"][:1]
    ids.update(picture=new_id(), movie=new_id(), processing=new_id())
    preview = {"task_id": ids["task"], "person_id": ids["ana"], "revision": 1, "status": "ready"}
    routes["/data/preview-files"] = [
        {**preview, "id": ids["picture"], "extension": "png", "original_name": "frame", "position": 1},
        {**preview, "id": ids["movie"], "extension": "mp4", "original_name": "clip", "position": 2},
        {**preview, "id": ids["processing"], "extension": "mp4", "status": "processing", "position": 3},
    ]
    served = {
        f"/pictures/originals/preview-files/{ids['picture']}.png": files["png"],
        f"/movies/originals/preview-files/{ids['movie']}.mp4": files["mp4"],
    }
    return ids, MediaSource(routes, served)


@pytest.fixture
def run(monkeypatch, django_capture_on_commit_callbacks):
    def run(fake):
        """The command; the jobs it queues (the previews' processing) run as the commits come."""
        monkeypatch.setattr(import_kitsu, "SourceServer", lambda url, email, password: fake)
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_kitsu", url=fake.url, email="admin@source.example", password="x", stdout=out)
        return out.getvalue()

    return run


def test_the_previews_media_are_copied_processed_and_served(run, copy, files):
    ids, fake = copy
    output = run(fake)
    assert "Copied, counts verified" in output
    assert re.search(r"^preview-media +2 +2$", output, re.MULTILINE)
    assert "Preview media and pictures downloaded by this run: 2." in output
    assert sorted(fake.downloads) == sorted(
        [
            f"/pictures/originals/preview-files/{ids['picture']}.png",
            f"/movies/originals/preview-files/{ids['movie']}.mp4",
        ]
    )  # the one still processing on the source has nothing to download
    picture = PreviewFile.objects.get(pk=ids["picture"])
    movie = PreviewFile.objects.get(pk=ids["movie"])
    assert (picture.status, picture.extension, picture.original_name, picture.width, picture.height) == (
        "ready",
        "png",
        "frame",
        64,
        36,
    )
    assert (movie.status, movie.extension, movie.is_movie, movie.width, movie.height) == (
        "ready",
        "mp4",
        True,
        64,
        48,
    )
    assert "imported_only" not in picture.data and "imported_only" not in movie.data
    assert PreviewFile.objects.get(pk=ids["processing"]).data["imported_only"] is True

    viewer = client_for(make_person(role="admin", email="viewer@example.com"))
    answer = viewer.get(f"/api/movies/originals/preview-files/{ids['movie']}.mp4")
    assert (answer.status_code, answer["Content-Type"]) == (200, "video/mp4")
    assert b"".join(answer.streaming_content) == files["mp4"]  # the source's movie, byte for byte
    answer = viewer.get(f"/api/pictures/originals/preview-files/{ids['picture']}.png")
    assert answer.status_code == 200
    stored = Image.open(io.BytesIO(b"".join(answer.streaming_content)))
    assert (stored.size, stored.convert("RGB").getpixel((10, 10))) == ((64, 36), (200, 80, 40))
    for route in (
        f"/api/pictures/thumbnails/preview-files/{ids['picture']}.png",
        f"/api/pictures/thumbnails/preview-files/{ids['movie']}.png",
        f"/api/movies/tiles/preview-files/{ids['movie']}.png",
    ):
        answer = viewer.get(route)
        assert (answer.status_code, answer["Content-Type"]) == (200, "image/png"), route

    # Again: nothing downloaded, the processed rows kept as they are.
    fake.downloads.clear()
    output = run(fake)
    assert "Copied, counts verified" in output
    assert "Preview media and pictures downloaded by this run: 0." in output
    assert fake.downloads == []
    assert PreviewFile.objects.get(pk=ids["movie"]).status == "ready"
    assert PreviewFile.objects.filter(task_id=ids["task"]).count() == 3


def test_a_preview_the_source_does_not_serve_is_an_import_error(run, copy):
    ids, fake = copy
    del fake.served[f"/pictures/originals/preview-files/{ids['picture']}.png"]
    with pytest.raises(CommandError, match="The counts differ"):
        run(fake)
    [error] = DataImportError.objects.filter(source="kitsu")
    assert (error.event_data["kind"], error.event_data["id"]) == ("preview-media", ids["picture"])
    assert "404" in error.event_data["error"]
    job = Job.objects.get(name="kitsu.copy")
    assert (job.state, job.result["counts"]["preview-media"], job.result["errors"]) == (
        "succeeded",
        {"source": 2, "here": 1},
        1,
    )
    assert PreviewFile.objects.get(pk=ids["movie"]).status == "ready"  # the copy went on
    assert PreviewFile.objects.get(pk=ids["picture"]).data["imported_only"] is True


def test_a_file_of_no_accepted_kind_is_an_import_error_and_its_row_stays(run, copy):
    ids, fake = copy
    fake.served[f"/pictures/originals/preview-files/{ids['picture']}.png"] = b"not a picture"
    with pytest.raises(CommandError, match="The counts differ"):
        run(fake)
    [error] = DataImportError.objects.filter(source="kitsu")
    assert error.event_data["kind"] == "preview-media"
    assert "no picture, movie or kept file" in error.event_data["error"]
    assert PreviewFile.objects.filter(pk=ids["picture"]).exists()


def test_an_extension_that_is_no_plain_word_is_an_import_error(run, copy):
    ids, fake = copy
    fake.routes["/data/preview-files"][0]["extension"] = "../x"
    with pytest.raises(CommandError, match="The counts differ"):
        run(fake)
    [error] = DataImportError.objects.filter(source="kitsu")
    assert (error.event_data["kind"], error.event_data["id"]) == ("preview-media", ids["picture"])
    assert "extension not allowed" in error.event_data["error"]
    assert PreviewFile.objects.get(pk=ids["movie"]).status == "ready"


def test_a_copy_cut_mid_download_resumes_with_that_preview(run, copy, files):
    ids, fake = copy
    movie_path = f"/movies/originals/preview-files/{ids['movie']}.mp4"
    fake.served[movie_path] = SourceUnavailable(f"GET {movie_path}: connection reset")
    with pytest.raises(CommandError, match="run the same command again to resume"):
        run(fake)
    failed = Job.objects.get(name="kitsu.copy")
    assert (failed.result["checkpoint"]["step"], failed.result["checkpoint"]["index"]) == (
        "preview-media",
        1,
    )
    assert PreviewFile.objects.get(pk=ids["picture"]).status == "ready"
    assert PreviewFile.objects.get(pk=ids["movie"]).data["imported_only"] is True  # nothing kept

    fake.served[movie_path] = files["mp4"]
    fake.downloads.clear()
    assert "Copied, counts verified" in run(fake)
    assert fake.downloads == [movie_path]  # the picture done before was not downloaded again
    movie = PreviewFile.objects.get(pk=ids["movie"])
    assert (movie.status, "imported_only" in movie.data) == ("ready", False)
    assert not DataImportError.objects.exists()


def test_avatars_and_production_thumbnails_are_copied(run, copy, files):
    ids, fake = copy
    fake.routes["/data/persons"][0]["has_avatar"] = True
    fake.routes["/data/projects"][0]["has_avatar"] = True
    avatar = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 120, 200)).save(avatar, "PNG")
    fake.served[f"/pictures/thumbnails/persons/{ids['ana']}.png"] = avatar.getvalue()
    fake.served[f"/pictures/thumbnails/projects/{ids['project']}.png"] = files["png"]
    output = run(fake)
    assert "Copied, counts verified" in output
    assert re.search(r"^thumbnails +2 +2$", output, re.MULTILINE)
    viewer = client_for(make_person(role="admin", email="viewer@example.com"))
    for route, color in (  # fitted in the media layer's 400x400 box, as uploads are
        (f"/api/pictures/thumbnails/persons/{ids['ana']}.png", (10, 120, 200)),
        (f"/api/pictures/thumbnails/projects/{ids['project']}.png", (200, 80, 40)),
    ):
        answer = viewer.get(route)
        assert answer.status_code == 200, route
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        picture = Image.open(io.BytesIO(body))
        assert (picture.size, picture.convert("RGB").getpixel((200, 200))) == ((400, 400), color)
    assert viewer.get(f"/api/data/persons/{ids['ana']}").json()["has_avatar"] is True

    fake.downloads.clear()
    assert "Copied, counts verified" in run(fake)
    assert fake.downloads == []  # the pictures here are kept


def test_a_picture_the_source_does_not_serve_leaves_the_row_without_one(run, copy):
    ids, fake = copy
    fake.routes["/data/projects"][0]["has_avatar"] = True
    with pytest.raises(CommandError, match="The counts differ"):
        run(fake)
    [error] = DataImportError.objects.filter(source="kitsu")
    assert (error.event_data["kind"], error.event_data["id"]) == ("thumbnails", ids["project"])
    answer = client_for(make_person(role="admin", email="viewer@example.com")).get(
        f"/api/data/projects/{ids['project']}"
    )
    assert (answer.status_code, answer.json()["has_avatar"]) == (200, False)


def test_comments_attachments_are_copied_with_their_files(run, copy):
    ids, fake = copy
    attachment = {
        "id": new_id(),
        "name": "notes été.txt",
        "extension": "txt",
        "mimetype": "text/plain",
        "size": 11,
        "comment_id": ids["comment"],
    }
    fake.routes[f"/data/projects/{ids['project']}/attachment-files"] = [attachment]
    path = f"/data/attachment-files/{attachment['id']}/file/notes%20%C3%A9t%C3%A9.txt"
    fake.served[path] = b"hello notes"
    output = run(fake)
    assert "Copied, counts verified" in output
    assert re.search(r"^attachment-files +1 +1$", output, re.MULTILINE)
    assert re.search(r"^attachment-media +1 +1$", output, re.MULTILINE)
    answer = client_for(make_person(role="admin", email="viewer@example.com")).get(f"/api{path}")
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    assert body == b"hello notes"

    fake.downloads.clear()
    assert "Copied, counts verified" in run(fake)
    assert path not in fake.downloads

    # A file cut short here (a write killed mid-way) is downloaded again.
    with default_storage.open(attachment_path(attachment["id"]), "wb") as handle:
        handle.write(b"hello")
    assert "Copied, counts verified" in run(fake)
    assert fake.downloads.count(path) == 1
    with default_storage.open(attachment_path(attachment["id"]), "rb") as handle:
        assert handle.read() == b"hello notes"
