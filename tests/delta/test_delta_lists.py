"""Delta reads of the entity lists, a production's tasks and comments."""

import pytest

from tasks.models import Comment
from tests.delta.helpers import age_everything, cursor, trash
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
    sequences = [make_sequence(show, episode, name=f"SQ0{n}") for n in range(2)]
    shots = [make_shot(show, sequence, name=f"SH{n:02}") for sequence in sequences for n in range(2)]
    assets = [make_asset(show, character, name=f"Asset{n}") for n in range(3)]
    animation = make_task_type("Animation", for_entity="Shot")
    tasks = [make_task(shot, animation) for shot in shots]
    comment = Comment.objects.create(
        object_id=tasks[0].pk, object_type="Task", person=team["manager"], text="hi"
    )
    age_everything()
    return {
        "episode": episode,
        "sequences": sequences,
        "shots": shots,
        "assets": assets,
        "tasks": tasks,
        "comment": comment,
    }


def since(path):
    return f"{path}{'&' if '?' in path else '?'}updated_since={cursor()}"


def ids(body):
    return [row["id"] for row in body["rows"]]


@pytest.mark.parametrize(
    "path",
    [
        "/api/data/projects/{project}/assets",
        "/api/data/assets?project_id={project}",
        "/api/data/assets/all?project_id={project}",
    ],
)
def test_asset_lists(show, team, production, path):
    path = path.format(project=show.pk)
    manager = client_for(team["manager"])
    full = {row["id"]: row for row in manager.get(path).json()}
    asset = production["assets"][1]
    asset.description = "changed"
    asset.save()
    gone = trash(production["assets"][2])
    body = manager.get(since(path)).json()
    assert body["rows"] == [
        {**full[str(asset.pk)], "description": "changed", "updated_at": body["rows"][0]["updated_at"]}
    ]
    assert body["deleted_ids"] == [gone]


@pytest.mark.parametrize(
    "path,kind",
    [
        ("/api/data/projects/{project}/shots", "shots"),
        ("/api/data/shots?project_id={project}", "shots"),
        ("/api/data/projects/{project}/sequences", "sequences"),
        ("/api/data/projects/{project}/episodes", "episode"),
    ],
)
def test_shot_side_lists(show, team, production, path, kind):
    path = path.format(project=show.pk)
    manager = client_for(team["manager"])
    changed = production["episode"] if kind == "episode" else production[kind][1]
    changed.description = "changed"
    changed.save()
    body = manager.get(since(path)).json()
    assert ids(body) == [str(changed.pk)]
    assert body["rows"][0]["description"] == "changed"
    assert body["deleted_ids"] == []


def test_shot_list_follows_its_sequence_name(show, team, production):
    sequence = production["sequences"][0]
    sequence.name = "SQ99"
    sequence.save()
    body = client_for(team["manager"]).get(since(f"/api/data/shots?project_id={show.pk}")).json()
    assert sorted(ids(body)) == sorted(str(shot.pk) for shot in production["shots"][:2])
    assert {row["sequence_name"] for row in body["rows"]} == {"SQ99"}


def test_vendor_sees_a_shot_they_were_just_assigned(show, team, production):
    vendor = team["vendor"]
    path = f"/api/data/projects/{show.pk}/shots"
    assert client_for(vendor).get(since(path)).json()["rows"] == []
    task = production["tasks"][3]
    assign(task, vendor)
    task.save()  # what an assignation does (services touch the task)
    body = client_for(vendor).get(since(path)).json()
    assert ids(body) == [str(task.entity_id)]
    assert ids(client_for(vendor).get(since(f"/api/data/projects/{show.pk}/sequences")).json()) == [
        str(production["sequences"][1].pk)
    ]
    assert ids(client_for(vendor).get(since(f"/api/data/projects/{show.pk}/episodes")).json()) == [
        str(production["episode"].pk)
    ]


def test_project_tasks(show, team, production):
    path = f"/api/data/projects/{show.pk}/tasks"
    manager = client_for(team["manager"])
    task = production["tasks"][2]
    task.priority = 1
    task.save()
    gone = trash(production["tasks"][3])
    body = manager.get(since(path)).json()
    assert ids(body) == [str(task.pk)] and body["rows"][0]["priority"] == 1
    assert body["deleted_ids"] == [gone]
    assert manager.get(since(path) + "&page=1").status_code == 400
    client = client_for(team["client"]).get(since(path)).json()
    assert ids(client) == [str(task.pk)]


def test_project_comments(show, team, production):
    path = f"/api/data/projects/{show.pk}/comments"
    manager = client_for(team["manager"])
    assert manager.get(since(path)).json()["rows"] == []
    comment = production["comment"]
    comment.text = "edited"
    comment.save()
    other = Comment.objects.create(
        object_id=production["tasks"][1].pk, object_type="Task", person=team["manager"]
    )
    gone = trash(other, project_id=show.pk)
    body = manager.get(since(path)).json()
    assert ids(body) == [str(comment.pk)] and body["rows"][0]["text"] == "edited"
    assert body["deleted_ids"] == [gone]
    assert client_for(team["vendor"]).get(since(path)).status_code == 403


def test_outsider_is_refused_as_on_the_full_list(show, team, production):
    for path in (f"/api/data/projects/{show.pk}/shots", f"/api/data/projects/{show.pk}/tasks"):
        full = client_for(team["outsider"]).get(path).status_code
        assert client_for(team["outsider"]).get(since(path)).status_code == full != 200
