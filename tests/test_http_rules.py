"""HTTP rules every answer follows (kitsu_server.api.http), through the test client: no body on a
304, JSON errors in the reference's shape under /api whatever produced them, body limits, no 406,
streamed boards, the OpenAPI schema as JSON and its docs page without network. The same rules over
a real socket: tests/test_http_socket.py."""

import asyncio
import inspect
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.views import defaults
from django.views.csrf import csrf_failure
from rest_framework import viewsets
from rest_framework.test import APIClient

from assets import queries as asset_queries
from kitsu_server import views as server_views
from kitsu_server.api.http import HttpRulesMiddleware, served_methods
from kitsu_server.api.responses import board_response
from people.models import Department
from shots import queries as shot_queries
from tasks.models import Comment
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

# The reference's messages (its web framework's), byte for byte.
NOT_FOUND = (
    "404 Not Found: The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again."
)
NOT_ALLOWED = "The method is not allowed for the requested URL."
TOO_LARGE = "The data value transmitted exceeds the capacity limit."
BAD_REQUEST = "The browser (or proxy) sent a request that this server could not understand."


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["error"] is True and body["message"]
    return body["message"]


@pytest.fixture
def board(show, team):
    """Two assets with a task each and two shots with a task each, in `show`."""
    character = factories.make_asset_type("Character")
    sequence = factories.make_sequence(show, factories.make_episode(show, name="E01"), name="SQ01")
    modeling = factories.make_task_type("Modeling")
    animation = factories.make_task_type("Animation", for_entity="Shot")
    for name in ("Hero", "Sword"):
        factories.make_task(factories.make_asset(show, character, name=name), modeling)
    for name in ("SH01", "SH02"):
        factories.make_task(factories.make_shot(show, sequence, name=name), animation)
    return show


BOARDS = ["/api/data/assets/with-tasks", "/api/data/shots/with-tasks"]


# --- 304: headers only ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", BOARDS)
def test_a_board_answers_if_none_match_with_a_bodiless_304(board, team, path):
    api = client_for(team["manager"])
    url = f"{path}?project_id={board.id}"
    etag = api.get(url)["ETag"]
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert not response.has_header("Content-Length")
    assert response["ETag"] == etag and response["Cache-Control"] == "private, no-cache"
    # The streamed and compact forms share the ETag of the board (same data, same reader).
    response = api.get(url + "&stream=true&compact=true", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""


def test_an_attachment_download_answers_if_modified_since_with_a_bodiless_304(commented_task, team):
    task, status = commented_task
    upload = SimpleUploadedFile("ref.png", b"\x89PNG image", content_type="image/png")
    body = {"task_status_id": str(status.pk), "comment": "see file", "file-0": upload}
    api = client_for(team["manager"])
    comment = api.post(f"/api/actions/tasks/{task.id}/comment", body, format="multipart").json()
    url = f"/api/data/attachment-files/{comment['attachment_files'][0]['id']}/file/ref.png"
    last_modified = api.get(url)["Last-Modified"]
    response = api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    assert response.content == b"" and not response.has_header("Content-Length")


def test_the_rule_strips_any_body_from_a_304_or_a_204():
    """Whatever a view writes into a bodiless answer (a renderer's `null`, Django's Content-Length:
    0 of an empty body), the answer leaves with no body and no Content-Length."""
    for status in (204, 304):
        request = RequestFactory().get("/api/anything")
        middleware = HttpRulesMiddleware(lambda request, status=status: HttpResponse(b"null", status=status))
        response = middleware(request)
        assert response.status_code == status
        assert response.content == b"" and not response.has_header("Content-Length")


def test_a_deletion_answers_a_bodiless_204(admin_person):
    department = factories.make_department("Rigging")
    response = client_for(admin_person).delete(f"/api/data/departments/{department.id}")
    assert response.status_code == 204
    assert response.content == b"" and not response.has_header("Content-Length")
    assert not Department.objects.filter(pk=department.pk).exists()


# --- JSON errors under /api ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/no-such-route", "/api/data/no-such-model", "/api/data/projects/x/no-such-thing", "/api/x/"]
)
def test_an_unknown_api_path_is_a_json_404_as_on_the_reference(path, admin_person, settings):
    response = APIClient().get(path)
    assert error_of(response, 404) == NOT_FOUND
    assert response["X-Frame-Options"] == "DENY"  # the page's headers stay, only its body changes
    assert int(response["Content-Length"]) == len(response.content)
    assert error_of(client_for(admin_person).post(path, {}, format="json"), 404) == NOT_FOUND
    settings.DEBUG = True  # not Django's debug page either (`make run` runs in DEBUG)
    assert error_of(APIClient().get(path), 404) == NOT_FOUND


def test_an_unknown_path_outside_the_api_keeps_django_pages(admin_person):
    client = Client()
    client.force_login(admin_person)
    response = client.get("/admin/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_method_a_route_lacks_is_a_json_405_before_authentication(admin_person):
    # The reference's router refuses the method before any authentication.
    response = APIClient().delete("/api/data/projects")
    assert error_of(response, 405) == NOT_ALLOWED
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    response = client_for(admin_person).put("/api/", {}, format="json")
    assert error_of(response, 405) == NOT_ALLOWED
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    # A method the route has still asks for authentication first.
    assert error_of(APIClient().post("/api/data/projects", {}, format="json"), 401)


def test_the_methods_of_a_route_are_read_from_its_view():
    class Listing(viewsets.ViewSet):
        def list(self, request):
            return None

        def create(self, request):
            return None

    listing = Listing.as_view({"get": "list", "post": "create"})
    assert served_methods(listing) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert served_methods(server_views.IndexView.as_view()) == {"GET", "HEAD", "OPTIONS"}
    assert served_methods(lambda request: None) is None  # a function: its own business


def test_malformed_json_is_a_json_400_and_nothing_is_written(admin_person):
    response = client_for(admin_person).post(
        "/api/data/departments", '{"name": "Rig', content_type="application/json"
    )
    assert "JSON parse error" in error_of(response, 400)
    assert not Department.objects.exists()


def test_a_bad_host_is_a_json_400_under_the_api():
    assert error_of(Client().get("/api/", HTTP_HOST="evil.example.com"), 400) == BAD_REQUEST


def test_a_server_error_is_a_json_500_without_details(monkeypatch, settings):
    settings.DEBUG = False

    def broken(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(server_views.IndexView, "get", broken)
    response = Client(raise_request_exception=False).get("/api/")
    assert error_of(response, 500) == "Internal server error."
    assert b"secret" not in response.content


@pytest.mark.parametrize(
    "page, status",
    [
        (lambda request: csrf_failure(request, reason="CSRF cookie not set."), 403),
        (lambda request: defaults.bad_request(request, SuspiciousOperation()), 400),
        (lambda request: defaults.permission_denied(request, PermissionDenied()), 403),
        (defaults.server_error, 500),
    ],
)
def test_any_page_django_writes_under_the_api_becomes_json(page, status, settings):
    """Django's own HTML pages (a CSRF failure, a bad request, a refusal, a server error) come
    out of the rule as the reference's JSON under /api, and stay pages elsewhere."""
    settings.DEBUG = False
    middleware = HttpRulesMiddleware(page)
    response = middleware(RequestFactory().post("/api/data/projects"))
    assert error_of(response, status)
    response = middleware(RequestFactory().post("/admin/login/"))
    assert response.status_code == status and response["Content-Type"].startswith("text/html")


# --- 413: body limits ----------------------------------------------------------------------------


def test_a_json_body_over_the_data_limit_is_a_json_413_and_nothing_is_written(admin_person, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = client_for(admin_person)
    response = api.post("/api/data/departments", {"name": "x" * 2000}, format="json")
    assert error_of(response, 413) == TOO_LARGE
    assert not Department.objects.exists()
    response = api.post("/api/data/departments", {"name": "Rigging", "color": "#888888"}, format="json")
    assert response.status_code == 201, response.content


@pytest.fixture
def commented_task(show, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = factories.make_task(factories.make_asset(show, name="Hero"), factories.make_task_type("Modeling"))
    status = factories.make_task_status(name="Work In Progress", short_name="wip", is_wip=True)
    return task, status


def test_an_upload_over_the_upload_limit_is_a_json_413_and_nothing_is_written(commented_task, team, settings):
    task, status = commented_task
    settings.MAX_CONTENT_LENGTH = 5000
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"x" * 6000, content_type="image/png")
    body = {"task_status_id": str(status.pk), "comment": "big file", "file-0": upload}
    api = client_for(team["manager"])
    response = api.post(f"/api/actions/tasks/{task.id}/comment", body, format="multipart")
    assert error_of(response, 413) == TOO_LARGE
    assert not Comment.objects.exists()
    # An upload is held to the upload limit, not the smaller one of JSON bodies.
    settings.MAX_CONTENT_LENGTH = 100_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5000
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"x" * 6000, content_type="image/png")
    response = api.post(
        f"/api/actions/tasks/{task.id}/comment", {**body, "file-0": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    # Its fields (not files) are held to the data limit.
    response = api.post(
        f"/api/actions/tasks/{task.id}/comment", {**body, "comment": "x" * 6000}, format="multipart"
    )
    assert error_of(response, 413) == TOO_LARGE
    assert Comment.objects.count() == 1


# --- content negotiation and streamed boards -----------------------------------------------------


def test_an_accept_header_naming_no_type_of_the_route_still_gets_json(admin_person):
    for accept in ("text/html", "application/x-ndjson", "image/png"):
        response = client_for(admin_person).get("/api/data/departments", HTTP_ACCEPT=accept)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert response.json() == []


@pytest.mark.parametrize("path", BOARDS)
def test_a_board_asked_as_the_web_ui_does_streams_ndjson_at_once(board, team, path):
    """The web UI's first request: `stream=true&compact=true` with `Accept: application/x-ndjson`
    (a 406 made it ask a second time)."""
    response = client_for(team["manager"]).get(
        f"{path}?project_id={board.id}&stream=true&compact=true", HTTP_ACCEPT="application/x-ndjson"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    assert response.streaming and response.has_header("ETag")
    lines = b"".join(response.streaming_content).decode().splitlines()
    header, rows = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    assert header["compact"] is True and len(rows) == 2
    fields = header.get("asset_fields") or header["shot_fields"]
    names = {dict(zip(fields, row, strict=True))["name"] for row in rows}
    assert names in ({"Hero", "Sword"}, {"SH01", "SH02"})
    # Not compact: one object a line, under `{"compact": false}`.
    response = client_for(team["manager"]).get(f"{path}?project_id={board.id}&stream=true")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert json.loads(lines[0]) == {"compact": False}
    assert {json.loads(line)["name"] for line in lines[1:]} == names


def test_board_queries_produce_their_rows_one_at_a_time(board, team):
    manager = team["manager"]
    assets = asset_queries.assets_with_tasks(asset_queries.BoardCriteria(project_id=board.pk), manager)
    shots = shot_queries.shots_with_tasks(shot_queries.ShotBoardCriteria(project_id=board.pk), manager)
    assert inspect.isgenerator(assets) and inspect.isgenerator(shots)
    assert len(list(assets)) == 2 and len(list(shots)) == 2


def test_a_streamed_board_is_produced_as_it_is_sent(monkeypatch):
    """Under ASGI each batch of lines is produced when the server asks for it: the board is never
    whole in memory (Django alone would read a synchronous iterator to its end first)."""
    produced = []

    def rows():
        for number in range(10):
            produced.append(number)
            yield {"n": number}

    response = board_response(rows(), None, stream=True)
    monkeypatch.setattr(type(response), "batch_size", 3)

    async def first_chunks(count):
        chunks = []
        async for chunk in response:
            chunks.append(chunk)
            if len(chunks) == count:
                break
        return chunks

    chunks = asyncio.run(first_chunks(2))
    assert chunks[0] == b'{"compact":false}\n{"n":0}\n{"n":1}\n'
    assert chunks[1] == b'{"n":2}\n{"n":3}\n{"n":4}\n'
    assert produced == [0, 1, 2, 3, 4]  # the first row before answering, then as sent


def test_a_streamed_board_failing_in_its_queries_is_an_error_answer_not_a_cut_stream():
    def rows():
        raise ValueError("query failed")
        yield

    with pytest.raises(ValueError):
        board_response(rows(), None, stream=True)


# --- OpenAPI schema and docs ---------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "*/*", "text/html,application/xhtml+xml,*/*;q=0.8", "text/yaml"])
def test_the_openapi_schema_is_json_by_default(accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = Client().get("/api/openapi.json", **headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    schema = response.json()
    assert schema["openapi"].startswith("3.") and "/api/data/projects" in schema["paths"]


def test_the_docs_page_loads_only_local_assets():
    """Studios run air-gapped: Swagger UI's scripts and styles come from this server (the sidecar
    package, served by WhiteNoise), and no online validator is called."""
    client = Client()
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html)
    assert '"validatorUrl": null' in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(path.endswith("swagger-ui-bundle.js") for path in assets)
    assert any(path.endswith("swagger-ui.css") for path in assets)
    for path in assets:
        assert path.startswith("/static/")
        assert client.get(path).status_code == 200
    assert 'url: "/api/openapi.json"' in html
