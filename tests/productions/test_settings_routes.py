"""Project lists, team, settings, metadata descriptors and preview account routes: the reference's
answers, who may call them, and what a refusal or a bad body leaves behind (nothing)."""

import uuid

import pytest

from files.models import PreviewBackgroundFile
from people.models import DepartmentLink, Person, Software
from productions.models import (
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    StatusAutomation,
)
from productions.project_settings.descriptors import field_name_of
from tasks.models import ApiEvent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


def api(team, role):
    return client_for(team[role])


def events(name):
    return ApiEvent.objects.filter(name=name).count()


def url(project, tail=""):
    return f"/api/data/projects/{getattr(project, 'id', project)}{tail}"


# --- project lists -------------------------------------------------------------------------------


def test_open_projects_carry_the_settings_extras(show, team):
    task_type = factories.make_task_type()
    task_status = factories.make_task_status()
    ProjectTaskTypeLink.objects.create(
        project=show, task_type=task_type, priority=4, hd_bitrate_compression=10
    )
    ProjectTaskStatusLink.objects.create(project=show, task_status=task_status, priority=2)
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Asset", name="Level", field_name="level", data_type="list", choices=["a"]
    )
    department = factories.make_department()
    DepartmentMetadataDescriptorLink.objects.create(metadata_descriptor=descriptor, department=department)
    factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))

    rows = api(team, "admin").get("/api/data/projects/open").json()
    assert [row["name"] for row in rows] == ["Show"]
    row = rows[0]
    assert row["type"] == "Project" and row["task_types"] == [str(task_type.id)]
    assert sorted(row["team"]) == sorted(str(p.id) for k, p in team.items() if k not in ("outsider", "admin"))
    assert row["task_type_links"] == {
        str(task_type.id): {
            "priority": 4,
            "hd_bitrate_compression": 10,
            "ld_bitrate_compression": None,
            "is_client_visible": True,
        }
    }
    assert row["task_types_priority"] == {str(task_type.id): 4}
    assert row["task_statuses_link"][str(task_status.id)]["priority"] == 2
    assert row["descriptors"] == [
        {
            "id": str(descriptor.id),
            "name": "Level",
            "field_name": "level",
            "data_type": "list",
            "choices": ["a"],
            "for_client": False,
            "entity_type": "Asset",
            "task_type_id": None,
            "position": None,
            "departments": [str(department.id)],
        }
    ]
    assert "first_episode_id" not in row


def test_open_projects_of_a_member_narrow_descriptors_on_the_role_held(show, team):
    MetadataDescriptor.objects.create(project=show, entity_type="Asset", name="Inner", field_name="inner")
    MetadataDescriptor.objects.create(
        project=show, entity_type="Asset", name="Public", field_name="public", for_client=True
    )
    factories.make_project(name="Other")
    names = lambda role: [  # noqa: E731
        [d["name"] for d in row["descriptors"]]
        for row in api(team, role).get("/api/data/projects/open").json()
    ]
    assert names("user") == [["Inner", "Public"]]
    assert names("client") == [["Public"]]
    assert names("outsider") == []
    # A team role overrides the global one for this project only.
    ProjectPersonLink.objects.filter(project=show, person=team["user"]).update(role="client")
    assert names("user") == [["Public"]]


def test_open_tv_show_names_its_first_running_episode(show, team):
    show.production_type = "tvshow"
    show.save()
    factories.make_episode(show, name="E01", status="canceled")
    second = factories.make_episode(show, name="E02")
    row = api(team, "user").get("/api/data/projects/open").json()[0]
    assert row["first_episode_id"] == str(second.id)


def test_open_projects_filter_by_exact_name(show, team):
    assert len(api(team, "admin").get("/api/data/projects/open?name=Show").json()) == 1
    assert api(team, "admin").get("/api/data/projects/open?name=show").json() == []


def test_all_projects_for_admins_and_for_members(show, team):
    MetadataDescriptor.objects.create(project=show, entity_type="Project", name="Code", field_name="code")
    MetadataDescriptor.objects.create(project=show, entity_type="Asset", name="Level", field_name="level")
    factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    rows = api(team, "admin").get("/api/data/projects/all").json()
    assert [row["name"] for row in rows] == ["Closed", "Show"]
    show_row = rows[1]
    assert show_row["project_status_name"] == "Open"
    assert [d["field_name"] for d in show_row["descriptors"]] == ["code"]
    assert "team" not in show_row

    rows = api(team, "client").get("/api/data/projects/all").json()
    assert [row["name"] for row in rows] == ["Show"]
    assert "descriptors" not in rows[0] and "project_status_name" not in rows[0]
    assert api(team, "outsider").get("/api/data/projects/all").json() == []


def test_all_projects_by_name_is_case_insensitive_or_404(show, team):
    rows = api(team, "user").get("/api/data/projects/all?name=SHOW").json()
    assert [row["id"] for row in rows] == [str(show.id)]
    response = api(team, "outsider").get("/api/data/projects/all?name=Show")
    assert response.status_code == 404 and response.json()["error"] is True
    assert api(team, "admin").get("/api/data/projects/all?name=nope").status_code == 404


def test_project_lists_run_a_bounded_number_of_queries(show, team, django_assert_max_num_queries):
    def build(count):
        for _ in range(count):
            project = factories.make_project(name=f"P{uuid.uuid4().hex[:8]}", production_type="tvshow")
            ProjectPersonLink.objects.create(project=project, person=team["user"])
            ProjectTaskTypeLink.objects.create(project=project, task_type=factories.make_task_type())
            ProjectTaskStatusLink.objects.create(project=project, task_status=factories.make_task_status())
            MetadataDescriptor.objects.create(
                project=project, entity_type="Project", name="C", field_name="c"
            )
            factories.make_episode(project)

    for role in ("admin", "user"):
        build(1)
        client = api(team, role)
        with django_assert_max_num_queries(16):
            small_open = len(client.get("/api/data/projects/open").json())
        with django_assert_max_num_queries(8):
            small_all = len(client.get("/api/data/projects/all").json())
        build(12)
        with django_assert_max_num_queries(16):
            assert len(client.get("/api/data/projects/open").json()) == small_open + 12
        with django_assert_max_num_queries(8):
            assert len(client.get("/api/data/projects/all").json()) == small_all + 12


# --- the team ------------------------------------------------------------------------------------


def test_team_as_managers_clients_and_artists_see_it(show, team, django_assert_max_num_queries):
    department = factories.make_department()
    DepartmentLink.objects.create(person=team["user"], department=department)
    ProjectPersonLink.objects.filter(project=show, person=team["user"]).update(role="supervisor")

    rows = {row["id"]: row for row in api(team, "manager").get(url(show, "/team")).json()}
    artist = rows[str(team["user"].id)]
    assert artist["departments"] == [str(department.id)] and artist["project_role"] == "supervisor"
    assert artist["full_name"] == f"{team['user'].first_name} {team['user'].last_name}"
    assert artist["email"] == team["user"].email and "password" not in artist
    assert rows[str(team["client"].id)]["project_role"] is None

    client_row = api(team, "client").get(url(show, "/team")).json()[0]
    assert set(client_row) == {
        "id",
        "type",
        "first_name",
        "last_name",
        "full_name",
        "has_avatar",
        "active",
        "role",
        "is_bot",
        "project_role",
    }
    artist_rows = {row["id"]: row for row in api(team, "vendor").get(url(show, "/team")).json()}
    assert artist_rows[str(team["user"].id)]["departments"] == []  # the minimal card never has them
    assert "email" not in artist_rows[str(team["user"].id)]

    for _ in range(10):
        ProjectPersonLink.objects.create(project=show, person=factories.make_person())
    with django_assert_max_num_queries(8):
        assert len(api(team, "manager").get(url(show, "/team")).json()) == 15


def test_team_read_needs_membership(show, team):
    assert api(team, "outsider").get(url(show, "/team")).status_code == 403
    assert api(team, "admin").get(url(uuid.uuid4(), "/team")).status_code == 404
    assert api(team, "admin").get(url("nope", "/team")).status_code == 404  # names no row


def test_managers_add_team_members_with_a_role(show, team):
    newcomer = factories.make_person()
    response = api(team, "manager").post(
        url(show, "/team"), {"person_id": str(newcomer.id), "role": "supervisor"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == str(show.id) and body["type"] == "Project" and "team" not in body
    link = ProjectPersonLink.objects.get(project=show, person=newcomer)
    assert link.role == "supervisor"
    assert events("project:update") == 2  # the membership, then the role, as the reference
    # Adding a member again changes nothing and records nothing.
    api(team, "manager").post(url(show, "/team"), {"person_id": str(newcomer.id)}, format="json")
    assert events("project:update") == 2


def test_team_additions_refused_or_invalid_write_nothing(show, team):
    newcomer = factories.make_person()
    before = ProjectPersonLink.objects.count()
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        response = api(team, role).post(url(show, "/team"), {"person_id": str(newcomer.id)}, format="json")
        assert response.status_code == 403, role
    manager = api(team, "manager")
    for body, message in (
        ({}, "person_id"),
        ({"person_id": "nope"}, "person_id"),
        ({"person_id": MISSING}, f"Person with id {MISSING} not found"),
        ({"person_id": str(newcomer.id), "role": "admin"}, "admin is a global role"),
        ({"person_id": str(newcomer.id), "role": "boss"}, "role"),
    ):
        response = manager.post(url(show, "/team"), body, format="json")
        assert response.status_code == 400 and message in response.json()["message"], body
    other = factories.make_project(name="Other")
    preview = factories.make_person(role="client", preview_project=other)
    response = manager.post(url(show, "/team"), {"person_id": str(preview.id)}, format="json")
    assert response.status_code == 400 and "preview account" in response.json()["message"]
    assert ProjectPersonLink.objects.count() == before
    assert (
        manager.post(url(uuid.uuid4(), "/team"), {"person_id": str(newcomer.id)}, format="json").status_code
        == 404
    )
    assert events("project:update") == 0


def test_team_member_role_set_and_cleared(show, team):
    person = team["user"]
    response = api(team, "manager").put(url(show, f"/team/{person.id}"), {"role": "client"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"project_id": str(show.id), "person_id": str(person.id), "role": "client"}
    assert ProjectPersonLink.objects.get(project=show, person=person).role == "client"
    response = api(team, "manager").put(url(show, f"/team/{person.id}"), {}, format="json")
    assert response.json()["role"] is None
    assert ProjectPersonLink.objects.get(project=show, person=person).role is None
    assert events("project:update") == 2


def test_team_member_role_refusals(show, team):
    person = team["user"]
    assert (
        api(team, "supervisor")
        .put(url(show, f"/team/{person.id}"), {"role": "manager"}, format="json")
        .status_code
        == 403
    )
    manager = api(team, "manager")
    response = manager.put(url(show, f"/team/{team['outsider'].id}"), {"role": "user"}, format="json")
    assert (
        response.status_code == 400
        and response.json()["message"] == "Person is not a member of the project team"
    )
    assert manager.put(url(show, f"/team/{person.id}"), {"role": "admin"}, format="json").status_code == 400
    preview = factories.make_person(role="client", preview_project=show)
    ProjectPersonLink.objects.create(project=show, person=preview)
    response = manager.put(url(show, f"/team/{preview.id}"), {"role": "user"}, format="json")
    assert response.json()["message"] == "A preview account keeps its client role"
    assert set(ProjectPersonLink.objects.filter(project=show).values_list("role", flat=True)) == {None}


def test_team_member_removal(show, team):
    person = team["user"]
    assert api(team, "user").delete(url(show, f"/team/{person.id}")).status_code == 403
    assert ProjectPersonLink.objects.filter(project=show, person=person).exists()
    assert api(team, "manager").delete(url(show, f"/team/{person.id}")).status_code == 204
    assert not ProjectPersonLink.objects.filter(project=show, person=person).exists()
    # The reference answers 204 (and notifies) for a person who is not in the team.
    assert api(team, "manager").delete(url(show, f"/team/{team['outsider'].id}")).status_code == 204
    assert events("project:update") == 2
    assert api(team, "manager").delete(url(show, "/team/nope")).status_code == 400


# --- linked settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field", "link_model", "column", "make"),
    [
        (
            "asset-types",
            "asset_type_id",
            ProjectAssetTypeLink,
            "asset_type_id",
            lambda: factories.make_asset_type("Prop"),
        ),
        (
            "task-status",
            "task_status_id",
            ProjectTaskStatusLink,
            "task_status_id",
            factories.make_task_status,
        ),
        (
            "status-automations",
            "status_automation_id",
            ProjectStatusAutomationLink,
            "status_automation_id",
            lambda: StatusAutomation.objects.create(),
        ),
        (
            "preview-background-files",
            "preview_background_file_id",
            ProjectPreviewBackgroundFileLink,
            "preview_background_file_id",
            lambda: PreviewBackgroundFile.objects.create(name="Grey"),
        ),
    ],
)
def test_linked_settings_add_and_remove(show, team, path, field, link_model, column, make):
    row = make()
    manager = api(team, "manager")
    response = manager.post(url(show, f"/settings/{path}"), {field: str(row.id)}, format="json")
    assert response.status_code == 201 and response.json()["id"] == str(show.id)
    assert link_model.objects.filter(project=show, **{column: row.id}).count() == 1
    assert events("project:update") == 1
    manager.post(url(show, f"/settings/{path}"), {field: str(row.id)}, format="json")  # already linked
    assert link_model.objects.filter(project=show).count() == 1 and events("project:update") == 1

    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert api(team, role).delete(url(show, f"/settings/{path}/{row.id}")).status_code == 403, role
    assert manager.delete(url(show, f"/settings/{path}/{row.id}")).status_code == 204
    assert not link_model.objects.filter(project=show).exists()
    assert events("project:update") == 2


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("asset-types", "asset_type_id"),
        ("task-status", "task_status_id"),
        ("status-automations", "status_automation_id"),
        ("preview-background-files", "preview_background_file_id"),
        ("task-types", "task_type_id"),
    ],
)
def test_linked_settings_refusals_write_nothing(show, team, path, field):
    manager = api(team, "manager")
    for body in ({}, {field: "nope"}, {field: MISSING}):
        response = manager.post(url(show, f"/settings/{path}"), body, format="json")
        message = response.json()["message"]
        assert response.status_code == 400 and (field in message or MISSING in message), (body, message)
    assert (
        api(team, "user").post(url(show, f"/settings/{path}"), {field: MISSING}, format="json").status_code
        == 403
    )
    assert (
        manager.post(url(uuid.uuid4(), f"/settings/{path}"), {field: MISSING}, format="json").status_code
        == 404
    )
    assert ApiEvent.objects.count() == 0
    for link_model in (
        ProjectAssetTypeLink,
        ProjectTaskStatusLink,
        ProjectTaskTypeLink,
        ProjectStatusAutomationLink,
    ):
        assert not link_model.objects.exists()


def test_linked_settings_lists(show, team, django_assert_max_num_queries):
    for i in range(3):
        ProjectTaskStatusLink.objects.create(
            project=show, task_status=factories.make_task_status(name=f"S{i}")
        )
        ProjectTaskTypeLink.objects.create(project=show, task_type=factories.make_task_type(name=f"T{i}"))
        ProjectPreviewBackgroundFileLink.objects.create(
            project=show, preview_background_file=PreviewBackgroundFile.objects.create(name=f"B{i}")
        )
        ProjectStatusAutomationLink.objects.create(
            project=show, status_automation=StatusAutomation.objects.create()
        )
    factories.make_task_status(name="Unlinked")
    with django_assert_max_num_queries(6):
        rows = api(team, "client").get(url(show, "/settings/task-status")).json()
    assert [row["name"] for row in rows] == ["S0", "S1", "S2"] and rows[0]["type"] == "TaskStatus"
    rows = api(team, "vendor").get(url(show, "/task-types")).json()
    assert [row["name"] for row in rows] == ["T0", "T1", "T2"] and rows[0]["type"] == "TaskType"
    rows = api(team, "user").get(url(show, "/settings/preview-background-files")).json()
    assert [row["name"] for row in rows] == ["B0", "B1", "B2"]
    assert len(api(team, "manager").get(url(show, "/settings/status-automations")).json()) == 3
    # Status automations are listed to the project's managers only.
    assert api(team, "supervisor").get(url(show, "/settings/status-automations")).status_code == 403
    assert api(team, "outsider").get(url(show, "/task-types")).status_code == 403
    assert api(team, "admin").get(url(uuid.uuid4(), "/task-types")).status_code == 404


def test_task_type_setting_keeps_priority_and_takes_bitrates(show, team):
    task_type = factories.make_task_type()
    manager = api(team, "manager")
    body = {"task_type_id": str(task_type.id), "priority": 3}
    assert manager.post(url(show, "/settings/task-types"), body, format="json").status_code == 201
    link = ProjectTaskTypeLink.objects.get(project=show, task_type=task_type)
    assert (link.priority, link.is_client_visible, link.hd_bitrate_compression) == (3, True, None)
    body = {
        "task_type_id": str(task_type.id),
        "priority": 9,
        "hd_bitrate_compression": 12,
        "is_client_visible": False,
    }
    assert manager.post(url(show, "/settings/task-types"), body, format="json").status_code == 201
    link.refresh_from_db()
    assert (link.priority, link.is_client_visible, link.hd_bitrate_compression) == (3, False, 12)
    assert events("project:update") == 2
    # No schedule item is made here: the reference makes them when the schedule is read.
    assert not show.schedule_items.exists()


def test_task_type_setting_bitrate_bounds(show, team):
    task_type = factories.make_task_type()
    manager = api(team, "manager")
    for extra, message in (
        ({"hd_bitrate_compression": 0}, "hd_bitrate_compression"),
        ({"ld_bitrate_compression": 500}, "Invalid bitrate 500"),
        ({"hd_bitrate_compression": 5, "ld_bitrate_compression": 8}, "cannot exceed"),
    ):
        response = manager.post(
            url(show, "/settings/task-types"), {"task_type_id": str(task_type.id), **extra}, format="json"
        )
        assert response.status_code == 400 and message in response.json()["message"], extra
    assert not ProjectTaskTypeLink.objects.exists() and ApiEvent.objects.count() == 0


def test_task_status_client_override(show, team):
    status = factories.make_task_status()
    ProjectTaskStatusLink.objects.create(project=show, task_status=status)
    path = url(show, f"/settings/task-status/{status.id}")
    response = api(team, "manager").put(path, {"is_client_allowed": False}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "ProjectTaskStatusLink" and body["is_client_allowed"] is False
    assert (
        api(team, "manager").put(path, {"is_client_allowed": None}, format="json").json()["is_client_allowed"]
        is None
    )
    assert events("project:update") == 2
    assert api(team, "manager").put(path, {}, format="json").status_code == 400
    assert api(team, "supervisor").put(path, {"is_client_allowed": True}, format="json").status_code == 403
    other = factories.make_task_status()
    response = api(team, "manager").put(
        url(show, f"/settings/task-status/{other.id}"), {"is_client_allowed": True}, format="json"
    )
    assert response.status_code == 404
    assert ProjectTaskStatusLink.objects.get().is_client_allowed is None


def test_settings_batch(show, team):
    kept, dropped, added = (factories.make_task_type() for _ in range(3))
    ProjectTaskTypeLink.objects.create(project=show, task_type=kept, priority=1)
    ProjectTaskTypeLink.objects.create(project=show, task_type=dropped, priority=2)
    status = factories.make_task_status()
    asset_type = factories.make_asset_type("Vehicle")
    body = {
        "task_types": [
            {"task_type_id": str(kept.id), "priority": 5, "is_client_visible": False},
            {"task_type_id": str(added.id), "priority": 7},
            {"task_type_id": MISSING},
        ],
        "task_status_ids": [str(status.id), MISSING],
        "asset_type_ids": [str(asset_type.id), MISSING],
        "replace_task_types": True,
    }
    response = api(team, "manager").post(url(show, "/settings/batch"), body, format="json")
    assert response.status_code == 200 and response.json()["id"] == str(show.id)
    links = {link.task_type_id: link for link in ProjectTaskTypeLink.objects.filter(project=show)}
    assert set(links) == {kept.id, added.id}
    assert (links[kept.id].priority, links[kept.id].is_client_visible) == (5, False)
    assert links[added.id].priority == 7
    assert list(ProjectTaskStatusLink.objects.values_list("task_status_id", flat=True)) == [status.id]
    assert list(ProjectAssetTypeLink.objects.values_list("asset_type_id", flat=True)) == [asset_type.id]
    assert events("project:update") == 1


def test_settings_batch_refusals_write_nothing(show, team):
    status = factories.make_task_status()
    body = {"task_status_ids": [str(status.id)]}
    assert api(team, "supervisor").post(url(show, "/settings/batch"), body, format="json").status_code == 403
    for bad in ({"task_types": "x"}, {"task_status_ids": ["nope"]}, {"task_types": [{"priority": 1}]}):
        assert (
            api(team, "manager").post(url(show, "/settings/batch"), bad, format="json").status_code == 400
        ), bad
    assert not ProjectTaskStatusLink.objects.exists() and ApiEvent.objects.count() == 0


# --- softwares of the task types ---------------------------------------------------------------


def test_task_type_softwares(show, team):
    department = factories.make_department()
    task_type = factories.make_task_type(department=department)
    ProjectTaskTypeLink.objects.create(project=show, task_type=task_type)
    software = Software.objects.create(name="Blender", short_name="bl", file_extension=".blend")
    path = url(show, f"/task-types/{task_type.id}/softwares")
    response = api(team, "manager").post(path, {"software_id": str(software.id)}, format="json")
    assert response.status_code == 201
    expected = {
        "project_id": str(show.id),
        "task_type_id": str(task_type.id),
        "software_id": str(software.id),
    }
    assert response.json() == expected
    assert (
        api(team, "manager").post(path, {"software_id": str(software.id)}, format="json").status_code == 201
    )
    assert ProjectTaskTypeSoftwareLink.objects.count() == 1 and events("project:update") == 1
    assert api(team, "client").get(url(show, "/task-type-softwares")).json() == [expected]
    assert api(team, "outsider").get(url(show, "/task-type-softwares")).status_code == 403

    # Supervisors act on the task types of their departments only.
    DepartmentLink.objects.create(person=team["supervisor"], department=factories.make_department())
    assert api(team, "supervisor").delete(f"{path}/{software.id}").status_code == 403
    DepartmentLink.objects.create(person=team["supervisor"], department=department)
    assert api(team, "supervisor").delete(f"{path}/{software.id}").status_code == 204
    assert not ProjectTaskTypeSoftwareLink.objects.exists() and events("project:update") == 2


def test_task_type_software_refusals_write_nothing(show, team):
    task_type = factories.make_task_type()
    software = Software.objects.create(name="Old", short_name="o", file_extension=".o", archived=True)
    manager = api(team, "manager")
    response = manager.post(
        url(show, f"/task-types/{task_type.id}/softwares"), {"software_id": str(software.id)}, format="json"
    )
    assert (
        response.status_code == 400
        and response.json()["message"] == "The task type is not a task type of the project."
    )
    ProjectTaskTypeLink.objects.create(project=show, task_type=task_type)
    path = url(show, f"/task-types/{task_type.id}/softwares")
    response = manager.post(path, {"software_id": str(software.id)}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "The software is archived."
    assert manager.post(path, {"software_id": MISSING}, format="json").status_code == 404
    assert manager.post(path, {}, format="json").status_code == 400
    assert (
        manager.post(
            url(show, "/task-types/nope/softwares"), {"software_id": MISSING}, format="json"
        ).status_code
        == 400
    )
    assert api(team, "user").post(path, {"software_id": str(software.id)}, format="json").status_code == 403
    assert not ProjectTaskTypeSoftwareLink.objects.exists() and ApiEvent.objects.count() == 0


# --- metadata descriptors ----------------------------------------------------------------------


def test_field_names_are_slugs_with_underscores():
    assert field_name_of("Difficulty Level") == "difficulty_level"
    assert field_name_of("Artist's note") == "artist_s_note"
    assert field_name_of("Café Crème") == "cafe_creme"
    assert field_name_of("1,000 frames") == "1000_frames"
    assert field_name_of("--a__b--") == "a_b"


def test_descriptor_creation(show, team):
    department = factories.make_department()
    body = {
        "name": "Difficulty Level",
        "data_type": "list",
        "choices": ["a", "b"],
        "departments": [str(department.id)],
    }
    response = api(team, "manager").post(url(show, "/metadata-descriptors"), body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["type"] == "MetadataDescriptor" and data["field_name"] == "difficulty_level"
    assert data["entity_type"] == "Asset" and data["departments"] == [str(department.id)]
    assert data["choices"] == ["a", "b"] and data["for_client"] is False
    assert events("metadata-descriptor:new") == 1
    task_type = factories.make_task_type()
    body = {"name": "Hours", "entity_type": "Task", "task_type_id": str(task_type.id)}
    response = api(team, "admin").post(url(show, "/metadata-descriptors"), body, format="json")
    assert response.status_code == 201 and response.json()["task_type_id"] == str(task_type.id)


def test_descriptor_creation_refusals_write_nothing(show, team):
    department = factories.make_department()
    task_type = factories.make_task_type()
    MetadataDescriptor.objects.create(project=show, entity_type="Asset", name="Level", field_name="level")
    manager = api(team, "manager")
    for body, message in (
        ({"name": ""}, "name"),
        ({"name": "level"}, "Metadata descriptor already exists."),
        ({"name": "X", "entity_type": "Foo"}, "Wrong entity type"),
        ({"name": "X", "data_type": "foo"}, "Invalid data_type"),
        ({"name": "X", "entity_type": "Task"}, "Task metadata descriptors require a task_type_id."),
        ({"name": "X", "entity_type": "Task", "task_type_id": MISSING}, "Task type not found."),
        ({"name": "X", "task_type_id": str(task_type.id)}, "task_type_id only applies to Task"),
        ({"name": "X", "departments": ["nope"]}, "departments"),
    ):
        response = manager.post(url(show, "/metadata-descriptors"), body, format="json")
        assert response.status_code == 400 and message in response.json()["message"], body
    # Supervisors create descriptors limited to departments covering theirs; artists never.
    DepartmentLink.objects.create(person=team["supervisor"], department=department)
    supervisor = api(team, "supervisor")
    assert (
        supervisor.post(url(show, "/metadata-descriptors"), {"name": "Y"}, format="json").status_code == 403
    )
    for role in ("user", "client", "outsider"):
        assert (
            api(team, role).post(url(show, "/metadata-descriptors"), {"name": "Y"}, format="json").status_code
            == 403
        )
    assert MetadataDescriptor.objects.count() == 1 and ApiEvent.objects.count() == 0
    body = {"name": "Y", "departments": [str(department.id)]}
    assert supervisor.post(url(show, "/metadata-descriptors"), body, format="json").status_code == 201


def test_descriptor_list_and_read_narrowed_for_clients_and_vendors(show, team, django_assert_max_num_queries):
    department = factories.make_department()
    open_one = MetadataDescriptor.objects.create(
        project=show, entity_type="Asset", name="B", field_name="b", position=2
    )
    for_client = MetadataDescriptor.objects.create(
        project=show, entity_type="Shot", name="A", field_name="a", for_client=True, position=1
    )
    departmental = MetadataDescriptor.objects.create(
        project=show, entity_type="Asset", name="C", field_name="c"
    )
    DepartmentMetadataDescriptorLink.objects.create(metadata_descriptor=departmental, department=department)
    path = url(show, "/metadata-descriptors")
    with django_assert_max_num_queries(6):
        rows = api(team, "user").get(path).json()
    assert [row["name"] for row in rows] == ["A", "B", "C"]
    assert rows[2]["departments"] == [str(department.id)]
    assert [row["name"] for row in api(team, "client").get(path).json()] == ["A"]
    assert [row["name"] for row in api(team, "vendor").get(path).json()] == ["A", "B"]
    DepartmentLink.objects.create(person=team["vendor"], department=department)
    assert [row["name"] for row in api(team, "vendor").get(path).json()] == ["A", "B", "C"]
    assert api(team, "outsider").get(path).status_code == 403

    assert api(team, "client").get(f"{path}/{for_client.id}").json()["name"] == "A"
    assert api(team, "client").get(f"{path}/{open_one.id}").status_code == 403
    assert api(team, "user").get(f"{path}/{uuid.uuid4()}").status_code == 404
    other = factories.make_project(name="Other")
    elsewhere = MetadataDescriptor.objects.create(
        project=other, entity_type="Asset", name="Z", field_name="z"
    )
    assert api(team, "admin").get(f"{path}/{elsewhere.id}").status_code == 404


def test_descriptor_rename_moves_the_values_of_every_entity(show, team, django_assert_max_num_queries):
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Asset", name="Level", field_name="level"
    )
    assets = [factories.make_asset(show, data={"level": i, "keep": True}) for i in range(20)]
    nulled = factories.make_asset(show, data={"level": None})
    untouched = factories.make_asset(show, data={"other": 1})
    sequence = factories.make_sequence(show)
    shot = factories.make_shot(show, sequence, data={"level": "shot value"})
    with django_assert_max_num_queries(20):
        response = api(team, "manager").put(
            url(show, f"/metadata-descriptors/{descriptor.id}"),
            {"name": "Work Level", "data_type": "number", "for_client": True},
            format="json",
        )
    assert response.status_code == 200
    data = response.json()
    assert (data["name"], data["field_name"], data["data_type"], data["for_client"]) == (
        "Work Level",
        "work_level",
        "number",
        True,
    )
    for i, asset in enumerate(assets):
        asset.refresh_from_db()
        assert asset.data == {"work_level": i, "keep": True}
    nulled.refresh_from_db()
    untouched.refresh_from_db()
    shot.refresh_from_db()
    assert nulled.data == {"level": None}  # a null value stays put, as on the reference
    assert untouched.data == {"other": 1}
    assert shot.data == {"level": "shot value"}  # another kind's data is not this descriptor's
    assert events("metadata-descriptor:update") == 1


def test_descriptor_update_refusals_write_nothing(show, team):
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Asset", name="Level", field_name="level"
    )
    MetadataDescriptor.objects.create(project=show, entity_type="Asset", name="Taken", field_name="taken")
    asset = factories.make_asset(show, data={"level": 1})
    path = url(show, f"/metadata-descriptors/{descriptor.id}")
    manager = api(team, "manager")
    for body, message in (
        ({"name": ""}, "Name cannot be empty."),
        ({"name": "Taken"}, "Metadata descriptor already exists."),
        ({"data_type": "foo"}, "Invalid data_type"),
    ):
        response = manager.put(path, body, format="json")
        assert response.status_code == 400 and response.json()["message"] == message, body
    assert api(team, "user").put(path, {"name": "X"}, format="json").status_code == 403
    assert api(team, "supervisor").put(path, {"name": "X"}, format="json").status_code == 403
    assert (
        manager.put(
            url(show, f"/metadata-descriptors/{uuid.uuid4()}"), {"name": "X"}, format="json"
        ).status_code
        == 404
    )
    descriptor.refresh_from_db()
    asset.refresh_from_db()
    assert (descriptor.name, asset.data) == ("Level", {"level": 1})
    assert ApiEvent.objects.count() == 0


def test_descriptor_removal_strips_the_values(show, team):
    task_type = factories.make_task_type()
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Task", task_type=task_type, name="Hours", field_name="hours"
    )
    asset = factories.make_asset(show)
    task = factories.make_task(asset, task_type=task_type, data={"hours": 3, "other": 1})
    other_task = factories.make_task(asset, data={"hours": 5})
    path = url(show, f"/metadata-descriptors/{descriptor.id}")
    assert api(team, "user").delete(path).status_code == 403
    assert api(team, "manager").delete(path).status_code == 204
    task.refresh_from_db()
    other_task.refresh_from_db()
    assert task.data == {"other": 1} and other_task.data == {"hours": 5}
    assert not MetadataDescriptor.objects.exists()
    assert events("metadata-descriptor:delete") == 1
    assert api(team, "manager").delete(path).status_code == 404


def test_project_descriptor_removal_strips_the_project_data(show, team):
    show.data = {"code": "X1", "keep": 1}
    show.save()
    descriptor = MetadataDescriptor.objects.create(
        project=show, entity_type="Project", name="Code", field_name="code"
    )
    assert api(team, "admin").delete(url(show, f"/metadata-descriptors/{descriptor.id}")).status_code == 204
    show.refresh_from_db()
    assert show.data == {"keep": 1}


def test_descriptor_reorder(show, team):
    a, b, c = (
        MetadataDescriptor.objects.create(
            project=show, entity_type="Asset", name=name, field_name=name.lower()
        )
        for name in ("A", "B", "C")
    )
    shot = MetadataDescriptor.objects.create(project=show, entity_type="Shot", name="S", field_name="s")
    path = url(show, "/metadata-descriptors/reorder")
    response = api(team, "manager").post(
        path, {"entity_type": "Asset", "descriptor_ids": [str(c.id)]}, format="json"
    )
    assert response.status_code == 200
    assert [(row["name"], row["position"]) for row in response.json()] == [("C", 1), ("A", 2), ("B", 3)]
    for body, message in (
        ({"entity_type": "Asset", "descriptor_ids": [str(shot.id)]}, f"Descriptor {shot.id} not found"),
        ({"entity_type": "Asset", "descriptor_ids": []}, "descriptor_ids"),
        ({"entity_type": "Foo", "descriptor_ids": [str(a.id)]}, "Wrong entity type"),
    ):
        response = api(team, "manager").post(path, body, format="json")
        assert response.status_code == 400 and message in response.json()["message"], body
    assert (
        api(team, "supervisor")
        .post(path, {"entity_type": "Asset", "descriptor_ids": [str(a.id)]}, format="json")
        .status_code
        == 403
    )
    assert dict(MetadataDescriptor.objects.values_list("name", "position")) == {
        "A": 2,
        "B": 3,
        "C": 1,
        "S": None,
    }


# --- metadata descriptors of every managed project --------------------------------------------


@pytest.fixture
def managed(show, team):
    """Show and Second are open projects the manager runs; Third is one they only work on."""
    second = factories.make_project(name="Second")
    third = factories.make_project(name="Third")
    ProjectPersonLink.objects.create(project=second, person=team["manager"])
    ProjectPersonLink.objects.create(project=third, person=team["manager"], role="user")
    return show, second, third


def test_shared_descriptor_creation_reaches_the_managed_open_projects(team, managed):
    show, second, third = managed
    MetadataDescriptor.objects.create(
        project=second, entity_type="Project", name="Client Ref", field_name="client_ref"
    )
    body = {"name": "Client Ref", "entity_type": "Project"}
    response = api(team, "manager").post("/api/data/metadata-descriptors/all-projects", body, format="json")
    assert response.status_code == 201
    assert [row["project_id"] for row in response.json()] == [str(show.id)]
    assert not MetadataDescriptor.objects.filter(project=third).exists()
    assert events("metadata-descriptor:new") == 1
    for bad, message in (
        ({"name": "X", "entity_type": "Task"}, "Wrong entity type"),
        ({"name": "X", "data_type": "z"}, "Invalid"),
    ):
        response = api(team, "manager").post(
            "/api/data/metadata-descriptors/all-projects", bad, format="json"
        )
        assert response.status_code == 400 and message in response.json()["message"]
    for role in ("supervisor", "user", "client"):
        assert (
            api(team, role)
            .post("/api/data/metadata-descriptors/all-projects", body, format="json")
            .status_code
            == 403
        )
    assert MetadataDescriptor.objects.count() == 2


def test_shared_descriptor_update_renames_everywhere(team, managed):
    show, second, third = managed
    for project in managed:
        MetadataDescriptor.objects.create(
            project=project, entity_type="Asset", name="Level", field_name="level"
        )
    asset = factories.make_asset(second, data={"level": "hard"})
    body = {"entity_type": "Asset", "name": "Grade", "data_type": "list", "choices": ["x"]}
    response = api(team, "manager").put(
        "/api/data/metadata-descriptors/all-projects/level", body, format="json"
    )
    assert response.status_code == 200
    assert sorted(row["project_id"] for row in response.json()) == sorted([str(show.id), str(second.id)])
    assert all(row["field_name"] == "grade" and row["choices"] == ["x"] for row in response.json())
    asset.refresh_from_db()
    assert asset.data == {"grade": "hard"}
    assert MetadataDescriptor.objects.get(project=third).field_name == "level"
    # A name taken in one project refuses the change everywhere.
    MetadataDescriptor.objects.create(project=show, entity_type="Asset", name="Rank", field_name="rank")
    body = {"entity_type": "Asset", "name": "Rank"}
    response = api(team, "manager").put(
        "/api/data/metadata-descriptors/all-projects/grade", body, format="json"
    )
    assert response.status_code == 400
    assert MetadataDescriptor.objects.filter(field_name="grade").count() == 2
    response = api(team, "manager").put(
        "/api/data/metadata-descriptors/all-projects/grade", {"name": "X"}, format="json"
    )
    assert response.status_code == 400 and "entity_type" in response.json()["message"]


def test_shared_descriptor_removal_and_reorder(team, managed):
    show, second, third = managed
    for project in managed:
        for name in ("a", "b"):
            MetadataDescriptor.objects.create(
                project=project, entity_type="Shot", name=name.upper(), field_name=name
            )
    response = api(team, "manager").post(
        "/api/actions/metadata-descriptors/all-projects/reorder",
        {"entity_type": "Shot", "field_order": ["b", "unknown"]},
        format="json",
    )
    assert response.status_code == 200
    rows = response.json()
    # Project by project, in the order of their names.
    assert [(row["project_id"], row["field_name"], row["position"]) for row in rows] == [
        (str(second.id), "b", 1),
        (str(second.id), "a", 2),
        (str(show.id), "b", 1),
        (str(show.id), "a", 2),
    ]
    path = "/api/data/metadata-descriptors/all-projects/a"
    assert api(team, "manager").delete(path).status_code == 400  # no entity_type
    assert api(team, "user").delete(f"{path}?entity_type=Shot").status_code == 403
    response = api(team, "manager").delete(f"{path}?entity_type=Shot")
    assert response.status_code == 200 and len(response.json()) == 2
    assert MetadataDescriptor.objects.filter(field_name="a").get().project_id == third.id
    assert api(team, "manager").delete(f"{path}?entity_type=Shot").json() == []


# --- the preview account ------------------------------------------------------------------------


def test_preview_account_life(show, team):
    manager = api(team, "manager")
    path = url(show, "/preview-account")
    response = manager.get(path)
    assert response.status_code == 200 and response.content == b"null"
    response = manager.put(path, {"is_open": True}, format="json")
    assert response.status_code == 404

    response = manager.post(path)
    assert response.status_code == 201
    created = response.json()
    assert created["email"].endswith("@preview.kitsu.invalid") and created["full_name"] == "Preview Show"
    assert created["preview_open_until"] is None and created["password"]
    person = Person.objects.get(pk=created["id"])
    assert person.role == "client" and person.preview_project_id == show.id
    assert person.check_password(created["password"])
    assert ProjectPersonLink.objects.filter(project=show, person=person).exists()
    assert events("project:update") == 1

    opened = manager.put(path, {"is_open": True}, format="json").json()
    assert opened["preview_open_until"] is not None
    assert manager.get(path).json() == opened
    reset = manager.post(path).json()
    assert reset["id"] == created["id"] and reset["preview_open_until"] is None
    person.refresh_from_db()
    assert person.check_password(reset["password"]) and not person.check_password(created["password"])
    assert manager.put(path, {"is_open": "maybe"}, format="json").status_code == 400
    assert manager.put(path, {}, format="json").status_code == 400

    assert manager.delete(path).status_code == 204
    assert not Person.objects.filter(pk=created["id"]).exists()
    assert events("person:delete") == 1
    assert manager.delete(path).status_code == 204


def test_preview_account_is_for_managers(show, team):
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert api(team, role).post(url(show, "/preview-account")).status_code == 403, role
        assert api(team, role).get(url(show, "/preview-account")).status_code == 403, role
    assert not Person.objects.filter(preview_project=show).exists()
    assert api(team, "admin").post(url(uuid.uuid4(), "/preview-account")).status_code == 404


def test_setting_routes_answer_401_without_a_token(show):
    from rest_framework.test import APIClient

    for path in ("/api/data/projects/open", url(show, "/team"), url(show, "/metadata-descriptors")):
        assert APIClient().get(path).status_code == 401
