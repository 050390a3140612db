"""The `user` routes of the logged-in person's context, open projects, time, day offs, desktop
logins and avatar."""

import datetime
import uuid

import pytest
from django.utils import timezone

from assets.models import EntityType
from files.models import PreviewBackgroundFile
from people.auth.authentication import KitsuAccessToken
from people.models import DayOff, DesktopLoginLog, Person, Plugin, SearchFilter, SearchFilterGroup
from productions.models import CustomAction, MetadataDescriptor, ProjectPersonLink
from tasks.models import ApiEvent, Notification, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

CONTEXT_KEYS = {
    "asset_types",
    "custom_actions",
    "status_automations",
    "departments",
    "studios",
    "notification_count",
    "persons",
    "project_status",
    "project_roles",
    "projects",
    "task_types",
    "task_status",
    "search_filters",
    "search_filter_groups",
    "preview_background_files",
    "plugins",
}
MINIMAL_PERSON_KEYS = {
    "id",
    "type",
    "first_name",
    "last_name",
    "full_name",
    "has_avatar",
    "active",
    "departments",
    "studio_id",
    "role",
    "desktop_login",
    "is_bot",
}
CLIENT_PERSON_KEYS = {
    "id",
    "type",
    "first_name",
    "last_name",
    "full_name",
    "has_avatar",
    "active",
    "role",
    "is_bot",
}


def get(person, path):
    return client_for(person).get(f"/api/data/user/{path}")


def bot_client():
    bot = factories.make_person(role="user", is_bot=True)
    token = KitsuAccessToken.for_person(bot, identity_type="bot")
    bot.jti = token["jti"]
    bot.save()
    client = client_for(bot)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


# --- context ----------------------------------------------------------------------------------------


def test_artist_context(show, team):
    artist, department = team["user"], factories.make_department("Layout")
    artist.departments.add(department)
    factories.make_project(name="Elsewhere")  # open, not theirs
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    ProjectPersonLink.objects.create(project=closed, person=artist)
    ProjectPersonLink.objects.filter(project=show, person=artist).update(role="supervisor")
    factories.make_person(first_name="Guest", is_guest=True)
    factories.make_asset_type("Character")
    EntityType.objects.get_or_create(name="Shot")
    CustomAction.objects.create(name="Open in tool", url="http://tool")
    Notification.objects.create(person=artist, author=team["manager"], type="comment")
    Notification.objects.create(person=artist, author=team["manager"], type="mention", read=True)
    Plugin.objects.create(plugin_id="stats", name="Stats", version="1.0", maintainer_name="Me", license="MIT")
    PreviewBackgroundFile.objects.create(name="Sky")

    response = get(artist, "context")
    assert response.status_code == 200
    context = response.json()
    assert set(context) == CONTEXT_KEYS  # no user limit for non-admins
    assert [row["name"] for row in context["asset_types"]] == ["Character"]
    assert context["asset_types"][0]["type"] == "AssetType" and context["asset_types"][0]["task_types"] == []
    assert [row["name"] for row in context["custom_actions"]] == ["Open in tool"]
    assert [row["name"] for row in context["departments"]] == ["Layout"]
    assert context["departments"][0]["type"] == "Department"
    assert context["notification_count"] == 1
    assert context["project_roles"] == {str(show.pk): "supervisor"}
    assert [row["name"] for row in context["projects"]] == ["Show"]
    project = context["projects"][0]
    assert project["type"] == "Project" and str(artist.pk) in project["team"]
    assert {"descriptors", "task_type_links", "task_statuses_link", "task_types_priority"} <= set(project)
    assert [row["name"] for row in context["project_status"]] == ["Closed", "Open"]
    assert context["plugins"] == [
        {
            "id": str(Plugin.objects.get().pk),
            "plugin_id": "stats",
            "name": "Stats",
            "description": None,
            "version": "1.0",
            "maintainer_name": "Me",
            "maintainer_email": None,
            "frontend_project_enabled": False,
            "frontend_studio_enabled": False,
            "icon": None,
        }
    ]
    assert [row["name"] for row in context["preview_background_files"]] == ["Sky"]
    assert context["search_filters"] == {} and context["search_filter_groups"] == {}
    # The directory in its minimal form, guests aside.
    persons = {row["id"]: row for row in context["persons"]}
    assert set(persons) == {str(person.pk) for person in team.values()}
    me = persons[str(artist.pk)]
    assert set(me) == MINIMAL_PERSON_KEYS
    assert me["departments"] == [str(department.pk)] and me["full_name"] == "User Member"
    assert me["type"] == "Person" and me["role"] == "user"


def test_admin_and_manager_contexts_hold_whole_persons(show, team):
    admin_context = get(team["admin"], "context").json()
    assert set(admin_context) == CONTEXT_KEYS | {"user_limit"}
    assert isinstance(admin_context["user_limit"], int)
    assert [row["name"] for row in admin_context["projects"]] == ["Show"]  # every open project
    manager_context = get(team["manager"], "context").json()
    assert set(manager_context) == CONTEXT_KEYS
    for context in (admin_context, manager_context):
        person = next(row for row in context["persons"] if row["id"] == str(team["user"].pk))
        assert person["email"] == team["user"].email and person["full_name"] == "User Member"
        assert person["departments"] == [] and person["type"] == "Person"
        for secret in ("password", "totp_secret", "jti", "otp_recovery_codes", "fido_credentials"):
            assert secret not in person
    assert get(team["outsider"], "context").json()["projects"] == []


def test_client_context_meets_the_teams_of_their_open_projects(show, team):
    other = factories.make_project(name="Other")
    stranger = factories.make_person(role="user", first_name="Aaron", last_name="Stranger")
    ProjectPersonLink.objects.create(project=other, person=stranger)
    context = get(team["client"], "context").json()
    names = [row["full_name"] for row in context["persons"]]
    assert names == sorted(
        f"{role.title()} Member" for role in ("manager", "supervisor", "user", "client", "vendor")
    )
    assert all(set(row) == CLIENT_PERSON_KEYS for row in context["persons"])
    vendor_context = get(team["vendor"], "context").json()
    assert set(vendor_context["persons"][0]) == MINIMAL_PERSON_KEYS


def test_context_search_filters_by_list_type_and_project(show, team):
    artist, manager = team["user"], team["manager"]
    mine = factories.make_department("Mine")
    theirs = factories.make_department("Theirs")
    artist.departments.add(mine)
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    SearchFilter.objects.create(list_type="asset", name="mine", search_query="a", person=artist)
    SearchFilter.objects.create(
        list_type="asset", name="in show", search_query="b", person=artist, project=show
    )
    SearchFilter.objects.create(
        list_type="shot", name="shared", search_query="c", person=manager, is_shared=True
    )
    SearchFilter.objects.create(list_type="shot", name="private", search_query="d", person=manager)
    SearchFilter.objects.create(
        list_type="asset", name="closed", search_query="e", person=artist, project=closed
    )
    SearchFilter.objects.create(
        list_type="edit", name="dept", search_query="f", person=manager, is_shared=True, department=mine
    )
    SearchFilter.objects.create(
        list_type="edit",
        name="other dept",
        search_query="g",
        person=manager,
        is_shared=True,
        department=theirs,
    )
    SearchFilterGroup.objects.create(
        list_type="todo", name="g", color="#fff", person=manager, is_shared=True, department=theirs
    )
    filters = get(artist, "context").json()["search_filters"]
    assert {
        key: {p: [f["name"] for f in rows] for p, rows in value.items()} for key, value in filters.items()
    } == {
        "asset": {"all": ["mine"], str(show.pk): ["in show"]},
        "shot": {"all": ["shared"]},
        "edit": {"all": ["dept"]},
    }
    assert filters["asset"]["all"][0]["type"] == "SearchFilter"
    # A group of another department: its list type shows, empty, as on the reference.
    assert get(artist, "context").json()["search_filter_groups"] == {"todo": {}}
    manager_filters = get(manager, "context").json()["search_filters"]
    assert [row["name"] for row in manager_filters["edit"]["all"]] == ["dept", "other dept"]
    assert [row["name"] for row in manager_filters["shot"]["all"]] == ["shared", "private"]
    assert [row["name"] for row in get(manager, "context").json()["search_filter_groups"]["todo"]["all"]] == [
        "g"
    ]


def test_user_routes_refuse_bots_and_anonymous_callers(team):
    assert bot_client().get("/api/data/user/context").status_code == 403
    assert bot_client().get("/api/data/user/tasks").status_code == 403
    anonymous = client_for(team["user"])
    anonymous.credentials()
    assert anonymous.get("/api/data/user/context").status_code == 401


def test_context_runs_a_bounded_number_of_queries(show, team, django_assert_max_num_queries):
    for role in ("user", "admin", "client"):
        with django_assert_max_num_queries(34):
            assert get(team[role], "context").status_code == 200, role
    department = factories.make_department("Lots")
    for n in range(15):
        person = factories.make_person(role="user")
        person.departments.add(department)
        project = factories.make_project(name=f"Show {n:02d}", production_type="tvshow")
        factories.make_episode(project)
        for member in (person, team["user"], team["client"]):
            ProjectPersonLink.objects.create(project=project, person=member)
        MetadataDescriptor.objects.create(
            project=project, name="Level", field_name="level", entity_type="Asset"
        )
        SearchFilter.objects.create(list_type="asset", name=f"f{n}", search_query="x", person=team["user"])
        factories.make_asset_type(f"Type {n}")
    for role in ("user", "admin", "client"):
        with django_assert_max_num_queries(34):
            context = get(team[role], "context").json()
        assert len(context["projects"]) == 16, role


# --- open projects ------------------------------------------------------------------------------------


def test_open_projects_of_the_requesters_team(show, team):
    factories.make_project(name="Elsewhere")
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    ProjectPersonLink.objects.create(project=closed, person=team["user"])
    rows = get(team["user"], "projects/open").json()
    assert [row["name"] for row in rows] == ["Show"]
    assert rows[0]["id"] == str(show.pk) and rows[0]["descriptors"] == [] and rows[0]["type"] == "Project"
    assert [row["name"] for row in get(team["admin"], "projects/open").json()] == ["Elsewhere", "Show"]
    assert [row["name"] for row in get(team["admin"], "projects/open?name=Show").json()] == ["Show"]
    assert get(team["user"], "projects/open?name=Elsewhere").json() == []
    assert get(team["outsider"], "projects/open").json() == []


def test_open_projects_narrow_descriptors_on_the_role_held(show, team):
    MetadataDescriptor.objects.create(
        project=show, name="Public", field_name="public", entity_type="Asset", for_client=True
    )
    MetadataDescriptor.objects.create(project=show, name="Studio", field_name="studio", entity_type="Asset")
    artist_names = [d["name"] for d in get(team["user"], "projects/open").json()[0]["descriptors"]]
    assert sorted(artist_names) == ["Public", "Studio"]
    client_names = [d["name"] for d in get(team["client"], "projects/open").json()[0]["descriptors"]]
    assert client_names == ["Public"]


# --- time spents and day offs -------------------------------------------------------------------------


@pytest.fixture
def logged(show, team):
    """The artist's time on two tasks over two days, and someone else's."""
    asset = factories.make_asset(show, name="Hero")
    modeling, rigging = factories.make_task(asset), factories.make_task(asset, name="rig")
    artist = team["user"]
    rows = {
        "monday": TimeSpent.objects.create(
            task=modeling, person=artist, date=datetime.date(2024, 3, 4), duration=60
        ),
        "monday_rig": TimeSpent.objects.create(
            task=rigging, person=artist, date=datetime.date(2024, 3, 4), duration=30
        ),
        "tuesday": TimeSpent.objects.create(
            task=modeling, person=artist, date=datetime.date(2024, 3, 5), duration=120
        ),
        "other": TimeSpent.objects.create(
            task=modeling, person=team["manager"], date=datetime.date(2024, 3, 4), duration=15
        ),
    }
    return {"modeling": modeling, "rigging": rigging, "rows": rows}


def test_time_spents_of_a_day_and_of_a_task(team, logged):
    artist, rows = team["user"], logged["rows"]
    day = get(artist, "time-spents/2024-03-04").json()
    assert sorted(row["id"] for row in day) == sorted([str(rows["monday"].pk), str(rows["monday_rig"].pk)])
    assert day[0]["type"] == "TimeSpent" and day[0]["person_id"] == str(artist.pk)
    assert get(team["outsider"], "time-spents/2024-03-04").json() == []
    one = get(artist, f"tasks/{logged['modeling'].pk}/time-spents/2024-03-04").json()
    assert one["id"] == str(rows["monday"].pk) and one["duration"] == 60 and one["date"] == "2024-03-04"
    response = get(artist, f"tasks/{logged['modeling'].pk}/time-spents/2024-03-06")
    assert response.status_code == 200 and response.json() is None
    assert get(team["outsider"], f"tasks/{logged['modeling'].pk}/time-spents/2024-03-04").json() is None
    for path in ("time-spents/yesterday", f"tasks/{logged['modeling'].pk}/time-spents/2024-13-45"):
        response = get(artist, path)
        assert response.status_code == 400 and response.json()["message"] == "Wrong date format.", path
    response = get(artist, "tasks/nope/time-spents/2024-03-04")
    assert response.status_code == 400 and response.json()["message"] == "Malformed ID: nope."


def test_time_spents_of_a_range(show, team, logged):
    artist, rows = team["user"], logged["rows"]
    spans = get(artist, "time-spents?start_date=2024-03-01&end_date=2024-03-04").json()
    assert sorted(row["id"] for row in spans) == sorted([str(rows["monday"].pk), str(rows["monday_rig"].pk)])
    assert all(row["project_id"] == str(show.pk) for row in spans)
    assert {row["task_type_id"] for row in spans} == {
        str(logged["modeling"].task_type_id),
        str(logged["rigging"].task_type_id),
    }
    assert len(get(artist, "time-spents?start_date=2024-03-01&end_date=2024-03-31").json()) == 3
    assert get(artist, "time-spents").json() == []
    response = get(artist, "time-spents?start_date=2024-03-01")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "If querying for a range of dates, both a `start_date` and an `end_date` must be given."
    )
    response = get(artist, "time-spents?start_date=2024-03-01&end_date=x")
    assert response.status_code == 400
    assert response.json()["message"] == "Wrong date format for 2024-03-01 and/or x"


def test_time_spents_run_a_bounded_number_of_queries(team, logged, django_assert_max_num_queries):
    artist = team["user"]
    with django_assert_max_num_queries(4):
        assert len(get(artist, "time-spents?start_date=2024-01-01&end_date=2024-12-31").json()) == 3
    for day in range(1, 28):
        TimeSpent.objects.create(
            task=logged["rigging"], person=artist, date=datetime.date(2024, 2, day), duration=10
        )
    with django_assert_max_num_queries(4):
        assert len(get(artist, "time-spents?start_date=2024-01-01&end_date=2024-12-31").json()) == 30


def test_day_off_of_a_date(team):
    artist = team["user"]
    leave = DayOff.objects.create(
        person=artist, date=datetime.date(2024, 8, 5), end_date=datetime.date(2024, 8, 9), description="Sea"
    )
    DayOff.objects.create(
        person=team["manager"], date=datetime.date(2024, 9, 2), end_date=datetime.date(2024, 9, 2)
    )
    row = get(artist, "day-offs/2024-08-07").json()
    assert row["id"] == str(leave.pk) and row["description"] == "Sea" and row["type"] == "DayOff"
    assert row["date"] == "2024-08-05" and row["end_date"] == "2024-08-09"
    assert get(artist, "day-offs/2024-08-10").json() == {}
    assert get(artist, "day-offs/2024-09-02").json() == {}  # someone else's
    response = get(artist, "day-offs/august")
    assert response.status_code == 400 and response.json() == {"error": True, "message": "Wrong date format."}


# --- desktop logins and avatar -------------------------------------------------------------------------


def test_desktop_login_logs(team):
    artist = team["user"]
    DesktopLoginLog.objects.create(person=team["manager"], date=timezone.now())
    api = client_for(artist)
    response = api.post("/api/data/user/desktop-login-logs", {"date": "2024-03-20T09:30:00"}, format="json")
    assert response.status_code == 201
    log = response.json()
    assert log["type"] == "DesktopLoginLog" and log["person_id"] == str(artist.pk)
    assert log["date"] == "2024-03-20T09:30:00"
    assert Person.objects.get(pk=artist.pk).last_presence == datetime.date(2024, 3, 20)
    assert ApiEvent.objects.filter(name="person:update", data__person_id=str(artist.pk)).count() == 1
    assert api.post("/api/data/user/desktop-login-logs", {}, format="json").status_code == 201  # now
    rows = get(artist, "desktop-login-logs").json()
    assert [row["date"][:10] for row in rows] == [timezone.now().date().isoformat(), "2024-03-20"]
    assert get(team["outsider"], "desktop-login-logs").json() == []


def test_desktop_login_log_bad_date_writes_nothing(team):
    response = client_for(team["user"]).post(
        "/api/data/user/desktop-login-logs", {"date": "yesterday"}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"] is True
    assert "date" in response.json()["message"]
    assert not DesktopLoginLog.objects.exists()
    assert bot_client().post("/api/data/user/desktop-login-logs", {}, format="json").status_code == 403
    assert not DesktopLoginLog.objects.exists()


def test_clear_avatar(team):
    artist = team["user"]
    Person.objects.filter(pk__in=[artist.pk, team["manager"].pk]).update(has_avatar=True)
    assert client_for(artist).delete("/api/actions/user/clear-avatar").status_code == 204
    assert Person.objects.get(pk=artist.pk).has_avatar is False
    assert Person.objects.get(pk=team["manager"].pk).has_avatar is True
    assert ApiEvent.objects.filter(name="person:update", data__person_id=str(artist.pk)).count() == 1
    assert bot_client().delete("/api/actions/user/clear-avatar").status_code == 403
    assert ApiEvent.objects.filter(name="person:update").count() == 1


def test_unknown_ids_do_not_reach_the_database_as_garbage(team):
    """A malformed or missing id in the time routes answers cleanly, never a 500."""
    artist = team["user"]
    assert get(artist, f"tasks/{uuid.uuid4()}/time-spents/2024-01-01").json() is None
