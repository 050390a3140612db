"""The `user` routes of the requester's saved search filters and filter groups."""

import uuid

import pytest

from people.models import SearchFilter, SearchFilterGroup
from productions.models import ProjectPersonLink
from tasks.models import ApiEvent
from tests import factories
from tests.factories import client_for
from tests.user.conftest import ADMIN, OUTSIDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(show):
    """The named team, its outsider a manager of no team."""
    outsider = {**OUTSIDER, "role": "manager"}
    return factories.make_team(show, surname="Member", outsider=outsider, admin=ADMIN, password=None)


FILTER_KEYS = {
    "id",
    "type",
    "created_at",
    "updated_at",
    "list_type",
    "entity_type",
    "name",
    "search_query",
    "is_shared",
    "department_id",
    "search_filter_group_id",
    "person_id",
    "project_id",
}
GROUP_KEYS = (FILTER_KEYS - {"search_query", "search_filter_group_id"}) | {"color"}


def call(person, method, path, body=None):
    return getattr(client_for(person), method)(f"/api/data/user/{path}", body, format="json")


def names(grouped):
    return {
        key: {p: [row["name"] for row in rows] for p, rows in value.items()} for key, value in grouped.items()
    }


# --- filters: create ----------------------------------------------------------------------------


def test_saving_a_filter(show, team):
    body = {
        "name": "heroes",
        "query": "hero",
        "list_type": "asset",
        "project_id": str(show.pk),
        "entity_type": "Asset",
    }
    response = call(team["user"], "post", "filters", body)
    assert response.status_code == 201
    data = response.json()
    assert set(data) == FILTER_KEYS
    assert data["type"] == "SearchFilter" and data["search_query"] == "hero" and data["name"] == "heroes"
    assert data["list_type"] == "asset" and data["entity_type"] == "Asset" and data["is_shared"] is False
    assert data["person_id"] == str(team["user"].pk) and data["project_id"] == str(show.pk)
    response = call(team["user"], "post", "filters", {"name": "todo", "query": "x"})
    assert response.json()["list_type"] == "todo" and response.json()["project_id"] is None
    assert not ApiEvent.objects.exists()  # the reference emits nothing for filters


def test_only_a_manager_of_the_project_shares_a_filter(show, team):
    body = {"name": "shared", "query": "x", "project_id": str(show.pk), "is_shared": True}
    assert call(team["user"], "post", "filters", body).json()["is_shared"] is False
    assert call(team["outsider"], "post", "filters", body).json()["is_shared"] is False
    assert call(team["manager"], "post", "filters", body).json()["is_shared"] is True
    assert call(team["admin"], "post", "filters", body).json()["is_shared"] is True
    no_project = {"name": "shared", "query": "x", "is_shared": True}
    assert call(team["manager"], "post", "filters", no_project).json()["is_shared"] is False


def test_a_filter_shares_as_its_group_does(show, team):
    group = SearchFilterGroup.objects.create(list_type="todo", name="g", person=team["manager"], project=show)
    body = {"name": "f", "query": "x", "project_id": str(show.pk), "is_shared": True}
    response = call(team["manager"], "post", "filters", {**body, "search_filter_group_id": str(group.pk)})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "A search filter should have the same value for is_shared than its search filter group."
    )
    response = call(
        team["manager"],
        "post",
        "filters",
        {**body, "is_shared": False, "search_filter_group_id": str(group.pk)},
    )
    assert response.status_code == 201 and response.json()["search_filter_group_id"] == str(group.pk)


def test_saving_a_filter_refuses_bad_input(show, team):
    artist = team["user"]
    for body in (
        {"query": "x"},
        {"name": "", "query": "x"},
        {"name": "f"},
        {"name": "f", "query": ""},
        {"name": "f", "query": "x", "project_id": "bad"},
        {"name": "f" * 201, "query": "x"},
    ):
        response = call(artist, "post", "filters", body)
        assert response.status_code == 400, body
        assert response.json()["error"] is True
    response = call(artist, "post", "filters", {"name": "f", "query": "x", "project_id": str(uuid.uuid4())})
    assert response.status_code == 404
    response = call(
        artist, "post", "filters", {"name": "f", "query": "x", "department_id": str(uuid.uuid4())}
    )
    assert response.status_code == 404
    response = call(
        artist, "post", "filters", {"name": "f", "query": "x", "search_filter_group_id": str(uuid.uuid4())}
    )
    assert response.status_code == 404
    # Another person's private group is not one to file a filter in.
    theirs = SearchFilterGroup.objects.create(list_type="todo", name="g", person=team["manager"])
    response = call(
        artist, "post", "filters", {"name": "f", "query": "x", "search_filter_group_id": str(theirs.pk)}
    )
    assert response.status_code == 404
    assert not SearchFilter.objects.exists()


# --- filters: list ------------------------------------------------------------------------------


def test_filters_are_grouped_by_list_type_and_project(show, team):
    artist, manager = team["user"], team["manager"]
    mine = factories.make_department("Mine")
    theirs = factories.make_department("Theirs")
    artist.departments.add(mine)
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    ProjectPersonLink.objects.create(project=closed, person=artist)
    other = factories.make_project(name="Other")
    SearchFilter.objects.create(list_type="asset", name="mine", search_query="a", person=artist)
    SearchFilter.objects.create(
        list_type="asset", name="in show", search_query="b", person=artist, project=show
    )
    SearchFilter.objects.create(
        list_type="shot", name="shared", search_query="c", person=manager, is_shared=True, project=show
    )
    SearchFilter.objects.create(
        list_type="shot", name="private", search_query="d", person=manager, project=show
    )
    SearchFilter.objects.create(
        list_type="asset", name="closed", search_query="e", person=artist, project=closed
    )
    SearchFilter.objects.create(
        list_type="edit",
        name="dept",
        search_query="f",
        person=manager,
        is_shared=True,
        department=mine,
        project=show,
    )
    SearchFilter.objects.create(
        list_type="todo",
        name="other dept",
        search_query="g",
        person=manager,
        is_shared=True,
        department=theirs,
        project=show,
    )
    SearchFilter.objects.create(
        list_type="shot",
        name="elsewhere",
        search_query="h",
        person=team["outsider"],
        is_shared=True,
        project=other,
    )
    response = call(artist, "get", "filters")
    assert response.status_code == 200
    assert names(response.json()) == {
        "asset": {"all": ["mine"], str(show.pk): ["in show"]},
        "shot": {str(show.pk): ["shared"]},
        "edit": {str(show.pk): ["dept"]},
    }
    assert set(response.json()["asset"]["all"][0]) == FILTER_KEYS
    manager_view = names(call(manager, "get", "filters").json())
    assert manager_view["todo"] == {str(show.pk): ["other dept"]}
    assert manager_view["shot"] == {str(show.pk): ["shared", "private"]}
    # A shared filter of a project outside the team stays out of sight; an admin sees it.
    assert "elsewhere" not in str(manager_view)
    assert names(call(team["admin"], "get", "filters").json())["shot"][str(other.pk)] == ["elsewhere"]


def test_the_filter_list_runs_a_bounded_number_of_queries(show, team, django_assert_max_num_queries):
    department = factories.make_department()
    team["user"].departments.add(department)

    def build(count):
        for index in range(count):
            SearchFilter.objects.create(
                list_type="asset", name=f"f{index}", search_query="x", person=team["user"], project=show
            )
            SearchFilter.objects.create(
                list_type="shot",
                name=f"s{index}",
                search_query="x",
                person=team["manager"],
                project=show,
                is_shared=True,
                department=department,
            )

    build(1)
    client = client_for(team["user"])
    with django_assert_max_num_queries(10) as small:
        client.get("/api/data/user/filters")
    baseline = len(small.captured_queries)
    build(20)
    with django_assert_max_num_queries(baseline):
        grouped = client.get("/api/data/user/filters").json()
    assert len(grouped["asset"][str(show.pk)]) == 21 and len(grouped["shot"][str(show.pk)]) == 21


# --- filters: update and delete ---------------------------------------------------------------------


def test_updating_ones_filter(show, team):
    artist = team["user"]
    search_filter = SearchFilter.objects.create(list_type="asset", name="f", search_query="a", person=artist)
    group = SearchFilterGroup.objects.create(list_type="asset", name="g", person=artist)
    response = call(
        artist,
        "put",
        f"filters/{search_filter.pk}",
        {"name": "renamed", "search_filter_group_id": str(group.pk)},
    )
    assert response.status_code == 200
    assert response.json()["name"] == "renamed" and response.json()["search_filter_group_id"] == str(group.pk)
    response = call(artist, "put", f"filters/{search_filter.pk}", {"search_query": "zz", "name": None})
    assert response.json()["search_query"] == "zz" and response.json()["name"] == "renamed"
    response = call(artist, "put", f"filters/{search_filter.pk}", {"search_filter_group_id": None})
    assert response.json()["search_filter_group_id"] is None
    # Sharing needs the project in the same body, and a manager of it.
    response = call(
        artist, "put", f"filters/{search_filter.pk}", {"is_shared": True, "project_id": str(show.pk)}
    )
    assert response.json()["is_shared"] is False and response.json()["project_id"] == str(show.pk)
    assert not ApiEvent.objects.exists()


def test_a_filter_of_someone_else_is_not_found(team):
    theirs = SearchFilter.objects.create(
        list_type="asset", name="f", search_query="a", person=team["manager"]
    )
    assert call(team["user"], "put", f"filters/{theirs.pk}", {"name": "x"}).status_code == 404
    assert call(team["user"], "delete", f"filters/{theirs.pk}").status_code == 404
    assert call(team["user"], "put", f"filters/{uuid.uuid4()}", {"name": "x"}).status_code == 404
    assert call(team["user"], "put", "filters/bad", {"name": "x"}).status_code == 400
    theirs.refresh_from_db()
    assert theirs.name == "f"
    assert call(team["admin"], "put", f"filters/{theirs.pk}", {"name": "fixed"}).json()["name"] == "fixed"
    assert call(team["admin"], "delete", f"filters/{theirs.pk}").status_code == 204
    assert not SearchFilter.objects.exists()


def test_a_filter_update_refuses_bad_input(show, team):
    artist = team["user"]
    search_filter = SearchFilter.objects.create(list_type="asset", name="f", search_query="a", person=artist)
    shared_group = SearchFilterGroup.objects.create(
        list_type="asset", name="g", person=team["manager"], project=show, is_shared=True
    )
    path = f"filters/{search_filter.pk}"
    assert call(artist, "put", path, {"department_id": str(uuid.uuid4())}).status_code == 404
    assert call(artist, "put", path, {"project_id": "bad"}).status_code == 400
    assert call(artist, "put", path, {"name": "x" * 201}).status_code == 400
    response = call(artist, "put", path, {"search_filter_group_id": str(shared_group.pk)})
    assert response.status_code == 400 and "is_shared" in response.json()["message"]
    search_filter.refresh_from_db()
    assert (search_filter.name, search_filter.search_filter_group_id, search_filter.department_id) == (
        "f",
        None,
        None,
    )


def test_deleting_ones_filter(team):
    mine = SearchFilter.objects.create(list_type="asset", name="f", search_query="a", person=team["user"])
    assert call(team["user"], "delete", f"filters/{mine.pk}").status_code == 204
    assert call(team["user"], "delete", f"filters/{mine.pk}").status_code == 404
    assert call(team["user"], "delete", "filters/bad").status_code == 400


# --- filter groups ----------------------------------------------------------------------------------


def test_saving_and_reading_a_filter_group(show, team):
    body = {"name": "g1", "color": "#fff", "list_type": "asset", "project_id": str(show.pk)}
    response = call(team["user"], "post", "filter-groups", body)
    assert response.status_code == 201
    data = response.json()
    assert set(data) == GROUP_KEYS
    assert data["type"] == "SearchFilterGroup" and data["color"] == "#fff" and data["is_shared"] is False
    assert data["person_id"] == str(team["user"].pk)
    assert call(team["user"], "get", f"filter-groups/{data['id']}").json() == data
    assert call(team["manager"], "get", f"filter-groups/{data['id']}").status_code == 404
    assert call(team["admin"], "get", f"filter-groups/{data['id']}").json()["id"] == data["id"]
    assert call(team["user"], "get", f"filter-groups/{uuid.uuid4()}").status_code == 404
    assert call(team["user"], "get", "filter-groups/bad").status_code == 400
    shared = call(team["manager"], "post", "filter-groups", {**body, "is_shared": True}).json()
    assert shared["is_shared"] is True
    assert (
        call(team["user"], "post", "filter-groups", {**body, "is_shared": True}).json()["is_shared"] is False
    )


def test_a_filter_group_refuses_bad_input(team):
    for body in (
        {"color": "#fff"},
        {"name": ""},
        {"name": "g", "color": "#123456789"},
        {"name": "g", "project_id": "nope"},
    ):
        assert call(team["user"], "post", "filter-groups", body).status_code == 400, body
    assert (
        call(
            team["user"], "post", "filter-groups", {"name": "g", "department_id": str(uuid.uuid4())}
        ).status_code
        == 404
    )
    assert not SearchFilterGroup.objects.exists()


def test_filter_groups_list_newest_first(show, team):
    artist = team["user"]
    theirs = factories.make_department("Theirs")
    first = SearchFilterGroup.objects.create(list_type="asset", name="first", person=artist, project=show)
    second = SearchFilterGroup.objects.create(list_type="asset", name="second", person=artist, project=show)
    SearchFilterGroup.objects.filter(pk=first.pk).update(created_at=second.created_at.replace(year=2000))
    SearchFilterGroup.objects.create(
        list_type="todo", name="dept", person=team["manager"], project=show, is_shared=True, department=theirs
    )
    SearchFilterGroup.objects.create(list_type="shot", name="private", person=team["manager"], project=show)
    response = call(artist, "get", "filter-groups")
    assert response.status_code == 200
    # A group kept from the requester by its department still shows its list type, as on the reference.
    assert names(response.json()) == {"asset": {str(show.pk): ["second", "first"]}, "todo": {}}


def test_updating_a_group_carries_its_filters_sharing(show, team):
    manager = team["manager"]
    group = SearchFilterGroup.objects.create(list_type="asset", name="g", person=manager, project=show)
    kept = SearchFilter.objects.create(
        list_type="asset", name="f", search_query="a", person=manager, project=show, search_filter_group=group
    )
    body = {"name": "renamed", "color": "#000", "is_shared": True, "project_id": str(show.pk)}
    response = call(manager, "put", f"filter-groups/{group.pk}", body)
    assert response.status_code == 200
    assert response.json()["name"] == "renamed" and response.json()["is_shared"] is True
    kept.refresh_from_db()
    assert kept.is_shared is True
    assert call(manager, "put", f"filter-groups/{group.pk}", {"name": None}).json()["name"] == "renamed"
    assert call(team["user"], "put", f"filter-groups/{group.pk}", {"name": "mine"}).status_code == 404
    assert call(manager, "put", f"filter-groups/{group.pk}", {"is_shared": "maybe"}).status_code == 400
    group.refresh_from_db()
    assert group.name == "renamed"


def test_deleting_a_group_removes_its_filters(team):
    group = SearchFilterGroup.objects.create(list_type="asset", name="g", person=team["user"])
    SearchFilter.objects.create(
        list_type="asset", name="f", search_query="a", person=team["user"], search_filter_group=group
    )
    assert call(team["manager"], "delete", f"filter-groups/{group.pk}").status_code == 404
    assert call(team["user"], "delete", f"filter-groups/{group.pk}").status_code == 204
    assert not SearchFilter.objects.exists() and not SearchFilterGroup.objects.exists()
    assert call(team["user"], "delete", "filter-groups/bad").status_code == 400
