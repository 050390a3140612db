"""`manage.py doctor`: each check finds a database made inconsistent on purpose (through the ORM,
around the services) with the right count and example, `--fix` repairs what is fixable and says
so, and a clean database gives no problem and exit code 0."""

import io
import uuid
from datetime import timedelta

import orjson
import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets.models import EntityLink
from files.media.storage import media_key
from files.models import PreviewFile, StoredFile
from kitsu_server.core.doctor import load_checks, run_checks
from kitsu_server.core.models import Job
from kitsu_server.core.trash_models import TrashItem
from people.models import AuthToken, LoginLog
from productions.models import ProjectTaskTypeLink, ScheduleItem
from tasks.models import Chat, Comment, Task
from tests import factories


def doctor(*args):
    """(exit code, the --json body) of `manage.py doctor`."""
    out = io.StringIO()
    code = 0
    try:
        call_command("doctor", "--json", *args, stdout=out)
    except SystemExit as exit:
        code = exit.code
    return code, orjson.loads(out.getvalue())


def finding(body, name):
    return next(check for check in body["checks"] if check["name"] == name)


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "previews"
    return settings.MEDIA_ROOT


@pytest.fixture
def production(db):
    project = factories.make_project(name="Doctor Show")
    sequence = factories.make_sequence(project, name="SQ010")
    shot = factories.make_shot(project, sequence, name="SH0010")
    asset = factories.make_asset(project, name="Bunny")
    task_type = factories.make_task_type(name="Animation", for_entity="Shot")
    todo = factories.make_task_status(name="Todo", short_name="todo")
    task = factories.make_task(shot, task_type=task_type, task_status=todo)
    return {
        "project": project,
        "sequence": sequence,
        "shot": shot,
        "asset": asset,
        "task": task,
        "todo": todo,
    }


def comment(task, status, person, at):
    return Comment.objects.create(
        object_id=task.pk, object_type="Task", task_status=status, person=person, text="note", created_at=at
    )


def test_a_clean_database_has_no_problem_and_exits_0(production):
    code, body = doctor()
    assert code == 0
    assert body["problems"] == 0
    assert [check["name"] for check in body["checks"]] == list(load_checks())
    assert all(check["count"] == 0 and check["example"] == "" for check in body["checks"])


def test_the_table_says_each_check_and_the_total(production):
    out = io.StringIO()
    Task.objects.filter(pk=production["task"].pk).update(retake_count=3)
    with pytest.raises(SystemExit) as exit:
        call_command("doctor", stdout=out)
    assert exit.value.code == 1
    text = out.getvalue()
    assert text.splitlines()[0].split() == ["check", "severity", "count", "fixable", "example"]
    assert "task-retake-count" in text and "Doctor Show / SQ010 / SH0010 / Animation: retake count 3" in text
    assert "1 problems in 1 of" in text


def test_a_task_whose_entity_is_in_another_production(production):
    other = factories.make_project(name="Other Show")
    Task.objects.filter(pk=production["task"].pk).update(project=other)
    code, body = doctor("--check", "task-entity-project")
    assert code == 1
    found = finding(body, "task-entity-project")
    assert found["count"] == 1
    assert found["example"] == "Other Show / SQ010 / SH0010 / Animation: its entity is in Doctor Show"
    assert found["example_id"] == str(production["task"].pk)
    assert found["fixable"] is False
    # Report-only: --fix leaves it, and says nothing was done.
    code, body = doctor("--check", "task-entity-project", "--fix")
    assert code == 1 and body["fixed"] == []
    assert Task.objects.get(pk=production["task"].pk).project_id == other.pk


def test_a_task_whose_type_is_not_in_its_production_settings(production):
    ProjectTaskTypeLink.objects.create(project=production["project"], task_type=factories.make_task_type())
    code, body = doctor("--check", "task-project-settings")
    found = finding(body, "task-project-settings")
    assert (code, found["count"]) == (1, 1)
    assert found["example"].startswith("Doctor Show / SQ010 / SH0010 / Animation, status Todo")
    ProjectTaskTypeLink.objects.create(project=production["project"], task_type=production["task"].task_type)
    assert doctor("--check", "task-project-settings")[0] == 0


def test_casting_stats_out_of_date_are_recounted(production):
    shot, asset = production["shot"], production["asset"]
    EntityLink.objects.create(entity_in=shot, entity_out=asset)  # around the service: stats not moved
    code, body = doctor("--check", "casting-stats")
    found = finding(body, "casting-stats")
    assert (code, found["count"]) == (1, 1)
    assert found["example"] == "Doctor Show / SQ010 / SH0010: 0 cast instead of 1"
    code, body = doctor("--check", "casting-stats", "--fix")
    assert code == 0
    assert body["fixed"] == [
        {
            "name": "casting-stats",
            "done": "1 shots' casting stats recounted",
            "count_before": 1,
            "count_after": 0,
        }
    ]
    shot.refresh_from_db()
    assert shot.nb_entities_out == 1


def test_a_canceled_asset_is_not_counted_in_casting_stats(production):
    shot, asset = production["shot"], production["asset"]
    EntityLink.objects.create(entity_in=shot, entity_out=asset)
    asset.canceled = True
    asset.save()
    assert doctor("--check", "casting-stats")[0] == 0


def test_comments_and_chats_of_rows_that_are_gone(production, admin_person):
    ghost = uuid.uuid4()
    orphan = Comment.objects.create(
        object_id=ghost, object_type="Task", person=admin_person, text="lost words"
    )
    Chat.objects.create(object_id=ghost, object_type="entity")
    code, body = doctor("--check", "comment-orphans", "--check", "chat-orphans", "--fix")
    assert code == 1 and body["fixed"] == []  # report-only: what persons wrote stays
    found = finding(body, "comment-orphans")
    assert found["count"] == 1 and found["example_id"] == str(orphan.pk)
    assert f"on task {ghost}: 'lost words'" in found["example"]
    assert finding(body, "chat-orphans")["count"] == 1
    assert Comment.objects.filter(pk=orphan.pk).exists()


def test_schedule_items_of_entities_that_are_gone_are_removed(production):
    project, task_type = production["project"], production["task"].task_type
    ScheduleItem.objects.create(project=project, task_type=task_type, object_id=production["sequence"].pk)
    ScheduleItem.objects.create(project=project, task_type=task_type, object_id=None)  # the production's
    lost = ScheduleItem.objects.create(project=project, task_type=task_type, object_id=uuid.uuid4())
    code, body = doctor("--check", "schedule-item-orphans")
    found = finding(body, "schedule-item-orphans")
    assert (code, found["count"], found["example_id"]) == (1, 1, str(lost.pk))
    code, body = doctor("--check", "schedule-item-orphans", "--fix")
    assert code == 0 and body["fixed"][0]["done"] == "1 schedule items of entities that are gone removed"
    assert ScheduleItem.objects.count() == 2


def test_last_comment_date_and_retake_count_are_recomputed(production, admin_person):
    task, todo = production["task"], production["todo"]
    retake = factories.make_task_status(name="Retake", short_name="rtk", is_retake=True)
    start = timezone.now() - timedelta(days=3)
    comment(task, retake, admin_person, start)
    comment(task, retake, admin_person, start + timedelta(hours=1))  # still in retake: counts once
    comment(task, todo, admin_person, start + timedelta(hours=2))
    newest = comment(task, retake, admin_person, start + timedelta(hours=3))
    code, body = doctor("--check", "task-last-comment-date", "--check", "task-retake-count")
    assert code == 1
    assert finding(body, "task-last-comment-date")["count"] == 1
    assert (
        finding(body, "task-retake-count")["example"]
        == "Doctor Show / SQ010 / SH0010 / Animation: retake count 0"
    )
    code, body = doctor("--check", "task-last-comment-date", "--check", "task-retake-count", "--fix")
    assert code == 0
    assert [repair["done"] for repair in body["fixed"]] == [
        "1 tasks' last comment date set from their comments",
        "1 tasks' retake count recounted from their comments",
    ]
    task.refresh_from_db()
    assert task.retake_count == 2
    assert task.last_comment_date == newest.created_at


def test_last_preview_is_the_newest_ready_main_preview(production):
    task = production["task"]
    old = PreviewFile.objects.create(task=task, revision=1, extension="png", status="ready", name="a")
    new = PreviewFile.objects.create(task=task, revision=2, extension="png", status="ready", name="b")
    PreviewFile.objects.create(task=task, revision=3, extension="png", status="processing", name="c")
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=old.pk)
    code, body = doctor("--check", "task-last-preview", "--fix")
    assert code == 0 and body["fixed"][0]["count_before"] == 1
    task.refresh_from_db()
    assert task.last_preview_file_id == new.pk
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=uuid.uuid4())  # a preview that is gone
    assert finding(doctor("--check", "task-last-preview")[1], "task-last-preview")["count"] == 1


def test_an_entity_showing_the_preview_of_another(production):
    other_task = factories.make_task(production["asset"], task_type=production["task"].task_type)
    preview = PreviewFile.objects.create(task=other_task, revision=1, extension="png", status="ready")
    shot = production["shot"]
    shot.preview_file = preview
    shot.save()
    code, body = doctor("--check", "entity-preview-elsewhere")
    found = finding(body, "entity-preview-elsewhere")
    assert (code, found["count"]) == (1, 1)
    assert found["example"] == f"Doctor Show / SQ010 / SH0010: shows preview {preview.pk} of Bunny"


def store(key, data=b"x"):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save(key, ContentFile(data))


def test_ready_previews_whose_media_is_missing_from_storage(production):
    task = production["task"]
    whole = PreviewFile.objects.create(task=task, revision=1, extension="png", status="ready", name="a")
    store(media_key("pictures", "original", whole.pk))
    store(media_key("pictures", "thumbnails", whole.pk))
    movie = PreviewFile.objects.create(task=task, revision=2, extension="mp4", status="ready", name="b")
    store(media_key("movies", "lowdef", movie.pk))
    store(media_key("pictures", "thumbnails", movie.pk))
    pdf = PreviewFile.objects.create(task=task, revision=3, extension="pdf", status="ready", name="c")
    store(media_key("files", "previews", pdf.pk))
    PreviewFile.objects.create(task=task, revision=4, extension="png", status="broken", name="d")
    assert doctor("--check", "preview-media-missing")[0] == 0
    lost = PreviewFile.objects.create(task=task, revision=5, extension="png", status="ready", name="e")
    store(media_key("pictures", "thumbnails", lost.pk))
    code, body = doctor("--check", "preview-media-missing", "--fix")
    found = finding(body, "preview-media-missing")
    assert (code, found["count"], body["fixed"]) == (1, 1, [])
    assert found["example"] == (
        f"preview {lost.pk} (Doctor Show / SQ010 / SH0010 / Animation, v5, png): missing pictures/original"
    )


def test_stored_files_whose_owner_is_gone_are_marked_deleted(production):
    preview = PreviewFile.objects.create(task=production["task"], revision=1, extension="png", status="ready")
    StoredFile.objects.create(
        bucket="pictures", key=f"original-{preview.pk}", prefix="original", file_id=str(preview.pk)
    )
    avatar = StoredFile.objects.create(
        bucket="pictures",
        key=f"thumbnails-{production['project'].pk}",
        prefix="thumbnails",
        file_id=str(production["project"].pk),
    )
    ghost = uuid.uuid4()
    orphan = StoredFile.objects.create(
        bucket="movies", key=f"previews-{ghost}", prefix="previews", file_id=str(ghost)
    )
    StoredFile.objects.create(bucket="movies", key="previews-junk", prefix="previews", file_id="not-a-uuid")
    code, body = doctor("--check", "stored-file-orphans")
    found = finding(body, "stored-file-orphans")
    assert (code, found["count"]) == (1, 2)
    code, body = doctor("--check", "stored-file-orphans", "--fix")
    assert code == 0 and body["fixed"][0]["done"] == "2 stored files marked deleted, for the purge"
    orphan.refresh_from_db()
    avatar.refresh_from_db()
    assert orphan.deleted_at is not None and avatar.deleted_at is None


def test_stored_files_in_states_that_cannot_be(db):
    now = timezone.now()
    purged = StoredFile.objects.create(bucket="files", key="a", prefix="previews", file_id="1", purged_at=now)
    StoredFile.objects.create(bucket="files", key="b", prefix="previews", file_id="2", purge_forced=True)
    StoredFile.objects.create(
        bucket="files",
        key="c",
        prefix="previews",
        file_id="3",
        deleted_at=now,
        purged_at=now - timedelta(hours=1),
    )
    StoredFile.objects.create(
        bucket="files", key="d", prefix="previews", file_id="4", deleted_at=now, purged_at=now
    )
    code, body = doctor("--check", "stored-file-states")
    assert (code, finding(body, "stored-file-states")["count"]) == (1, 3)
    code, body = doctor("--check", "stored-file-states", "--fix")
    assert code == 0
    purged.refresh_from_db()
    assert purged.deleted_at == purged.purged_at


def test_deactivated_persons_lose_their_tokens_and_sessions(db, admin_person):
    now = timezone.now()
    leaver = factories.make_person(first_name="Lea", last_name="Ver", email="lea@example.com")
    bot = factories.make_person(
        first_name="Build", last_name="Bot", email="bot@example.com", is_bot=True, jti="j1"
    )
    keeper = factories.make_person(email="keeper@example.com")
    AuthToken.objects.create(
        kind="reset-password", key="k1", person=leaver, expires_at=now + timedelta(hours=1)
    )
    AuthToken.objects.create(
        kind="reset-password", key="k2", person=keeper, expires_at=now + timedelta(hours=1)
    )
    LoginLog.objects.create(person=leaver)
    session = SessionStore()
    session[SESSION_KEY] = str(leaver.pk)
    session.create()
    leaver.active = False
    leaver.save()
    bot.active = False
    bot.save()
    code, body = doctor("--check", "inactive-person-tokens")
    found = finding(body, "inactive-person-tokens")
    assert (code, found["count"]) == (1, 2)
    examples = {
        str(leaver.pk): "Lea Ver <lea@example.com> (user): one-time codes or links, a back-office session, "
        "login tokens (logged in within the last 15 days)",
        str(bot.pk): "Build Bot <bot@example.com> (user): an API token",
    }
    assert found["example"] == examples[found["example_id"]]
    generation = leaver.token_generation
    code, body = doctor("--check", "inactive-person-tokens", "--fix")
    assert code == 0
    assert body["fixed"][0]["done"] == (
        "1 one-time codes removed, 1 API tokens revoked, 1 sessions ended, "
        "the login tokens of 1 persons revoked"
    )
    leaver.refresh_from_db()
    bot.refresh_from_db()
    assert leaver.token_generation == generation + 1 and bot.jti is None
    assert AuthToken.objects.filter(person=keeper).count() == 1  # active persons keep theirs
    # A login after the cut (reactivated, then deactivated again) is found again.
    LoginLog.objects.create(person=leaver, created_at=timezone.now() + timedelta(seconds=1))
    assert finding(doctor("--check", "inactive-person-tokens")[1], "inactive-person-tokens")["count"] == 1


def test_stale_jobs_are_marked_failed_and_expired_trash_is_reported(production):
    old = timezone.now() - timedelta(days=2)
    stale = Job.objects.create(name="casting-stats.refresh", key="k-stale", state="running")
    Job.objects.filter(pk=stale.pk).update(updated_at=old)
    Job.objects.create(name="casting-stats.refresh", key="k-fresh", state="running")
    TrashItem.objects.create(
        model="tasks.task",
        object_id=uuid.uuid4(),
        name="SH0010 / Animation",
        project_id=production["project"].pk,
        project_name="Doctor Show",
        trashed_at=old,
        expires_at=old + timedelta(days=1),
    )
    code, body = doctor("--check", "stale-jobs", "--check", "expired-trash", "--fix")
    assert code == 1  # the trash is for its purge
    assert body["fixed"][0]["done"] == "1 jobs marked failed (abandoned)"
    assert finding(body, "stale-jobs")["count"] == 0
    assert finding(body, "expired-trash")["count"] == 1
    assert Job.objects.get(pk=stale.pk).state == "failed"


def test_project_scope_skips_studio_wide_checks_and_other_productions(production):
    other = factories.make_project(name="Other Show")
    shot = factories.make_shot(other, factories.make_sequence(other))
    EntityLink.objects.create(entity_in=shot, entity_out=factories.make_asset(other))
    code, body = doctor("--project", "doctor show")
    assert code == 0
    assert finding(body, "inactive-person-tokens")["skipped"] == "studio-wide"
    assert doctor("--project", str(other.pk))[0] == 1
    code, body = doctor("--project", "Doctor Show", "--fix")  # fixes nothing of the other production
    assert body["fixed"] == []
    assert doctor("--project", "Other Show", "--fix")[0] == 0


def test_a_check_that_fails_is_a_problem_and_the_others_run(production, monkeypatch):
    import files.doctor

    def unreachable(bucket, prefix):
        raise OSError("the bucket does not answer")

    PreviewFile.objects.create(task=production["task"], revision=1, extension="png", status="ready")
    monkeypatch.setattr(files.doctor, "stored_ids", unreachable)
    code, body = doctor()
    assert code == 1
    assert finding(body, "preview-media-missing")["error"] == "OSError: the bucket does not answer"
    assert finding(body, "task-last-preview")["count"] == 1  # the checks after it ran
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("doctor", "--check", "preview-media-missing", stdout=out)
    assert out.getvalue().splitlines()[1:] == [
        "preview-media-missing  error     failed  no       OSError: the bucket does not answer",
        out.getvalue().splitlines()[2],
    ]
    assert out.getvalue().splitlines()[2].startswith("1 checks failed (")


def test_unknown_check_and_project_are_errors(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown check: nope"):
        call_command("doctor", "--check", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No project named 'Nowhere'"):
        call_command("doctor", "--project", "Nowhere", stdout=io.StringIO())


def test_a_fix_that_fails_writes_nothing(production, monkeypatch):
    from kitsu_server.core.doctor import CHECKS

    EntityLink.objects.create(entity_in=production["shot"], entity_out=production["asset"])
    Task.objects.filter(pk=production["task"].pk).update(retake_count=5)

    def broken(project):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(CHECKS["task-retake-count"], "fix", broken)
    with pytest.raises(RuntimeError):
        doctor("--check", "casting-stats", "--check", "task-retake-count", "--fix")
    production["shot"].refresh_from_db()
    assert production["shot"].nb_entities_out == 0  # the casting fix ran first and was rolled back


@pytest.mark.parametrize("size", [1, 20])
def test_queries_do_not_grow_with_the_production(db, size, admin_person):
    project = factories.make_project()
    sequence = factories.make_sequence(project)
    task_type = factories.make_task_type()
    for _ in range(size):
        shot = factories.make_shot(project, sequence)
        task = factories.make_task(shot, task_type=task_type, retake_count=1)
        EntityLink.objects.create(entity_in=shot, entity_out=factories.make_asset(project))
        PreviewFile.objects.create(task=task, revision=1, extension="png", status="ready")
        Comment.objects.create(object_id=uuid.uuid4(), object_type="Task", person=admin_person)
    load_checks()
    with CaptureQueriesContext(connection) as queries:
        findings = run_checks()
    assert {f.name: f.count for f in findings if f.count} == {
        "casting-stats": size,
        "comment-orphans": size,
        "task-retake-count": size,
        "task-last-preview": size,
        "preview-media-missing": size,
    }
    assert len(queries) <= 2 * len(findings) + 3
