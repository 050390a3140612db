"""`/import/kitsu/<rows>`: rows of another Kitsu (shaped as Zou serves them) imported under
their own ids, all of a push or none, as a job; admins only (the reference passes the others'
entries over: an empty list)."""

import uuid

import pytest

from assets.models import Entity, EntityLink
from files.models import AttachmentFile, BuildJob, Playlist, PreviewFile
from kitsu_server.core.models import Job
from productions.models import MetadataDescriptor, Milestone, Project, ScheduleItem
from tasks.models import ApiEvent, Comment, News, Notification, Subscription, Task, TimeSpent
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def new_id():
    return str(uuid.uuid4())


@pytest.fixture
def admin(team):
    return client_for(team["admin"])


@pytest.fixture
def source(team):
    """The ids of a small production of another Kitsu, and the settings both share."""
    return {
        "project": new_id(),
        "sequence": new_id(),
        "shot": new_id(),
        "asset": new_id(),
        "task": new_id(),
        "comment": new_id(),
        "preview": new_id(),
        "playlist": new_id(),
        "asset_type": factories.make_asset_type("Prop"),
        "task_type": factories.make_task_type("Animation", for_entity="Shot"),
        "status": factories.make_task_status(name="Todo", short_name="todo"),
        "project_status": factories.make_project_status("Open"),
        "artist": team["user"],
        "department": factories.make_department("Anim"),
    }


def push(client, route, rows, **query):
    suffix = "?silent=true" if query.get("silent") else ""
    return client.post(f"/api/import/kitsu/{route}{suffix}", rows, format="json")


def project_row(s, **fields):
    return {
        "id": s["project"],
        "type": "Project",
        "name": "Imported Show",
        "code": "IMP",
        "project_status_id": str(s["project_status"].id),
        "project_status_name": "Open",
        "fps": "24",
        "production_type": "tvshow",
        "start_date": "2026-01-05",
        "created_at": "2025-11-02T10:00:00",
        "updated_at": "2025-11-03T11:00:00",
        "data": None,
        "team": [str(s["artist"].id)],
        "task_types": [str(s["task_type"].id)],
        "task_statuses": [str(s["status"].id)],
        "asset_types": [str(s["asset_type"].id)],
        "status_automations": [],
        "preview_background_files": [],
        **fields,
    }


def breakdown_rows(s):
    return [
        {
            "id": s["sequence"],
            "type": "Sequence",
            "name": "SQ01",
            "project_id": s["project"],
            "project_name": "Imported Show",
            "parent_id": None,
            "data": {},
        },
        {
            "id": s["shot"],
            "type": "Shot",
            "name": "SH010",
            "project_id": s["project"],
            "sequence_id": s["sequence"],
            "sequence_name": "SQ01",
            "frame_in": 1,
            "frame_out": 48,
            "fps": "24",
            "nb_frames": 48,
            "data": {"camera": "A"},
            "entities_out": [s["asset"]],
            "preview_file_id": new_id(),  # a preview not copied (yet): dropped
            "tasks": [],
        },
        {
            "id": s["asset"],
            "type": "Asset",
            "name": "Chair",
            "project_id": s["project"],
            "asset_type_id": str(s["asset_type"].id),
            "asset_type_name": "Prop",
            "description": "Wooden",
            "data": {},
            "entities_out": [],
        },
    ]


def task_row(s, **fields):
    return {
        "id": s["task"],
        "type": "Task",
        "name": "main",
        "project_id": s["project"],
        "entity_id": s["shot"],
        "task_type_id": str(s["task_type"].id),
        "task_status_id": str(s["status"].id),
        "assignees": [str(s["artist"].id)],
        "duration": 120.0,
        "due_date": "2026-02-01T00:00:00",
        **fields,
    }


def import_production(client, s):
    for route, rows in (
        ("projects", [project_row(s)]),
        ("entities", breakdown_rows(s)),
        ("tasks", [task_row(s)]),
        (
            "preview-files",
            [
                {
                    "id": s["preview"],
                    "type": "PreviewFile",
                    "name": "v1",
                    "revision": 1,
                    "extension": "mp4",
                    "task_id": s["task"],
                    "person_id": str(s["artist"].id),
                    "status": None,
                    "data": None,
                    "comments": [],
                }
            ],
        ),
        (
            "comments",
            [
                {
                    "id": s["comment"],
                    "type": "Comment",
                    "object_id": s["task"],
                    "object_type": "Task",
                    "text": "Looks great",
                    "person_id": str(s["artist"].id),
                    "task_status_id": str(s["status"].id),
                    "created_at": "2026-01-10T09:30:00",
                    "previews": [s["preview"]],
                    "mentions": [str(s["artist"].id)],
                    "department_mentions": [str(s["department"].id)],
                    "acknowledgements": [],
                    "attachment_files": [],
                }
            ],
        ),
    ):
        response = push(client, route, rows)
        assert response.status_code == 200, (route, response.content)


def test_a_production_is_imported_under_its_own_ids(admin, source):
    s = source
    import_production(admin, s)
    project = Project.objects.get(pk=s["project"])
    assert (project.name, project.fps, str(project.start_date)) == ("Imported Show", "24", "2026-01-05")
    assert project.created_at.isoformat() == "2025-11-02T10:00:00+00:00"
    assert project.updated_at.isoformat() == "2025-11-03T11:00:00+00:00"
    assert list(project.team.all()) == [s["artist"]]
    assert list(project.task_types.all()) == [s["task_type"]]
    shot = Entity.objects.get(pk=s["shot"])
    assert (shot.entity_type.name, str(shot.parent_id), shot.data) == (
        "Shot",
        s["sequence"],
        {"camera": "A", "frame_in": 1, "frame_out": 48, "fps": "24"},
    )
    assert shot.preview_file_id is None
    assert [str(pk) for pk in shot.entities_out.values_list("pk", flat=True)] == [s["asset"]]
    asset = Entity.objects.get(pk=s["asset"])
    assert (asset.entity_type, asset.description) == (s["asset_type"], "Wooden")
    task = Task.objects.get(pk=s["task"])
    assert (list(task.assignees.all()), task.duration) == ([s["artist"]], 120.0)
    preview = PreviewFile.objects.get(pk=s["preview"])
    assert (preview.status, preview.data) == ("ready", {"imported_only": True})
    comment = Comment.objects.get(pk=s["comment"])
    assert [str(pk) for pk in comment.previews.values_list("pk", flat=True)] == [s["preview"]]
    assert list(comment.mentions.all()) == [s["artist"]]
    assert list(comment.department_mentions.all()) == [s["department"]]
    events = set(ApiEvent.objects.values_list("name", flat=True))
    assert {"project:new", "sequence:new", "shot:new", "asset:new", "task:new", "comment:new"} <= events
    assert Job.objects.filter(name="kitsu.import", state="succeeded").count() == 5

    # The same push again: updated in place, nothing duplicated.
    import_production(admin, s)
    assert Entity.objects.filter(project=project).count() == 3
    assert (Task.objects.count(), Comment.objects.count(), PreviewFile.objects.count()) == (1, 1, 1)
    assert ApiEvent.objects.filter(name="shot:update").count() == 1


def test_the_answer_is_the_rows_as_data_routes_give_them(admin, source):
    response = push(admin, "projects", [project_row(source)])
    assert response.status_code == 200
    [row] = response.json()
    read = admin.get(f"/api/data/projects/{source['project']}").json()
    assert {key: row[key] for key in read if key in row} == {key: read[key] for key in read if key in row}
    assert (row["id"], row["name"], row["type"]) == (source["project"], "Imported Show", "Project")
    response = push(admin, "entities", breakdown_rows(source))
    assert [(row["id"], row["type"]) for row in response.json()] == [
        (source["sequence"], "Entity"),  # as the reference answers its imported entities
        (source["shot"], "Entity"),
        (source["asset"], "Entity"),
    ]


def test_the_other_rows_of_a_production(admin, source, team):
    s = source
    import_production(admin, s)
    artist = str(s["artist"].id)
    ids = {
        name: new_id()
        for name in ("link", "spent", "sub", "notif", "news", "meta", "milestone", "item", "job", "att")
    }
    pushes = {
        "entity-links": [
            {
                "id": ids["link"],
                "entity_in_id": s["shot"],
                "entity_out_id": s["asset"],
                "nb_occurences": 3,
                "label": "fixed",
                "type": "EntityLink",
            }
        ],
        "time-spents": [
            {
                "id": ids["spent"],
                "task_id": s["task"],
                "person_id": artist,
                "duration": 60.0,
                "date": "2026-01-12",
            }
        ],
        "subscriptions": [{"id": ids["sub"], "task_id": s["task"], "person_id": artist}],
        "notifications": [
            {
                "id": ids["notif"],
                "type": "Notification",
                "notification_type": "comment",
                "person_id": artist,
                "author_id": str(team["manager"].id),
                "comment_id": s["comment"],
                "task_id": s["task"],
                "read": False,
                "change": True,
            }
        ],
        "news": [
            {
                "id": ids["news"],
                "change": True,
                "author_id": artist,
                "comment_id": s["comment"],
                "preview_file_id": None,
                "task_id": s["task"],
                "created_at": "2026-01-10T09:30:00",
                "project_name": "ignored",
            }
        ],
        "metadata-descriptors": [
            {
                "id": ids["meta"],
                "project_id": s["project"],
                "entity_type": "Shot",
                "name": "Camera",
                "field_name": "camera",
                "data_type": "string",
                "choices": [],
                "departments": [str(s["department"].id)],
            }
        ],
        "milestones": [
            {"id": ids["milestone"], "project_id": s["project"], "name": "Lock", "date": "2026-03-01"}
        ],
        "schedule-items": [
            {"id": ids["item"], "project_id": s["project"], "start_date": "2026-01-01", "man_days": 5}
        ],
        "playlists": [
            {
                "id": s["playlist"],
                "project_id": s["project"],
                "name": "Dailies",
                "shots": [],
                "build_jobs": [],
            }
        ],
        "build-jobs": [
            {"id": ids["job"], "playlist_id": s["playlist"], "status": "succeeded", "job_type": "movie"}
        ],
        "attachment-files": [
            {
                "id": ids["att"],
                "name": "notes.pdf",
                "extension": "pdf",
                "comment_id": s["comment"],
                "size": 10,
            }
        ],
    }
    # The casting of the shot (its entities_out) made the link already: found by its pair.
    ids["link"] = str(EntityLink.objects.get(entity_in_id=s["shot"], entity_out_id=s["asset"]).pk)
    for route, rows in pushes.items():
        response = push(admin, route, rows)
        assert response.status_code == 200, (route, response.content)
        assert [row["id"] for row in response.json()] == [
            ids["link"] if route == "entity-links" else rows[0]["id"]
        ]
    assert EntityLink.objects.get(pk=ids["link"]).nb_occurences == 3
    assert TimeSpent.objects.get(pk=ids["spent"]).duration == 60.0
    assert Subscription.objects.filter(pk=ids["sub"]).exists()
    assert Notification.objects.get(pk=ids["notif"]).type == "comment"
    news = News.objects.get(pk=ids["news"])
    assert news.updated_at == news.created_at
    assert list(MetadataDescriptor.objects.get(pk=ids["meta"]).departments.all()) == [s["department"]]
    assert Milestone.objects.get(pk=ids["milestone"]).name == "Lock"
    assert ScheduleItem.objects.get(pk=ids["item"]).man_days == 5
    assert Playlist.objects.get(pk=s["playlist"]).name == "Dailies"
    assert BuildJob.objects.get(pk=ids["job"]).status == "succeeded"
    assert str(AttachmentFile.objects.get(pk=ids["att"]).comment_id) == s["comment"]
    # A casting link is found by its pair of entities, whatever its id.
    again = push(admin, "entity-links", [{**pushes["entity-links"][0], "id": new_id(), "nb_occurences": 4}])
    assert again.json()[0]["id"] == ids["link"]
    assert EntityLink.objects.get(pk=ids["link"]).nb_occurences == 4


def test_a_silent_push_announces_nothing(admin, source):
    assert push(admin, "projects", [project_row(source)], silent=True).status_code == 200
    assert Project.objects.filter(pk=source["project"]).exists()
    assert not ApiEvent.objects.filter(name__startswith="project:").exists()


@pytest.mark.parametrize("role", ["manager", "supervisor", "user", "client", "vendor", "outsider"])
def test_the_entries_of_non_admins_are_passed_over(team, source, role):
    response = push(client_for(team[role]), "projects", [project_row(source)])
    assert (response.status_code, response.json()) == (200, [])
    assert push(client_for(team[role]), "projects", {"not": "a list"}).json() == []
    assert not Project.objects.filter(pk=source["project"]).exists()
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "route, rows, message",
    [
        ("projects", {"id": "x"}, "A list of entities is expected."),
        ("projects", ["x"], "Entry 0: a JSON object is expected."),
        ("projects", [{"name": "No id"}], 'Entry 0: the field "id" must be a UUID.'),
        ("projects", [{"id": "not-a-uuid", "name": "x"}], 'Entry 0: the field "id" must be a UUID.'),
        ("projects", "PROJECT", 'Entry 0: the field "fps" is wrong.'),
        ("projects", "BAD_DATE", 'Entry 0: the field "start_date" is wrong.'),
        ("projects", "NULL_NAME", 'Entry 0: the field "name" is wrong.'),
        ("projects", "TEAM", 'Entry 0: "team" names no Person'),
        ("tasks", "TASK", 'Entry 0: "entity_id" names no Entity.'),
        ("time-spents", "SPENT", "Entry 1: A value is out of its allowed range."),
        ("notifications", "NOTIFICATION", 'Entry 0: the field "type" is wrong.'),
    ],
)
def test_a_bad_push_is_a_400_naming_the_entry_and_writes_nothing(admin, source, route, rows, message):
    s = source
    if route in ("tasks", "time-spents", "notifications"):
        import_production(admin, s)
    before = (Project.objects.count(), Task.objects.count(), TimeSpent.objects.count(), Job.objects.count())
    artist = str(s["artist"].id)
    rows = (
        {
            "PROJECT": [project_row(s, fps="x" * 11)],
            "BAD_DATE": [project_row(s, start_date="soon")],
            "NULL_NAME": [project_row(s, name=None)],
            "TEAM": [project_row(s, team=[new_id()])],
            "TASK": [task_row(s, id=new_id(), name="other", entity_id=new_id())],
            "SPENT": [
                {
                    "id": new_id(),
                    "task_id": s["task"],
                    "person_id": artist,
                    "duration": 60.0,
                    "date": "2026-01-12",
                },
                {
                    "id": new_id(),
                    "task_id": s["task"],
                    "person_id": artist,
                    "duration": 0,
                    "date": "2026-01-13",
                },
            ],
            "NOTIFICATION": [
                {"id": new_id(), "person_id": artist, "author_id": artist, "notification_type": "gossip"}
            ],
        }.get(rows, rows)
        if isinstance(rows, str)
        else rows
    )
    response = push(admin, route, rows)
    assert response.status_code == 400
    assert response.json()["error"] is True
    assert response.json()["message"].startswith(message)
    after = (Project.objects.count(), Task.objects.count(), TimeSpent.objects.count())
    assert after == before[:3]
