"""The OpenAPI schema documents what the API answers (the conventions, checked on real answers;
tests/test_openapi_fuzz.py fuzzes every operation against it)."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def api(admin_person):
    return client_for(admin_person)


def list_answer(openapi, path):
    return openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_timestamps_are_documented_without_time_zone_as_answered(openapi, api, show):
    created_at = openapi["components"]["schemas"]["Project"]["properties"]["created_at"]
    assert "format" not in created_at  # not an RFC 3339 date-time: the API writes no zone
    answer = api.get(f"/api/data/projects/{show.pk}").json()
    assert re.match(created_at["pattern"], answer["created_at"])
    assert re.match(created_at["pattern"], answer["updated_at"])
    assert not re.match(created_at["pattern"], "2026-01-05T13:23:10+00:00")


def test_hand_written_serializers_share_the_timestamp_shape(openapi):
    login_logs = openapi["components"]["schemas"]["DesktopLoginLog"]["properties"]
    assert "format" not in login_logs["date"] and login_logs["date"]["pattern"].startswith("^[1-9]")


def test_a_data_list_is_rows_or_with_page_the_envelope(openapi, api, show):
    rows, envelope, delta = list_answer(openapi, "/api/data/projects")["oneOf"]
    assert sorted(delta["required"]) == ["deleted_ids", "rows", "server_time", "updated_since"]
    assert rows["type"] == "array"
    assert envelope["type"] == "object" and envelope["properties"]["data"]["type"] == "array"
    assert isinstance(api.get("/api/data/projects").json(), list)
    page = api.get("/api/data/projects?page=1&limit=1").json()
    assert sorted(page) == sorted(envelope["required"])


def test_relation_lists_are_documented_only_when_asked(openapi, api, show):
    project = openapi["components"]["schemas"]["Project"]
    assert "team" in project["properties"] and "team" not in project["required"]
    assert "name" in project["required"]
    [row] = api.get("/api/data/projects").json()
    assert "team" not in row  # lists leave relations out unless `relations=true`
    assert "team" in api.get(f"/api/data/projects/{show.pk}").json()


def test_fields_rows_keep_only_the_columns_named(openapi, api, show):
    rows, *_ = list_answer(openapi, "/api/data/projects")["oneOf"]
    subset = rows["items"]["anyOf"][1]["$ref"].rsplit("/", 1)[1]
    assert "required" not in openapi["components"]["schemas"][subset]
    assert api.get("/api/data/projects?fields=name").json() == [{"name": show.name}]


def test_nullable_columns_are_documented_nullable(openapi, api):
    factories.make_project(name="No dates")
    start_date = openapi["components"]["schemas"]["Project"]["properties"]["start_date"]
    assert start_date["nullable"] is True
    assert api.get("/api/data/projects").json()[0]["start_date"] is None


def test_a_persons_nullable_flags_are_documented_nullable_in_the_minimal_shape(openapi, api):
    """A person's `active` and `has_avatar` are nullable columns (the reference's): a department's
    member list answered null where its schema said boolean (found by a deeper fuzzer run)."""
    department = factories.make_department(name="Lighting")
    person = factories.make_person(role="user", email="null-flags@example.com")
    person.departments.add(department)
    type(person).objects.filter(pk=person.pk).update(active=None, has_avatar=None)
    minimal = openapi["components"]["schemas"]["MinimalPerson"]["properties"]
    assert minimal["active"]["nullable"] is True and minimal["has_avatar"]["nullable"] is True
    [row] = api.get(f"/api/data/departments/{department.pk}/persons").json()
    assert row["active"] is None and row["has_avatar"] is None


def test_a_paginated_hand_written_list_is_documented_as_both(openapi):
    rows, envelope, delta = list_answer(openapi, "/api/data/projects/{project_id}/tasks")["oneOf"]
    assert delta["properties"]["rows"]["items"] == {"$ref": "#/components/schemas/Task"}
    assert rows["items"] == {"$ref": "#/components/schemas/Task"}
    assert "nb_pages" in envelope["required"]
