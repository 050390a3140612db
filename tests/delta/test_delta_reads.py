"""Delta reads (`?updated_since=`): the rows created, changed or trashed since a cursor, in an
envelope holding the next cursor; nothing changes without the parameter."""

import datetime

import pytest
from django.utils import timezone

from kitsu_server.core.delta import parse_cursor
from tests.delta.helpers import CURSOR, age_everything, cursor, trash
from tests.factories import (
    assign,
    client_for,
    make_asset,
    make_asset_type,
    make_episode,
    make_sequence,
    make_shot,
    make_task,
    make_task_type,
)


@pytest.fixture
def production(show, team):
    """Three assets of two tasks and three shots of one, all last changed long ago."""
    character = make_asset_type("Character")
    modeling, rigging = make_task_type("Modeling"), make_task_type("Rigging")
    animation = make_task_type("Animation", for_entity="Shot")
    sequence = make_sequence(show, make_episode(show, name="E01"), name="SQ01")
    assets = [make_asset(show, character, name=f"Asset{n}") for n in range(3)]
    tasks = [make_task(asset, task_type) for asset in assets for task_type in (modeling, rigging)]
    shots = [make_shot(show, sequence, name=f"SH{n:02}") for n in range(3)]
    shot_tasks = [make_task(shot, animation) for shot in shots]
    age_everything()
    return {"assets": assets, "tasks": tasks, "shots": shots, "shot_tasks": shot_tasks, "sequence": sequence}


def since(path, moment=CURSOR):
    return f"{path}{'&' if '?' in path else '?'}updated_since={cursor(moment)}"


def test_cursor_is_read_in_iso_forms():
    moment = datetime.datetime(2026, 1, 5, 13, 23, 10, tzinfo=datetime.UTC)
    assert parse_cursor("2026-01-05T13:23:10") == moment
    assert parse_cursor("2026-01-05T13:23:10.250000") == moment.replace(microsecond=250000)
    # A "+" of the zone sent unescaped in a query string arrives as a space.
    assert parse_cursor("2026-01-05T14:23:10 01:00") == moment


# --- /data/<model> ---------------------------------------------------------------------------


def test_data_list_answers_changed_and_trashed_rows(show, team, production):
    admin = client_for(team["admin"])
    changed = production["tasks"][0]
    changed.priority = 3
    changed.save()
    gone = trash(production["tasks"][1])
    restored = production["tasks"][2]
    trash(restored, delete=False)  # trashed then restored: it exists again, fresh
    restored.save()
    response = admin.get(since(f"/api/data/tasks?project_id={show.id}"))
    assert response.status_code == 200
    body = response.json()
    assert {row["id"] for row in body["rows"]} == {str(changed.pk), str(restored.pk)}
    assert body["deleted_ids"] == [gone]
    assert body["updated_since"] == cursor()
    assert parse_cursor(body["server_time"]) <= timezone.now()
    row = next(row for row in body["rows"] if row["id"] == str(changed.pk))
    assert row["priority"] == 3 and row["type"] == "Task"

    # The next cursor: nothing changed since.
    again = admin.get(f"/api/data/tasks?project_id={show.id}&updated_since={body['server_time']}").json()
    assert {row["id"] for row in again["rows"]} <= {str(changed.pk), str(restored.pk)}  # the margin
    assert again["deleted_ids"] in ([], [gone])


def test_data_list_without_cursor_is_unchanged(show, team, production):
    admin = client_for(team["admin"])
    rows = admin.get(f"/api/data/tasks?project_id={show.id}").json()
    assert isinstance(rows, list) and len(rows) == 9


def test_data_list_delta_keeps_filters_and_fields(show, team, production):
    admin = client_for(team["admin"])
    for task in production["tasks"][:2]:
        task.save()
    entity_id = production["tasks"][0].entity_id
    body = admin.get(since(f"/api/data/tasks?entity_id={entity_id}&fields=id,priority")).json()
    assert sorted(body["rows"], key=lambda row: row["id"]) == sorted(
        ({"id": str(task.pk), "priority": task.priority} for task in production["tasks"][:2]),
        key=lambda row: row["id"],
    )


def test_data_list_delta_refusals(show, team, production):
    admin = client_for(team["admin"])
    bad = admin.get("/api/data/tasks?updated_since=yesterday")
    assert bad.status_code == 400 and "updated_since" in bad.json()["message"]
    paged = admin.get(since("/api/data/tasks?page=1"))
    assert paged.status_code == 400
    old = admin.get(since("/api/data/tasks", timezone.now() - datetime.timedelta(days=91)))
    assert old.status_code == 410
    assert old.json() == {"error": True, "message": old.json()["message"]}
    assert "reload" in old.json()["message"]


def test_data_list_delta_of_a_model_without_updated_at_is_a_400(team):
    response = client_for(team["admin"]).get(since("/api/data/task-person-links"))
    assert response.status_code in (400, 404)


def test_data_list_delta_keeps_the_visibility_rules(show, team, production):
    """A vendor lists the tasks they are assigned to: their delta too; deleted ids are those of
    their productions only."""
    vendor = team["vendor"]
    mine, other = production["tasks"][0], production["tasks"][2]
    assign(mine, vendor)
    mine.save()
    other.save()
    body = client_for(vendor).get(since(f"/api/data/tasks?project_id={show.id}")).json()
    full = client_for(vendor).get(f"/api/data/tasks?project_id={show.id}").json()
    assert {row["id"] for row in body["rows"]} <= {row["id"] for row in full}
    assert str(other.pk) not in {row["id"] for row in body["rows"]}


def test_deleted_ids_stay_within_the_readers_productions(show, team, production):
    from tests.factories import make_project

    elsewhere = make_project(name="Elsewhere")
    asset = make_asset(elsewhere, make_asset_type("Prop"))
    hidden = trash(make_task(asset, make_task_type()))
    seen = trash(production["tasks"][3])
    manager = client_for(team["manager"]).get(since("/api/data/tasks")).json()
    assert manager["deleted_ids"] == [seen]
    admin = client_for(team["admin"]).get(since("/api/data/tasks")).json()
    assert set(admin["deleted_ids"]) == {seen, hidden}


# --- boards ----------------------------------------------------------------------------------


def test_asset_board_delta_sends_whole_assets(show, team, production):
    manager = client_for(team["manager"])
    path = f"/api/data/assets/with-tasks?project_id={show.id}"
    full = {row["id"]: row for row in manager.get(path).json()}
    task = production["tasks"][0]  # of Asset0
    task.priority = 2
    task.save()
    renamed = production["assets"][2]
    renamed.description = "new"
    renamed.save()
    response = manager.get(since(path))
    assert response.status_code == 200 and "ETag" not in response
    body = response.json()
    assert [row["id"] for row in body["rows"]] == [str(production["assets"][0].pk), str(renamed.pk)]
    first = body["rows"][0]
    assert len(first["tasks"]) == 2  # whole: both of its tasks
    assert first == {**full[first["id"]], "tasks": first["tasks"]}
    assert sorted(task["priority"] for task in first["tasks"]) == [0, 2]
    assert body["rows"][1]["description"] == "new"
    assert body["deleted_ids"] == [] and body["deleted_task_ids"] == []


def test_asset_board_delta_reports_trashed_tasks_and_assets(show, team, production):
    manager = client_for(team["manager"])
    path = f"/api/data/assets/with-tasks?project_id={show.id}"
    task = production["tasks"][0]
    gone_task = trash(task, entity_id=task.entity_id)
    bare = make_asset(show, make_asset_type("Character"), name="Bare")
    gone_asset = trash(bare)
    body = manager.get(since(path)).json()
    assert body["deleted_ids"] == [gone_asset]
    assert body["deleted_task_ids"] == [gone_task]
    # The asset that lost a task comes back whole, without it.
    assert [row["id"] for row in body["rows"]] == [str(task.entity_id)]
    assert len(body["rows"][0]["tasks"]) == 1


def test_asset_board_delta_compact_and_streamed(show, team, production):
    manager = client_for(team["manager"])
    path = f"/api/data/assets/with-tasks?project_id={show.id}"
    production["tasks"][4].save()  # of Asset2
    compact = manager.get(since(path + "&compact=true")).json()
    assert compact["compact"] is True and "asset_fields" in compact and "server_time" in compact
    assert [row[0] for row in compact["rows"]] == [str(production["assets"][2].pk)]
    streamed = manager.get(since(path + "&stream=true"))
    lines = b"".join(streamed.streaming_content).decode().splitlines()
    import json

    header = json.loads(lines[0])
    assert header["compact"] is False and header["deleted_ids"] == [] and "server_time" in header
    assert [json.loads(line)["id"] for line in lines[1:]] == [str(production["assets"][2].pk)]


def test_shot_board_delta_follows_the_sequence_name(show, team, production):
    manager = client_for(team["manager"])
    path = f"/api/data/shots/with-tasks?project_id={show.id}"
    assert manager.get(since(path)).json()["rows"] == []
    sequence = production["sequence"]
    sequence.name = "SQ99"
    sequence.save()
    rows = manager.get(since(path)).json()["rows"]
    assert len(rows) == 3 and {row["sequence_name"] for row in rows} == {"SQ99"}


def test_shot_board_delta_of_one_changed_task(show, team, production):
    manager = client_for(team["manager"])
    path = f"/api/data/shots/with-tasks?project_id={show.id}"
    full = {row["id"]: row for row in manager.get(path).json()}
    task = production["shot_tasks"][1]
    task.save()
    rows = manager.get(since(path)).json()["rows"]
    assert rows == [full[str(task.entity_id)]]


def test_board_delta_is_refused_to_whom_the_board_is(show, team, production):
    path = since(f"/api/data/assets/with-tasks?project_id={show.id}")
    outsider = client_for(team["outsider"]).get(path)
    full = client_for(team["outsider"]).get(f"/api/data/assets/with-tasks?project_id={show.id}")
    assert outsider.status_code == full.status_code and outsider.status_code in (403, 404)


def test_board_delta_in_bounded_queries(show, team, production, django_assert_max_num_queries):
    manager = client_for(team["manager"])
    path = since(f"/api/data/shots/with-tasks?project_id={show.id}")
    production["shot_tasks"][0].save()
    with django_assert_max_num_queries(14) as one:
        manager.get(path)
    for task in production["shot_tasks"]:
        task.save()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(manager.get(path).json()["rows"]) == 3


def test_data_list_delta_names_rows_that_left_its_filters(show, team, production):
    """A task moved to another entity leaves `?entity_id=` lists: its id is in `deleted_ids`."""
    admin = client_for(team["admin"])
    task = production["tasks"][0]
    old_entity, new_entity = task.entity_id, production["assets"][2].pk
    task.entity_id, task.name = new_entity, "moved"
    task.save()
    left = admin.get(since(f"/api/data/tasks?entity_id={old_entity}")).json()
    assert left["rows"] == [] and left["deleted_ids"] == [str(task.pk)]
    joined = admin.get(since(f"/api/data/tasks?entity_id={new_entity}")).json()
    assert [row["id"] for row in joined["rows"]] == [str(task.pk)] and joined["deleted_ids"] == []


def test_board_delta_names_entities_that_left_a_narrowed_board(show, team, production):
    """A shot moved to another episode leaves that episode's board; a vendor unassigned from a
    task loses its shot: both are in `deleted_ids` of the delta."""
    episode = production["sequence"].parent
    other = make_sequence(show, make_episode(show, name="E02"), name="SQ02")
    manager = client_for(team["manager"])
    path = f"/api/data/shots/with-tasks?project_id={show.id}&episode_id={episode.pk}"
    shot = production["shots"][0]
    shot.parent = other
    shot.save()
    body = manager.get(since(path)).json()
    assert body["rows"] == [] and body["deleted_ids"] == [str(shot.pk)]

    vendor = team["vendor"]
    task = production["shot_tasks"][1]
    assign(task, vendor)
    age_everything()
    board = f"/api/data/shots/with-tasks?project_id={show.id}"
    assert [row["id"] for row in client_for(vendor).get(board).json()] == [str(task.entity_id)]
    response = client_for(team["manager"]).put(
        "/api/actions/tasks/clear-assignation", {"task_ids": [str(task.pk)]}, format="json"
    )
    assert response.status_code == 200
    body = client_for(vendor).get(since(board)).json()
    assert body["rows"] == [] and body["deleted_ids"] == [str(task.entity_id)]


@pytest.mark.parametrize("role", ["client", "vendor", "user", "supervisor"])
def test_board_delta_rows_are_the_full_boards_rows_for_each_role(show, team, production, role):
    """What a role reads of an entity in a delta is what it reads of it in the full board."""
    person = team[role]
    assign(production["shot_tasks"][0], team["vendor"])
    for task in production["shot_tasks"]:
        task.save()
    path = f"/api/data/shots/with-tasks?project_id={show.id}"
    full = client_for(person).get(path).json()
    delta = client_for(person).get(since(path)).json()
    assert delta["rows"] == full


def test_deleted_ids_of_a_production_named_by_an_outsider_stay_hidden(show, team, production):
    gone = trash(production["tasks"][0])
    outsider = client_for(team["outsider"]).get(since(f"/api/data/tasks?project_id={show.id}"))
    assert outsider.status_code in (200, 403)
    if outsider.status_code == 200:
        assert outsider.json()["deleted_ids"] == [] and outsider.json()["rows"] == []
    assert client_for(team["manager"]).get(since(f"/api/data/tasks?project_id={show.id}")).json()[
        "deleted_ids"
    ] == [gone]
