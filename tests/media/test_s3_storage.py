"""The media on S3-compatible object storage (django-storages), against moto's S3 server started
by the test on a free port: uploads land in the bucket under the reference's key layout, the jobs
read them back, every variant downloads, byte ranges are ranged GETs on the object store."""

import socket

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from files.media.storage import media_key
from tasks.previews.services import add_preview_to_comment
from tests.factories import client_for
from tests.media.conftest import png_bytes

moto_server = pytest.importorskip("moto.server")

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BUCKET = "kitsu-test-previews"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "region_name": CREDENTIALS["region_name"],
                "file_overwrite": True,
                "querystring_auth": False,
            },
        },
    }
    return boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)


def upload(review, content, name):
    slot = add_preview_to_comment(review["task"], review["comment"], review["team"]["manager"])
    response = client_for(review["team"]["manager"]).post(
        f"/api/pictures/preview-files/{slot['id']}", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_previews_on_s3(review, s3_storage, clips, settings):
    picture = upload(review, png_bytes((300, 100)), "board.png")
    movie = upload(review, clips["h264_audio"].read_bytes(), "anim.mp4")

    assert (picture["status"], movie["status"]) == ("ready", "ready")
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert not settings.MEDIA_ROOT.exists()  # nothing written to the local folder
    keys = {item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]}
    expected = {
        media_key("pictures", prefix, picture["id"])
        for prefix in ("original", "thumbnails", "thumbnails-square", "previews")
    } | {media_key("movies", prefix, movie["id"]) for prefix in ("source", "previews", "lowdef")}
    assert expected <= keys
    client = client_for(review["team"]["user"])
    thumbnail = client.get(f"/api/pictures/thumbnails/preview-files/{picture['id']}.png")
    assert thumbnail.status_code == 200
    assert b"".join(thumbnail.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    url = f"/api/movies/originals/preview-files/{movie['id']}.mp4"
    whole = b"".join(client.get(url).streaming_content)
    stored = s3_storage.get_object(Bucket=BUCKET, Key=media_key("movies", "previews", movie["id"]))[
        "Body"
    ].read()
    assert whole == stored
    part = client.get(url, HTTP_RANGE="bytes=10-29")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-29/{len(stored)}"
    assert b"".join(part.streaming_content) == stored[10:30]
