"""The back-office of previews (thumbnail in the list, state and error, reprocess), the upload size
limit (a JSON 413), names and ids that never reach the filesystem, and the X-Accel-Redirect
answer for nginx."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from files.media.storage import media_key
from files.models import PreviewFile
from tasks.previews.services import add_preview_to_comment
from tests.factories import client_for
from tests.media.conftest import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def uploaded_preview(review, content=None, name="shot.png"):
    slot = add_preview_to_comment(review["task"], review["comment"], review["team"]["manager"])
    response = client_for(review["team"]["manager"]).post(
        f"/api/pictures/preview-files/{slot['id']}",
        {"file": SimpleUploadedFile(name, content or png_bytes())},
    )
    assert response.status_code == 201, response.content
    return PreviewFile.objects.get(pk=slot["id"])


@pytest.fixture
def back_office(review):
    client = Client()
    client.force_login(review["team"]["admin"])  # admins enter the back-office
    return client


def test_the_preview_list_shows_thumbnails_state_and_error(review, back_office, clips, settings):
    ready = uploaded_preview(review)
    settings.FFMPEG_PRESET = "no-such-preset"
    broken = uploaded_preview(review, clips["h264_audio"].read_bytes(), "clip.mp4")
    assert broken.status == "broken"

    page = back_office.get("/admin/files/previewfile/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f"/admin/files/previewfile/{ready.pk}/thumbnail.png" in html
    assert "ffmpeg exited with" in html
    thumbnail = back_office.get(f"/admin/files/previewfile/{ready.pk}/thumbnail.png")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/png"
    assert (
        Client().get(f"/admin/files/previewfile/{ready.pk}/thumbnail.png").status_code == 302
    )  # to the login
    detail = back_office.get(f"/admin/files/previewfile/{broken.pk}/change/")
    assert detail.status_code == 200 and "no-such-preset" in detail.content.decode()


def test_the_reprocess_action_makes_a_broken_preview_ready(review, back_office, clips, settings):
    settings.FFMPEG_PRESET = "no-such-preset"
    broken = uploaded_preview(review, clips["h264_audio"].read_bytes(), "clip.mp4")
    kept = uploaded_preview(review, b"%PDF-1.4\n", "board.pdf")
    settings.FFMPEG_PRESET = "ultrafast"

    response = back_office.post(
        "/admin/files/previewfile/",
        {"action": "reprocess", "_selected_action": [str(broken.pk), str(kept.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "1 preview(s) queued for processing." in text and "1 preview(s) skipped" in text
    broken.refresh_from_db()
    assert (broken.status, broken.processing_error) == ("ready", "")
    assert default_storage.exists(media_key("movies", "previews", broken.pk))


def test_an_upload_beyond_the_limit_is_a_json_413_before_it_is_read(review, settings):
    settings.MAX_CONTENT_LENGTH = 10_000
    slot = add_preview_to_comment(review["task"], review["comment"], review["team"]["manager"])

    response = client_for(review["team"]["manager"]).post(
        f"/api/pictures/preview-files/{slot['id']}", {"file": SimpleUploadedFile("big.png", b"x" * 20_000)}
    )

    assert response.status_code == 413
    assert response.json() == {
        "error": True,
        "message": "The data value transmitted exceeds the capacity limit.",
    }
    assert PreviewFile.objects.get(pk=slot["id"]).original_name is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/pictures/originals/preview-files/..%2F..%2Fsecret.png",
        "/api/pictures/thumbnails/preview-files/%2e%2e.png",
        "/api/movies/originals/preview-files/..%2f..%2fetc%2fpasswd.mp4",
        "/api/pictures/preview-background-files/..%2f..%2fsettings.py",
    ],
)
def test_no_path_traversal_through_ids_or_extensions(review, path):
    response = client_for(review["team"]["admin"]).get(path)

    assert response.status_code == 404


def test_an_uploaded_name_with_folders_is_only_a_name(review):
    preview = uploaded_preview(review, name="../../../../tmp/evil.png")

    assert preview.original_name == "evil"
    assert set(default_storage.listdir("")[0]) == {"pictures"}


def test_x_accel_redirect_hands_the_file_to_nginx(review, settings):
    preview = uploaded_preview(review)
    settings.PREVIEW_X_ACCEL_PREFIX = "/protected-previews/"

    response = client_for(review["team"]["user"]).get(
        f"/api/pictures/thumbnails/preview-files/{preview.pk}.png"
    )

    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-previews/" + media_key(
        "pictures", "thumbnails", preview.pk
    )
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=604800"
