"""Load on the live event stream: N Socket.IO clients connected to one server, E events a second
for S seconds; prints the delivery delay (median, p99, max), the events lost or repeated, and the
server's memory per connection.

    DATABASE_URL=sqlite:////tmp/kitsu_events_bench.db REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/events_load.py --clients 500 --rate 50 --seconds 30

The bench creates a production and its team (one person per client), starts `uvicorn` on the
ASGI application (--workers processes; more than one needs REDIS_URL) and connects the clients
(python-socketio's asyncio client, websocket transport, all in this process). Events go into the
live log from here, as a write of another process puts them there: with REDIS_URL straight into
the Redis stream (each carries its sending time); without, through `/api/status/test-event`
(matched to their sending time by their order). Every client is a member of the production, so
each event reaches every client. Not a test: numbers for the machine it runs on.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitsu_server.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/kitsu_events_bench.db")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from people.auth.authentication import KitsuAccessToken  # noqa: E402
from people.models import Person  # noqa: E402
from productions.models import Project, ProjectPersonLink, ProjectStatus  # noqa: E402

EVENT = "task:update"


def build_team(count):
    """A production with `count` artists in its team: their access tokens, and its id."""
    status = ProjectStatus.objects.get_or_create(name="Open", defaults={"color": "#000000"})[0]
    project = Project.objects.create(name=f"Events bench {time.time_ns()}", project_status=status)
    persons = Person.objects.bulk_create(
        [
            Person(
                first_name="Bench", last_name=str(n), email=f"bench-{project.pk}-{n}@example.com", role="user"
            )
            for n in range(count)
        ]
    )
    ProjectPersonLink.objects.bulk_create([ProjectPersonLink(project=project, person=p) for p in persons])
    return [str(KitsuAccessToken.for_person(person)) for person in persons], project


def rss_bytes(pids):
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def server_pids(process):
    """The uvicorn process and its worker processes."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    kids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    return [process.pid, *kids]


def start_server(port, workers):
    command = [sys.executable, "-m", "uvicorn", "kitsu_server.asgi:application", "--port", str(port)]
    command += ["--log-level", "warning", "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/api/status.txt", timeout=5).status_code == 200:
                return process, url
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.terminate()
            raise SystemExit("the server did not start")
        time.sleep(0.3)


class Clients:
    """Socket.IO clients speaking the protocol over `websockets` (Engine.IO 4 packets: "0" open,
    "2"/"3" ping/pong, "40/events," connect, "42/events,[name, data]" an event): light enough to
    run hundreds in one process."""

    def __init__(self):
        self.received = {}  # event key -> [receive times]
        self.connections = []
        self.readers = []

    async def connect(self, url, tokens, batch=25):
        from websockets.asyncio.client import connect

        endpoint = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"

        async def one(token):
            connection = await connect(
                endpoint,
                additional_headers={"Authorization": f"Bearer {token}"},
                compression=None,
                proxy=None,
            )
            assert (await connection.recv()).startswith("0")  # Engine.IO open
            await connection.send("40/events,")
            while not (answer := await connection.recv()).startswith("40/events"):
                if answer.startswith("44/events"):
                    raise SystemExit(f"connection refused: {answer}")
            self.connections.append(connection)
            self.readers.append(asyncio.create_task(self.read(connection)))

        for start in range(0, len(tokens), batch):  # not all handshakes at once
            await asyncio.gather(*(one(token) for token in tokens[start : start + batch]))

    async def read(self, connection):
        prefix = "42/events,"
        async for message in connection:
            if message == "2":
                await connection.send("3")
            elif message.startswith(prefix):
                name, data = json.loads(message[len(prefix) :])[:2]
                key = data.get("sent_at") or data.get("event_id")
                self.received.setdefault(key, []).append(time.time())

    async def close(self):
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*(connection.close() for connection in self.connections), return_exceptions=True)


async def publish(project, rate, seconds, url):
    """Send `rate` events a second; answers their sending times (keys of Clients.received)."""
    sent = []
    interval = 1.0 / rate
    start = time.monotonic()
    if settings.REDIS_URL:
        from kitsu_server.live.stream import get_stream

        stream = get_stream()
        for n in range(int(rate * seconds)):
            await asyncio.sleep(max(start + n * interval - time.monotonic(), 0))
            sent_at = repr(time.time())
            entry = {
                "name": EVENT,
                "data": {"task_id": str(n), "sent_at": sent_at},
                "project": str(project.pk),
            }
            await asyncio.to_thread(stream.append, [entry])
            sent.append(sent_at)
    else:
        loop = asyncio.get_running_loop()
        for n in range(int(rate * seconds)):
            await asyncio.sleep(max(start + n * interval - time.monotonic(), 0))
            sent.append(time.time())
            await loop.run_in_executor(None, requests.get, f"{url}/api/status/test-event")
    return sent


def report(clients, sent, count, by_order):
    delays, lost, repeated = [], 0, 0
    if by_order:  # main:test events, keyed by event id: their order is their sending order
        keys = sorted(clients.received, key=lambda text: tuple(map(int, text.split("-"))))
        pairs = list(zip(sent, keys, strict=False))
        lost += (len(sent) - len(keys)) * count
    else:
        pairs = [(float(sent_at), sent_at) for sent_at in sent]
    for sent_at, key in pairs:
        times = clients.received.get(key, [])
        lost += max(count - len(times), 0)
        repeated += max(len(times) - count, 0)
        delays += [received - float(sent_at) for received in times]
    delays.sort()
    if not delays:
        print("nothing received")
        return
    p99 = delays[min(int(len(delays) * 0.99), len(delays) - 1)]
    print(f"deliveries: {len(delays)} (lost {lost}, repeated {repeated})")
    median, worst = statistics.median(delays) * 1000, delays[-1] * 1000
    print(f"delay: median {median:.1f} ms, p99 {p99 * 1000:.1f} ms, max {worst:.1f} ms")


async def run(args, tokens, project, server, url):
    clients = Clients()
    try:
        await clients.connect(url, tokens[: args.workers])  # warm-up: imports, the dispatcher
        await asyncio.sleep(1)
        before = rss_bytes(server_pids(server))
        started = time.monotonic()
        await clients.connect(url, tokens[args.workers :])
        print(f"{args.clients} clients connected in {time.monotonic() - started:.1f} s")
        await asyncio.sleep(2)
        after = rss_bytes(server_pids(server))
        print(f"server memory: {before / 2**20:.1f} MiB -> {after / 2**20:.1f} MiB, ", end="")
        print(f"{(after - before) / max(args.clients - args.workers, 1) / 1024:.1f} KiB per connection")
        sent = await publish(project, args.rate, args.seconds, url)
        await asyncio.sleep(args.drain)
        print(
            f"events: {len(sent)} at {args.rate}/s to {args.clients} clients, {args.workers} server processes"
        )
        report(clients, sent, args.clients, by_order=not settings.REDIS_URL)
    finally:
        await clients.close()
        server.terminate()
        server.wait(20)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=50, help="events a second")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=1, help="server processes (REDIS_URL for more than 1)")
    parser.add_argument("--port", type=int, default=8155)
    parser.add_argument("--drain", type=float, default=3, help="seconds to wait for the last events")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    tokens, project = build_team(args.clients)
    server, url = start_server(args.port, args.workers)
    asyncio.run(run(args, tokens, project, server, url))


if __name__ == "__main__":
    main()
