"""Idempotency keys across processes, on SQLite: uvicorn with two worker processes on one SQLite
file (the embedded default), as `make serve WORKERS=2` runs it. The requests of one key meet only
in the database: 8 concurrent retries write once, and a script retrying a create after its own
timeout makes one row."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENTS = 8
WAIT = 30

pytestmark = pytest.mark.slow

SEED = """
import json, django
django.setup()
from people.auth.authentication import KitsuAccessToken
from tests import factories
show = factories.make_project(name="Idempotent Show")
team = factories.make_team(show, password=None)
prop = factories.make_asset_type("Prop")
print(json.dumps({
    "path": f"/api/data/projects/{show.id}/asset-types/{prop.id}/assets/new",
    "token": str(KitsuAccessToken.for_person(team["manager"])),
}))
"""

COUNT = """
import json, sys, django
django.setup()
from assets.models import Entity
from kitsu_server.core.models import IdempotentRequest
from tasks.models import ApiEvent
name = sys.argv[1]
print(json.dumps({
    "assets": Entity.objects.filter(name=name).count(),
    "events": ApiEvent.objects.filter(name="asset:new").count(),
    "keys": IdempotentRequest.objects.filter(state="done").count(),
}))
"""


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    """Two uvicorn workers on one migrated SQLite file: (url, seed, count(name))."""
    folder = tmp_path_factory.mktemp("idempotency")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kitsu_server.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": ROOT,
    }
    env.pop("REDIS_URL", None)
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True, "timeout": 600}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    seed = json.loads(subprocess.run([sys.executable, "-c", SEED], **run).stdout.strip().splitlines()[-1])

    def count(name):
        output = subprocess.run([sys.executable, "-c", COUNT, name], **run).stdout
        return json.loads(output.strip().splitlines()[-1])

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    command = [sys.executable, "-m", "uvicorn", "kitsu_server.asgi:application", "--workers", "2"]
    command += ["--fd", str(sock.fileno()), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=[sock.fileno()])
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/api/status.txt", timeout=WAIT).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield url, seed, count
    finally:
        server.terminate()
        server.wait(20)
        sock.close()


def test_eight_concurrent_retries_with_one_key_write_once_on_sqlite(sqlite_server):
    url, seed, count = sqlite_server
    headers = {"Authorization": f"Bearer {seed['token']}", "Idempotency-Key": str(uuid.uuid4())}
    barrier = threading.Barrier(CLIENTS)
    responses = [None] * CLIENTS

    def post(index):
        barrier.wait()
        responses[index] = requests.post(
            url + seed["path"], json={"name": "Sword"}, headers=headers, timeout=WAIT
        )

    threads = [threading.Thread(target=post, args=(index,)) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [response.status_code for response in responses] == [201] * CLIENTS, [r.text for r in responses]
    assert len({response.content for response in responses}) == 1
    replayed = [response.headers.get("Idempotent-Replayed") for response in responses]
    assert sorted(replayed, key=str) == [None] + ["true"] * (CLIENTS - 1)
    counts = count("Sword")
    assert counts["assets"] == 1 and counts["events"] == 1


def test_a_script_retrying_after_its_timeout_makes_one_row_on_sqlite(sqlite_server):
    """The first attempt gives up almost at once (the server may or may not have run it): every
    retry with the key ends with the one row."""
    url, seed, count = sqlite_server
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {seed['token']}", "Idempotency-Key": str(uuid.uuid4())})
    answers = []
    for timeout in (0.001, 0.005, WAIT, WAIT):
        try:
            answers.append(session.post(url + seed["path"], json={"name": "Shield"}, timeout=timeout))
        except requests.Timeout:
            continue
    assert answers and {answer.status_code for answer in answers} == {201}
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert answers[-1].headers["Idempotent-Replayed"] == "true"
    assert count("Shield")["assets"] == 1
