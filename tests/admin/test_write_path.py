"""One write path: a status change, an assignment, a deletion and the bulk actions made in the
back-office leave the same rows and events as the API call that does the same."""

import pytest
from django.urls import reverse

from assets.models import EntityLink
from people.models import Person
from productions.models import Project, ProjectPersonLink, ProjectTaskTypeLink
from shots.models import Shot
from tasks.models import ApiEvent, Comment, News, Notification, Task, TaskPersonLink
from tests import factories
from tests.admin.pages import admin_url, form_errors, submitted_data


@pytest.fixture
def twins(admin_person):
    """Two alike tasks of one production, each with an assignee: one changed through the
    back-office, the other through the API."""
    project = factories.make_project(name="Twins")
    sequence = factories.make_sequence(project, name="SQ010")
    task_type = factories.make_task_type("Animation", for_entity="Shot")
    todo = factories.make_task_status("Todo", "todo", is_default=True)
    wfa = factories.make_task_status("Waiting for approval", "wfa", is_feedback_request=True)
    done = factories.make_task_status("Done", "done", is_done=True)
    artist = factories.join(project, factories.make_person(role="user", first_name="Sam", last_name="Lee"))
    tasks = []
    for name in ("SH0010", "SH0020"):
        task = factories.make_task(factories.make_shot(project, sequence, name=name), task_type, todo)
        factories.assign(task, artist)
        tasks.append(task)
    return {
        "project": project,
        "ours": tasks[0],
        "theirs": tasks[1],
        "todo": todo,
        "wfa": wfa,
        "done": done,
        "artist": artist,
        "api": factories.client_for(admin_person),
    }


def events_of(task):
    """The event names recorded about `task`, and the keys of their data, in order."""
    rows = ApiEvent.objects.order_by("created_at", "pk").values_list("name", "data")
    return [(name, sorted(data)) for name, data in rows if data.get("task_id") == str(task.pk)]


def comments_of(task):
    return list(
        Comment.objects.filter(object_id=task.pk).values_list("text", "task_status__short_name", "person_id")
    )


def news_of(task):
    return list(News.objects.filter(task=task).values_list("change", "author_id", "comment__text"))


def notifications_of(task):
    return sorted(Notification.objects.filter(task=task).values_list("person_id", "type", "change"))


def dates_of(task):
    task.refresh_from_db()
    return {
        "status": task.task_status.short_name,
        "end_date": task.end_date is not None,
        "done_date": task.done_date is not None,
        "last_comment_date": task.last_comment_date is not None,
        "assigner": task.assigner_id,
    }


def change_task(staff_client, task, **changes):
    url = admin_url(Task, "change", task.pk)
    data = submitted_data(staff_client.get(url), Task)
    for name, value in changes.items():
        data[name] = [value]
    return staff_client.post(url, data)


def test_a_status_change_is_a_comment_as_through_the_api(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]

    response = change_task(
        staff_client, ours, task_status=str(twins["wfa"].pk), status_comment="Ready for review."
    )
    api = twins["api"].post(
        f"/api/actions/tasks/{theirs.pk}/comment",
        {"task_status_id": str(twins["wfa"].pk), "comment": "Ready for review."},
        format="json",
    )

    assert response.status_code == 302, form_errors(response)
    assert api.status_code == 201
    assert comments_of(ours) == comments_of(theirs) != []
    assert news_of(ours) == news_of(theirs) != []
    assert notifications_of(ours) == notifications_of(theirs) != []
    assert dates_of(ours) == dates_of(theirs)
    assert dates_of(ours)["status"] == "wfa" and dates_of(ours)["end_date"]
    assert events_of(ours) == events_of(theirs)
    names = [name for name, _ in events_of(ours)]
    assert {"comment:new", "task:status-changed", "task:to-review"} <= set(names)


def test_a_done_status_sets_the_done_date(staff_client, twins):
    ours = twins["ours"]

    response = change_task(staff_client, ours, task_status=str(twins["done"].pk))

    assert response.status_code == 302, form_errors(response)
    assert dates_of(ours)["done_date"] and dates_of(ours)["status"] == "done"
    assert Comment.objects.get(object_id=ours.pk).text == ""


def test_a_planning_change_is_an_update_as_through_the_api(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]

    response = change_task(staff_client, ours, estimation="960", priority="2")
    api = twins["api"].put(f"/api/data/tasks/{theirs.pk}", {"estimation": 960, "priority": 2}, format="json")

    assert response.status_code == 302, form_errors(response)
    assert api.status_code == 200
    ours.refresh_from_db()
    assert (ours.estimation, ours.priority) == (960, 2)
    assert events_of(ours) == events_of(theirs) == [("task:update", ["project_id", "task_id"])]


def test_an_unchanged_save_writes_nothing(staff_client, twins):
    response = change_task(staff_client, twins["ours"])

    assert response.status_code == 302, form_errors(response)
    assert events_of(twins["ours"]) == []


def test_an_assignee_added_inline_is_an_assignation_as_through_the_api(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]
    newcomer = factories.make_person(role="user", first_name="Noa")
    url = admin_url(Task, "change", ours.pk)
    data = submitted_data(staff_client.get(url), Task)
    prefix = "-1"  # the assignees inline (its link has no reverse name)
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
    data[f"{prefix}-{total}-person"] = [str(newcomer.pk)]
    data[f"{prefix}-{total}-task"] = [str(ours.pk)]

    response = staff_client.post(url, data)
    api = twins["api"].put(
        f"/api/data/tasks/{theirs.pk}",
        {"assignees": [str(twins["artist"].pk), str(newcomer.pk)]},
        format="json",
    )

    assert response.status_code == 302, form_errors(response)
    assert api.status_code == 200
    assert set(ours.assignees.values_list("pk", flat=True)) == {twins["artist"].pk, newcomer.pk}
    assert events_of(ours) == events_of(theirs)
    assert [name for name, _ in events_of(ours)] == ["task:assign", "task:update"]
    assert notifications_of(ours) == notifications_of(theirs) == [(newcomer.pk, "assignation", False)]


def test_a_deletion_is_the_apis_forced_deletion(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]
    for task in (ours, theirs):  # a history to take along
        twins["api"].post(
            f"/api/actions/tasks/{task.pk}/comment",
            {"task_status_id": str(twins["wfa"].pk), "comment": "Have a look"},
            format="json",
        )

    confirm = staff_client.get(admin_url(Task, "delete", ours.pk))
    response = staff_client.post(admin_url(Task, "delete", ours.pk), {"post": "yes"})
    api = twins["api"].delete(f"/api/data/tasks/{theirs.pk}?force=true")

    assert confirm.status_code == 200 and "SH0010" in confirm.content.decode()
    assert response.status_code == 302
    assert api.status_code == 204
    assert not Task.objects.filter(pk__in=[ours.pk, theirs.pk]).exists()
    assert not Comment.objects.filter(object_id__in=[ours.pk, theirs.pk]).exists()
    assert not News.objects.exists() and not TaskPersonLink.objects.exists()
    deleted = [(name, keys) for name, keys in events_of(ours) if name == "task:delete"]
    assert deleted == [(name, keys) for name, keys in events_of(theirs) if name == "task:delete"] != []


def run_action(staff_client, action, tasks, **inputs):
    data = {
        "action": action,
        "_selected_action": [str(task.pk) for task in tasks],
        "index": "0",
        **inputs,
    }
    return staff_client.post(admin_url(Task, "changelist"), data)


def test_bulk_assign_is_the_apis_assign_route(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]
    newcomer = factories.make_person(role="user")

    response = run_action(staff_client, "assign_to_person", [ours], person=str(newcomer.pk))
    api = twins["api"].put(
        f"/api/actions/persons/{newcomer.pk}/assign", {"task_ids": [str(theirs.pk)]}, format="json"
    )

    assert response.status_code == 302
    assert api.status_code == 200
    assert (
        events_of(ours)
        == events_of(theirs)
        == [
            ("task:assign", ["person_id", "project_id", "task_id"]),
            ("task:update", ["project_id", "task_id"]),
        ]
    )
    assert notifications_of(ours) == notifications_of(theirs) == [(newcomer.pk, "assignation", False)]
    assert twins["project"].team.filter(pk=newcomer.pk).exists()  # joined the team, as the API does


def test_bulk_unassign_is_the_apis_clear_assignation(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]

    response = run_action(staff_client, "unassign", [ours], person="")
    api = twins["api"].put(
        "/api/actions/tasks/clear-assignation", {"task_ids": [str(theirs.pk)]}, format="json"
    )

    assert response.status_code == 302
    assert api.status_code == 200
    assert not TaskPersonLink.objects.exists()
    assert events_of(ours) == events_of(theirs)
    assert [name for name, _ in events_of(ours)] == ["task:unassign", "task:update"]


def test_bulk_status_change_is_the_apis_comment_many(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]

    response = run_action(
        staff_client, "change_status", [ours], task_status=str(twins["wfa"].pk), comment="Batch review"
    )
    api = twins["api"].post(
        f"/api/actions/projects/{twins['project'].pk}/tasks/comment-many",
        [{"object_id": str(theirs.pk), "task_status_id": str(twins["wfa"].pk), "comment": "Batch review"}],
        format="json",
    )

    assert response.status_code == 302
    assert api.status_code == 201
    assert comments_of(ours) == comments_of(theirs) != []
    assert news_of(ours) == news_of(theirs) != []
    assert dates_of(ours) == dates_of(theirs)
    assert events_of(ours) == events_of(theirs)


def test_bulk_delete_is_the_apis_deletion(staff_client, twins):
    ours, theirs = twins["ours"], twins["theirs"]

    confirm = run_action(staff_client, "delete_selected", [ours])
    response = run_action(staff_client, "delete_selected", [ours], post="yes")
    api = twins["api"].delete(f"/api/data/tasks/{theirs.pk}?force=true")

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert api.status_code == 204
    assert not Task.objects.exists()
    assert events_of(ours) == events_of(theirs)


def test_an_action_without_its_input_writes_nothing(staff_client, twins):
    response = run_action(staff_client, "change_status", [twins["ours"]], comment="no status chosen")

    assert response.status_code == 302
    assert not Comment.objects.exists() and not ApiEvent.objects.exists()
    page = staff_client.get(response.url).content.decode()
    assert "Choose a status in the action bar first." in page


def new_task_form(twins, entity):
    """The add form of a task of the twins' type on `entity`, as a browser posts it."""
    return {
        "project": str(twins["project"].pk),
        "entity": str(entity.pk),
        "task_type": str(twins["ours"].task_type_id),
        "task_status": str(twins["todo"].pk),
        "name": "main",
        "difficulty": "3",
        "-1-TOTAL_FORMS": "0",  # the assignees inline (its link has no reverse name)
        "-1-INITIAL_FORMS": "0",
    }


def test_a_refused_write_is_shown_and_writes_nothing(staff_client, twins):
    """The API's rules hold: a shot task type on an asset is refused with its message."""
    asset = factories.make_asset(twins["project"], name="Bunny")
    response = staff_client.post(admin_url(Task, "add"), new_task_form(twins, asset), follow=True)

    assert response.status_code == 200
    assert "Task type of the task does not match entity type." in response.content.decode()
    assert not Task.objects.filter(entity=asset).exists()
    assert not ApiEvent.objects.exists()


def test_a_task_added_in_the_back_office_is_announced(staff_client, twins):
    shot = factories.make_shot(twins["project"], twins["ours"].entity.parent, name="SH0030")
    response = staff_client.post(admin_url(Task, "add"), new_task_form(twins, shot))

    assert response.status_code == 302, form_errors(response)
    task = Task.objects.get(entity=shot)
    assert events_of(task) == [("task:new", ["project_id", "task_id"])]


@pytest.mark.parametrize("role", ["user", "client", "vendor"])  # managers: tests/admin/test_roles.py
def test_refused_roles_write_nothing(client, twins, role):
    person = factories.join(twins["project"], factories.make_person(role=role))
    client.force_login(person)
    ours = twins["ours"]

    action = run_action(client, "change_status", [ours], task_status=str(twins["done"].pk))
    change = client.post(admin_url(Task, "change", ours.pk), {"task_status": str(twins["done"].pk)})
    delete = client.post(admin_url(Task, "delete", ours.pk), {"post": "yes"})

    for response in (action, change, delete):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert Task.objects.filter(pk=ours.pk, task_status=twins["todo"]).exists()
    assert not Comment.objects.exists() and not ApiEvent.objects.exists()


def test_a_casting_edited_inline_is_the_apis_casting_write(staff_client, twins):
    ours, theirs = twins["ours"].entity, twins["theirs"].entity
    bunny = factories.make_asset(twins["project"], factories.make_asset_type("Character"), name="Bunny")
    url = admin_url(Shot, "change", ours.pk)
    data = submitted_data(staff_client.get(url), Shot)
    data.update(
        {
            "links_out-TOTAL_FORMS": ["1"],
            "links_out-0-entity_out": [str(bunny.pk)],
            "links_out-0-nb_occurences": ["2"],
            "links_out-0-label": [""],
            "links_out-0-entity_in": [str(ours.pk)],
        }
    )

    response = staff_client.post(url, data)
    api = twins["api"].put(
        f"/api/data/projects/{twins['project'].pk}/entities/{theirs.pk}/casting",
        [{"asset_id": str(bunny.pk), "nb_occurences": 2}],
        format="json",
    )

    assert response.status_code == 302, form_errors(response)
    assert api.status_code == 200
    links = EntityLink.objects.filter(entity_out=bunny)
    assert set(links.values_list("entity_in_id", "nb_occurences")) == {(ours.pk, 2), (theirs.pk, 2)}
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.nb_entities_out == theirs.nb_entities_out == 1

    def casting_events(shot):
        rows = ApiEvent.objects.order_by("created_at", "pk").values_list("name", "data")
        return [name for name, data in rows if str(shot.pk) in data.values()]

    assert casting_events(ours) == casting_events(theirs) != []


def test_an_inline_row_served_by_the_api_is_written_through_its_route(staff_client, twins):
    """A task type added on the project's page is `POST /data/task-type-links`: its event too
    (the project changed, which the web UI reads again)."""
    project = twins["project"]
    lighting = factories.make_task_type("Lighting", for_entity="Shot")
    url = admin_url(Project, "change", project.pk)
    data = submitted_data(staff_client.get(url), Project)
    prefix = "project_task_type_links"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": ["1"],
            f"{prefix}-0-task_type": [str(lighting.pk)],
            f"{prefix}-0-priority": ["3"],
            f"{prefix}-0-project": [str(project.pk)],
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    link = ProjectTaskTypeLink.objects.get(project=project, task_type=lighting)
    assert link.priority == 3
    events = ApiEvent.objects.filter(project=project).values_list("name", flat=True)
    assert list(events) == ["project:update"]


def test_the_apis_refusals_hold_in_the_back_office(staff_client, admin_person):
    """An admin may not delete their own account through the API: nor here."""
    url = admin_url(Person, "delete", admin_person.pk)

    response = staff_client.post(url, {"post": "yes"}, follow=True)

    assert response.status_code == 200
    assert "You do not have permission to perform this action." in response.content.decode()
    assert Person.objects.filter(pk=admin_person.pk).exists()
    assert not ApiEvent.objects.filter(name="person:delete").exists()


def test_a_team_member_added_inline_joins_as_through_the_team_route(staff_client, twins):
    ours = twins["project"]
    theirs = factories.make_project(name="Their twins")
    newcomer = factories.make_person(role="user")
    url = admin_url(Project, "change", ours.pk)
    data = submitted_data(staff_client.get(url), Project)
    prefix = "-1"  # the team inline, first of those whose link has no reverse name
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
    data[f"{prefix}-{total}-person"] = [str(newcomer.pk)]
    data[f"{prefix}-{total}-role"] = ["supervisor"]
    data[f"{prefix}-{total}-project"] = [str(ours.pk)]

    response = staff_client.post(url, data)
    api = twins["api"].post(
        f"/api/data/projects/{theirs.pk}/team", {"person_id": str(newcomer.pk)}, format="json"
    )
    role = twins["api"].put(
        f"/api/data/projects/{theirs.pk}/team/{newcomer.pk}", {"role": "supervisor"}, format="json"
    )

    assert response.status_code == 302, form_errors(response)
    assert api.status_code in (200, 201) and role.status_code == 200
    assert ProjectPersonLink.objects.get(project=ours, person=newcomer).role == "supervisor"

    def events(project):
        return list(
            ApiEvent.objects.filter(project=project).order_by("created_at").values_list("name", flat=True)
        )

    assert events(ours) == events(theirs) != []
