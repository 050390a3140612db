"""The API root answers like the reference's index route, over WSGI and ASGI."""

import json

import pytest
from asgiref.testing import ApplicationCommunicator
from rest_framework.test import APIClient


@pytest.mark.parametrize("path", ["/api/", "/api"])
def test_index_answers_like_the_reference(path):
    response = APIClient().get(path)
    assert response.status_code == 200
    assert response.json() == {"api": "Zou", "version": "1.0.97"}


def test_index_refuses_writes():
    response = APIClient().post("/api/", {}, format="json")
    assert response.status_code == 405


def test_unknown_api_route_is_404():
    assert APIClient().get("/api/no-such-route").status_code == 404


@pytest.mark.asyncio
@pytest.mark.django_db  # the request's thread may be one an earlier test's request connected with
async def test_asgi_application_serves_http_through_channels():
    from kitsu_server.asgi import application

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/",
        "raw_path": b"/api/",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=10)
    body = await communicator.receive_output(timeout=10)
    assert start["type"] == "http.response.start"
    assert start["status"] == 200
    assert json.loads(body["body"]) == {"api": "Zou", "version": "1.0.97"}
