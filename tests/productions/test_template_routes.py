"""Project template routes: the links of a template, the reorder actions, a template made from a
project and a template applied to a project, as the reference's project_templates blueprint."""

import uuid

import pytest

from files.models import PreviewBackgroundFile
from productions.models import (
    MetadataDescriptor,
    Project,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTemplate,
    ProjectTemplateAssetTypeLink,
    ProjectTemplatePreviewBackgroundFileLink,
    ProjectTemplateStatusAutomationLink,
    ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
    StatusAutomation,
)
from tasks.models import ApiEvent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

NON_ADMINS = ("manager", "supervisor", "user", "client", "vendor")
NON_MANAGERS = ("supervisor", "user", "client", "vendor")


@pytest.fixture
def people():
    return {role: factories.make_person(role=role) for role in ("admin", *NON_ADMINS)}


@pytest.fixture
def admin_api(people):
    return client_for(people["admin"])


@pytest.fixture
def template():
    return ProjectTemplate.objects.create(name="Feature film")


def url(template, tail=""):
    template_id = template if isinstance(template, str) else template.pk
    return f"/api/data/project-templates/{template_id}{tail}"


def action_url(template, tail):
    return f"/api/actions/project-templates/{template.pk}{tail}"


def template_events():
    return list(ApiEvent.objects.filter(name__startswith="project-template:").values_list("name", "data"))


def assert_validation_error(response, field):
    assert response.status_code == 400
    body = response.json()
    assert body["error"] is True and field.split(".")[0] in body["message"]
    assert field in [error["field"] for error in body["data"]["errors"]]


def assert_template_missing(response):
    assert response.status_code == 404
    assert response.json() == {"error": True, "message": "Project template not found"}


# --- task types ----------------------------------------------------------------------------------


def test_task_types_list_carries_the_link_settings_by_priority_then_name(people, template):
    modeling = factories.make_task_type(name="Modeling", priority=7)
    concept = factories.make_task_type(name="Concept")
    rigging = factories.make_task_type(name="Rigging")
    ProjectTemplateTaskTypeLink.objects.create(
        project_template=template, task_type=modeling, priority=1, hd_bitrate_compression=10
    )
    ProjectTemplateTaskTypeLink.objects.create(project_template=template, task_type=rigging, priority=2)
    ProjectTemplateTaskTypeLink.objects.create(
        project_template=template, task_type=concept, priority=None, is_client_visible=False
    )
    response = client_for(people["manager"]).get(url(template, "/task-types"))
    assert response.status_code == 200
    rows = response.json()
    assert [row["name"] for row in rows] == ["Concept", "Modeling", "Rigging"]  # null priority counts as 0
    assert rows[1]["priority"] == 1  # the link's, not the task type's own
    assert rows[1]["hd_bitrate_compression"] == 10 and rows[1]["ld_bitrate_compression"] is None
    assert rows[0]["is_client_visible"] is False and rows[0]["priority"] is None
    assert rows[1]["type"] == "TaskType" and rows[1]["id"] == str(modeling.pk)
    assert rows[1]["for_entity"] == "Asset" and "department_id" in rows[1]


def test_task_types_list_is_for_managers_and_admins(people, template):
    assert client_for(people["admin"]).get(url(template, "/task-types")).status_code == 200
    for role in NON_MANAGERS:
        response = client_for(people[role]).get(url(template, "/task-types"))
        assert response.status_code == 403, role
        assert response.json()["error"] is True


def test_lists_of_a_missing_template_are_404(people):
    api = client_for(people["manager"])
    for tail in (
        "/task-types",
        "/task-statuses",
        "/asset-types",
        "/status-automations",
        "/preview-background-files",
    ):
        assert_template_missing(api.get(url(str(uuid.uuid4()), tail)))
        assert_template_missing(api.get(url("not-an-id", tail)))


def test_lists_need_a_token(template):
    from rest_framework.test import APIClient

    assert APIClient().get(url(template, "/task-types")).status_code == 401


def test_template_lists_run_a_bounded_number_of_queries(people, template, django_assert_max_num_queries):
    api = client_for(people["manager"])
    department = factories.make_department()
    for index in range(12):
        task_type = factories.make_task_type(department=department)
        status = factories.make_task_status()
        ProjectTemplateTaskTypeLink.objects.create(
            project_template=template, task_type=task_type, priority=index
        )
        ProjectTemplateTaskStatusLink.objects.create(
            project_template=template, task_status=status, priority=index
        )
        ProjectTemplateAssetTypeLink.objects.create(
            project_template=template, asset_type=factories.make_asset_type(f"Type {index}")
        )
        automation = StatusAutomation.objects.create(in_task_type=task_type, out_task_type=task_type)
        ProjectTemplateStatusAutomationLink.objects.create(
            project_template=template, status_automation=automation
        )
        background = PreviewBackgroundFile.objects.create(name=f"bg {index}")
        ProjectTemplatePreviewBackgroundFileLink.objects.create(
            project_template=template, preview_background_file=background
        )
    for tail in (
        "/task-types",
        "/task-statuses",
        "/asset-types",
        "/status-automations",
        "/preview-background-files",
    ):
        with django_assert_max_num_queries(6):
            response = api.get(url(template, tail))
        assert response.status_code == 200 and len(response.json()) == 12, tail


def test_add_task_type_links_it_then_updates_the_link(people, admin_api, template):
    task_type = factories.make_task_type(name="Layout")
    response = admin_api.post(
        url(template, "/task-types"), {"task_type_id": str(task_type.pk), "priority": 3}
    )
    assert response.status_code == 201
    link = response.json()
    assert link["type"] == "ProjectTemplateTaskTypeLink"
    assert link["project_template_id"] == str(template.pk) and link["task_type_id"] == str(task_type.pk)
    assert (
        link["priority"] == 3 and link["is_client_visible"] is True and link["hd_bitrate_compression"] is None
    )
    response = admin_api.post(
        url(template, "/task-types"),
        {"task_type_id": str(task_type.pk), "hd_bitrate_compression": 12, "is_client_visible": False},
        format="json",
    )
    assert response.status_code == 201
    again = response.json()
    assert again["id"] == link["id"] and again["priority"] == 3  # kept: not sent
    assert again["hd_bitrate_compression"] == 12 and again["is_client_visible"] is False
    assert ProjectTemplateTaskTypeLink.objects.count() == 1
    assert template_events() == [("project-template:update", {"project_template_id": str(template.pk)})] * 2


def test_add_task_type_is_for_admins_only(people, template):
    task_type = factories.make_task_type()
    for role in NON_ADMINS:
        response = client_for(people[role]).post(
            url(template, "/task-types"), {"task_type_id": str(task_type.pk)}
        )
        assert response.status_code == 403, role
    assert ProjectTemplateTaskTypeLink.objects.count() == 0 and template_events() == []


def test_add_task_type_bad_input_writes_nothing(admin_api, template):
    task_type = factories.make_task_type()
    assert_validation_error(admin_api.post(url(template, "/task-types"), {}, format="json"), "task_type_id")
    assert_validation_error(
        admin_api.post(url(template, "/task-types"), {"task_type_id": str(task_type.pk), "priority": "high"}),
        "priority",
    )
    assert_validation_error(
        admin_api.post(
            url(template, "/task-types"), {"task_type_id": str(task_type.pk), "hd_bitrate_compression": 0}
        ),
        "hd_bitrate_compression",
    )
    response = admin_api.post(url(template, "/task-types"), {"task_type_id": "nope"})
    assert response.status_code == 400
    assert response.json()["message"] == "task_type_id is required and must be a valid UUID"
    unknown = str(uuid.uuid4())
    response = admin_api.post(url(template, "/task-types"), {"task_type_id": unknown})
    assert response.status_code == 400 and response.json()["message"] == f"Task type {unknown} does not exist"
    response = admin_api.post(
        url(template, "/task-types"), {"task_type_id": str(task_type.pk), "hd_bitrate_compression": 500}
    )
    assert response.status_code == 400 and response.json()["message"].startswith("Invalid bitrate 500.")
    response = admin_api.post(
        url(template, "/task-types"),
        {"task_type_id": str(task_type.pk), "hd_bitrate_compression": 8, "ld_bitrate_compression": 9},
    )
    assert (
        response.status_code == 400
        and "cannot exceed the high definition one (8)" in response.json()["message"]
    )
    assert ProjectTemplateTaskTypeLink.objects.count() == 0 and template_events() == []


def test_add_task_type_to_a_missing_template_is_404(admin_api):
    task_type = factories.make_task_type()
    response = admin_api.post(url(str(uuid.uuid4()), "/task-types"), {"task_type_id": str(task_type.pk)})
    assert_template_missing(response)
    assert ProjectTemplateTaskTypeLink.objects.count() == 0


def test_remove_task_type(people, admin_api, template):
    task_type = factories.make_task_type()
    ProjectTemplateTaskTypeLink.objects.create(project_template=template, task_type=task_type)
    assert (
        client_for(people["manager"]).delete(url(template, f"/task-types/{task_type.pk}")).status_code == 403
    )
    assert ProjectTemplateTaskTypeLink.objects.count() == 1
    assert admin_api.delete(url(template, f"/task-types/{task_type.pk}")).status_code == 204
    assert ProjectTemplateTaskTypeLink.objects.count() == 0
    assert template_events() == [("project-template:update", {"project_template_id": str(template.pk)})]
    # Unlinking what is not linked is no error, as on the reference; a malformed id is a 400.
    assert admin_api.delete(url(template, f"/task-types/{task_type.pk}")).status_code == 204
    assert admin_api.delete(url(template, "/task-types/not-an-id")).status_code == 400
    assert_template_missing(admin_api.delete(url("not-an-id", f"/task-types/{task_type.pk}")))


def test_reorder_task_types_sets_priorities_and_links_new_ones(
    admin_api, template, django_assert_max_num_queries
):
    task_types = [factories.make_task_type() for _ in range(6)]
    for task_type in task_types[:3]:
        ProjectTemplateTaskTypeLink.objects.create(
            project_template=template, task_type=task_type, priority=9, hd_bitrate_compression=5
        )
    order = list(reversed(task_types))
    with django_assert_max_num_queries(12):
        response = admin_api.post(
            action_url(template, "/task-types/reorder"),
            {"task_type_ids": [str(t.pk) for t in order]},
            format="json",
        )
    assert response.status_code == 200
    rows = response.json()
    assert [row["task_type_id"] for row in rows] == [str(t.pk) for t in order]
    assert [row["priority"] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[-1]["hd_bitrate_compression"] == 5  # bitrates are kept
    assert ProjectTemplateTaskTypeLink.objects.count() == 6
    priorities = dict(ProjectTemplateTaskTypeLink.objects.values_list("task_type_id", "priority"))
    assert priorities[task_types[0].pk] == 6


def test_reorder_task_types_refusals(people, admin_api, template):
    task_type = factories.make_task_type()
    ProjectTemplateTaskTypeLink.objects.create(project_template=template, task_type=task_type, priority=4)
    body = {"task_type_ids": [str(task_type.pk), str(uuid.uuid4())]}
    assert (
        client_for(people["manager"])
        .post(action_url(template, "/task-types/reorder"), body, format="json")
        .status_code
        == 403
    )
    response = admin_api.post(action_url(template, "/task-types/reorder"), body, format="json")
    assert response.status_code == 400 and "does not exist" in response.json()["message"]
    assert_validation_error(
        admin_api.post(action_url(template, "/task-types/reorder"), {"task_type_ids": "x"}, format="json"),
        "task_type_ids",
    )
    assert_validation_error(
        admin_api.post(action_url(template, "/task-types/reorder"), {}, format="json"), "task_type_ids"
    )
    assert ProjectTemplateTaskTypeLink.objects.get().priority == 4  # nothing written
    missing = f"/api/actions/project-templates/{uuid.uuid4()}/task-types/reorder"
    assert_template_missing(admin_api.post(missing, {"task_type_ids": [str(task_type.pk)]}, format="json"))


# --- task statuses -------------------------------------------------------------------------------


def test_task_statuses_list_carries_the_link_settings(people, template):
    wip = factories.make_task_status(name="Work In Progress", is_client_allowed=True)
    todo = factories.make_task_status(name="Todo")
    ProjectTemplateTaskStatusLink.objects.create(
        project_template=template, task_status=todo, priority=2, is_client_allowed=False
    )
    ProjectTemplateTaskStatusLink.objects.create(
        project_template=template, task_status=wip, roles_for_board=["user"]
    )
    response = client_for(people["manager"]).get(url(template, "/task-statuses"))
    assert response.status_code == 200
    rows = response.json()
    assert [row["name"] for row in rows] == ["Work In Progress", "Todo"]
    assert rows[0]["roles_for_board"] == ["user"] and rows[0]["priority"] is None
    assert rows[0]["link_is_client_allowed"] is None and rows[0]["is_client_allowed"] is True
    assert rows[1]["roles_for_board"] == ["user", "admin", "supervisor", "manager", "vendor"]
    assert rows[1]["link_is_client_allowed"] is False and rows[1]["type"] == "TaskStatus"
    assert client_for(people["supervisor"]).get(url(template, "/task-statuses")).status_code == 403


def test_add_task_status_and_update_its_link(people, admin_api, template):
    status = factories.make_task_status()
    response = admin_api.post(
        url(template, "/task-statuses"), {"task_status_id": str(status.pk), "priority": 2}
    )
    assert response.status_code == 201
    link = response.json()
    assert link["type"] == "ProjectTemplateTaskStatusLink" and link["priority"] == 2
    assert link["roles_for_board"] == ["user", "admin", "supervisor", "manager", "vendor"]
    assert link["is_client_allowed"] is None
    response = admin_api.post(
        url(template, "/task-statuses"),
        {"task_status_id": str(status.pk), "roles_for_board": ["user", "client"], "is_client_allowed": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["roles_for_board"] == ["user", "client"] and response.json()["priority"] == 2
    assert response.json()["is_client_allowed"] is True
    # An empty role list changes nothing; an explicit null flag resets it to the status's own.
    response = admin_api.post(
        url(template, "/task-statuses"),
        {"task_status_id": str(status.pk), "roles_for_board": [], "is_client_allowed": None},
        format="json",
    )
    assert (
        response.json()["roles_for_board"] == ["user", "client"]
        and response.json()["is_client_allowed"] is None
    )
    assert (
        client_for(people["manager"])
        .post(url(template, "/task-statuses"), {"task_status_id": str(status.pk)})
        .status_code
        == 403
    )


def test_add_task_status_bad_input_writes_nothing(admin_api, template):
    status = factories.make_task_status()
    assert_validation_error(
        admin_api.post(
            url(template, "/task-statuses"),
            {"task_status_id": str(status.pk), "roles_for_board": ["boss"]},
            format="json",
        ),
        "roles_for_board.0",
    )
    unknown = str(uuid.uuid4())
    response = admin_api.post(url(template, "/task-statuses"), {"task_status_id": unknown})
    assert (
        response.status_code == 400 and response.json()["message"] == f"Task status {unknown} does not exist"
    )
    assert_template_missing(
        admin_api.post(url(str(uuid.uuid4()), "/task-statuses"), {"task_status_id": str(status.pk)})
    )
    assert ProjectTemplateTaskStatusLink.objects.count() == 0 and template_events() == []


def test_remove_and_reorder_task_statuses(people, admin_api, template):
    first, second = factories.make_task_status(), factories.make_task_status()
    for status in (first, second):
        ProjectTemplateTaskStatusLink.objects.create(
            project_template=template, task_status=status, roles_for_board=["user"]
        )
    response = admin_api.post(
        action_url(template, "/task-statuses/reorder"),
        {"task_status_ids": [str(second.pk), str(first.pk)]},
        format="json",
    )
    assert response.status_code == 200
    assert [(row["task_status_id"], row["priority"]) for row in response.json()] == [
        (str(second.pk), 1),
        (str(first.pk), 2),
    ]
    assert response.json()[0]["roles_for_board"] == ["user"]  # board roles are kept
    assert (
        client_for(people["manager"]).delete(url(template, f"/task-statuses/{first.pk}")).status_code == 403
    )
    assert admin_api.delete(url(template, f"/task-statuses/{first.pk}")).status_code == 204
    assert list(ProjectTemplateTaskStatusLink.objects.values_list("task_status_id", flat=True)) == [second.pk]
    assert admin_api.delete(url(template, "/task-statuses/bad")).status_code == 400


# --- asset types, status automations, preview backgrounds ----------------------------------------


def test_asset_types_of_a_template(people, admin_api, template):
    prop = factories.make_asset_type("Prop")
    response = admin_api.post(url(template, "/asset-types"), {"asset_type_id": str(prop.pk)})
    assert response.status_code == 201 and response.json() == {"id": str(prop.pk), "name": "Prop"}
    assert admin_api.post(url(template, "/asset-types"), {"asset_type_id": str(prop.pk)}).status_code == 201
    assert ProjectTemplateAssetTypeLink.objects.count() == 1  # linked once
    assert client_for(people["manager"]).get(url(template, "/asset-types")).json() == [
        {"id": str(prop.pk), "name": "Prop"}
    ]
    assert client_for(people["user"]).get(url(template, "/asset-types")).status_code == 403
    assert (
        client_for(people["manager"])
        .post(url(template, "/asset-types"), {"asset_type_id": str(prop.pk)})
        .status_code
        == 403
    )
    unknown = str(uuid.uuid4())
    response = admin_api.post(url(template, "/asset-types"), {"asset_type_id": unknown})
    assert (
        response.status_code == 400 and response.json()["message"] == f"Asset type {unknown} does not exist"
    )
    assert_validation_error(
        admin_api.post(url(template, "/asset-types"), {"asset_type_id": ""}), "asset_type_id"
    )
    assert client_for(people["manager"]).delete(url(template, f"/asset-types/{prop.pk}")).status_code == 403
    assert_template_missing(admin_api.delete(url(str(uuid.uuid4()), f"/asset-types/{prop.pk}")))
    assert admin_api.delete(url(template, f"/asset-types/{prop.pk}")).status_code == 204
    assert ProjectTemplateAssetTypeLink.objects.count() == 0


def test_status_automations_of_a_template(people, admin_api, template):
    task_type = factories.make_task_type()
    automation = StatusAutomation.objects.create(in_task_type=task_type, out_task_type=task_type)
    response = admin_api.post(
        url(template, "/status-automations"), {"status_automation_id": str(automation.pk)}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "StatusAutomation" and body["id"] == str(automation.pk)
    assert body["in_task_type_id"] == str(task_type.pk) and body["out_field_type"] == "status"
    rows = client_for(people["manager"]).get(url(template, "/status-automations")).json()
    assert [row["id"] for row in rows] == [str(automation.pk)] and rows[0]["entity_type"] == "asset"
    assert client_for(people["vendor"]).get(url(template, "/status-automations")).status_code == 403
    unknown = str(uuid.uuid4())
    response = admin_api.post(url(template, "/status-automations"), {"status_automation_id": unknown})
    assert response.json()["message"] == f"Status automation {unknown} does not exist"
    assert_template_missing(
        admin_api.post(
            url(str(uuid.uuid4()), "/status-automations"), {"status_automation_id": str(automation.pk)}
        )
    )
    assert (
        client_for(people["manager"])
        .delete(url(template, f"/status-automations/{automation.pk}"))
        .status_code
        == 403
    )
    assert admin_api.delete(url(template, f"/status-automations/{automation.pk}")).status_code == 204
    assert ProjectTemplateStatusAutomationLink.objects.count() == 0


def test_preview_backgrounds_and_the_default_one(people, admin_api, template):
    studio = PreviewBackgroundFile.objects.create(name="studio")
    outdoor = PreviewBackgroundFile.objects.create(name="outdoor", is_default=True)
    for background in (studio, outdoor):
        response = admin_api.post(
            url(template, "/preview-background-files"), {"preview_background_file_id": str(background.pk)}
        )
        assert response.status_code == 201
    assert response.json() == {"id": str(outdoor.pk), "name": "outdoor", "is_default": True}
    rows = client_for(people["manager"]).get(url(template, "/preview-background-files")).json()
    assert rows == [
        {"id": str(outdoor.pk), "name": "outdoor", "is_default": True},
        {"id": str(studio.pk), "name": "studio", "is_default": False},
    ]
    default_url = url(template, "/default-preview-background-file")
    body = {"default_preview_background_file_id": str(studio.pk)}
    assert client_for(people["manager"]).put(default_url, body, format="json").status_code == 403
    response = admin_api.put(default_url, body, format="json")
    assert response.status_code == 200
    assert response.json()["default_preview_background_file_id"] == str(studio.pk)
    assert response.json()["type"] == "ProjectTemplate" and "task_types" not in response.json()
    # Removing the default background clears the default.
    assert admin_api.delete(url(template, f"/preview-background-files/{studio.pk}")).status_code == 204
    template.refresh_from_db()
    assert template.default_preview_background_file_id is None
    assert ProjectTemplatePreviewBackgroundFileLink.objects.count() == 1


def test_default_preview_background_must_be_linked(admin_api, template):
    linked = PreviewBackgroundFile.objects.create(name="linked")
    other = PreviewBackgroundFile.objects.create(name="other")
    ProjectTemplatePreviewBackgroundFileLink.objects.create(
        project_template=template, preview_background_file=linked
    )
    default_url = url(template, "/default-preview-background-file")
    for value in (str(other.pk), "bad"):
        response = admin_api.put(default_url, {"default_preview_background_file_id": value}, format="json")
        assert response.status_code == 400
        assert response.json()["message"] == "Preview background file is not linked to this template"
    template.refresh_from_db()
    assert template.default_preview_background_file_id is None and template_events() == []
    admin_api.put(default_url, {"default_preview_background_file_id": str(linked.pk)}, format="json")
    response = admin_api.put(default_url, {}, format="json")  # nothing sent: no default
    assert response.status_code == 200 and response.json()["default_preview_background_file_id"] is None
    assert_template_missing(
        admin_api.put(url(str(uuid.uuid4()), "/default-preview-background-file"), {}, format="json")
    )
    response = admin_api.post(
        url(template, "/preview-background-files"), {"preview_background_file_id": str(uuid.uuid4())}
    )
    assert response.status_code == 400 and "Preview background file" in response.json()["message"]


# --- metadata descriptors ------------------------------------------------------------------------


def test_metadata_descriptors_snapshot_is_cleaned(people, admin_api, template):
    department = factories.make_department()
    body = {
        "metadata_descriptors": [
            {
                "name": "Difficulty Level",
                "entity_type": "Asset",
                "data_type": "list",
                "choices": ["easy", "hard"],
                "departments": [None, str(department.pk)],
                "for_client": 1,
                "extra": "dropped",
            },
            {"name": "Notes", "field_name": "my_notes", "entity_type": "Shot", "position": 2},
        ]
    }
    assert (
        client_for(people["manager"])
        .put(url(template, "/metadata-descriptors"), body, format="json")
        .status_code
        == 403
    )
    response = admin_api.put(url(template, "/metadata-descriptors"), body, format="json")
    assert response.status_code == 200
    descriptors = response.json()["metadata_descriptors"]
    assert descriptors[0] == {
        "name": "Difficulty Level",
        "field_name": "difficulty_level",
        "entity_type": "Asset",
        "task_type_id": None,
        "data_type": "list",
        "choices": ["easy", "hard"],
        "for_client": True,
        "departments": [str(department.pk)],
        "position": None,
    }
    assert descriptors[1]["field_name"] == "my_notes" and descriptors[1]["position"] == 2
    # The legacy shape, a bare list, is accepted too; an empty body clears the snapshot.
    response = admin_api.put(url(template, "/metadata-descriptors"), [{"name": "Été à Noël"}], format="json")
    assert response.json()["metadata_descriptors"][0]["field_name"] == "ete_a_noel"
    response = admin_api.put(url(template, "/metadata-descriptors"), {}, format="json")
    assert response.status_code == 200 and response.json()["metadata_descriptors"] == []


def test_metadata_descriptors_bad_input_writes_nothing(admin_api, template):
    template.metadata_descriptors = [{"name": "Kept"}]
    template.save()
    assert_validation_error(
        admin_api.put(url(template, "/metadata-descriptors"), {"metadata_descriptors": "abc"}, format="json"),
        "metadata_descriptors",
    )
    response = admin_api.put(
        url(template, "/metadata-descriptors"), {"metadata_descriptors": ["abc"]}, format="json"
    )
    assert (
        response.status_code == 400
        and response.json()["message"] == "Each metadata descriptor must be an object"
    )
    template.refresh_from_db()
    assert template.metadata_descriptors == [{"name": "Kept"}] and template_events() == []
    assert_template_missing(admin_api.put(url(str(uuid.uuid4()), "/metadata-descriptors"), {}, format="json"))


# --- from a project, onto a project --------------------------------------------------------------


@pytest.fixture
def source():
    """A configured production: settings, links, a descriptor with a department, a background."""
    project = factories.make_project(
        name="Source", fps="24", production_style="vfx", max_retakes=3, file_tree={"a": 1}, data={"x": 1}
    )
    modeling, layout = (
        factories.make_task_type(name="Modeling"),
        factories.make_task_type(name="Layout", for_entity="Shot"),
    )
    wip = factories.make_task_status(name="WIP")
    ProjectTaskTypeLink.objects.create(
        project=project, task_type=modeling, priority=5, hd_bitrate_compression=20
    )
    ProjectTaskTypeLink.objects.create(project=project, task_type=layout, priority=1)
    ProjectTaskStatusLink.objects.create(
        project=project, task_status=wip, priority=4, roles_for_board=["user", "admin"]
    )
    ProjectAssetTypeLink.objects.create(project=project, asset_type=factories.make_asset_type("Prop"))
    automation = StatusAutomation.objects.create(in_task_type=modeling, out_task_type=layout)
    ProjectStatusAutomationLink.objects.create(project=project, status_automation=automation)
    background = PreviewBackgroundFile.objects.create(name="studio")
    ProjectPreviewBackgroundFileLink.objects.create(project=project, preview_background_file=background)
    project.default_preview_background_file = background
    project.save()
    department = factories.make_department()
    descriptor = MetadataDescriptor.objects.create(
        project=project,
        entity_type="Asset",
        name="Complexity",
        field_name="complexity",
        data_type="list",
        choices=["a", "b"],
        for_client=True,
    )
    descriptor.departments.add(department)
    MetadataDescriptor.objects.create(
        project=project,
        entity_type="Task",
        task_type=layout,
        name="Layout notes",
        field_name="layout_notes",
        data_type="string",
    )
    ProjectPersonLink.objects.create(project=project, person=factories.make_person(role="manager"))
    return project


def test_template_from_project_copies_its_configuration(
    people, admin_api, source, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        response = admin_api.post(
            f"/api/data/project-templates/from-project/{source.pk}",
            {"name": "From source", "description": "snap"},
        )
    assert response.status_code == 201
    body = response.json()
    assert (
        body["type"] == "ProjectTemplate" and body["name"] == "From source" and body["description"] == "snap"
    )
    assert body["fps"] == "24" and body["production_style"] == "vfx" and body["max_retakes"] == 3
    assert body["file_tree"] == {"a": 1} and body["data"] == {"x": 1}
    assert body["default_preview_background_file_id"] == str(source.default_preview_background_file_id)
    assert [d["name"] for d in body["metadata_descriptors"]] == ["Complexity", "Layout notes"]
    assert body["metadata_descriptors"][0]["departments"] == [
        str(source.metadata_descriptors.get(name="Complexity").departments.get().pk)
    ]
    assert body["metadata_descriptors"][1]["task_type_id"] is not None
    template = ProjectTemplate.objects.get(pk=body["id"])
    links = {
        link.task_type.name: link
        for link in template.project_template_task_type_links.select_related("task_type")
    }
    assert links["Modeling"].priority == 5 and links["Modeling"].hd_bitrate_compression == 20
    status_link = template.project_template_task_status_links.get()
    assert status_link.priority == 4 and status_link.roles_for_board == ["user", "admin"]
    assert template.asset_types.count() == 1 and template.status_automations.count() == 1
    assert template.preview_background_files.count() == 1
    assert template_events() == [("project-template:new", {"project_template_id": body["id"]})]


def test_template_from_project_refusals(people, admin_api, source):
    ProjectTemplate.objects.create(name="Taken")
    from_url = f"/api/data/project-templates/from-project/{source.pk}"
    assert client_for(people["manager"]).post(from_url, {"name": "Mine"}).status_code == 403
    response = admin_api.post(from_url, {"name": "Taken"})
    assert response.status_code == 400
    assert response.json()["message"] == "A project template with this name already exists"
    assert_validation_error(admin_api.post(from_url, {}, format="json"), "name")
    assert_validation_error(admin_api.post(from_url, {"name": "x" * 81}), "name")
    for project_id in (uuid.uuid4(), "bad"):
        response = admin_api.post(f"/api/data/project-templates/from-project/{project_id}", {"name": "Other"})
        assert response.status_code == 404 and response.json()["message"] == "Project not found"
    assert ProjectTemplate.objects.count() == 1 and template_events() == []


def test_apply_template_to_project(people, admin_api, source, django_assert_max_num_queries):
    template_id = admin_api.post(
        f"/api/data/project-templates/from-project/{source.pk}", {"name": "T"}
    ).json()["id"]
    target = factories.make_project(name="Target", data={"keep": 1})
    already = source.task_types.get(name="Layout")
    ProjectTaskTypeLink.objects.create(project=target, task_type=already, priority=9)
    MetadataDescriptor.objects.create(
        project=target, entity_type="Asset", name="Complexity", field_name="complexity", data_type="string"
    )
    ApiEvent.objects.all().delete()
    with django_assert_max_num_queries(40):
        response = admin_api.post(f"/api/data/projects/{target.pk}/apply-template/{template_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "Project" and body["id"] == str(target.pk) and "task_types" not in body
    assert body["fps"] == "24" and body["production_style"] == "vfx" and body["max_retakes"] == 3
    assert body["data"] == {"x": 1} and body["file_tree"] == {"a": 1}  # the template's replace the project's
    assert body["default_preview_background_file_id"] == str(source.default_preview_background_file_id)
    links = dict(
        ProjectTaskTypeLink.objects.filter(project=target).values_list("task_type__name", "priority")
    )
    assert links == {"Layout": 9, "Modeling": 5}  # existing links are kept as they are
    assert ProjectTaskStatusLink.objects.get(project=target).roles_for_board == ["user", "admin"]
    assert ProjectAssetTypeLink.objects.filter(project=target).count() == 1
    assert ProjectStatusAutomationLink.objects.filter(project=target).count() == 1
    assert ProjectPreviewBackgroundFileLink.objects.filter(project=target).count() == 1
    created = MetadataDescriptor.objects.get(project=target, name="Layout notes")
    assert created.field_name == "layout_notes" and created.task_type_id == already.pk
    assert MetadataDescriptor.objects.filter(project=target).count() == 2  # "Complexity" existed
    events = list(ApiEvent.objects.order_by("created_at").values_list("name", "data", "project_id"))
    assert events == [
        (
            "metadata-descriptor:new",
            {"metadata_descriptor_id": str(created.pk), "project_id": str(target.pk)},
            target.pk,
        ),
        ("project:update", {"project_id": str(target.pk)}, target.pk),
    ]
    # Applying again adds nothing.
    admin_api.post(f"/api/data/projects/{target.pk}/apply-template/{template_id}")
    assert ProjectTaskTypeLink.objects.filter(project=target).count() == 2
    assert MetadataDescriptor.objects.filter(project=target).count() == 2


def test_apply_template_refusals(people, admin_api, template):
    project = factories.make_project(name="Target", fps="30")
    apply_url = f"/api/data/projects/{project.pk}/apply-template/{template.pk}"
    for role in NON_ADMINS:
        ProjectPersonLink.objects.get_or_create(project=project, person=people[role])
        assert client_for(people[role]).post(apply_url).status_code == 403, role
    response = admin_api.post(f"/api/data/projects/{uuid.uuid4()}/apply-template/{template.pk}")
    assert response.status_code == 404 and response.json()["message"] == "Project not found"
    assert_template_missing(admin_api.post(f"/api/data/projects/{project.pk}/apply-template/{uuid.uuid4()}"))
    project.refresh_from_db()
    assert project.fps == "30" and not ApiEvent.objects.exists()
    assert Project.objects.count() == 1
