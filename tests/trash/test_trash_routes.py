"""The trash: deletions of entities, tasks, comments, playlists and projects kept whole, listed and
restored at `/api/trash...`, purged by a job; what the API reads after a restore is what it read
before the deletion (the rows' `updated_at` aside: restored rows are new to delta reads)."""

import uuid

import pytest
from django.db import transaction

from assets.models import Entity, EntityLink
from files.models import AttachmentFile, Playlist, PreviewFile, StoredFile
from kitsu_server.core.trash import services
from kitsu_server.core.trash_models import PURGED, PURGING, RESTORED, TRASHED, TrashItem, TrashRow
from productions.models import Project
from tasks.models import ApiEvent, Comment, CommentPreviewLink, News, Notification, Task, TimeSpent
from tests import factories
from tests.factories import client_for, join, make_person

READS = (
    "entities",
    "tasks",
    "comments",
    "preview-files",
    "attachment-files",
    "entity-links",
    "playlists",
    "news",
    "notifications",
    "time-spents",
    "projects",
)


def without_updated_at(value):
    if isinstance(value, dict):
        return {key: without_updated_at(item) for key, item in value.items() if key != "updated_at"}
    if isinstance(value, list):
        return [without_updated_at(item) for item in value]
    return value


def reads(api, *extra):
    """What the API answers on the lists of every kind a deletion touches (and `extra` URLs)."""
    answers = {}
    for path in (*(f"/api/data/{name}" for name in READS), *extra):
        response = api.get(path)
        body = response.json()
        if isinstance(body, list):
            body = sorted(body, key=lambda row: row.get("id", ""))
        answers[path] = (response.status_code, without_updated_at(body))
    return answers


def assert_same_reads(after, before):
    """The reads are equal; else the differing fields of the first differing answer are named."""
    for path, answer in before.items():
        if after[path] != answer:
            (_, body), (_, body_before) = after[path], answer
            if isinstance(body, dict) and isinstance(body_before, dict):
                changed = {
                    key: (body.get(key), body_before.get(key))
                    for key in body.keys() | body_before.keys()
                    if body.get(key) != body_before.get(key)
                }
                raise AssertionError(f"{path}: {changed}")
            raise AssertionError(f"{path}: {after[path]} != {answer}")


def stored(file_id, bucket="pictures"):
    return StoredFile.objects.create(
        bucket=bucket, key=f"k/{file_id}", prefix="original", file_id=str(file_id)
    )


@pytest.fixture
def production(show, team):
    """An asset with two tasks (assignee, comments with a preview and an attachment, time spent,
    news, notification), cast in a shot; a playlist."""
    admin = team["admin"]
    artist = team["user"]
    asset = factories.make_asset(show, name="Hero")
    sequence = factories.make_sequence(show)
    shot = factories.make_shot(show, sequence, name="SH010")
    EntityLink.objects.create(entity_in=shot, entity_out=asset, nb_occurences=2)
    modeling = factories.make_task_type(name="Modeling")
    rigging = factories.make_task_type(name="Rigging")
    task = factories.make_task(asset, modeling)
    other = factories.make_task(asset, rigging)
    factories.assign(task, artist)
    status = task.task_status
    preview = PreviewFile.objects.create(task=task, name="v1", revision=1, extension="png", status="ready")
    Entity.objects.filter(pk=asset.pk).update(preview_file=preview)
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=preview.pk)
    comment = Comment.objects.create(
        object_id=task.pk,
        object_type="Task",
        person=artist,
        task_status=status,
        text="first",
        preview_file=preview,
    )
    CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
    attachment = AttachmentFile.objects.create(name="notes.txt", extension="txt", comment=comment)
    Comment.objects.create(
        object_id=other.pk, object_type="Task", person=admin, task_status=status, text="other"
    )
    News.objects.create(author=artist, task=task, comment=comment, preview_file=preview)
    Notification.objects.create(person=admin, author=artist, comment=comment, task=task, type="comment")
    TimeSpent.objects.create(task=task, person=artist, duration=120, date="2026-01-02")
    playlist = Playlist.objects.create(name="Dailies", project=show, shots=[])
    files = [stored(preview.pk), stored(attachment.pk, bucket="files")]
    return {
        "asset": asset,
        "shot": shot,
        "task": task,
        "other": other,
        "comment": comment,
        "preview": preview,
        "attachment": attachment,
        "playlist": playlist,
        "files": files,
    }


def only_item():
    items = list(TrashItem.objects.all())
    assert len(items) == 1
    return items[0]


def round_trip(api, delete_url, extra_reads=()):
    before = reads(api, *extra_reads)
    response = api.delete(delete_url)
    assert response.status_code in (200, 204), response.content
    item = only_item()
    assert item.state == TRASHED and item.row_count > 0
    assert reads(api, *extra_reads) != before
    response = api.post(f"/api/trash/{item.pk}/restore")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == RESTORED
    assert_same_reads(reads(api, *extra_reads), before)
    assert not TrashRow.objects.filter(item=item).exists()
    return item


# --- delete and restore, each kind -----------------------------------------------------------


def test_forced_asset_deletion_restores_whole(team, production, show):
    api = client_for(team["admin"])
    asset = production["asset"]
    extra = (f"/api/data/assets/{asset.pk}", f"/api/data/projects/{show.pk}/entity-links")
    item = round_trip(api, f"/api/data/assets/{asset.pk}?force=true", extra)
    assert item.model == "assets.entity" and item.object_id == asset.pk and item.name == "Hero"
    assert item.project_id == show.pk and item.deleted_by == team["admin"]
    events = list(
        ApiEvent.objects.filter(name__in=("trash:restore", "asset:new")).values_list("name", "data")
    )
    assert any(name == "asset:new" and data["asset_id"] == str(asset.pk) for name, data in events)
    assert any(name == "trash:restore" and data["trash_item_id"] == str(item.pk) for name, data in events)


def test_the_media_of_trashed_rows_stay_until_the_purge(team, production):
    api = client_for(team["admin"])
    assert api.delete(f"/api/data/assets/{production['asset'].pk}?force=true").status_code == 204
    for row in StoredFile.objects.all():
        assert row.deleted_at is None and row.purged_at is None
    item = only_item()
    counts = api.get(f"/api/trash/{item.pk}").json()["counts"]
    assert counts["assets.entity"] == 1 and counts["tasks.task"] == 2 and counts["tasks.comment"] == 2
    assert counts["files.previewfile"] == 1 and counts["files.attachmentfile"] == 1
    assert counts["assets.entitylink"] == 1 and counts["tasks.timespent"] == 1


def test_an_asset_with_tasks_deleted_without_force_is_canceled_not_trashed(team, production):
    api = client_for(team["admin"])
    assert api.delete(f"/api/data/assets/{production['asset'].pk}").status_code == 204
    assert Entity.objects.get(pk=production["asset"].pk).canceled
    assert not TrashItem.objects.exists() and not TrashRow.objects.exists()


def test_task_deletion_restores_whole(team, production):
    api = client_for(team["admin"])
    task = production["task"]
    item = round_trip(api, f"/api/data/tasks/{task.pk}?force=true", (f"/api/data/tasks/{task.pk}",))
    assert item.model == "tasks.task" and item.object_id == task.pk
    assert ("task:new", str(task.pk)) in [
        (name, data.get("task_id")) for name, data in ApiEvent.objects.values_list("name", "data")
    ]


def test_comment_deletion_restores_whole(team, production):
    api = client_for(team["admin"])
    task, comment = production["task"], production["comment"]
    extra = (f"/api/data/tasks/{task.pk}", f"/api/data/tasks/{task.pk}/comments")
    item = round_trip(api, f"/api/data/tasks/{task.pk}/comments/{comment.pk}", extra)
    assert item.model == "tasks.comment" and item.name == "first"


def test_comment_deletion_through_data_restores_whole(team, production):
    api = client_for(team["admin"])
    round_trip(api, f"/api/data/comments/{production['comment'].pk}")


def test_playlist_deletion_restores_whole(team, production):
    api = client_for(team["admin"])
    playlist = production["playlist"]
    item = round_trip(api, f"/api/data/playlists/{playlist.pk}", (f"/api/data/playlists/{playlist.pk}",))
    assert item.model == "files.playlist"


def test_sequence_forced_deletion_is_one_item(team, production):
    api = client_for(team["admin"])
    sequence = production["shot"].parent
    item = round_trip(api, f"/api/data/sequences/{sequence.pk}?force=true")
    assert item.model == "assets.entity" and item.object_id == sequence.pk


def test_project_deletion_restores_whole(team, production, show):
    closed = factories.make_project_status(name="Closed")
    Project.objects.filter(pk=show.pk).update(project_status=closed)
    api = client_for(team["admin"])
    item = round_trip(api, f"/api/data/projects/{show.pk}?force=true", (f"/api/data/projects/{show.pk}",))
    assert item.model == "productions.project" and item.project_id == show.pk
    # The team came back with it: its manager reads it again.
    assert client_for(team["manager"]).get(f"/api/data/projects/{show.pk}").status_code == 200


# --- lists never show trashed rows -------------------------------------------------------------


def test_lists_and_boards_do_not_show_trashed_rows(team, production, show):
    api = client_for(team["admin"])
    asset = production["asset"]
    assert api.delete(f"/api/data/assets/{asset.pk}?force=true").status_code == 204
    ids = {row["id"] for row in api.get(f"/api/data/assets/with-tasks?project_id={show.pk}").json()}
    assert str(asset.pk) not in ids
    assert str(asset.pk) not in {row["id"] for row in api.get("/api/data/entities").json()}
    assert not api.get(f"/api/data/tasks?entity_id={asset.pk}").json()
    assert api.get(f"/api/data/assets/{asset.pk}").status_code == 404


# --- conflicts -----------------------------------------------------------------------------------


def test_a_name_taken_since_is_a_409_and_nothing_is_written(team, show):
    api = client_for(team["admin"])
    asset = factories.make_asset(show, name="Hero")
    assert api.delete(f"/api/data/assets/{asset.pk}").status_code == 204  # no task: deleted
    item = only_item()
    factories.make_asset(show, asset.entity_type, name="Hero")
    events = ApiEvent.objects.count()
    response = api.post(f"/api/trash/{item.pk}/restore")
    assert response.status_code == 409
    body = response.json()
    assert body["error"] is True and "Hero" in body["message"], body
    assert not Entity.objects.filter(pk=asset.pk).exists()
    item.refresh_from_db()
    assert item.state == TRASHED and TrashRow.objects.filter(item=item).count() > 0
    assert ApiEvent.objects.count() == events


def test_a_row_pointed_at_gone_since_is_a_409_naming_it(team, production):
    api = client_for(team["admin"])
    task = production["other"]
    assert api.delete(f"/api/data/tasks/{task.pk}?force=true").status_code == 204
    item = only_item()
    assert api.delete(f"/api/data/task-types/{task.task_type_id}").status_code == 204
    response = api.post(f"/api/trash/{item.pk}/restore")
    assert response.status_code == 409
    assert "task type" in response.json()["message"]
    assert not Task.objects.filter(pk=task.pk).exists()
    item.refresh_from_db()
    assert item.state == TRASHED


def test_a_restored_item_is_not_restored_twice(team, production):
    api = client_for(team["admin"])
    assert api.delete(f"/api/data/playlists/{production['playlist'].pk}").status_code == 204
    item = only_item()
    assert api.post(f"/api/trash/{item.pk}/restore").status_code == 200
    response = api.post(f"/api/trash/{item.pk}/restore")
    assert response.status_code == 409 and response.json()["error"] is True


# --- purge -----------------------------------------------------------------------------------------


def test_purge_route_runs_the_job_and_releases_the_media(
    team, production, django_capture_on_commit_callbacks
):
    api = client_for(team["admin"])
    assert api.delete(f"/api/data/assets/{production['asset'].pk}?force=true").status_code == 204
    item = only_item()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/trash/{item.pk}/purge")
    assert response.status_code == 202, response.content
    assert response.json()["state"] == PURGING and response.json()["job_id"]
    item.refresh_from_db()
    assert item.state == PURGED and item.purged_at is not None
    rows = TrashRow.objects.filter(item=item)
    assert rows.exists() and not rows.exclude(data=None).exists()  # tombstones
    assert not rows.filter(action="detach").exists()
    for row in StoredFile.objects.all():
        assert row.deleted_at is not None
    assert api.post(f"/api/trash/{item.pk}/restore").status_code == 409
    assert api.get(f"/api/trash/{item.pk}").json()["state"] == PURGED


def test_delete_on_an_item_purges_it(team, production, django_capture_on_commit_callbacks):
    api = client_for(team["admin"])
    assert api.delete(f"/api/data/playlists/{production['playlist'].pk}").status_code == 204
    item = only_item()
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/trash/{item.pk}/").status_code == 202
    item.refresh_from_db()
    assert item.state == PURGED


def test_purge_is_idempotent(team, production):
    api = client_for(team["admin"])
    assert api.delete(f"/api/data/assets/{production['asset'].pk}?force=true").status_code == 204
    item = only_item()
    services.start_purge(item.pk)
    first = services.purge_item(item.pk)
    tombstones = TrashRow.objects.filter(item=item).count()
    second = services.purge_item(item.pk)  # the message delivered again after a worker died
    assert first["state"] == PURGED and second == {"state": PURGED}
    assert TrashRow.objects.filter(item=item).count() == tombstones


def test_a_purge_failing_midway_leaves_everything_restorable(team, production, monkeypatch):
    api = client_for(team["admin"])
    before = reads(api)
    assert api.delete(f"/api/data/assets/{production['asset'].pk}?force=true").status_code == 204
    item = only_item()
    services.start_purge(item.pk)
    calls = []
    real_release = services.release_media

    def dying_release(label, ids, force=False):
        real_release(label, ids, force)
        calls.append(label)
        if len(calls) == 1:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "release_media", dying_release)
    with pytest.raises(RuntimeError):
        services.purge_item(item.pk)
    item.refresh_from_db()
    assert item.state == PURGING
    assert not TrashRow.objects.filter(item=item, data=None).exists()
    assert all(row.deleted_at is None for row in StoredFile.objects.all())
    # An admin may still restore it (or the job runs it again).
    assert api.post(f"/api/trash/{item.pk}/restore").status_code == 200
    assert_same_reads(reads(api), before)


def test_the_sweep_purges_expired_items_and_drops_old_tombstones(team, production, settings):
    from datetime import timedelta

    from django.utils import timezone

    api = client_for(team["admin"])
    assert api.delete(f"/api/data/playlists/{production['playlist'].pk}").status_code == 204
    item = only_item()
    assert services.sweep() == {"purged": 0, "tombstones_dropped": 0}
    later = timezone.now() + timedelta(days=settings.TRASH_RETENTION_DAYS + 1)
    assert services.sweep(later)["purged"] == 1
    item.refresh_from_db()
    assert item.state == PURGED and TrashRow.objects.filter(item=item).exists()
    much_later = timezone.now() + timedelta(days=settings.TRASH_TOMBSTONE_DAYS + 1)
    assert services.sweep(much_later)["tombstones_dropped"] >= 1
    assert not TrashItem.objects.filter(pk=item.pk).exists()


# --- the list, who may do what -----------------------------------------------------------------------


def test_list_filters_and_pages(team, production, show):
    api = client_for(team["admin"])
    assert api.delete(f"/api/data/playlists/{production['playlist'].pk}").status_code == 204
    assert api.delete(f"/api/data/tasks/{production['other'].pk}?force=true").status_code == 204
    rows = api.get("/api/trash").json()
    assert [row["model"] for row in rows] == ["tasks.task", "files.playlist"]  # newest first
    assert rows[0]["type"] == "TrashItem" and rows[0]["project_id"] == str(show.pk)
    assert [row["model"] for row in api.get("/api/trash/?model=files.playlist").json()] == ["files.playlist"]
    assert api.get(f"/api/trash?project_id={uuid.uuid4()}").json() == []
    assert len(api.get("/api/trash?state=trashed").json()) == 2
    page = api.get("/api/trash?page=1&limit=1").json()
    assert page["total"] == 2 and page["nb_pages"] == 2 and len(page["data"]) == 1
    for bad in ("state=gone", "model=people.person", "project_id=nope", "page=1&limit=-1"):
        response = api.get(f"/api/trash?{bad}")
        assert response.status_code == 400 and response.json()["error"] is True, bad


def test_list_costs_the_same_queries_for_1_and_20_items(team, show, django_assert_max_num_queries):
    api = client_for(team["admin"])
    playlists = [Playlist.objects.create(name=f"P{n}", project=show, shots=[]) for n in range(20)]
    assert api.delete(f"/api/data/playlists/{playlists[0].pk}").status_code == 204
    with django_assert_max_num_queries(4) as one:
        assert len(api.get("/api/trash?page=1").json()["data"]) == 1
    queries = len(one.captured_queries)
    for playlist in playlists[1:]:
        assert api.delete(f"/api/data/playlists/{playlist.pk}").status_code == 204
    with django_assert_max_num_queries(queries):
        assert len(api.get("/api/trash?page=1").json()["data"]) == 20


def test_managers_list_and_restore_their_productions_items_only(team, production, show):
    other_show = factories.make_project(name="Other")
    other_playlist = Playlist.objects.create(name="Elsewhere", project=other_show, shots=[])
    admin = client_for(team["admin"])
    assert admin.delete(f"/api/data/playlists/{production['playlist'].pk}").status_code == 204
    assert admin.delete(f"/api/data/playlists/{other_playlist.pk}").status_code == 204
    mine = TrashItem.objects.get(project_id=show.pk)
    theirs = TrashItem.objects.get(project_id=other_show.pk)
    manager = client_for(team["manager"])
    assert [row["id"] for row in manager.get("/api/trash").json()] == [str(mine.pk)]
    assert manager.get(f"/api/trash/{theirs.pk}").status_code == 403
    assert manager.post(f"/api/trash/{theirs.pk}/restore").status_code == 403
    assert manager.post(f"/api/trash/{mine.pk}/purge").status_code == 403
    assert manager.delete(f"/api/trash/{mine.pk}").status_code == 403
    assert manager.post(f"/api/trash/{mine.pk}/restore").status_code == 200
    assert Playlist.objects.filter(pk=production["playlist"].pk).exists()
    assert not Playlist.objects.filter(pk=other_playlist.pk).exists()


def test_managers_do_not_see_a_deleted_production(team, show):
    closed = factories.make_project_status(name="Closed")
    Project.objects.filter(pk=show.pk).update(project_status=closed)
    manager = make_person("manager")
    join(show, manager)
    assert client_for(team["admin"]).delete(f"/api/data/projects/{show.pk}?force=true").status_code == 204
    item = only_item()
    join(factories.make_project(name="Next"), manager)
    assert client_for(manager).get("/api/trash").json() == []
    assert client_for(manager).post(f"/api/trash/{item.pk}/restore").status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "user", "client", "vendor", "outsider"])
def test_other_roles_are_refused(team, production, role):
    assert (
        client_for(team["admin"]).delete(f"/api/data/playlists/{production['playlist'].pk}").status_code
        == 204
    )
    item = only_item()
    api = client_for(team[role])
    for response in (
        api.get("/api/trash"),
        api.get(f"/api/trash/{item.pk}"),
        api.post(f"/api/trash/{item.pk}/restore"),
        api.post(f"/api/trash/{item.pk}/purge"),
    ):
        assert response.status_code == 403 and response.json()["error"] is True
    item.refresh_from_db()
    assert item.state == TRASHED


def test_unknown_and_malformed_ids_are_404(team):
    api = client_for(team["admin"])
    for item_id in (uuid.uuid4(), "not-an-id"):
        assert api.get(f"/api/trash/{item_id}").status_code == 404
        assert api.post(f"/api/trash/{item_id}/restore").status_code == 404
        assert api.post(f"/api/trash/{item_id}/purge").status_code == 404


def test_a_rolled_back_deletion_leaves_no_trash(team, production):
    with pytest.raises(RuntimeError), transaction.atomic():
        from kitsu_server.core import deletion

        deletion.remove_task(production["other"], force=True, user=team["admin"])
        raise RuntimeError
    assert not TrashItem.objects.exists() and Task.objects.filter(pk=production["other"].pk).exists()


def test_episode_forced_deletion_restores_whole(team, show):
    api = client_for(team["admin"])
    episode = factories.make_episode(show)
    sequence = factories.make_sequence(show, episode)
    shot = factories.make_shot(show, sequence)
    factories.make_task(shot, factories.make_task_type(name="Animation", for_entity="Shot"))
    item = round_trip(api, f"/api/data/episodes/{episode.pk}?force=true", (f"/api/data/shots/{shot.pk}",))
    assert item.object_id == episode.pk
    counts = api.get(f"/api/trash/{item.pk}").json()
    assert counts["state"] == RESTORED


def test_entity_deletion_through_data_restores_whole(team, show):
    api = client_for(team["admin"])
    asset = factories.make_asset(show, name="Prop")  # no task: the /data route refuses those (400)
    shot = factories.make_shot(show, factories.make_sequence(show))
    EntityLink.objects.create(entity_in=shot, entity_out=asset, nb_occurences=1)
    item = round_trip(api, f"/api/data/entities/{asset.pk}")
    assert item.model == "assets.entity" and item.name == "Prop"


def test_a_scene_only_canceled_trashes_nothing_and_a_free_one_is_trashed(team, show):
    from shots.models import Scene

    api = client_for(team["admin"])
    sequence = factories.make_sequence(show)
    scene_type = factories.make_asset_type(name="Scene")
    scene = Scene.objects.create(project=show, entity_type=scene_type, parent=sequence, name="SC01")
    round_trip(api, f"/api/data/scenes/{scene.pk}")
