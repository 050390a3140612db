"""Every common write, made through the API, shows in the delta reads that list what it changed:
set-based updates move `updated_at` as saves do."""

import pytest

from productions.models import MetadataDescriptor
from tasks.models import TaskStatus
from tests.delta.helpers import age_everything, cursor
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
    character = make_asset_type("Character")
    episode = make_episode(show, name="E01")
    sequence = make_sequence(show, episode, name="SQ01")
    shots = [make_shot(show, sequence, name=f"SH{n:02}", data={"level": n}) for n in range(3)]
    assets = [make_asset(show, character, name=f"Asset{n}", data={"level": n}) for n in range(3)]
    modeling, animation = make_task_type("Modeling"), make_task_type("Animation", for_entity="Shot")
    asset_tasks = [make_task(asset, modeling) for asset in assets]
    shot_tasks = [make_task(shot, animation) for shot in shots]
    assign(asset_tasks[2], team["user"])
    TaskStatus.objects.get_or_create(
        short_name="todo", defaults={"name": "Todo", "color": "#fff", "is_default": True}
    )
    age_everything()
    return {
        "episode": episode,
        "assets": assets,
        "shots": shots,
        "asset_tasks": asset_tasks,
        "shot_tasks": shot_tasks,
    }


def changed(manager, path):
    body = manager.get(f"{path}{'&' if '?' in path else '?'}updated_since={cursor()}").json()
    return {row["id"] if isinstance(row, dict) else row[0] for row in body["rows"]}


def test_writes_show_in_delta_reads(show, team, production):
    manager = client_for(team["manager"])
    tasks = f"/api/data/tasks?project_id={show.pk}"
    assets_board = f"/api/data/assets/with-tasks?project_id={show.pk}"
    shots_board = f"/api/data/shots/with-tasks?project_id={show.pk}"
    assert changed(manager, tasks) == set() and changed(manager, assets_board) == set()

    # A status change through a comment.
    task = production["shot_tasks"][0]
    wip = TaskStatus.objects.create(name="WIP", short_name="wip", color="#000")
    response = manager.post(
        f"/api/actions/tasks/{task.pk}/comment", {"task_status_id": str(wip.pk)}, format="json"
    )
    assert response.status_code == 201
    assert changed(manager, tasks) == {str(task.pk)}
    assert changed(manager, shots_board) == {str(task.entity_id)}

    # An assignation, then its removal (a link row: the task is touched).
    age_everything()
    task = production["asset_tasks"][0]
    response = manager.put(
        f"/api/actions/persons/{team['user'].pk}/assign", {"task_ids": [str(task.pk)]}, format="json"
    )
    assert response.status_code == 200
    assert changed(manager, tasks) == {str(task.pk)}
    age_everything()
    cleared = production["asset_tasks"][2]
    response = manager.put(
        "/api/actions/tasks/clear-assignation", {"task_ids": [str(cleared.pk)]}, format="json"
    )
    assert response.status_code == 200
    assert changed(manager, tasks) == {str(cleared.pk)}
    assert changed(manager, assets_board) == {str(cleared.entity_id)}

    # Priorities set on several tasks at once (a set-based update).
    age_everything()
    chosen = [production["shot_tasks"][1], production["shot_tasks"][2]]
    response = manager.put(
        "/api/actions/tasks/set-priority",
        {"task_ids": [str(t.pk) for t in chosen], "priority": 2},
        format="json",
    )
    assert response.status_code in (200, 201), response.json()
    assert changed(manager, tasks) == {str(t.pk) for t in chosen}

    # A shot cast into an episode's asset: the episode casting shows on the asset's board row.
    age_everything()
    asset = production["assets"][1]
    response = manager.put(
        f"/api/data/projects/{show.pk}/entities/{production['episode'].pk}/casting",
        [{"asset_id": str(asset.pk), "nb_occurences": 1}],
        format="json",
    )
    assert response.status_code == 200
    assert changed(manager, assets_board) == {str(asset.pk)}
    board = manager.get(f"{assets_board}&updated_since={cursor()}").json()["rows"]
    assert board[0]["casting_episode_ids"] == [str(production["episode"].pk)]
    response = manager.put(
        f"/api/data/projects/{show.pk}/entities/{production['episode'].pk}/casting", [], format="json"
    )
    assert changed(manager, assets_board) == {str(asset.pk)}

    # A custom field renamed: every row holding it moves (one UPDATE of their data).
    age_everything()
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Asset", name="Level", field_name="level"
    )
    response = manager.put(
        f"/api/data/projects/{show.pk}/metadata-descriptors/{descriptor.pk}",
        {"name": "Work Level"},
        format="json",
    )
    assert response.status_code == 200
    assert changed(manager, f"/api/data/projects/{show.pk}/assets") == {
        str(a.pk) for a in production["assets"]
    }

    # A /data update of an entity.
    age_everything()
    shot = production["shots"][1]
    assert (
        manager.put(f"/api/data/entities/{shot.pk}", {"description": "d"}, format="json").status_code == 200
    )
    assert changed(manager, f"/api/data/projects/{show.pk}/shots") == {str(shot.pk)}
    assert changed(manager, shots_board) == {str(shot.pk)}
