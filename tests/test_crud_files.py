"""Per-model rules of the files app's /data routes: previews, preview backgrounds, attachments,
output and working files, output types, file statuses and playlists."""

import uuid

import pytest

from assets.models import Entity
from files.models import (
    AttachmentFile,
    BuildJob,
    FileStatus,
    OutputFile,
    Playlist,
    PreviewBackgroundFile,
    PreviewFile,
    WorkingFile,
)
from people.models import DepartmentLink
from productions.models import ProjectPersonLink
from tasks.models import ApiEvent, Comment, Notification, Task, TaskType
from tests import factories
from tests.factories import client_for, join

pytestmark = pytest.mark.django_db


def make_person(role="user", **fields):
    return factories.make_person(role=role, password=None, **fields)  # no password: no slow hashing


def event_names():
    return list(ApiEvent.objects.order_by("created_at").values_list("name", flat=True))


@pytest.fixture
def admin():
    return make_person("admin")


@pytest.fixture
def api(admin):
    return client_for(admin)


@pytest.fixture
def project():
    return factories.make_project(name="Open show")


@pytest.fixture
def people(project):
    """One member of the project per role, plus an artist outside its team."""
    return factories.make_team(project, outsider={"role": "user"}, admin=False, password=None)


def as_(people, role):
    return client_for(people[role])


@pytest.fixture
def asset(project):
    return factories.make_asset(project, name="Hero")


@pytest.fixture
def task(asset):
    return factories.make_task(asset, factories.make_task_type(name="Modeling"))


@pytest.fixture
def preview(task):
    return PreviewFile.objects.create(task=task, name="v1", revision=1, position=1, extension="png")


# --- preview files ---------------------------------------------------------------------------


def test_preview_lists_follow_the_task_projects(api, preview, people, task):
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    join(closed, people["user"])
    old_task = factories.make_task(factories.make_asset(closed))
    PreviewFile.objects.create(task=old_task, name="old")
    assert len(api.get("/api/data/preview-files").json()) == 2
    assert [row["id"] for row in as_(people, "user").get("/api/data/preview-files").json()] == [
        str(preview.id)
    ]
    assert as_(people, "outsider").get("/api/data/preview-files").json() == []
    assert as_(people, "vendor").get("/api/data/preview-files").json() == []
    task.assignees.add(people["vendor"])
    assert len(as_(people, "vendor").get("/api/data/preview-files").json()) == 1
    page = api.get(f"/api/data/preview-files?page=1&limit=1&task_id={task.id}").json()
    assert (page["total"], page["nb_pages"], len(page["data"])) == (1, 1, 1)


def test_read_preview(preview, people, task):
    url = f"/api/data/preview-files/{preview.id}"
    assert as_(people, "user").get(url).json()["type"] == "PreviewFile"
    assert as_(people, "client").get(url).status_code == 200
    assert as_(people, "outsider").get(url).status_code == 403
    assert as_(people, "vendor").get(url).status_code == 403
    task.assignees.add(people["vendor"])
    assert as_(people, "vendor").get(url).status_code == 200
    assert as_(people, "user").get(f"/api/data/preview-files/{uuid.uuid4()}").status_code == 404
    assert as_(people, "user").get("/api/data/preview-files/nope").status_code == 400


def test_update_preview_by_role(preview, people, task):
    url = f"/api/data/preview-files/{preview.id}"
    assert as_(people, "manager").put(url, {"description": "ok"}, format="json").status_code == 200
    assert as_(people, "user").put(url, {"description": "no"}, format="json").status_code == 403
    task.assignees.add(people["user"])
    assert as_(people, "user").put(url, {"description": "mine"}, format="json").status_code == 200
    assert (
        as_(people, "supervisor").put(url, {"validation_status": "validated"}, format="json").status_code
        == 200
    )
    DepartmentLink.objects.create(person=people["supervisor"], department=factories.make_department())
    TaskType.objects.filter(pk=task.task_type_id).update(department=factories.make_department())
    assert as_(people, "supervisor").put(url, {"description": "other dept"}, format="json").status_code == 403
    assert as_(people, "client").put(url, {"description": "client"}, format="json").status_code == 403
    preview.refresh_from_db()
    assert (preview.description, preview.validation_status) == ("mine", "validated")


def test_main_preview_revisions_stay_unique(api, preview, task):
    PreviewFile.objects.create(task=task, name="v2", revision=2, position=1)
    extra = PreviewFile.objects.create(task=task, name="v1 extra", revision=1, position=2)
    response = api.put(f"/api/data/preview-files/{preview.id}", {"revision": 2}, format="json")
    assert response.status_code == 400 and "Revision 2 already exists" in response.json()["message"]
    assert api.put(f"/api/data/preview-files/{preview.id}", {"revision": 3}, format="json").status_code == 200
    extra.refresh_from_db()
    assert extra.revision == 3  # extra previews follow their main one


def test_delete_preview(api, preview, people, task, asset):
    Entity.objects.filter(pk=asset.pk).update(preview_file=preview)
    Task.objects.filter(pk=task.pk).update(last_preview_file_id=preview.id)
    url = f"/api/data/preview-files/{preview.id}"
    for role in ("supervisor", "user", "outsider"):
        assert as_(people, role).delete(url).status_code == 403, role
    assert as_(people, "manager").delete(url).status_code == 204
    asset.refresh_from_db()
    task.refresh_from_db()
    assert asset.preview_file is None and task.last_preview_file_id is None
    assert event_names() == ["preview-file:delete"]


def test_admins_create_previews(api, task, people):
    body = {"task_id": str(task.id), "name": "v1", "revision": 1}
    assert as_(people, "manager").post("/api/data/preview-files", body, format="json").status_code == 403
    response = api.post("/api/data/preview-files", body, format="json")
    assert response.status_code == 201
    assert ApiEvent.objects.get().data == {"preview_file_id": response.json()["id"]}
    bad = api.post("/api/data/preview-files", body | {"revision": "first"}, format="json")
    assert bad.status_code == 400 and PreviewFile.objects.count() == 1


# --- preview backgrounds, output types, file statuses ----------------------------------------


@pytest.mark.parametrize(
    "path, body",
    [
        ("preview-background-files", {"name": "Sky"}),
        ("output-types", {"name": "Cache", "short_name": "ca"}),
        ("file-status", {"name": "Ready", "color": "#00ff00"}),
    ],
)
def test_studio_settings_are_read_by_all_and_written_by_admins(api, people, path, body):
    response = api.post(f"/api/data/{path}", body, format="json")
    assert response.status_code == 201
    created = response.json()
    for role in ("user", "client", "vendor", "outsider"):
        assert [row["id"] for row in as_(people, role).get(f"/api/data/{path}").json()] == [created["id"]]
        assert as_(people, role).get(f"/api/data/{path}/{created['id']}").status_code == 200
    manager = as_(people, "manager")
    assert manager.post(f"/api/data/{path}", body, format="json").status_code == 403
    assert manager.put(f"/api/data/{path}/{created['id']}", body, format="json").status_code == 403
    assert manager.delete(f"/api/data/{path}/{created['id']}").status_code == 403
    assert api.delete(f"/api/data/{path}/{created['id']}").status_code == 204


def test_preview_background_names_are_unique_and_one_is_default(api):
    first = api.post(
        "/api/data/preview-background-files", {"name": "Sky", "is_default": True}, format="json"
    ).json()
    duplicate = api.post("/api/data/preview-background-files", {"name": "Sky"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["message"] == "A preview background file with similar name already exists"
    second = api.post(
        "/api/data/preview-background-files", {"name": "Sea", "is_default": True}, format="json"
    ).json()
    assert list(PreviewBackgroundFile.objects.filter(is_default=True).values_list("name", flat=True)) == [
        "Sea"
    ]
    response = api.put(f"/api/data/preview-background-files/{second['id']}", {"name": "Sky"}, format="json")
    assert response.status_code == 400
    assert (
        api.put(
            f"/api/data/preview-background-files/{first['id']}", {"name": "Sky"}, format="json"
        ).status_code
        == 200
    )


def test_file_status_validation_writes_nothing(api):
    assert api.post("/api/data/file-status", {"name": "Ready"}, format="json").status_code == 400
    assert (
        api.post("/api/data/file-status", {"name": "R", "color": 12345678}, format="json").status_code == 400
    )
    assert not FileStatus.objects.exists()


# --- attachments -----------------------------------------------------------------------------


def test_attachments_are_read_through_their_comment(api, task, people):
    comment = Comment.objects.create(object_id=task.id, object_type="Task", person=people["user"])
    attachment = AttachmentFile.objects.create(name="ref.png", comment=comment)
    orphan = AttachmentFile.objects.create(name="lost.png")
    assert as_(people, "user").get("/api/data/attachment-files").status_code == 403
    assert len(api.get(f"/api/data/attachment-files?comment_id={comment.id}").json()) == 1
    assert as_(people, "user").get(f"/api/data/attachment-files/{attachment.id}").status_code == 200
    assert as_(people, "outsider").get(f"/api/data/attachment-files/{attachment.id}").status_code == 403
    assert as_(people, "user").get(f"/api/data/attachment-files/{orphan.id}").status_code == 403
    assert as_(people, "user").delete(f"/api/data/attachment-files/{attachment.id}").status_code == 403
    body = {"name": "new.png", "comment_id": str(comment.id)}
    assert as_(people, "manager").post("/api/data/attachment-files", body, format="json").status_code == 403
    assert api.post("/api/data/attachment-files", body, format="json").status_code == 201


# --- output and working files ----------------------------------------------------------------


@pytest.fixture
def output_file(asset):
    return OutputFile.objects.create(
        name="hero_model",
        revision=1,
        entity=asset,
        file_status=FileStatus.objects.create(name="ok", color="#fff"),
    )


def test_output_file_lists(api, output_file, people):
    assert as_(people, "vendor").get("/api/data/output-files").status_code == 403
    assert as_(people, "outsider").get("/api/data/output-files").json() == []
    assert [row["id"] for row in as_(people, "user").get("/api/data/output-files").json()] == [
        str(output_file.id)
    ]
    assert len(api.get(f"/api/data/output-files?entity_id={output_file.entity_id}").json()) == 1


def test_output_file_rules(api, output_file, people, asset, project):
    url = f"/api/data/output-files/{output_file.id}"
    assert as_(people, "user").get(url).status_code == 200
    assert as_(people, "outsider").get(url).status_code == 403
    assert as_(people, "user").put(url, {"comment": "no"}, format="json").status_code == 403
    task = factories.make_task(asset)
    task.assignees.add(people["user"])
    assert as_(people, "user").put(url, {"comment": "mine"}, format="json").status_code == 200
    assert as_(people, "manager").put(url, {"quality": "best"}, format="json").status_code == 400
    assert as_(people, "manager").delete(url).status_code == 403
    assert api.delete(url).status_code == 204
    events = list(ApiEvent.objects.order_by("created_at").values_list("name", "data", "project_id"))
    assert events[0] == (
        "output-file:update",
        {"output_file_id": str(output_file.id), "project_id": str(project.id)},
        project.id,
    )
    assert events[-1][0] == "output-file:delete" and events[-1][2] == project.id


@pytest.fixture
def working_file(task, asset):
    return WorkingFile.objects.create(name="hero.blend", revision=1, task=task, entity=asset)


def test_working_file_lists_include_closed_team_projects(api, working_file, people, project):
    closed = factories.make_project(name="Closed", project_status=factories.make_project_status("Closed"))
    join(closed, people["user"])
    old_asset = factories.make_asset(closed)
    WorkingFile.objects.create(name="old.blend", entity=old_asset)
    assert len(as_(people, "user").get("/api/data/working-files").json()) == 2
    assert as_(people, "outsider").get("/api/data/working-files").json() == []
    assert as_(people, "vendor").get("/api/data/working-files").status_code == 403


def test_working_file_rules(api, working_file, people, task):
    url = f"/api/data/working-files/{working_file.id}"
    assert as_(people, "user").get(url).json()["name"] == "hero.blend"
    assert as_(people, "outsider").get(url).status_code == 403
    assert as_(people, "vendor").get(url).status_code == 403
    assert as_(people, "user").put(url, {"comment": "no"}, format="json").status_code == 403
    task.assignees.add(people["user"])
    assert as_(people, "user").put(url, {"comment": "mine"}, format="json").status_code == 200
    assert as_(people, "client").put(url, {"comment": "client"}, format="json").status_code == 200
    assert as_(people, "manager").delete(url).status_code == 403
    body = {"name": "new.blend", "task_id": str(task.id)}
    assert as_(people, "manager").post("/api/data/working-files", body, format="json").status_code == 403
    assert api.post("/api/data/working-files", body | {"revision": "one"}, format="json").status_code == 400
    assert WorkingFile.objects.count() == 1


# --- playlists -------------------------------------------------------------------------------


@pytest.fixture
def playlists(project, admin):
    internal = Playlist.objects.create(name="Dailies", project=project, created_by=admin)
    shared = Playlist.objects.create(name="Client review", project=project, for_client=True)
    return internal, shared


def test_playlist_lists_follow_the_role_on_each_project(api, playlists, people):
    internal, shared = playlists
    assert len(api.get("/api/data/playlists").json()) == 2
    assert len(as_(people, "user").get("/api/data/playlists").json()) == 2
    assert [row["id"] for row in as_(people, "client").get("/api/data/playlists").json()] == [str(shared.id)]
    assert as_(people, "vendor").get("/api/data/playlists").status_code == 403
    assert as_(people, "outsider").get("/api/data/playlists").json() == []
    # A team role overrides the global one: an artist made client of the project sees less.
    ProjectPersonLink.objects.filter(person=people["user"]).update(role="client")
    assert [row["id"] for row in as_(people, "user").get("/api/data/playlists").json()] == [str(shared.id)]
    by_name = api.get("/api/data/playlists?name=dailies").json()
    assert [row["id"] for row in by_name] == [str(internal.id)]


def test_supervisors_create_playlists(project, people):
    body = {"name": "Layout review", "project_id": str(project.id), "episode_id": None}
    for role in ("user", "client", "vendor", "outsider"):
        assert as_(people, role).post("/api/data/playlists", body, format="json").status_code == 403, role
    response = as_(people, "supervisor").post("/api/data/playlists", body, format="json")
    assert response.status_code == 201
    assert response.json()["created_by"] == str(people["supervisor"].id)
    wrong_kind = as_(people, "manager").post(
        "/api/data/playlists", body | {"for_entity": "prop"}, format="json"
    )
    assert wrong_kind.status_code == 400
    assert wrong_kind.json()["message"] == "for_entity must be one of shot, asset, sequence, edit, episode"
    assert Playlist.objects.count() == 1 and event_names() == ["playlist:new"]


def test_kitsu_creates_playlists_of_all_episodes(api, project):
    body = {"name": "All", "project_id": str(project.id), "episode_id": "all", "task_type_id": ""}
    response = api.post("/api/data/playlists", body, format="json")
    assert response.status_code == 201
    assert (response.json()["episode_id"], response.json()["task_type_id"]) == (None, None)
    bad = api.post("/api/data/playlists", body | {"name": "Bad", "episode_id": "first"}, format="json")
    assert bad.status_code == 400 and "episode_id" in bad.json()["message"]


def test_playlist_read_and_update_rules(playlists, people):
    internal, shared = playlists
    url = f"/api/data/playlists/{internal.id}"
    assert as_(people, "user").get(url).status_code == 200
    assert as_(people, "client").get(url).status_code == 403
    assert as_(people, "client").get(f"/api/data/playlists/{shared.id}").status_code == 200
    assert as_(people, "vendor").get(f"/api/data/playlists/{shared.id}").status_code == 403
    assert as_(people, "outsider").get(url).status_code == 403
    assert as_(people, "supervisor").put(url, {"name": "x"}, format="json").status_code == 403  # not theirs
    response = as_(people, "supervisor").put(
        f"/api/data/playlists/{shared.id}", {"name": "Review"}, format="json"
    )
    assert response.status_code == 200  # nobody made it
    assert as_(people, "user").put(url, {"name": "x"}, format="json").status_code == 403
    assert as_(people, "manager").put(url, {"name": "Dailies 2"}, format="json").status_code == 200


def test_playlist_entries_keep_only_their_own_previews(api, playlists, preview, asset, project):
    internal, _ = playlists
    other = factories.make_asset(project, name="Other")
    shots = [
        {"entity_id": str(asset.id), "preview_file_id": str(preview.id)},
        {"id": str(other.id), "preview_file_id": str(preview.id)},
        "junk",
    ]
    response = api.put(f"/api/data/playlists/{internal.id}", {"shots": shots}, format="json")
    assert response.json()["shots"] == [
        {"entity_id": str(asset.id), "preview_file_id": str(preview.id)},
        {"entity_id": str(other.id), "preview_file_id": None},
    ]


def test_delete_playlist_with_what_hangs_off_it(playlists, people, admin):
    internal, _ = playlists
    Notification.objects.create(person=people["user"], author=admin, playlist=internal, type="playlist-ready")
    BuildJob.objects.create(playlist=internal)
    url = f"/api/data/playlists/{internal.id}"
    assert as_(people, "supervisor").delete(url).status_code == 403
    assert as_(people, "manager").delete(url).status_code == 204
    assert not Notification.objects.exists() and not BuildJob.objects.exists()
    assert as_(people, "manager").delete(url).status_code == 404


# --- reverse relations the reference lists with a row's relations ------------------------------


def test_rows_list_the_reverse_side_of_their_relations(api, playlists, task, people, output_file):
    """Read with its relations (the default of a read by id), a playlist lists its build jobs, a
    comment its attachments, a working file its outputs, as the reference's relationships do;
    without them, no such key."""
    internal, shared = playlists
    jobs = [BuildJob.objects.create(playlist=internal) for _ in range(2)]
    one = api.get(f"/api/data/playlists/{internal.id}").json()
    assert one["build_jobs"] == [str(job.id) for job in jobs]
    rows = {row["id"]: row for row in api.get("/api/data/playlists?relations=true").json()}
    assert (
        rows[str(internal.id)]["build_jobs"] == one["build_jobs"] and rows[str(shared.id)]["build_jobs"] == []
    )
    assert "build_jobs" not in api.get("/api/data/playlists").json()[0]
    assert "build_jobs" not in api.get(f"/api/data/playlists/{internal.id}?relations=false").json()
    comment = Comment.objects.create(object_id=task.id, object_type="Task", person=people["user"])
    attachment = AttachmentFile.objects.create(name="ref.png", comment=comment)
    listed = api.get(f"/api/data/comments?relations=true&object_id={task.id}").json()
    assert listed[0]["attachment_files"] == [str(attachment.id)]  # (read by id, they are objects)
    working_file = WorkingFile.objects.create(name="hero.blend", task=task, entity=task.entity)
    OutputFile.objects.filter(pk=output_file.pk).update(source_file=working_file)
    assert api.get(f"/api/data/working-files/{working_file.id}").json()["outputs"] == [str(output_file.id)]


def test_reverse_relations_cost_one_query_per_list(api, project, django_assert_max_num_queries):
    Playlist.objects.create(name="First", project=project)
    with django_assert_max_num_queries(8) as few:
        assert len(api.get("/api/data/playlists?relations=true").json()) == 1
    for index in range(20):
        BuildJob.objects.create(playlist=Playlist.objects.create(name=f"P{index}", project=project))
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = api.get("/api/data/playlists?relations=true").json()
    assert len(rows) == 21 and sum(len(row["build_jobs"]) for row in rows) == 20
