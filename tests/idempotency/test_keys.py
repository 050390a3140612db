"""Idempotency keys over HTTP: a write retried with its key is done once and answered the same;
the key reused for another request is a 422; keys are per person, expire and are bounded; reads
and writes without a key pay nothing; failed first requests run again; uploads are told apart by
their content, not by their multipart boundary; hostile keys are a 400 with nothing written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.client import encode_multipart
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets.models import Entity
from files.models import AttachmentFile
from kitsu_server.core.models import IdempotentRequest
from tasks.models import ApiEvent, Comment
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def keyed(key):
    return {"HTTP_IDEMPOTENCY_KEY": key}


def create_asset(client, path, name="Sword", key="key-1"):
    return client.post(path, {"name": name}, format="json", **keyed(key))


def asset_count(name="Sword"):
    return Entity.objects.filter(name=name).count()


def events(name):
    return ApiEvent.objects.filter(name=name).count()


# --- replay ---------------------------------------------------------------------------------------


def test_a_retry_gets_the_first_answer_and_writes_nothing(team, new_asset_path):
    client = client_for(team["manager"])
    first = create_asset(client, new_asset_path)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    second = create_asset(client, new_asset_path)
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]
    assert asset_count() == 1 and events("asset:new") == 1


def test_the_same_key_with_another_body_is_a_422(team, new_asset_path):
    client = client_for(team["manager"])
    assert create_asset(client, new_asset_path).status_code == 201
    response = create_asset(client, new_asset_path, name="Shield")
    assert response.status_code == 422
    assert response.json() == {
        "error": True,
        "message": "This Idempotency-Key was already used for another request (method, path or body): "
        "send a new key with a new request.",
    }
    assert asset_count("Shield") == 0


def test_the_same_key_on_another_path_or_query_is_a_422(team, new_asset_path, show):
    client = client_for(team["manager"])
    assert create_asset(client, new_asset_path).status_code == 201
    assert create_asset(client, new_asset_path + "?x=1").status_code == 422
    other = f"/api/data/projects/{show.id}/episodes"
    assert client.post(other, {"name": "Sword"}, format="json", **keyed("key-1")).status_code == 422


def test_keys_are_per_person(team, new_asset_path):
    first = create_asset(client_for(team["manager"]), new_asset_path, name="Sword")
    second = create_asset(client_for(team["admin"]), new_asset_path, name="Shield")
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second and second.json()["name"] == "Shield"
    assert IdempotentRequest.objects.count() == 2


def test_a_new_key_is_a_new_request(team, new_asset_path):
    client = client_for(team["manager"])
    create_asset(client, new_asset_path, name="Sword", key="a")
    create_asset(client, new_asset_path, name="Shield", key="b")
    assert asset_count("Sword") == asset_count("Shield") == 1 and events("asset:new") == 2


def test_updates_and_deletes_are_replayed_too(team, show):
    client = client_for(team["admin"])
    path = f"/api/data/projects/{show.id}"
    first = client.put(path, {"description": "one"}, format="json", **keyed("put-1"))
    assert first.status_code == 200
    before = events("project:update")
    replayed = client.put(path, {"description": "one"}, format="json", **keyed("put-1"))
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    assert replayed.json() == first.json() and events("project:update") == before


def test_a_refusal_is_kept_and_replayed(team, new_asset_path):
    """A 4xx is the answer to this request whatever the time: kept (Stripe's rule)."""
    client = client_for(team["user"])  # an artist may not create assets
    first = create_asset(client, new_asset_path)
    assert first.status_code == 403
    again = create_asset(client, new_asset_path)
    assert again.status_code == 403 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_a_bad_request_is_kept(team, new_asset_path):
    client = client_for(team["manager"])
    first = client.post(new_asset_path, {}, format="json", **keyed("bad"))
    assert first.status_code == 400
    again = client.post(new_asset_path, {}, format="json", **keyed("bad"))
    assert again.status_code == 400 and again["Idempotent-Replayed"] == "true" and asset_count() == 0


# --- failures run again ---------------------------------------------------------------------------


def test_a_first_request_that_fails_leaves_no_key(team, new_asset_path, monkeypatch):
    from assets import services

    real = services.create_asset
    client = client_for(team["manager"])
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "create_asset", broken)
    assert create_asset(client, new_asset_path).status_code == 500
    assert IdempotentRequest.objects.count() == 0
    monkeypatch.setattr(services, "create_asset", real)
    retried = create_asset(client, new_asset_path)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert asset_count() == 1


# --- expiry and bounds ----------------------------------------------------------------------------


def test_an_expired_key_runs_again(team, new_asset_path):
    client = client_for(team["manager"])
    create_asset(client, new_asset_path)
    IdempotentRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    Entity.objects.filter(name="Sword").delete()  # so that the new run makes a new one
    again = create_asset(client, new_asset_path)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert asset_count() == 1 and IdempotentRequest.objects.count() == 1


def test_keys_live_a_day(team, new_asset_path, settings):
    create_asset(client_for(team["manager"]), new_asset_path)
    row = IdempotentRequest.objects.get()
    assert row.expires_at - row.created_at == datetime.timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL)
    assert settings.IDEMPOTENCY_KEY_TTL == 24 * 3600


def test_expired_keys_of_everyone_are_removed_by_a_keyed_write(team, new_asset_path):
    create_asset(client_for(team["admin"]), new_asset_path, name="Shield", key="old")
    IdempotentRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    create_asset(client_for(team["manager"]), new_asset_path)
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["key-1"]


def test_a_person_keeps_their_newest_keys_only(team, new_asset_path, settings):
    settings.IDEMPOTENCY_MAX_KEYS = 3
    client = client_for(team["manager"])
    for index in range(5):
        assert create_asset(client, new_asset_path, name=f"Sword {index}", key=f"k{index}").status_code == 201
    create_asset(client_for(team["admin"]), new_asset_path, name="Other", key="k0")
    mine = IdempotentRequest.objects.filter(person=team["manager"])
    assert sorted(mine.values_list("key", flat=True)) == ["k2", "k3", "k4"]
    assert IdempotentRequest.objects.filter(person=team["admin"]).count() == 1
    # The evicted key is a new request again.
    again = create_asset(client, new_asset_path, name="Sword 0", key="k0")
    assert "Idempotent-Replayed" not in again


def test_an_answer_too_large_to_keep_tells_the_write_was_done(team, new_asset_path, settings):
    settings.IDEMPOTENCY_MAX_BODY = 10
    client = client_for(team["manager"])
    assert create_asset(client, new_asset_path).status_code == 201
    again = create_asset(client, new_asset_path)
    assert again.status_code == 409 and again["Idempotent-Replayed"] == "true"
    assert again.json() == {
        "error": True,
        "message": "The request of this Idempotency-Key was done (status 201), but its answer was too large "
        "to keep: read the rows it wrote.",
    }
    assert asset_count() == 1


def test_a_claim_still_running_is_a_409_after_the_wait(team, new_asset_path, settings):
    settings.IDEMPOTENCY_WAIT = 0.1
    client = client_for(team["manager"])
    create_asset(client, new_asset_path)
    IdempotentRequest.objects.update(state="in_progress")
    response = create_asset(client, new_asset_path)
    assert response.status_code == 409
    assert (
        response.json()["message"] == "A request with this Idempotency-Key is still in progress: retry later."
    )


def test_a_claim_of_a_dead_request_is_taken_over(team, new_asset_path, settings):
    client = client_for(team["manager"])
    create_asset(client, new_asset_path)
    stale = timezone.now() - datetime.timedelta(seconds=settings.IDEMPOTENCY_CLAIM_TIMEOUT + 1)
    IdempotentRequest.objects.update(state="in_progress", updated_at=stale)
    response = create_asset(client, new_asset_path)  # the asset exists: the route answers it
    assert response.status_code in (200, 201) and "Idempotent-Replayed" not in response
    assert IdempotentRequest.objects.get().state == "done"


# --- what pays nothing ----------------------------------------------------------------------------


def test_reads_pay_nothing_for_the_header(team, show):
    client = client_for(team["manager"])
    path = f"/api/data/projects/{show.id}"
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as plain:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as with_key:
        assert client.get(path, **keyed("read-key")).status_code == 200
    assert len(with_key) == len(plain)
    assert IdempotentRequest.objects.count() == 0


def test_writes_without_a_key_pay_nothing(team, new_asset_path):
    client = client_for(team["manager"])
    client.post(new_asset_path, {"name": "Warm"}, format="json")
    with CaptureQueriesContext(connection) as queries:
        client.post(new_asset_path, {"name": "Sword"}, format="json")
    assert not [q for q in queries.captured_queries if "idempotent_request" in q["sql"]]
    assert IdempotentRequest.objects.count() == 0


def test_an_unauthenticated_write_ignores_the_key(new_asset_path):
    from rest_framework.test import APIClient

    response = APIClient().post(new_asset_path, {"name": "Sword"}, format="json", **keyed("anon"))
    assert response.status_code == 401 and IdempotentRequest.objects.count() == 0


def test_auth_routes_are_not_keyed(admin_person):
    from rest_framework.test import APIClient

    body = {"email": "boss@example.com", "password": "admin-password"}
    for _ in range(2):
        response = APIClient().post("/api/auth/login", body, format="json", **keyed("login"))
        assert response.status_code == 200 and "Idempotent-Replayed" not in response
    assert IdempotentRequest.objects.count() == 0


# --- uploads --------------------------------------------------------------------------------------


def comment_with_files(client, task, status, key, content=b"\x89PNG image", boundary="BoUnDaRy-1"):
    """A comment with an attachment, as a multipart body of this `boundary` (each client draws
    its own for each sending)."""
    files = {"file-0": SimpleUploadedFile("ref.png", content, content_type="image/png")}
    body = {"task_status_id": str(status.pk), "comment": "see files", **files}
    return client.post(
        f"/api/actions/tasks/{task.pk}/comment",
        encode_multipart(boundary, body),
        content_type=f"multipart/form-data; boundary={boundary}",
        **keyed(key),
    )


def test_an_upload_is_replayed_whatever_its_boundary(team, task, wip):
    client = client_for(team["user"])
    first = comment_with_files(client, task, wip, "upload-1", boundary="first-boundary-1234")
    assert first.status_code == 201, first.content
    again = comment_with_files(client, task, wip, "upload-1", boundary="another-one-5678")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Comment.objects.count() == 1 and AttachmentFile.objects.count() == 1


def test_an_upload_of_other_content_with_the_key_is_a_422(team, task, wip):
    client = client_for(team["user"])
    assert comment_with_files(client, task, wip, "upload-1").status_code == 201
    other = comment_with_files(client, task, wip, "upload-1", content=b"other", boundary="x-2")
    assert other.status_code == 422
    assert Comment.objects.count() == 1 and AttachmentFile.objects.count() == 1


def test_a_route_with_its_own_upload_limits_reads_the_upload_itself(team, task, settings, tmp_path):
    """The working-file route parses its upload with its own size-limited handler: the key's
    hashing leaves the body unparsed for it (and its 413 still holds)."""
    from files.models import WorkingFile

    settings.STORAGES = {
        **settings.STORAGES,
        "working_files": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "working-files")},
        },
    }
    settings.WORKING_FILE_MAX_SIZE = 1000
    working_file = WorkingFile.objects.create(name="main", revision=1, task=task, entity=task.entity)
    client = client_for(team["admin"])
    path = f"/api/data/working-files/{working_file.pk}/file"

    def upload(content, key):
        body = {"file": SimpleUploadedFile("scene.blend", content)}
        return client.post(path, body, format="multipart", **keyed(key))

    first = upload(b"scene data", "wf-1")
    assert first.status_code == 201, first.content
    assert upload(b"scene data", "wf-1")["Idempotent-Replayed"] == "true"
    assert upload(b"x" * 5000, "wf-2").status_code == 413
    assert (tmp_path / "working-files" / "working" / str(working_file.pk)).read_bytes() == b"scene data"


# --- hostile keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["x" * 10_000, "x" * 256, "bad\x00key", "tab\tkey", "clé", "\u4e2d\u6587", "", "   "],
    ids=["10 KB", "256 chars", "NUL", "tab", "latin-1", "CJK", "empty", "blank"],
)
def test_a_hostile_key_is_a_400_with_nothing_written(team, new_asset_path, key):
    response = create_asset(client_for(team["manager"]), new_asset_path, key=key)
    assert response.status_code == 400
    assert response.json() == {
        "error": True,
        "message": "Idempotency-Key must be 1 to 255 printable ASCII characters.",
    }
    assert asset_count() == 0 and IdempotentRequest.objects.count() == 0


def test_a_key_of_255_printable_characters_is_fine(team, new_asset_path):
    key = ("a b~!" * 51)[:255]
    assert create_asset(client_for(team["manager"]), new_asset_path, key=key).status_code == 201
    assert IdempotentRequest.objects.get().key == key


def test_a_keyed_write_costs_a_bounded_number_of_queries(team, new_asset_path):
    """The person read again, the claim, the removal of expired rows, the person's bound, the
    answer kept: 5 queries beside the write's own; a replay costs 2 (the person, the row) plus
    the failed claim."""
    client = client_for(team["manager"])
    client.post(new_asset_path, {"name": "Warm"}, format="json")
    with CaptureQueriesContext(connection) as plain:
        client.post(new_asset_path, {"name": "Sword"}, format="json")
    with CaptureQueriesContext(connection) as keyed_write:
        create_asset(client, new_asset_path, name="Shield", key="cost")
    with CaptureQueriesContext(connection) as replayed:
        create_asset(client, new_asset_path, name="Shield", key="cost")
    transaction_statements = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")

    def count(queries):
        return len([q for q in queries.captured_queries if not q["sql"].startswith(transaction_statements)])

    assert count(keyed_write) <= count(plain) + 5
    assert count(replayed) <= 3


def test_a_delete_is_replayed_without_a_body(team, show):
    from tests import factories

    episode = factories.make_episode(show, name="E01")
    client = client_for(team["admin"])
    first = client.delete(f"/api/data/episodes/{episode.pk}", **keyed("delete-1"))
    assert first.status_code == 204
    again = client.delete(f"/api/data/episodes/{episode.pk}", **keyed("delete-1"))
    assert again.status_code == 204 and again["Idempotent-Replayed"] == "true"
    assert again.content == b"" and "Content-Length" not in again
    assert events("episode:delete") == 1


def test_the_purge_command_removes_expired_keys(team, new_asset_path):
    from io import StringIO

    from django.core.management import call_command

    client = client_for(team["manager"])
    create_asset(client, new_asset_path, name="Old", key="old")
    create_asset(client, new_asset_path, name="New", key="new")
    IdempotentRequest.objects.filter(key="old").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    output = StringIO()
    call_command("purge_idempotency_keys", stdout=output)
    assert output.getvalue() == "1 expired idempotency key(s) removed.\n"
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
