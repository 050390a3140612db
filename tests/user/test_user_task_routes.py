"""The `user` routes of what the logged-in person works on: the entities holding their tasks, their
tasks and task types on an entity, their to-do and done lists, and the tasks waiting for feedback
they check."""

import uuid

import pytest

from productions.models import ProjectPersonLink
from shots.models import Scene
from tasks.models import TaskPersonLink
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def show():
    return factories.make_project(name="Show", production_type="tvshow")


@pytest.fixture
def team(show):
    """A team of unnamed people, its outsider an artist of no team."""
    return factories.make_team(show, outsider={"role": "user"}, password=None)


@pytest.fixture
def statuses():
    return {
        "todo": factories.make_task_status("Todo", "todo"),
        "wfa": factories.make_task_status("Waiting For Approval", "wfa", is_feedback_request=True),
        "done": factories.make_task_status("Done", "done", is_done=True),
    }


@pytest.fixture
def task_types():
    modeling_department = factories.make_department("Modeling")
    return {
        "modeling": factories.make_task_type("Modeling", priority=2, department=modeling_department),
        "rigging": factories.make_task_type("Rigging", priority=1),
        "animation": factories.make_task_type("Animation", for_entity="Shot"),
    }


def assign(task, *persons):
    for person in persons:
        TaskPersonLink.objects.create(task=task, person=person)
    return task


@pytest.fixture
def world(show, team, statuses, task_types):
    """Hero (a character) holds two tasks of the artist, Villain one of nobody's; E01/SQ01 holds
    the shot SH01 and the scene SC01, each with a task of the artist, and SQ01 a task of its own."""
    artist, todo = team["user"], statuses["todo"]
    character, prop = factories.make_asset_type("Character"), factories.make_asset_type("Prop")
    hero = factories.make_asset(show, character, name="Hero")
    villain = factories.make_asset(show, character, name="Villain")
    factories.make_asset(show, prop, name="Lamp")
    episode = factories.make_episode(show, name="E01")
    sequence = factories.make_sequence(show, episode, name="SQ01")
    shot = factories.make_shot(show, sequence, name="SH01")
    scene = Scene.objects.create(project=show, parent=sequence, name="SC01")
    tasks = {
        "hero_modeling": assign(factories.make_task(hero, task_types["modeling"], todo), artist),
        "hero_rigging": assign(factories.make_task(hero, task_types["rigging"], statuses["wfa"]), artist),
        "villain": factories.make_task(villain, task_types["modeling"], todo),
        "shot": assign(factories.make_task(shot, task_types["animation"], todo), artist, team["vendor"]),
        "scene": assign(factories.make_task(scene, task_types["animation"], todo), artist),
        "sequence": assign(factories.make_task(sequence, task_types["animation"], todo), artist),
    }
    return {
        "character": character,
        "prop": prop,
        "hero": hero,
        "villain": villain,
        "episode": episode,
        "sequence": sequence,
        "shot": shot,
        "scene": scene,
        "tasks": tasks,
    }


def ids(rows):
    return [row["id"] for row in rows]


def get(person, path):
    return client_for(person).get(f"/api/data/user/{path}")


# --- entities and their tasks -----------------------------------------------------------------------


def test_asset_tasks_and_task_types_are_the_requesters_own(world, team, task_types):
    hero, tasks = world["hero"], world["tasks"]
    rows = get(team["user"], f"assets/{hero.pk}/tasks").json()
    assert sorted(ids(rows)) == sorted([str(tasks["hero_modeling"].pk), str(tasks["hero_rigging"].pk)])
    row = next(row for row in rows if row["id"] == str(tasks["hero_modeling"].pk))
    assert row["type"] == "Task" and row["entity_id"] == str(hero.pk) and row["name"] == "main"
    assert row["task_type_id"] == str(task_types["modeling"].pk) and "assignees" not in row
    types = get(team["user"], f"assets/{hero.pk}/task-types").json()
    assert [row["name"] for row in types] == ["Rigging", "Modeling"]  # by priority
    assert types[0]["type"] == "TaskType"
    # Whoever holds no task there reads nothing: a team member, an outsider, an admin.
    for role in ("manager", "outsider", "admin", "vendor"):
        assert get(team[role], f"assets/{hero.pk}/tasks").json() == [], role
        assert get(team[role], f"assets/{hero.pk}/task-types").json() == [], role
    assert get(team["user"], f"assets/{world['villain'].pk}/tasks").json() == []


def test_shot_scene_and_sequence_tasks(world, team):
    tasks = world["tasks"]
    for kind, key in (("shots", "shot"), ("scenes", "scene"), ("sequences", "sequence")):
        entity = world[key]
        assert ids(get(team["user"], f"{kind}/{entity.pk}/tasks").json()) == [str(tasks[key].pk)], kind
        assert [row["name"] for row in get(team["user"], f"{kind}/{entity.pk}/task-types").json()] == [
            "Animation"
        ], kind
        assert get(team["outsider"], f"{kind}/{entity.pk}/tasks").json() == [], kind
    # A vendor reads the tasks they are assigned, nothing else.
    assert ids(get(team["vendor"], f"shots/{world['shot'].pk}/tasks").json()) == [str(tasks["shot"].pk)]
    assert get(team["vendor"], f"scenes/{world['scene'].pk}/tasks").json() == []


def test_entity_routes_answer_404_for_a_missing_or_mistyped_entity(world, team):
    artist = team["user"]
    for kind in ("assets", "shots", "scenes", "sequences"):
        for suffix in ("tasks", "task-types"):
            assert get(artist, f"{kind}/{uuid.uuid4()}/{suffix}").status_code == 404, kind
            assert get(artist, f"{kind}/not-an-id/{suffix}").status_code == 404, kind
    # An asset is no shot, a shot no asset.
    response = get(artist, f"shots/{world['hero'].pk}/tasks")
    assert response.status_code == 404 and response.json() == {"error": True, "message": "Shot not found."}
    assert get(artist, f"assets/{world['shot'].pk}/task-types").status_code == 404
    assert get(artist, f"sequences/{world['shot'].pk}/shots").status_code == 404


def test_project_asset_types_and_assets_hold_the_requesters_tasks(show, world, team):
    character = world["character"]
    types = get(team["user"], f"projects/{show.pk}/asset-types").json()
    assert [(row["name"], row["type"]) for row in types] == [("Character", "AssetType")]
    assert "task_types" not in types[0]
    assets = get(team["user"], f"projects/{show.pk}/asset-types/{character.pk}/assets").json()
    assert [(row["name"], row["type"]) for row in assets] == [("Hero", "Asset")]
    assert assets[0]["project_id"] == str(show.pk) and assets[0]["entity_type_id"] == str(character.pk)
    assert get(team["user"], f"projects/{show.pk}/asset-types/{world['prop'].pk}/assets").json() == []
    for role in ("outsider", "manager", "client"):
        assert get(team[role], f"projects/{show.pk}/asset-types").json() == [], role
        assert get(team[role], f"projects/{show.pk}/asset-types/{character.pk}/assets").json() == [], role
    assert get(team["user"], f"projects/{uuid.uuid4()}/asset-types").status_code == 404
    assert get(team["user"], "projects/nope/asset-types").status_code == 404
    response = get(team["user"], f"projects/{show.pk}/asset-types/{uuid.uuid4()}/assets")
    assert response.status_code == 404 and response.json()["message"] == "Asset type not found."
    # A shot-side type is no asset type.
    shot_type = world["shot"].entity_type
    assert get(team["user"], f"projects/{show.pk}/asset-types/{shot_type.pk}/assets").status_code == 404


def test_project_episodes_sequences_and_sequence_shots_and_scenes(show, world, team):
    artist, sequence = team["user"], world["sequence"]
    episodes = get(artist, f"projects/{show.pk}/episodes").json()
    assert [(row["name"], row["type"]) for row in episodes] == [("E01", "Episode")]
    sequences = get(artist, f"projects/{show.pk}/sequences").json()
    assert [(row["name"], row["type"], row["parent_id"]) for row in sequences] == [
        ("SQ01", "Sequence", str(world["episode"].pk))
    ]
    shots = get(artist, f"sequences/{sequence.pk}/shots").json()
    assert [(row["name"], row["type"]) for row in shots] == [("SH01", "Shot")]
    scenes = get(artist, f"sequences/{sequence.pk}/scenes").json()
    assert [(row["name"], row["type"]) for row in scenes] == [("SC01", "Scene")]
    for role in ("outsider", "supervisor", "admin"):
        assert get(team[role], f"projects/{show.pk}/episodes").json() == [], role
        assert get(team[role], f"projects/{show.pk}/sequences").json() == [], role
        assert get(team[role], f"sequences/{sequence.pk}/shots").json() == [], role
        assert get(team[role], f"sequences/{sequence.pk}/scenes").json() == [], role
    assert get(team["vendor"], f"sequences/{sequence.pk}/scenes").json() == []
    assert ids(get(team["vendor"], f"sequences/{sequence.pk}/shots").json()) == [str(world["shot"].pk)]
    for path in (f"projects/{uuid.uuid4()}/episodes", f"projects/{uuid.uuid4()}/sequences"):
        assert get(artist, path).status_code == 404
    for path in (f"sequences/{uuid.uuid4()}/shots", f"sequences/{world['episode'].pk}/scenes"):
        assert get(artist, path).status_code == 404


def test_tasks_outside_the_team_or_of_closed_projects_stay_hidden(show, world, team, task_types, statuses):
    """Being assigned is not enough: the production must be open and the person in its team."""
    artist = team["user"]
    secret = factories.make_project(name="Secret")
    secret_asset = factories.make_asset(secret, world["character"], name="Secret hero")
    assign(factories.make_task(secret_asset, task_types["modeling"], statuses["todo"]), artist)
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    ProjectPersonLink.objects.create(project=closed, person=artist)
    closed_asset = factories.make_asset(closed, world["character"], name="Old hero")
    assign(factories.make_task(closed_asset, task_types["modeling"], statuses["todo"]), artist)
    for asset, project in ((secret_asset, secret), (closed_asset, closed)):
        assert get(artist, f"assets/{asset.pk}/tasks").json() == []
        assert get(artist, f"assets/{asset.pk}/task-types").json() == []
        assert get(artist, f"projects/{project.pk}/asset-types").json() == []
        assert get(artist, f"projects/{project.pk}/asset-types/{world['character'].pk}/assets").json() == []
    names = {row["entity_name"] for row in get(artist, "tasks").json()}
    assert "Secret hero" not in names and "Old hero" not in names
    # An admin assigned anywhere open reads it (every open production is theirs).
    assign(secret_asset.tasks.get(), team["admin"])
    assert len(get(team["admin"], f"assets/{secret_asset.pk}/tasks").json()) == 1


def test_entity_lists_run_a_bounded_number_of_queries(
    show, world, team, task_types, statuses, django_assert_max_num_queries
):
    artist, character, sequence = team["user"], world["character"], world["sequence"]
    paths = [
        f"assets/{world['hero'].pk}/tasks",
        f"assets/{world['hero'].pk}/task-types",
        f"projects/{show.pk}/asset-types/{character.pk}/assets",
        f"projects/{show.pk}/asset-types",
        f"projects/{show.pk}/sequences",
        f"projects/{show.pk}/episodes",
        f"sequences/{sequence.pk}/shots",
    ]
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(6):
            counts[path] = len(get(artist, path).json())
    for n in range(15):
        asset = factories.make_asset(show, character, name=f"Extra {n:02d}")
        shot = factories.make_shot(show, sequence, name=f"SH{n + 10:02d}")
        assign(factories.make_task(asset, task_types["modeling"], statuses["todo"]), artist)
        assign(
            factories.make_task(world["hero"], task_types["modeling"], statuses["todo"], name=f"t{n}"), artist
        )
        assign(factories.make_task(shot, task_types["animation"], statuses["todo"]), artist)
    for path in paths:
        with django_assert_max_num_queries(6):
            rows = get(artist, path).json()
        if path.endswith(("/tasks", "/assets", "/shots")):
            assert len(rows) == counts[path] + 15, path


# --- to-do and done lists ----------------------------------------------------------------------------


def test_todo_list_is_the_requesters_unfinished_tasks_with_their_context(world, team, statuses):
    artist, tasks = team["user"], world["tasks"]
    rows = get(artist, "tasks").json()
    assert sorted(ids(rows)) == sorted(
        str(tasks[key].pk) for key in ("hero_modeling", "hero_rigging", "shot", "scene", "sequence")
    )
    shot_row = next(row for row in rows if row["id"] == str(tasks["shot"].pk))
    assert shot_row["project_name"] == "Show" and shot_row["entity_name"] == "SH01"
    assert shot_row["sequence_name"] == "SQ01" and shot_row["episode_name"] == "E01"
    assert shot_row["episode_id"] == str(world["episode"].pk)
    assert shot_row["task_type_name"] == "Animation" and shot_row["task_status_short_name"] == "todo"
    assert sorted(shot_row["assignees"]) == sorted([str(artist.pk), str(team["vendor"].pk)])
    assert shot_row["last_comment"] == {} and shot_row["type"] == "Task"
    # Vendors and clients read their own assigned tasks too.
    assert ids(get(team["vendor"], "tasks").json()) == [str(tasks["shot"].pk)]
    for role in ("client", "outsider", "admin", "manager"):
        assert get(team[role], "tasks").json() == [], role
    assert get(artist, "done-tasks").json() == []
    tasks["scene"].task_status = statuses["done"]
    tasks["scene"].save()
    done = get(artist, "done-tasks").json()
    assert ids(done) == [str(tasks["scene"].pk)] and done[0]["task_status_short_name"] == "done"
    assert str(tasks["scene"].pk) not in ids(get(artist, "tasks").json())


def test_todo_rows_name_the_episodes_casting_their_asset_and_carry_a_data_object(show, world, team, statuses):
    """An asset cast in a shot of E01 is cast in E01 (the breakdown's episode link): the to-do
    and done rows of its tasks carry `episode_ids` and `episode_names`, rows of other entities
    don't; `entity_data` is an object even where the entity holds no custom data."""
    manager, artist, tasks = team["manager"], team["user"], world["tasks"]
    cast = [{"asset_id": str(world["hero"].pk), "nb_occurences": 1}]
    path = f"/api/data/projects/{show.pk}/entities/{world['shot'].pk}/casting"
    assert client_for(manager).put(path, cast, format="json").status_code == 200
    rows = {row["id"]: row for row in get(artist, "tasks").json()}
    hero_row = rows[str(tasks["hero_modeling"].pk)]
    assert hero_row["episode_ids"] == [str(world["episode"].pk)] and hero_row["episode_names"] == ["E01"]
    assert "episode_ids" not in rows[str(tasks["shot"].pk)]
    assert all(row["entity_data"] == {} for row in rows.values())
    tasks["hero_rigging"].task_status = statuses["done"]
    tasks["hero_rigging"].save()
    done = get(artist, "done-tasks").json()
    assert [(row["episode_ids"], row["entity_data"]) for row in done] == [([str(world["episode"].pk)], {})]
    by_manager = client_for(manager).get(f"/api/data/persons/{artist.pk}/tasks").json()
    assert next(row for row in by_manager if row["id"] == hero_row["id"])["episode_names"] == ["E01"]


def test_todo_lists_run_a_bounded_number_of_queries(
    show, world, team, task_types, statuses, django_assert_max_num_queries
):
    artist = team["user"]
    with django_assert_max_num_queries(7):
        assert len(get(artist, "tasks").json()) == 5
    for n in range(20):
        asset = factories.make_asset(show, world["character"], name=f"More {n}")
        assign(factories.make_task(asset, task_types["modeling"], statuses["todo"]), artist)
        assign(factories.make_task(asset, task_types["rigging"], statuses["done"]), artist)
    with django_assert_max_num_queries(7):
        assert len(get(artist, "tasks").json()) == 25
    with django_assert_max_num_queries(7):
        assert len(get(artist, "done-tasks").json()) == 20


# --- tasks to check ----------------------------------------------------------------------------------


@pytest.fixture
def feedback(show, world, team, task_types, statuses):
    """Tasks waiting for feedback: Hero's rigging (no department), Villain's and SH01's modeling
    (Modeling department, SH01 unassigned); another open production holds one more."""
    wfa = statuses["wfa"]
    villain_task = world["tasks"]["villain"]
    villain_task.task_status = wfa
    villain_task.save()
    assign(villain_task, team["user"])
    shot_task = factories.make_task(world["shot"], task_types["modeling"], wfa, name="fix")
    other = factories.make_project(name="Other")
    other_task = factories.make_task(
        factories.make_asset(other, world["character"]), task_types["rigging"], wfa
    )
    return {
        "hero": world["tasks"]["hero_rigging"],
        "villain": villain_task,
        "shot": shot_task,
        "other": other_task,
    }


def test_who_checks_which_tasks(show, world, team, feedback, task_types):
    everything = {str(task.pk) for task in feedback.values()}
    assert set(ids(get(team["admin"], "tasks-to-check").json())) == everything
    in_show = everything - {str(feedback["other"].pk)}
    assert set(ids(get(team["manager"], "tasks-to-check").json())) == in_show
    # A supervisor without department checks the whole production; with one, that department's.
    assert set(ids(get(team["supervisor"], "tasks-to-check").json())) == in_show
    team["supervisor"].departments.add(task_types["modeling"].department)
    assert set(ids(get(team["supervisor"], "tasks-to-check").json())) == {
        str(feedback["villain"].pk),
        str(feedback["shot"].pk),
    }
    for role in ("user", "client", "vendor", "outsider"):
        assert get(team[role], "tasks-to-check").json() == [], role
        assert get(team[role], "tasks-to-check?page=1").json() == {
            "data": [],
            "stats": {"total": 0, "total_duration": 0, "total_estimation": 0},
            "page": 1,
            "limit": 100,
            "is_more": False,
        }, role
    # A manager outside the team checks nothing there.
    stranger = factories.make_person(role="manager")
    assert get(stranger, "tasks-to-check").json() == []


def test_tasks_to_check_rows_filters_and_pages(show, world, team, feedback, task_types, statuses):
    manager = team["manager"]
    rows = get(manager, "tasks-to-check?order_by=entity_name").json()
    row = next(row for row in rows if row["id"] == str(feedback["shot"].pk))
    assert row["entity_name"] == "SH01" and row["sequence_name"] == "SQ01" and row["episode_name"] == "E01"
    assert row["task_status_short_name"] == "wfa" and row["assignees"] == [] and row["last_comment"] == {}
    assert row["task_type_name"] == "Modeling" and row["task_estimation"] == row["estimation"]
    query = f"tasks-to-check?task_type_id={task_types['modeling'].pk}"
    assert {row["id"] for row in get(manager, query).json()} == {
        str(feedback["villain"].pk),
        str(feedback["shot"].pk),
    }
    assert ids(get(manager, "tasks-to-check?person_id=unassigned").json()) == [str(feedback["shot"].pk)]
    query = f"tasks-to-check?person_id={team['user'].pk},{uuid.uuid4()}"
    assert {row["id"] for row in get(manager, query).json()} == {
        str(feedback["hero"].pk),
        str(feedback["villain"].pk),
    }
    assert ids(get(manager, f"tasks-to-check?episode_id={world['episode'].pk}").json()) == [
        str(feedback["shot"].pk)
    ]
    feedback["villain"].due_date = "2030-05-01T10:00:00Z"
    feedback["villain"].save()
    assert ids(get(manager, "tasks-to-check?due_date_since=2030-05-01").json()) == [
        str(feedback["villain"].pk)
    ]
    assert get(manager, "tasks-to-check?due_date_until=2030-05-01").json() == []
    page = get(manager, "tasks-to-check?page=2&limit=2&order_by=due_date").json()
    assert page["page"] == 2 and page["limit"] == 2 and page["is_more"] is False and len(page["data"]) == 1
    assert page["stats"] == {"total": 3, "total_duration": 0, "total_estimation": 0}
    first = get(manager, "tasks-to-check?page=1&limit=2&order_by=due_date").json()
    assert first["is_more"] is True and ids(first["data"])[0] == str(feedback["villain"].pk)


def test_tasks_to_check_refuses_bad_parameters(team, feedback):
    manager = team["manager"]
    for query, message in (
        ("project_id=abc", "Wrong UUID format."),
        ("task_status_id=12", "Wrong UUID format."),
        ("person_id=abc", "Wrong UUID format."),
        ("page=abc", "Wrong value for parameter page."),
        ("limit=x&page=1", "Wrong value for parameter limit."),
        (
            "due_date_since=soon",
            "Wrong date format for before argument.Expected format: 2020-01-05T13:23:10 or 2020-01-05",
        ),
    ):
        response = get(manager, f"tasks-to-check?{query}")
        assert response.status_code == 400, query
        assert response.json() == {"error": True, "message": message}, query
    # Checked before the scope, as on the reference: an artist learns the same.
    assert get(team["user"], "tasks-to-check?project_id=abc").status_code == 400


def test_tasks_to_check_filter_values(show, world, team, feedback, task_types, statuses):
    values = get(team["manager"], "tasks-to-check/filter-values").json()
    assert values == {
        "project_ids": [str(show.pk)],
        "task_type_ids": sorted([str(task_types["modeling"].pk), str(task_types["rigging"].pk)]),
        "task_status_ids": [str(statuses["wfa"].pk)],
        "episode_ids": [str(world["episode"].pk)],
        "person_ids": [str(team["user"].pk)],
    }
    assert len(get(team["admin"], "tasks-to-check/filter-values").json()["project_ids"]) == 2
    empty = {
        "project_ids": [],
        "task_type_ids": [],
        "task_status_ids": [],
        "episode_ids": [],
        "person_ids": [],
    }
    for role in ("user", "client", "vendor"):
        assert get(team[role], "tasks-to-check/filter-values").json() == empty, role


def test_tasks_to_check_run_a_bounded_number_of_queries(
    show, world, team, feedback, task_types, statuses, django_assert_max_num_queries
):
    manager = team["manager"]
    with django_assert_max_num_queries(7):
        assert len(get(manager, "tasks-to-check").json()) == 3
    with django_assert_max_num_queries(8):
        assert get(manager, "tasks-to-check?page=1").json()["stats"]["total"] == 3
    for n in range(20):
        asset = factories.make_asset(show, world["character"], name=f"Check {n}")
        assign(factories.make_task(asset, task_types["rigging"], statuses["wfa"]), team["user"])
    with django_assert_max_num_queries(7):
        assert len(get(manager, "tasks-to-check").json()) == 23
    with django_assert_max_num_queries(8):
        assert len(get(manager, "tasks-to-check?page=1&limit=10").json()["data"]) == 10
    with django_assert_max_num_queries(5):
        assert len(get(manager, "tasks-to-check/filter-values").json()["person_ids"]) == 1
