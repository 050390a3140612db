"""Unpaginated `/data/<path>` lists longer than a chunk are streamed: read from the database,
rendered and sent a chunk at a time (never the whole list in memory), with the same JSON as the
one-body answer; a list that fits in one chunk is answered as before (one body, its length)."""

import json

import pytest

from kitsu_server.api import responses
from kitsu_server.core.data.viewsets import DataViewSet
from tasks.models import Task, TaskPersonLink
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(show):
    asset = factories.make_asset(show)
    task_type, status = factories.make_task_type(), factories.make_task_status()
    artist = factories.join(show, factories.make_person("user"))
    made = Task.objects.bulk_create(
        Task(name=f"task {i:02d}", project=show, entity=asset, task_type=task_type, task_status=status)
        for i in range(11)
    )
    TaskPersonLink.objects.bulk_create(TaskPersonLink(task=task, person=artist) for task in made[::2])
    return made


def whole(client, path):
    response = client.get(path)
    assert response.status_code == 200 and not response.streaming
    assert int(response["Content-Length"]) == len(response.content)
    return response.json()


@pytest.mark.parametrize(
    "query",
    ["", "?relations=true", "?fields=id,name", "?relations=true&fields=id,assignees", "?name=task 03"],
)
def test_a_long_list_is_streamed_chunk_by_chunk_with_the_same_json(
    admin_person, show, tasks, query, monkeypatch
):
    client = factories.client_for(admin_person)
    path = f"/api/data/tasks{query}{'&' if query else '?'}project_id={show.id}"
    expected = whole(client, path)
    monkeypatch.setattr(DataViewSet, "chunk_size", 3)
    response = client.get(path)
    assert response.status_code == 200
    if len(expected) <= 3:
        assert not response.streaming and response.json() == expected
        return
    assert response.streaming and response["Content-Type"] == "application/json"
    assert not response.has_header("Content-Length")
    parts = list(response.streaming_content)
    assert len(parts) >= len(expected) // 3  # one part per chunk, not one body
    assert json.loads(b"".join(parts)) == expected


def test_a_list_of_exactly_one_chunk_is_one_body(admin_person, show, tasks, monkeypatch):
    monkeypatch.setattr(DataViewSet, "chunk_size", len(tasks))
    assert len(whole(factories.client_for(admin_person), f"/api/data/tasks?project_id={show.id}")) == 11


def test_an_empty_list_and_a_refused_filter_answer_as_before(admin_person, show, tasks, monkeypatch):
    monkeypatch.setattr(DataViewSet, "chunk_size", 3)
    client = factories.client_for(admin_person)
    assert whole(client, f"/api/data/tasks?name=nothing&project_id={show.id}") == []
    response = client.get("/api/data/tasks?project_id=not-an-id")
    assert response.status_code == 400 and response.json()["error"] is True


def test_a_streamed_list_keeps_its_queries_bounded(
    admin_person, show, tasks, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(DataViewSet, "chunk_size", 2)
    client = factories.client_for(admin_person)
    with django_assert_max_num_queries(4):  # the person, the rows, their assignees
        response = client.get(f"/api/data/tasks?relations=true&project_id={show.id}")
        rows = json.loads(b"".join(response.streaming_content))
    assert len(rows) == 11 and sum(len(row["assignees"]) for row in rows) == 6


@pytest.fixture
def board(show):
    """`show` with three assets and three shots, a task on each."""
    return factories.make_boards(show)


@pytest.mark.parametrize("path", ["/api/data/assets/with-tasks", "/api/data/shots/with-tasks"])
@pytest.mark.parametrize("compact", [False, True])
def test_a_board_longer_than_a_batch_is_streamed_as_the_same_json(
    admin_person, board, path, compact, monkeypatch
):
    client = factories.client_for(admin_person)
    url = f"{path}?project_id={board.id}" + ("&compact=true" if compact else "")
    expected = client.get(url)
    assert expected.status_code == 200 and not expected.streaming
    assert int(expected["Content-Length"]) == len(expected.content)
    monkeypatch.setattr(responses, "BOARD_BATCH", 1)
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/json" and response["ETag"] == expected["ETag"]
    assert not response.has_header("Content-Length")
    parts = list(response.streaming_content)
    assert len(parts) >= 3
    body = json.loads(b"".join(parts))
    assert body == expected.json()
    assert len(body["rows"] if compact else body) == 3
    again = client.get(url, HTTP_IF_NONE_MATCH=expected["ETag"])
    assert again.status_code == 304 and again.content == b""
