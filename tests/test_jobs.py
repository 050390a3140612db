"""Background jobs (kitsu_server.core.jobs): the Job row and its states, idempotency by key,
retries with backoff, progress, the project casting-stats job started from the back-office and
from manage.py, and `GET /api/data/jobs` with its roles.

Most tests run the jobs eagerly (no REDIS_URL); the last ones run the project job through a real
Celery worker on Redis, and kill one mid-job.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from types import SimpleNamespace
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from assets import casting_jobs
from assets.breakdown.services import refresh_casting_stats
from assets.jobs import refresh_project_casting_stats
from assets.models import Entity, EntityLink
from kitsu_server.celery import app
from kitsu_server.core.events import EventLog
from kitsu_server.core.jobs import ProgressReport, job
from kitsu_server.core.models import Job
from productions.models import ProjectPersonLink, ProjectTaskTypeLink
from tasks.models import Task
from tests import factories
from tests.factories import client_for
from tests.management import PROJECT_ROOT, manage
from tests.test_celery import redis_answers

pytestmark = pytest.mark.django_db
JOB_NAME = "casting-stats.refresh"


def build_casting_world(name="Show", shots=5):
    """A project whose shots cast assets, with stale casting stats: every shot counts no cast asset
    and every shot task 7 assets ready. Right: one or two cast assets per shot, one ready."""
    project = factories.make_project(name=name)
    layout = factories.make_task_type(f"Layout {name}", for_entity="Shot")
    animation = factories.make_task_type(f"Animation {name}", for_entity="Shot")
    ProjectTaskTypeLink.objects.create(project=project, task_type=layout, priority=1)
    ProjectTaskTypeLink.objects.create(project=project, task_type=animation, priority=2)
    status = factories.make_task_status(f"Todo {name}", f"todo {name}")  # unique in a shared database
    prop = factories.make_asset_type("Prop")
    hero = factories.make_asset(project, prop, name="Hero", ready_for=animation)
    sword = factories.make_asset(project, prop, name="Sword")  # ready for nothing
    sequence = factories.make_sequence(project, factories.make_episode(project, name="E01"), name="SQ01")
    for number in range(shots):
        shot = factories.make_shot(project, sequence, name=f"SH{number:03}")
        EntityLink.objects.create(entity_in=shot, entity_out=hero, nb_occurences=1)
        if number % 2:
            EntityLink.objects.create(entity_in=shot, entity_out=sword, nb_occurences=2)
        for task_type in (layout, animation):
            factories.make_task(shot, task_type, status, nb_assets_ready=7)
    return project


def casting_stats(project):
    shots = Entity.objects.filter(project=project, entity_type__name="Shot")
    return {
        "shots": sorted(shots.values_list("name", "nb_entities_out")),
        "tasks": sorted(
            Task.objects.filter(project=project).values_list(
                "entity__name", "task_type__name", "nb_assets_ready"
            )
        ),
    }


def shot_ids(project):
    return list(Entity.objects.filter(project=project, entity_type__name="Shot").values_list("pk", flat=True))


@pytest.fixture
def world(db):
    return build_casting_world("Show", shots=5)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the job's message, then the job itself, eagerly)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- the project job, eagerly -------------------------------------------------------------------


def test_the_command_refreshes_the_casting_stats_of_every_shot(world, run_on_commit, monkeypatch, capsys):
    monkeypatch.setattr(casting_jobs, "BATCH_SIZE", 2)  # three batches
    other = build_casting_world("Other", shots=2)
    stale_other = casting_stats(other)

    with run_on_commit():
        call_command("refresh_casting_stats", "show")

    row = Job.objects.get()
    assert (row.name, row.state, row.project, row.attempts) == (JOB_NAME, "succeeded", world, 1)
    assert (row.progress_done, row.progress_total) == (5, 5)
    assert row.params == {"project_id": str(world.pk)} and row.result == {"shots": 5}
    assert row.error == "" and row.started_at <= row.finished_at
    # Printed when enqueued: inside the test's transaction the job runs after the command.
    assert capsys.readouterr().out == f"Job {row.pk} ({JOB_NAME}) on Show: queued, 0 shots.\n"
    refreshed = casting_stats(world)
    assert refreshed["shots"] == [("SH000", 1), ("SH001", 2), ("SH002", 1), ("SH003", 2), ("SH004", 1)]
    assert {count for *_, count in refreshed["tasks"]} == {1}
    assert casting_stats(other) == stale_other  # another project's shots are not touched
    # What the inline refresh of a write computes, for the same shots.
    Entity.objects.filter(project=world).update(nb_entities_out=0)
    Task.objects.filter(project=world).update(nb_assets_ready=7)
    refresh_casting_stats(shot_ids(world), EventLog(None))
    assert casting_stats(world) == refreshed


def test_a_second_run_changes_nothing_and_records_no_event(world, run_on_commit):
    with run_on_commit():
        refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
    after_first = casting_stats(world)
    events = factories.recorded_events("shot:casting-update")
    assert len(events) == 5

    with run_on_commit():
        second = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))

    second.refresh_from_db()
    assert second.state == "succeeded" and Job.objects.count() == 2  # finished: the key is free again
    assert casting_stats(world) == after_first
    assert factories.recorded_events("shot:casting-update") == events


def test_the_command_finds_a_project_by_id_and_refuses_unknown_ones(world, run_on_commit):
    with run_on_commit():
        call_command("refresh_casting_stats", str(world.pk))
    assert Job.objects.get().state == "succeeded"
    with pytest.raises(CommandError, match="No project named 'Nope'"):
        call_command("refresh_casting_stats", "Nope")
    factories.make_project(name="SHOW")
    with pytest.raises(CommandError, match="Several projects"):
        call_command("refresh_casting_stats", "show")


def test_the_admin_action_starts_the_job_on_the_selected_projects(client, admin_person, world, run_on_commit):
    other = build_casting_world("Other", shots=2)
    client.force_login(admin_person)
    url = reverse("admin:productions_project_changelist")
    assert "start_casting_stats_refresh" in client.get(url).content.decode()

    with run_on_commit():
        response = client.post(
            url,
            {"action": "start_casting_stats_refresh", "_selected_action": [world.pk, other.pk]},
            follow=True,
        )

    assert response.status_code == 200
    rows = {row.project: row for row in Job.objects.all()}
    assert set(rows) == {world, other}
    assert all(row.state == "succeeded" and row.created_by == admin_person for row in rows.values())
    assert rows[other].progress_total == 2
    page = response.content.decode()
    assert "Refresh casting stats" in page and reverse("admin:core_job_change", args=[rows[world].pk]) in page
    assert casting_stats(world)["shots"][1] == ("SH001", 2)


# --- idempotency --------------------------------------------------------------------------------


def test_enqueuing_a_queued_key_again_answers_the_queued_job(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        first = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
        again = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
        other = factories.make_project(name="Other")
        third = refresh_project_casting_stats.enqueue(project=other, project_id=str(other.pk))

    assert again.pk == first.pk and third.pk != first.pk
    assert Job.objects.count() == 2 and len(sent) == 2  # one message per row
    assert first.key == f"{JOB_NAME}:project:{world.pk}" and first.state == "queued"


def test_nothing_is_sent_for_a_rolled_back_transaction(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        with pytest.raises(RuntimeError), transaction.atomic():
            refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
            raise RuntimeError("the request failed")
    assert not sent and not Job.objects.exists()


def test_only_one_active_job_per_key_in_the_database(world):
    Job.objects.create(name=JOB_NAME, key="k", state="succeeded")
    Job.objects.create(name=JOB_NAME, key="k", state="running")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(name=JOB_NAME, key="k", state="queued")


def test_a_job_silent_past_its_stale_time_gives_way(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        stuck = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
    Job.objects.filter(pk=stuck.pk).update(
        state="running", updated_at=timezone.now() - datetime.timedelta(hours=2)
    )

    with django_capture_on_commit_callbacks():
        fresh = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))

    stuck.refresh_from_db()
    assert fresh.pk != stuck.pk and fresh.state == "queued"
    assert stuck.state == "failed" and stuck.error.startswith("Abandoned: no news since")


def test_the_default_key_is_the_parameters(db):
    kind = job("tests.default-key")(lambda report, **params: None)
    assert kind.key_for({"b": 1, "a": "x"}) == 'tests.default-key:{"a":"x","b":1}'
    assert kind.key_for({"a": "x" * 300}).startswith("tests.default-key:sha256:")
    with pytest.raises(ValueError, match="declared twice"):
        job("tests.default-key")(lambda report: None)


# --- running: redelivery, retries, failures, progress ------------------------------------------


def queued_row(project):
    return Job.objects.create(
        name=JOB_NAME,
        key=f"{JOB_NAME}:test:{uuid.uuid4()}",
        project=project,
        params={"project_id": str(project.pk)},
    )


def test_a_row_left_running_by_a_dead_worker_is_taken_over(world):
    row = queued_row(world)
    Job.objects.filter(pk=row.pk).update(state="running", attempts=1, progress_done=3, progress_total=5)

    refresh_project_casting_stats.task.apply(args=[str(row.pk)])  # the message, delivered again

    row.refresh_from_db()
    assert (row.state, row.attempts, row.progress_done, row.progress_total) == ("succeeded", 2, 5, 5)


def test_a_finished_job_delivered_again_does_not_run_again(world):
    row = queued_row(world)
    Job.objects.filter(pk=row.pk).update(state="succeeded", attempts=1)
    with mock.patch.object(casting_jobs, "refresh_batch") as batch:
        refresh_project_casting_stats.task.apply(args=[str(row.pk)])
        refresh_project_casting_stats.task.apply(args=[str(uuid.uuid4())])  # gone with its project
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("succeeded", 1) and not batch.called


def test_a_transient_error_is_retried_with_backoff(world, run_on_commit, monkeypatch):
    real_batch, calls = casting_jobs.refresh_batch, []

    def flaky_batch(ids):
        calls.append(ids)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_batch(ids)

    monkeypatch.setattr(casting_jobs, "refresh_batch", flaky_batch)
    kind = refresh_project_casting_stats
    with mock.patch.object(kind, "countdown", wraps=kind.countdown) as countdown, run_on_commit():
        row = kind.enqueue(project=world, project_id=str(world.pk))

    row.refresh_from_db()
    assert (row.state, row.attempts, row.error, row.progress_done) == ("succeeded", 2, "", 5)
    countdown.assert_called_once_with(0)  # eagerly, the retry runs at once
    assert casting_stats(world)["shots"][0] == ("SH000", 1)


def test_on_a_worker_the_retry_goes_back_to_the_queue_with_its_wait(world, monkeypatch):
    """Through a worker, `task.retry` sends the message again with its countdown, and the row waits
    "queued" with the error that made it wait."""
    monkeypatch.setattr(casting_jobs, "refresh_batch", mock.Mock(side_effect=OperationalError("db gone")))
    row = queued_row(world)
    worker_task = SimpleNamespace(
        request=SimpleNamespace(retries=3, is_eager=False), retry=mock.Mock(return_value=Retry())
    )

    with pytest.raises(Retry):
        refresh_project_casting_stats._execute(worker_task, str(row.pk))

    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == ("queued", 1, "Retrying after OperationalError: db gone")
    call = worker_task.retry.call_args
    assert isinstance(call.kwargs["exc"], OperationalError) and 0 <= call.kwargs["countdown"] <= 16


def test_the_backoff_doubles_up_to_its_maximum():
    kind = refresh_project_casting_stats
    with mock.patch("random.randrange", side_effect=lambda n: n - 1):  # the jitter at its top
        assert [kind.countdown(retries) for retries in range(12)][:4] == [2, 4, 8, 16]
        assert kind.countdown(20) == kind.backoff_max


def test_a_transient_error_that_lasts_fails_the_job_after_the_retries(world, run_on_commit, monkeypatch):
    monkeypatch.setattr(casting_jobs, "refresh_batch", mock.Mock(side_effect=OperationalError("db down")))
    with run_on_commit():
        row = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", refresh_project_casting_stats.max_retries + 1)
    assert row.error == "OperationalError: db down" and row.finished_at is not None


def test_a_failing_job_records_its_error_and_spares_the_caller(world, run_on_commit, monkeypatch):
    monkeypatch.setattr(casting_jobs, "refresh_batch", mock.Mock(side_effect=ValueError("no such shot")))
    with run_on_commit():
        row = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == ("failed", 1, "ValueError: no such shot")
    assert (row.progress_done, row.progress_total) == (0, 5) and row.finished_at is not None


def test_a_job_that_cannot_be_queued_fails_and_frees_its_key(world, run_on_commit):
    with (
        mock.patch.object(
            refresh_project_casting_stats.task, "apply_async", side_effect=ConnectionError("no broker")
        ),
        run_on_commit(),
    ):
        row = refresh_project_casting_stats.enqueue(project=world, project_id=str(world.pk))
    row.refresh_from_db()
    assert (row.state, row.error) == ("failed", "Could not be queued: ConnectionError: no broker")


def test_progress_is_written_at_most_once_per_interval(world, django_assert_num_queries):
    row = queued_row(world)
    report = ProgressReport(row.pk, interval=3600)
    with django_assert_num_queries(1):
        for done in range(100):
            report(done, 100)
    row.refresh_from_db()
    assert (row.progress_done, row.progress_total) == (0, 100)  # the first call's
    assert (report.done, report.total) == (99, 100)  # what the end of the job writes

    every_time = ProgressReport(row.pk, interval=0)
    with django_assert_num_queries(3):
        for done in range(3):
            every_time(done)


def test_celery_finds_the_jobs_of_the_apps():
    app.loader.import_default_modules()
    assert f"jobs.{JOB_NAME}" in app.tasks
    task = app.tasks[f"jobs.{JOB_NAME}"]
    assert task.acks_late and task.reject_on_worker_lost


# --- GET /api/data/jobs ---------------------------------------------------------------------------


@pytest.fixture
def jobs(show, team):
    other = factories.make_project(name="Other")
    rows = {}
    for name, project in (("show", show), ("other", other), ("studio", None)):
        rows[name] = Job.objects.create(
            name=JOB_NAME, key=f"{JOB_NAME}:{name}", project=project, state="queued"
        )
    Job.objects.filter(pk=rows["other"].pk).update(
        state="succeeded", created_at=timezone.now() - datetime.timedelta(1)
    )
    return rows


def listed(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def test_admins_list_every_job_newest_first(team, jobs):
    api = client_for(team["admin"])
    assert listed(api.get("/api/data/jobs")) == [
        str(jobs["studio"].pk),
        str(jobs["show"].pk),
        str(jobs["other"].pk),
    ]
    [row] = api.get(f"/api/data/jobs?project_id={jobs['show'].project_id}").json()
    assert row == {
        **row,
        "id": str(jobs["show"].pk),
        "type": "Job",
        "name": JOB_NAME,
        "state": "queued",
        "project_id": str(jobs["show"].project_id),
        "progress_done": 0,
        "progress_total": None,
        "params": {},
        "result": None,
    }
    assert listed(api.get("/api/data/jobs?state=succeeded")) == [str(jobs["other"].pk)]
    assert listed(api.get(f"/api/data/jobs?name={JOB_NAME}&state=queued")) == [
        str(jobs["studio"].pk),
        str(jobs["show"].pk),
    ]
    assert listed(api.get("/api/data/jobs?name=nope")) == []


def test_a_page_of_jobs_comes_in_the_envelope(team, jobs):
    page = client_for(team["admin"]).get("/api/data/jobs?page=2&limit=2").json()
    assert page == {
        "data": [page["data"][0]],
        "total": 3,
        "nb_pages": 2,
        "limit": 2,
        "offset": 2,
        "page": 2,
    }
    assert page["data"][0]["id"] == str(jobs["other"].pk)
    assert client_for(team["admin"]).get("/api/data/jobs?page=9").json()["data"] == []


def test_managers_read_the_jobs_of_their_productions_only(show, team, jobs):
    api = client_for(team["manager"])
    assert listed(api.get("/api/data/jobs")) == [str(jobs["show"].pk)]
    assert listed(api.get(f"/api/data/jobs?project_id={jobs['other'].project_id}")) == []
    assert api.get(f"/api/data/jobs/{jobs['show'].pk}").json()["id"] == str(jobs["show"].pk)
    assert api.get(f"/api/data/jobs/{jobs['other'].pk}").status_code == 403
    assert api.get(f"/api/data/jobs/{jobs['studio'].pk}").status_code == 403
    # A team role of manager counts; the global role of a manager outside the team does not.
    ProjectPersonLink.objects.filter(project=show, person=team["user"]).update(role="manager")
    assert listed(client_for(team["user"]).get("/api/data/jobs")) == [str(jobs["show"].pk)]
    assert client_for(team["outsider"]).get("/api/data/jobs").status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "user", "client", "vendor", "outsider"])
def test_other_roles_are_refused(team, jobs, role):
    api = client_for(team[role])
    assert api.get("/api/data/jobs").status_code == 403
    assert api.get(f"/api/data/jobs/{jobs['show'].pk}").status_code == 403


def test_unknown_and_malformed_ids_and_filters(team, jobs, client):
    api = client_for(team["admin"])
    assert api.get(f"/api/data/jobs/{jobs['studio'].pk}").json()["project_id"] is None
    assert api.get(f"/api/data/jobs/{uuid.uuid4()}").status_code == 404
    assert api.get("/api/data/jobs/not-an-id").status_code == 400  # as /data/<model>/<id>
    assert api.get("/api/data/projects/not-an-id").status_code == 400
    assert client_for(team["manager"]).get(f"/api/data/jobs/{uuid.uuid4()}").status_code == 404
    assert api.get("/api/data/jobs?project_id=nope").status_code == 400
    assert api.get("/api/data/jobs?state=lost").status_code == 400
    assert api.get("/api/data/jobs?page=x").status_code == 400
    assert api.get("/api/data/jobs?page=1&limit=-1").status_code == 400
    assert api.get("/api/data/jobs?page=1&limit=0").json()["limit"] == 100  # as the /data lists
    assert client.get("/api/data/jobs").status_code == 401


# --- the back-office ------------------------------------------------------------------------------


def test_the_job_admin_lists_filters_and_shows_read_only(client, admin_person, jobs):
    client.force_login(admin_person)
    changelist = reverse("admin:core_job_changelist")
    page = client.get(changelist).content.decode()
    assert all(reverse("admin:core_job_change", args=[row.pk]) in page for row in jobs.values())
    assert "queued" in page and "succeeded" in page and "0/None" not in page
    filtered = client.get(f"{changelist}?state__exact=succeeded&q=other").content.decode()
    assert reverse("admin:core_job_change", args=[jobs["other"].pk]) in filtered
    assert reverse("admin:core_job_change", args=[jobs["show"].pk]) not in filtered
    change = client.get(reverse("admin:core_job_change", args=[jobs["show"].pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:core_job_add")).status_code == 403
    assert client.post(reverse("admin:core_job_change", args=[jobs["show"].pk]), {}).status_code == 403


# --- through a real worker on Redis ---------------------------------------------------------------
# Both the worker and the enqueuing process need the same database: a SQLite file migrated for the
# module (pytest's own test database lives in its process's memory), whatever the suite runs on.
# Data are made and the job enqueued (by the management command) in a subprocess; this process
# reads the file.

# Not db 0-4: the reference server beside us uses them.
TEST_REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
)
# Builds a project of argv[1] (argv[2] shots) with stale casting stats and enqueues its refresh.
ENQUEUE = """
import os, sys
import django
django.setup()
from django.core.management import call_command
from kitsu_server.celery import app
from tests.test_jobs import build_casting_world
app.conf.task_default_queue = os.environ["JOBS_TEST_QUEUE"]
project = build_casting_world(sys.argv[1], shots=int(sys.argv[2]))
call_command("refresh_casting_stats", str(project.pk))
print(project.pk.hex)
"""
# A worker whose casting batches are small and slow (to be killed in the middle of a job), and
# whose broker hands a dead worker's message out again after 2 s (not an hour).
WORKER = """
import os, time
import django
django.setup()
from assets import casting_jobs
from kitsu_server.celery import app
app.conf.broker_transport_options = {
    "visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
casting_jobs.BATCH_SIZE = int(os.environ["JOBS_TEST_BATCH_SIZE"])
real_batch = casting_jobs.refresh_batch
def slow_batch(shot_ids):
    time.sleep(float(os.environ["JOBS_TEST_BATCH_DELAY"]))
    return real_batch(shot_ids)
casting_jobs.refresh_batch = slow_batch
app.worker_main([
    "worker", "--pool=solo", "--concurrency=1", "-Q", os.environ["JOBS_TEST_QUEUE"], "--loglevel=INFO",
    "--without-heartbeat", "--without-gossip", "--without-mingle",
])
"""
FINISHED = ("succeeded", "failed")


def needs_redis(test):
    for mark in (
        pytest.mark.slow,
        pytest.mark.redis,
        pytest.mark.skipif(not redis_answers(TEST_REDIS_URL), reason="no Redis server answers"),
    ):
        test = mark(test)
    return test


@pytest.fixture(scope="module")
def worker_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("jobs") / "worker.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "kitsu_server.settings",
    }
    env.pop("REDIS_URL", None)
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    return path


@pytest.fixture
def worker_env(worker_database, tmp_path):
    queue = f"test-jobs-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{worker_database}",
        "REDIS_URL": TEST_REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "kitsu_server.settings",
        "JOBS_TEST_QUEUE": queue,
        "JOBS_TEST_BATCH_SIZE": "2",
        "JOBS_TEST_BATCH_DELAY": "0",
    }
    workers = []

    def start_worker():
        log = (tmp_path / f"worker-{len(workers)}.log").open("w")
        workers.append((subprocess.Popen([sys.executable, "-c", WORKER], cwd=PROJECT_ROOT, env=env,
                                         stdout=log, stderr=subprocess.STDOUT), log))  # fmt: skip
        return workers[-1][0]

    yield SimpleNamespace(env=env, database=worker_database, start_worker=start_worker)
    for worker, log in workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        log.close()
    for path in sorted(tmp_path.glob("worker-*.log")):
        print(path.name, path.read_text()[-3000:], sep="\n")  # shown when the test fails


def enqueue_in_a_subprocess(worker_env, name, shots):
    result = subprocess.run(
        [sys.executable, "-c", ENQUEUE, name, str(shots)],
        cwd=PROJECT_ROOT,
        env=worker_env.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert ": queued, 0 shots." in result.stdout  # sent to the queue, not run in the process
    return result.stdout.split()[-1]  # the project's id (hex, as SQLite stores it)


def read_rows(database, sql, params):
    with closing(sqlite3.connect(database, timeout=20)) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql, params)]


def job_row(worker_env, project_hex):
    rows = read_rows(worker_env.database, "SELECT * FROM job WHERE project_id = ?", [project_hex])
    return rows[0] if rows else None


def wait_for(check, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"still waiting after {timeout} s")


def worker_casting_stats(worker_env, project_hex):
    shots = read_rows(
        worker_env.database,
        "SELECT e.name, e.nb_entities_out FROM entity e JOIN entity_type t ON t.id = e.entity_type_id "
        "WHERE e.project_id = ? AND t.name = 'Shot' ORDER BY e.name",
        [project_hex],
    )
    tasks = read_rows(
        worker_env.database, "SELECT nb_assets_ready FROM task WHERE project_id = ?", [project_hex]
    )
    return [(row["name"], row["nb_entities_out"]) for row in shots], {row["nb_assets_ready"] for row in tasks}


@needs_redis
def test_a_real_worker_runs_the_project_job_to_its_end(worker_env):
    worker_env.start_worker()
    project_hex = enqueue_in_a_subprocess(worker_env, "Worker show", 5)

    row = wait_for(lambda: (row := job_row(worker_env, project_hex)) and row["state"] in FINISHED and row, 90)

    assert (row["state"], row["attempts"], row["progress_done"], row["progress_total"]) == (
        "succeeded",
        1,
        5,
        5,
    )
    shots, ready = worker_casting_stats(worker_env, project_hex)
    assert shots == [("SH000", 1), ("SH001", 2), ("SH002", 1), ("SH003", 2), ("SH004", 1)] and ready == {1}


@needs_redis
def test_a_job_whose_worker_is_killed_runs_again_on_the_next_worker(worker_env):
    """SIGKILL in the middle of a job: the message was not acknowledged, so the broker hands it to
    the next worker, which takes over the row left running and runs the job from its start."""
    worker_env.env["JOBS_TEST_BATCH_DELAY"] = "1"  # 4 batches of 2 shots: 4 s a run
    first = worker_env.start_worker()
    project_hex = enqueue_in_a_subprocess(worker_env, "Killed show", 8)

    row = wait_for(lambda: (row := job_row(worker_env, project_hex)) and row["progress_done"] > 0 and row, 90)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=20)
    assert row["state"] == "running" and row["attempts"] == 1 and row["progress_done"] < 8
    time.sleep(1)
    assert job_row(worker_env, project_hex)["state"] == "running"  # left so by the dead worker

    worker_env.start_worker()
    row = wait_for(
        lambda: (row := job_row(worker_env, project_hex)) and row["state"] in FINISHED and row, 120
    )

    assert (row["state"], row["attempts"], row["progress_done"], row["progress_total"]) == (
        "succeeded",
        2,
        8,
        8,
    )
    shots, ready = worker_casting_stats(worker_env, project_hex)
    assert [count for _, count in shots] == [1, 2] * 4 and ready == {1}


def test_scratch_folders_of_gone_processes_are_swept_and_live_ones_kept(tmp_path, monkeypatch):
    """What a killed worker leaves in its scratch folders (copied clips, half-encoded parts) is
    removed when a worker starts; a folder of a process still running is left alone."""
    import subprocess
    import sys
    import tempfile

    from kitsu_server.core.jobs import sweep_orphan_workspaces, workspace

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    orphan = tmp_path / f"kitsu-playlist-{gone.stdout.strip()}-abc123"
    orphan.mkdir()
    (orphan / "part-00001.mp4").write_bytes(b"\0" * 1024)
    unrelated = tmp_path / "kitsu-notes"
    unrelated.mkdir()

    with workspace("preview") as mine:
        assert os.path.basename(mine).startswith(f"kitsu-preview-{os.getpid()}-")
        removed = sweep_orphan_workspaces()
        assert os.path.isdir(mine)  # this process is alive: its folder stays

    assert removed == [orphan.name]
    assert not orphan.exists() and unrelated.exists()
