"""kitsu_server.api.serving.KitsuASGIHandler: the same answers as Django's ASGI handler (status,
headers, body), its synchronous steps of a request in one thread, threads reused from request to
request instead of one created per request."""

import asyncio
import threading

import orjson
import pytest
from django.core.handlers.asgi import ASGIHandler

from kitsu_server.api.http import RequestBodies
from kitsu_server.api.serving import KitsuASGIHandler
from people.auth.authentication import KitsuAccessToken

pytestmark = pytest.mark.django_db(transaction=True)


def call(app, method, path, headers=(), body=b""):
    """One request through an ASGI application: (status, headers, body)."""
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    answer = {"body": b""}

    async def run():
        sent = asyncio.Event()

        async def receive():
            if sent.is_set():
                await asyncio.Event().wait()  # the client stays connected
            sent.set()
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = [(name.lower(), value) for name, value in message["headers"]]
            else:
                answer["body"] += message.get("body", b"")

        await app(scope, receive, send)

    asyncio.run(run())
    return answer["status"], sorted(answer["headers"]), answer["body"]


def bearer(person):
    return [(b"authorization", f"Bearer {KitsuAccessToken.for_person(person)}".encode())]


@pytest.fixture
def applications():
    return RequestBodies(ASGIHandler()), RequestBodies(KitsuASGIHandler())


def requests_of(person, show):
    auth = bearer(person)
    json = [(b"content-type", b"application/json")]
    return [
        ("GET", "/api/auth/authenticated", auth, b""),
        ("GET", f"/api/data/projects/{show.id}", auth, b""),
        ("GET", "/api/data/projects/not-a-uuid", auth, b""),
        ("GET", "/api/data/projects", [], b""),  # 401
        ("GET", "/api/no/such/route", auth, b""),  # 404
        ("DELETE", "/api/auth/authenticated", auth, b""),  # 405
        ("POST", "/api/data/departments", auth + json, b'{"name": '),  # 400
        ("POST", "/api/data/departments", auth + json, b'{"name": "Anim", "color": "#000000"}'),  # 201
        ("GET", "/api/data/departments", auth, b""),
        ("GET", "/admin/login/", [], b""),  # the back-office: sessions, CSRF cookie, headers
    ]


def test_the_same_answers_as_djangos_handler(applications, admin_person, show):
    django_app, kitsu_app = applications
    for method, path, headers, body in requests_of(admin_person, show):
        expected = call(django_app, method, path, headers, body)
        if method == "POST" and expected[0] == 201:
            from people.models import Department

            Department.objects.all().delete()
        got = call(kitsu_app, method, path, headers, body)
        assert got[0] == expected[0], (method, path)
        # CSRF tokens, timestamps (an Expires a second apart on a slow machine)
        volatile = {b"set-cookie", b"date", b"expires", b"content-length"}
        assert [h for h in got[1] if h[0] not in volatile] == [h for h in expected[1] if h[0] not in volatile]
        assert {h[0] for h in got[1]} == {h[0] for h in expected[1]}
        if path.startswith("/api") and got[2]:
            got_body, expected_body = orjson.loads(got[2]), orjson.loads(expected[2])
            if isinstance(got_body, dict):
                for key in ("id", "created_at", "updated_at"):
                    got_body.pop(key, None), expected_body.pop(key, None)
            assert got_body == expected_body, (method, path)


def test_a_request_runs_in_one_reused_thread(admin_person, show, monkeypatch):
    """The stack and the view of each request run in one thread, taken again by the next request:
    no thread is created per request once the first has run."""
    app = KitsuASGIHandler()
    threads_seen = []
    from people.auth import authentication

    original = authentication.KitsuJWTAuthentication.authenticate

    def recording(self, request):
        threads_seen.append(threading.get_ident())
        return original(self, request)

    monkeypatch.setattr(authentication.KitsuJWTAuthentication, "authenticate", recording)
    status, _, body = call(app, "GET", "/api/auth/authenticated", bearer(admin_person))
    assert status == 200 and orjson.loads(body)["user"]["id"] == str(admin_person.id)
    before = threading.active_count()
    for _ in range(5):
        assert call(app, "GET", f"/api/data/projects/{show.id}", bearer(admin_person))[0] == 200
    assert threading.active_count() == before
    assert len(set(threads_seen)) == 1 and threads_seen[0] != threading.get_ident()


def test_an_error_in_a_view_is_a_json_500_and_the_thread_serves_on(admin_person, monkeypatch):
    app = KitsuASGIHandler()
    from people.auth import views

    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(views, "person_data", broken)
    status, _, body = call(app, "GET", "/api/auth/authenticated", bearer(admin_person))
    assert status == 500
    assert orjson.loads(body) == {"error": True, "message": "Internal server error."}
    monkeypatch.undo()
    assert call(app, "GET", "/api/auth/authenticated", bearer(admin_person))[0] == 200


def test_a_thread_still_busy_when_its_request_ends_is_not_handed_to_the_next():
    """A request can end while work it started goes on in its thread (the client went away and
    Django cancelled the answer): that thread is let go, not reused, so the next request never
    waits behind it."""
    from asgiref.sync import sync_to_async

    handler = KitsuASGIHandler()
    gate = threading.Event()
    used = []

    async def handle_leaving_work_behind(scope, receive, send):
        asyncio.ensure_future(sync_to_async(gate.wait, thread_sensitive=True)())
        await asyncio.sleep(0.05)  # the work has reached the thread

    handler.handle = handle_leaving_work_behind

    async def two_requests():
        await handler({"type": "http"}, None, None)
        used.extend(handler.idle_executors)
        gate.set()

    asyncio.run(two_requests())
    assert used == []  # the busy thread was not kept for the next request
