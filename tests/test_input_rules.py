"""The input rules every route shares (kitsu_server.api.inputs): each bad value is a 400 naming
it, with nothing written, rather than a database error. The sweep of every write route is in
test_hostile_input.py."""

import datetime
import uuid

import pytest
from django.db import DataError
from rest_framework import serializers

from assets.models import Entity
from kitsu_server.api.errors import kitsu_exception_handler
from kitsu_server.api.inputs import MAX_JSON_DEPTH, harden
from people.models import Person
from productions.models import Project
from tasks.models import ApiEvent, Comment, Task
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

INT32_MAX = 2**31 - 1


@pytest.fixture
def api(admin_person):
    return client_for(admin_person)


@pytest.fixture
def task(show):
    asset = factories.make_asset(show, name="chair")
    status = factories.make_task_status(name="Todo", short_name="todo", is_default=True)
    return factories.make_task(asset, factories.make_task_type(), status)


def nesting(levels):
    """A JSON text of `levels` nested lists."""
    return "[" * levels + "]" * levels


def unchanged(instance, **columns):
    instance.refresh_from_db()
    return all(getattr(instance, name) == value for name, value in columns.items())


# --- integers within their column -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (INT32_MAX + 1, f"priority: Ensure this value is less than or equal to {INT32_MAX}."),
        (-(2**31) - 1, f"priority: Ensure this value is greater than or equal to {-(2**31)}."),
        (2**63, f"priority: Ensure this value is less than or equal to {INT32_MAX}."),
        (2**64, "priority: A valid integer is required."),  # beyond 64 bits JSON reads a float
    ],
)
def test_an_integer_beyond_its_column_is_a_400_naming_it(api, task, value, message):
    response = api.put(f"/api/data/tasks/{task.pk}", {"priority": value}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert unchanged(task, priority=0)


def test_the_integer_range_follows_the_column_size(api, task):
    entity = task.entity
    assert (
        api.put(f"/api/data/entities/{entity.pk}", {"nb_frames": INT32_MAX}, format="json").status_code == 200
    )
    response = api.put(f"/api/data/entities/{entity.pk}", {"nb_frames": INT32_MAX + 1}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith("nb_frames: Ensure")
    preview = factories_preview(task)
    # file_size is a 64-bit column: beyond 32 bits is fine, beyond 64 is not.
    response = api.put(f"/api/data/preview-files/{preview.pk}", {"file_size": 2**40}, format="json")
    assert response.status_code == 200 and response.json()["file_size"] == 2**40
    response = api.put(f"/api/data/preview-files/{preview.pk}", {"file_size": 2**63}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == f"file_size: Ensure this value is less than or equal to {2**63 - 1}."


def factories_preview(task):
    from files.models import PreviewFile

    return PreviewFile.objects.create(name="v1", revision=1, task=task, extension="png")


def test_hand_written_serializers_get_32_bit_integers_by_default(api, task):
    response = api.put(
        "/api/actions/tasks/set-priority", {"task_ids": [str(task.pk)], "priority": 2**40}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == f"priority: Ensure this value is less than or equal to {INT32_MAX}."
    assert unchanged(task, priority=0)


def test_search_limit_beyond_32_bits_is_a_400(api):
    response = api.post("/api/data/search", {"query": "chair", "limit": 2**63}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == f"limit: Ensure this value is less than or equal to {INT32_MAX}."


def test_harden_bounds_only_the_integers_that_declare_no_bounds():
    class Body(serializers.Serializer):
        count = serializers.IntegerField()
        size = serializers.IntegerField(min_value=0, max_value=2**62)
        ratio = serializers.FloatField()
        rows = serializers.ListField(child=serializers.IntegerField())

    def errors(data):
        serializer = harden(Body(data=data))
        serializer.is_valid()
        return {
            name: str(detail[0])
            if isinstance(detail, list)
            else {key: str(value[0]) for key, value in detail.items()}
            for name, detail in serializer.errors.items()
        }

    assert errors({"count": 1, "size": 2**61, "ratio": 0.5, "rows": [1]}) == {}
    assert errors({"count": 2**31, "size": -1, "ratio": "nan", "rows": [1, 2**31]}) == {
        "count": f"Ensure this value is less than or equal to {INT32_MAX}.",
        "size": "Ensure this value is greater than or equal to 0.",
        "ratio": "A valid number is required.",
        "rows": {1: f"Ensure this value is less than or equal to {INT32_MAX}."},
    }


# --- floats ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity"])
def test_a_float_column_takes_no_nan_nor_infinity(api, task, value):
    response = api.put(f"/api/data/tasks/{task.pk}", {"estimation": value}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "estimation: A valid number is required."
    assert unchanged(task, estimation=0)


# --- NUL characters --------------------------------------------------------------------------------


def test_a_nul_in_a_string_field_is_a_400(api, show):
    response = api.put(f"/api/data/projects/{show.pk}", {"description": "a\u0000b"}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "description: Null characters are not allowed."


@pytest.mark.parametrize(
    "value", [{"key": "a\u0000b"}, {"k\u0000ey": 1}, {"deep": [{"deeper": ["\u0000"]}]}, ["\u0000"]]
)
def test_a_nul_anywhere_inside_a_json_field_is_a_400(api, task, value):
    response = api.put(f"/api/data/tasks/{task.pk}", {"data": value}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "data: Null characters are not allowed."
    assert unchanged(task, data=None)


def test_a_nul_in_a_comment_checklist_or_links_writes_no_comment(show, task, admin_person):
    status = task.task_status
    client = client_for(admin_person)
    for field, value in (("checklist", [{"text": "a\u0000"}]), ("links", ["\u0000"])):
        body = {"task_status_id": str(status.pk), "comment": "hi", field: value}
        response = client.post(f"/api/actions/tasks/{task.pk}/comment", body, format="json")
        assert response.status_code == 400
        assert response.json()["message"] == f"{field}: Null characters are not allowed."
    assert not Comment.objects.exists()


def test_a_nul_in_a_query_string_or_path_is_a_400(api):
    response = api.get("/api/data/projects?name=a%00b")
    assert response.status_code == 400
    assert response.json() == {"error": True, "message": "Parameter 'name' may not contain null characters."}
    response = api.get("/api/data/projects/a%00b")
    assert response.status_code == 400
    assert response.json() == {"error": True, "message": "The URL may not contain null characters."}


def test_a_nul_escaped_in_a_json_list_filter_is_a_400(api):
    response = api.get('/api/data/projects?name=["a\\u0000b"]')
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid value for name: null characters are not allowed."


def test_an_integer_filter_beyond_its_column_is_a_400(api, task):
    response = api.get(f"/api/data/tasks?priority={2**63}")
    assert response.status_code == 400
    assert response.json()["message"] == f"Invalid value for priority: '{2**63}' is out of range."
    response = api.get("/api/data/tasks?estimation=nan")
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid value for estimation: 'nan' is not a finite number."


# --- nesting ---------------------------------------------------------------------------------------


def test_json_nested_beyond_the_limit_is_a_400_and_writes_nothing(api, task):
    body = f'{{"data": {nesting(1000)}}}'
    response = api.put(f"/api/data/tasks/{task.pk}", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "error": True,
        "message": f"Malformed request body: JSON nested deeper than {MAX_JSON_DEPTH} levels.",
    }
    assert unchanged(task, data=None)
    assert not ApiEvent.objects.exists()


def test_json_nested_up_to_the_limit_is_stored_and_read_back(api, task):
    value = nesting(MAX_JSON_DEPTH - 2)  # the body's object and `data` within the limit
    response = api.put(
        f"/api/data/tasks/{task.pk}", f'{{"data": {{"a": {value}}}}}', content_type="application/json"
    )
    assert response.status_code == 200
    assert api.get(f"/api/data/tasks?id={task.pk}").status_code == 200
    assert api.get("/api/data/tasks?page=1").json()["data"][0]["data"]["a"] == response.json()["data"]["a"]


def test_a_multipart_json_text_nested_too_deep_is_a_400(show, task, admin_person):
    body = {"task_status_id": str(task.task_status_id), "comment": "hi", "checklist": nesting(500)}
    response = client_for(admin_person).post(f"/api/actions/tasks/{task.pk}/comment", body)
    assert response.status_code == 400
    assert response.json()["message"] == f"checklist: Nested deeper than {MAX_JSON_DEPTH} levels."
    assert not Comment.objects.exists()


# --- pagination ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=1&limit=9223372036854775808", "limit must be an integer between -2147483648 and 2147483647."),
        ("page=99999999999999999999", "page must be an integer between -2147483648 and 2147483647."),
        ("page=1&limit=0", None),
        ("page=1&limit=-5", "limit must be a positive integer."),
    ],
)
def test_pagination_overflow_is_a_400(api, show, query, message):
    response = api.get(f"/api/data/projects?{query}")
    if message is None:  # 0 is the default page size, as on the reference
        assert response.status_code == 200 and response.json()["limit"] == 100
        return
    assert response.status_code == 400
    assert response.json()["message"] == message


@pytest.mark.parametrize("page", ["0", "-1", "-2147483648"])
def test_a_page_below_one_is_the_whole_list_as_on_the_reference(api, show, page):
    factories.make_project(name="Other")
    whole = api.get("/api/data/projects").json()
    response = api.get(f"/api/data/projects?page={page}&limit=1")
    assert response.status_code == 200
    assert response.json() == whole and len(whole) == 2


def test_query_helpers_bound_their_integers(api, admin_person):
    response = api.get(f"/api/data/user/tasks-to-check?page={2**40}")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Wrong value for parameter page. Expected an integer between -2147483648 and 2147483647."
    )


# --- names, time zones, dates ----------------------------------------------------------------------


def test_a_project_needs_a_name(api, show):
    response = api.post("/api/data/projects", {"name": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "name: This field may not be blank."
    response = api.put(f"/api/data/projects/{show.pk}", {"name": ""}, format="json")
    assert response.status_code == 400
    assert list(Project.objects.values_list("name", flat=True)) == ["Show"]


def test_a_column_that_may_be_blank_still_may(api, show):
    response = api.put(f"/api/data/projects/{show.pk}", {"description": ""}, format="json")
    assert response.status_code == 200 and response.json()["description"] == ""


def test_a_person_time_zone_must_be_known(api, artist):
    url = f"/api/data/persons/{artist.pk}"
    response = api.put(url, {"timezone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "timezone: Unknown time zone: 'Mars/Olympus'."
    assert Person.objects.get(pk=artist.pk).timezone != "Mars/Olympus"
    response = api.put(url, {"timezone": "America/New_York"}, format="json")
    assert response.status_code == 200 and response.json()["timezone"] == "America/New_York"
    response = api.post(
        "/api/data/persons",
        {"first_name": "A", "last_name": "B", "email": "tz@example.com", "timezone": "Nowhere"},
        format="json",
    )
    assert response.status_code == 400 and not Person.objects.filter(email="tz@example.com").exists()


@pytest.mark.parametrize("value", ["yesterday", "2024-13-45 10:00:00", 12])
def test_a_comment_created_at_that_is_no_date_is_a_400(task, admin_person, value):
    body = {"task_status_id": str(task.task_status_id), "comment": "hi", "created_at": value}
    response = client_for(admin_person).post(f"/api/actions/tasks/{task.pk}/comment", body, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "created_at: Wrong date format. Expected YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS."
    )
    assert not Comment.objects.exists()


def test_a_comment_created_at_that_is_a_date_dates_it(task, admin_person):
    body = {"task_status_id": str(task.task_status_id), "comment": "hi", "created_at": "2024-03-01 08:00:00"}
    response = client_for(admin_person).post(f"/api/actions/tasks/{task.pk}/comment", body, format="json")
    assert response.status_code == 201
    assert Comment.objects.get().created_at == datetime.datetime(2024, 3, 1, 8, tzinfo=datetime.UTC)


def test_data_created_at_is_ignored_as_on_the_reference_never_a_500(api, task):
    response = api.put(f"/api/data/tasks/{task.pk}", {"created_at": "not a date"}, format="json")
    assert response.status_code == 200
    assert Task.objects.get(pk=task.pk).created_at == task.created_at


# --- the last resort -------------------------------------------------------------------------------


def test_a_database_refusal_of_a_value_is_a_400_in_the_reference_shape():
    response = kitsu_exception_handler(DataError("integer out of range"), {})
    assert response.status_code == 400
    assert response.data == {"error": True, "message": "A value is out of range or malformed for its field."}
    response = kitsu_exception_handler(OverflowError("Python int too large to convert to SQLite INTEGER"), {})
    assert response.status_code == 400


def test_unknown_ids_in_a_body_are_a_400_not_a_500(api, show):
    response = api.put(
        f"/api/data/projects/{show.pk}", {"project_status_id": str(uuid.uuid4())}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("project_status_id: Invalid pk")
    assert Entity.objects.count() == 0


def test_a_json_column_holding_another_kind_of_value_takes_an_object_again(api, task):
    """Custom fields merge into `data`; a row whose `data` is a string is replaced, not a 500."""
    for url in (f"/api/data/entities/{task.entity_id}", f"/api/data/tasks/{task.pk}"):
        assert api.put(url, {"data": "plain text"}, format="json").json()["data"] == "plain text"
        response = api.put(url, {"data": {"a": 1}}, format="json")
        assert response.status_code == 200 and response.json()["data"] == {"a": 1}


def test_a_shot_whose_data_is_no_object_still_records_its_versions(api, show):
    """A shot's frame range is read from `data` for its version history: a list there is no range
    (it was a 500 on the next update, found by the fuzzer)."""
    shot = factories.make_shot(show, factories.make_sequence(show, name="SQ01"), name="SH01")
    url = f"/api/data/entities/{shot.pk}"
    assert api.put(url, {"data": [1, 2]}, format="json").json()["data"] == [1, 2]
    response = api.put(url, {"name": "SH02"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "SH02"
    response = api.put(url, {"data": {"frame_in": 1, "frame_out": 24}}, format="json")
    assert response.status_code == 200 and response.json()["data"] == {"frame_in": 1, "frame_out": 24}


def test_a_data_write_takes_json_only_as_the_reference(api, task):
    """A form body's values arrive as lists (a list stored in `data`, found by the fuzzer): the
    /data routes read JSON only and answer the reference's 415 otherwise, writing nothing."""
    from people.models import Department

    count = Department.objects.count()
    response = api.post("/api/data/departments", {"name": "Lighting"}, format="multipart")
    assert response.status_code == 415
    assert response.json() == {
        "error": True,
        "message": "Did not attempt to load JSON data because the request Content-Type was not "
        "'application/json'.",
    }
    assert Department.objects.count() == count
    response = api.put(f"/api/data/entities/{task.entity_id}", {"data": "null"}, format="multipart")
    assert response.status_code == 415
    task.entity.refresh_from_db()
    assert not isinstance(task.entity.data, list)
    assert api.put(f"/api/data/entities/{task.entity_id}").status_code == 200  # no body at all
