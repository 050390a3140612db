"""Link tables the API writes by routes of their own (a person's departments, a department's
software, a project's status automations and task type software, a shot's asset instances): a
row added or removed inline in the back-office goes through the same services, with the same
rule and event; mentions follow a comment's text and are not written by hand."""

import pytest

from assets.models import AssetInstance, AssetInstanceLink
from people.models import Department, DepartmentLink, Person, Software, SoftwareDepartmentLink
from productions.models import (
    Project,
    ProjectStatusAutomationLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    StatusAutomation,
)
from shots.models import Shot
from tasks.models import ApiEvent, Comment, CommentMention
from tests import factories
from tests.admin.pages import admin_url, edit_inline, form_errors


def events(name):
    return list(ApiEvent.objects.filter(name=name).values_list("data", flat=True))


@pytest.fixture
def project(db):
    return factories.make_project(name="Links")


def test_a_department_given_inline_is_the_persons_department_route(staff_client, db):
    artist = factories.make_person(role="user")
    lighting = factories.make_department(name="Lighting")

    response = edit_inline(staff_client, Person, artist, DepartmentLink, add={"department": lighting.pk})

    assert response.status_code == 302, form_errors(response)
    assert list(artist.departments.all()) == [lighting]
    assert {"person_id": str(artist.pk)} in events("person:update")

    ApiEvent.objects.all().delete()
    response = edit_inline(staff_client, Person, artist, DepartmentLink, delete_row=0)
    assert response.status_code == 302, form_errors(response)
    assert not DepartmentLink.objects.filter(person=artist).exists()
    assert {"person_id": str(artist.pk)} in events("person:update")


def test_a_departments_software_added_inline_goes_through_its_service(staff_client, db):
    lighting = factories.make_department(name="Lighting")
    blender = Software.objects.create(name="Blender", short_name="bl", file_extension="blend")

    response = edit_inline(
        staff_client, Department, lighting, SoftwareDepartmentLink, add={"software": blender.pk}
    )

    assert response.status_code == 302, form_errors(response)
    assert SoftwareDepartmentLink.objects.filter(department=lighting, software=blender).exists()


def automation():
    task_type = factories.make_task_type("Layout", for_entity="Shot")
    return StatusAutomation.objects.create(
        in_task_type=task_type,
        in_task_status=factories.make_task_status(),
        out_task_type=task_type,
        out_task_status=factories.make_task_status(),
    )


def test_the_projects_manager_adds_a_status_automation_inline(client, project):
    manager = factories.join(project, factories.make_person(role="manager"))
    rule = automation()
    client.force_login(manager)

    response = edit_inline(
        client, Project, project, ProjectStatusAutomationLink, add={"status_automation": rule.pk}
    )

    assert response.status_code == 302, form_errors(response)
    assert ProjectStatusAutomationLink.objects.filter(project=project, status_automation=rule).exists()
    assert events("project:update")


def test_a_supervisor_may_not_change_the_projects_settings_inline(client, project):
    supervisor = factories.join(project, factories.make_person(role="supervisor"))
    client.force_login(supervisor)

    page = client.get(admin_url(Project, "change", project.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(admin_url(Project, "change", project.pk), {})
    assert response.status_code == 403
    assert not ProjectStatusAutomationLink.objects.exists() and not ApiEvent.objects.exists()


def test_an_archived_software_is_refused_for_a_task_type_as_on_the_api(staff_client, project):
    task_type = factories.make_task_type("Modeling")
    ProjectTaskTypeLink.objects.create(project=project, task_type=task_type)
    old = Software.objects.create(name="Old", short_name="old", file_extension="old", archived=True)
    new = Software.objects.create(name="New", short_name="new", file_extension="new")

    refused = edit_inline(
        staff_client,
        Project,
        project,
        ProjectTaskTypeSoftwareLink,
        add={"task_type": task_type.pk, "software": old.pk},
    )
    assert refused.status_code == 302
    assert "The software is archived." in staff_client.get(refused.url).content.decode()
    assert not ProjectTaskTypeSoftwareLink.objects.exists() and not ApiEvent.objects.exists()

    added = edit_inline(
        staff_client,
        Project,
        project,
        ProjectTaskTypeSoftwareLink,
        add={"task_type": task_type.pk, "software": new.pk},
    )
    assert added.status_code == 302, form_errors(added)
    assert ProjectTaskTypeSoftwareLink.objects.filter(project=project, software=new).exists()
    assert events("project:update")


def test_an_asset_instance_cast_inline_is_the_shots_instance_route(staff_client, project):
    shot = factories.make_shot(project, factories.make_sequence(project))
    prop = factories.make_asset(project, name="Apple")
    instance = AssetInstance.objects.create(asset=prop, scene=shot, number=1, name="apple_1")

    response = edit_inline(staff_client, Shot, shot, AssetInstanceLink, add={"asset_instance": instance.pk})

    assert response.status_code == 302, form_errors(response)
    assert AssetInstanceLink.objects.filter(entity=shot, asset_instance=instance).exists()
    assert events("asset_instance:add-to-shot") == [
        {"shot_id": str(shot.pk), "asset_instance_id": str(instance.pk)}
    ]


def test_mentions_follow_the_text_and_are_not_written_by_hand(staff_client, admin_person):
    task = factories.make_task(factories.make_asset(factories.make_project()))
    comment = Comment.objects.create(object_id=task.pk, object_type="Task", person=admin_person, text="hi")
    CommentMention.objects.create(comment=comment, person=admin_person)

    page = staff_client.get(admin_url(Comment, "change", comment.pk))
    mentions = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is CommentMention)
    assert not (
        mentions.has_add_permission or mentions.has_change_permission or mentions.has_delete_permission
    )
