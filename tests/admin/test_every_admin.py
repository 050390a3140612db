"""The back-office: every model has a working admin, only studio managers get in,
forms never render giant dropdowns, and big changelists run a bounded number of queries."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import ForeignKey
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assets.models import (
    Asset,
    AssetInstance,
    AssetInstanceLink,
    Concept,
    Entity,
    EntityConceptLink,
    EntityLink,
    EntityType,
    TaskTypeAssetTypeLink,
)
from budgets.models import Budget, BudgetEntry, SalaryScale
from files.models import (
    AttachmentFile,
    BuildJob,
    DataImportError,
    FileStatus,
    OutputFile,
    OutputType,
    Playlist,
    PlaylistShareLink,
    PreviewBackgroundFile,
    PreviewFile,
    PreviewFileStorageState,
    StoredFile,
    WorkingFile,
)
from kitsu_server.admin_base import BoundedCountPaginator
from kitsu_server.core.models import Job
from people.models import (
    AuthToken,
    DayOff,
    DepartmentLink,
    DesktopLoginLog,
    HardwareItem,
    HardwareItemDepartmentLink,
    LoginLog,
    Organisation,
    Person,
    Plugin,
    SearchFilter,
    SearchFilterGroup,
    Software,
    SoftwareDepartmentLink,
    Studio,
)
from productions.models import (
    CustomAction,
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    ProductionScheduleVersionTaskLinkPersonLink,
    Project,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    ProjectTemplate,
    ProjectTemplateAssetTypeLink,
    ProjectTemplatePreviewBackgroundFileLink,
    ProjectTemplateStatusAutomationLink,
    ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
    ScheduleItem,
    StatusAutomation,
)
from shots.models import Edit, EntityVersion, Scene, Shot
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    ChatParticipant,
    Comment,
    CommentAcknowledgement,
    CommentDepartmentMention,
    CommentMention,
    CommentPreviewLink,
    News,
    Notification,
    Subscription,
    Task,
    TaskPersonLink,
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
READ_ONLY = ("core.Job",)
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


def build_production(admin_person):
    """One believable row of every model: a small series with its studio around it."""
    artist = factories.make_person(role="user", first_name="Ada", last_name="Artist")
    department = factories.make_department(name="Animation")
    studio = Studio.objects.create(name="Main studio", color="#112233")
    artist.studio = studio
    artist.save()
    software = Software.objects.create(name="Blender", short_name="bl", file_extension="blend")
    hardware = HardwareItem.objects.create(name="Workstation", short_name="ws")
    DepartmentLink.objects.create(person=artist, department=department)
    SoftwareDepartmentLink.objects.create(department=department, software=software)
    HardwareItemDepartmentLink.objects.create(department=department, hardware_item=hardware)
    DayOff.objects.create(person=artist, date=datetime.date(2025, 1, 2), end_date=datetime.date(2025, 1, 3))
    DesktopLoginLog.objects.create(person=artist, date=timezone.now())
    LoginLog.objects.create(person=artist, ip_address="10.0.0.1", origin="web")
    AuthToken.objects.create(
        kind="revoked", key="0b6f1b9e-6a1d-4c55-9d43-2f7f3c1e9a10", person=artist, expires_at=timezone.now()
    )
    Organisation.objects.create(name="Kitsu Studio")
    Plugin.objects.create(
        plugin_id="stats", name="Stats", version="1.0", maintainer_name="Ops", license="MIT"
    )

    project = factories.make_project(name="Big Buck Bunny", code="BBB")
    character = factories.make_asset_type("Character")
    asset = factories.make_asset(project, character, name="Bunny")
    prop = factories.make_asset(project, character, name="Apple")
    episode = factories.make_episode(project, name="E01")
    sequence = factories.make_sequence(project, episode, name="SQ010")
    shot = factories.make_shot(project, sequence, name="SH0010", nb_frames=48)
    Scene.objects.create(project=project, parent=sequence, name="SC01")
    Edit.objects.create(project=project, name="Trailer edit")
    concept = Concept.objects.create(project=project, name="Bunny sketch", created_by=artist)
    EntityLink.objects.create(entity_in=shot, entity_out=asset, nb_occurences=2)
    EntityConceptLink.objects.create(entity_in=concept, entity_out=asset)
    instance = AssetInstance.objects.create(asset=prop, scene=shot, number=1, name="apple_1")
    AssetInstanceLink.objects.create(entity=shot, asset_instance=instance)
    EntityVersion.objects.create(name="v1", entity=shot, person=artist, data={"frame_in": 1})

    modeling = factories.make_task_type("Modeling", department=department)
    animation = factories.make_task_type("Animation", for_entity="Shot", department=department)
    todo = factories.make_task_status("Todo", "todo", is_default=True)
    wip = factories.make_task_status("Work in progress", "wip", is_wip=True)
    TaskTypeAssetTypeLink.objects.create(asset_type=character, task_type=modeling)
    task = factories.make_task(asset, modeling, todo, assigner=admin_person)
    shot_task = factories.make_task(shot, animation, wip)
    TaskPersonLink.objects.create(task=task, person=artist)
    TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2025, 1, 6), duration=120)
    Subscription.objects.create(person=artist, task=task)

    ProjectPersonLink.objects.create(project=project, person=artist, role="user")
    ProjectTaskTypeLink.objects.create(project=project, task_type=modeling, priority=1)
    ProjectTaskTypeSoftwareLink.objects.create(project=project, task_type=modeling, software=software)
    ProjectTaskStatusLink.objects.create(project=project, task_status=todo, priority=1)
    ProjectAssetTypeLink.objects.create(project=project, asset_type=character)
    automation = StatusAutomation.objects.create(
        in_task_type=modeling, in_task_status=wip, out_task_type=animation, out_task_status=todo
    )
    ProjectStatusAutomationLink.objects.create(project=project, status_automation=automation)
    background = PreviewBackgroundFile.objects.create(name="Studio HDRI", original_name="studio.hdr")
    ProjectPreviewBackgroundFileLink.objects.create(project=project, preview_background_file=background)
    template = ProjectTemplate.objects.create(name="Short film template")
    ProjectTemplateTaskTypeLink.objects.create(project_template=template, task_type=modeling)
    ProjectTemplateTaskStatusLink.objects.create(project_template=template, task_status=todo)
    ProjectTemplateAssetTypeLink.objects.create(project_template=template, asset_type=character)
    ProjectTemplateStatusAutomationLink.objects.create(
        project_template=template, status_automation=automation
    )
    ProjectTemplatePreviewBackgroundFileLink.objects.create(
        project_template=template, preview_background_file=background
    )
    descriptor = MetadataDescriptor.objects.create(
        project=project, entity_type="Asset", name="Difficulty", field_name="difficulty", data_type="string"
    )
    DepartmentMetadataDescriptorLink.objects.create(metadata_descriptor=descriptor, department=department)
    Milestone.objects.create(
        project=project, task_type=modeling, name="Layout lock", date=datetime.date(2025, 3, 1)
    )
    ScheduleItem.objects.create(project=project, task_type=modeling, object_id=asset.pk, man_days=10)
    schedule = ProductionScheduleVersion.objects.create(project=project, name="Schedule v1")
    schedule_task = ProductionScheduleVersionTaskLink.objects.create(
        production_schedule_version=schedule, task=task, estimation=3
    )
    ProductionScheduleVersionTaskLinkPersonLink.objects.create(
        production_schedule_version_task_link=schedule_task, person=artist
    )
    CustomAction.objects.create(name="Open in DCC", url="https://dcc.example.com/open")
    group = SearchFilterGroup.objects.create(
        list_type="asset", name="Props", color="#ff8800", project=project, person=artist
    )
    SearchFilter.objects.create(
        list_type="asset",
        name="Props todo",
        search_query="todo",
        project=project,
        person=artist,
        search_filter_group=group,
    )

    preview = PreviewFile.objects.create(
        name="bunny_modeling", original_name="bunny.png", extension="png", task=task, person=artist
    )
    PreviewFileStorageState.objects.create(
        preview_file=preview, bucket="previews", prefix="original", state="ok"
    )
    comment = Comment.objects.create(
        object_id=task.pk,
        object_type="Task",
        text="Ears need more volume",
        person=admin_person,
        task_status=todo,
        preview_file=preview,
    )
    CommentMention.objects.create(comment=comment, person=artist)
    CommentDepartmentMention.objects.create(comment=comment, department=department)
    CommentAcknowledgement.objects.create(comment=comment, person=artist)
    CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
    News.objects.create(author=admin_person, comment=comment, task=task, change=True)
    Notification.objects.create(
        person=artist, author=admin_person, comment=comment, task=task, type="comment"
    )
    ApiEvent.objects.create(name="comment:new", user=admin_person, project=project, data={"comment_id": "x"})
    chat = Chat.objects.create(object_id=asset.pk, object_type="entity")
    ChatParticipant.objects.create(chat=chat, person=artist)
    message = ChatMessage.objects.create(chat=chat, person=artist, text="Ready for review")
    AttachmentFile.objects.create(name="ref.png", extension="png", comment=comment)
    AttachmentFile.objects.create(name="chat.png", extension="png", chat_message=message)

    file_status = FileStatus.objects.create(name="Created", color="#ffffff")
    output_type = OutputType.objects.create(name="Geometry", short_name="geo")
    working_file = WorkingFile.objects.create(
        name="bunny_modeling", revision=1, task=task, entity=asset, person=artist, software=software
    )
    OutputFile.objects.create(
        name="bunny_geo",
        revision=1,
        file_status=file_status,
        entity=asset,
        output_type=output_type,
        task_type=modeling,
        person=artist,
        source_file=working_file,
    )
    StoredFile.objects.create(bucket="previews", key="original/ab/cd", prefix="original", file_id="abcd")
    DataImportError.objects.create(event_data={"row": 3, "error": "unknown asset type"}, source="csv")
    playlist = Playlist.objects.create(
        name="Dailies 2025-01-06",
        project=project,
        episode=episode,
        task_type=animation,
        created_by=admin_person,
    )
    BuildJob.objects.create(playlist=playlist, job_type="movie", status="succeeded")
    PlaylistShareLink.objects.create(token="t" * 40, playlist=playlist, created_by=admin_person)

    budget = Budget.objects.create(project=project, name="Production budget", currency="EUR")
    BudgetEntry.objects.create(
        budget=budget,
        department=department,
        person=artist,
        start_date=datetime.date(2025, 1, 1),
        months_duration=6,
        daily_salary=300,
    )
    SalaryScale.objects.create(department=department, position="artist", seniority="mid", salary=300)
    Job.objects.create(
        name="casting-stats.refresh", key=f"casting-stats.refresh:project:{project.pk}", project=project
    )
    return {"project": project, "asset": asset, "shot": shot, "task": shot_task, "artist": artist}


@pytest.fixture
def production(admin_person):
    return build_production(admin_person)


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


@pytest.mark.parametrize("role", ["user", "manager", "supervisor", "client", "vendor"])
def test_non_admin_roles_are_sent_to_the_login_page(client, db, role):
    person = factories.make_person(role=role)
    client.force_login(person)

    for url in (reverse("admin:index"), admin_url(Task, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('admin:login')}?next={url}"


def test_a_non_admin_cannot_log_in_with_the_admin_form(client, db):
    factories.make_person(role="manager", email="prod@example.com", password="manager-password")

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


# --- Persons --------------------------------------------------------------------


def test_person_add_form_creates_a_person_whose_password_checks(staff_client, db):
    data = {
        "email": "new.artist@example.com",
        "first_name": "New",
        "last_name": "Artist",
        "role": "supervisor",
        "password1": "a-long-password",
        "password2": "a-long-password",
        "_save": "Save",
    }

    response = staff_client.post(admin_url(Person, "add"), data)

    assert response.status_code == 302
    person = Person.objects.get(email="new.artist@example.com")
    assert response.url == admin_url(Person, "change", person.pk)  # then edit the rest, as UserAdmin does
    assert person.check_password("a-long-password")
    assert person.password != "a-long-password"  # stored as a hash
    assert (person.first_name, person.last_name, person.role) == ("New", "Artist", "supervisor")
    assert person.is_active and not person.is_staff


def test_person_add_form_asks_the_password_twice(staff_client, db):
    page = staff_client.get(admin_url(Person, "add")).content.decode()
    assert 'name="password1"' in page and 'name="password2"' in page and 'name="role"' in page

    mismatch = {
        "email": "x@example.com",
        "first_name": "X",
        "last_name": "Y",
        "role": "user",
        "password1": "a-long-password",
        "password2": "another-password",
    }
    response = staff_client.post(admin_url(Person, "add"), mismatch)

    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    assert not Person.objects.filter(email="x@example.com").exists()


def test_person_add_form_refuses_a_taken_email(staff_client, admin_person):
    data = {
        "email": "Boss@Example.com",
        "first_name": "Twin",
        "last_name": "Boss",
        "role": "user",
        "password1": "a-long-password",
        "password2": "a-long-password",
    }

    response = staff_client.post(admin_url(Person, "add"), data)

    assert response.status_code == 200
    assert "A person with this email already exists." in response.content.decode()
    assert Person.objects.filter(email__iexact="boss@example.com").count() == 1


def test_person_change_page_shows_the_hash_read_only_and_hides_secrets(staff_client, production):
    artist = production["artist"]
    artist.totp_secret = "TOTPSECRETVALUE1"
    artist.email_otp_secret = "EMAILOTPSECRET99"
    artist.jti = "jti-token-value"
    artist.otp_recovery_codes = ["recovery-code-1"]
    artist.save()

    page = staff_client.get(admin_url(Person, "change", artist.pk)).content.decode()

    assert 'name="password"' not in page  # no input: the hash is not editable
    algorithm = artist.password.split("$")[0]
    assert f"<strong>algorithm</strong>: <bdi>{algorithm}</bdi>" in page and 'href="../password/"' in page
    for secret in ("TOTPSECRETVALUE1", "EMAILOTPSECRET99", "jti-token-value", "recovery-code-1"):
        assert secret not in page
    for field in ("totp_secret", "email_otp_secret", "otp_recovery_codes", "fido_credentials", "jti"):
        assert f'name="{field}"' not in page


def test_password_change_page_sets_a_new_password(staff_client, production):
    artist = production["artist"]
    url = reverse("admin:people_person_password_change", args=[artist.pk])
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(
        url, {"password1": "brand-new-password", "password2": "brand-new-password", "usable_password": "true"}
    )

    assert response.status_code == 302
    artist.refresh_from_db()
    assert artist.check_password("brand-new-password")


def test_person_changelist_filters_by_role(staff_client, production):
    response = staff_client.get(admin_url(Person, "changelist"), {"role__exact": "user"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada" in page and "boss@example.com" not in page


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
