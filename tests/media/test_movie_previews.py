"""Movies uploaded to a preview slot: probed at upload (a non-movie is a 400 at once), normalised
by the preview.process job to H.264 MP4 with even dimensions at the project's fps and resolution,
a low-definition copy, the first frame's variants and the tile strip; a tool failure turns the
preview broken with ffmpeg's own words, and a reprocess makes it ready again. Real clips made
by the shipped ffmpeg, with and without sound, odd sizes, a non-H.264 codec."""

import io

import av
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.media.services import reprocess_preview
from files.media.storage import media_key
from files.models import PreviewFile
from kitsu_server.core.models import Job
from tasks.previews.services import add_preview_to_comment
from tests.factories import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def new_preview(review):
    created = add_preview_to_comment(review["task"], review["comment"], review["team"]["manager"])
    return PreviewFile.objects.get(pk=created["id"])


def upload_clip(person, preview, path, query=""):
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    return client_for(person).post(f"/api/pictures/preview-files/{preview.pk}{query}", {"file": upload})


def stored_movie(prefix, preview, tmp_path):
    target = tmp_path / f"{prefix}.mp4"
    with default_storage.open(media_key("movies", prefix, preview.pk), "rb") as handle:
        target.write_bytes(handle.read())
    with av.open(str(target)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio
        return {
            "codec": video.codec_context.name,
            "size": (video.codec_context.width, video.codec_context.height),
            "fps": float(video.average_rate),
            "pix_fmt": video.codec_context.pix_fmt,
            "audio": len(audio),
        }


@pytest.mark.parametrize("clip", ["h264_audio", "silent_odd", "mpeg4"])
def test_a_movie_is_normalised_to_h264_at_the_project_settings(review, clips, clip, tmp_path):
    preview = new_preview(review)

    response = upload_clip(review["team"]["user"], preview, clips[clip])

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["extension"], body["status"], body["processing_error"]) == ("mp4", "ready", "")
    assert (body["width"], body["height"]) == (64, 48)
    assert 0.9 < body["duration"] < 1.2
    high = stored_movie("previews", preview, tmp_path)
    assert high == {"codec": "h264", "size": (64, 48), "fps": 25.0, "pix_fmt": "yuv420p", "audio": 1}
    low = stored_movie("lowdef", preview, tmp_path)
    assert low["codec"] == "h264" and low["size"] == (64, 48)
    with default_storage.open(media_key("pictures", "thumbnails", preview.pk), "rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).size == (150, 100)
    with default_storage.open(media_key("pictures", "tiles", preview.pk), "rb") as handle:
        tile = Image.open(io.BytesIO(handle.read()))
        assert tile.size == (8 * 134, 4 * 100)  # 25 frames: 8 a row, 100 px high, 4:3
    job = Job.objects.get(name="preview.process")
    assert (job.state, job.progress_done, job.progress_total) == ("succeeded", 5, 5)


def test_an_odd_project_resolution_is_made_even(review, clips, tmp_path):
    review["project"].resolution = "101x75"
    review["project"].fps = "12"
    review["project"].save(update_fields=["resolution", "fps"])
    preview = new_preview(review)

    assert upload_clip(review["team"]["manager"], preview, clips["silent_odd"]).status_code == 201

    high = stored_movie("previews", preview, tmp_path)
    assert (high["size"], high["fps"]) == ((102, 76), 12.0)


def test_a_tool_failure_leaves_the_preview_broken_with_its_error_then_reprocess_fixes_it(
    review, clips, settings, tmp_path
):
    settings.FFMPEG_PRESET = "no-such-preset"  # a real ffmpeg refusal
    preview = new_preview(review)

    response = upload_clip(review["team"]["manager"], preview, clips["h264_audio"])

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "broken"
    assert body["processing_error"].startswith("ffmpeg exited with")
    assert "preset" in body["processing_error"].lower()
    read = client_for(review["team"]["manager"]).get(f"/api/data/preview-files/{preview.pk}").json()
    assert read["processing_error"] == body["processing_error"]
    assert (
        client_for(review["team"]["user"])
        .get(f"/api/movies/originals/preview-files/{preview.pk}.mp4")
        .status_code
        == 200
    )  # the source meanwhile

    settings.FFMPEG_PRESET = "ultrafast"
    assert reprocess_preview(PreviewFile.objects.get(pk=preview.pk)) is True

    preview.refresh_from_db()
    assert (preview.status, preview.processing_error) == ("ready", "")
    assert stored_movie("previews", preview, tmp_path)["codec"] == "h264"
    assert Job.objects.filter(name="preview.process").count() == 2


def test_normalize_false_keeps_the_movie_as_uploaded(review, clips):
    preview = new_preview(review)

    response = upload_clip(review["team"]["manager"], preview, clips["mpeg4"], query="?normalize=false")

    assert response.status_code == 201 and response.json()["status"] == "ready"
    assert not default_storage.exists(media_key("movies", "previews", preview.pk))
    movie = client_for(review["team"]["manager"]).get(f"/api/movies/originals/preview-files/{preview.pk}.mp4")
    assert movie.status_code == 200
    assert b"".join(movie.streaming_content) == clips["mpeg4"].read_bytes()


def test_a_file_named_like_a_movie_that_is_none_is_a_400_at_once(review, tmp_path):
    preview = new_preview(review)
    fake = tmp_path / "fake.mov"
    fake.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 100)

    response = upload_clip(review["team"]["manager"], preview, fake)

    assert (response.status_code, response.json()["message"]) == (400, "Wrong file format, extension: mov")
    assert not Job.objects.exists()


def test_movie_variants_download(review, clips):
    preview = new_preview(review)
    assert upload_clip(review["team"]["manager"], preview, clips["h264_audio"]).status_code == 201
    client = client_for(review["team"]["user"])

    for route in (
        "originals/preview-files/{}.mp4",
        "low/preview-files/{}.mp4",
        "source/preview-files/{}.mp4",
    ):
        response = client.get("/api/movies/" + route.format(preview.pk))
        assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
        assert b"".join(response.streaming_content)[4:8] == b"ftyp"
    tile = client.get(f"/api/movies/tiles/preview-files/{preview.pk}.png")
    assert tile.status_code == 200 and tile["Content-Type"] == "image/png"
    download = client.get(f"/api/movies/originals/preview-files/{preview.pk}/download")
    assert download["Content-Disposition"].endswith('_v1.mp4"')
    assert (
        client_for(review["team"]["outsider"])
        .get(f"/api/movies/low/preview-files/{preview.pk}.mp4")
        .status_code
        == 403
    )


def test_a_storage_outage_is_retried_and_the_preview_still_turns_ready(review, clips, monkeypatch):
    """A transient error (the storage not answering) goes back to the queue with backoff (run at
    once when eager); the second attempt makes the preview ready."""
    from files.media import processing

    real_copy = processing.copy_to_local
    failures = []

    def flaky_copy(key, path):
        if not failures:
            failures.append(key)
            raise ConnectionError("storage unreachable")
        return real_copy(key, path)

    monkeypatch.setattr(processing, "copy_to_local", flaky_copy)
    preview = new_preview(review)

    response = upload_clip(review["team"]["manager"], preview, clips["h264_audio"])

    assert response.status_code == 201 and response.json()["status"] == "ready"
    job = Job.objects.get(name="preview.process")
    assert (job.state, job.attempts) == ("succeeded", 2) and failures


def test_a_preview_being_processed_answers_processing(review, clips):
    preview = new_preview(review)
    PreviewFile.objects.filter(pk=preview.pk).update(status="processing", extension="mp4")
    client = client_for(review["team"]["user"])
    url = f"/api/pictures/thumbnails/preview-files/{preview.pk}.png"

    as_json = client.get(url, HTTP_ACCEPT="application/json")
    as_picture = client.get(url, HTTP_ACCEPT="image/png,image/*")

    assert (as_json.status_code, as_json.json()) == (
        202,
        {"status": "processing", "preview_file_id": str(preview.pk)},
    )
    assert as_json["Retry-After"] == "5" and as_json["Cache-Control"] == "no-store"
    assert as_picture.status_code == 404 and as_picture["Cache-Control"] == "no-store"
    source = client.get(f"/api/movies/source/preview-files/{preview.pk}.mp4")
    assert source.status_code == 404 and source.json()["error"] is True  # nothing uploaded yet
