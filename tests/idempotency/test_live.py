"""Idempotency keys over a real socket: uvicorn serving the ASGI application in a thread of the
test process (sharing its database), spoken to with `requests` as a gazu script would.

- 8 concurrent retries with one key write once: one request runs, the other seven wait for it and
  get its answer (`Idempotent-Replayed: true`). On PostgreSQL here (the test database of SQLite is
  in memory, where concurrent writers fail at once): test_processes.py does it on a SQLite file
  with two server processes.
- A script whose create times out on its side retries it with the same key: one row, the retry
  gets the first request's answer.
"""

import threading
import time
import uuid

import pytest
import requests
from django.db import connection, connections

from assets import services
from assets.models import Entity
from kitsu_server.core.models import IdempotentRequest
from people.auth.authentication import KitsuAccessToken
from tasks.models import ApiEvent
from tests.servers import uvicorn_in_thread

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CLIENTS = 8
WAIT = 30  # seconds a request may take on a loaded machine (no timing is asserted)


@pytest.fixture(scope="module")
def server_url():
    with uvicorn_in_thread() as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def manager_headers(team):
    return {"Authorization": f"Bearer {KitsuAccessToken.for_person(team['manager'])}"}


def at_once(request, count=CLIENTS):
    """request(i) for i in range(count) in as many threads, released together: the responses."""
    barrier = threading.Barrier(count)
    responses, failures = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            responses[index] = request(index)
        except Exception as failure:  # noqa: BLE001 - reported below
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return responses


def slowed_create_asset(monkeypatch, seconds):
    """The asset service of the server (same process) taking `seconds` more: the request is
    still running when its retries arrive."""
    real = services.create_asset

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "create_asset", slow)


concurrent = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers in one process need PostgreSQL"
)


@concurrent
def test_eight_concurrent_retries_with_one_key_write_once(
    server_url, new_asset_path, manager_headers, monkeypatch
):
    slowed_create_asset(monkeypatch, 0.5)  # the seven others arrive while the first one runs
    headers = {**manager_headers, "Idempotency-Key": str(uuid.uuid4())}
    responses = at_once(
        lambda i: requests.post(
            server_url + new_asset_path, json={"name": "Sword"}, headers=headers, timeout=WAIT
        )
    )
    assert [response.status_code for response in responses] == [201] * CLIENTS, [r.text for r in responses]
    assert len({response.content for response in responses}) == 1
    replayed = [response.headers.get("Idempotent-Replayed") for response in responses]
    assert sorted(replayed, key=str) == [None] + ["true"] * (CLIENTS - 1)
    assert Entity.objects.filter(name="Sword").count() == 1
    assert ApiEvent.objects.filter(name="asset:new").count() == 1
    assert IdempotentRequest.objects.get().state == "done"


@concurrent
def test_eight_concurrent_requests_with_their_own_keys_each_run(server_url, show, team, manager_headers):
    path = f"{server_url}/api/data/projects/{show.id}/episodes"

    def post(index):
        headers = {**manager_headers, "Idempotency-Key": f"episode-{index}"}
        return requests.post(path, json={"name": f"E{index:02}"}, headers=headers, timeout=WAIT)

    responses = at_once(post)
    assert [response.status_code for response in responses] == [201] * CLIENTS, [r.text for r in responses]
    assert not [response for response in responses if "Idempotent-Replayed" in response.headers]
    assert IdempotentRequest.objects.filter(state="done").count() == CLIENTS


@concurrent
def test_concurrent_requests_of_one_key_with_other_bodies_are_422s(
    server_url, new_asset_path, manager_headers, monkeypatch
):
    """One of them runs; the others, another request under the same key, are refused at once
    (whether the first is still running or done) and write nothing."""
    slowed_create_asset(monkeypatch, 0.5)
    headers = {**manager_headers, "Idempotency-Key": str(uuid.uuid4())}
    responses = at_once(
        lambda i: requests.post(
            server_url + new_asset_path, json={"name": f"Blade {i}"}, headers=headers, timeout=WAIT
        )
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [422] * (CLIENTS - 1), [r.text for r in responses]
    assert Entity.objects.filter(name__startswith="Blade").count() == 1


@concurrent
def test_a_script_retrying_a_create_after_its_timeout_writes_once(
    server_url, new_asset_path, manager_headers, monkeypatch
):
    """What a gazu script does with `requests`: a create that the client gave up on (its timeout)
    while the server went on, retried with the same key until it gets an answer."""
    slowed_create_asset(monkeypatch, 1.5)
    session = requests.Session()
    session.headers.update(manager_headers)
    key = str(uuid.uuid4())
    attempts, answer = 0, None
    while answer is None:
        attempts += 1
        try:
            answer = session.post(
                server_url + new_asset_path,
                json={"name": "Shield"},
                headers={"Idempotency-Key": key},
                timeout=0.5 if attempts == 1 else WAIT,
            )
        except requests.Timeout:
            assert attempts == 1
    assert attempts == 2
    assert answer.status_code == 201 and answer.headers["Idempotent-Replayed"] == "true"
    assert answer.json()["name"] == "Shield"
    assert Entity.objects.filter(name="Shield").count() == 1
    assert ApiEvent.objects.filter(name="asset:new").count() == 1


def test_a_retry_after_a_server_error_runs_again(server_url, new_asset_path, manager_headers, monkeypatch):
    real = services.create_asset
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("connection to the database lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "create_asset", fails_once)
    headers = {**manager_headers, "Idempotency-Key": "retry-after-500"}
    first = requests.post(server_url + new_asset_path, json={"name": "Bow"}, headers=headers, timeout=WAIT)
    assert first.status_code == 500 and first.json()["error"] is True
    second = requests.post(server_url + new_asset_path, json={"name": "Bow"}, headers=headers, timeout=WAIT)
    assert second.status_code == 201 and "Idempotent-Replayed" not in second.headers
    third = requests.post(server_url + new_asset_path, json={"name": "Bow"}, headers=headers, timeout=WAIT)
    assert third.status_code == 201 and third.headers["Idempotent-Replayed"] == "true"
    assert third.json() == second.json() and Entity.objects.filter(name="Bow").count() == 1


def test_a_hostile_key_over_the_wire_is_a_400(server_url, new_asset_path, manager_headers):
    for key in (b"x" * 10_000, "clé".encode("latin-1"), "\u4e2d".encode()):
        headers = {**manager_headers, "Idempotency-Key": key}
        response = requests.post(
            server_url + new_asset_path, json={"name": "Axe"}, headers=headers, timeout=WAIT
        )
        assert response.status_code == 400, key
        assert response.json()["message"] == "Idempotency-Key must be 1 to 255 printable ASCII characters."
    assert Entity.objects.filter(name="Axe").count() == 0


@pytest.fixture(autouse=True)
def close_connections():
    yield
    connections.close_all()


def test_a_script_uploading_twice_with_one_key_attaches_once(server_url, team, task, wip):
    """`requests` draws a new multipart boundary for each sending; the body reaches the view
    rewound from the file the ASGI handler spooled it to."""
    from files.models import AttachmentFile
    from tasks.models import Comment

    headers = {
        "Authorization": f"Bearer {KitsuAccessToken.for_person(team['user'])}",
        "Idempotency-Key": "upload-over-the-wire",
    }
    content = b"\x89PNG" + bytes(range(256)) * 12_000  # 3 MB: spooled to disk by the handler

    def send():
        return requests.post(
            f"{server_url}/api/actions/tasks/{task.pk}/comment",
            data={"task_status_id": str(wip.pk), "comment": "see files"},
            files={"file-0": ("ref.png", content, "image/png")},
            headers=headers,
            timeout=WAIT,
        )

    first, again = send(), send()
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Comment.objects.count() == 1 and AttachmentFile.objects.count() == 1
    assert AttachmentFile.objects.get().size == len(content)


def test_a_gazu_script_retrying_its_comments_comments_once(server_url, team, task, wip, tmp_path):
    """gazu's own calls (JSON, and a multipart upload with its boundary drawn per sending) with
    the key on the client's session, as a script's retry wrapper would set it: each comment,
    sent twice, is made once and answered the same."""
    import gazu

    from files.models import AttachmentFile
    from tasks.models import Comment

    client = gazu.client.create_client(f"{server_url}/api")
    gazu.client.set_tokens({"access_token": str(KitsuAccessToken.for_person(team["user"]))}, client=client)
    task_row, status_row = {"id": str(task.pk)}, {"id": str(wip.pk)}
    picture = tmp_path / "ref.png"
    picture.write_bytes(b"\x89PNG" + bytes(range(256)) * 100)

    def comment_twice(key, **options):
        client.session.headers["Idempotency-Key"] = key
        first = gazu.task.add_comment(task_row, status_row, "from a script", client=client, **options)
        again = gazu.task.add_comment(task_row, status_row, "from a script", client=client, **options)
        return first, again

    first, again = comment_twice("gazu-comment-1")
    assert again == first and Comment.objects.count() == 1
    first, again = comment_twice("gazu-comment-2", attachments=[str(picture)])
    assert again == first and Comment.objects.count() == 2
    assert AttachmentFile.objects.count() == 1
