"""Who does what in the back-office: managers and supervisors enter it, with the API's rules
(their productions only, their writes checked by the API's policies); artists, clients and vendors
never get in. Through the real admin views, logged in as each role."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from people.models import DepartmentLink, Person
from productions.models import ProductionScheduleVersion
from tasks.models import ApiEvent, Comment, News, Task, TaskPersonLink, TaskType, TimeSpent
from tests import factories
from tests.admin.pages import admin_url, edit_inline, submitted_data


@pytest.fixture
def world(db):
    """Our production (a team of every role, an outsider manager) and another one."""
    animation_dept = factories.make_department(name="Animation")
    modeling_dept = factories.make_department(name="Modeling")
    animation = factories.make_task_type("Animation", for_entity="Shot", department=animation_dept)
    modeling = factories.make_task_type("Modeling", department=modeling_dept)
    todo = factories.make_task_status("Todo", "todo", is_default=True)
    wip = factories.make_task_status("Work in progress", "wip", is_wip=True, is_artist_allowed=True)
    ours = factories.make_project(name="Ours")
    other = factories.make_project(name="Elsewhere")
    team = factories.make_team(ours, surname="Ours")
    DepartmentLink.objects.create(person=team["supervisor"], department=animation_dept)
    DepartmentLink.objects.create(person=team["user"], department=animation_dept)
    sequence = factories.make_sequence(ours, factories.make_episode(ours, name="E02"), name="SQ010")
    late = factories.make_task(
        factories.make_shot(ours, sequence, name="SH0010"),
        animation,
        wip,
        due_date=timezone.now() - datetime.timedelta(days=3),
    )
    factories.assign(late, team["user"])
    factories.assign(late, team["vendor"])
    model = factories.make_task(factories.make_asset(ours, name="Bunny"), modeling, todo)
    far_sequence = factories.make_sequence(other, factories.make_episode(other, name="E09"), name="SQ900")
    theirs = factories.make_task(factories.make_shot(other, far_sequence, name="SH9990"), animation, todo)
    return {
        **team,
        "ours": ours,
        "other": other,
        "late": late,
        "model": model,
        "theirs": theirs,
        "todo": todo,
        "wip": wip,
        "animation": animation,
    }


def logged_in(client, person):
    client.force_login(person)
    return client


def listed(response):
    return {row.pk for row in response.context["cl"].result_list}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def comment_on(task, person):
    return Comment.objects.create(object_id=task.pk, object_type="Task", person=person, text="noted")


def run_action(client, action, tasks, **inputs):
    data = {"action": action, "_selected_action": [str(t.pk) for t in tasks], "index": "0", **inputs}
    return client.post(admin_url(Task, "changelist"), data)


def change(client, model, obj, **changes):
    url = admin_url(model, "change", obj.pk)
    data = submitted_data(client.get(url), model)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(url, data)


# --- Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "supervisor", "outsider"])
def test_managers_and_supervisors_enter_the_back_office(client, world, role):
    response = logged_in(client, world[role]).get(reverse("admin:index"))

    assert response.status_code == 200
    models = {entry["object_name"] for group in response.context["app_list"] for entry in group["models"]}
    assert {"Task", "Comment", "News", "TimeSpent", "Person", "TaskType"} <= models
    # The API's admins-only lists (its event log, the jobs, login logs) stay out of the index.
    assert not models & {"ApiEvent", "Job", "LoginLog", "AuthToken", "TaskPersonLink"}


@pytest.mark.parametrize("role", ["user", "client", "vendor"])
def test_artists_clients_and_vendors_never_get_in(client, world, role):
    logged_in(client, world[role])
    for url in (
        reverse("admin:index"),
        admin_url(Task, "changelist"),
        admin_url(Task, "change", world["late"].pk),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_a_manager_logs_in_with_the_admin_form(client, world):
    response = client.post(
        reverse("admin:login"),
        {"username": world["manager"].email, "password": "secret-password", "next": "/admin/"},
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.session["_auth_user_id"] == str(world["manager"].pk)


def test_an_inactive_manager_is_refused(client, world):
    manager = world["manager"]
    Person.objects.filter(pk=manager.pk).update(active=False)
    manager.refresh_from_db()
    response = logged_in(client, manager).get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


# --- What each one reads ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "supervisor"])
def test_the_task_list_shows_their_productions_only(client, world, role):
    response = logged_in(client, world[role]).get(admin_url(Task, "changelist"))

    assert response.status_code == 200
    assert listed(response) == {world["late"].pk, world["model"].pk}
    page = response.content.decode()
    assert "SH9990" not in page and "Elsewhere" not in page and "E09" not in page  # nor in the filters
    theirs = client.get(admin_url(Task, "change", world["theirs"].pk))
    assert theirs.status_code == 302 and theirs.url == reverse("admin:index")  # "does not exist"


def test_an_outsider_manager_reads_no_task(client, world):
    response = logged_in(client, world["outsider"]).get(admin_url(Task, "changelist"))

    assert response.status_code == 200 and listed(response) == set()
    assert client.get(admin_url(Task, "change", world["late"].pk)).status_code == 302


def test_a_manager_reads_the_comments_of_their_productions(client, world, admin_person):
    ours = Comment.objects.create(
        object_id=world["late"].pk, object_type="Task", person=admin_person, text="ok"
    )
    Comment.objects.create(object_id=world["theirs"].pk, object_type="Task", person=admin_person, text="no")

    response = logged_in(client, world["manager"]).get(admin_url(Comment, "changelist"))
    assert response.status_code == 200 and listed(response) == {ours.pk}
    outsider = logged_in(client, world["outsider"]).get(admin_url(Comment, "changelist"))
    assert listed(outsider) == set()


def test_a_manager_reads_the_news_and_time_of_their_productions(client, world):
    artist = world["user"]
    ours = News.objects.create(task=world["late"], author=artist, change=False)
    News.objects.create(task=world["theirs"], author=artist, change=False)
    logged = TimeSpent.objects.create(
        task=world["late"], person=artist, date=datetime.date(2026, 1, 5), duration=60
    )
    TimeSpent.objects.create(task=world["theirs"], person=artist, date=datetime.date(2026, 1, 5), duration=60)
    logged_in(client, world["manager"])

    assert listed(client.get(admin_url(News, "changelist"))) == {ours.pk}
    assert listed(client.get(admin_url(TimeSpent, "changelist"))) == {logged.pk}
    assert client.get(admin_url(TimeSpent, "change", logged.pk)).status_code == 200
    outsider = logged_in(client, world["outsider"])
    assert listed(outsider.get(admin_url(News, "changelist"))) == set()
    assert outsider.get(admin_url(TimeSpent, "change", logged.pk)).status_code == 302


def test_a_manager_reads_a_settings_table_but_may_not_change_it(client, world):
    logged_in(client, world["manager"])
    page = client.get(admin_url(TaskType, "change", world["animation"].pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"] and 'name="_save"' not in page.content.decode()

    response = client.post(admin_url(TaskType, "change", world["animation"].pk), {"name": "Renamed"})
    assert response.status_code == 403
    assert (
        client.post(admin_url(TaskType, "add"), {"name": "New type", "for_entity": "Shot"}).status_code == 403
    )
    assert (
        TaskType.objects.filter(name="Animation").exists()
        and not TaskType.objects.filter(name="New type").exists()
    )


def test_a_manager_may_not_change_a_persons_role(client, world):
    artist = world["user"]
    logged_in(client, world["manager"])
    page = client.get(admin_url(Person, "change", artist.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]

    response = client.post(admin_url(Person, "change", artist.pk), {"role": "admin"})
    assert response.status_code == 403
    artist.refresh_from_db()
    assert artist.role == "user"


def test_autocomplete_offers_only_their_productions(client, world):
    logged_in(client, world["manager"])
    url = reverse("admin:autocomplete")
    params = {"app_label": "tasks", "model_name": "task", "field_name": "project", "term": ""}

    response = client.get(url, params)

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Ours"]
    entities = client.get(url, {**params, "field_name": "entity", "term": "SH"}).json()["results"]
    assert [row["id"] for row in entities] == [str(world["late"].entity_id)]


# --- What each one writes -------------------------------------------------------------------------


def test_a_manager_changes_a_task_of_their_production(client, world):
    due = "2031-05-04"
    response = change(logged_in(client, world["manager"]), Task, world["late"], due_date_0=due)

    assert response.status_code == 302 and response.url == admin_url(Task, "changelist")
    world["late"].refresh_from_db()
    assert world["late"].due_date.date().isoformat() == due
    assert ApiEvent.objects.filter(name="task:update").exists()


def test_a_managers_status_change_is_a_comment(client, world):
    response = change(
        logged_in(client, world["manager"]), Task, world["model"], task_status=str(world["wip"].pk)
    )

    assert response.status_code == 302
    world["model"].refresh_from_db()
    assert world["model"].task_status_id == world["wip"].pk
    assert Comment.objects.filter(object_id=world["model"].pk, person=world["manager"]).exists()


def test_a_managers_refused_write_shows_the_apis_refusal_and_writes_nothing(client, world):
    """A task on an entity of another production: the API's creation rule refuses it."""
    logged_in(client, world["manager"])
    data = {
        "project": str(world["other"].pk),
        "entity": str(world["theirs"].entity_id),
        "task_type": str(world["animation"].pk),
        "task_status": str(world["todo"].pk),
        "name": "second",
        "difficulty": "3",
        "-1-TOTAL_FORMS": "0",
        "-1-INITIAL_FORMS": "0",
    }
    response = client.post(admin_url(Task, "add"), data, follow=True)

    assert response.status_code == 200
    assert messages_of(response) == ["You do not have permission to perform this action."]
    assert not Task.objects.filter(name="second").exists()
    assert not ApiEvent.objects.exists()


def test_a_supervisor_plans_but_may_not_rename_a_task(client, world):
    """The API lets a supervisor change the planning columns of their department's tasks: the
    rest of the page is read-only for them, and a name sent anyway is not written."""
    logged_in(client, world["supervisor"])
    page = client.get(admin_url(Task, "change", world["late"].pk)).content.decode()
    assert 'name="estimation"' in page and 'name="due_date_0"' in page and 'name="task_status"' in page
    assert 'name="name"' not in page and 'name="task_type"' not in page

    planned = change(client, Task, world["late"], estimation="7", name="renamed")
    assert planned.status_code == 302
    world["late"].refresh_from_db()
    assert (world["late"].estimation, world["late"].name) == (7, "main")


def test_a_supervisor_sets_the_status_of_their_departments_task_by_a_comment(client, world):
    """As on the API (a supervisor acts on their department's tasks): the comment carries it."""
    logged_in(client, world["supervisor"])
    response = change(client, Task, world["late"], task_status=str(world["todo"].pk))
    assert response.status_code == 302
    world["late"].refresh_from_db()
    assert world["late"].task_status_id == world["todo"].pk  # a supervisor may: as on the API
    assert Comment.objects.filter(object_id=world["late"].pk, person=world["supervisor"]).exists()


def test_a_supervisor_reads_but_may_not_change_a_task_of_another_department(client, world):
    logged_in(client, world["supervisor"])
    page = client.get(admin_url(Task, "change", world["model"].pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(admin_url(Task, "change", world["model"].pk), {"name": "renamed"})
    assert response.status_code == 403
    world["model"].refresh_from_db()
    assert world["model"].name == "main"


def test_a_manager_may_not_delete_another_productions_task_nor_a_supervisor_any(client, world):
    logged_in(client, world["supervisor"])
    response = client.post(admin_url(Task, "delete", world["late"].pk), {"post": "yes"})
    assert response.status_code == 403
    logged_in(client, world["manager"])
    response = client.post(admin_url(Task, "delete", world["theirs"].pk), {"post": "yes"})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert Task.objects.filter(pk__in=[world["late"].pk, world["theirs"].pk]).count() == 2


# --- Bulk actions ---------------------------------------------------------------------------------


def test_a_managers_bulk_status_change_skips_other_productions(client, world):
    logged_in(client, world["manager"])
    tasks = [world["model"], world["theirs"]]
    response = run_action(client, "change_status", tasks, task_status=str(world["wip"].pk), comment="go")

    assert response.status_code == 302
    assert Task.objects.get(pk=world["model"].pk).task_status_id == world["wip"].pk
    assert Task.objects.get(pk=world["theirs"].pk).task_status_id == world["todo"].pk
    assert not Comment.objects.filter(object_id=world["theirs"].pk).exists()


def test_an_outsiders_bulk_action_writes_nothing(client, world):
    logged_in(client, world["outsider"])
    response = run_action(client, "change_status", [world["late"]], task_status=str(world["todo"].pk))

    assert response.status_code == 302
    assert Task.objects.get(pk=world["late"].pk).task_status_id == world["wip"].pk
    assert not Comment.objects.exists()


def test_a_supervisor_assigns_only_in_their_department(client, world):
    logged_in(client, world["supervisor"])
    artist = world["user"]
    response = run_action(client, "assign_to_person", [world["late"], world["model"]], person=str(artist.pk))

    assert response.status_code == 302
    assert set(world["model"].assignees.all()) == set()
    assert artist in world["late"].assignees.all()
    assert "1 task(s) skipped: you may not do that on them." in messages_of(client.get(response.url))


def test_a_supervisors_bulk_delete_is_refused_and_writes_nothing(client, world):
    logged_in(client, world["supervisor"])
    response = run_action(client, "delete_selected", [world["late"]], post="yes")

    assert response.status_code == 302
    assert Task.objects.filter(pk=world["late"].pk).exists()
    assert "You do not have permission to perform this action." in messages_of(client.get(response.url))


# --- Landing pages ----------------------------------------------------------------------------------


def dashboard_url(project):
    return reverse("admin:productions_project_dashboard", args=[project.pk])


@pytest.mark.parametrize("role", ["manager", "supervisor"])
def test_the_landing_page_of_their_production(client, world, role):
    logged_in(client, world[role])
    response = client.get(dashboard_url(world["ours"]))
    assert response.status_code == 200
    assert [row["task"].pk for row in response.context["late"]] == [world["late"].pk]
    assert client.get(dashboard_url(world["other"])).status_code == 403
    index = client.get(reverse("admin:index"))
    assert [p["name"] for p in index.context["productions"]] == ["Ours"]


def test_an_outsider_has_no_landing_page(client, world):
    logged_in(client, world["outsider"])
    assert client.get(dashboard_url(world["ours"])).status_code == 403
    assert client.get(reverse("admin:index")).context["productions"] == []


# --- Query bounds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Task, Comment, Person])
def test_a_managers_lists_are_bounded(client, world, model, django_assert_max_num_queries):
    for n in range(15):
        shot = factories.make_shot(world["ours"], world["late"].entity.parent, name=f"SH1{n:03d}")
        task = factories.make_task(shot, world["animation"], world["todo"])
        factories.assign(task, factories.join(world["ours"], factories.make_person()))
        comment_on(task, world["user"])
    logged_in(client, world["manager"])
    with django_assert_max_num_queries(22):
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200 and len(listed(response)) >= 15


def test_schedule_versions_list_as_the_api_lists_them_per_project(client, world):
    """The API lists a project's schedule versions to its members (asked with its project_id):
    the back-office lists those of the person's productions."""
    ours = ProductionScheduleVersion.objects.create(project=world["ours"], name="Ours v1")
    ProductionScheduleVersion.objects.create(project=world["other"], name="Elsewhere v1")

    response = logged_in(client, world["supervisor"]).get(admin_url(ProductionScheduleVersion, "changelist"))
    assert response.status_code == 200 and listed(response) == {ours.pk}
    outsider = logged_in(client, world["outsider"]).get(admin_url(ProductionScheduleVersion, "changelist"))
    assert outsider.status_code == 403


def add_assignee_inline(client, task, person):
    return edit_inline(client, Task, task, TaskPersonLink, add={"person": person.pk, "task": task.pk})


def test_a_manager_assigns_inline_as_through_the_api(client, world):
    newcomer = factories.join(world["ours"], factories.make_person(role="user"))
    response = add_assignee_inline(logged_in(client, world["manager"]), world["model"], newcomer)

    assert response.status_code == 302
    assert list(world["model"].assignees.all()) == [newcomer]
    assert ApiEvent.objects.filter(name="task:assign").count() == 1


def test_a_supervisor_may_not_assign_someone_of_another_department_inline(client, world):
    """Their own department's task (they may plan it); the person is of another department."""
    modeler = factories.join(world["ours"], factories.make_person(role="user"))
    DepartmentLink.objects.create(person=modeler, department=world["model"].task_type.department)
    response = add_assignee_inline(logged_in(client, world["supervisor"]), world["late"], modeler)

    assert response.status_code == 302
    assert messages_of(client.get(response.url)) == ["You do not have permission to perform this action."]
    assert modeler not in world["late"].assignees.all()
    assert not ApiEvent.objects.filter(name="task:assign").exists()


def test_a_managers_task_page_and_landing_page_are_bounded(client, world, django_assert_max_num_queries):
    for n in range(10):
        shot = factories.make_shot(world["ours"], world["late"].entity.parent, name=f"SH2{n:03d}")
        task = factories.make_task(shot, world["animation"], world["wip"], due_date=world["late"].due_date)
        factories.assign(task, factories.join(world["ours"], factories.make_person()))
    logged_in(client, world["manager"])
    with django_assert_max_num_queries(30):
        page = client.get(admin_url(Task, "change", world["late"].pk))
    assert page.status_code == 200 and page.context["has_change_permission"]
    with django_assert_max_num_queries(20):
        landing = client.get(dashboard_url(world["ours"]))
    assert landing.status_code == 200 and len(landing.context["late"]) == 11


def test_a_bulk_delete_refused_for_one_row_deletes_none(client, world):
    """A supervisor deletes their own comments, not the others': selected together, neither goes."""
    others = comment_on(world["late"], world["user"])
    own = comment_on(world["late"], world["supervisor"])  # the newest: deleted first, then undone
    logged_in(client, world["supervisor"])

    response = client.post(
        admin_url(Comment, "changelist"),
        {"action": "delete_selected", "_selected_action": [str(own.pk), str(others.pk)], "post": "yes"},
    )

    assert response.status_code == 302
    assert Comment.objects.filter(pk__in=[own.pk, others.pk]).count() == 2
    assert "You do not have permission to perform this action." in messages_of(client.get(response.url))
    assert not ApiEvent.objects.filter(name="comment:delete").exists()
