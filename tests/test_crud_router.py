"""The router of the generic /data family and the FilterSet of its lists.

The router gives every registered policy Kitsu's two routes, with and without a trailing slash,
named as before, answering only the methods of the route (405 otherwise). The FilterSet built per
policy serves the query-string filters with the semantics of the reference (pinned through the
routes in test_crud_generic.py); here its parts are checked directly.
"""

import uuid

import pytest
from django.http import QueryDict
from django.urls import reverse

from kitsu_server import urls  # noqa: F401  (importing the URL table registers every /data policy)
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.data.filters import (
    ColumnFilter,
    CustomFilter,
    DataFilterBackend,
    RelationFilter,
    filterset_for,
)
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.routers import data_router
from kitsu_server.core.data.viewsets import DataViewSet
from kitsu_server.routing import route_regex
from tasks.models import TaskType
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db
PATHS = sorted(REGISTRY)
ROUTE_NOT_FOUND = "404 Not Found: The requested URL was not found on the server."
NOT_ALLOWED = "The method is not allowed for the requested URL."


@pytest.fixture
def api(admin_person):
    return client_for(admin_person)


def answered_by_a_view(response):
    """The route exists: whatever the view answered, it was not the 404 of an unknown path."""
    return response.status_code != 404 or not response.json()["message"].startswith(ROUTE_NOT_FOUND)


# --- routes ------------------------------------------------------------------------------------


def test_the_router_gives_each_policy_its_two_kitsu_routes():
    patterns = data_router().urls
    assert len(patterns) == 2 * len(REGISTRY)
    regexes = {pattern.name: pattern.pattern.regex.pattern for pattern in patterns}
    for path in PATHS:
        name = path.replace("-", "_")
        # The regex a hand-written route of the same path would have (kitsu_server.routing).
        assert regexes[f"{name}-list"] == route_regex(f"/data/{path}")
        assert regexes[f"{name}-detail"] == route_regex(f"/data/{path}/{{instance_id}}")


def test_route_names_reverse_to_the_kitsu_paths():
    instance_id = uuid.uuid4()
    assert reverse("projects-list") == "/api/data/projects"
    detail = reverse("projects-detail", kwargs={"instance_id": instance_id})
    assert detail == f"/api/data/projects/{instance_id}"
    assert reverse("task_types-list") == "/api/data/task-types"


def test_each_route_is_served_by_the_viewset_of_its_policy():
    for pattern in data_router().urls:
        view_class = pattern.callback.cls
        assert issubclass(view_class, DataViewSet)
        assert REGISTRY[view_class.policy.path] is view_class.policy
        assert view_class.filter_backends == [DataFilterBackend]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("slash", ["", "/"])
def test_every_route_answers_with_and_without_trailing_slash(api, path, slash):
    policy = REGISTRY[path]
    if "get" in policy.list_methods:
        assert api.get(f"/api/data/{path}{slash}").status_code == 200
    else:
        response = api.post(f"/api/data/{path}{slash}", {}, format="json")  # no required column: a 400
        assert response.status_code == 400 and answered_by_a_view(response)
    response = api.get(f"/api/data/{path}/{uuid.uuid4()}{slash}")
    assert response.status_code == 404 and answered_by_a_view(response)  # the view's "<Model> not found."


@pytest.mark.parametrize("path", PATHS)
def test_methods_a_route_lacks_are_405(api, path):
    policy = REGISTRY[path]
    instance = f"/api/data/{path}/{uuid.uuid4()}"
    for method, url in [
        ("put", f"/api/data/{path}"),
        ("delete", f"/api/data/{path}"),
        ("patch", f"/api/data/{path}"),
        ("post", instance),
        ("patch", instance),
        *([] if "get" in policy.list_methods else [("get", f"/api/data/{path}")]),
    ]:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 405, (method, url)
        assert response.json()["message"] == NOT_ALLOWED


def test_the_allow_header_lists_the_methods_of_the_route(api):
    project = factories.make_project()
    response = api.get("/api/data/projects")
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    response = api.get(f"/api/data/projects/{project.pk}")
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
    response = api.post("/api/data/task-type-links", {}, format="json")
    assert set(response["Allow"].split(", ")) == {"OPTIONS", "POST"}


def test_head_answers_where_get_does(api):
    project = factories.make_project()
    assert api.head("/api/data/projects").status_code == 200
    assert api.head(f"/api/data/projects/{project.pk}").status_code == 200
    assert api.head("/api/data/task-type-links").status_code == 405


def test_options_describe_the_body_of_the_route(api):
    body = api.options("/api/data/task-types").json()
    assert body["actions"]["POST"]["name"]["required"] is True
    task_type = factories.make_task_type()
    body = api.options(f"/api/data/task-types/{task_type.pk}").json()
    assert body["actions"]["PUT"]["name"]["required"] is False


# --- the FilterSet -----------------------------------------------------------------------------


def filtered(path, query, readable=None):
    policy = REGISTRY[path]
    filterset = filterset_for(policy)(QueryDict(query), policy.base_queryset(), readable=readable)
    return filterset.qs


def test_a_filterset_has_a_filter_per_column_relation_and_custom_filter():
    persons = REGISTRY["persons"]
    filters = filterset_for(persons).base_filters
    names = {*persons.fields_by_column, *persons.relations, *persons.custom_filters}
    assert set(filters) == names
    assert isinstance(filters["departments"], RelationFilter)
    assert isinstance(filters["email"], CustomFilter)  # a custom filter wins over the column
    assert isinstance(filters["first_name"], ColumnFilter)
    assert filterset_for(persons) is filterset_for(persons)  # built once per policy


def test_column_filters_equality_lists_null_and_a_case_insensitive_name():
    modeling = factories.make_task_type(name="Modeling", for_entity="Asset")
    department = factories.make_department()
    layout = factories.make_task_type(name="Layout", for_entity="Shot", department=department)
    names = lambda query: sorted(filtered("task-types", query).values_list("name", flat=True))  # noqa: E731
    assert names("for_entity=Shot") == ["Layout"]
    assert names("name=MODELING") == ["Modeling"]
    assert names(f'id=["{modeling.pk}", "{layout.pk}"]') == ["Layout", "Modeling"]
    assert names("id=[]") == []
    assert names("department_id=null") == ["Modeling"]
    assert names("name=Layout&name=Modeling") == ["Modeling"]  # a repeated key: its last value
    assert names("page=2&limit=1&relations=true&fields=name") == ["Layout", "Modeling"]  # no filters


def test_a_relation_filters_by_membership():
    department = factories.make_department()
    member = factories.make_person(email="member@example.com")
    member.departments.add(department)
    factories.make_person(email="other@example.com")
    rows = filtered("persons", f"departments={department.pk}")
    assert list(rows.values_list("email", flat=True)) == ["member@example.com"]
    with pytest.raises(WrongParameter, match="Invalid value for departments"):
        filtered("persons", "departments=nope")


def test_a_custom_filter_reads_the_whole_query_string():
    with pytest.raises(WrongParameter, match="both a `start_date` and an `end_date`"):
        filtered("time-spents", "start_date=2026-01-01")
    assert not filtered("time-spents", "start_date=2026-01-01&end_date=2026-01-31").exists()


def test_the_first_wrong_key_of_the_query_string_is_the_one_named():
    with pytest.raises(WrongParameter, match="Unknown filter field: bogus."):
        filtered("task-types", "bogus=1&id=12")
    with pytest.raises(WrongParameter, match="Invalid value for id"):
        filtered("task-types", "id=12&bogus=1")
    with pytest.raises(WrongParameter, match="Invalid UUID format for episode_id"):
        filtered("tasks", "episode_id=nope&id=12")


def test_a_column_the_person_cannot_read_cannot_filter():
    factories.make_task_type(name="Modeling")
    assert filtered("task-types", "name=modeling", readable={"name"}).count() == 1
    with pytest.raises(WrongParameter, match="Unknown filter field: color."):
        filtered("task-types", "color=x", readable={"name"})


def test_wrong_values_are_400_naming_the_column():
    for query, message in [
        ("priority=high", "Invalid value for priority"),
        ("priority=99999999999", "out of range"),
        ("id=[1,", "Malformed list filter for field id."),
        ('id={"a": 1}', "Invalid value for id"),
        ("id=[{}]", "Invalid value for id"),
        ("for_entity=a%00b", "null characters are not allowed"),
    ]:
        with pytest.raises(WrongParameter, match=message):
            list(filtered("task-types", query))
    assert not TaskType.objects.exists()
