"""The HTTP rules over a real socket: uvicorn serving the ASGI application as `make serve` does
(with both of its HTTP/1.1 parsers), spoken to in raw HTTP/1.1 over kept-alive connections.

What the test client cannot show: the bytes on the wire. A 304 with a body leaves those bytes on
the connection, where the client (or a proxy) reads them as the start of the next answer; a
streamed board must arrive chunk by chunk, not after the server has built it whole.
"""

import json
import select
import socket

import pytest

from kitsu_server.api.responses import RowStream
from people.models import Department
from tasks.models import Comment
from tests import factories
from tests.servers import uvicorn_in_thread

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NOT_FOUND_PREFIX = "404 Not Found: "
TOO_LARGE = "The data value transmitted exceeds the capacity limit."


@pytest.fixture(scope="module", params=["httptools", "h11"])
def server(request):
    """The ASGI application on uvicorn, in a thread of this process (so that it shares the test
    database), on a port the OS chooses: its port."""
    with uvicorn_in_thread(http=request.param) as port:
        yield port


class Connection:
    """One kept-alive HTTP/1.1 connection, read byte for byte (no client library smoothing
    anything over)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buffer = b""

    def close(self):
        self.sock.close()

    def send(self, method, path, headers=None, body=b"", chunked=False):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        lines = [f"{method} {path} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        elif body:
            lines.append(f"Content-Length: {len(body)}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + (b"" if chunked else body))

    def send_chunk(self, data):
        self.sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed by the server")
        self.buffer += data

    def _line(self):
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _exactly(self, size):
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def head(self):
        """The status and headers (names lowercased) of the next answer."""
        status = int(self._line().split()[1])
        headers = {}
        while line := self._line():
            name, value = line.decode("latin-1").split(":", 1)
            headers[name.strip().lower()] = value.strip()
        return status, headers

    def chunks(self):
        """The chunks of a chunked body, one at a time, as they arrive."""
        while True:
            size = int(self._line().split(b";")[0], 16)
            if size == 0:
                assert self._line() == b""
                return
            yield self._exactly(size)
            assert self._exactly(2) == b"\r\n"

    def body(self, headers):
        if headers.get("transfer-encoding") == "chunked":
            return b"".join(self.chunks())
        return self._exactly(int(headers.get("content-length", 0)))

    def request(self, method, path, headers=None, body=b""):
        self.send(method, path, headers, body)
        status, headers = self.head()
        return status, headers, self.body(headers)

    def nothing_more(self, wait=0.5):
        """Whether the server sent nothing beyond the answers read so far."""
        if self.buffer:
            return False
        self.sock.settimeout(wait)
        try:
            return not self.sock.recv(1, socket.MSG_PEEK)  # b"": closed cleanly, nothing sent
        except TimeoutError:
            return True
        finally:
            self.sock.settimeout(20)

    def closed_by_server(self, wait=5):
        """Whether the server closes the connection within `wait` seconds: an orderly close, or a
        reset (a server closing a socket whose received bytes it never read, such as the rest of
        a refused body, makes the kernel answer with a reset rather than a FIN)."""
        self.sock.settimeout(wait)
        try:
            while self.sock.recv(65536):
                pass
            return True
        except TimeoutError:
            return False
        except ConnectionError:
            return True


@pytest.fixture
def connection(server):
    opened = Connection(server)
    yield opened
    opened.close()


def bearer(person):
    from rest_framework_simplejwt.tokens import RefreshToken

    return {"Authorization": f"Bearer {RefreshToken.for_user(person).access_token}"}


@pytest.fixture
def board(show, team):
    """`show` with three assets and three shots, a task on each."""
    return factories.make_boards(show)


BOARDS = ["/api/data/assets/with-tasks", "/api/data/shots/with-tasks"]


def error_message(status, headers, body, expected_status):
    assert status == expected_status, body
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    payload = json.loads(body)
    assert payload["error"] is True
    return payload["message"]


@pytest.mark.parametrize("path", BOARDS)
def test_a_304_has_no_body_and_the_next_request_on_the_connection_succeeds(connection, board, team, path):
    auth = bearer(team["manager"])
    url = f"{path}?project_id={board.id}"
    status, headers, body = connection.request("GET", url, auth)
    assert status == 200 and len(json.loads(body)) == 3
    etag = headers["etag"]

    connection.send("GET", url, {**auth, "If-None-Match": etag})
    status, headers = connection.head()
    assert status == 304 and headers["etag"] == etag
    assert "content-length" not in headers and "transfer-encoding" not in headers
    assert connection.nothing_more()  # no stray `null` waiting to be read as the next answer

    status, headers, body = connection.request("GET", "/api/", auth)
    assert status == 200 and json.loads(body) == {"api": "Zou", "version": "1.0.97"}
    # And again with the web UI's streamed form, which shares the board's ETag.
    connection.send("GET", url + "&stream=true&compact=true", {**auth, "If-None-Match": etag})
    status, headers = connection.head()
    assert status == 304 and "content-length" not in headers and connection.nothing_more()
    status, headers, body = connection.request("GET", url, auth)
    assert status == 200 and headers["etag"] == etag


def test_a_204_has_no_body_and_the_connection_goes_on(connection, admin_person):
    department = factories.make_department("Rigging")
    connection.send("DELETE", f"/api/data/departments/{department.id}", bearer(admin_person))
    status, headers = connection.head()
    assert status == 204 and "content-length" not in headers and "transfer-encoding" not in headers
    assert connection.nothing_more()
    status, headers, body = connection.request("GET", "/api/data/departments", bearer(admin_person))
    assert status == 200 and json.loads(body) == []


def test_unknown_paths_wrong_methods_and_bad_bodies_are_json_on_one_connection(connection, admin_person):
    message = error_message(*connection.request("GET", "/api/no-such-route"), 404)
    assert message.startswith(NOT_FOUND_PREFIX)
    status, headers, body = connection.request("DELETE", "/api/data/projects")
    assert error_message(status, headers, body, 405) == "The method is not allowed for the requested URL."
    assert "POST" in headers["allow"]
    auth = {**bearer(admin_person), "Content-Type": "application/json"}
    message = error_message(*connection.request("POST", "/api/data/departments", auth, b'{"name": '), 400)
    assert "JSON parse error" in message
    status, headers, body = connection.request("GET", "/api/", {"Host": "evil.example.com"})
    assert error_message(status, headers, body, 400)
    # The connection survived every refusal.
    status, _, body = connection.request("GET", "/api/")
    assert status == 200 and json.loads(body)["api"] == "Zou"


def test_a_declared_body_over_the_limit_is_a_json_413_before_it_is_sent(connection, admin_person):
    # The client declares 20 GB and sends a few bytes: the answer comes without waiting for more.
    connection.send(
        "POST",
        "/api/data/departments",
        {**bearer(admin_person), "Content-Type": "application/json", "Content-Length": str(20 * 1024**3)},
    )
    connection.sock.sendall(b'{"name": "')
    status, headers = connection.head()
    body = connection.body(headers)
    assert error_message(status, headers, body, 413) == TOO_LARGE
    assert headers["connection"] == "close" and connection.closed_by_server()


def test_a_chunked_body_over_the_limit_is_cut_off_with_a_json_413(server, admin_person, show, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    task = factories.make_task(factories.make_asset(show, name="Hero"), factories.make_task_type("Modeling"))
    status_row = factories.make_task_status(name="Work In Progress", short_name="wip")
    connection = Connection(server)
    try:
        headers = {**bearer(admin_person), "Content-Type": "application/json"}
        connection.send("POST", f"/api/actions/tasks/{task.id}/comment", headers, chunked=True)
        connection.send_chunk(f'{{"task_status_id": "{status_row.id}", "comment": "'.encode())
        sent = 0
        while not select.select([connection.sock], [], [], 0.5)[0]:
            assert sent < 8, "no answer: the whole body was read"
            connection.send_chunk(b"x" * 1024)
            sent += 1
        assert sent <= 5  # refused once over the limit (4 KB), before the rest is sent
        status, headers = connection.head()
        body = connection.body(headers)
        assert error_message(status, headers, body, 413) == TOO_LARGE
        assert headers["connection"] == "close"
    finally:
        connection.close()
    assert not Comment.objects.exists()


def test_a_chunked_body_within_the_limit_is_read(connection, admin_person):
    """A body sent without a length (Transfer-Encoding: chunked, as streaming clients send it) is
    a body, as on the reference: not read as none."""
    headers = {**bearer(admin_person), "Content-Type": "application/json"}
    connection.send("POST", "/api/data/departments", headers, chunked=True)
    connection.send_chunk(b'{"name": "Rig')
    connection.send_chunk(b'ging", "color": "#888888"}')
    connection.send_chunk(b"")
    status, headers = connection.head()
    body = json.loads(connection.body(headers))
    assert status == 201 and body["name"] == "Rigging"
    assert Department.objects.get().name == "Rigging"
    status, _, body = connection.request("GET", "/api/data/departments", bearer(admin_person))
    assert status == 200 and [row["name"] for row in json.loads(body)] == ["Rigging"]


@pytest.mark.parametrize("path", BOARDS)
def test_an_ndjson_board_streams_line_by_line(connection, board, team, path, monkeypatch):
    """The web UI's first request (`stream=true&compact=true`, `Accept: application/x-ndjson`) is
    answered, not refused with a 406, and its lines come chunk by chunk as they are produced (one
    line a chunk here), the connection then serving the next request."""
    monkeypatch.setattr(RowStream, "batch_size", 1)
    headers = {**bearer(team["manager"]), "Accept": "application/x-ndjson"}
    connection.send("GET", f"{path}?project_id={board.id}&stream=true&compact=true", headers)
    status, headers = connection.head()
    assert status == 200
    assert headers["content-type"] == "application/x-ndjson"
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    assert headers["etag"] and headers["cache-control"] == "private, no-cache"
    lines = []
    for chunk in connection.chunks():
        assert chunk.endswith(b"\n") and chunk.count(b"\n") == 1  # one line per chunk, read as it comes
        lines.append(json.loads(chunk))
    header, rows = lines[0], lines[1:]
    assert header["compact"] is True and len(rows) == 3
    fields = header.get("asset_fields") or header["shot_fields"]
    named = [dict(zip(fields, row, strict=True)) for row in rows]
    assert all(len(row["tasks"]) == 1 for row in named)
    assert connection.nothing_more(wait=0.2)
    status, _, body = connection.request("GET", "/api/")
    assert status == 200 and json.loads(body)["api"] == "Zou"


def test_the_wsgi_server_refuses_an_oversized_body_with_json_too(live_server, admin_person, settings):
    """The same 413 from Django's own WSGI server (runserver, pytest's live server), which
    drains the unread body: the connection goes on."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    connection = Connection(int(live_server.url.rsplit(":", 1)[1]))
    try:
        headers = {**bearer(admin_person), "Content-Type": "application/json"}
        body = json.dumps({"name": "x" * 2000, "color": "#888888"}).encode()
        assert (
            error_message(*connection.request("POST", "/api/data/departments", headers, body), 413)
            == TOO_LARGE
        )
        assert not Department.objects.exists()
        status, _, body = connection.request("GET", "/api/")
        assert status == 200 and json.loads(body)["api"] == "Zou"
    finally:
        connection.close()
