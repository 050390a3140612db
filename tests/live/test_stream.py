"""The live event stream over a real socket: python-socketio clients (gazu's among them) connected
to uvicorn, events published by writes through the API, delivered to whom may read them only,
after commit only."""

import time

import pytest
import requests
import socketio
from django.db import transaction

from kitsu_server.core.events import record_event
from tests import factories
from tests.live.conftest import WAIT, barrier, token_for

gazu = pytest.importorskip("gazu")

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def post_comment(server_url, person, task, status, text="Looks good", **fields):
    response = requests.post(
        f"{server_url}/api/actions/tasks/{task.pk}/comment",
        json={"task_status_id": str(status.pk), "comment": text, **fields},
        headers={"Authorization": f"Bearer {token_for(person)}"},
        timeout=WAIT,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_gazu_listener_receives_comment_new_posted_through_the_api(server_url, production):
    show, team, task, status = production
    client = gazu.client.create_client(f"{server_url}/api")
    gazu.client.set_tokens({"access_token": token_for(team["user"])}, client=client)
    events = gazu.events.init(client=client, reconnection=False)
    received = []
    try:
        gazu.events.add_listener(events, "comment:new", received.append)
        gazu.events.add_listener(events, "notification:new", received.append)
        comment = post_comment(server_url, team["supervisor"], task, status)
        barrier_events = []
        gazu.events.add_listener(events, "main:test", barrier_events.append)
        assert requests.get(f"{server_url}/api/status/test-event", timeout=WAIT).json() == {"success": True}
        deadline = time.monotonic() + WAIT
        while not barrier_events:  # the test event comes after the comment's, in the log's order
            assert time.monotonic() < deadline, "no test event"
            events.sleep(0.05)
    finally:
        events.disconnect()
    comment_events = [data for data in received if "comment_id" in data and "notification_id" not in data]
    assert len(comment_events) == 1
    assert comment_events[0]["comment_id"] == comment["id"]
    assert comment_events[0]["task_id"] == str(task.pk)
    assert comment_events[0]["project_id"] == str(show.pk)
    assert comment_events[0]["person_id"] == str(team["supervisor"].pk)
    assert comment_events[0]["event_id"]


def test_each_role_receives_what_it_may_read(server_url, production, listen):
    show, team, task, status = production
    other = factories.make_project(name="Other Show")
    stranger = factories.join(other, factories.make_person(role="user", password=None))
    listeners = {role: listen(team[role]) for role in ("user", "client", "vendor", "admin", "outsider")}
    listeners["stranger"] = listen(stranger)

    internal = post_comment(server_url, team["manager"], task, status, text="internal")
    for_client = post_comment(server_url, team["manager"], task, status, text="for you", for_client=True)

    def comments(role, person):
        return [
            data["comment_id"] for name, data in barrier(listeners[role], person) if name == "comment:new"
        ]

    assert comments("user", team["user"]) == [internal["id"], for_client["id"]]
    assert comments("admin", team["admin"]) == [internal["id"], for_client["id"]]
    assert comments("client", team["client"]) == [for_client["id"]]  # client-visible comments only
    assert comments("vendor", team["vendor"]) == []  # not on an entity they work on
    assert comments("outsider", team["outsider"]) == []  # a manager of no team
    assert comments("stranger", stranger) == []  # a member of another production


def test_vendor_receives_the_events_of_their_own_tasks(server_url, production, listen):
    show, team, task, status = production
    factories.assign(task, team["vendor"])
    vendor = listen(team["vendor"])

    comment = post_comment(server_url, team["supervisor"], task, status, text="for the vendor")

    received = barrier(vendor, team["vendor"])
    assert ("comment:new", comment["id"]) in [(name, data.get("comment_id")) for name, data in received]


def test_notifications_reach_their_person_only(server_url, production, listen):
    show, team, task, status = production
    factories.assign(task, team["user"])
    assignee, supervisor = listen(team["user"]), listen(team["supervisor"])

    post_comment(server_url, team["manager"], task, status, text="notify the assignee")

    names = [name for name, data in barrier(assignee, team["user"])]
    assert "notification:new" in names
    assert "notification:new" not in [name for name, data in barrier(supervisor, team["supervisor"])]


def test_a_rolled_back_write_publishes_nothing(server_url, production, listen):
    show, team, task, status = production
    member = listen(team["user"])

    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("task:update", {"task_id": str(task.pk)}, project_id=show.pk)
        raise RuntimeError("rolled back")
    record_event("task:update", {"task_id": "committed"}, project_id=show.pk)

    assert [data["task_id"] for name, data in barrier(member, team["user"])] == ["committed"]


def test_a_connection_without_a_valid_token_is_refused(server_url, production):
    show, team, task, status = production
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Cookie": "access_token_cookie=stale"}):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server_url, headers=headers, namespaces=["/events"], wait_timeout=WAIT)
    team["user"].active = False
    team["user"].save()
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            server_url,
            headers={"Authorization": f"Bearer {token_for(team['user'])}"},
            namespaces=["/events"],
            wait_timeout=WAIT,
        )


def test_the_cookie_and_the_auth_payload_authenticate_too(server_url, production, listen):
    show, team, task, status = production
    by_cookie = listen(headers={"Cookie": f"access_token_cookie={token_for(team['user'])}"})
    by_payload = listen(headers={}, auth={"token": token_for(team["supervisor"])})

    record_event("task:update", {"task_id": str(task.pk)}, project_id=show.pk)

    assert [name for name, _ in barrier(by_cookie, team["user"])] == ["task:update"]
    assert [name for name, _ in barrier(by_payload, team["supervisor"])] == ["task:update"]


def test_a_connection_follows_the_team_changes_of_its_person(server_url, production, listen):
    show, team, task, status = production
    newcomer = factories.make_person(role="user", password=None)
    listener = listen(newcomer)
    manager = {"Authorization": f"Bearer {token_for(team['manager'])}"}
    team_url = f"{server_url}/api/data/projects/{show.pk}/team"

    record_event("task:update", {"task_id": "before"}, project_id=show.pk)
    added = requests.post(team_url, json={"person_id": str(newcomer.pk)}, headers=manager, timeout=WAIT)
    assert added.status_code == 201, added.text
    record_event("task:update", {"task_id": "member"}, project_id=show.pk)
    removed = requests.delete(f"{team_url}/{newcomer.pk}", headers=manager, timeout=WAIT)
    assert removed.status_code == 204, removed.text
    record_event("task:update", {"task_id": "after"}, project_id=show.pk)

    received = barrier(listener, newcomer)
    assert [data.get("task_id") for name, data in received if name == "task:update"] == ["member"]
    assert "project:update" in [name for name, _ in received]  # the addition's, sent to the newcomer
