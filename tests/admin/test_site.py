"""The back-office's index (grouped, link tables tucked away, proper plurals), a production's
landing page, and `/` for newcomers."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from kitsu_server.admin_site import GROUPS, is_link_table
from productions.models import Project
from tasks.models import Task
from tests import factories
from tests.admin.pages import admin_url


def test_the_index_groups_what_staff_use(staff_client):
    response = staff_client.get(reverse("admin:index"))

    page = response.content.decode()
    assert response.status_code == 200
    titles = [title for title, _ in GROUPS]
    positions = [page.index(f">{title}</a>") for title in titles]
    assert positions == sorted(positions)  # in the order of GROUPS
    for name in ("Entities", "Task statuses", "News", "Project statuses", "File statuses"):
        assert f">{name}</a>" in page
    for wrong in ("Entitys", "statuss", "Newss", "entrys"):
        assert wrong not in page
    for link in ("Task person links", "Project person links", "Comment mentions", "Department links"):
        assert link not in page  # edited inline on their owners


def test_every_model_is_in_a_group_or_inline_on_its_owner():
    grouped = {label for _, labels in GROUPS for label in labels}
    inlined = {
        inline.model._meta.label
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    for model in admin.site._registry:
        label = model._meta.label
        if is_link_table(model):
            assert label in inlined, f"{label} is left out of the index but inline nowhere"
        else:
            assert label in grouped, f"{label} is in no group of the index"


def test_the_index_links_the_production_landing_pages(staff_client, db, django_assert_max_num_queries):
    projects = [factories.make_project(name=f"Landing show {n}") for n in range(5)]

    with django_assert_max_num_queries(5):  # session, person, the productions: not one per project
        page = staff_client.get(reverse("admin:index")).content.decode()

    assert all(reverse("admin:productions_project_dashboard", args=[p.pk]) in page for p in projects)


@pytest.fixture
def production(db):
    project = factories.make_project(name="Dashboard show")
    sequence = factories.make_sequence(project, factories.make_episode(project, name="E02"), name="SQ020")
    animation = factories.make_task_type("Animation", for_entity="Shot")
    todo = factories.make_task_status("Todo", "todo", color="#f5f5f5")
    done = factories.make_task_status("Done", "done", color="#22d160", is_done=True)
    sam = factories.make_person(first_name="Sam", last_name="Cole")
    overdue = timezone.now() - datetime.timedelta(days=3)
    late = factories.make_task(
        factories.make_shot(project, sequence, name="SH0100"), animation, todo, due_date=overdue
    )
    factories.assign(late, sam)
    for name in ("SH0110", "SH0120"):
        task = factories.make_task(
            factories.make_shot(project, sequence, name=name),
            animation,
            done,
            due_date=overdue,
            done_date=timezone.now(),
        )
        factories.assign(task, sam)
    return {"project": project, "late": late, "sam": sam, "animation": animation, "done": done}


def test_a_production_landing_page_counts_and_links(staff_client, production, django_assert_max_num_queries):
    project = production["project"]
    url = reverse("admin:productions_project_dashboard", args=[project.pk])

    with django_assert_max_num_queries(12):
        response = staff_client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'fill="#22d160"' in page and "Animation (Shot): 2 Done" in page
    done_list = (
        f"?project__id__exact={project.pk}&amp;task_type={production['animation'].pk}"
        f"&amp;task_status__id__exact={production['done'].pk}"
    )
    assert done_list in page
    assert "E02 / SQ020 / SH0100" in page and admin_url(Task, "change", production["late"].pk) in page
    assert "Sam Cole" in page
    assert f"assignee={production['sam'].pk}&amp;late=yes" in page
    assert "<strong>3</strong> tasks" in page and "<strong>1</strong> late" in page


def test_the_landing_page_links_lead_to_the_filtered_lists(staff_client, production):
    project = production["project"]
    params = {"project__id__exact": str(project.pk), "assignee": str(production["sam"].pk), "late": "yes"}

    page = staff_client.get(admin_url(Task, "changelist"), params).content.decode()

    assert admin_url(Task, "change", production["late"].pk) in page
    others = Task.objects.exclude(pk=production["late"].pk)
    assert not any(admin_url(Task, "change", task.pk) in page for task in others)


def test_an_unknown_production_has_no_landing_page(staff_client, db):
    url = reverse("admin:productions_project_dashboard", args=["7a3b5a3e-0000-4000-8000-000000000000"])

    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["user", "client", "vendor"])
def test_the_landing_page_is_for_staff(client, production, role):
    client.force_login(factories.make_person(role=role))
    url = reverse("admin:productions_project_dashboard", args=[production["project"].pk])

    response = client.get(url)

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_project_page_links_its_landing_page(staff_client, production):
    project = production["project"]

    page = staff_client.get(admin_url(Project, "change", project.pk)).content.decode()

    assert reverse("admin:productions_project_dashboard", args=[project.pk]) in page


def test_the_root_page_leads_to_the_back_office_and_the_api_docs(client):
    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'href="/admin/"' in page and 'href="/api/docs"' in page


def test_the_back_office_view_site_link_answers(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()

    assert 'href="/">View site</a>' in page
    assert staff_client.get("/").status_code == 200
