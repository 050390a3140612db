"""Annotated frames: the reviewers' drawings burnt into a movie frame or a picture, one frame as
a PNG, every annotated frame as a ZIP or a PDF."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.models import PreviewFile
from tasks.previews.services import add_preview_to_comment
from tests.factories import client_for
from tests.media.conftest import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# A red rectangle over the middle of a 64x48 canvas, and a green line, at frame 1 (time 0) and 5.
RECT = {"type": "rect", "left": 16, "top": 12, "width": 32, "height": 24, "stroke": "#ff0000",
        "strokeWidth": 2, "fill": "#ff0000", "canvasWidth": 64, "canvasHeight": 48}  # fmt: skip
LINE = {"type": "line", "x1": 0, "y1": 47, "x2": 63, "y2": 47, "stroke": "#00ff00", "strokeWidth": 1,
        "canvasWidth": 64, "canvasHeight": 48}  # fmt: skip
ANNOTATIONS = [
    {"time": 0, "drawing": {"objects": [RECT]}},
    {"time": 0.16, "drawing": {"objects": [LINE]}},
]


def annotated_preview(review, content, name):
    slot = add_preview_to_comment(review["task"], review["comment"], review["team"]["manager"])
    response = client_for(review["team"]["manager"]).post(
        f"/api/pictures/preview-files/{slot['id']}", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 201, response.content
    PreviewFile.objects.filter(pk=slot["id"]).update(annotations=ANNOTATIONS)
    return PreviewFile.objects.get(pk=slot["id"])


def picture_of(response):
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_one_annotated_frame_of_a_movie_and_of_a_picture(review, clips):
    manager = client_for(review["team"]["manager"])
    movie = annotated_preview(review, clips["h264_audio"].read_bytes(), "clip.mp4")
    url = f"/api/actions/preview-files/{movie.pk}/extract-annotated-frame"

    frame = manager.get(url + "?frame_number=1")

    assert frame.status_code == 200 and frame["Content-Type"] == "image/png"
    image = picture_of(frame).convert("RGB")
    assert image.size == (64, 48) and image.getpixel((32, 24)) == (255, 0, 0)
    line = picture_of(manager.get(url + "?frame_number=5")).convert("RGB")
    assert line.getpixel((32, 47)) == (0, 255, 0) and line.getpixel((32, 24)) != (255, 0, 0)
    nothing = manager.get(url + "?frame_number=20")
    assert (nothing.status_code, nothing.json()["message"]) == (400, "No annotation found for frame 20")
    missing = manager.get(url)
    assert (missing.status_code, missing.json()["message"]) == (
        400,
        "frame_number is required for movie previews",
    )
    assert manager.get(url + "?frame_number=0").status_code == 400
    assert client_for(review["team"]["user"]).get(url + "?frame_number=1").status_code == 403

    picture = annotated_preview(review, png_bytes((64, 48), color=(0, 0, 255)), "board.png")
    burnt = picture_of(
        manager.get(f"/api/actions/preview-files/{picture.pk}/extract-annotated-frame")
    ).convert("RGB")
    assert burnt.getpixel((32, 24)) == (255, 0, 0) and burnt.getpixel((2, 2)) == (0, 0, 255)


def test_every_annotated_frame_as_a_zip_and_a_pdf(review, clips):
    manager = client_for(review["team"]["manager"])
    movie = annotated_preview(review, clips["h264_audio"].read_bytes(), "clip.mp4")

    archive = manager.get(f"/api/actions/preview-files/{movie.pk}/extract-annotated-frames")

    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    assert archive["Content-Disposition"].startswith("attachment; filename=")
    assert archive["Content-Disposition"].endswith('_annotated_frames.zip"')
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as bundle:
        names = bundle.namelist()
        assert [name.rsplit("_", 2)[-2:] for name in names] == [["frame", "1.png"], ["frame", "5.png"]]
        assert Image.open(bundle.open(names[0])).size == (64, 48)
    pdf = manager.get(f"/api/actions/preview-files/{movie.pk}/extract-annotated-frames-pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", content)) == 2  # one page per annotated frame
    PreviewFile.objects.filter(pk=movie.pk).update(annotations=[])
    empty = manager.get(f"/api/actions/preview-files/{movie.pk}/extract-annotated-frames")
    assert (empty.status_code, empty.json()["message"]) == (400, "Preview file has no annotations")
    assert (
        client_for(review["team"]["client"])
        .get(f"/api/actions/preview-files/{movie.pk}/extract-annotated-frames-pdf")
        .status_code
        == 403
    )
    unknown = manager.get(
        "/api/actions/preview-files/6f1c2a3e-1111-4222-8333-944455556666/extract-annotated-frames"
    )
    assert unknown.status_code == 404
