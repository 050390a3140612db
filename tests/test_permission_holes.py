"""The holes the reference leaves open and we close, one rule each in the permission layer
(kitsu_server.core.access: visible_comments, visible_news, visible_attachment_files, reachable_entities,
visible_tasks, visible_persons, visible_time_spents; kitsu_server.core.access.entities: the custom fields a
vendor reads), checked here route family by route family.

The world: one open production, "show", whose team holds a person of each role. An artist works on
the asset "villain", a vendor on the asset "hero". On villain's task: an internal comment of the
artist, a comment for clients by the manager, a comment of the client; on hero's task an internal
comment of the vendor. Each comment has its news entry and an attachment. A "stranger" is in the
team of another production only.

Each test names the route family, asserts the ids each role gets, and where the reference shows
more, says so.
"""

import datetime
import uuid

import pytest

from files.models import AttachmentFile, PreviewFile
from people.models import DepartmentLink
from productions.models import ProjectPersonLink
from tasks.models import Comment, News, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor", "outsider")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(show, team):
    status = factories.make_task_status(name="WIP", short_name="wip")
    hero = factories.make_asset(show, name="hero")
    villain = factories.make_asset(show, name="villain")
    hero_task = factories.make_task(hero, task_status=status)
    villain_task = factories.make_task(villain, task_status=status)
    factories.assign(hero_task, team["vendor"])
    factories.assign(villain_task, team["user"])
    comments = {
        "internal": comment(villain_task, team["user"], status),
        "for_client": comment(villain_task, team["manager"], status, for_client=True),
        "by_client": comment(villain_task, team["client"], status),
        "vendor": comment(hero_task, team["vendor"], status),
    }
    news = {
        name: News.objects.create(task_id=c.object_id, author=c.person, comment=c)
        for name, c in comments.items()
    }
    attachments = {
        name: AttachmentFile.objects.create(name=f"{name}.txt", extension="txt", comment=c)
        for name, c in comments.items()
    }
    elsewhere = factories.make_project(name="Elsewhere")
    stranger = factories.join(elsewhere, factories.make_person(password=None, first_name="Stranger"))
    return {
        "show": show,
        "status": status,
        "hero": hero,
        "villain": villain,
        "hero_task": hero_task,
        "villain_task": villain_task,
        "comments": comments,
        "news": news,
        "attachments": attachments,
        "stranger": stranger,
        "elsewhere": elsewhere,
    }


def comment(task, person, status, for_client=False):
    return Comment.objects.create(
        object_id=task.pk,
        object_type="Task",
        task_status=status,
        person=person,
        text="t",
        for_client=for_client,
    )


def names_of(world, kind, ids):
    """The fixture names of the rows whose ids are `ids`, sorted (readable failures)."""
    by_id = {str(row.pk): name for name, row in world[kind].items()}
    return sorted(by_id.get(pk, pk) for pk in ids)


# What each role reads of the comments (and so of their news and attachments).
SEEN_COMMENTS = {
    "admin": ["by_client", "for_client", "internal", "vendor"],
    "manager": ["by_client", "for_client", "internal", "vendor"],
    "supervisor": ["by_client", "for_client", "internal", "vendor"],
    "user": ["for_client", "internal", "vendor"],
    "client": ["by_client", "for_client"],
    "vendor": ["vendor"],
    "outsider": [],
}


# --- news -----------------------------------------------------------------------------------------


def test_open_projects_news_shows_each_role_only_the_comments_it_reads(team, world):
    """The reference lists every news entry of the production to its clients and vendors."""
    for role in ROLES:
        response = client_for(team[role]).get("/api/data/projects/news")
        assert response.status_code == 200, role
        body = response.json()
        ids = [row["id"] for row in body["data"]]
        assert names_of(world, "news", ids) == SEEN_COMMENTS[role], role
        assert body["total"] == len(SEEN_COMMENTS[role]), role


def test_project_news_shows_a_vendor_only_the_entities_it_works_on(team, world):
    url = f"/api/data/projects/{world['show'].pk}/news"
    for role in ("admin", "manager", "supervisor", "user", "vendor"):
        ids = [row["id"] for row in client_for(team[role]).get(url).json()["data"]]
        assert names_of(world, "news", ids) == SEEN_COMMENTS[role], role
    # As on the reference: clients and outsiders are refused the production's feed.
    assert client_for(team["client"]).get(url).status_code == 403
    assert client_for(team["outsider"]).get(url).status_code == 403
    assert client_for(team["user"]).get(f"/api/data/projects/{uuid.uuid4()}/news").status_code == 404


def test_news_stats_count_only_the_entries_one_reads(team, world):
    News.objects.update(change=True)
    url = f"/api/data/projects/{world['show'].pk}/news"
    stats = client_for(team["vendor"]).get(url).json()["stats"]
    assert stats == {str(world["status"].pk): 1}
    assert client_for(team["client"]).get("/api/data/projects/news").json()["stats"] == {
        str(world["status"].pk): 2
    }


def test_single_news_entry_of_an_internal_comment_is_not_found_for_a_client(team, world):
    """The reference answers a client the entry of any comment of the production."""
    show = world["show"]
    for name, entry in world["news"].items():
        url = f"/api/data/projects/{show.pk}/news/{entry.pk}"
        response = client_for(team["client"]).get(url)
        if name in SEEN_COMMENTS["client"]:
            assert response.status_code == 200 and response.json()["id"] == str(entry.pk), name
        else:
            assert response.status_code == 404 and response.json()["error"] is True, name
        assert client_for(team["user"]).get(url).status_code == (200 if name != "by_client" else 404)
        assert client_for(team["vendor"]).get(url).status_code == 403  # as on the reference
    assert client_for(team["client"]).get(f"/api/data/projects/{show.pk}/news/nope").status_code == 400


def test_entity_news_shows_a_client_only_the_client_facing_comments(team, world):
    """The reference gives a client every news entry of the entity."""
    url = f"/api/data/entities/{world['villain'].pk}/news"
    expected = {
        "admin": ["by_client", "for_client", "internal"],
        "manager": ["by_client", "for_client", "internal"],
        "user": ["for_client", "internal"],
        "client": ["by_client", "for_client"],
    }
    for role, names in expected.items():
        response = client_for(team[role]).get(url)
        assert response.status_code == 200, role
        body = response.json()
        assert names_of(world, "news", [row["id"] for row in body["data"]]) == names, role
        assert body["total"] == len(names), role
    assert client_for(team["vendor"]).get(url).status_code == 403  # not an entity they work on
    assert client_for(team["outsider"]).get(url).status_code == 403
    hero_url = f"/api/data/entities/{world['hero'].pk}/news"
    assert names_of(
        world, "news", [r["id"] for r in client_for(team["vendor"]).get(hero_url).json()["data"]]
    ) == ["vendor"]


def test_isolated_clients_read_their_own_comments_not_another_clients(show, team, world):
    show.is_clients_isolated = True
    show.save()
    other_client = factories.join(show, factories.make_person(role="client", password=None))
    theirs = comment(world["villain_task"], other_client, world["status"])
    News.objects.create(task=world["villain_task"], author=other_client, comment=theirs)
    ids = [row["id"] for row in client_for(team["client"]).get("/api/data/projects/news").json()["data"]]
    assert names_of(world, "news", ids) == ["by_client", "for_client"]
    ids = [row["id"] for row in client_for(other_client).get("/api/data/projects/news").json()["data"]]
    assert sorted(ids) == sorted(
        [str(world["news"]["for_client"].pk), str(News.objects.get(comment=theirs).pk)]
    )


def test_news_lists_stay_within_a_bounded_number_of_queries(team, world, django_assert_max_num_queries):
    for _ in range(20):
        c = comment(world["villain_task"], team["manager"], world["status"], for_client=True)
        News.objects.create(task=world["villain_task"], author=team["manager"], comment=c)
    with django_assert_max_num_queries(12):
        body = client_for(team["client"]).get("/api/data/projects/news").json()
    assert body["total"] == 22
    with django_assert_max_num_queries(12):
        assert client_for(team["vendor"]).get("/api/data/projects/news").json()["total"] == 1


# --- attachments ----------------------------------------------------------------------------------


def test_attachment_rows_follow_the_comment_rule(team, world):
    """The reference lets whoever reaches the task read any attachment of its comments."""
    for role in ROLES:
        for name, attachment in world["attachments"].items():
            response = client_for(team[role]).get(f"/api/data/attachment-files/{attachment.pk}")
            expected = 200 if name in SEEN_COMMENTS[role] else 403
            assert response.status_code == expected, (role, name)
            if expected == 200:
                assert response.json()["id"] == str(attachment.pk)
    assert client_for(team["client"]).get(f"/api/data/attachment-files/{uuid.uuid4()}").status_code == 404


def test_attachment_downloads_follow_the_comment_rule(team, world, media):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tasks.comments.attachments import attachment_path

    for attachment in world["attachments"].values():
        default_storage.save(attachment_path(attachment.pk), ContentFile(b"data"))
    for role in ("client", "vendor", "user", "outsider"):
        for name, attachment in world["attachments"].items():
            response = client_for(team[role]).get(
                f"/api/data/attachment-files/{attachment.pk}/file/{name}.txt"
            )
            if name in SEEN_COMMENTS[role]:
                assert response.status_code == 200, (role, name)
                assert b"".join(response.streaming_content) == b"data"
            else:
                assert response.status_code == 403 and response.json()["error"] is True, (role, name)


def test_attachment_list_stays_for_admins(team, world):
    assert len(client_for(team["admin"]).get("/api/data/attachment-files").json()) == 4
    for role in ("manager", "client", "vendor"):
        assert client_for(team[role]).get("/api/data/attachment-files").status_code == 403


# --- comments -------------------------------------------------------------------------------------


def test_comment_reads_follow_the_same_rule(team, world):
    for role in ROLES:
        for name, c in world["comments"].items():
            response = client_for(team[role]).get(f"/api/data/comments/{c.pk}")
            assert response.status_code == (200 if name in SEEN_COMMENTS[role] else 403), (role, name)


def test_project_comments_show_an_artist_no_client_comment(team, world):
    """The reference lists an artist the production's comments, the clients' included, which its
    comment threads hide from them."""
    url = f"/api/data/projects/{world['show'].pk}/comments"
    for role in ("admin", "manager", "supervisor", "user"):
        ids = [row["id"] for row in client_for(team[role]).get(url).json()]
        assert names_of(world, "comments", ids) == SEEN_COMMENTS[role], role
        page = client_for(team[role]).get(url, {"page": 1}).json()
        assert page["total"] == len(SEEN_COMMENTS[role]), role
    for role in ("client", "vendor", "outsider"):  # as on the reference
        assert client_for(team[role]).get(url).status_code == 403, role


# --- entities and what hangs off them, for a vendor -------------------------------------------------


def test_generic_entity_list_shows_a_vendor_only_the_entities_it_works_on(team, world):
    """The reference lists a vendor the whole production once one of its tasks is theirs."""
    expected = {"admin": {"hero", "villain"}, "user": {"hero", "villain"}, "client": {"hero", "villain"}}
    expected |= {"vendor": {"hero"}, "outsider": set()}
    for role, names in expected.items():
        rows = client_for(team[role]).get("/api/data/entities").json()
        assert {row["name"] for row in rows} == names, role
    api = client_for(team["vendor"])
    assert api.get(f"/api/data/entities/{world['villain'].pk}").status_code == 403
    assert api.get(f"/api/data/entities/{world['hero'].pk}").status_code == 200


def test_generic_entity_routes_hide_from_a_vendor_the_custom_fields_of_other_departments(team, world):
    """The reference masks them on its boards and lists, not on /data/entities."""
    from productions.models import MetadataDescriptor

    theirs, others = factories.make_department(), factories.make_department()
    DepartmentLink.objects.create(department=theirs, person=team["vendor"])
    for field_name, department in (("ours", theirs), ("secret", others), ("free", None)):
        descriptor = MetadataDescriptor.objects.create(
            project=world["show"], entity_type="Asset", name=field_name, field_name=field_name
        )
        if department is not None:
            descriptor.departments.add(department)
    hero = world["hero"]
    hero.data = {"ours": 1, "secret": 2, "free": 3}
    hero.save()
    expected = {"ours": 1, "free": 3}
    assert [row["data"] for row in client_for(team["vendor"]).get("/api/data/entities").json()] == [expected]
    assert client_for(team["vendor"]).get(f"/api/data/entities/{hero.pk}").json()["data"] == expected
    rows = client_for(team["user"]).get("/api/data/entities", {"name": "hero"}).json()
    assert rows[0]["data"] == {"ours": 1, "secret": 2, "free": 3}


def test_vendor_lists_of_assets_tasks_and_previews_hold_only_their_work(team, world):
    show = world["show"]
    for task in (world["hero_task"], world["villain_task"]):
        PreviewFile.objects.create(name="v1", extension="png", task=task, revision=1)
    api = client_for(team["vendor"])
    assets = api.get("/api/data/assets", {"project_id": str(show.pk)}).json()
    assert [row["name"] for row in assets] == ["hero"]
    assert [row["id"] for row in api.get("/api/data/tasks").json()] == [str(world["hero_task"].pk)]
    previews = api.get("/api/data/preview-files").json()
    assert [row["task_id"] for row in previews] == [str(world["hero_task"].pk)]
    assert api.get("/api/data/comments").status_code == 403  # admins only, as on the reference


def test_vendor_lists_of_shots_sequences_and_episodes_hold_only_their_work(team, world):
    show = world["show"]
    episode, other_episode = (
        factories.make_episode(show, name="E01"),
        factories.make_episode(show, name="E02"),
    )
    sequence = factories.make_sequence(show, episode, name="SQ01")
    other_sequence = factories.make_sequence(show, other_episode, name="SQ02")
    mine = factories.make_shot(show, sequence, name="SH010")
    factories.make_shot(show, sequence, name="SH020")
    factories.make_shot(show, other_sequence, name="SH030")
    factories.assign(factories.make_task(mine, factories.make_task_type(for_entity="Shot")), team["vendor"])
    params = {"project_id": str(show.pk)}
    api = client_for(team["vendor"])
    assert [row["name"] for row in api.get("/api/data/shots", params).json()] == ["SH010"]
    assert [row["name"] for row in api.get("/api/data/sequences", params).json()] == ["SQ01"]
    assert [row["name"] for row in api.get("/api/data/episodes", params).json()] == ["E01"]
    names = {row["name"] for row in api.get("/api/data/entities").json()}
    assert names == {"hero", "SH010"}
    artist = client_for(team["user"])
    assert len(artist.get("/api/data/shots", params).json()) == 3


def test_a_vendor_by_team_role_is_held_like_a_vendor_in_the_generic_lists(team, world):
    """The reference reads the global role for its lists: an artist made a vendor on one
    production only would list all of it."""
    hired = factories.join(world["show"], factories.make_person(role="user", password=None), role="vendor")
    factories.assign(world["hero_task"], hired)
    PreviewFile.objects.create(name="v1", extension="png", task=world["villain_task"], revision=1)
    api = client_for(hired)
    assert [row["name"] for row in api.get("/api/data/entities").json()] == ["hero"]
    assert [row["id"] for row in api.get("/api/data/tasks").json()] == [str(world["hero_task"].pk)]
    assert api.get("/api/data/preview-files").json() == []
    ids = [row["id"] for row in api.get("/api/data/projects/news").json()["data"]]
    assert names_of(world, "news", ids) == ["vendor"]


def test_entity_list_stays_within_a_bounded_number_of_queries(team, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client_for(team["vendor"]).get("/api/data/entities")
    for n in range(20):
        asset = factories.make_asset(world["show"], name=f"prop{n}")
        factories.assign(factories.make_task(asset, task_type=world["hero_task"].task_type), team["vendor"])
    with django_assert_max_num_queries(6):
        assert len(client_for(team["vendor"]).get("/api/data/entities").json()) == 21


# --- time -------------------------------------------------------------------------------------------


@pytest.fixture
def logged(team, world):
    day = datetime.date(2024, 3, 11)
    return {
        "user": TimeSpent.objects.create(
            task=world["villain_task"], person=team["user"], date=day, duration=60
        ),
        "vendor": TimeSpent.objects.create(
            task=world["hero_task"], person=team["vendor"], date=day, duration=30
        ),
        "manager": TimeSpent.objects.create(
            task=world["hero_task"], person=team["manager"], date=day, duration=15
        ),
    }


def test_time_tables_show_a_vendor_only_its_own_time(team, world, logged):
    vendor = str(team["vendor"].pk)
    for path in (
        "/api/data/persons/time-spents/day-table/2024/03",
        "/api/data/persons/time-spents/month-table/2024",
        "/api/data/persons/time-spents/week-table/2024",
        "/api/data/persons/time-spents/year-table",
    ):
        table = client_for(team["vendor"]).get(path).json()
        assert {person for row in table.values() for person in row} == {vendor}, path
        table = client_for(team["manager"]).get(path).json()
        assert {person for row in table.values() for person in row} == {
            str(team[r].pk) for r in ("user", "vendor", "manager")
        }, path


def test_a_supervisor_who_is_a_vendor_on_a_production_reads_no_other_time_there(team, world, logged):
    """By the global role alone, the reference shows them the production's whole time."""
    ProjectPersonLink.objects.filter(project=world["show"], person=team["supervisor"]).update(role="vendor")
    api = client_for(team["supervisor"])
    assert api.get("/api/data/persons/time-spents/day-table/2024/03").json() == {}
    response = api.get(f"/api/data/persons/{team['user'].pk}/time-spents/2024-03-11")
    assert response.status_code == 200 and response.json() == []
    assert (
        client_for(team["supervisor"]).get(f"/api/data/projects/{world['show'].pk}/time-spents").json() == []
    )


def test_person_time_and_quotas_of_others_are_refused_to_a_vendor(team, world, logged):
    api = client_for(team["vendor"])
    other = team["user"].pk
    for path in (
        f"/api/data/persons/{other}/time-spents/2024-03-11",
        f"/api/data/persons/{other}/time-spents?start_date=2024-03-01&end_date=2024-03-31",
        f"/api/data/persons/{other}/time-spents/month/2024/03",
        f"/api/data/persons/{other}/time-spents/day/2024/03/11",
        f"/api/data/persons/{other}/quota-shots/month/2024/03",
        f"/api/data/persons/{other}/quota-shots/month/2024/03?project_id={world['show'].pk}",
    ):
        response = api.get(path)
        assert response.status_code == 403 and response.json()["error"] is True, path
    own = api.get(f"/api/data/persons/{team['vendor'].pk}/time-spents/2024-03-11").json()
    assert [row["id"] for row in own] == [str(logged["vendor"].pk)]


def test_task_entity_and_production_time_show_a_vendor_only_its_own(team, world, logged):
    """The reference shows a vendor everybody's time on the production and on their entities."""
    api = client_for(team["vendor"])
    hero, show = world["hero_task"], world["show"]
    body = api.get(f"/api/actions/tasks/{hero.pk}/time-spents").json()
    assert body == {"total": 30, str(team["vendor"].pk): [body[str(team["vendor"].pk)][0]]}
    rows = api.get(f"/api/data/entities/{world['hero'].pk}/time-spents").json()
    assert [row["id"] for row in rows] == [str(logged["vendor"].pk)]
    rows = api.get(f"/api/data/projects/{show.pk}/time-spents").json()
    assert [row["id"] for row in rows] == [str(logged["vendor"].pk)]
    rows = client_for(team["supervisor"]).get(f"/api/data/entities/{world['hero'].pk}/time-spents").json()
    assert {row["id"] for row in rows} == {str(logged["vendor"].pk), str(logged["manager"].pk)}
    assert (
        client_for(team["supervisor"]).get(f"/api/actions/tasks/{hero.pk}/time-spents").json()["total"] == 45
    )


# --- persons ----------------------------------------------------------------------------------------


def test_person_list_shows_a_client_only_the_teams_of_its_productions(team, world):
    """Unlike our former rule (everyone listed), as the reference's list: a client meets the
    teams of their open productions."""
    team_ids = {str(team[r].pk) for r in ("manager", "supervisor", "user", "client", "vendor")}
    rows = client_for(team["client"]).get("/api/data/persons").json()
    assert {row["id"] for row in rows} == team_ids
    everyone = {row["id"] for row in client_for(team["user"]).get("/api/data/persons").json()}
    assert str(world["stranger"].pk) in everyone and team_ids <= everyone
    stranger = world["stranger"].pk
    assert client_for(team["client"]).get(f"/api/data/persons/{stranger}").status_code == 403
    assert client_for(team["client"]).get(f"/api/data/persons/{team['user'].pk}").status_code == 200
    assert client_for(team["vendor"]).get(f"/api/data/persons/{stranger}").status_code == 200


def test_a_client_no_longer_meets_the_team_of_a_closed_production(team, world):
    ProjectPersonLink.objects.create(project=world["elsewhere"], person=team["client"])
    rows = client_for(team["client"]).get("/api/data/persons").json()
    assert str(world["stranger"].pk) in {row["id"] for row in rows}
    world["elsewhere"].project_status = factories.make_project_status("Closed")
    world["elsewhere"].save()
    rows = client_for(team["client"]).get("/api/data/persons").json()
    assert str(world["stranger"].pk) not in {row["id"] for row in rows}


def test_department_members_and_person_search_show_a_client_only_its_teams(team, world):
    """The reference lists a client every member of a department, and finds any person."""
    department = factories.make_department()
    for person in (team["user"], world["stranger"]):
        DepartmentLink.objects.create(department=department, person=person)
    rows = client_for(team["client"]).get(f"/api/data/departments/{department.pk}/persons").json()
    assert [row["id"] for row in rows] == [str(team["user"].pk)]
    rows = client_for(team["user"]).get(f"/api/data/departments/{department.pk}/persons").json()
    assert {row["id"] for row in rows} == {str(team["user"].pk), str(world["stranger"].pk)}
    found = client_for(team["client"]).post("/api/data/search", {"query": "stranger"}, format="json").json()
    assert found["persons"] == []
    found = client_for(team["user"]).post("/api/data/search", {"query": "stranger"}, format="json").json()
    assert [row["id"] for row in found["persons"]] == [str(world["stranger"].pk)]


def test_person_list_stays_within_a_bounded_number_of_queries(team, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client_for(team["client"]).get("/api/data/persons")
    for _ in range(20):
        factories.join(world["show"], factories.make_person(password=None))
    with django_assert_max_num_queries(5):
        assert len(client_for(team["client"]).get("/api/data/persons").json()) == 25
