"""Read, change, send back: the commonest client pattern works on every /data model.

For each model of the CRUD registry (new ones included, through `factories.make_row`), an admin
reads one row, PUTs the whole body back (ids, timestamps, `type`, relations, computed extras) and
gets 200 with nothing changed; then the same with one writable column changed. A writable column
with a wrong value is still a 400 naming it, and unknown or read-only keys never reach the row.
"""

import uuid

import pytest
from django.db import models

from files.models import AttachmentFile
from kitsu_server import urls  # noqa: F401  (importing the URL table registers every /data policy)
from kitsu_server.core.data.inputs import PROTECTED_ON_UPDATE, input_serializer
from kitsu_server.core.data.policies import REGISTRY
from people.models import Person
from productions.models import MetadataDescriptor, Project
from tasks.models import Comment
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db
PATHS = sorted(REGISTRY)
# Columns tried first as "the one writable field changed" (text with no rule attached).
PREFERRED_COLUMNS = ("description", "comment", "phone", "name", "text")
# Columns the reference's update hooks set whatever the body says.
SET_BY_AN_UPDATE = {"comments": {"editor_id"}}


def make_comment():
    task = factories.make_task(factories.make_asset(factories.make_project()))
    return factories.make_row(Comment, object_id=task.pk, object_type="Task")


# Rows `factories.make_row` cannot make readable alone: those read through another row.
ROW_BUILDERS = {
    "attachment-files": lambda: factories.make_row(AttachmentFile, comment=make_comment()),
    "comments": make_comment,
    "metadata-descriptors": lambda: factories.make_row(MetadataDescriptor, data_type="string"),
}


def make_row(path):
    builder = ROW_BUILDERS.get(path)
    return builder() if builder else factories.make_row(REGISTRY[path].model)


@pytest.fixture
def admin_api():
    return client_for(factories.make_person(role="admin", password=None))


def writable_columns(policy, relations=False):
    """The columns an update writes from a body (no choices, no e-mail; foreign keys or not)."""
    writable = input_serializer(policy, partial=True)._declared_fields
    return [
        (column, field)
        for column, field in policy.fields_by_column.items()
        if column in writable
        and column not in PROTECTED_ON_UPDATE
        and column not in policy.read_only_on_update
        and field.is_relation == relations
        and not field.choices
        and not isinstance(field, models.EmailField)
    ]


def one_change(policy, before):
    """(column, new value): a text column (the preferred names first), else a number or a flag."""
    columns = writable_columns(policy)
    texts = [column for column, field in columns if isinstance(field, models.CharField | models.TextField)]
    if texts:
        column = min(texts, key=lambda c: PREFERRED_COLUMNS.index(c) if c in PREFERRED_COLUMNS else 99)
        max_length = policy.fields_by_column[column].max_length or 40
        return column, f"Changed {uuid.uuid4().hex}"[:max_length]
    for column, field in columns:
        if isinstance(field, models.IntegerField):
            return column, (before[column] or 0) + 1
    for column, field in columns:
        if isinstance(field, models.FloatField):
            return column, (before[column] or 0) + 1.5
    for column, field in columns:
        if isinstance(field, models.BooleanField):
            return column, not before[column]
    for column, field in writable_columns(policy, relations=True):
        return column, str(factories.made_up_value(field).pk)  # another row of the related model
    return None, None


def without_updated_at(body, path):
    """The body but what an update changes anyway: its time, and the columns its hooks set."""
    skipped = {"updated_at", *SET_BY_AN_UPDATE.get(path, ())}
    return {key: value for key, value in body.items() if key not in skipped}


def test_every_registered_model_is_built(db):
    for path in PATHS:
        row = make_row(path)
        assert row.pk is not None, path


@pytest.mark.parametrize("path", PATHS)
def test_the_body_of_a_read_goes_back_unchanged(admin_api, path):
    row = make_row(path)
    url = f"/api/data/{path}/{row.pk}"
    before = admin_api.get(url)
    assert before.status_code == 200, before.json()

    response = admin_api.put(url, before.json(), format="json")

    assert response.status_code == 200, (path, response.json())
    assert without_updated_at(admin_api.get(url).json(), path) == without_updated_at(before.json(), path)


@pytest.mark.parametrize("path", PATHS)
def test_the_body_of_a_read_goes_back_with_one_field_changed(admin_api, path):
    policy = REGISTRY[path]
    row = make_row(path)
    url = f"/api/data/{path}/{row.pk}"
    before = admin_api.get(url).json()
    column, value = one_change(policy, before)
    assert column is not None, f"/data/{path} has no writable column to change"

    response = admin_api.put(url, {**before, column: value}, format="json")

    assert response.status_code == 200, (path, response.json())
    assert response.json()[column] == value
    after = admin_api.get(url).json()
    assert without_updated_at(after, path) == without_updated_at({**before, column: value}, path)


def test_read_only_computed_and_unknown_keys_are_ignored(admin_api):
    project = factories.make_project(name="Kept")
    other = factories.make_project(name="Other")
    url = f"/api/data/projects/{project.id}"
    body = {
        "id": str(uuid.uuid4()),
        "type": "Project",
        "created_at": "2000-01-01T00:00:00",
        "updated_at": "2000-01-01T00:00:00",
        "project_id": str(other.id),
        "descriptors": [{"id": str(uuid.uuid4())}],
        "task_types_priority": {},
        "first_episode_id": str(uuid.uuid4()),
        "no_such_column": [1, 2],
        "description": "Read and sent back",
    }

    response = admin_api.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["id"], data["type"], data["description"]) == (
        str(project.id),
        "Project",
        "Read and sent back",
    )
    assert data["created_at"] != "2000-01-01T00:00:00" and "no_such_column" not in data
    assert Project.objects.count() == 2


def test_unknown_keys_are_ignored_on_creation_too(admin_api):
    body = {"name": "Lighting", "color": "#123456", "type": "Department", "id": str(uuid.uuid4()), "x": 1}

    response = admin_api.post("/api/data/departments", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["id"] != body["id"] and response.json()["name"] == "Lighting"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"priority": "high"}, "priority"),
        ({"archived": "maybe"}, "archived"),
        ({"name": None}, "name"),
        ({"department_id": "not-an-id"}, "department_id"),
    ],
)
def test_a_writable_field_with_a_wrong_value_is_still_a_400_naming_it(admin_api, change, field):
    task_type = factories.make_task_type(name="Modeling")
    url = f"/api/data/task-types/{task_type.id}"
    body = admin_api.get(url).json()

    response = admin_api.put(url, {**body, **change, "no_such_column": 1}, format="json")

    assert response.status_code == 400
    assert response.json()["error"] is True and field in response.json()["message"]
    task_type.refresh_from_db()
    assert (task_type.name, task_type.archived, task_type.priority) == ("Modeling", False, body["priority"])


def test_hidden_columns_sent_back_are_not_written(admin_api):
    """A password, a one-time secret or a token id never goes through the generic path."""
    person = factories.make_person(password="first-password")
    hashed = person.password
    body = {
        "password": "second-password",
        "totp_secret": "ABCDEF",
        "jti": "stolen",
        "login_failed_attemps": 99,
        "first_name": "Renamed",
    }

    response = admin_api.put(f"/api/data/persons/{person.id}", body, format="json")

    assert response.status_code == 200, response.json()
    assert "password" not in response.json() and "totp_secret" not in response.json()
    person.refresh_from_db()
    assert person.first_name == "Renamed" and person.password == hashed
    assert (person.totp_secret, person.jti, person.login_failed_attemps) != ("ABCDEF", "stolen", 99)


def test_a_person_sending_back_their_own_row_keeps_the_admin_columns(show):
    """Role, departments, activity... are ignored when a person updates their own row."""
    artist = factories.make_person(role="user", password=None)
    department = factories.make_department()
    url = f"/api/data/persons/{artist.id}"
    api = client_for(artist)
    body = api.get(url).json()
    body.update(role="admin", departments=[str(department.id)], active=False, phone="555 0100")

    response = api.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    artist.refresh_from_db()
    assert (artist.role, artist.active, artist.phone) == ("user", True, "555 0100")
    assert not artist.departments.exists()


def test_another_person_row_stays_refused_to_a_non_admin(show):
    artist, other = factories.make_person(password=None), factories.make_person(password=None)
    response = client_for(artist).put(f"/api/data/persons/{other.id}", {"phone": "1"}, format="json")
    assert response.status_code == 403
    assert Person.objects.get(pk=other.pk).phone != "1"


def test_no_row_spelled_as_a_read_spells_it_means_null_in_a_foreign_key(admin_api):
    """The asset read (of the reference too) sends "None" for no step and "" for no preview."""
    project = factories.make_project()
    asset = factories.make_asset(project, source=factories.make_asset(project))
    url = f"/api/data/entities/{asset.id}"
    body = {"ready_for": "None", "preview_file_id": "", "source_id": "null", "description": "Sent back"}

    response = admin_api.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["ready_for"], data["preview_file_id"], data["source_id"]) == (None, None, None)
    refused = admin_api.put(url, {"entity_type_id": ""}, format="json")  # a required one stays required
    assert refused.status_code == 400 and "entity_type_id" in refused.json()["message"]
    asset.refresh_from_db()
    assert asset.entity_type_id is not None and asset.description == "Sent back"


# --- the same by the roles that may change a part of a row -------------------------------------------


def test_a_supervisor_sends_back_a_whole_task_with_a_planning_column_changed(show):
    people = factories.make_team(show, password=None)
    task = factories.make_task(factories.make_asset(show), priority=1)
    url = f"/api/data/tasks/{task.id}"
    api = client_for(people["supervisor"])
    body = api.get(url).json()

    response = api.put(url, {**body, "priority": 3}, format="json")

    assert response.status_code == 200, response.json()
    refused = api.put(url, {**body, "priority": 3, "name": "renamed"}, format="json")  # a column not theirs
    assert refused.status_code == 403
    task.refresh_from_db()
    assert (task.priority, task.name) == (3, "main")


def test_a_supervisor_sends_back_an_entity_with_their_custom_field_changed(show):
    people = factories.make_team(show, password=None)
    lighting, modeling = factories.make_department(), factories.make_department()
    people["supervisor"].departments.add(lighting)
    for name, department in (("look", lighting), ("rig", modeling)):
        descriptor = MetadataDescriptor.objects.create(
            project=show, entity_type="Asset", name=name, field_name=name, data_type="string"
        )
        descriptor.departments.add(department)
    asset = factories.make_asset(show, data={"look": "red", "rig": "done"})
    url = f"/api/data/entities/{asset.id}"
    api = client_for(people["supervisor"])
    body = api.get(url).json()

    response = api.put(url, {**body, "data": {**body["data"], "look": "blue"}}, format="json")

    assert response.status_code == 200, response.json()
    refused = api.put(url, {**body, "data": {"look": "blue", "rig": "redo"}}, format="json")  # not theirs
    assert refused.status_code == 403
    asset.refresh_from_db()
    assert asset.data == {"look": "blue", "rig": "done"}


def test_an_artist_sends_back_their_own_comment_with_new_text(show):
    people = factories.make_team(show, password=None)
    task = factories.make_task(factories.make_asset(show))
    factories.assign(task, people["user"])
    comment = factories.make_row(
        Comment, object_id=task.pk, object_type="Task", person=people["user"], text="A"
    )
    url = f"/api/data/comments/{comment.id}"
    api = client_for(people["user"])
    body = api.get(url).json()

    response = api.put(url, {**body, "text": "B"}, format="json")

    assert response.status_code == 200, response.json()
    refused = api.put(url, {**body, "for_client": True}, format="json")  # managers only
    assert refused.status_code == 403
    comment.refresh_from_db()
    assert (comment.text, comment.for_client) == ("B", False)
