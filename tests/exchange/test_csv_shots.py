"""The shots CSV import (/import/csv/projects/{id}/shots): the reference's own export imports
unchanged (episodes and sequences made on the fly, metadata and task status columns), the same
file twice changes nothing, a dry run answers the plan and writes nothing, a bad file is a 400
naming its line and column with nothing written, and the run is a job with its errors kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import Entity
from files.models import DataImportError
from kitsu_server.core.models import Job
from shots.models import Episode, Sequence, Shot
from tasks.models import ApiEvent, Comment, Task
from tests import factories
from tests.exchange.conftest import STAMP, empty_show, reference_file, statuses


@pytest.fixture
def target(db):
    """A new TV show with the reference production's settings, its team's Zoé, and statuses."""
    project = empty_show("Copie")
    statuses()
    zoe = factories.make_person(
        first_name="Zoé", last_name=f"Lefèvre {STAMP}", email=f"zoe.{STAMP}@example.com"
    )
    return project, zoe


def upload(client, project, content, query="", name="shots.csv"):
    if isinstance(content, str):
        content = content.encode()
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(
        f"/api/import/csv/projects/{project.pk}/shots{query}", {"file": file}, format="multipart"
    )


def counts():
    return (Entity.objects.count(), Task.objects.count(), Comment.objects.count())


def test_the_reference_export_imports_unchanged(target, admin_person):
    project, zoe = target
    response = upload(factories.client_for(admin_person), project, reference_file("shots.csv"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [row["name"] for row in body] == ["SH010", "SH020", "SH030 ç"]
    assert [row["type"] for row in body] == ["Entity", "Entity", "Entity"]  # as the reference answers them
    assert {row["entity_type_id"] for row in body} == {str(Shot.objects.first().entity_type_id)}
    episode = Episode.objects.get(project=project)
    assert episode.name == "E01"
    assert sorted(Sequence.objects.filter(parent=episode).values_list("name", flat=True)) == [
        "SQ01",
        "SQ02 à",
    ]
    sh010 = Shot.objects.get(project=project, name="SH010")
    assert sh010.description == 'Le "début"; calme'
    assert sh010.data == {"frame_in": 1, "frame_out": 48, "fps": "24", "difficulte": "facile"}
    assert sh010.nb_frames == 48  # from its frame range
    sh020 = Shot.objects.get(project=project, name="SH020")
    assert (sh020.description, sh020.nb_frames) == ("Ligne 1\nLigne 2", 12)
    # every shot gets the production's shot tasks; the status columns set theirs
    statuses_of = dict(
        Task.objects.filter(entity__project=project)
        .values_list("entity__name", "task_type__name")
        .values_list("entity__name", "task_status__short_name")
        .filter(task_type__name="Layout")
    )
    assert statuses_of == {"SH010": "wip", "SH020": "todo", "SH030 ç": "todo"}
    animation = Task.objects.get(entity__name="SH030 ç", task_type__name="Animation")
    assert animation.task_status.short_name == "done"
    assert Comment.objects.filter(object_id=animation.pk).count() == 1
    job = Job.objects.get(name="csv-import.shots")
    assert (job.state, job.progress_done, job.progress_total, job.project_id) == (
        "succeeded",
        3,
        3,
        project.pk,
    )
    assert job.result == {"create": 3, "update": 0, "unchanged": 0, "error": 0}


def test_the_same_file_twice_changes_nothing_the_second_time(target, admin_person):
    project, _ = target
    client = factories.client_for(admin_person)
    assert upload(client, project, reference_file("shots.csv")).status_code == 201
    before, events = counts(), ApiEvent.objects.count()
    for query in ("", "?update=true"):
        response = upload(client, project, reference_file("shots.csv"), query)
        assert response.status_code == 201
        assert len(response.json()) == 3
    assert counts() == before
    assert ApiEvent.objects.count() == events


def test_the_update_flag_may_be_a_form_field(target, admin_person):
    project, _ = target
    client = factories.client_for(admin_person)
    upload(client, project, "Episode;Sequence;Name;Description\nE1;S1;A;old\n")
    file = SimpleUploadedFile("shots.csv", b"Episode;Sequence;Name;Description\nE1;S1;A;new\n")
    response = client.post(
        f"/api/import/csv/projects/{project.pk}/shots", {"file": file, "update": "true"}, format="multipart"
    )
    assert response.status_code == 201
    assert Shot.objects.get(project=project, name="A").description == "new"


def test_update_changes_only_what_differs(target, admin_person):
    project, _ = target
    client = factories.client_for(admin_person)
    upload(client, project, reference_file("shots.csv"))
    changed = reference_file("shots.csv").replace(b";1;48;24;facile;wip;", b";1;60;24;dur;done;")
    response = upload(client, project, changed, "?update=true&dry_run=true")
    assert response.status_code == 200
    plan = response.json()
    assert plan["summary"] == {"create": 0, "update": 1, "unchanged": 2, "error": 0}
    first = plan["rows"][0]
    assert (first["line_number"], first["key"], first["action"]) == (2, "E01 / SQ01 / SH010", "update")
    assert first["changes"]["nb_frames"] == [48, 60]
    assert first["changes"]["data"][1]["difficulte"] == "dur"
    assert first["changes"]["Layout"][1] == "done"
    assert upload(client, project, changed).json()[0]["nb_frames"] == 48  # no update flag: left alone
    assert upload(client, project, changed, "?update=true").status_code == 201
    shot = Shot.objects.get(project=project, name="SH010")
    assert (shot.nb_frames, shot.data["frame_out"], shot.data["difficulte"]) == (60, 60, "dur")
    assert Task.objects.get(entity=shot, task_type__name="Layout").task_status.short_name == "done"


def test_a_dry_run_answers_the_plan_and_writes_nothing(target, admin_person):
    project, _ = target
    response = upload(
        factories.client_for(admin_person), project, reference_file("shots.csv"), "?dry_run=true"
    )
    assert response.status_code == 200
    plan = response.json()
    assert plan["dry_run"] is True
    assert plan["summary"] == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert [row["key"] for row in plan["rows"]] == [
        "E01 / SQ01 / SH010",
        "E01 / SQ01 / SH020",
        "E01 / SQ02 à / SH030 ç",
    ]
    assert plan["rows"][1]["changes"]["nb_frames"] == [None, 12]
    assert Entity.objects.count() == 0
    assert Job.objects.count() == 0


def test_bom_commas_and_a_plain_production(db, admin_person):
    project = empty_show("Court", production_type="short")
    content = (
        "\ufeffSequence,Name,Frame In,Frame Out,Description\r\n"
        'SQ1,SH1,10,19,"a, b"\r\n'
        ",,,,\r\n"  # a spreadsheet's empty line
        "SQ1,Ünï,1,2,x\r\n"
    )
    response = upload(factories.client_for(admin_person), project, content.encode("utf-8"))
    assert response.status_code == 201, response.json()
    assert [(row["name"], row["nb_frames"]) for row in response.json()] == [("SH1", 10), ("Ünï", 2)]
    assert Shot.objects.get(name="SH1").description == "a, b"
    assert Sequence.objects.get(project=project).parent is None


@pytest.mark.parametrize(
    "content,line,column,message",
    [
        (
            "Episode;Sequence;Name;Frames\nE1;S1;A;12\nE1;S1;B;douze\n",
            3,
            "Frames",
            "Line 3, column Frames: nb_frames must be an integer, got 'douze'",
        ),
        (
            "Episode;Sequence;Name\nE1;;A\n",
            2,
            "Sequence",
            "Line 2, column Sequence: Sequence cannot be empty",
        ),
        (
            "Episode;Sequence;Name;Layout\nE1;S1;A;nope\n",
            2,
            "Layout",
            "Line 2, column Layout: Task status not found for nope",
        ),
        ("Episode;Name\nE1;A\n", 1, "Sequence", "A column is missing: Sequence"),
        ('Episode;Sequence;Name\nE1;"S1;A\n', 2, None, None),
    ],
)
def test_a_bad_file_is_a_400_naming_line_and_column_and_nothing_is_written(
    target, admin_person, content, line, column, message
):
    project, _ = target
    response = upload(factories.client_for(admin_person), project, content)
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["line_number"], body["column"], body["imported_rows"]) == (
        True,
        line,
        column,
        0,
    )
    if message:
        assert body["message"] == message
    assert Entity.objects.count() == 0


def test_row_errors_are_kept_with_their_failed_job(target, admin_person):
    project, _ = target
    content = "Episode;Sequence;Name;Frames\nE1;S1;A;x\nE1;S1;B;12\nE1;S1;C;y\n"
    response = upload(factories.client_for(admin_person), project, content)
    assert [(error["line_number"], error["column"]) for error in response.json()["errors"]] == [
        (2, "Frames"),
        (4, "Frames"),
    ]
    job = Job.objects.get(name="csv-import.shots")
    assert job.state == "failed"
    assert job.error == "Line 2, column Frames: nb_frames must be an integer, got 'x'"
    kept = sorted(
        error.event_data["line_number"]
        for error in DataImportError.objects.filter(event_data__job_id=str(job.pk))
    )
    assert kept == [2, 4]
    jobs = factories.client_for(admin_person).get(f"/api/data/jobs/{job.pk}")
    assert jobs.status_code == 200
    assert jobs.json()["state"] == "failed"


def test_not_utf8_and_no_file(target, admin_person):
    project, _ = target
    client = factories.client_for(admin_person)
    response = upload(client, project, "Episode;Sequence;Name\nE1;S1;Caf\xe9\n".encode("latin-1"))
    assert response.status_code == 400
    assert response.json()["message"] == "The file is not UTF-8 text (line 2)."
    response = client.post(f"/api/import/csv/projects/{project.pk}/shots", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"] is True


@pytest.mark.parametrize(
    "role,expected",
    [
        ("manager", 201),
        ("supervisor", 403),
        ("user", 403),
        ("client", 403),
        ("vendor", 403),
        ("outsider", 403),
    ],
)
def test_who_may_import_shots(target, role, expected):
    project, _ = target
    team = factories.make_team(project, password=None)
    response = upload(factories.client_for(team[role]), project, "Episode;Sequence;Name\nE1;S1;A\n")
    assert response.status_code == expected
    assert Shot.objects.count() == (1 if expected == 201 else 0)


def test_unknown_production(db, admin_person):
    file = SimpleUploadedFile("s.csv", b"Sequence;Name\nS;A\n")
    response = factories.client_for(admin_person).post(
        "/api/import/csv/projects/6ec5aa3c-5ec5-4e08-9a1b-3b3a7f8d2c11/shots",
        {"file": file},
        format="multipart",
    )
    assert response.status_code == 404


def test_progress_is_reported_and_committed_batch_by_batch(target, admin_person, monkeypatch):
    """Each batch commits with its progress: a reader of /data/jobs sees the import advance."""
    import exchange.rows

    project, _ = target
    seen = []

    class Spy(exchange.rows.ProgressReport):
        def __call__(self, done, total=None):
            seen.append((done, total, Shot.objects.filter(project=project).count()))
            super().__call__(done, total)

    monkeypatch.setattr(exchange.rows, "BATCH", 2)
    monkeypatch.setattr(exchange.rows, "ProgressReport", Spy)
    content = "Episode;Sequence;Name\n" + "".join(f"E1;S1;SH{n}\n" for n in range(5))
    assert upload(factories.client_for(admin_person), project, content).status_code == 201
    assert seen == [(2, 5, 2), (4, 5, 4), (5, 5, 5)]
