"""The status routes as the live stream's server answers them: through uvicorn (ASGI), the event
stream is up and counts its connections; the test event reaches the connected clients."""

import pytest
import requests

from tests import factories
from tests.live.conftest import WAIT, barrier

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_status_reports_the_live_stream_it_serves(server_url, listen):
    artist = factories.make_person(role="user", password=None)
    before = requests.get(f"{server_url}/api/status", timeout=WAIT).json()
    assert before["event-stream-up"] is True and before["event-stream"] == "memory"

    listener = listen(artist)

    during = requests.get(f"{server_url}/api/status", timeout=WAIT).json()
    assert during["event-stream-connections"] == before["event-stream-connections"] + 1
    assert "event-stream-up: up" in requests.get(f"{server_url}/api/status.txt", timeout=WAIT).text
    assert requests.get(f"{server_url}/api/status/influx", timeout=WAIT).json()["event-stream-up"] == 1
    listener.close()


def test_the_test_event_reaches_every_studio_connection(server_url, listen):
    artist = factories.make_person(role="user", password=None)
    client = factories.make_person(role="client", password=None)
    listener, client_listener = listen(artist), listen(client)

    assert requests.get(f"{server_url}/api/status/test-event", timeout=WAIT).json() == {"success": True}

    name, data = listener.next()
    assert name == "main:test" and set(data) == {"event_id"}
    assert barrier(client_listener, client) == []  # studio-wide events are not for clients
