"""`DELETE /data/<model>/<id>` with and without `?force=true` for tasks, preview files and persons,
and the project removal service (kitsu_server.core.deletion), as the reference's deletion services do it.

Forced deletions run set-based statements that Django's collector does not check: each such test
ends with `connection.check_constraints()`, which fails on any row left pointing at a removed one.
"""

import datetime
import uuid

import pytest
from django.db import connection, transaction
from django.test import override_settings

from assets.models import AssetInstance, AssetInstanceLink, Entity, EntityLink
from budgets.models import Budget, BudgetEntry
from files.models import (
    AttachmentFile,
    BuildJob,
    FileStatus,
    OutputFile,
    Playlist,
    PlaylistShareLink,
    PreviewFile,
    PreviewFileStorageState,
    StoredFile,
    WorkingFile,
)
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core import deletion
from kitsu_server.core.events import record_event
from kitsu_server.core.trash.services import purge_item, start_purge
from kitsu_server.core.trash_models import TrashItem
from people.models import (
    DayOff,
    DepartmentLink,
    DesktopLoginLog,
    LoginLog,
    Person,
    SearchFilter,
    SearchFilterGroup,
)
from productions.models import (
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    Project,
    ProjectPersonLink,
    ProjectTaskTypeLink,
    ScheduleItem,
)
from shots.models import EntityVersion
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    ChatParticipant,
    Comment,
    CommentAcknowledgement,
    CommentMention,
    CommentPreviewLink,
    News,
    Notification,
    Subscription,
    Task,
    TaskPersonLink,
    TimeSpent,
)
from tests import factories
from tests.factories import client_for, join

pytestmark = pytest.mark.django_db


def make_person(role="user", **fields):
    return factories.make_person(role=role, password=None, **fields)  # no password: no slow hashing


def counts(*models):
    return {model.__name__: model.objects.count() for model in models}


def assert_no_dangling_rows():
    connection.check_constraints()


@pytest.fixture
def admin():
    return make_person("admin")


@pytest.fixture
def api(admin):
    return client_for(admin)


@pytest.fixture
def project():
    return factories.make_project(name="Show")


@pytest.fixture
def people(project):
    team = {role: join(project, make_person(role)) for role in ("manager", "supervisor", "user")}
    team["outsider"] = make_person("manager")
    return team


@pytest.fixture
def asset(project):
    return factories.make_asset(project, name="Hero")


@pytest.fixture
def task(asset):
    return factories.make_task(asset, factories.make_task_type(name="Modeling"))


@pytest.fixture
def file_status():
    return FileStatus.objects.create(name="Created", color="#000000")


def make_preview(task, revision=1, **fields):
    fields.setdefault("extension", "png")
    fields.setdefault("status", "ready")
    return PreviewFile.objects.create(task=task, name=f"v{revision}", revision=revision, **fields)


def make_comment(task, person, **fields):
    return Comment.objects.create(object_id=task.pk, object_type="Task", person=person, **fields)


def stored_file(file_id):
    return StoredFile.objects.create(
        bucket="pictures", key=f"original/{file_id}", prefix="original", file_id=str(file_id)
    )


# --- tasks -------------------------------------------------------------------------------------


TASK_DEPENDENTS = (
    Task,
    Comment,
    News,
    Notification,
    PreviewFile,
    WorkingFile,
    OutputFile,
    Subscription,
    TimeSpent,
    TaskPersonLink,
    AttachmentFile,
)


def test_task_in_use_is_not_deleted_without_force(api, task, people, file_status):
    artist = people["user"]
    comment = make_comment(task, artist, text="wip")
    preview = make_preview(task)
    TimeSpent.objects.create(task=task, person=artist, duration=60, date="2026-01-02")
    Subscription.objects.create(task=task, person=artist)
    before = counts(*TASK_DEPENDENTS)
    response = api.delete(f"/api/data/tasks/{task.id}")
    assert response.status_code == 400
    message = response.json()["message"]
    for kind in ("comments", "preview files", "subscriptions", "time spents", "force=true"):
        assert kind in message, kind
    assert counts(*TASK_DEPENDENTS) == before
    # A comment alone (no foreign key to the task) holds it back too.
    PreviewFile.objects.filter(pk=preview.pk).delete()
    TimeSpent.objects.all().delete()
    Subscription.objects.all().delete()
    before = counts(*TASK_DEPENDENTS)
    response = api.delete(f"/api/data/tasks/{task.id}?force=false")
    assert response.status_code == 400 and "(comments)" in response.json()["message"]
    assert counts(*TASK_DEPENDENTS) == before
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert not ApiEvent.objects.filter(name="task:delete").exists()


def test_task_with_assignees_only_is_deleted_without_force(api, task, people):
    task.assignees.add(people["user"])
    version = ProductionScheduleVersion.objects.create(name="v1", project=task.project)
    ProductionScheduleVersionTaskLink.objects.create(production_schedule_version=version, task=task)
    assert api.delete(f"/api/data/tasks/{task.id}").status_code == 204
    assert not Task.objects.exists() and not TaskPersonLink.objects.exists()
    assert not ProductionScheduleVersionTaskLink.objects.exists()
    assert ProductionScheduleVersion.objects.filter(pk=version.pk).exists()


def test_forced_task_deletion_takes_everything_hanging_off_it(api, project, asset, task, people, file_status):
    artist, manager = people["user"], people["manager"]
    Project.objects.filter(pk=project.pk).update(is_set_preview_automated=True)
    other_task = factories.make_task(asset, factories.make_task_type(name="Rigging"))
    older = make_preview(other_task, created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    preview = make_preview(task)
    Entity.objects.filter(pk=asset.pk).update(preview_file=preview)
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=preview.pk)
    task.assignees.add(artist)
    comment = make_comment(task, artist, text="look", preview_file=preview)
    CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
    CommentMention.objects.create(comment=comment, person=manager)
    CommentAcknowledgement.objects.create(comment=comment, person=manager)
    attachment = AttachmentFile.objects.create(comment=comment, name="notes.txt")
    Notification.objects.create(person=manager, author=artist, comment=comment, task=task, type="comment")
    Notification.objects.create(person=artist, author=manager, task=task, type="assignation")
    News.objects.create(author=artist, task=task, comment=comment, preview_file=preview)
    other_news = News.objects.create(author=artist, task=other_task, preview_file=preview)
    PreviewFileStorageState.objects.create(
        preview_file=preview, bucket="pictures", prefix="original", state="ok"
    )
    working_file = WorkingFile.objects.create(task=task, entity=asset, name="scene", revision=1)
    output = OutputFile.objects.create(
        name="out", revision=1, file_status=file_status, entity=asset, source_file=working_file
    )
    elsewhere = make_preview(other_task, revision=2, source_file=output, status="processing")
    Subscription.objects.create(task=task, person=manager)
    TimeSpent.objects.create(task=task, person=artist, duration=60, date="2026-01-02")
    version = ProductionScheduleVersion.objects.create(name="v1", project=project)
    ProductionScheduleVersionTaskLink.objects.create(production_schedule_version=version, task=task)
    preview_file, attachment_file = stored_file(preview.pk), stored_file(attachment.pk)

    assert api.delete(f"/api/data/tasks/{task.id}?force=true").status_code == 204

    assert list(Task.objects.all()) == [other_task]
    assert not Comment.objects.exists() and not AttachmentFile.objects.exists()
    assert not CommentMention.objects.exists() and not CommentAcknowledgement.objects.exists()
    assert not Notification.objects.exists() and list(News.objects.all()) == [other_news]
    assert set(PreviewFile.objects.all()) == {older, elsewhere}
    assert not PreviewFileStorageState.objects.exists() and not CommentPreviewLink.objects.exists()
    assert not WorkingFile.objects.exists() and not OutputFile.objects.exists()
    assert not Subscription.objects.exists() and not TimeSpent.objects.exists()
    assert not TaskPersonLink.objects.exists() and not ProductionScheduleVersionTaskLink.objects.exists()
    asset.refresh_from_db()
    other_news.refresh_from_db()
    elsewhere.refresh_from_db()
    assert asset.preview_file == older  # automated project: the newest main preview left
    assert other_news.preview_file is None and elsewhere.source_file is None
    preview_file.refresh_from_db()
    attachment_file.refresh_from_db()
    # The deletion went to the trash: the media stay until the trash item is purged.
    assert preview_file.deleted_at is None and attachment_file.deleted_at is None
    purge_trash()
    preview_file.refresh_from_db()
    attachment_file.refresh_from_db()
    assert preview_file.deleted_at is not None and not preview_file.purge_forced
    assert attachment_file.deleted_at is not None
    assert ApiEvent.objects.filter(name="task:delete").count() == 1
    assert_no_dangling_rows()


def purge_trash():
    """Purge every trash item at once, as the sweep does at the end of their retention."""
    for item_id in TrashItem.objects.values_list("pk", flat=True):
        start_purge(item_id)
        purge_item(item_id)


def test_task_deletion_refused_role_removes_nothing(task, people):
    TimeSpent.objects.create(task=task, person=people["user"], duration=60, date="2026-01-02")
    before = counts(*TASK_DEPENDENTS)
    for role in ("supervisor", "user", "outsider"):
        response = client_for(people[role]).delete(f"/api/data/tasks/{task.id}?force=true")
        assert response.status_code == 403, role
    assert counts(*TASK_DEPENDENTS) == before
    assert client_for(people["manager"]).delete(f"/api/data/tasks/{task.id}?force=true").status_code == 204


def test_missing_task_is_404(api):
    assert api.delete(f"/api/data/tasks/{uuid.uuid4()}?force=true").status_code == 404


# --- preview files -----------------------------------------------------------------------------


def test_preview_deletion_lets_go_of_what_points_at_it(api, asset, task, people):
    artist = people["user"]
    older = make_preview(task, created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    preview = make_preview(task, revision=2)
    Entity.objects.filter(pk=asset.pk).update(preview_file=preview)
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=preview.pk)
    comment = make_comment(task, artist, preview_file=preview)
    CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
    news = News.objects.create(author=artist, task=task, comment=comment, preview_file=preview)
    file = stored_file(preview.pk)

    assert api.delete(f"/api/data/preview-files/{preview.id}").status_code == 204

    assert list(PreviewFile.objects.all()) == [older]
    asset.refresh_from_db()
    task.refresh_from_db()
    comment.refresh_from_db()
    news.refresh_from_db()
    assert asset.preview_file is None  # the project does not set it automatically
    assert task.last_preview_file_id == older.pk
    assert comment.preview_file is None and not CommentPreviewLink.objects.exists()
    assert news.preview_file is None and Comment.objects.exists() and News.objects.exists()
    file.refresh_from_db()
    assert file.deleted_at is not None and not file.purge_forced
    assert_no_dangling_rows()


def test_forced_preview_deletion_purges_its_files(api, project, asset, task):
    Project.objects.filter(pk=project.pk).update(is_set_preview_automated=True)
    other_task = factories.make_task(asset, factories.make_task_type(name="Rigging"))
    movie = make_preview(other_task, extension="mp4")
    make_preview(other_task, revision=2, extension="pdf")  # no thumbnail: never a main preview
    preview = make_preview(task)
    Entity.objects.filter(pk=asset.pk).update(preview_file=preview)
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=preview.pk)
    file, untouched = stored_file(preview.pk), stored_file(movie.pk)

    assert api.delete(f"/api/data/preview-files/{preview.id}?force=true").status_code == 204

    asset.refresh_from_db()
    task.refresh_from_db()
    assert asset.preview_file == movie and task.last_preview_file_id is None
    file.refresh_from_db()
    untouched.refresh_from_db()
    assert file.deleted_at is not None and file.purge_forced
    assert untouched.deleted_at is None and not untouched.purge_forced
    assert [e.name for e in ApiEvent.objects.all()] == ["preview-file:delete"]
    assert_no_dangling_rows()


def test_preview_deletion_refused_role_and_missing(api, task, people):
    preview = make_preview(task)
    for role in ("supervisor", "user", "outsider"):
        response = client_for(people[role]).delete(f"/api/data/preview-files/{preview.id}?force=true")
        assert response.status_code == 403, role
    assert PreviewFile.objects.filter(pk=preview.pk).exists()
    assert api.delete(f"/api/data/preview-files/{uuid.uuid4()}?force=true").status_code == 404


# --- persons -----------------------------------------------------------------------------------


PERSON_DEPENDENTS = (
    Person,
    Comment,
    ProjectPersonLink,
    TaskPersonLink,
    TimeSpent,
    ApiEvent,
    Notification,
    DepartmentLink,
)


@pytest.mark.parametrize("link", ["team", "assignation", "time spent", "event", "mention"])
def test_person_in_use_is_not_deleted_without_force(api, project, task, people, link):
    person = make_person("user")
    if link == "team":
        join(project, person)
        kind = "project teams"
    elif link == "assignation":
        task.assignees.add(person)
        kind = "task assignations"
    elif link == "time spent":
        TimeSpent.objects.create(task=task, person=person, duration=60, date="2026-01-02")
        kind = "time spents"
    elif link == "event":
        record_event("task:update", {"task_id": str(task.pk)}, user=person)
        kind = "events"
    else:
        CommentMention.objects.create(comment=make_comment(task, people["user"]), person=person)
        kind = "comment mentions"
    before = counts(*PERSON_DEPENDENTS)
    response = api.delete(f"/api/data/persons/{person.id}")
    assert response.status_code == 400
    assert kind in response.json()["message"] and "force=true" in response.json()["message"]
    assert counts(*PERSON_DEPENDENTS) == before


def test_person_with_department_only_is_deleted_without_force(api):
    person = make_person("user")
    DepartmentLink.objects.create(person=person, department=factories.make_department())
    assert api.delete(f"/api/data/persons/{person.id}").status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists() and not DepartmentLink.objects.exists()
    assert ApiEvent.objects.filter(name="person:delete").count() == 1


def test_forced_person_deletion_removes_or_detaches_what_they_left(
    api, project, asset, task, people, file_status
):
    person, colleague = join(project, make_person("user")), people["user"]
    other_task = factories.make_task(asset, factories.make_task_type(name="Rigging"))
    # Their comment, with a preview, an attachment, a notification and news.
    preview = make_preview(task, person=person)
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=preview.pk)
    comment = make_comment(task, person, text="mine", preview_file=preview)
    CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
    AttachmentFile.objects.create(comment=comment, name="notes.txt")
    Notification.objects.create(person=colleague, author=person, comment=comment, type="comment")
    News.objects.create(author=person, task=task, comment=comment)
    # Others' comments they acknowledged, were mentioned in or edited.
    kept = make_comment(other_task, colleague, text="theirs", editor=person)
    CommentAcknowledgement.objects.create(comment=kept, person=person)
    CommentMention.objects.create(comment=kept, person=person)
    # Their own rows.
    record_event("task:update", {"task_id": str(task.pk)}, user=person)
    Notification.objects.create(person=person, author=colleague, task=task, type="assignation")
    group = SearchFilterGroup.objects.create(list_type="asset", person=person)
    SearchFilter.objects.create(list_type="asset", person=colleague, search_filter_group=group)
    SearchFilter.objects.create(list_type="asset", person=person)
    LoginLog.objects.create(person=person)
    DesktopLoginLog.objects.create(person=person, date="2026-01-02T10:00:00Z")
    Subscription.objects.create(task=other_task, person=person)
    TimeSpent.objects.create(task=other_task, person=person, duration=60, date="2026-01-02")
    TimeSpent.objects.create(task=other_task, person=colleague, duration=30, date="2026-01-02")
    Task.objects.filter(pk=other_task.pk).update(duration=90, assigner=person)
    other_task.assignees.add(person)
    chat = Chat.objects.create(object_id=asset.pk)
    ChatParticipant.objects.create(chat=chat, person=person)
    DepartmentLink.objects.create(person=person, department=factories.make_department())
    # What they made, which stays without them.
    working_file = WorkingFile.objects.create(task=other_task, person=person, name="scene")
    output = OutputFile.objects.create(name="out", revision=1, file_status=file_status, person=person)
    their_preview = make_preview(other_task, person=person)
    Entity.objects.filter(pk=asset.pk).update(created_by=person)
    playlist = Playlist.objects.create(name="Dailies", project=project, created_by=person)
    version = EntityVersion.objects.create(name="v1", entity=asset, person=person)

    assert api.delete(f"/api/data/persons/{person.id}?force=true").status_code == 204

    assert not Person.objects.filter(pk=person.pk).exists()
    assert list(Comment.objects.all()) == [kept]
    assert not PreviewFile.objects.filter(pk=preview.pk).exists()
    assert not AttachmentFile.objects.exists() and not News.objects.exists()
    assert not Notification.objects.exists()
    assert not CommentAcknowledgement.objects.exists() and not CommentMention.objects.exists()
    assert not ApiEvent.objects.filter(user=person.pk).exists()
    assert list(SearchFilter.objects.all()) == [] and not SearchFilterGroup.objects.exists()
    assert not LoginLog.objects.exists() and not DesktopLoginLog.objects.exists()
    assert not Subscription.objects.exists()
    assert list(TimeSpent.objects.values_list("person", flat=True)) == [colleague.pk]
    assert not ProjectPersonLink.objects.filter(person=person.pk).exists()
    assert not TaskPersonLink.objects.exists() and not ChatParticipant.objects.exists()
    assert not DepartmentLink.objects.exists()
    kept.refresh_from_db()
    task.refresh_from_db()
    other_task.refresh_from_db()
    assert kept.editor is None
    assert task.last_preview_file_id is None
    assert other_task.assigner is None and other_task.duration == 30
    for row in (working_file, output, their_preview, version):
        row.refresh_from_db()
        assert row.person is None, row
    asset.refresh_from_db()
    playlist.refresh_from_db()
    assert asset.created_by is None and playlist.created_by is None
    assert_no_dangling_rows()


def test_forced_person_deletion_stops_at_their_day_offs(api, task):
    person = make_person("user")
    comment = make_comment(task, person, text="mine")
    DayOff.objects.create(person=person, date="2026-01-05", end_date="2026-01-06")
    response = api.delete(f"/api/data/persons/{person.id}?force=true")
    assert response.status_code == 400 and "day offs" in response.json()["message"]
    assert Person.objects.filter(pk=person.pk).exists()
    assert Comment.objects.filter(pk=comment.pk).exists()  # the whole deletion rolled back


def test_protected_account_is_never_deleted(api):
    person = make_person("user", email="keeper@example.com")
    with override_settings(PROTECTED_ACCOUNTS=["Keeper@example.com"]):
        assert api.delete(f"/api/data/persons/{person.id}?force=true").status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_person_deletion_refused_role_self_and_missing(api, admin, people):
    person = make_person("user")
    LoginLog.objects.create(person=person)
    for role in ("manager", "user"):
        response = client_for(people[role]).delete(f"/api/data/persons/{person.id}?force=true")
        assert response.status_code == 403, role
    assert api.delete(f"/api/data/persons/{admin.id}?force=true").status_code == 403
    assert Person.objects.filter(pk=person.pk).exists() and LoginLog.objects.count() == 1
    assert api.delete(f"/api/data/persons/{uuid.uuid4()}?force=true").status_code == 404


# --- projects (the service; ProjectsPolicy wires it) ------------------------------------------


@pytest.fixture
def closed():
    return factories.make_project(name="Old show", project_status=factories.make_project_status("Closed"))


def test_open_project_is_never_deleted(project):
    with pytest.raises(WrongParameter, match="Only closed projects can be deleted"):
        deletion.check_project_deletable(project)
    with pytest.raises(WrongParameter):
        deletion.remove_project(project, force=True)
    assert Project.objects.filter(pk=project.pk).exists()
    no_status = factories.make_project(name="No status", project_status=None)
    deletion.check_project_deletable(no_status)  # only the "Open" status holds a project back


def test_project_with_links_only_is_deleted_without_force(closed, admin):
    join(closed, make_person("user"))
    ProjectTaskTypeLink.objects.create(project=closed, task_type=factories.make_task_type())
    ProductionScheduleVersion.objects.create(name="v1", project=closed)
    account = make_person("user", preview_project=closed)
    LoginLog.objects.create(person=account)
    deletion.remove_project(closed, force=False, user=admin)
    assert not Project.objects.filter(pk=closed.pk).exists()
    assert not ProjectPersonLink.objects.exists() and not ProjectTaskTypeLink.objects.exists()
    assert not ProductionScheduleVersion.objects.exists()
    assert not Person.objects.filter(pk=account.pk).exists() and not LoginLog.objects.exists()
    assert ApiEvent.objects.filter(name="person:delete", data__person_id=str(account.pk)).exists()
    assert_no_dangling_rows()


def test_project_in_use_is_not_deleted_without_force(closed):
    task = factories.make_task(factories.make_asset(closed))
    Milestone.objects.create(name="Delivery", project=closed)
    account = make_person("user", preview_project=closed)
    before = counts(Project, Task, Entity, Milestone, Person)
    with pytest.raises(WrongParameter) as refused, transaction.atomic():
        deletion.remove_project(closed, force=False)
    message = str(refused.value.detail)
    for kind in ("entities", "milestones", "tasks", "force=true"):
        assert kind in message, kind
    assert counts(Project, Task, Entity, Milestone, Person) == before
    assert Task.objects.filter(pk=task.pk).exists() and Person.objects.filter(pk=account.pk).exists()


def test_project_deletion_refused_role_and_missing(closed, people):
    factories.make_task(factories.make_asset(closed))
    manager = join(closed, make_person("manager"), role="manager")
    assert client_for(manager).delete(f"/api/data/projects/{closed.id}?force=true").status_code == 403
    assert Project.objects.filter(pk=closed.pk).exists() and Task.objects.count() == 1
    admin_api = client_for(make_person("admin"))
    assert admin_api.delete(f"/api/data/projects/{uuid.uuid4()}?force=true").status_code == 404


def test_forced_project_deletion_takes_everything_it_owns(closed, admin, file_status):
    artist = join(closed, make_person("user"))
    other_show = factories.make_project(name="Other show")
    survivor = factories.make_task(factories.make_asset(other_show))
    episode = factories.make_episode(closed)
    sequence = factories.make_sequence(closed, episode)
    shot = factories.make_shot(closed, sequence)
    hero = factories.make_asset(closed, name="Hero")
    prop = factories.make_asset(closed, name="Sword", source=episode)
    task = factories.make_task(hero, factories.make_task_type(name="Modeling"))
    shot_task = factories.make_task(shot, factories.make_task_type(name="Animation", for_entity="Shot"))
    task.assignees.add(artist)
    preview = make_preview(task)
    Entity.objects.filter(pk=hero.pk).update(preview_file=preview)
    comment = make_comment(task, artist, preview_file=preview)
    AttachmentFile.objects.create(comment=comment, name="notes.txt")
    News.objects.create(author=artist, task=task, comment=comment, preview_file=preview)
    Notification.objects.create(person=admin, author=artist, comment=comment, task=task, type="comment")
    TimeSpent.objects.create(task=shot_task, person=artist, duration=60, date="2026-01-02")
    Subscription.objects.create(task=shot_task, person=artist)
    Subscription.objects.create(entity=hero, person=artist)
    EntityLink.objects.create(entity_in=shot, entity_out=hero)
    instance = AssetInstance.objects.create(asset=prop, number=1)
    AssetInstanceLink.objects.create(entity=shot, asset_instance=instance)
    EntityVersion.objects.create(name="v1", entity=shot, person=artist)
    working_file = WorkingFile.objects.create(entity=hero, name="scene", revision=1)
    OutputFile.objects.create(name="out", revision=1, file_status=file_status, source_file=working_file)
    OutputFile.objects.create(name="inst", revision=1, file_status=file_status, asset_instance=instance)
    chat = Chat.objects.create(object_id=hero.pk)
    ChatParticipant.objects.create(chat=chat, person=artist)
    message = ChatMessage.objects.create(chat=chat, person=artist, text="hi")
    AttachmentFile.objects.create(chat_message=message, name="ref.png")
    playlist = Playlist.objects.create(name="Dailies", project=closed, episode=episode)
    BuildJob.objects.create(playlist=playlist)
    PlaylistShareLink.objects.create(token="t0k3n", playlist=playlist, created_by=artist)
    Notification.objects.create(person=artist, author=admin, playlist=playlist, type="playlist-ready")
    budget = Budget.objects.create(project=closed, name="Budget")
    BudgetEntry.objects.create(
        budget=budget,
        department=factories.make_department(),
        start_date="2026-01-01",
        months_duration=2,
        daily_salary=300,
    )
    descriptor = MetadataDescriptor.objects.create(
        project=closed, entity_type="Asset", name="Size", field_name="size"
    )
    DepartmentMetadataDescriptorLink.objects.create(
        metadata_descriptor=descriptor, department=factories.make_department()
    )
    Milestone.objects.create(name="Delivery", project=closed)
    ScheduleItem.objects.create(project=closed, task_type=task.task_type, object_id=hero.pk)
    version = ProductionScheduleVersion.objects.create(name="v1", project=closed)
    ProductionScheduleVersionTaskLink.objects.create(production_schedule_version=version, task=task)
    Project.objects.filter(pk=closed.pk).update(from_schedule_version=version)
    SearchFilterGroup.objects.create(list_type="asset", project=closed)
    SearchFilter.objects.create(list_type="asset", project=closed, person=artist)
    record_event("task:update", {"task_id": str(task.pk)}, project_id=closed.pk, user=artist)
    account = make_person("user", preview_project=closed)
    file = stored_file(preview.pk)

    deletion.remove_project(closed, force=True, user=admin)

    assert list(Project.objects.all()) == [other_show]
    assert list(Task.objects.all()) == [survivor]
    assert list(Entity.objects.all()) == [survivor.entity]
    assert Person.objects.filter(pk=artist.pk).exists() and not Person.objects.filter(pk=account.pk).exists()
    for model in (
        PreviewFile,
        Comment,
        AttachmentFile,
        News,
        Notification,
        TimeSpent,
        Subscription,
        TaskPersonLink,
        EntityLink,
        AssetInstance,
        AssetInstanceLink,
        EntityVersion,
        WorkingFile,
        OutputFile,
        Chat,
        ChatMessage,
        ChatParticipant,
        Playlist,
        BuildJob,
        PlaylistShareLink,
        Budget,
        BudgetEntry,
        MetadataDescriptor,
        DepartmentMetadataDescriptorLink,
        Milestone,
        ScheduleItem,
        ProductionScheduleVersion,
        ProductionScheduleVersionTaskLink,
        SearchFilter,
        SearchFilterGroup,
        ProjectPersonLink,
    ):
        assert not model.objects.exists(), model.__name__
    assert not ApiEvent.objects.filter(project__isnull=False).exists()
    file.refresh_from_db()
    assert file.deleted_at is None  # in the trash
    purge_trash()
    file.refresh_from_db()
    assert file.deleted_at is not None and file.purge_forced
    assert_no_dangling_rows()
