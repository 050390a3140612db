"""The back-office's "Health checks" page: admins only, runs the checks as a job, fixes one."""

import pytest
from django.urls import reverse

from assets.models import EntityLink
from kitsu_server.core.models import Job
from tests import factories

URL = "/admin/health/"


@pytest.fixture
def casting_out_of_date(db):
    project = factories.make_project(name="Health Show")
    shot = factories.make_shot(project, factories.make_sequence(project, name="SQ1"), name="SH1")
    EntityLink.objects.create(entity_in=shot, entity_out=factories.make_asset(project))
    return shot


def admin_client(client, role):
    person = factories.make_person(role=role)
    client.force_login(person)
    return client


def test_the_page_is_reachable_from_the_index(client, db):
    admin_client(client, "admin")
    assert reverse("admin:health") == URL
    assert URL in client.get("/admin/").content.decode()


def test_an_admin_runs_the_checks_and_fixes_one(
    client, casting_out_of_date, django_capture_on_commit_callbacks
):
    admin_client(client, "admin")
    page = client.get(URL)
    assert page.status_code == 200
    assert "Never run." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the job is sent once the request commits
        answer = client.post(URL, {"run": "1"})
    assert answer.status_code == 302
    job = Job.objects.get(name="doctor.run")
    assert job.state == "succeeded" and job.result["problems"] == 1
    page = client.get(URL).content.decode()
    assert "Health Show / SQ1 / SH1: 0 cast instead of 1" in page
    assert '<button type="submit" name="fix" value="casting-stats">Fix</button>' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"fix": "casting-stats"})
    casting_out_of_date.refresh_from_db()
    assert casting_out_of_date.nb_entities_out == 1
    fix = Job.objects.filter(name="doctor.run").latest("created_at")
    assert fix.params == {"checks": ["casting-stats"], "fix": True}
    assert fix.result["fixed"][0]["done"] == "1 shots' casting stats recounted"
    assert 'name="fix"' not in client.get(URL).content.decode()  # nothing left to fix


def test_fixing_a_report_only_or_unknown_check_is_refused(client, casting_out_of_date):
    admin_client(client, "admin")
    for name in ("task-entity-project", "nope"):
        client.post(URL, {"fix": name})
        assert f"No fixable check named &#x27;{name}&#x27;" in client.get(URL).content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", ["manager", "supervisor"])
def test_other_back_office_roles_are_refused(client, db, role):
    admin_client(client, role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"run": "1"}).status_code == 403
    assert not Job.objects.exists()
    assert URL not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["user", "client", "vendor"])
def test_persons_outside_the_back_office_are_sent_to_its_login(client, db, role):
    admin_client(client, role)
    answer = client.get(URL)
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
