"""The back-office: every model has a working admin, only studio managers get in,
forms never render giant dropdowns, and big changelists run a bounded number of queries."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import ForeignKey
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from assets.models import (
    Asset,
    Entity,
    EntityType,
)
from files.models import (
    PreviewFile,
)
from kitsu_server.admin_base import BoundedCountPaginator
from productions.models import (
    Project,
    ProjectPersonLink,
)
from shots.models import Shot
from tasks.models import (
    ApiEvent,
    Comment,
    Notification,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)
from tests import factories
from tests.admin.pages import admin_url, form_errors, submitted_data

KITSU_APPS = ("people", "productions", "assets", "shots", "tasks", "files", "budgets", "core")
TYPED_PROXIES = (
    "assets.Asset",
    "assets.AssetType",
    "assets.Concept",
    "shots.Episode",
    "shots.Sequence",
    "shots.Shot",
    "shots.Scene",
    "shots.Edit",
)
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
every_admin = pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _ in REGISTERED]
)
# Rows written by the job runner only: their admin shows them, never adds or changes them.
READ_ONLY = ("core.Job", "core.WebhookDelivery", "core.IdempotentRequest", "core.TrashItem", "core.TrashRow")
EDITABLE = [(model, model_admin) for model, model_admin in REGISTERED if model._meta.label not in READ_ONLY]
every_editable_admin = pytest.mark.parametrize(
    ("model", "model_admin"), EDITABLE, ids=[model._meta.label for model, _ in EDITABLE]
)
# Session, person, count, rows, one per related list filter: never one per row.
CHANGELIST_MAX_QUERIES = 8
# Lists with more filters (each lists its choices from a small table) and prefetched columns.
CHANGELIST_QUERIES = {Task: 14}


def changelist_bound(model):
    return CHANGELIST_QUERIES.get(model, CHANGELIST_MAX_QUERIES)


# A change page: session, person, the row, each inline's rows and the rows its autocomplete
# widgets show (one query per widget on the main form, one per field for a whole inline): the
# pages with many inlines (a project's team, task types, statuses...) read more.
CHANGE_PAGE_MAX_QUERIES = 16
CHANGE_PAGE_QUERIES = {"productions.Project": 28, "productions.ProjectTemplate": 20}


def first_row(model):
    return model._default_manager.order_by("pk").first()


# --- Registration and form widgets -------------------------------------------------


def test_every_model_of_the_seven_apps_has_an_admin():
    concrete = [
        model
        for app in KITSU_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    ]
    missing = [model._meta.label for model in concrete if model not in admin.site._registry]
    assert not missing
    registered = {model._meta.label for model in admin.site._registry}
    assert set(TYPED_PROXIES) <= registered
    assert "assets.Entity" in registered
    assert all(model._meta.app_label in KITSU_APPS for model in admin.site._registry)


def test_every_foreign_key_in_a_form_is_autocomplete_or_raw_id(admin_person):
    """A production has 100k tasks and entities: no <select> may list a whole table."""
    request = RequestFactory().get("/admin/")
    request.user = admin_person
    plain_selects = []
    for model_admin in admin.site._registry.values():
        forms = [(model_admin, model_admin.get_form(request).base_fields)]
        for inline in model_admin.get_inline_instances(request):
            assert inline.extra == 0, inline
            formset = inline.get_formset(request)
            # The link back to the parent row is a hidden field, not a widget.
            fields = {
                name: field for name, field in formset.form.base_fields.items() if name != formset.fk.name
            }
            forms.append((inline, fields))
        for owner, fields in forms:
            for name in fields:
                field = next((f for f in owner.model._meta.fields if f.name == name), None)
                if isinstance(field, ForeignKey) and name not in (
                    *owner.autocomplete_fields,
                    *owner.raw_id_fields,
                ):
                    plain_selects.append(f"{owner}.{name}")
    assert plain_selects == []


# --- Every admin: changelist, change page, add page, round trip ---------------------


@every_admin
def test_changelist_lists_a_row(staff_client, production, django_assert_max_num_queries, model, model_admin):
    row = first_row(model)
    assert row is not None, f"build_production makes no {model._meta.label}"

    with django_assert_max_num_queries(changelist_bound(model)):
        response = staff_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert admin_url(model, "change", row.pk) in response.content.decode()


@every_admin
def test_change_page_shows_the_row(
    staff_client, production, django_assert_max_num_queries, model, model_admin
):
    row = first_row(model)

    bound = CHANGE_PAGE_QUERIES.get(model._meta.label, CHANGE_PAGE_MAX_QUERIES)
    with django_assert_max_num_queries(bound):
        response = staff_client.get(admin_url(model, "change", row.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(str(row)) in page
    if hasattr(row, "created_at"):
        assert "Created at" in page  # the read-only audit fields


@every_editable_admin
def test_add_page_answers(staff_client, model, model_admin):
    response = staff_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert f"Add {model._meta.verbose_name}" in response.content.decode()


@every_editable_admin
def test_change_form_saves_back_unchanged(staff_client, production, model, model_admin):
    """What the change page renders is valid input: saving it as is succeeds."""
    row = first_row(model)
    url = admin_url(model, "change", row.pk)
    page = staff_client.get(url)

    response = staff_client.post(url, submitted_data(page, model))

    assert response.status_code == 302, form_errors(response)
    assert response.url == admin_url(model, "changelist")
    assert model._default_manager.filter(pk=row.pk).exists()


# --- Who gets in ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["user", "client", "vendor"])
def test_other_roles_are_sent_to_the_login_page(client, db, role):
    person = factories.make_person(role=role)
    client.force_login(person)

    for url in (reverse("admin:index"), admin_url(Task, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('admin:login')}?next={url}"


def test_an_artist_cannot_log_in_with_the_admin_form(client, db):
    factories.make_person(role="user", email="prod@example.com", password="manager-password")

    response = client.post(
        reverse("admin:login"), {"username": "prod@example.com", "password": "manager-password"}
    )

    assert response.status_code == 200
    assert "Please enter the correct email and password for a staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_admin_cannot_log_in(client, db):
    person = factories.make_person(
        role="admin", email="gone@example.com", password="gone-password", active=False
    )

    assert client.login(email="gone@example.com", password="gone-password") is False
    response = client.post(
        reverse("admin:login"), {"username": "gone@example.com", "password": "gone-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    client.force_login(person)  # a session opened before the deactivation is no way in either
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_logs_in_with_email_and_password(client, admin_person):
    login = client.get(reverse("admin:login"))
    assert login.status_code == 200
    assert "Email" in login.content.decode()

    response = client.post(
        f"{reverse('admin:login')}?next={reverse('admin:index')}",
        {"username": "BOSS@example.com", "password": "admin-password"},
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.session["_auth_user_id"] == str(admin_person.pk)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "Kitsu back-office" in index.content.decode()


def test_wrong_password_is_refused(client, admin_person):
    response = client.post(reverse("admin:login"), {"username": "boss@example.com", "password": "nope-nope"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- Big changelists: bounded queries -----------------------------------------------


def make_tasks(project, count):
    asset_type = factories.make_asset_type("Prop")
    task_type = TaskType.objects.get_or_create(name="Shading", for_entity="Asset")[0]
    status = TaskStatus.objects.get_or_create(
        short_name="ready", defaults={"name": "Ready", "color": "#00ff00"}
    )[0]
    for _ in range(count):
        factories.make_task(factories.make_asset(project, asset_type), task_type, status)


def make_comments(project, count):
    author = factories.make_person()
    status = factories.make_task_status()
    for n in range(count):
        Comment.objects.create(
            object_id=project.pk, object_type="Task", text=f"note {n}", person=author, task_status=status
        )


def make_shots(project, count):
    sequence = factories.make_sequence(project)
    for _ in range(count):
        factories.make_shot(project, sequence)


def make_notifications(project, count):
    author = factories.make_person()
    make_tasks(project, count)
    for task in Task.objects.filter(project=project).exclude(notifications__isnull=False)[:count]:
        Notification.objects.create(
            person=factories.make_person(), author=author, task=task, type="assignation"
        )


def make_time_spents(project, count):
    make_tasks(project, count)
    person = factories.make_person()
    for task in Task.objects.filter(project=project).exclude(time_spents__isnull=False)[:count]:
        TimeSpent.objects.create(task=task, person=person, date=datetime.date(2025, 2, 3), duration=60)


@pytest.mark.parametrize(
    ("model", "make_rows"),
    [
        (Task, make_tasks),
        (Comment, make_comments),
        (Shot, make_shots),
        (Notification, make_notifications),
        (TimeSpent, make_time_spents),
    ],
    ids=["task", "comment", "shot", "notification", "time-spent"],
)
def test_changelist_queries_do_not_grow_with_rows(
    staff_client, django_assert_max_num_queries, model, make_rows
):
    project = factories.make_project()
    url = admin_url(model, "changelist")
    make_rows(project, 1)
    with django_assert_max_num_queries(changelist_bound(model)) as one_row:
        assert staff_client.get(url).status_code == 200

    make_rows(project, 30)
    with django_assert_max_num_queries(changelist_bound(model)) as many_rows:
        response = staff_client.get(url)

    assert response.status_code == 200
    assert len(many_rows.captured_queries) == len(one_row.captured_queries)
    assert all(
        admin_url(model, "change", pk) in response.content.decode()
        for pk in model._default_manager.values_list("pk", flat=True)
    )


def test_a_big_list_counts_up_to_a_cap(staff_client, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "count_cap", 3)
    make_tasks(factories.make_project(), 5)

    page = staff_client.get(admin_url(Task, "changelist"), {"p": "1"}).content.decode()

    assert "At least 3 tasks match" in page
    small = staff_client.get(admin_url(Task, "changelist"), {"q": "no such task"}).content.decode()
    assert "0 tasks" in small and "At least" not in small


def test_big_changelists_skip_the_full_count():
    big = (Entity, Asset, Shot, Task, Comment, ApiEvent, Notification, TimeSpent, PreviewFile)
    assert all(admin.site._registry[model].show_full_result_count is False for model in big)


# --- Typed views of the entity table ----------------------------------------------


def test_asset_changelist_lists_assets_not_shots(staff_client, production):
    asset, shot = production["asset"], production["shot"]

    response = staff_client.get(admin_url(Asset, "changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert ">Bunny</a>" in page and ">Apple</a>" in page
    assert admin_url(Asset, "change", asset.pk) in page
    assert "SH0010" not in page and "SQ010" not in page and "E01" not in page and "Bunny sketch" not in page
    assert str(shot.pk) not in page


def test_shot_changelist_lists_shots_not_assets(staff_client, production):
    asset, shot = production["asset"], production["shot"]

    response = staff_client.get(admin_url(Shot, "changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert ">SH0010</a>" in page and admin_url(Shot, "change", shot.pk) in page
    assert ">E01 / SQ010<" in page  # its episode and sequence column
    assert ">Bunny</a>" not in page and ">Apple</a>" not in page and ">SQ010</a>" not in page
    assert str(asset.pk) not in page


def test_adding_a_shot_sets_its_entity_type(staff_client, production):
    sequence = production["shot"].parent
    data = {
        "name": "SH0020",
        "project": production["project"].pk,
        "parent": sequence.pk,
        "status": "running",
        "nb_entities_out": 0,
        "data": "null",
        "links_out-TOTAL_FORMS": 0,
        "links_out-INITIAL_FORMS": 0,
        "-1-TOTAL_FORMS": 0,  # the asset instances cast (their link has no reverse name)
        "-1-INITIAL_FORMS": 0,
    }

    response = staff_client.post(admin_url(Shot, "add"), data)

    assert response.status_code == 302, form_errors(response)
    shot = Shot.objects.get(name="SH0020")
    assert shot.entity_type.name == "Shot" and shot.parent_id == sequence.pk


def test_asset_type_autocomplete_offers_asset_types_only(staff_client, production):
    params = {"app_label": "assets", "model_name": "asset", "field_name": "entity_type", "term": ""}

    response = staff_client.get(reverse("admin:autocomplete"), params)

    assert response.status_code == 200
    names = {result["text"] for result in response.json()["results"]}
    assert "Character" in names
    assert not names & {"Shot", "Sequence", "Episode", "Concept"}
    assert EntityType.objects.filter(name="Shot").exists()


def test_task_autocomplete_finds_tasks_by_entity_name(staff_client, production):
    params = {"app_label": "tasks", "model_name": "notification", "field_name": "task", "term": "SH0010"}

    response = staff_client.get(reverse("admin:autocomplete"), params)

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(production["task"].pk)]


def test_a_uuid_search_finds_the_row_by_primary_key(staff_client, production):
    task = production["task"]

    response = staff_client.get(admin_url(Task, "changelist"), {"q": str(task.pk)})

    page = response.content.decode()
    assert response.status_code == 200
    assert admin_url(Task, "change", task.pk) in page
    others = Task.objects.exclude(pk=task.pk)
    assert others.exists() and not any(str(pk) in page for pk in others.values_list("pk", flat=True))


def test_an_inline_reads_its_rows_chosen_people_at_once(staff_client, django_assert_max_num_queries):
    """A project's team of 20: as many queries as with one member (not one per member)."""
    project = factories.make_project()
    ProjectPersonLink.objects.create(project=project, person=factories.make_person(password=None))
    url = admin_url(Project, "change", project.pk)
    with django_assert_max_num_queries(40) as one:
        assert staff_client.get(url).status_code == 200
    for _ in range(19):
        ProjectPersonLink.objects.create(project=project, person=factories.make_person(password=None))

    with django_assert_max_num_queries(40) as twenty:
        page = staff_client.get(url).content.decode()

    assert len(twenty.captured_queries) == len(one.captured_queries)
    assert all(person.full_name in page for person in project.team.all())
