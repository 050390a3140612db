"""Per-model rules of the productions app's /data routes (the reference's crud blueprints):
milestones, schedule items, production schedule versions and their task links, status
automations, custom actions, metadata descriptors, project templates and project links."""

import uuid

import pytest

from people.models import DepartmentLink
from productions.models import (
    CustomAction,
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    ProjectPersonLink,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTemplate,
    ScheduleItem,
    StatusAutomation,
)
from tasks.models import ApiEvent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db
NON_MANAGERS = ("supervisor", "user", "client", "vendor", "outsider")


def post(person, path, body):
    return client_for(person).post(f"/api/data/{path}", body, format="json")


def put(person, path, instance_id, body):
    return client_for(person).put(f"/api/data/{path}/{instance_id}", body, format="json")


def get(person, url):
    return client_for(person).get(f"/api/data/{url}")


def delete(person, path, instance_id):
    return client_for(person).delete(f"/api/data/{path}/{instance_id}")


def refused(response, status, message=None):
    """The reference's error body with `status` (and `message` when given)."""
    body = response.json()
    return (
        response.status_code == status
        and body["error"] is True
        and (message is None or body["message"] == message)
    )


@pytest.mark.parametrize(
    "path",
    [
        "milestones",
        "schedule-items",
        "production-schedule-versions",
        "production-schedule-version-task-links",
        "status-automations",
        "custom-actions",
        "metadata-descriptors",
        "project-templates",
        "task-type-links",
        "task-status-links",
    ],
)
def test_a_missing_row_is_a_404_before_any_rule(team, path):
    missing = uuid.uuid4()
    assert refused(put(team["manager"], path, missing, {}), 404)
    assert refused(get(team["vendor"], f"{path}/{missing}"), 404)
    assert refused(delete(team["user"], path, missing), 404)


# --- milestones ------------------------------------------------------------------------------


def test_milestones_are_written_by_the_managers_of_their_project(show, team):
    body = {"name": "Lock", "date": "2025-03-01", "project_id": str(show.id)}
    for role in NON_MANAGERS:
        assert refused(post(team[role], "milestones", body), 403), role
    assert Milestone.objects.count() == 0
    response = post(team["manager"], "milestones", body)
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["project_id"]) == ("Lock", str(show.id))
    milestone = Milestone.objects.get()

    for role in NON_MANAGERS:
        assert refused(put(team[role], "milestones", milestone.id, {"name": "Moved"}), 403), role
        assert refused(delete(team[role], "milestones", milestone.id), 403), role
    response = put(team["manager"], "milestones", milestone.id, {"name": "Final lock"})
    assert response.status_code == 200 and response.json()["name"] == "Final lock"
    assert delete(team["manager"], "milestones", milestone.id).status_code == 204
    assert Milestone.objects.count() == 0


def test_milestones_are_read_by_the_project_but_its_vendors_and_listed_by_admins(show, team):
    milestone = Milestone.objects.create(name="Lock", project=show)
    for role in ("manager", "supervisor", "user", "client", "admin"):
        response = get(team[role], f"milestones/{milestone.id}")
        assert response.status_code == 200 and response.json()["name"] == "Lock", role
    assert refused(get(team["vendor"], f"milestones/{milestone.id}"), 403)
    assert refused(get(team["outsider"], f"milestones/{milestone.id}"), 403)
    assert refused(get(team["manager"], "milestones"), 403)
    assert [row["id"] for row in get(team["admin"], "milestones").json()] == [str(milestone.id)]


# --- schedule items --------------------------------------------------------------------------


@pytest.fixture
def lighting():
    """A task type of the Lighting department."""
    return factories.make_task_type(name="Lighting", department=factories.make_department("Lighting"))


def test_schedule_items_are_created_once_by_project_managers(show, team, lighting):
    body = {"project_id": str(show.id), "task_type_id": str(lighting.id), "man_days": 10}
    for role in NON_MANAGERS:
        assert refused(post(team[role], "schedule-items", body), 403), role
    assert ScheduleItem.objects.count() == 0
    response = post(team["manager"], "schedule-items", body)
    assert response.status_code == 201
    assert (response.json()["task_type_id"], response.json()["man_days"]) == (str(lighting.id), 10)
    twin = post(team["manager"], "schedule-items", {**body, "man_days": 3})
    assert refused(twin, 400, "A similar schedule item already exists")
    assert ScheduleItem.objects.count() == 1


def test_schedule_items_are_updated_by_managers_and_their_department_supervisors(show, team, lighting):
    item = ScheduleItem.objects.create(project=show, task_type=lighting, man_days=10)
    assert put(team["supervisor"], "schedule-items", item.id, {"man_days": 12}).status_code == 200
    DepartmentLink.objects.create(person=team["supervisor"], department=factories.make_department("Anim"))
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert refused(put(team[role], "schedule-items", item.id, {"man_days": 1}), 403), role
    DepartmentLink.objects.create(person=team["supervisor"], department=lighting.department)
    assert put(team["supervisor"], "schedule-items", item.id, {"man_days": 14}).status_code == 200
    # A text man_days is dropped, the rest of the change applies.
    response = put(team["manager"], "schedule-items", item.id, {"man_days": "20", "end_date": "2025-05-01"})
    assert response.status_code == 200
    assert (response.json()["man_days"], response.json()["end_date"]) == (14, "2025-05-01")
    item.refresh_from_db()
    assert item.man_days == 14


def test_schedule_items_are_read_by_admins_and_deleted_by_managers(show, team, lighting):
    item = ScheduleItem.objects.create(project=show, task_type=lighting)
    assert refused(get(team["manager"], "schedule-items"), 403)
    assert refused(get(team["manager"], f"schedule-items/{item.id}"), 403)
    assert get(team["admin"], f"schedule-items/{item.id}").json()["id"] == str(item.id)
    assert refused(delete(team["supervisor"], "schedule-items", item.id), 403)
    assert ScheduleItem.objects.count() == 1
    assert delete(team["manager"], "schedule-items", item.id).status_code == 204
    assert ScheduleItem.objects.count() == 0


# --- production schedule versions -------------------------------------------------------------


def test_schedule_versions_list_by_project_for_its_studio_members(show, team):
    version = ProductionScheduleVersion.objects.create(name="v1", project=show)
    ProductionScheduleVersion.objects.create(name="v1", project=factories.make_project(name="Other"))
    url = f"production-schedule-versions?project_id={show.id}"
    for role in ("manager", "supervisor", "user"):
        assert [row["id"] for row in get(team[role], url).json()] == [str(version.id)], role
    for role in ("client", "vendor", "outsider"):
        assert refused(get(team[role], url), 403), role
    assert refused(get(team["manager"], "production-schedule-versions"), 403)
    assert len(get(team["admin"], "production-schedule-versions").json()) == 2
    # The role held on the project decides, not the global one.
    ProjectPersonLink.objects.filter(person=team["user"]).update(role="vendor")
    assert refused(get(team["user"], url), 403)


def test_schedule_versions_are_read_by_members_but_vendors_and_clients(show, team):
    version = ProductionScheduleVersion.objects.create(name="v1", project=show)
    for role in ("manager", "supervisor", "user", "admin"):
        assert get(team[role], f"production-schedule-versions/{version.id}").json()["name"] == "v1", role
    for role in ("client", "vendor", "outsider"):
        assert refused(get(team[role], f"production-schedule-versions/{version.id}"), 403), role


def test_schedule_versions_are_written_by_project_managers(show, team):
    body = {"name": "v1", "project_id": str(show.id)}
    for role in NON_MANAGERS:
        assert refused(post(team[role], "production-schedule-versions", body), 403), role
    assert ProductionScheduleVersion.objects.count() == 0
    response = post(team["manager"], "production-schedule-versions", body)
    assert response.status_code == 201 and response.json()["project_id"] == str(show.id)
    version_id = response.json()["id"]
    for role in NON_MANAGERS:
        assert refused(put(team[role], "production-schedule-versions", version_id, {"locked": True}), 403)
        assert refused(delete(team[role], "production-schedule-versions", version_id), 403)
    response = put(team["manager"], "production-schedule-versions", version_id, {"locked": True})
    assert response.status_code == 200 and response.json()["locked"] is True


def test_a_deleted_schedule_version_is_detached_first(show, team):
    version = ProductionScheduleVersion.objects.create(name="v1", project=show)
    copy = ProductionScheduleVersion.objects.create(name="v2", project=show, production_schedule_from=version)
    show.from_schedule_version = version
    show.save()
    assert delete(team["manager"], "production-schedule-versions", version.id).status_code == 204
    copy.refresh_from_db()
    show.refresh_from_db()
    assert copy.production_schedule_from is None and show.from_schedule_version is None
    assert not ProductionScheduleVersion.objects.filter(pk=version.pk).exists()
    assert ApiEvent.objects.filter(name="project:update", project_id=show.id).exists()


# --- production schedule version task links -------------------------------------------------


@pytest.fixture
def schedule(show):
    """A version of `show`, a task of `show`, and a task of another project."""
    version = ProductionScheduleVersion.objects.create(name="v1", project=show)
    task = factories.make_task(factories.make_asset(show))
    elsewhere = factories.make_task(factories.make_asset(factories.make_project(name="Other")))
    return version, task, elsewhere


def test_schedule_task_links_join_a_task_and_a_version_of_one_project(team, schedule):
    version, task, elsewhere = schedule
    path = "production-schedule-version-task-links"
    body = {"production_schedule_version_id": str(version.id), "task_id": str(task.id), "estimation": 2}
    mixed = post(team["admin"], path, {**body, "task_id": str(elsewhere.id)})
    assert refused(mixed, 400, "The task and the production schedule version must be in the same project.")
    for role in NON_MANAGERS:
        assert refused(post(team[role], path, body), 403), role
    assert ProductionScheduleVersionTaskLink.objects.count() == 0
    response = post(team["manager"], path, body)
    assert response.status_code == 201
    assert (response.json()["task_id"], response.json()["estimation"]) == (str(task.id), 2)


def test_schedule_task_links_list_through_their_versions_project(show, team, schedule):
    version, task, elsewhere = schedule
    link = ProductionScheduleVersionTaskLink.objects.create(production_schedule_version=version, task=task)
    other_version = ProductionScheduleVersion.objects.create(name="v1", project=elsewhere.project)
    ProductionScheduleVersionTaskLink.objects.create(
        production_schedule_version=other_version, task=elsewhere
    )
    path = "production-schedule-version-task-links"
    assert [row["id"] for row in get(team["manager"], f"{path}?project_id={show.id}").json()] == [
        str(link.id)
    ]
    for role in ("client", "vendor", "outsider"):
        assert refused(get(team[role], f"{path}?project_id={show.id}"), 403), role
    assert refused(get(team["manager"], path), 403)
    assert len(get(team["admin"], path).json()) == 2
    assert refused(get(team["admin"], f"{path}?project_id=nope"), 400, "Invalid project_id.")


def test_schedule_task_links_follow_their_tasks_project(team, schedule):
    version, task, _ = schedule
    link = ProductionScheduleVersionTaskLink.objects.create(production_schedule_version=version, task=task)
    path = "production-schedule-version-task-links"
    assert get(team["user"], f"{path}/{link.id}").json()["task_id"] == str(task.id)
    for role in ("client", "vendor", "outsider"):
        assert refused(get(team[role], f"{path}/{link.id}"), 403), role
    for role in NON_MANAGERS:
        assert refused(put(team[role], path, link.id, {"estimation": 9}), 403), role
        assert refused(delete(team[role], path, link.id), 403), role
    other_task = factories.make_task(factories.make_asset(task.project))
    response = put(team["manager"], path, link.id, {"estimation": 5, "task_id": str(other_task.id)})
    assert response.status_code == 200
    assert (response.json()["estimation"], response.json()["task_id"]) == (5, str(task.id))
    assert delete(team["manager"], path, link.id).status_code == 204
    assert ProductionScheduleVersionTaskLink.objects.count() == 0


# --- status automations and custom actions ---------------------------------------------------


def test_status_automations_are_listed_by_all_but_vendors_and_written_by_admins(show, team):
    assert refused(get(team["vendor"], "status-automations"), 403)
    assert refused(post(team["manager"], "status-automations", {"entity_type": "shot"}), 403)
    assert StatusAutomation.objects.count() == 0
    response = post(team["admin"], "status-automations", {"entity_type": "shot"})
    assert response.status_code == 201 and response.json()["entity_type"] == "shot"
    automation_id = response.json()["id"]
    assert [row["id"] for row in get(team["client"], "status-automations").json()] == [automation_id]
    # One automation is read by admins only, as on the reference.
    assert refused(get(team["user"], f"status-automations/{automation_id}"), 403)
    assert get(team["admin"], f"status-automations/{automation_id}").status_code == 200


def test_a_status_automation_used_by_a_project_is_not_deleted(show, team):
    automation = StatusAutomation.objects.create(entity_type="asset")
    ProjectStatusAutomationLink.objects.create(project=show, status_automation=automation)
    assert refused(delete(team["manager"], "status-automations", automation.id), 403)
    response = delete(team["admin"], "status-automations", automation.id)
    assert refused(response, 400, "This automation is used in a project.")
    assert StatusAutomation.objects.filter(pk=automation.pk).exists()
    ProjectStatusAutomationLink.objects.all().delete()
    assert delete(team["admin"], "status-automations", automation.id).status_code == 204
    assert StatusAutomation.objects.count() == 0


def test_custom_actions_are_listed_by_all_but_vendors_and_written_by_admins(team):
    action = CustomAction.objects.create(name="Open in RV", url="rv://")
    assert [row["name"] for row in get(team["user"], "custom-actions").json()] == ["Open in RV"]
    assert refused(get(team["vendor"], "custom-actions"), 403)
    assert refused(get(team["user"], f"custom-actions/{action.id}"), 403)
    assert refused(post(team["manager"], "custom-actions", {"name": "Mine"}), 403)
    assert refused(put(team["manager"], "custom-actions", action.id, {"name": "Mine"}), 403)
    response = post(team["admin"], "custom-actions", {"name": "Publish", "url": "https://x"})
    assert response.status_code == 201 and response.json()["name"] == "Publish"
    assert CustomAction.objects.count() == 2


def test_a_custom_action_always_has_a_name(team):
    action = CustomAction.objects.create(name="Open in RV")
    required = "The 'name' field is required and cannot be None."
    assert refused(post(team["admin"], "custom-actions", {"url": "https://x"}), 400, required)
    assert refused(post(team["admin"], "custom-actions", {"name": None}), 400, required)
    assert CustomAction.objects.count() == 1
    response = put(team["admin"], "custom-actions", action.id, {"name": None})
    assert refused(response, 400, "The 'name' field cannot be set to None.")
    action.refresh_from_db()
    assert action.name == "Open in RV"


# --- metadata descriptors --------------------------------------------------------------------


def descriptor(project, name, **fields):
    return MetadataDescriptor.objects.create(
        project=project, entity_type="Asset", name=name, field_name=name.lower(), data_type="string", **fields
    )


def test_metadata_descriptors_are_listed_per_project_and_role(show, team):
    descriptor(show, "Budget")
    descriptor(show, "Summary", for_client=True)
    lighting_only = descriptor(show, "Rig")
    lighting_only.departments.add(factories.make_department("Lighting"))
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    ProjectPersonLink.objects.create(project=closed, person=team["user"])
    descriptor(closed, "Archived")
    descriptor(factories.make_project(name="Other"), "Secret")
    DepartmentLink.objects.create(person=team["vendor"], department=factories.make_department("Anim"))

    def names(person):
        return sorted(row["name"] for row in get(person, "metadata-descriptors").json())

    assert names(team["user"]) == ["Budget", "Rig", "Summary"]
    assert names(team["client"]) == ["Summary"]
    assert names(team["vendor"]) == ["Budget", "Summary"]
    assert names(team["outsider"]) == []
    assert len(names(team["admin"])) == 5
    # The role held on the project decides.
    ProjectPersonLink.objects.filter(person=team["user"], project=show).update(role="client")
    assert names(team["user"]) == ["Summary"]


def test_metadata_descriptors_are_written_by_admins_with_a_known_data_type(show, team):
    body = {"project_id": str(show.id), "entity_type": "Shot", "name": "Camera", "field_name": "camera"}
    assert refused(
        post(team["admin"], "metadata-descriptors", {**body, "data_type": "color"}), 400, "Invalid data_type"
    )
    assert refused(post(team["manager"], "metadata-descriptors", {**body, "data_type": "string"}), 403)
    assert MetadataDescriptor.objects.count() == 0
    response = post(team["admin"], "metadata-descriptors", {**body, "data_type": "list", "choices": ["a"]})
    assert response.status_code == 201 and response.json()["data_type"] == "list"
    descriptor_id = response.json()["id"]
    assert refused(
        put(team["admin"], "metadata-descriptors", descriptor_id, {"data_type": None}),
        400,
        "Invalid data_type",
    )
    assert refused(get(team["manager"], f"metadata-descriptors/{descriptor_id}"), 403)
    assert MetadataDescriptor.objects.get().data_type == "list"


# --- project templates -----------------------------------------------------------------------


def test_project_templates_are_read_by_managers_and_written_by_admins(team):
    template = ProjectTemplate.objects.create(name="Feature")
    for role in ("manager", "outsider", "admin"):
        assert [row["name"] for row in get(team[role], "project-templates").json()] == ["Feature"], role
        assert get(team[role], f"project-templates/{template.id}").status_code == 200, role
    for role in ("supervisor", "user", "client", "vendor"):
        assert refused(get(team[role], "project-templates"), 403), role
        assert refused(get(team[role], f"project-templates/{template.id}"), 403), role
    assert refused(post(team["manager"], "project-templates", {"name": "Series"}), 403)
    assert refused(put(team["manager"], "project-templates", template.id, {"fps": "24"}), 403)
    assert refused(delete(team["manager"], "project-templates", template.id), 403)
    assert list(ProjectTemplate.objects.values_list("name", "fps")) == [("Feature", "25")]
    response = post(team["admin"], "project-templates", {"name": "Series", "fps": "24"})
    assert response.status_code == 201 and response.json()["fps"] == "24"
    assert delete(team["admin"], "project-templates", template.id).status_code == 204
    assert list(ProjectTemplate.objects.values_list("name", flat=True)) == ["Series"]


def test_project_templates_need_a_free_name(team):
    template = ProjectTemplate.objects.create(name="Feature")
    ProjectTemplate.objects.create(name="Series")
    admin = team["admin"]
    assert refused(post(admin, "project-templates", {"fps": "24"}), 400, "name is required")
    assert refused(post(admin, "project-templates", {"name": ""}), 400, "name is required")
    duplicate = "A project template with this name already exists"
    assert refused(post(admin, "project-templates", {"name": "Feature"}), 400, duplicate)
    assert ProjectTemplate.objects.count() == 2
    assert refused(put(admin, "project-templates", template.id, {"name": "Series"}), 400, duplicate)
    assert put(admin, "project-templates", template.id, {"name": "Feature"}).status_code == 200
    assert sorted(ProjectTemplate.objects.values_list("name", flat=True)) == ["Feature", "Series"]


# --- task type and task status links --------------------------------------------------------


def test_task_type_links_are_created_or_updated_by_project_managers(show, team):
    task_type = factories.make_task_type(name="Modeling")
    body = {"project_id": str(show.id), "task_type_id": str(task_type.id)}
    for role in NON_MANAGERS:
        assert refused(post(team[role], "task-type-links", body), 403), role
    assert ProjectTaskTypeLink.objects.count() == 0
    created = post(team["manager"], "task-type-links", body)
    assert created.status_code == 201 and created.json()["priority"] == 1
    ProjectTaskTypeLink.objects.update(is_client_visible=False)
    updated = post(team["manager"], "task-type-links", {**body, "priority": 5})
    assert updated.status_code == 201
    assert (updated.json()["id"], updated.json()["priority"]) == (created.json()["id"], 5)
    assert updated.json()["created_at"] == created.json()["created_at"]
    assert updated.json()["is_client_visible"] is False
    assert ProjectTaskTypeLink.objects.count() == 1
    assert ApiEvent.objects.filter(name="project:update", project_id=show.id).count() == 2


def test_task_status_links_are_created_or_updated_by_project_managers(show, team):
    status = factories.make_task_status(name="WIP")
    body = {"project_id": str(show.id), "task_status_id": str(status.id)}
    assert refused(post(team["supervisor"], "task-status-links", body), 403)
    created = post(team["manager"], "task-status-links", body)
    assert created.status_code == 201
    assert (created.json()["priority"], created.json()["roles_for_board"]) == (1, [])
    ProjectTaskStatusLink.objects.update(is_client_allowed=True)
    updated = post(team["manager"], "task-status-links", {**body, "roles_for_board": ["user"]})
    assert updated.json()["id"] == created.json()["id"]
    assert (updated.json()["roles_for_board"], updated.json()["is_client_allowed"]) == (["user"], True)
    assert ProjectTaskStatusLink.objects.count() == 1


def test_project_links_need_both_ids_and_have_no_list_or_public_instance(show, team):
    task_type = factories.make_task_type(name="Modeling")
    missing = post(team["manager"], "task-type-links", {"project_id": str(show.id)})
    assert refused(missing, 400, "Missing required parameter: task_type_id")
    missing = post(team["manager"], "task-status-links", {"task_status_id": str(uuid.uuid4())})
    assert refused(missing, 400, "Missing required parameter: project_id")
    assert ProjectTaskTypeLink.objects.count() == ProjectTaskStatusLink.objects.count() == 0
    assert get(team["admin"], "task-type-links").status_code == 405
    link = ProjectTaskTypeLink.objects.create(project=show, task_type=task_type)
    assert refused(get(team["manager"], f"task-type-links/{link.id}"), 403)
    assert refused(delete(team["manager"], "task-type-links", link.id), 403)
    assert ProjectTaskTypeLink.objects.count() == 1
