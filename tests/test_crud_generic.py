"""The generic /data machinery itself: filters, pagination, validation, errors, events.

Per-model rules are tested in test_crud_<app>.py; this file pins the
behaviour every /data route shares, through /data/projects and
/data/task-types as admin.
"""

import uuid

import pytest
from rest_framework.test import APIClient

from productions.models import Project, ProjectStatus
from tasks.models import ApiEvent, TaskType
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(admin_person):
    return client_for(admin_person)


def test_no_token_is_401_in_the_reference_shape():
    response = APIClient().get("/api/data/projects")
    assert response.status_code == 401
    assert response.json()["error"] is True


def test_bad_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    response = client.get("/api/data/projects")
    assert response.status_code == 401
    assert response.json()["error"] is True


def test_routes_answer_with_and_without_trailing_slash(api):
    factories.make_project(name="Slash")
    assert api.get("/api/data/projects").status_code == 200
    assert api.get("/api/data/projects/").status_code == 200
    project = Project.objects.get()
    assert api.get(f"/api/data/projects/{project.id}/").json()["name"] == "Slash"


def test_object_shape(api):
    project = factories.make_project(name="Shape", start_date="2026-01-05")
    body = api.get(f"/api/data/projects/{project.id}").json()
    assert body["id"] == str(project.id)
    assert body["type"] == "Project"
    assert body["start_date"] == "2026-01-05"
    assert len(body["created_at"]) == 19 and body["created_at"][10] == "T"
    assert body["project_status_id"] == str(project.project_status_id)
    assert body["team"] == [] and body["task_types"] == []
    no_relations = api.get(f"/api/data/projects/{project.id}?relations=false").json()
    assert "team" not in no_relations


def test_list_filters(api):
    a = factories.make_task_type(name="Modeling", for_entity="Asset")
    b = factories.make_task_type(name="Layout", for_entity="Shot")
    factories.make_task_type(name="Rigging", for_entity="Asset", allow_timelog=False)
    names = lambda response: sorted(row["name"] for row in response.json())  # noqa: E731
    assert names(api.get("/api/data/task-types?for_entity=Asset")) == ["Modeling", "Rigging"]
    assert names(api.get("/api/data/task-types?name=modeling")) == ["Modeling"]
    assert names(api.get("/api/data/task-types?allow_timelog=false")) == ["Rigging"]
    assert names(api.get(f'/api/data/task-types?id=["{a.id}","{b.id}"]')) == ["Layout", "Modeling"]
    assert names(api.get("/api/data/task-types?department_id=null")) == ["Layout", "Modeling", "Rigging"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("bogus=1", "Unknown filter field: bogus."),
        ("id=12", "Invalid value for id"),
        ("id=[1,", "Malformed list filter for field id."),
        ("priority=high", "Invalid value for priority"),
        ("page=first", "page must be an integer."),
        ("page=1&limit=-1", "limit must be a positive integer."),
    ],
)
def test_bad_filters_are_400(api, query, message):
    response = api.get(f"/api/data/task-types?{query}")
    assert response.status_code == 400
    assert response.json()["error"] is True
    assert message in response.json()["message"]


def test_pagination_envelope(api):
    for i in range(5):
        factories.make_task_type(name=f"Type {i}")
    page = api.get("/api/data/task-types?page=2&limit=2").json()
    assert {k: page[k] for k in ("total", "nb_pages", "limit", "offset", "page")} == {
        "total": 5,
        "nb_pages": 3,
        "limit": 2,
        "offset": 2,
        "page": 2,
    }
    assert len(page["data"]) == 2
    all_ids = {
        row["id"]
        for p in (1, 2, 3)
        for row in api.get(f"/api/data/task-types?page={p}&limit=2").json()["data"]
    }
    assert len(all_ids) == 5
    beyond = api.get("/api/data/task-types?page=9&limit=2").json()
    assert beyond["data"] == [] and beyond["total"] == 5
    default_limit = api.get("/api/data/task-types?page=1").json()
    assert default_limit["limit"] == 100


def test_fields_picks_columns(api):
    factories.make_task_type(name="Only")
    assert api.get("/api/data/task-types?fields=name,color").json() == [{"name": "Only", "color": "#FFFFFF"}]


def test_create_update_delete_record_events(api, admin_person):
    response = api.post("/api/data/task-types", {"name": "Animation", "for_entity": "Shot"}, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "Animation" and created["priority"] == 1 and created["type"] == "TaskType"
    response = api.put(f"/api/data/task-types/{created['id']}", {"color": "#123456"}, format="json")
    assert response.status_code == 200 and response.json()["color"] == "#123456"
    assert api.delete(f"/api/data/task-types/{created['id']}").status_code == 204
    assert not TaskType.objects.exists()
    events = list(ApiEvent.objects.order_by("created_at").values_list("name", "data", "user_id"))
    assert [e[0] for e in events] == ["task-type:new", "task-type:update", "task-type:delete"]
    assert events[0][1] == {"task_type_id": created["id"]}
    assert events[0][2] == admin_person.id


def test_events_of_project_objects_carry_the_project_id(api):
    project = factories.make_project()
    response = api.post(
        "/api/data/milestones", {"name": "Pitch", "project_id": str(project.id)}, format="json"
    )
    assert response.status_code == 201, response.json()
    event = ApiEvent.objects.get(name="milestone:new")
    assert event.project_id == project.id
    assert event.data == {"milestone_id": response.json()["id"], "project_id": str(project.id)}


def test_create_validation_writes_nothing(api):
    cases = [
        ({"for_entity": "Shot"}, "name"),  # missing required field
        ({"name": "X", "priority": "high"}, "priority"),  # wrong type
        ({"name": "X", "department_id": "not-an-id"}, "department_id"),  # malformed id
        ({"name": "X", "department_id": str(uuid.uuid4())}, "department_id"),  # unknown id
        ({"name": "X" * 41}, "name"),  # too long
    ]
    for body, fragment in cases:
        response = api.post("/api/data/task-types", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"] is True
        assert fragment in response.json()["message"], (body, response.json())
    assert not TaskType.objects.exists()
    assert not ApiEvent.objects.exists()


def test_non_json_body_is_400(api):
    response = api.post("/api/data/task-types", "name=x", content_type="text/plain")
    assert response.status_code in (400, 415)
    response = api.post("/api/data/task-types", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert not TaskType.objects.exists()


def test_duplicate_is_400_with_a_clear_message(api):
    body = {"name": "Same", "color": "#000000"}
    assert api.post("/api/data/project-status", body, format="json").status_code == 201
    response = api.post("/api/data/project-status", body, format="json")
    assert response.status_code == 400
    assert "same unique values" in response.json()["message"]
    assert ProjectStatus.objects.filter(name="Same").count() == 1


def test_update_ignores_protected_columns(api):
    project = factories.make_project(name="Kept")
    other = factories.make_project(name="Other")
    body = {"id": str(uuid.uuid4()), "created_at": "2000-01-01T00:00:00", "name": "Renamed"}
    response = api.put(f"/api/data/projects/{project.id}", body, format="json")
    assert response.status_code == 200
    assert response.json()["id"] == str(project.id)
    assert response.json()["name"] == "Renamed"
    assert response.json()["created_at"] != "2000-01-01T00:00:00"
    assert Project.objects.filter(pk=other.pk).exists()


def test_update_sets_relations_and_refuses_unknown_ids(api):
    person = factories.make_person()
    department = factories.make_department()
    url = f"/api/data/persons/{person.id}"
    response = api.put(url, {"departments": [str(department.id)]}, format="json")
    assert response.status_code == 200 and response.json()["departments"] == [str(department.id)]
    response = api.put(url, {"departments": [str(uuid.uuid4())]}, format="json")
    assert response.status_code == 400 and "departments" in response.json()["message"]
    assert list(person.departments.all()) == [department]


def test_a_project_team_sent_back_in_an_update_is_ignored(api):
    """The team routes set a team (reference: ProjectResource protects `team`)."""
    project = factories.make_project()
    person = factories.make_person()
    body = {"team": [str(person.id)], "description": "Kept"}
    response = api.put(f"/api/data/projects/{project.id}", body, format="json")
    assert response.status_code == 200 and response.json()["team"] == []
    assert response.json()["description"] == "Kept" and not project.team.exists()


def test_missing_and_malformed_ids(api):
    missing = api.get(f"/api/data/projects/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["error"] is True
    assert api.put(f"/api/data/projects/{uuid.uuid4()}", {"name": "x"}, format="json").status_code == 404
    assert api.delete(f"/api/data/projects/{uuid.uuid4()}").status_code == 404
    malformed = api.get("/api/data/projects/12345")
    assert malformed.status_code == 400 and malformed.json()["message"] == "Malformed ID."


def test_protected_delete_is_400_naming_the_dependents(api):
    project = factories.make_project()
    task_type = factories.make_task_type()
    factories.make_task(factories.make_asset(project), task_type)
    response = api.delete(f"/api/data/task-types/{task_type.id}")
    assert response.status_code == 400
    assert "task" in response.json()["message"]
    assert TaskType.objects.filter(pk=task_type.pk).exists()


def test_list_route_methods_follow_the_catalog(api):
    assert api.get("/api/data/task-type-links").status_code == 405


def test_openapi_schema_and_docs_are_served():
    schema = APIClient().get("/api/openapi.json", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/data/projects/{instance_id}" in schema.json()["paths"]
    assert APIClient().get("/api/docs").status_code == 200


def test_list_rows_equal_single_objects(api, admin_person):
    """The list fast path (text rows on PostgreSQL) renders exactly like the single-object path."""
    project = factories.make_project(name="Same shape", start_date="2026-02-03", data={"k": [1, {"a": None}]})
    project.team.add(admin_person)
    factories.make_project(name="Second")
    rows = {row["id"]: row for row in api.get("/api/data/projects?relations=true").json()}
    extras = (
        "descriptors",
        "task_type_links",
        "task_types_priority",
        "task_statuses_link",
        "project_status_name",
    )
    for project_id, row in rows.items():
        one = api.get(f"/api/data/projects/{project_id}").json()  # a project read alone has extras
        assert {key: value for key, value in one.items() if key not in extras} == row
    assert rows[str(project.id)]["data"] == {"k": [1, {"a": None}]}
    assert rows[str(project.id)]["team"] == [str(admin_person.id)]


def test_a_filter_that_can_match_nothing_gives_an_empty_list(api):
    """Regression: `id__in=[]` made the PostgreSQL fast path raise EmptyResultSet (a 500)."""
    factories.make_task_type(name="Any")
    assert api.get("/api/data/task-types?id=[]").json() == []
    assert api.get("/api/data/task-types?id=[]&page=1").json()["data"] == []


def test_a_refused_update_is_403_whatever_its_body():
    project = factories.make_project(name="Kept")
    artist = factories.make_person(role="user")
    url = f"/api/data/projects/{project.pk}"
    for body in ({"name": "Renamed"}, {"fps": "not a number"}, {"no_such_column": 1}, ["not", "a", "dict"]):
        response = client_for(artist).put(url, body, format="json")
        assert response.status_code == 403, body
    project.refresh_from_db()
    assert project.name == "Kept"
