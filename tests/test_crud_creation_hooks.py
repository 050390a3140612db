"""What the reference's `/data` hooks take beyond the columns, and what they do with it.

Read from each resource's post/update hooks (zou/app/blueprints/crud/*.py: check_creation_integrity,
update_data, pre_update, post_creation, post_update). One test per extra input or hook:

- persons, POST: `password`, hashed, never sent back, at least 8 characters; `null` (what gazu
  sends by default) makes a person without password. The preview columns are ignored.
- persons, POST with `is_bot`: the response carries the bot's `access_token`; a PUT that moves
  its `expiration_date` hands out a new one (the old one stops working).
- projects, POST: `project_template_id`, applied to the new project (settings, links), the
  settings sent explicitly winning; a TV show starts with its first episode.
- tasks, POST: `assignees` (ids), and no `name` means "main".
- entities, POST: `created_by` is the caller; PUT: `source_id` "null" means none, `data` merges.
- playlists, POST: `episode_id` "all" / "main" means none, a task type that is no id means none.
- schedule items, PUT: a textual `man_days` is ignored.
- organisations, PUT: `hours_by_day` as a numeric string.
- comments, PUT: the caller becomes the `editor_id`.
- task statuses, POST/PUT: a new default status takes over from the previous one.
"""

import datetime
import uuid

import pytest

from assets.models import Entity
from people.models import Organisation, Person
from productions.models import (
    Project,
    ProjectTaskTypeLink,
    ProjectTemplate,
    ProjectTemplateAssetTypeLink,
    ProjectTemplateTaskTypeLink,
    ScheduleItem,
)
from tasks.models import Comment, Task, TaskStatus
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return factories.make_person(role="admin", password=None)


@pytest.fixture
def api(admin):
    return client_for(admin)


def log_in(client, email, password):
    return client.post("/api/auth/login", {"email": email, "password": password}, format="json")


# --- persons ---------------------------------------------------------------------------------------


def test_a_person_is_created_with_a_password_hashed_and_never_sent_back(api):
    body = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com", "password": "long-enough-1"}

    response = api.post("/api/data/persons", body, format="json")

    assert response.status_code == 201, response.json()
    assert "password" not in response.json()
    person = Person.objects.get(email="ada@example.com")
    assert person.password != "long-enough-1" and person.check_password("long-enough-1")
    assert "password" not in api.get(f"/api/data/persons/{person.id}").json()
    assert log_in(client_for(person), "ada@example.com", "long-enough-1").status_code == 200


def test_a_short_password_is_a_400_naming_it_and_makes_nobody(api):
    body = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com", "password": "short"}

    response = api.post("/api/data/persons", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"] is True and "password" in response.json()["message"]
    assert "too short" in response.json()["message"]
    assert not Person.objects.filter(email="ada@example.com").exists()


def test_a_null_password_makes_a_person_who_cannot_log_in_with_one(api):
    body = {"first_name": "Bo", "last_name": "B", "email": "bo@example.com", "password": None}

    response = api.post("/api/data/persons", body, format="json")

    assert response.status_code == 201, response.json()
    person = Person.objects.get(email="bo@example.com")
    assert person.password in (None, "")  # no hash: no password login
    refused = log_in(client_for(person), "bo@example.com", "None")
    assert refused.status_code in (400, 401) and refused.json()["error"] is True


def test_the_preview_columns_are_ignored_on_creation(api):
    project = factories.make_project()
    body = {
        "first_name": "Cy",
        "last_name": "C",
        "email": "cy@example.com",
        "preview_project_id": str(project.id),
    }

    response = api.post("/api/data/persons", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["preview_project_id"] is None
    assert Person.objects.get(email="cy@example.com").preview_project_id is None


def test_a_bot_gets_its_token_when_made_and_when_its_expiration_date_moves(api):
    body = {"first_name": "Render", "last_name": "Bot", "is_bot": True, "expiration_date": None}

    response = api.post("/api/data/persons", body, format="json")

    assert response.status_code == 201, response.json()
    token = response.json()["access_token"]
    bot = Person.objects.get(pk=response.json()["id"])
    bot_api = factories.APIClient()
    bot_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bot_api.get("/api/auth/authenticated").status_code == 200
    url = f"/api/data/persons/{bot.id}"
    read = api.get(url).json()
    assert "access_token" not in read

    sent_back = api.put(url, read, format="json")  # unchanged date: the token in use stays
    assert sent_back.status_code == 200 and "access_token" not in sent_back.json()
    assert bot_api.get("/api/auth/authenticated").status_code == 200

    next_year = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    moved = api.put(url, {**read, "expiration_date": next_year}, format="json")
    assert moved.status_code == 200 and moved.json()["access_token"] != token
    assert bot_api.get("/api/auth/authenticated").status_code == 401
    bot_api.credentials(HTTP_AUTHORIZATION=f"Bearer {moved.json()['access_token']}")
    assert bot_api.get("/api/auth/authenticated").status_code == 200


def test_a_person_made_by_hand_gets_no_token(api):
    body = {"first_name": "Di", "last_name": "D", "email": "di@example.com"}
    response = api.post("/api/data/persons", body, format="json")
    assert response.status_code == 201 and "access_token" not in response.json()


# --- projects --------------------------------------------------------------------------------------


@pytest.fixture
def template():
    template = ProjectTemplate.objects.create(
        name="Series template", fps="30", ratio="2.39", production_type="tvshow", max_retakes=3
    )
    ProjectTemplateTaskTypeLink.objects.create(
        project_template=template, task_type=factories.make_task_type(name="Layout"), priority=2
    )
    ProjectTemplateAssetTypeLink.objects.create(
        project_template=template, asset_type=factories.make_asset_type()
    )
    return template


def test_a_project_is_made_from_a_template_its_explicit_settings_winning(api, template):
    factories.make_project_status()
    body = {"name": "From template", "project_template_id": str(template.id), "fps": "24"}

    response = api.post("/api/data/projects", body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["fps"], data["ratio"], data["production_type"], data["max_retakes"]) == (
        "24",
        "2.39",
        "tvshow",
        3,
    )
    assert "project_template_id" not in data
    project = Project.objects.get(name="From template")
    link = ProjectTaskTypeLink.objects.get(project=project)
    assert (link.task_type.name, link.priority) == ("Layout", 2)
    assert project.asset_types.count() == 1
    assert Entity.objects.filter(project=project, entity_type__name="Episode", name="E01").exists()


@pytest.mark.parametrize("template_id", ["not-an-id", str(uuid.uuid4())])
def test_an_unknown_template_is_a_400_naming_it_and_makes_no_project(api, template_id):
    response = api.post(
        "/api/data/projects", {"name": "Nope", "project_template_id": template_id}, format="json"
    )

    assert response.status_code == 400
    assert "project_template_id" in response.json()["message"]
    assert not Project.objects.filter(name="Nope").exists()


def test_the_template_is_only_taken_on_creation(api, template):
    project = factories.make_project(fps="25")
    body = {"project_template_id": str(template.id), "description": "Kept"}
    response = api.put(f"/api/data/projects/{project.id}", body, format="json")
    assert response.status_code == 200 and response.json()["fps"] == "25"
    assert not ProjectTaskTypeLink.objects.filter(project=project).exists()


def test_a_tv_show_starts_with_its_first_episode(api):
    factories.make_project_status()
    response = api.post("/api/data/projects", {"name": "Series", "production_type": "tvshow"}, format="json")
    assert response.status_code == 201, response.json()
    assert Entity.objects.filter(project_id=response.json()["id"], name="E01").count() == 1


# --- tasks, entities, playlists, schedules, settings, comments, statuses -----------------------------


def test_a_task_is_created_with_its_assignees_and_main_by_default(api, admin):
    asset = factories.make_asset(factories.make_project())
    artist = factories.make_person(password=None)
    body = {
        "entity_id": str(asset.id),
        "task_type_id": str(factories.make_task_type().id),
        "task_status_id": str(factories.make_task_status().id),
        "assignees": [str(artist.id)],
    }

    response = api.post("/api/data/tasks", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["assignees"] == [str(artist.id)] and response.json()["name"] == "main"
    assert list(Task.objects.get().assignees.all()) == [artist]


def test_an_entity_records_its_creator_and_reads_null_as_no_source(api, admin):
    project = factories.make_project()
    body = {
        "name": "Cup",
        "project_id": str(project.id),
        "entity_type_id": str(factories.make_asset_type().id),
    }
    created = api.post("/api/data/entities", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["created_by"] == str(admin.id)
    source = factories.make_asset(project)
    url = f"/api/data/entities/{created.json()['id']}"
    assert api.put(url, {"source_id": str(source.id), "data": {"a": 1}}, format="json").status_code == 200

    response = api.put(url, {"source_id": "null", "data": {"b": 2}}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["source_id"] is None and response.json()["data"] == {"a": 1, "b": 2}


def test_a_playlist_of_all_episodes_and_a_blank_task_type_mean_none(api):
    project = factories.make_project()
    body = {"name": "Dailies", "project_id": str(project.id), "episode_id": "all", "task_type_id": ""}

    response = api.post("/api/data/playlists", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["episode_id"] is None and response.json()["task_type_id"] is None


def test_a_textual_man_days_is_ignored_by_a_schedule_item_update(api):
    item = factories.make_row(ScheduleItem, man_days=4)
    url = f"/api/data/schedule-items/{item.id}"

    response = api.put(url, {"man_days": "five", "start_date": "2026-02-02"}, format="json")

    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert (item.man_days, item.start_date.isoformat()) == (4, "2026-02-02")


def test_hours_by_day_may_come_as_a_numeric_string(api):
    organisation = Organisation.objects.create(name="Studio")
    url = f"/api/data/organisations/{organisation.id}"
    response = api.put(url, {"hours_by_day": "7.5"}, format="json")
    assert response.status_code == 200 and response.json()["hours_by_day"] == 7.5
    response = api.put(url, {"hours_by_day": "seven"}, format="json")
    assert response.status_code == 400 and "hours_by_day" in response.json()["message"]
    organisation.refresh_from_db()
    assert organisation.hours_by_day == 7.5


def test_the_caller_becomes_the_editor_of_a_comment(api, admin):
    task = factories.make_task(factories.make_asset(factories.make_project()))
    comment = factories.make_row(Comment, object_id=task.pk, object_type="Task", text="Before")
    response = api.put(f"/api/data/comments/{comment.id}", {"text": "After"}, format="json")
    assert response.status_code == 200 and response.json()["editor_id"] == str(admin.id)


def test_a_new_default_task_status_takes_over(api):
    previous = factories.make_task_status(is_default=True)
    body = {"name": "Ready", "short_name": "ready", "color": "#00ff00", "is_default": True}
    response = api.post("/api/data/task-status", body, format="json")
    assert response.status_code == 201, response.json()
    assert list(TaskStatus.objects.filter(is_default=True).values_list("pk", flat=True)) == [
        uuid.UUID(response.json()["id"])
    ]
    previous.refresh_from_db()
    assert previous.is_default is False
