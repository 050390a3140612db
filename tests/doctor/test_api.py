"""`GET /api/doctor` and `POST /api/doctor/run`: admins only, typed, the run a job."""

import uuid

import pytest

from assets.models import EntityLink
from kitsu_server.core.models import Job
from tests import factories
from tests.factories import client_for


@pytest.fixture
def casting_out_of_date(show):
    shot = factories.make_shot(show, factories.make_sequence(show, name="SQ1"), name="SH1")
    EntityLink.objects.create(entity_in=shot, entity_out=factories.make_asset(show))
    return shot


def test_an_admin_reads_the_checks_before_any_run(team):
    answer = client_for(team["admin"]).get("/api/doctor")
    assert answer.status_code == 200
    body = answer.json()
    assert body["last_run"] is None
    casting = next(check for check in body["checks"] if check["name"] == "casting-stats")
    assert casting["fixable"] is True and casting["finding"] is None and casting["studio_wide"] is False
    assert casting["title"] == "Shots whose casting stats do not match their casting"


def test_an_admin_runs_the_checks_then_fixes_one(
    team, casting_out_of_date, django_capture_on_commit_callbacks
):
    api = client_for(team["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("/api/doctor/run", {}, format="json")
    assert answer.status_code == 202
    job = Job.objects.get(pk=answer.json()["id"])
    assert (job.name, job.state, job.result["problems"]) == ("doctor.run", "succeeded", 1)
    body = api.get("/api/doctor").json()
    assert body["last_run"]["id"] == str(job.pk)
    casting = next(check for check in body["checks"] if check["name"] == "casting-stats")
    assert casting["finding"]["count"] == 1
    assert casting["finding"]["example"] == "Show / SQ1 / SH1: 0 cast instead of 1"
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            "/api/doctor/run",
            {"checks": ["casting-stats"], "fix": True, "project_id": str(casting_out_of_date.project_id)},
            format="json",
        )
    job = Job.objects.get(pk=answer.json()["id"])
    assert job.project_id == casting_out_of_date.project_id
    assert job.result["fixed"][0]["done"] == "1 shots' casting stats recounted"
    assert job.result["problems"] == 0
    casting_out_of_date.refresh_from_db()
    assert casting_out_of_date.nb_entities_out == 1


@pytest.mark.parametrize("role", ["manager", "supervisor", "user", "client", "vendor", "outsider"])
def test_other_roles_are_refused(team, role):
    api = client_for(team[role])
    assert api.get("/api/doctor").status_code == 403
    assert api.post("/api/doctor/run", {"fix": True}, format="json").status_code == 403
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ({"checks": ["nope"]}, "Unknown check: nope."),
        ({"project_id": str(uuid.UUID(int=1))}, f"No project of id {uuid.UUID(int=1)}."),
    ],
)
def test_bad_input_is_a_400_and_starts_nothing(team, body, message):
    answer = client_for(team["admin"]).post("/api/doctor/run", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["message"] == message
    assert not Job.objects.exists()


def test_a_malformed_body_is_a_400(team):
    answer = client_for(team["admin"]).post(
        "/api/doctor/run", {"fix": "maybe", "project_id": "x"}, format="json"
    )
    assert answer.status_code == 400
    assert not Job.objects.exists()


def test_reading_the_checks_costs_a_few_queries_whatever_was_found(
    team, casting_out_of_date, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    api = client_for(team["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/doctor/run", {}, format="json")
    with django_assert_max_num_queries(4):  # the person, their access, the last run
        assert api.get("/api/doctor").status_code == 200
