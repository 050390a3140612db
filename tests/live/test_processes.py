"""Live events across processes: two uvicorn servers sharing one database and one Redis (the live
log is a Redis stream there), as two workers of a deployment are, and a Celery worker. A comment
posted through the API of one reaches gazu's listener connected to the other; a reconnection to
either resumes; a webhook receiver down for a while gets every delivery once back, in order.

Needs Redis (TEST_REDIS_URL, default db 15): skipped with the reason otherwise.
"""

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests

from kitsu_server.status_views import redis_answers
from tests.live.conftest import WAIT, Listener

gazu = pytest.importorskip("gazu")

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.skipif(not redis_answers(TEST_REDIS_URL), reason=f"no Redis answers at {TEST_REDIS_URL}"),
]

SEED = """
import json, django
django.setup()
from people.auth.authentication import KitsuAccessToken
from tests import factories
show = factories.make_project(name="Processes Show")
team = factories.make_team(show, password=None)
other = factories.make_project(name="Processes Other")
stranger = factories.join(other, factories.make_person(role="user", password=None))
task = factories.make_task(factories.make_asset(show))
status = factories.make_task_status(name="Processes WIP", short_name="pwip")
people = {**team, "stranger": stranger}
print(json.dumps({
    "project_id": str(show.pk), "task_id": str(task.pk), "status_id": str(status.pk),
    "tokens": {role: str(KitsuAccessToken.for_person(person)) for role, person in people.items()},
}))
"""


def free_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    return sock


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two server processes on one SQLite file and one Redis stream: ({"a": url, "b": url}, seed)."""
    folder = tmp_path_factory.mktemp("live-cluster")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kitsu_server.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "REDIS_URL": TEST_REDIS_URL,
        "LIVE_EVENTS_STREAM_KEY": f"test:live:{uuid.uuid4()}",
        "LOG_LEVEL": "WARNING",
        "WEBHOOK_BACKOFF": "0.5",  # retries after 0.5, 1, 2, 2... seconds
        "WEBHOOK_BACKOFF_MAX": "2",
        "WEBHOOK_TIMEOUT": "5",
        "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true",  # the receiver listens on 127.0.0.1
        "PYTHONPATH": ROOT,
    }
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True, "timeout": 600}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    seed = json.loads(subprocess.run([sys.executable, "-c", SEED], **run).stdout.strip().splitlines()[-1])
    servers, urls, sockets = [], {}, []
    try:
        for name in ("a", "b"):
            sock = free_socket()
            sockets.append(sock)
            command = [sys.executable, "-m", "uvicorn", "kitsu_server.asgi:application"]
            command += ["--fd", str(sock.fileno()), "--log-level", "warning"]
            servers.append(subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=[sock.fileno()]))
            urls[name] = f"http://127.0.0.1:{sock.getsockname()[1]}"
        worker = [sys.executable, "-m", "celery", "-A", "kitsu_server", "worker", "--pool=solo"]
        worker += ["--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        servers.append(subprocess.Popen(worker, cwd=ROOT, env=env))
        for url in urls.values():
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/api/status.txt", timeout=WAIT).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, f"{url} did not start"
                time.sleep(0.2)
        yield urls, seed
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(20)
        for sock in sockets:
            sock.close()
        import redis

        redis.Redis.from_url(TEST_REDIS_URL).delete(env["LIVE_EVENTS_STREAM_KEY"])


def post_comment(url, seed, role, text):
    response = requests.post(
        f"{url}/api/actions/tasks/{seed['task_id']}/comment",
        json={"task_status_id": seed["status_id"], "comment": text},
        headers={"Authorization": f"Bearer {seed['tokens'][role]}"},
        timeout=WAIT,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def publish_test_event(url):
    assert requests.get(f"{url}/api/status/test-event", timeout=WAIT).json() == {"success": True}


def comment_ids(events):
    return [data["comment_id"] for name, data in events if name == "comment:new"]


def test_gazu_on_one_worker_receives_a_comment_posted_on_the_other(cluster):
    urls, seed = cluster
    client = gazu.client.create_client(f"{urls['a']}/api")
    gazu.client.set_tokens({"access_token": seed["tokens"]["user"]}, client=client)
    events = gazu.events.init(client=client, reconnection=False)
    stranger = Listener(urls["a"], token=seed["tokens"]["stranger"])
    received = []
    try:
        gazu.events.add_listener(events, "comment:new", lambda data: received.append(("comment:new", data)))
        gazu.events.add_listener(events, "main:test", lambda data: received.append(("main:test", data)))

        comment_id = post_comment(urls["b"], seed, "supervisor", "posted on b")
        publish_test_event(urls["b"])  # after the comment in the log: its arrival closes the wait

        deadline = time.monotonic() + WAIT
        while "main:test" not in [name for name, _ in received]:
            assert time.monotonic() < deadline, f"nothing received: {received}"
            events.sleep(0.05)
    finally:
        events.disconnect()
    assert comment_ids(received) == [comment_id]
    assert received[0][1]["project_id"] == seed["project_id"]
    assert received[0][1]["task_id"] == seed["task_id"]
    assert comment_ids(stranger.until("main:test")) == []  # a member of another production
    stranger.close()


def test_a_reconnection_to_the_other_worker_resumes_exactly_once(cluster):
    urls, seed = cluster
    first = Listener(urls["a"], token=seed["tokens"]["user"])
    seen_id = post_comment(urls["b"], seed, "supervisor", "seen")
    (name, seen), *_ = first.until("comment:new", comment_id=seen_id)[-1:]
    first.close()
    missed = [post_comment(urls["a"], seed, "supervisor", f"missed {n}") for n in range(3)]

    again = Listener(urls["b"], token=seed["tokens"]["user"], auth={"last_event_id": seen["event_id"]})
    live = post_comment(urls["a"], seed, "supervisor", "live")
    publish_test_event(urls["a"])

    assert comment_ids(again.until("main:test")) == [*missed, live]
    again.close()


def test_a_webhook_receiver_down_for_a_while_gets_every_delivery_once_back_in_order(cluster, receiver):
    urls, seed = cluster
    manager = {"Authorization": f"Bearer {seed['tokens']['manager']}"}
    hooks = f"{urls['a']}/api/data/projects/{seed['project_id']}/webhooks"
    body = {"name": "Pipeline", "url": receiver.url, "events": ["comment:new"]}
    created = requests.post(hooks, json=body, headers=manager, timeout=WAIT)
    assert created.status_code == 201, created.text
    hook = created.json()
    receiver.status = 503

    posted = [post_comment(urls["ab"[n % 2]], seed, "supervisor", f"while down {n}") for n in range(4)]
    deadline = time.monotonic() + 60
    while receiver.refused < 3:  # the first delivery failed, and was retried
        assert time.monotonic() < deadline, "no retry"
        time.sleep(0.1)
    receiver.status = 200
    while len(receiver.received) < len(posted):
        assert time.monotonic() < deadline, f"delivered: {len(receiver.received)}"
        time.sleep(0.1)
    time.sleep(1)  # a duplicate would come now

    payloads = [json.loads(body) for _, body in receiver.received]
    assert [payload["data"]["comment_id"] for payload in payloads] == posted
    assert len({headers["X-Kitsu-Delivery"] for headers, _ in receiver.received}) == len(posted)
    assert all(verify_signature(headers, body, hook["secret"]) for headers, body in receiver.received)
    log = requests.get(f"{hooks}/{hook['id']}/deliveries", headers=manager, timeout=WAIT).json()
    assert [row["state"] for row in log] == ["delivered"] * len(posted)
    assert log[-1]["attempts"] >= 3 and log[-1]["response_code"] == 200


def verify_signature(headers, body, secret):
    timestamp = headers["X-Kitsu-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Kitsu-Signature"], f"sha256={expected}")
