"""A real ASGI server (uvicorn) for the live-event tests, and Socket.IO clients listening to it.

The server runs in a thread of the test process, so that it shares the test database and the
in-memory live log (no REDIS_URL): the writes of the test and of the server's requests reach its
connections alike. The tests across processes start their own servers (test_processes.py).
"""

import queue
import threading
import time
import uuid

import pytest
import socketio
from asgiref.sync import SyncToAsync
from django.db import connections

from kitsu_server.core.events import publish_event
from people.auth.authentication import KitsuAccessToken
from tests import factories
from tests.servers import uvicorn_in_thread

WAIT = 15  # seconds an expected event may take on a loaded machine (no timing is asserted)


@pytest.fixture(scope="module")
def server_url():
    """The ASGI application on uvicorn in a thread, on a port the OS chooses: its URL."""
    with uvicorn_in_thread() as port:
        yield f"http://127.0.0.1:{port}"
    # The stream's database work runs in asgiref's thread for synchronous code, whose connection
    # outlives the server when CONN_MAX_AGE keeps it (PostgreSQL without a pool): close it, or
    # the test database cannot be dropped.
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture
def production(db):
    """A production with its team (see factories.make_team), a task and a task status:
    (show, team, task, status)."""
    show = factories.make_project(name="Live Show")
    team = factories.make_team(show, password=None)
    task = factories.make_task(factories.make_asset(show))
    status = factories.make_task_status(name="Live WIP", short_name="lwip")
    return show, team, task, status


def token_for(person):
    return str(KitsuAccessToken.for_person(person))


class Listener:
    """A python-socketio client on `/events` recording every event it receives, in order."""

    def __init__(self, url, person=None, token=None, auth=None, headers=None, url_query=None):
        self.events = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", lambda name, data: self.events.put((name, data)), namespace="/events")
        if headers is None:
            token = token or (token_for(person) if person is not None else None)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
        if url_query:
            url = f"{url}/?{url_query}"
        self.client.connect(url, headers=headers, auth=auth, namespaces=["/events"], wait_timeout=WAIT)

    def next(self, timeout=WAIT):
        return self.events.get(timeout=timeout)

    def until(self, name, timeout=WAIT, **fields):
        """The events received up to the first `name` whose data has `fields` (included)."""
        received = []
        deadline = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(deadline - time.monotonic(), 0.01))
            received.append(event)
            if event[0] == name and all(event[1].get(key) == value for key, value in fields.items()):
                return received

    def close(self):
        self.client.disconnect()


def barrier(listener, person):
    """A personal event for `person`, published after everything before: the events `listener`
    received before it are all it will receive of those (the log is delivered in order)."""
    marker = f"barrier-{uuid.uuid4()}"
    publish_event("notification:new", {"person_id": str(person.pk), "notification_id": marker})
    received = listener.until("notification:new", notification_id=marker)[:-1]
    return [(name, data) for name, data in received if not is_barrier(data)]


def is_barrier(data):
    return str(data.get("notification_id")).startswith("barrier-")


@pytest.fixture
def listen(server_url):
    """listen(person) -> a connected Listener (closed after the test)."""
    opened = []

    def connect(person=None, **options):
        listener = Listener(server_url, person, **options)
        opened.append(listener)
        return listener

    yield connect
    for listener in opened:
        listener.close()


class Receiver:
    """A local HTTP server taking webhook POSTs: it records (headers, body) of those it accepts,
    and answers `status` (503 while "down")."""

    def __init__(self):
        import http.server

        receiver = self
        self.status = 200
        self.received = []
        self.refused = 0
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status = receiver.status
                    if status == 200:
                        receiver.received.append((dict(self.headers), body))
                    else:
                        receiver.refused += 1
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    instance = Receiver()
    yield instance
    instance.close()
