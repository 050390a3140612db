"""The done-when of the previews: gazu publishes a picture and a movie to a task over a real
server (pytest-django's live server, a real socket), the previews become ready, and every variant
downloads, the movie by byte ranges as the web UI's player asks for it."""

import pytest
import requests

gazu = pytest.importorskip("gazu")

from files.models import PreviewFile  # noqa: E402
from tests import factories  # noqa: E402
from tests.media.conftest import png_bytes  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "gazu-media@example.com", "gazu-media-password"


@pytest.fixture
def studio(live_server, show):
    admin = factories.make_person(role="admin", email=EMAIL, password=PASSWORD)
    show.resolution = "64x48"
    show.save(update_fields=["resolution"])
    task = factories.make_task(factories.make_asset(show))
    client = gazu.client.create_client(live_server.url + "/api")
    gazu.log_in(EMAIL, PASSWORD, client=client)
    return client, task, admin


def download(client, path, **headers):
    response = requests.get(
        f"{client.host}/{path}",
        headers={"Authorization": f"Bearer {client.access_token}", **headers},
        timeout=30,
    )
    return response


def test_gazu_publishes_a_picture_and_a_movie_and_every_variant_downloads(studio, clips, tmp_path):
    client, task, _ = studio
    picture = tmp_path / "layout.png"
    picture.write_bytes(png_bytes((320, 200)))
    status = gazu.task.get_task_status(str(task.task_status_id), client=client)

    comment, preview = gazu.task.publish_preview(
        str(task.pk),
        status,
        comment="first pass",
        preview_file_path=str(picture),
        set_thumbnail=True,
        client=client,
    )

    assert comment["text"] == "first pass"
    assert (preview["status"], preview["extension"], preview["width"]) == ("ready", "png", 320)
    for path in ("thumbnails", "thumbnails-square", "previews", "originals"):
        response = download(client, f"pictures/{path}/preview-files/{preview['id']}.png")
        assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
        assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    task.entity.refresh_from_db()
    assert str(task.entity.preview_file_id) == preview["id"]

    movie_comment = gazu.task.add_comment(str(task.pk), status, "animation", client=client)
    movie = gazu.task.add_preview(str(task.pk), movie_comment, str(clips["h264_audio"]), client=client)

    assert (movie["status"], movie["extension"]) == ("ready", "mp4")
    assert PreviewFile.objects.get(pk=movie["id"]).status == "ready"
    whole = download(client, f"movies/originals/preview-files/{movie['id']}.mp4")
    assert whole.status_code == 200 and whole.headers["Content-Type"] == "video/mp4"
    size = len(whole.content)
    part = download(client, f"movies/originals/preview-files/{movie['id']}.mp4", Range="bytes=100-199")
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{size}"
    assert part.content == whole.content[100:200]
    tail = download(client, f"movies/low/preview-files/{movie['id']}.mp4", Range="bytes=-10")
    assert tail.status_code == 206 and len(tail.content) == 10
    beyond = download(client, f"movies/originals/preview-files/{movie['id']}.mp4", Range=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{size}"
    for path in (
        f"movies/source/preview-files/{movie['id']}.mp4",
        f"movies/tiles/preview-files/{movie['id']}.png",
        f"movies/originals/preview-files/{movie['id']}/download",
        f"pictures/thumbnails/preview-files/{movie['id']}.png",
        f"pictures/previews/preview-files/{movie['id']}.png",
    ):
        assert download(client, path).status_code == 200, path
    target = tmp_path / "downloaded.mp4"
    gazu.files.download_preview_movie(movie, str(target), client=client)
    assert target.read_bytes() == whole.content
