"""Pictures uploaded to a preview slot: the type read from the content, the reference's variants
(sizes, PNG, transparency), EXIF orientation, the decompression-bomb guard, and the downloads of
every variant with their permissions."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.media.storage import media_key
from files.models import PreviewFile
from kitsu_server.core.models import Job
from people.models import Organisation
from tasks.previews.services import add_preview_to_comment
from tests.factories import client_for
from tests.media.conftest import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def new_preview(review):
    created = add_preview_to_comment(review["task"], review["comment"], review["team"]["manager"])
    return PreviewFile.objects.get(pk=created["id"])


def upload(person, preview, content, name="picture.png", query=""):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client_for(person).post(f"/api/pictures/preview-files/{preview.pk}{query}", {"file": upload})


def stored_picture(prefix, preview):
    with default_storage.open(media_key("pictures", prefix, preview.pk), "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_a_picture_upload_makes_the_reference_variants_and_turns_ready(review):
    preview = new_preview(review)

    response = upload(review["team"]["user"], preview, png_bytes((300, 100)), name="../../etc/Hero v1.PNG")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["id"], body["extension"], body["original_name"]) == (str(preview.pk), "png", "Hero v1")
    assert (body["width"], body["height"], body["status"], body["processing_error"]) == (
        300,
        100,
        "ready",
        "",
    )
    assert body["file_size"] > 0
    sizes = {
        prefix: stored_picture(prefix, preview).size
        for prefix in ("original", "thumbnails", "thumbnails-square", "previews")
    }
    assert sizes == {
        "original": (300, 100),
        "thumbnails": (150, 100),
        "thumbnails-square": (100, 100),
        "previews": (1200, 400),
    }
    square = stored_picture("thumbnails-square", preview)
    assert square.mode == "RGBA" and square.getpixel((50, 5))[3] == 0  # transparent padding
    assert square.getpixel((50, 50))[:3] == (200, 30, 30)
    job = Job.objects.get(name="preview.process")
    assert (job.state, job.params["preview_file_id"]) == ("succeeded", str(preview.pk))
    assert set(default_storage.listdir("")[0]) == {"pictures"}  # the upload's name never became a path


@pytest.mark.parametrize(
    "mode, color",
    [
        ("L", 128),
        ("LA", (10, 200)),
        ("P", 3),
        ("CMYK", (0, 255, 255, 0)),
        ("I;16", 40000),
        ("RGBA", (1, 2, 3, 4)),
    ],
)
def test_pictures_of_every_mode_become_rgb_or_rgba_pngs(review, mode, color):
    preview = new_preview(review)
    content = png_bytes((40, 30), mode=mode, color=color, fmt="TIFF" if mode == "CMYK" else "PNG")

    response = upload(review["team"]["manager"], preview, content, name="any.png")

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "ready"
    assert stored_picture("original", preview).mode in ("RGB", "RGBA")
    assert stored_picture("thumbnails", preview).size == (150, 100)


def test_exif_orientation_is_applied(review):
    image = Image.new("RGB", (80, 40), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees: shown 40 wide, 80 high
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    preview = new_preview(review)

    response = upload(review["team"]["manager"], preview, buffer.getvalue(), name="phone.jpg")

    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (40, 80)
    assert stored_picture("original", preview).size == (40, 80)


def test_a_decompression_bomb_is_refused_before_decoding(review, settings):
    settings.MAX_IMAGE_PIXELS = 100 * 100
    preview = new_preview(review)

    response = upload(review["team"]["manager"], preview, png_bytes((200, 200)))

    assert response.status_code == 400
    assert response.json()["message"].startswith("The picture is too large: 200x200 pixels")
    assert not PreviewFile.objects.filter(pk=preview.pk).exists()  # the reference removes the slot
    assert not default_storage.exists(media_key("pictures", "original", preview.pk))


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"just text", "notes.png", "Wrong file format, extension: png"),
        (b"\x89PNG\r\n\x1a\nbroken", "broken.png", "Wrong file format, extension: png"),
        (b"not a movie at all", "clip.mp4", "Wrong file format, extension: mp4"),
    ],
)
def test_a_file_of_no_accepted_kind_is_a_400_and_the_slot_goes(review, content, name, message):
    preview = new_preview(review)

    response = upload(review["team"]["manager"], preview, content, name=name)

    assert (response.status_code, response.json()) == (400, {"error": True, "message": message})
    assert not PreviewFile.objects.filter(pk=preview.pk).exists()


def test_a_pdf_is_kept_as_uploaded_and_ready_at_once(review):
    preview = new_preview(review)
    pdf = b"%PDF-1.4\n%fake but kept as is\n"

    response = upload(review["team"]["manager"], preview, pdf, name="board.pdf")

    assert response.status_code == 201
    assert (response.json()["extension"], response.json()["status"]) == ("pdf", "ready")
    download = client_for(review["team"]["user"]).get(
        f"/api/pictures/originals/preview-files/{preview.pk}.pdf"
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf


def test_upload_refusals(review):
    team = review["team"]
    preview = new_preview(review)
    content = png_bytes()

    assert upload(team["vendor"], preview, content).status_code == 403
    assert upload(team["outsider"], preview, content).status_code == 403
    missing = client_for(team["manager"]).post(f"/api/pictures/preview-files/{preview.pk}", {})
    assert (missing.status_code, missing.json()["message"]) == (400, "File not provided.")
    assert (
        upload(team["manager"], PreviewFile(pk="6f1c2a3e-1111-4222-8333-944455556666"), content).status_code
        == 404
    )
    assert client_for(team["manager"]).post("/api/pictures/preview-files/nope", {}).status_code == 404
    assert upload(team["client"], preview, content).status_code == 201  # clients act on tasks
    again = upload(team["manager"], preview, content)
    assert again.json() == {  # once only, the reference's bare 400
        "error": True,
        "message": "The browser (or proxy) sent a request that this server could not understand.",
    }
    assert PreviewFile.objects.get(pk=preview.pk).status == "ready"


@pytest.fixture
def ready_picture(review):
    preview = new_preview(review)
    assert upload(review["team"]["manager"], preview, png_bytes((300, 100))).status_code == 201
    return preview


ROUTES = [
    ("/api/pictures/thumbnails/preview-files/{}.png", (150, 100)),
    ("/api/pictures/thumbnails-square/preview-files/{}.png", (100, 100)),
    ("/api/pictures/previews/preview-files/{}.png", (1200, 400)),
    ("/api/pictures/originals/preview-files/{}.png", (300, 100)),
]


@pytest.mark.parametrize("route, size", ROUTES)
def test_every_picture_variant_downloads(review, ready_picture, route, size):
    response = client_for(review["team"]["user"]).get(route.format(ready_picture.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=604800"
    assert response["Accept-Ranges"] == "bytes" and response["ETag"] and response["Last-Modified"]
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == size


def test_the_download_route_names_the_file_after_the_upload(review, ready_picture):
    response = client_for(review["team"]["user"]).get(
        f"/api/pictures/originals/preview-files/{ready_picture.pk}/download"
    )

    assert response.status_code == 200
    # <project>_<entity>_<task type>_v<revision>, slugified, as the reference names downloads
    assert re.fullmatch(
        r'attachment; filename="show_character_asset_\d+_task_type_\d+_v1\.png"',
        response["Content-Disposition"],
    )
    Organisation.objects.create(name="Studio", use_original_file_name=True)
    again = client_for(review["team"]["user"]).get(
        f"/api/pictures/originals/preview-files/{ready_picture.pk}/download"
    )
    assert again["Content-Disposition"] == 'attachment; filename="picture.png"'


def test_a_second_read_with_the_etag_is_a_304(review, ready_picture):
    client = client_for(review["team"]["user"])
    url = f"/api/pictures/thumbnails/preview-files/{ready_picture.pk}.png"
    etag = client.get(url)["ETag"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304 and again.content == b""


def test_download_refusals(review, ready_picture):
    team = review["team"]
    url = f"/api/pictures/previews/preview-files/{ready_picture.pk}.png"

    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["vendor"]).get(url).status_code == 403  # not on the vendor's entity
    # The comment is internal (not for clients): its preview is not the client's to read.
    assert client_for(team["client"]).get(url).status_code == 403
    review["comment"].for_client = True
    review["comment"].save(update_fields=["for_client"])
    assert client_for(team["client"]).get(url).status_code == 200
    missing = client_for(team["manager"]).get(
        "/api/pictures/previews/preview-files/6f1c2a3e-1111-4222-8333-944455556666.png"
    )
    assert missing.status_code == 404 and missing.json()["error"] is True
    bad_extension = client_for(team["manager"]).get(
        f"/api/pictures/originals/preview-files/{ready_picture.pk}.exe"
    )
    assert (bad_extension.status_code, bad_extension.json()["message"]) == (400, "Extension not allowed: exe")
    not_a_movie = client_for(team["manager"]).get(
        f"/api/movies/originals/preview-files/{ready_picture.pk}.mp4"
    )
    assert not_a_movie.status_code == 404


@pytest.mark.parametrize("automated", [True, False])
def test_a_main_preview_turning_ready_becomes_the_tasks_last_preview_and_the_entitys(review, automated):
    """As the reference's processing ends: the task's `last_preview_file_id`, and the entity's
    main preview in a production that sets it automatically (with its events)."""
    project = review["project"]
    project.is_set_preview_automated = automated
    project.save(update_fields=["is_set_preview_automated"])
    preview = new_preview(review)
    manager = client_for(review["team"]["manager"])

    response = upload(review["team"]["user"], preview, png_bytes((64, 48)))

    assert response.status_code == 201, response.content
    task = manager.get(f"/api/data/tasks/{review['task'].pk}").json()
    assert task["last_preview_file_id"] == str(preview.pk)
    asset = manager.get(f"/api/data/assets/{review['asset'].pk}").json()
    assert asset["preview_file_id"] == (str(preview.pk) if automated else "")  # the route says "" for none
    events = manager.get(f"/api/data/events/last?project_id={project.pk}").json()
    names = [event["name"] for event in events]
    assert ("preview-file:set-main" in names) is automated


def test_a_second_position_preview_does_not_replace_the_tasks_last_preview(review):
    first = new_preview(review)
    assert upload(review["team"]["user"], first, png_bytes()).status_code == 201
    second = new_preview(review)  # same comment: position 2 of the same revision
    assert second.position == 2

    assert upload(review["team"]["user"], second, png_bytes()).status_code == 201

    task = client_for(review["team"]["manager"]).get(f"/api/data/tasks/{review['task'].pk}").json()
    assert task["last_preview_file_id"] == str(first.pk)
