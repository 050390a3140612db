"""The persons routes: account actions of admins, timesheets and time tables, day offs, quotas,
desktop logins and presence, with the reference's rules on who reads whose time."""

import datetime

import pytest
from django.utils import timezone

from people.auth import passwords
from people.models import AuthToken, DayOff, DepartmentLink, DesktopLoginLog, Person
from productions.models import ProjectPersonLink
from tasks.models import ApiEvent, TaskPersonLink, TimeSpent
from tests import factories
from tests.factories import client_for
from tests.user.test_user_context_routes import CLIENT_PERSON_KEYS, MINIMAL_PERSON_KEYS

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-4000-8000-000000000001"


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def log_time(task, person, day, duration):
    time_spent = TimeSpent.objects.create(task=task, person=person, date=day, duration=duration)
    task.duration = sum(TimeSpent.objects.filter(task=task).values_list("duration", flat=True))
    task.save(update_fields=["duration"])
    return time_spent


def assign(task, person):
    TaskPersonLink.objects.create(task=task, person=person)


@pytest.fixture
def studio():
    """A production with a manager, a supervisor of Animation, an artist, a client and a vendor;
    an outsider manager, an admin. Two shot tasks of the artist: Animation on SH01 (180 minutes
    logged in March 2024) and Layout on SH02 (30 in March, 30 on 2024-12-30)."""
    show = factories.make_project(name="Show", fps="25")
    animation = factories.make_department("Animation")
    layout = factories.make_department("Layout")
    people = {
        role: factories.make_person(role=role, first_name=role.title(), last_name="Doe")
        for role in ("manager", "supervisor", "user", "client", "vendor")
    }
    for person in people.values():
        ProjectPersonLink.objects.create(project=show, person=person)
    people["outsider"] = factories.make_person(role="manager", first_name="Out", last_name="Sider")
    people["admin"] = factories.make_person(role="admin", first_name="Ad", last_name="Min")
    DepartmentLink.objects.create(person=people["supervisor"], department=animation)
    anim = factories.make_task_type("Animation", for_entity="Shot", department=animation)
    lay = factories.make_task_type("Layout", for_entity="Shot", department=layout)
    sequence = factories.make_sequence(show, name="SQ01")
    sh01 = factories.make_shot(show, sequence, name="SH01", nb_frames=48)
    sh02 = factories.make_shot(show, sequence, name="SH02", nb_frames=24)
    ended = {"end_date": utc(2024, 3, 15, 10), "real_start_date": utc(2024, 3, 11, 10)}
    t1 = factories.make_task(sh01, anim, **ended)
    t2 = factories.make_task(sh02, lay, **ended)
    artist = people["user"]
    for task in (t1, t2):
        assign(task, artist)
    log_time(t1, artist, datetime.date(2024, 3, 15), 120)
    log_time(t1, artist, datetime.date(2024, 3, 14), 60)
    log_time(t2, artist, datetime.date(2024, 3, 15), 30)
    log_time(t2, artist, datetime.date(2024, 12, 30), 30)
    return {
        "show": show,
        "people": people,
        "artist": artist,
        "animation": animation,
        "layout": layout,
        "anim": anim,
        "lay": lay,
        "sequence": sequence,
        "shots": (sh01, sh02),
        "tasks": (t1, t2),
    }


# --- account actions ----------------------------------------------------------------------------


def test_admin_changes_a_password_and_the_person_is_told(
    studio, mailoutbox, django_capture_on_commit_callbacks
):
    admin, artist = studio["people"]["admin"], studio["artist"]
    body = {"password": "brand-new-pass", "password_2": "brand-new-pass"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            f"/api/actions/persons/{artist.pk}/change-password", body, format="json"
        )
    assert response.status_code == 200 and response.json() == {"success": True}
    artist.refresh_from_db()
    assert artist.check_password("brand-new-pass")
    assert [message.to for message in mailoutbox] == [[artist.email]]


@pytest.mark.parametrize(
    "body, message",
    [
        (
            {"password": "brand-new-pass", "password_2": "other-new-pass"},
            "Confirmation password doesn't match.",
        ),
        ({"password": "short", "password_2": "short"}, "Password is too short."),
        ({"password": "brand-new-pass"}, "password_2"),
    ],
)
def test_change_password_bad_input_changes_nothing(studio, body, message):
    admin, artist = studio["people"]["admin"], studio["artist"]
    before = Person.objects.get(pk=artist.pk).password
    response = client_for(admin).post(
        f"/api/actions/persons/{artist.pk}/change-password", body, format="json"
    )
    assert response.status_code == 400 and message in response.json()["message"]
    assert Person.objects.get(pk=artist.pk).password == before


def test_change_password_refusals(studio):
    people = studio["people"]
    body = {"password": "brand-new-pass", "password_2": "brand-new-pass"}
    url = f"/api/actions/persons/{studio['artist'].pk}/change-password"
    for role in ("manager", "user"):
        assert client_for(people[role]).post(url, body, format="json").status_code == 403
    other_admin = factories.make_person(role="admin")
    response = client_for(people["admin"]).post(
        f"/api/actions/persons/{other_admin.pk}/change-password", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "An admin can't change another admin's password."
    # An admin who never had a password gets one.
    fresh_admin = Person.objects.create_user(email="fresh@example.com", role="admin")
    response = client_for(people["admin"]).post(
        f"/api/actions/persons/{fresh_admin.pk}/change-password", body, format="json"
    )
    assert response.status_code == 200
    assert (
        client_for(people["admin"])
        .post(f"/api/actions/persons/{MISSING}/change-password", body, format="json")
        .status_code
        == 404
    )
    bot = factories.make_person(role="user", is_bot=True)
    assert (
        client_for(people["admin"])
        .post(f"/api/actions/persons/{bot.pk}/change-password", body, format="json")
        .status_code
        == 403
    )


def test_clear_avatar(studio):
    admin, artist = studio["people"]["admin"], studio["artist"]
    Person.objects.filter(pk=artist.pk).update(has_avatar=True)
    assert client_for(artist).delete(f"/api/actions/persons/{artist.pk}/clear-avatar").status_code == 403
    assert Person.objects.get(pk=artist.pk).has_avatar is True
    assert client_for(admin).delete(f"/api/actions/persons/{artist.pk}/clear-avatar").status_code == 204
    assert Person.objects.get(pk=artist.pk).has_avatar is False
    assert ApiEvent.objects.filter(name="person:update", data__person_id=str(artist.pk)).count() == 1
    assert client_for(admin).delete(f"/api/actions/persons/{MISSING}/clear-avatar").status_code == 404


def test_admin_adds_and_removes_a_department(studio):
    admin, artist, layout = studio["people"]["admin"], studio["artist"], studio["layout"]
    url = f"/api/actions/persons/{artist.pk}/departments/add"
    response = client_for(admin).post(url, {"department_id": str(layout.pk)}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == str(artist.pk) and body["type"] == "Person"
    assert body["departments"] == [str(layout.pk)] and body["full_name"] == "User Doe"
    assert "password" not in body
    # Adding twice keeps one link.
    assert client_for(admin).post(url, {"department_id": str(layout.pk)}, format="json").status_code == 201
    assert DepartmentLink.objects.filter(person=artist).count() == 1
    remove = f"/api/actions/persons/{artist.pk}/departments/{layout.pk}"
    assert client_for(admin).delete(remove).status_code == 204
    assert not DepartmentLink.objects.filter(person=artist).exists()
    assert ApiEvent.objects.filter(name="person:update", data__person_id=str(artist.pk)).count() == 3


def test_department_membership_refusals_write_nothing(studio):
    admin, artist, layout = studio["people"]["admin"], studio["artist"], studio["layout"]
    url = f"/api/actions/persons/{artist.pk}/departments/add"
    assert client_for(artist).post(url, {"department_id": str(layout.pk)}, format="json").status_code == 403
    response = client_for(admin).post(url, {"department_id": MISSING}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "Department ID matches no department"
    assert client_for(admin).post(url, {"department_id": "nope"}, format="json").status_code == 400
    assert client_for(admin).post(url, {}, format="json").status_code == 400
    missing_person = f"/api/actions/persons/{MISSING}/departments/add"
    assert (
        client_for(admin).post(missing_person, {"department_id": str(layout.pk)}, format="json").status_code
        == 404
    )
    assert not DepartmentLink.objects.filter(person=artist).exists()
    remove = f"/api/actions/persons/{artist.pk}/departments/{MISSING}"
    assert client_for(admin).delete(remove).status_code == 400
    assert (
        client_for(artist).delete(f"/api/actions/persons/{artist.pk}/departments/{layout.pk}").status_code
        == 403
    )
    assert not ApiEvent.objects.filter(name="person:update").exists()


def test_admin_disables_two_factor_authentication(studio, mailoutbox, django_capture_on_commit_callbacks):
    admin, artist = studio["people"]["admin"], studio["artist"]
    Person.objects.filter(pk=artist.pk).update(
        totp_enabled=True,
        totp_secret="ABCDEFGHIJKLMNOP",
        otp_recovery_codes=["hash"],
        preferred_two_factor_authentication="totp",
    )
    url = f"/api/actions/persons/{artist.pk}/disable-two-factor-authentication"
    assert client_for(artist).delete(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).delete(url)
    assert response.status_code == 200 and response.json() == {"success": True}
    artist.refresh_from_db()
    assert (artist.totp_enabled, artist.totp_secret, artist.otp_recovery_codes) == (False, None, None)
    assert artist.preferred_two_factor_authentication is None
    assert len(mailoutbox) == 1
    response = client_for(admin).delete(url)
    assert response.status_code == 400
    assert response.json()["message"] == "Two factor authentication not enabled for this user."
    other_admin = factories.make_person(role="admin", totp_enabled=True)
    response = client_for(admin).delete(
        f"/api/actions/persons/{other_admin.pk}/disable-two-factor-authentication"
    )
    assert response.status_code == 400 and Person.objects.get(pk=other_admin.pk).totp_enabled is True
    missing = f"/api/actions/persons/{MISSING}/disable-two-factor-authentication"
    assert client_for(admin).delete(missing).status_code == 404


def test_invitation_mails_a_working_link(studio, mailoutbox, django_capture_on_commit_callbacks):
    admin, artist = studio["people"]["admin"], studio["artist"]
    assert client_for(artist).get(f"/api/actions/persons/{artist.pk}/invite").status_code == 403
    assert not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).get(f"/api/actions/persons/{artist.pk}/invite")
    assert response.status_code == 200 and response.json() == {"success": True, "message": "Email sent"}
    assert mailoutbox[0].to == [artist.email]
    link = next(line for line in mailoutbox[0].body.splitlines() if "reset-change-password" in line)
    assert link.endswith("&type=new")
    token = link.split("token=")[1].split("&")[0]
    passwords.reset_password(artist.email, token, "chosen-password", "chosen-password")
    assert Person.objects.get(pk=artist.pk).check_password("chosen-password")
    assert client_for(admin).get(f"/api/actions/persons/{MISSING}/invite").status_code == 404


def test_reset_password_link(studio):
    admin, artist = studio["people"]["admin"], studio["artist"]
    url = f"/api/actions/persons/{artist.pk}/reset-password-link"
    assert client_for(artist).post(url).status_code == 403
    first = client_for(admin).post(url).json()["reset_password_link"]
    second = client_for(admin).post(url).json()["reset_password_link"]
    assert "/reset-change-password?email=" in first
    # A link handed out earlier keeps working.
    token = first.split("token=")[1]
    passwords.reset_password(artist.email, token, "chosen-password", "chosen-password")
    assert Person.objects.get(pk=artist.pk).check_password("chosen-password")
    assert second != first
    assert not AuthToken.objects.filter(person=artist).exists()  # a reset uses every link up
    other_admin = factories.make_person(role="admin")
    response = client_for(admin).post(f"/api/actions/persons/{other_admin.pk}/reset-password-link")
    assert response.status_code == 400 and not AuthToken.objects.filter(person=other_admin).exists()
    assert client_for(admin).post(f"/api/actions/persons/{MISSING}/reset-password-link").status_code == 404


# --- desktop logins and presence -----------------------------------------------------------------


def test_desktop_login_logs_write_and_read(studio):
    people, artist = studio["people"], studio["artist"]
    url = f"/api/data/persons/{artist.pk}/desktop-login-logs"
    response = client_for(artist).post(url, {"date": "2024-03-20T09:30:00"}, format="json")
    assert response.status_code == 201
    log = response.json()
    assert log["type"] == "DesktopLoginLog" and log["date"] == "2024-03-20T09:30:00"
    assert log["person_id"] == str(artist.pk)
    # The last presence follows the latest login or time spent (a time spent of 2024-12-30 here).
    assert Person.objects.get(pk=artist.pk).last_presence == datetime.date(2024, 12, 30)
    assert ApiEvent.objects.filter(name="person:update", data__person_id=str(artist.pk)).exists()
    assert client_for(artist).post(url, {}, format="json").status_code == 201  # now
    assert Person.objects.get(pk=artist.pk).last_presence == timezone.now().date()
    rows = client_for(people["manager"]).get(url).json()
    assert [row["date"][:10] for row in rows] == [timezone.now().date().isoformat(), "2024-03-20"]
    assert client_for(artist).get(url).status_code == 200
    assert client_for(people["supervisor"]).get(url).status_code == 403
    assert (
        client_for(people["manager"]).get(f"/api/data/persons/{MISSING}/desktop-login-logs").status_code
        == 404
    )


def test_desktop_login_log_refusals_write_nothing(studio):
    people, artist = studio["people"], studio["artist"]
    url = f"/api/data/persons/{artist.pk}/desktop-login-logs"
    assert client_for(people["manager"]).post(url, {}, format="json").status_code == 403
    assert client_for(artist).post(url, {"date": "yesterday"}, format="json").status_code == 400
    assert not DesktopLoginLog.objects.exists()
    assert client_for(people["admin"]).post(url, {}, format="json").status_code == 201


def test_presence_logs_csv(studio):
    admin, artist = studio["people"]["admin"], studio["artist"]
    DesktopLoginLog.objects.create(person=artist, date=utc(2024, 3, 5, 8))
    DesktopLoginLog.objects.create(person=artist, date=utc(2024, 3, 5, 17))
    DesktopLoginLog.objects.create(person=artist, date=utc(2024, 4, 5, 8))  # another month
    response = client_for(admin).get("/api/data/persons/presence-logs/2024-03")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == "attachment; filename=kitsu_export.csv"
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "2024;" + ";".join(str(day) for day in range(1, 32))
    artist_line = next(line for line in lines if line.startswith("User Doe;"))
    cells = artist_line.split(";")
    assert cells[5] == "X" and cells.count("X") == 1
    assert client_for(artist).get("/api/data/persons/presence-logs/2024-03").status_code == 403
    assert client_for(admin).get("/api/data/persons/presence-logs/2024-13").status_code == 400


# --- time spents of a person -----------------------------------------------------------------------


def test_time_spents_of_a_range(studio):
    artist, (t1, t2) = studio["artist"], studio["tasks"]
    url = f"/api/data/persons/{artist.pk}/time-spents?start_date=2024-03-01&end_date=2024-03-31"
    rows = client_for(artist).get(url).json()
    assert sorted((row["date"], row["duration"]) for row in rows) == [
        ("2024-03-14", 60.0),
        ("2024-03-15", 30.0),
        ("2024-03-15", 120.0),
    ]
    by_task = {row["task_id"]: row for row in rows}
    assert by_task[str(t2.pk)]["project_id"] == str(studio["show"].pk)
    assert by_task[str(t2.pk)]["task_type_id"] == str(studio["lay"].pk)
    assert by_task[str(t1.pk)]["type"] == "TimeSpent"
    # The supervisor of Animation reads the Animation time only.
    rows = client_for(studio["people"]["supervisor"]).get(url).json()
    assert {row["task_id"] for row in rows} == {str(t1.pk)}
    assert client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents").json() == []


def test_time_spents_of_a_range_bad_input_and_refusals(studio):
    people, artist = studio["people"], studio["artist"]
    base = f"/api/data/persons/{artist.pk}/time-spents"
    response = client_for(artist).get(f"{base}?start_date=2024-03-01")
    assert (
        response.status_code == 400 and "both a `start_date` and an `end_date`" in response.json()["message"]
    )
    response = client_for(artist).get(f"{base}?start_date=bad&end_date=2024-03-31")
    assert response.json()["message"] == "Wrong date format for bad and/or 2024-03-31"
    other = factories.make_person(role="user")
    for role_person in (other, people["client"], people["vendor"]):
        assert (
            client_for(role_person).get(f"{base}?start_date=2024-03-01&end_date=2024-03-31").status_code
            == 403
        )
    assert client_for(people["admin"]).get(f"/api/data/persons/{MISSING}/time-spents").status_code == 404
    assert client_for(people["admin"]).get("/api/data/persons/nope/time-spents").status_code == 404


def test_time_spents_of_a_day(studio):
    people, artist = studio["people"], studio["artist"]
    url = f"/api/data/persons/{artist.pk}/time-spents/2024-03-15"
    assert sorted(row["duration"] for row in client_for(people["manager"]).get(url).json()) == [30.0, 120.0]
    # A manager reads the time of their productions only.
    assert client_for(people["outsider"]).get(url).json() == []
    bad = client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents/2024-02-30")
    assert bad.status_code == 400 and bad.json()["message"] == "Invalid month or year."


def test_all_time_spents_of_a_month_for_the_person_and_admins(studio):
    people, artist = studio["people"], studio["artist"]
    url = f"/api/data/persons/{artist.pk}/time-spents/month/all/2024/03"
    assert len(client_for(artist).get(url).json()) == 3
    assert len(client_for(people["admin"]).get(url).json()) == 3
    assert client_for(people["manager"]).get(url).status_code == 403
    assert (
        client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents/month/all/2024/13").status_code
        == 400
    )


def test_timesheet_sums_per_task(studio):
    people, artist, (t1, t2) = studio["people"], studio["artist"], studio["tasks"]
    rows = client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents/year/2024").json()
    assert rows == [
        {
            "task_id": str(t1.pk),
            "task_type_id": str(studio["anim"].pk),
            "project_id": str(studio["show"].pk),
            "project_name": "Show",
            "entity_name": "SH01",
            "entity_type_name": "Shot",
            "sequence_name": "SQ01",
            "episode_name": None,
            "duration": 180.0,
        },
        {
            "task_id": str(t2.pk),
            "task_type_id": str(studio["lay"].pk),
            "project_id": str(studio["show"].pk),
            "project_name": "Show",
            "entity_name": "SH02",
            "entity_type_name": "Shot",
            "sequence_name": "SQ01",
            "episode_name": None,
            "duration": 60.0,
        },
    ]
    month = client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents/month/2024/03").json()
    assert [row["duration"] for row in month] == [180.0, 30.0]
    week = client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents/week/2024/11").json()
    assert [row["duration"] for row in week] == [180.0, 30.0]
    # 2024-12-30 is in ISO week 1 of 2025.
    week = client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents/week/2025/1").json()
    assert [(row["entity_name"], row["duration"]) for row in week] == [("SH02", 30.0)]
    day = client_for(artist).get(f"/api/data/persons/{artist.pk}/time-spents/day/2024/03/15").json()
    assert [row["duration"] for row in day] == [120.0, 30.0]
    supervised = (
        client_for(people["supervisor"]).get(f"/api/data/persons/{artist.pk}/time-spents/year/2024").json()
    )
    assert [row["task_id"] for row in supervised] == [str(t1.pk)]


def test_timesheet_project_filter_and_refusals(studio):
    people, artist, show = studio["people"], studio["artist"], studio["show"]
    base = f"/api/data/persons/{artist.pk}/time-spents/year/2024"
    other = factories.make_project(name="Other")
    assert len(client_for(people["manager"]).get(f"{base}?project_id={show.pk}").json()) == 2
    assert client_for(people["manager"]).get(f"{base}?project_id={other.pk}").status_code == 403
    assert client_for(artist).get(f"{base}?project_id={other.pk}").json() == []
    assert client_for(people["outsider"]).get(base).json() == []
    assert client_for(people["client"]).get(base).status_code == 403
    assert client_for(people["admin"]).get(f"{base}?project_id=nope").status_code == 400
    for url, message in [
        (f"/api/data/persons/{artist.pk}/time-spents/year/abc", "Invalid date format."),
        (f"/api/data/persons/{artist.pk}/time-spents/month/2024/13", "Invalid date format."),
        (f"/api/data/persons/{artist.pk}/time-spents/week/2024/60", "Invalid month or year."),
        (f"/api/data/persons/{artist.pk}/time-spents/day/2024/02/30", "Invalid month or year."),
    ]:
        response = client_for(artist).get(url)
        assert response.status_code == 400 and response.json()["message"] == message, url
    assert (
        client_for(people["admin"]).get(f"/api/data/persons/{MISSING}/time-spents/year/2024").status_code
        == 404
    )


def test_timesheet_and_tables_run_bounded_queries(studio, django_assert_max_num_queries):
    artist, show, anim = studio["artist"], studio["show"], studio["anim"]
    sequence = studio["sequence"]
    for n in range(30):
        shot = factories.make_shot(show, sequence, name=f"BULK{n:02d}")
        task = factories.make_task(shot, anim)
        log_time(task, artist, datetime.date(2024, 3, 1 + n % 28), 10)
        log_time(task, factories.make_person(), datetime.date(2024, 3, 1 + n % 28), 5)
    api = client_for(studio["people"]["manager"])
    with django_assert_max_num_queries(8):
        rows = api.get(f"/api/data/persons/{artist.pk}/time-spents/month/2024/03").json()
    assert len(rows) == 32
    with django_assert_max_num_queries(8):
        table = api.get("/api/data/persons/time-spents/day-table/2024/03").json()
    assert len(table["1"]) == 3  # the artist and the two persons of days 1
    with django_assert_max_num_queries(8):
        rows = api.get(
            f"/api/data/persons/{artist.pk}/time-spents?start_date=2024-03-01&end_date=2024-03-31"
        ).json()
    assert len(rows) == 33


# --- studio time tables ----------------------------------------------------------------------------


def test_time_tables_for_admins(studio):
    admin, artist = studio["people"]["admin"], str(studio["artist"].pk)
    api = client_for(admin)
    assert api.get("/api/data/persons/time-spents/month-table/2024").json() == {
        "3": {artist: 210.0},
        "12": {artist: 30.0},
    }
    assert api.get("/api/data/persons/time-spents/week-table/2024").json() == {
        "11": {artist: 210.0},
        "1": {artist: 30.0},
    }
    assert api.get("/api/data/persons/time-spents/day-table/2024/03").json() == {
        "14": {artist: 60.0},
        "15": {artist: 150.0},
    }
    assert api.get("/api/data/persons/time-spents/year-table").json() == {"2024": {artist: 240.0}}
    animation = studio["animation"].pk
    assert api.get(f"/api/data/persons/time-spents/month-table/2024?department_id={animation}").json() == {
        "3": {artist: 180.0}
    }


def test_time_tables_by_role(studio):
    people, artist = studio["people"], studio["artist"]
    other = factories.make_person(role="user")
    log_time(studio["tasks"][0], other, datetime.date(2024, 3, 2), 15)
    # An artist sees their own time only.
    own = client_for(artist).get("/api/data/persons/time-spents/month-table/2024").json()
    assert own == {"3": {str(artist.pk): 210.0}, "12": {str(artist.pk): 30.0}}
    # A supervisor, the time of their departments on their productions.
    supervised = client_for(people["supervisor"]).get("/api/data/persons/time-spents/month-table/2024").json()
    assert supervised == {"3": {str(artist.pk): 180.0, str(other.pk): 15.0}}
    layout = studio["layout"].pk
    response = client_for(people["supervisor"]).get(
        f"/api/data/persons/time-spents/month-table/2024?department_id={layout}"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Supervisor not allowed to access this department"
    # A manager outside the production sees nothing, and may not ask for it.
    assert client_for(people["outsider"]).get("/api/data/persons/time-spents/year-table").json() == {}
    show = studio["show"].pk
    assert (
        client_for(people["outsider"])
        .get(f"/api/data/persons/time-spents/year-table?project_id={show}")
        .status_code
        == 403
    )


def test_time_tables_bad_input(studio):
    api = client_for(studio["people"]["admin"])
    for url in (
        "/api/data/persons/time-spents/day-table/2024/13",
        "/api/data/persons/time-spents/month-table/abc",
        "/api/data/persons/time-spents/week-table/20x4",
        "/api/data/persons/time-spents/year-table?project_id=nope",
    ):
        assert api.get(url).status_code == 400, url


# --- quotas ----------------------------------------------------------------------------------------


def test_weighted_quota_shots(studio):
    artist, sh01 = studio["artist"], studio["shots"][0]
    rows = client_for(artist).get(f"/api/data/persons/{artist.pk}/quota-shots/month/2024/03").json()
    assert [(row["full_name"], row["weight"]) for row in rows] == [("SQ01 / SH01", 1.0), ("SQ01 / SH02", 0.5)]
    assert rows[0]["id"] == str(sh01.pk) and rows[0]["type"] == "Entity" and rows[0]["nb_frames"] == 48
    day = client_for(artist).get(f"/api/data/persons/{artist.pk}/quota-shots/day/2024/03/15").json()
    assert [row["weight"] for row in day] == [0.67, 0.5]
    week = client_for(artist).get(f"/api/data/persons/{artist.pk}/quota-shots/week/2024/11").json()
    assert [row["weight"] for row in week] == [1.0, 0.5]
    by_type = client_for(artist).get(
        f"/api/data/persons/{artist.pk}/quota-shots/month/2024/03?task_type_id={studio['anim'].pk}"
    )
    assert [row["name"] for row in by_type.json()] == ["SH01"]


def test_quota_of_a_task_without_time_spreads_over_its_working_days(studio):
    artist, show, anim = studio["artist"], studio["show"], studio["anim"]
    episode = factories.make_episode(show, name="E01")
    sequence = factories.make_sequence(show, episode, name="SQ02")
    shot = factories.make_shot(show, sequence, name="SH03")
    # WIP on Monday 2024-03-25, feedback on Wednesday 2024-04-03: 8 working days, 5 in March.
    task = factories.make_task(
        shot, anim, real_start_date=utc(2024, 3, 25, 9), end_date=utc(2024, 4, 3, 9), name="untimed"
    )
    assign(task, artist)
    rows = client_for(artist).get(f"/api/data/persons/{artist.pk}/quota-shots/month/2024/03").json()
    assert ("E01 / SQ02 / SH03", 0.62) in [(row["full_name"], row["weight"]) for row in rows]


def test_unweighted_quota_counts_ended_tasks(studio):
    artist = studio["artist"]
    base = f"/api/data/persons/{artist.pk}/quota-shots"
    rows = client_for(artist).get(f"{base}/month/2024/03?count_mode=feedback").json()
    assert [(row["name"], row["weight"]) for row in rows] == [("SH01", 1), ("SH02", 1)]
    assert client_for(artist).get(f"{base}/month/2024/03?count_mode=done").json() == []
    assert client_for(artist).get(f"{base}/day/2024/03/14?count_mode=feedback").json() == []
    response = client_for(artist).get(f"{base}/month/2024/03?count_mode=bad")
    assert response.status_code == 400
    assert (
        response.json()["message"] == "count_mode must be equal to weighted, weighteddone, feedback, or done"
    )
    assert client_for(artist).get(f"{base}/month/2024/13").status_code == 400


def test_quota_access(studio):
    people, artist, show = studio["people"], studio["artist"], studio["show"]
    base = f"/api/data/persons/{artist.pk}/quota-shots/month/2024/03"
    for role in ("manager", "supervisor", "user", "admin"):
        assert client_for(people[role]).get(f"{base}?project_id={show.pk}").status_code == 200, role
    for role in ("manager", "supervisor", "client"):
        assert client_for(people[role]).get(base).status_code == 403, role
    assert client_for(people["outsider"]).get(f"{base}?project_id={show.pk}").status_code == 403
    assert client_for(people["admin"]).get(f"{base}?project_id={MISSING}").status_code == 404
    assert (
        client_for(people["admin"]).get(f"/api/data/persons/{MISSING}/quota-shots/month/2024/03").status_code
        == 404
    )


def test_quota_runs_bounded_queries(studio, django_assert_max_num_queries):
    artist, show, anim, sequence = studio["artist"], studio["show"], studio["anim"], studio["sequence"]
    for n in range(20):
        shot = factories.make_shot(show, sequence, name=f"Q{n:02d}")
        task = factories.make_task(shot, anim, end_date=utc(2024, 3, 20), real_start_date=utc(2024, 3, 18))
        assign(task, artist)
        if n % 2:
            log_time(task, artist, datetime.date(2024, 3, 19), 30)
    with django_assert_max_num_queries(8):
        rows = client_for(artist).get(f"/api/data/persons/{artist.pk}/quota-shots/month/2024/03").json()
    assert len(rows) == 22


# --- day offs --------------------------------------------------------------------------------------


@pytest.fixture
def leave(studio):
    artist, people = studio["artist"], studio["people"]
    DepartmentLink.objects.create(person=artist, department=studio["animation"])
    holiday = DayOff.objects.create(
        person=artist,
        date=datetime.date(2024, 3, 18),
        end_date=datetime.date(2024, 3, 20),
        description="holiday",
    )
    easter = DayOff.objects.create(
        person=artist,
        date=datetime.date(2024, 3, 31),
        end_date=datetime.date(2024, 4, 2),
        description="easter",
    )
    client_leave = DayOff.objects.create(
        person=people["client"], date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 5, 1)
    )
    outsider_leave = DayOff.objects.create(
        person=people["outsider"], date=datetime.date(2024, 6, 1), end_date=datetime.date(2024, 6, 1)
    )
    return {"holiday": holiday, "easter": easter, "client": client_leave, "outsider": outsider_leave}


def test_day_offs_of_a_year_by_reader(studio, leave):
    people = studio["people"]
    rows = client_for(people["admin"]).get("/api/data/persons/day-offs/2024").json()
    assert len(rows) == 4 and rows[0]["description"] == "holiday" and rows[0]["type"] == "DayOff"
    managed = client_for(people["manager"]).get("/api/data/persons/day-offs/2024").json()
    assert [row["id"] for row in managed] == [str(leave[name].pk) for name in ("holiday", "easter", "client")]
    assert managed[0]["description"] == "holiday"
    # The supervisor of Animation reads the dates of the artist of Animation, no description.
    supervised = client_for(people["supervisor"]).get("/api/data/persons/day-offs/2024").json()
    assert [row["id"] for row in supervised] == [str(leave["holiday"].pk), str(leave["easter"].pk)]
    assert "description" not in supervised[0] and supervised[0]["date"] == "2024-03-18"
    own = client_for(people["client"]).get("/api/data/persons/day-offs/2024").json()
    assert [row["id"] for row in own] == [str(leave["client"].pk)]
    month = client_for(people["admin"]).get("/api/data/persons/day-offs/2024/04").json()
    assert [row["id"] for row in month] == [str(leave["easter"].pk)]
    assert client_for(people["admin"]).get("/api/data/persons/day-offs/2024/13").status_code == 400
    assert client_for(people["admin"]).get("/api/data/persons/day-offs/abc").status_code == 400


def test_day_offs_of_a_person(studio, leave):
    people, artist = studio["people"], studio["artist"]
    base = f"/api/data/persons/{artist.pk}/day-offs"
    assert len(client_for(artist).get(base).json()) == 2
    week = client_for(people["manager"]).get(f"{base}/week/2024/12").json()
    assert [row["description"] for row in week] == ["holiday"]
    assert [row["id"] for row in client_for(artist).get(f"{base}/week/2024/13").json()] == [
        str(leave["easter"].pk)
    ]
    assert [row["id"] for row in client_for(artist).get(f"{base}/month/2024/04").json()] == [
        str(leave["easter"].pk)
    ]
    assert len(client_for(artist).get(f"{base}/year/2024").json()) == 2
    dates_only = client_for(people["supervisor"]).get(f"{base}/month/2024/03").json()
    assert len(dates_only) == 2 and "description" not in dates_only[0]
    day = client_for(artist).get(f"{base}/2024-03-19").json()
    assert day["id"] == str(leave["holiday"].pk) and day["description"] == "holiday"
    assert client_for(artist).get(f"{base}/2024-03-25").json() == {}
    assert "description" not in client_for(people["supervisor"]).get(f"{base}/2024-03-19").json()


def test_day_offs_of_a_person_refusals_and_bad_input(studio, leave):
    people, artist = studio["people"], studio["artist"]
    base = f"/api/data/persons/{artist.pk}/day-offs"
    for role in ("client", "vendor", "outsider"):
        assert client_for(people[role]).get(base).status_code == 403, role
        assert client_for(people[role]).get(f"{base}/2024-03-19").status_code == 403, role
    assert client_for(people["admin"]).get(f"/api/data/persons/{MISSING}/day-offs").status_code == 404
    for url in (f"{base}/bad", f"{base}/week/2024/60", f"{base}/month/2024/13", f"{base}/year/x"):
        assert client_for(artist).get(url).status_code == 400, url


def test_day_off_lists_run_bounded_queries(studio, django_assert_max_num_queries):
    people, show = studio["people"], studio["show"]
    for n in range(20):
        person = factories.make_person(role="user")
        ProjectPersonLink.objects.create(project=show, person=person)
        DayOff.objects.create(
            person=person, date=datetime.date(2024, 2, 1 + n), end_date=datetime.date(2024, 2, 1 + n)
        )
    with django_assert_max_num_queries(10):
        rows = client_for(people["manager"]).get("/api/data/persons/day-offs/2024/02").json()
    assert len(rows) == 20


def test_bots_have_no_timesheet(studio):
    bot = factories.make_person(role="user", is_bot=True)
    assert (
        client_for(studio["people"]["admin"]).get(f"/api/data/persons/{bot.pk}/day-offs").status_code == 403
    )
    url = f"/api/data/persons/{bot.pk}/time-spents/year/2024"
    assert client_for(studio["people"]["admin"]).get(url).status_code == 403


# --- what each role reads of a person (/data/persons) ------------------------------------------


def test_person_rows_carry_the_full_name_and_only_admins_read_the_whole_row(studio):
    """The reference's three shapes of a person: the whole row (secrets aside) with `full_name`
    to admins (and to managers reading one person), the studio directory to the others (names,
    avatar, role, departments: no email, phone nor salary), less to clients."""
    people = studio["people"]
    artist = people["user"]
    artist.phone, artist.daily_salary = "555-0100", 320
    artist.save()
    DepartmentLink.objects.create(person=artist, department=factories.make_department("Lighting"))
    by_admin = client_for(people["admin"]).get(f"/api/data/persons?id={artist.pk}").json()[0]
    assert by_admin["full_name"] == "User Doe" and by_admin["email"] == artist.email
    assert by_admin["daily_salary"] == 320 and "password" not in by_admin
    assert client_for(people["manager"]).get(f"/api/data/persons/{artist.pk}").json()["phone"] == "555-0100"
    for role in ("manager", "supervisor", "user", "vendor"):
        rows = client_for(people[role]).get("/api/data/persons").json()
        row = next(row for row in rows if row["id"] == str(artist.pk))
        assert set(row) == MINIMAL_PERSON_KEYS, role
        assert (row["full_name"], row["role"], row["departments"]) == ("User Doe", "user", []), role
    related = client_for(people["user"]).get("/api/data/persons?relations=true").json()
    assert next(row for row in related if row["id"] == str(artist.pk))["departments"] != []
    one = client_for(people["supervisor"]).get(f"/api/data/persons/{artist.pk}").json()
    assert set(one) == MINIMAL_PERSON_KEYS and len(one["departments"]) == 1
    by_client = client_for(people["client"]).get(f"/api/data/persons/{artist.pk}").json()
    assert set(by_client) == CLIENT_PERSON_KEYS


def test_everyone_finds_a_person_by_email_but_filters_only_on_what_they_read(studio):
    """gazu's get_person_by_email works for artists (the reference filters on email for every
    role); a column they cannot read is no filter for them."""
    people = studio["people"]
    api = client_for(people["user"])
    rows = api.get(f"/api/data/persons?email={people['manager'].email}").json()
    assert [row["id"] for row in rows] == [str(people["manager"].pk)] and "email" not in rows[0]
    response = api.get("/api/data/persons?daily_salary=320")
    assert response.status_code == 400 and response.json()["error"] is True
    assert client_for(people["admin"]).get("/api/data/persons?daily_salary=0").status_code == 200


def test_person_list_runs_a_bounded_number_of_queries(studio, django_assert_max_num_queries):
    api = client_for(studio["people"]["user"])
    with django_assert_max_num_queries(8) as few:
        assert api.get("/api/data/persons?relations=true").status_code == 200
    department = factories.make_department("Rigging")
    for _ in range(25):
        DepartmentLink.objects.create(person=factories.make_person(), department=department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = api.get("/api/data/persons?relations=true").json()
    assert len(rows) >= 32 and all(set(row) == MINIMAL_PERSON_KEYS for row in rows)
