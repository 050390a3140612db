"""Pictures of persons, projects, the organisation, preview backgrounds and attachments: uploads
read by content, 400x400 thumbnails, who may upload and read them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.media.movies import ffmpeg_binary
from files.models import PreviewBackgroundFile
from people.payloads import get_organisation
from tests.factories import client_for
from tests.media.conftest import png_bytes

pytestmark = pytest.mark.django_db


def picture(content=None, name="me.png"):
    return {"file": SimpleUploadedFile(name, content or png_bytes((800, 400)))}


def read_png(response):
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_a_person_uploads_an_avatar_everyone_reads_it(team):
    user = team["user"]

    response = client_for(user).post(f"/api/pictures/thumbnails/persons/{user.pk}", picture())

    assert (response.status_code, response.json()) == (
        201,
        {"thumbnail_path": f"pictures/thumbnails/persons/{user.pk}.png"},
    )
    user.refresh_from_db()
    assert user.has_avatar is True
    read = client_for(team["client"]).get(f"/api/pictures/thumbnails/persons/{user.pk}.png")
    assert read.status_code == 200 and read["Content-Type"] == "image/png"
    image = read_png(read)
    assert image.size == (400, 400) and image.getpixel((200, 10))[3] == 0  # fitted, padded


def test_person_avatar_refusals(team):
    user, other = team["user"], team["supervisor"]
    url = f"/api/pictures/thumbnails/persons/{other.pk}"

    assert client_for(user).post(url, picture()).status_code == 403
    assert client_for(user).get(url).status_code == 404  # no avatar yet
    bad = client_for(other).post(url, picture(b"not a picture", "me.png"))
    assert (bad.status_code, bad.json()["message"]) == (400, "Uploaded file is not a readable picture.")
    other.refresh_from_db()
    assert other.has_avatar is False
    assert client_for(other).post(url, {}).json()["message"] == "File not provided."
    unknown = client_for(team["admin"]).post(
        "/api/pictures/thumbnails/persons/6f1c2a3e-1111-4222-8333-944455556666", picture()
    )
    assert unknown.status_code == 404
    assert client_for(team["admin"]).post(url + ".png", picture()).status_code == 201


def test_project_thumbnails_by_its_managers(team, show):
    url = f"/api/pictures/thumbnails/projects/{show.pk}"

    assert client_for(team["user"]).post(url, picture()).status_code == 403
    assert client_for(team["outsider"]).post(url, picture()).status_code == 403
    assert client_for(team["manager"]).post(url, picture()).status_code == 201
    display = client_for(team["manager"]).post(url + ".png", picture())
    assert display.status_code == 405 and display.json()["message"].startswith("Upload project thumbnails")
    assert client_for(team["user"]).get(url + ".png").status_code == 200
    assert client_for(team["vendor"]).get(url).status_code == 200
    outsider_user = team["outsider"]
    outsider_user.role = "user"
    outsider_user.save(update_fields=["role"])
    assert client_for(outsider_user).get(url).status_code == 403


def test_the_organisation_logo_by_admins(team):
    organisation = get_organisation()
    url = f"/api/pictures/thumbnails/organisations/{organisation.pk}"

    assert client_for(team["manager"]).post(url, picture()).status_code == 403
    assert client_for(team["admin"]).post(url + ".png", picture()).status_code == 201
    assert read_png(client_for(team["vendor"]).get(url + ".png")).size == (400, 400)


def test_preview_backgrounds_are_hdr_files_with_a_thumbnail(team, tmp_path):
    import subprocess

    hdr = tmp_path / "studio.hdr"
    subprocess.run(
        [ffmpeg_binary(), "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=96x48", "-frames:v", "1",
         "-c:v", "hdr", "-f", "image2", str(hdr)],
        check=True,
    )  # fmt: skip
    background = PreviewBackgroundFile.objects.create(name="Studio")
    url = f"/api/pictures/preview-background-files/{background.pk}"
    upload = {"file": SimpleUploadedFile("studio.hdr", hdr.read_bytes())}

    assert client_for(team["manager"]).post(url, upload).status_code == 403
    upload["file"].seek(0)
    response = client_for(team["admin"]).post(url, upload)

    assert response.status_code == 201, response.content
    assert (response.json()["extension"], response.json()["original_name"]) == ("hdr", "studio")
    file = client_for(team["user"]).get(url + ".hdr")
    assert file.status_code == 200 and file["Content-Type"] == "image/vnd.radiance"
    assert b"".join(file.streaming_content) == hdr.read_bytes()
    assert client_for(team["user"]).get(url + ".exr").status_code == 404
    thumbnail = client_for(team["user"]).get(
        f"/api/pictures/thumbnails/preview-background-files/{background.pk}.png"
    )
    assert read_png(thumbnail).size == (300, 200)
    refused = client_for(team["admin"]).post(
        f"/api/pictures/thumbnails/preview-background-files/{background.pk}.png", picture()
    )
    assert refused.status_code == 405


def test_a_background_that_is_no_hdr_is_a_400_and_goes(team):
    background = PreviewBackgroundFile.objects.create(name="Fake")

    response = client_for(team["admin"]).post(
        f"/api/pictures/preview-background-files/{background.pk}", picture(b"#?nope", "fake.hdr")
    )

    assert (response.status_code, response.json()["message"]) == (400, "Wrong file format, extension: hdr")
    assert not PreviewBackgroundFile.objects.filter(pk=background.pk).exists()
