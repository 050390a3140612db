"""The `news` and `events` areas: the news feed of the productions (filters, pages, stats, previews)
and the API event log (cursor pages, filters, login logs, event names).

Each route covers the reference's happy path, the roles it refuses, missing objects (404) and bad
input (400); lists assert a query bound that does not grow with the rows.
"""

import datetime
import uuid

import pytest
from django.utils import timezone

from files.models import PreviewFile
from people.models import LoginLog
from productions.models import ProjectPersonLink
from tasks.models import ApiEvent, Comment, News
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

BASE = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def closed_show():
    return factories.make_project(name="Old", project_status=factories.make_project_status("Closed"))


@pytest.fixture
def team(show, closed_show):
    people = factories.make_team(show, surname="Person", password=None)
    ProjectPersonLink.objects.create(project=closed_show, person=people["manager"])
    return people


@pytest.fixture
def statuses():
    return {
        "wip": factories.make_task_status(name="WIP", short_name="wip", is_wip=True),
        "wfa": factories.make_task_status(name="WFA", short_name="wfa", is_feedback_request=True),
    }


@pytest.fixture
def modeling():
    return factories.make_task_type(name="Modeling")


@pytest.fixture
def animation():
    return factories.make_task_type(name="Animation", for_entity="Shot")


@pytest.fixture
def world(show, closed_show, team, statuses, modeling, animation):
    """A prop and a shot of episode E01 / SQ01 with a task each, and one task in a closed show."""
    prop = factories.make_asset(show, factories.make_asset_type("Prop"), name="chair")
    episode = factories.make_episode(show, name="E01")
    sequence = factories.make_sequence(show, episode, name="SQ01")
    shot = factories.make_shot(show, sequence, name="SH010")
    old_prop = factories.make_asset(closed_show, factories.make_asset_type("Prop"), name="lamp")
    return {
        "prop_task": factories.make_task(prop, modeling, statuses["wip"]),
        "shot_task": factories.make_task(shot, animation, statuses["wip"]),
        "old_task": factories.make_task(old_prop, modeling, statuses["wip"]),
        "episode": episode,
        "shot": shot,
    }


def add_news(task, author, status, minutes, change=True, preview=None, for_client=False):
    comment = Comment.objects.create(
        object_id=task.pk,
        object_type="Task",
        task_status=status,
        person=author,
        text="x",
        for_client=for_client,
    )
    return News.objects.create(
        task=task,
        author=author,
        comment=comment,
        change=change,
        preview_file=preview,
        created_at=BASE + datetime.timedelta(minutes=minutes),
    )


def news_url(project):
    return f"/api/data/projects/{project.pk}/news"


# --- GET /data/projects/{project_id}/news -------------------------------------------------------


def test_project_news_is_a_page_with_names_authors_and_stats(show, team, world, statuses):
    prop_news = add_news(world["prop_task"], team["user"], statuses["wip"], 1)
    shot_news = add_news(world["shot_task"], team["manager"], statuses["wfa"], 2)
    add_news(world["shot_task"], team["manager"], statuses["wfa"], 3, change=False)
    add_news(world["old_task"], team["manager"], statuses["wfa"], 4)
    response = client_for(team["user"]).get(news_url(show), {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["nb_pages"], body["limit"], body["offset"], body["page"]) == (3, 2, 2, 0, 1)
    assert body["stats"] == {str(statuses["wip"].pk): 1, str(statuses["wfa"].pk): 1}
    second = body["data"][1]
    assert second["id"] == str(shot_news.pk) and second["type"] == "News"
    assert second["full_entity_name"] == "E01 / SQ01 / SH010" and second["episode_id"] == str(
        world["episode"].pk
    )
    assert second["task_status_id"] == str(statuses["wfa"].pk) and second["change"] is True
    assert second["task_type_id"] == str(world["shot_task"].task_type_id)
    assert second["project_name"] == "Show" and second["project_id"] == str(show.pk)
    assert second["created_at"] == (BASE + datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%S")
    assert second["person"] == {
        "id": str(team["manager"].pk),
        "first_name": "Manager",
        "last_name": "Person",
        "full_name": "Manager Person",
        "has_avatar": False,
        "role": "manager",
    }
    last = client_for(team["user"]).get(news_url(show), {"limit": 2, "page": 2}).json()
    assert [row["id"] for row in last["data"]] == [str(prop_news.pk)] and last["offset"] == 2
    assert last["data"][0]["full_entity_name"] == "Prop / chair" and last["data"][0]["episode_id"] is None


def test_project_news_filters(show, team, world, statuses):
    add_news(world["prop_task"], team["user"], statuses["wip"], 1)
    shot_news = add_news(world["shot_task"], team["manager"], statuses["wfa"], 2)
    preview = PreviewFile.objects.create(task=world["prop_task"], revision=3, extension="mp4", name="v3")
    PreviewFile.objects.create(task=world["prop_task"], revision=3, position=2, extension="png", name="v3b")
    previewed = add_news(world["prop_task"], team["user"], statuses["wfa"], 3, preview=preview)
    client = client_for(team["manager"])

    def ids(**params):
        return [row["id"] for row in client.get(news_url(show), params).json()["data"]]

    assert ids(task_status_id=str(statuses["wfa"].pk)) == [str(previewed.pk), str(shot_news.pk)]
    assert ids(task_type_id=str(world["shot_task"].task_type_id)) == [str(shot_news.pk)]
    assert ids(person_id=str(team["manager"].pk)) == [str(shot_news.pk)]
    assert ids(episode_id=str(world["episode"].pk)) == [str(shot_news.pk)]
    after = (BASE + datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    before = (BASE + datetime.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%S")
    assert ids(after=after, before=before) == [str(shot_news.pk)]
    body = client.get(news_url(show), {"only_preview": "true"}).json()
    assert [row["id"] for row in body["data"]] == [str(previewed.pk)]
    entry = body["data"][0]
    assert entry["preview_file_extension"] == "mp4" and entry["preview_file_revision"] == 3
    assert [(p["name"], p["position"]) for p in entry["preview_files"]] == [("v3", 1), ("v3b", 2)]
    assert "preview_files" not in client.get(news_url(show)).json()["data"][0]


def test_project_news_refusals_and_bad_input(show, team, world):
    assert client_for(team["client"]).get(news_url(show)).status_code == 403
    assert client_for(team["outsider"]).get(news_url(show)).status_code == 403
    assert client_for(team["vendor"]).get(news_url(show)).status_code == 200
    assert client_for(team["user"]).get(f"/api/data/projects/{uuid.uuid4()}/news").status_code == 404
    client = client_for(team["manager"])
    for params, message in (
        ({"page": "x"}, "Wrong value for parameter page."),
        ({"only_preview": "maybe"}, "Wrong value for parameter only_preview."),
        ({"after": "yesterday"}, "Wrong date format for after argument"),
        ({"task_type_id": "nope"}, "The task_type_id parameter is not a valid id"),
        ({"limit": "0"}, "limit must be a positive integer."),
    ):
        response = client.get(news_url(show), params)
        assert response.status_code == 400 and response.json()["message"].startswith(message), params


def test_news_lists_run_a_bounded_number_of_queries(
    show, team, world, statuses, django_assert_max_num_queries
):
    for minutes in range(12):
        task = world["prop_task"] if minutes % 2 else world["shot_task"]
        preview = PreviewFile.objects.create(task=task, revision=minutes + 1, extension="png")
        add_news(task, team["user" if minutes % 3 else "manager"], statuses["wip"], minutes, preview=preview)
    client = client_for(team["manager"])
    with django_assert_max_num_queries(12):
        body = client.get(news_url(show), {"only_preview": "true"}).json()
    assert body["total"] == 12 and all(len(row["preview_files"]) == 1 for row in body["data"])
    with django_assert_max_num_queries(12):
        assert client.get("/api/data/projects/news").json()["total"] == 12


# --- GET /data/projects/{project_id}/news/{news_id} ---------------------------------------------


def test_one_news_entry(show, team, world, statuses):
    news = add_news(world["prop_task"], team["user"], statuses["wip"], 1, for_client=True)
    other = add_news(world["old_task"], team["manager"], statuses["wip"], 2)
    internal = add_news(world["prop_task"], team["user"], statuses["wip"], 3)
    url = f"{news_url(show)}/{news.pk}"
    response = client_for(team["client"]).get(url)
    assert response.status_code == 200
    assert response.json()["id"] == str(news.pk) and response.json()["full_entity_name"] == "Prop / chair"
    assert response.json()["person"]["id"] == str(team["user"].pk) and "stats" not in response.json()
    assert client_for(team["vendor"]).get(url).status_code == 403
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["user"]).get(f"{news_url(show)}/{other.pk}").status_code == 404
    assert client_for(team["user"]).get(f"{news_url(show)}/{uuid.uuid4()}").status_code == 404
    assert client_for(team["user"]).get(f"{news_url(show)}/nope").status_code == 400
    # Unlike the reference, a client does not read the entry of an internal comment.
    assert client_for(team["client"]).get(f"{news_url(show)}/{internal.pk}").status_code == 404
    assert client_for(team["user"]).get(f"{news_url(show)}/{internal.pk}").status_code == 200


# --- GET /data/projects/news ----------------------------------------------------------------------


def test_open_projects_news_for_each_reader(show, closed_show, team, world, statuses):
    mine = add_news(world["prop_task"], team["user"], statuses["wip"], 1)
    add_news(world["old_task"], team["manager"], statuses["wip"], 2)
    other_show = factories.make_project(name="Other")
    other_task = factories.make_task(factories.make_asset(other_show), world["prop_task"].task_type)
    elsewhere = add_news(other_task, team["admin"], statuses["wip"], 3)

    def ids(person, **params):
        response = client_for(person).get("/api/data/projects/news", params)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["data"]]

    assert ids(team["manager"]) == [str(mine.pk)]  # the closed show is left out
    assert ids(team["client"]) == []  # unlike the reference: the artist's comment is internal
    assert ids(team["admin"]) == [str(elsewhere.pk), str(mine.pk)]
    assert ids(team["admin"], project_id=str(show.pk)) == [str(mine.pk)]
    assert ids(team["manager"], project_id=str(other_show.pk)) == [str(mine.pk)]  # not theirs: ignored
    assert ids(team["outsider"]) == []


# --- GET /data/events/last ----------------------------------------------------------------------


@pytest.fixture
def log(show, closed_show, team):
    other = factories.make_project(name="Other")
    rows = []
    for minutes, name, project, user in (
        (1, "task:new", show, team["manager"]),
        (2, "comment:new", show, team["user"]),
        (3, "task:update", closed_show, team["manager"]),
        (4, "person:update", None, team["admin"]),
        (5, "task:new", other, team["admin"]),
        (6, "preview-file:add-file", show, team["user"]),
    ):
        rows.append(
            ApiEvent.objects.create(
                name=name,
                project=project,
                user=user,
                data={"n": minutes},
                created_at=BASE + datetime.timedelta(minutes=minutes),
            )
        )
    return rows


def test_event_log_pages_and_filters(show, team, log):
    admin = client_for(team["admin"])

    def names(person=team["admin"], **params):
        response = client_for(person).get("/api/data/events/last", params)
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()]

    everything = admin.get("/api/data/events/last").json()
    assert [row["data"]["n"] for row in everything] == [6, 5, 4, 3, 2, 1]
    first = everything[0]
    assert first["id"] == str(log[5].pk) and first["project_id"] == str(show.pk)
    assert first["user_id"] == str(team["user"].pk) and first["created_at"] == log[5].created_at.strftime(
        "%Y-%m-%dT%H:%M:%S"
    )
    assert names(limit=2) == ["preview-file:add-file", "task:new"]
    assert names(cursor_event_id=str(log[3].pk)) == ["task:update", "comment:new", "task:new"]
    assert names(name_prefixes=["task", "comment"]) == ["task:new", "task:update", "comment:new", "task:new"]
    assert names(name_suffixes="update") == ["person:update", "task:update"]
    assert names(name="task:new", project_id=str(show.pk)) == ["task:new"]
    assert names(person_ids=[str(team["user"].pk)]) == ["preview-file:add-file", "comment:new"]
    assert names(only_files="true") == ["preview-file:add-file"]
    after = (BASE + datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%S")
    assert names(
        after=after, before=(BASE + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S")
    ) == [
        "person:update",
        "task:update",
    ]
    # a manager reads the events of their team's projects (closed ones too), none without project
    assert names(team["manager"]) == ["preview-file:add-file", "task:update", "comment:new", "task:new"]


def test_event_log_refusals_and_bad_input(show, team, log):
    url = "/api/data/events/last"
    for role in ("supervisor", "user", "client", "vendor"):
        assert client_for(team[role]).get(url).status_code == 403, role
    assert client_for(team["supervisor"]).get(url, {"project_id": str(uuid.uuid4())}).status_code == 403
    assert client_for(team["manager"]).get(url, {"project_id": str(log[4].project_id)}).status_code == 403
    ProjectPersonLink.objects.filter(project=show, person=team["supervisor"]).update(role="manager")
    assert client_for(team["supervisor"]).get(url, {"project_id": str(show.pk)}).status_code == 200
    admin = client_for(team["admin"])
    for params, message in (
        ({"project_id": "x"}, "The project_id parameter is not a valid id"),
        ({"cursor_event_id": "x"}, "The cursor_event_id parameter is not a valid id"),
        ({"cursor_event_id": str(uuid.UUID(int=1))}, "No event found with id"),
        ({"person_ids": "x"}, "The person_ids parameter contains an invalid id"),
        ({"name_prefixes": "Task%"}, "The name_prefixes parameter contains an invalid value"),
        ({"limit": "x"}, "Wrong value for parameter limit."),
        ({"before": "soon"}, "Wrong date format for before argument"),
    ):
        response = admin.get(url, params)
        assert response.status_code == 400 and response.json()["message"].startswith(message), params


def test_event_log_runs_a_bounded_number_of_queries(team, show, django_assert_max_num_queries):
    for index in range(30):
        ApiEvent.objects.create(name="task:update", project=show, data={"i": index})
    with django_assert_max_num_queries(4):
        assert len(client_for(team["manager"]).get("/api/data/events/last").json()) == 30


# --- GET /data/events/login-logs/last and /data/events/names ------------------------------------


def test_login_logs_for_admins(team):
    logs = [
        LoginLog.objects.create(
            person=team[role],
            ip_address="10.0.0.1",
            origin="web",
            created_at=BASE + datetime.timedelta(minutes=i),
        )
        for i, role in enumerate(("user", "manager", "user"))
    ]
    admin = client_for(team["admin"])
    body = admin.get("/api/data/events/login-logs/last").json()
    assert [row["id"] for row in body] == [str(log.pk) for log in reversed(logs)]
    assert body[0] == {
        "id": str(logs[2].pk),
        "created_at": logs[2].created_at.strftime("%Y-%m-%dT%H:%M:%S"),
        "ip_address": "10.0.0.1",
        "person_id": str(team["user"].pk),
        "origin": "web",
    }
    params = {"cursor_login_log_id": str(logs[2].pk), "person_ids": str(team["user"].pk)}
    assert [row["id"] for row in admin.get("/api/data/events/login-logs/last", params).json()] == [
        str(logs[0].pk)
    ]
    assert len(admin.get("/api/data/events/login-logs/last", {"limit": 1}).json()) == 1
    assert client_for(team["manager"]).get("/api/data/events/login-logs/last").status_code == 403
    missing = admin.get("/api/data/events/login-logs/last", {"cursor_login_log_id": str(uuid.uuid4())})
    assert missing.status_code == 400 and missing.json()["message"].startswith("No login log found with id")


def test_event_names_for_managers(team, log):
    response = client_for(team["manager"]).get("/api/data/events/names")
    assert response.status_code == 200
    assert response.json() == [
        "comment:new",
        "person:update",
        "preview-file:add-file",
        "task:new",
        "task:update",
    ]
    assert client_for(team["supervisor"]).get("/api/data/events/names").status_code == 403
    assert client_for(team["user"]).get("/api/data/events/names").status_code == 403
