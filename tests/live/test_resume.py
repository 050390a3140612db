"""Resume: a client reconnecting with the last event id it saw receives what it missed, in order
and once, then the live events; beyond the log's retention it is told to reload."""

import threading

import pytest

from kitsu_server.core.events import record_event
from tests import factories
from tests.live.conftest import barrier

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def production(db):
    show = factories.make_project(name="Resume Show")
    team = factories.make_team(show, password=None, admin=False)
    return show, team


def task_update(show, n):
    return record_event("task:update", {"task_id": f"task-{n}"}, project_id=show.pk)


def seen_then_away(listen, person, show):
    """`person` connected, saw a task:update, and disconnected: the data of the event it saw."""
    first = listen(person)
    task_update(show, 0)
    (_, seen), *_ = barrier(first, person)
    first.close()
    return seen


def task_ids(events):
    return [data["task_id"] for name, data in events if name == "task:update"]


def test_a_reconnection_receives_the_missed_events_once_then_the_live_ones(server_url, production, listen):
    show, team = production
    artist = team["user"]
    seen = seen_then_away(listen, artist, show)

    for n in (2, 3, 4):  # missed while away
        task_update(show, n)
    again = listen(artist, auth={"last_event_id": seen["event_id"]})
    task_update(show, 5)  # live

    received = barrier(again, artist)
    assert task_ids(received) == ["task-2", "task-3", "task-4", "task-5"]
    ids = [data["event_id"] for _, data in received]
    assert ids == sorted(ids, key=lambda text: tuple(map(int, text.split("-")))) and len(set(ids)) == len(ids)


def test_a_resume_while_events_keep_coming_has_no_gap_and_no_duplicate(server_url, production, listen):
    show, team = production
    artist = team["user"]
    seen = seen_then_away(listen, artist, show)
    for n in range(1, 101):
        task_update(show, n)

    publisher = threading.Thread(target=lambda: [task_update(show, n) for n in range(101, 301)])
    publisher.start()
    again = listen(artist, auth={"last_event_id": seen["event_id"]})
    publisher.join()

    assert task_ids(barrier(again, artist)) == [f"task-{n}" for n in range(1, 301)]


def test_the_last_id_in_the_query_string_resumes_too(server_url, production, listen):
    show, team = production
    artist = team["user"]
    seen = seen_then_away(listen, artist, show)
    task_update(show, 2)

    again = listen(artist, url_query=f"last_event_id={seen['event_id']}")

    assert task_ids(barrier(again, artist)) == ["task-2"]


def test_the_missed_events_are_filtered_as_live_ones_are(server_url, production, listen):
    show, team = production
    client = team["client"]
    first = listen(client)
    record_event("notification:new", {"person_id": str(client.pk), "notification_id": "first"})
    (_, seen), *_ = barrier(first, client)
    first.close()
    task_update(show, 1)  # names no task a client reads
    record_event("notification:new", {"person_id": str(team["user"].pk), "notification_id": "not theirs"})

    again = listen(client, auth={"last_event_id": seen["event_id"]})

    assert barrier(again, client) == []


@pytest.mark.parametrize("last_id", ["1-0", "not-an-id", "99999999999999-0"])
def test_an_id_beyond_the_retention_or_unknown_gets_a_reload_event(server_url, production, listen, last_id):
    show, team = production
    artist = team["user"]

    again = listen(artist, auth={"last_event_id": last_id})
    task_update(show, 1)

    received = barrier(again, artist)
    assert [name for name, _ in received] == ["reload", "task:update"]
    assert received[0][1]["reason"]
