"""The list parameters that are no column (a task's episode, a preview's project, a range of days),
the capped event list, forced deletes of task types, and the shot versions a frame change records."""

import datetime
import uuid

import pytest
from django.utils import timezone

from files.models import PreviewFile
from productions.models import ProjectTaskTypeLink, ScheduleItem
from shots.models import EntityVersion
from tasks.models import ApiEvent, TaskType, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return factories.make_person(role="admin")


@pytest.fixture
def production():
    project = factories.make_project()
    episodes = [factories.make_episode(project), factories.make_episode(project)]
    shots = [factories.make_shot(project, factories.make_sequence(project, episode)) for episode in episodes]
    task_type = factories.make_task_type(for_entity="Shot")
    tasks = [factories.make_task(shot, task_type=task_type) for shot in shots]
    return {"project": project, "episodes": episodes, "shots": shots, "tasks": tasks}


def test_tasks_filter_by_episode(admin, production):
    first_episode = production["episodes"][0]
    rows = client_for(admin).get(f"/api/data/tasks?episode_id={first_episode.pk}").json()
    assert [row["id"] for row in rows] == [str(production["tasks"][0].pk)]
    response = client_for(admin).get("/api/data/tasks?episode_id=nope")
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid UUID format for episode_id: nope"


def test_preview_files_filter_by_project(admin, production):
    preview = PreviewFile.objects.create(task=production["tasks"][0], name="v1", revision=1, position=1)
    other_task = factories.make_task(factories.make_asset(factories.make_project()))
    PreviewFile.objects.create(task=other_task, name="v1", revision=1, position=1)
    rows = client_for(admin).get(f"/api/data/preview-files?project_id={production['project'].pk}").json()
    assert [row["id"] for row in rows] == [str(preview.pk)]
    response = client_for(admin).get("/api/data/preview-files?project_id=42")
    assert response.status_code == 400 and response.json()["message"] == "Invalid project_id."


def test_time_spents_filter_by_range_of_days(admin, production):
    task, person = production["tasks"][0], factories.make_person()
    for day in (1, 2, 3, 4):
        TimeSpent.objects.create(task=task, person=person, date=datetime.date(2026, 5, day), duration=60)
    rows = client_for(admin).get("/api/data/time-spents?start_date=2026-05-02&end_date=2026-05-03").json()
    assert sorted(row["date"] for row in rows) == ["2026-05-02", "2026-05-03"]
    for query in ("start_date=2026-05-02", "end_date=2026-05-03"):
        response = client_for(admin).get(f"/api/data/time-spents?{query}")
        assert (
            response.status_code == 400
            and "both a `start_date` and an `end_date`" in response.json()["message"]
        )
    response = client_for(admin).get("/api/data/time-spents?start_date=May&end_date=2026-05-03")
    assert response.status_code == 400


def test_unpaginated_events_stop_at_the_newest_thousand(admin, django_assert_max_num_queries):
    start = timezone.now() - datetime.timedelta(days=1)
    ApiEvent.objects.bulk_create(
        ApiEvent(name="task:update", data={}, created_at=start + datetime.timedelta(seconds=n))
        for n in range(1005)
    )
    with django_assert_max_num_queries(6):
        rows = client_for(admin).get("/api/data/events").json()
    assert len(rows) == 1000
    newest = ApiEvent.objects.order_by("-created_at").first()
    assert rows[0]["id"] == str(newest.pk)
    page = client_for(admin).get("/api/data/events?page=1&limit=2000").json()
    assert page["total"] == 1005 and len(page["data"]) == 1005
    assert client_for(factories.make_person(role="manager")).get("/api/data/events").status_code == 403


def test_a_task_type_in_use_is_deleted_only_when_forced(admin, production):
    task_type = factories.make_task_type(for_entity="Asset")
    project = production["project"]
    ProjectTaskTypeLink.objects.create(project=project, task_type=task_type)
    ScheduleItem.objects.create(project=project, task_type=task_type, object_id=project.pk)
    url = f"/api/data/task-types/{task_type.pk}"
    response = client_for(admin).delete(url)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Task type is attached to schedule items and projects. "
        "Re-issue the request with force=true to detach."
    )
    assert TaskType.objects.filter(pk=task_type.pk).exists()
    assert client_for(factories.make_person(role="manager")).delete(f"{url}?force=true").status_code == 403
    assert client_for(admin).delete(f"{url}?force=true").status_code == 204
    assert not TaskType.objects.filter(pk=task_type.pk).exists()
    assert not ScheduleItem.objects.filter(task_type_id=task_type.pk).exists()
    assert client_for(admin).delete(f"/api/data/task-types/{uuid.uuid4()}?force=true").status_code == 404


# --- shot versions ----------------------------------------------------------------------------


def update_shot(person, shot, body):
    return client_for(person).put(f"/api/data/entities/{shot.pk}", body, format="json")


def test_a_frame_range_change_records_a_version(admin, production):
    shot = production["shots"][0]
    shot.data = {"frame_in": 1, "frame_out": 24, "camera": "A"}
    shot.save()
    response = update_shot(admin, shot, {"data": {"frame_out": 48}})
    assert response.status_code == 200
    assert response.json()["data"] == {"frame_in": 1, "frame_out": 48, "camera": "A"}
    version = EntityVersion.objects.get(entity=shot)
    assert version.name == shot.name and version.data["frame_out"] == 48 and version.person_id == admin.pk
    update_shot(admin, shot, {"description": "no frame change"})
    assert EntityVersion.objects.filter(entity=shot).count() == 1


def test_a_burst_of_changes_by_one_person_makes_one_version(admin, production):
    shot = production["shots"][0]
    for frame_out in (3, 30, 300):
        update_shot(admin, shot, {"data": {"frame_out": frame_out}})
    assert list(EntityVersion.objects.filter(entity=shot).values_list("data", flat=True)) == [
        {"frame_out": 300}
    ]
    colleague = factories.make_person(role="admin")
    update_shot(colleague, shot, {"data": {"frame_in": 10}})
    assert EntityVersion.objects.filter(entity=shot).count() == 2


def test_an_old_version_is_not_extended(admin, production):
    shot = production["shots"][0]
    update_shot(admin, shot, {"data": {"frame_out": 10}})
    EntityVersion.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=2))
    update_shot(admin, shot, {"data": {"frame_out": 20}})
    assert EntityVersion.objects.filter(entity=shot).count() == 2


def test_a_rename_records_the_former_name_and_assets_record_nothing(admin, production):
    shot = production["shots"][0]
    former = shot.name
    update_shot(admin, shot, {"name": "SH_NEW"})
    assert EntityVersion.objects.get(entity=shot).name == former
    asset = factories.make_asset(production["project"])
    update_shot(admin, asset, {"data": {"frame_out": 10}})
    assert not EntityVersion.objects.filter(entity=asset).exists()
