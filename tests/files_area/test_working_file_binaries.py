"""The binary of a working file: uploaded (multipart, streamed to a temporary file on disk, kept
in the "working_files" storage under the file's id), downloaded with conditional answers, a size
limit answered 413 with nothing kept; who may, 404s and bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils.http import http_date

from files.models import WorkingFile
from files.working import transfer_views
from tests import factories

pytestmark = pytest.mark.django_db
UNKNOWN_ID = "7e2f2a9e-7514-4dc2-a6bc-01806ec74b9e"


@pytest.fixture
def working_file(default_world):
    world = default_world
    return WorkingFile.objects.create(name="main", revision=1, task=world.asset_task, entity=world.asset)


@pytest.fixture
def clients(default_world):
    return {role: factories.client_for(person) for role, person in default_world.team.items()}


def upload(client, working_file_id, content=b"scene data", name="scene.blend"):
    return client.post(
        f"/api/data/working-files/{working_file_id}/file",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def download(client, working_file_id, **headers):
    return client.get(f"/api/data/working-files/{working_file_id}/file", **headers)


def test_upload_then_download(working_file, clients, working_file_folder):
    response = upload(clients["user"], working_file.pk, b"\x00binary\xffdata" * 1000)
    assert response.status_code == 201, response.content
    assert response.json()["id"] == str(working_file.pk) and response.json()["outputs"] == []
    assert (
        working_file_folder / "working" / str(working_file.pk)
    ).read_bytes() == b"\x00binary\xffdata" * 1000
    response = download(clients["client"], working_file.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == b"\x00binary\xffdata" * 1000
    last_modified = response["Last-Modified"]
    assert last_modified == http_date(int(working_file.updated_at.timestamp()))
    response = download(clients["client"], working_file.pk, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_a_new_upload_replaces_the_binary(working_file, clients, working_file_folder):
    upload(clients["admin"], working_file.pk, b"first")
    upload(clients["admin"], working_file.pk, b"second")
    assert list((working_file_folder / "working").iterdir()) == [
        working_file_folder / "working" / str(working_file.pk)
    ]
    assert b"".join(download(clients["admin"], working_file.pk).streaming_content) == b"second"


def test_the_client_file_name_never_reaches_the_disk(working_file, clients, working_file_folder):
    for name in ("../../../../tmp/evil.sh", "/etc/passwd", "..\\..\\boot.ini"):
        assert upload(clients["admin"], working_file.pk, b"payload", name=name).status_code == 201
    stored = sorted(
        path.relative_to(working_file_folder) for path in working_file_folder.rglob("*") if path.is_file()
    )
    assert [str(path) for path in stored] == [f"working/{working_file.pk}"]


def test_a_file_over_the_limit_is_a_413_and_nothing_is_kept(
    working_file, clients, settings, working_file_folder
):
    settings.WORKING_FILE_MAX_SIZE = 1000
    response = upload(clients["admin"], working_file.pk, b"x" * 1001)
    assert response.status_code == 413
    assert response.json()["error"] is True
    assert not (working_file_folder / "working" / str(working_file.pk)).exists()
    # A body far over the limit is refused before it is read.
    response = upload(clients["admin"], working_file.pk, b"x" * 200_000)
    assert response.status_code == 413
    assert upload(clients["admin"], working_file.pk, b"x" * 1000).status_code == 201


def test_no_file_is_a_400(working_file, clients, working_file_folder):
    response = clients["admin"].post(
        f"/api/data/working-files/{working_file.pk}/file", {"other": "value"}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["error"] is True
    response = clients["admin"].post(
        f"/api/data/working-files/{working_file.pk}/file", {"file": "x"}, format="json"
    )
    assert response.status_code == 400
    assert not working_file_folder.exists() or not any(working_file_folder.rglob("*"))


def test_download_before_any_upload_is_a_404(working_file, clients):
    response = download(clients["admin"], working_file.pk)
    assert response.status_code == 404
    assert response.json() == {"error": True, "message": f"Working file not found for: {working_file.pk}"}


def test_unknown_working_file_is_a_404(default_world, clients):
    assert upload(clients["admin"], UNKNOWN_ID).status_code == 404
    assert download(clients["admin"], "not-an-id").status_code == 404


@pytest.mark.parametrize("role", ["vendor", "outsider"])
def test_who_does_not_reach_the_task_is_refused(working_file, clients, role, working_file_folder):
    assert upload(clients[role], working_file.pk).status_code == 403
    assert not (working_file_folder / "working" / str(working_file.pk)).exists()
    upload(clients["admin"], working_file.pk)
    assert download(clients[role], working_file.pk).status_code == 403


def test_a_vendor_on_the_entity_transfers(default_world, working_file, clients):
    factories.assign(default_world.asset_task, default_world.team["vendor"])
    assert upload(clients["vendor"], working_file.pk, b"vendor work").status_code == 201
    assert b"".join(download(clients["vendor"], working_file.pk).streaming_content) == b"vendor work"


def test_uploads_go_to_disk_never_whole_in_memory(working_file, clients, settings, monkeypatch):
    """Even a file far under Django's in-memory threshold is written to a temporary file."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024**2
    received = []
    store = transfer_views.store_working_file
    monkeypatch.setattr(
        transfer_views,
        "store_working_file",
        lambda wf, uploaded: received.append(uploaded) or store(wf, uploaded),
    )
    assert upload(clients["admin"], working_file.pk, b"small").status_code == 201
    assert [type(uploaded) for uploaded in received] == [TemporaryUploadedFile]
