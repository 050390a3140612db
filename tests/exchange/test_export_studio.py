"""The studio-wide CSV exports (/export/csv/projects|persons|task-types|tasks|time-spents.csv) and a
playlist's: the reference's columns, order and formats (the tasks and time spent of the reference
production are the reference's own lines, files/reference/), who may export, bounded queries."""

import csv
import datetime
import io

import pytest

from files.models import Playlist, PreviewFile
from people.models import Department, DepartmentLink, Studio
from tasks.models import Comment
from tests import factories
from tests.exchange.conftest import reference_file

STUDIO_EXPORTS = ("projects.csv", "persons.csv", "task-types.csv", "tasks.csv", "time-spents.csv")


def body(response):
    return b"".join(response.streaming_content)


def rows(response):
    return list(csv.reader(io.StringIO(body(response).decode()), delimiter=";"))


def test_tasks_export_is_the_reference_lines(reference_show, admin_person):
    response = factories.client_for(admin_person).get("/api/export/csv/tasks.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename=kitsu_tasks_export.csv"
    assert body(response) == reference_file("tasks_of_the_production.csv")


def test_time_spents_export_is_the_reference_lines(reference_show, admin_person):
    response = factories.client_for(admin_person).get("/api/export/csv/time-spents.csv")
    assert body(response) == reference_file("time_spents_of_the_production.csv")
    name = response["Content-Disposition"]
    assert name.startswith("attachment; filename=kitsu_20") and name.endswith(
        "_open_projects_time_spents_export.csv"
    )


def test_closed_productions_are_left_out_of_tasks_and_time(reference_show, admin_person):
    reference_show.project.project_status = factories.make_project_status("Closed")
    reference_show.project.save()
    client = factories.client_for(admin_person)
    assert len(rows(client.get("/api/export/csv/tasks.csv"))) == 1
    assert len(rows(client.get("/api/export/csv/time-spents.csv"))) == 1


def test_projects_and_task_types_exports(reference_show, admin_person):
    client = factories.client_for(admin_person)
    factories.make_project(name="Ábc", project_status=factories.make_project_status("Closed"))
    response = client.get("/api/export/csv/projects.csv")
    assert response["Content-Disposition"] == "attachment; filename=kitsu_export.csv"
    assert rows(response) == [
        ["Name", "Status"],
        ["Ábc", "Closed"],
        ["Échange CSV 074954", "Open"],
    ]  # code points
    layout = reference_show.layout.task_type
    layout.department = factories.make_department("Layout")
    layout.save()
    assert rows(client.get("/api/export/csv/task-types.csv")) == [
        ["Department", "Name"],
        ["Layout", "Layout"],
    ]


def test_persons_export(reference_show, admin_person):
    zoe = reference_show.zoe
    zoe.studio = Studio.objects.create(name="Studio Ü", color="#000000")
    zoe.phone, zoe.country, zoe.daily_salary = "+33 1", "FR", 250
    zoe.save()
    for name in ("Rigging", "Animation"):
        DepartmentLink.objects.create(
            person=zoe, department=Department.objects.create(name=name, color="#000")
        )
    factories.make_person(first_name="bot", last_name="x", is_bot=True, password=None)
    factories.make_person(first_name="aline", last_name="Guest", is_guest=True, password=None)
    factories.make_person(first_name="albert", last_name="Gone", active=False, password=None)
    response = factories.client_for(admin_person).get("/api/export/csv/persons.csv")
    assert response["Content-Disposition"] == "attachment; filename=kitsu_people_export.csv"
    table = rows(response)
    assert table[0][:6] == ["First Name", "Last Name", "Email", "Phone", "Role", "Departments"]
    assert [row[0] for row in table[1:]] == [
        "albert",
        admin_person.first_name,
        "Zoé",
    ]  # by lowered first name
    assert table[1][-1] == "no"
    assert table[3] == [
        "Zoé",
        "Lefèvre 074954",
        "zoe.074954@example.com",
        "+33 1",
        "user",
        "Animation,Rigging",
        "Studio Ü",
        "FR",
        "open-ended",
        "artist",
        "mid",
        "250",
        "yes",
    ]


@pytest.mark.parametrize(
    "role,expected", [("manager", 200), ("supervisor", 403), ("user", 403), ("client", 403), ("vendor", 403)]
)
def test_studio_exports_are_for_managers(db, show, role, expected):
    person = factories.make_person(role=role, password=None)
    client = factories.client_for(person)
    for path in STUDIO_EXPORTS:
        response = client.get(f"/api/export/csv/{path}")
        assert response.status_code == expected, path
        if expected == 403:
            assert response.json()["error"] is True


def test_studio_exports_need_a_login(db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/export/csv/tasks.csv").status_code == 401


def test_studio_exports_run_a_bounded_number_of_queries(
    reference_show, admin_person, django_assert_max_num_queries
):
    client = factories.client_for(admin_person)
    layout = reference_show.layout
    for _ in range(30):
        task = factories.make_task(
            factories.make_asset(reference_show.project), layout.task_type, layout.task_status
        )
        factories.assign(task, reference_show.zoe)
    for path in STUDIO_EXPORTS:
        with django_assert_max_num_queries(8):
            assert rows(client.get(f"/api/export/csv/{path}"))[0]


# --- a playlist ------------------------------------------------------------------------------


def make_playlist(show):
    preview = PreviewFile.objects.create(task=show.layout, person=show.zoe, revision=3, name="v3")
    Comment.objects.create(
        object_id=show.layout.pk,
        object_type="Task",
        person=show.zoe,
        text="Premier",
        task_status=show.layout.task_status,
    )
    last = Comment.objects.create(
        object_id=show.layout.pk,
        object_type="Task",
        person=show.zoe,
        text="Dernier; « ok »",
        task_status=show.layout.task_status,
    )
    client = factories.make_person(role="client", first_name="Cli", last_name="Ent", password=None)
    factories.join(show.project, client)
    Comment.objects.create(object_id=show.layout.pk, object_type="Task", person=client, text="client's")
    playlist = Playlist.objects.create(
        project=show.project,
        episode=show.episode,
        name="Revue 1",
        for_entity="shot",
        shots=[{"entity_id": str(show.shots[0].pk), "preview_file_id": str(preview.pk)}],
    )
    return playlist, last


def test_playlist_export(reference_show, admin_person):
    playlist, last = make_playlist(reference_show)
    admin_person.timezone = "Europe/Paris"
    admin_person.save()
    response = factories.client_for(admin_person).get(f"/api/export/csv/playlists/{playlist.pk}")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == "attachment; filename=kitsu_echange_csv_074954_playlist_revue_1.csv"
    )
    paris = datetime.timezone(datetime.timedelta(hours=1))
    assert rows(response) == [
        [
            "Playlist",
            "Échange CSV 074954 - E01 | for shots",
            "Revue 1",
            playlist.created_at.astimezone(paris).strftime("%Y-%m-%dT%H:%M:%S"),
            "",
            "",
            "",
        ],
        ["", "", "", "", "", "", ""],
        [
            "Entity name",
            "Nb Frames",
            "Task Type",
            "Retake count",
            "Revision",
            "Task Status",
            "Last comment author",
            "Last comment date",
            "Last comment",
        ],
        [
            "E01 / SQ01 / SH010",
            "",
            "Layout",
            "0",
            "3",
            "Work In Progress",
            "Zoé Lefèvre 074954",
            last.created_at.astimezone(paris).strftime("%Y-%m-%dT%H:%M:%S"),
            "Dernier; « ok »",
        ],
    ]


@pytest.mark.parametrize(
    "role,for_client,expected",
    [
        ("manager", False, 200),
        ("supervisor", False, 200),
        ("user", False, 403),
        ("client", False, 403),
        ("client", True, 200),
        ("vendor", False, 403),
        ("outsider", False, 403),
    ],
)
def test_who_may_export_a_playlist(reference_show, role, for_client, expected):
    playlist, _ = make_playlist(reference_show)
    playlist.for_client = for_client
    playlist.save()
    team = factories.make_team(reference_show.project, password=None)
    response = factories.client_for(team[role]).get(f"/api/export/csv/playlists/{playlist.pk}")
    assert response.status_code == expected


def test_unknown_playlist(db, admin_person):
    response = factories.client_for(admin_person).get(
        "/api/export/csv/playlists/6ec5aa3c-5ec5-4e08-9a1b-3b3a7f8d2c11"
    )
    assert response.status_code == 404
    assert response.json() == {"error": True, "message": "Playlist not found."}


def test_the_tasks_export_is_streamed_a_batch_at_a_time(reference_show, admin_person, monkeypatch):
    """Rows are read as they are sent, a batch (and its assignees' query) at a time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import exchange.exports.queries

    monkeypatch.setattr(exchange.exports.queries, "BATCH", 2)
    response = factories.client_for(admin_person).get("/api/export/csv/tasks.csv")
    assert response.streaming
    lines = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = [next(lines) for _ in range(3)]  # the header and the first batch of 2
    assert first[0].startswith(b"Project;Task Type")
    assert len([query for query in queries if "task_person_link" in query["sql"]]) == 1
    with CaptureQueriesContext(connection) as queries:
        rest = list(lines)
    assert len(rest) == 3
    assert len([query for query in queries if "task_person_link" in query["sql"]]) == 2


def test_a_person_with_the_defaults_is_the_reference_line(reference_show, admin_person):
    """The reference's persons export wrote this line for the Zoé its production was made with."""
    exported = body(factories.client_for(admin_person).get("/api/export/csv/persons.csv"))
    line = "Zoé;Lefèvre 074954;zoe.074954@example.com;;user;;;;open-ended;artist;mid;0;yes\r\n"
    assert line.encode() in exported
