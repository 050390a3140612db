"""`manage.py import_kitsu`: a small production made on the reference server through gazu is
copied here (ids kept, people matched by email), its counts checked on both sides; a copy cut
short resumes from its checkpoint and ends with no duplicates.

These tests need the reference Kitsu (Zou) server on 127.0.0.1:5000 and skip, saying so, when
it does not answer. They add a production of a unique name there and delete nothing."""

import io
import json
import urllib.request
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from assets.models import Entity, EntityLink
from exchange.kitsu import copying
from files.models import PreviewFile
from kitsu_server.core.models import Job
from people.models import Person
from productions.models import Project
from tasks.models import Comment, Task, TimeSpent

REFERENCE = "http://127.0.0.1:5000"
ADMIN = {"email": "admin@example.com", "password": "mysecretpassword"}


def reference_answers():
    try:
        with urllib.request.urlopen(f"{REFERENCE}/", timeout=3) as response:
            return json.loads(response.read()).get("api") == "Zou"
    except (OSError, ValueError):
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not reference_answers(), reason=f"the reference Kitsu (Zou) server does not answer on {REFERENCE}"
    ),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "previews"


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A production on the reference: a team member, a metadata descriptor, two assets, a sequence
    with two shots (one casting an asset twice), two tasks, two comments, a preview, a time spent
    and a playlist."""
    gazu = pytest.importorskip("gazu")
    from PIL import Image

    client = gazu.client.create_client(REFERENCE)
    gazu.log_in(ADMIN["email"], ADMIN["password"], client=client)
    suffix = uuid.uuid4().hex[:8]
    project = gazu.project.new_project(f"Copy test {suffix}", production_type="short", client=client)
    asset_type = gazu.asset.all_asset_types(client=client)[0]
    task_types = gazu.task.all_task_types(client=client)
    asset_task_type = next(t for t in task_types if t["for_entity"] == "Asset")
    shot_task_type = next(t for t in task_types if t["for_entity"] == "Shot")
    for task_type in (asset_task_type, shot_task_type):
        gazu.project.add_task_type(project, task_type, 1, client=client)
    todo = gazu.task.get_task_status_by_short_name("todo", client=client)
    gazu.project.add_task_status(project, todo, client=client)
    artist = gazu.person.new_person("Ana", f"Copy {suffix}", f"ana.{suffix}@example.com", client=client)
    gazu.project.add_person_to_team(project, artist, client=client)
    chair = gazu.asset.new_asset(project, asset_type, f"Chair {suffix}", client=client)
    gazu.asset.new_asset(project, asset_type, f"Table {suffix}", client=client)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=client)
    shot = gazu.shot.new_shot(project, sequence, "SH010", frame_in=1, frame_out=24, client=client)
    gazu.shot.new_shot(project, sequence, "SH020", client=client)
    gazu.casting.update_shot_casting(
        project, shot, [{"asset_id": chair["id"], "nb_occurences": 2}], client=client
    )
    asset_task = gazu.task.new_task(chair, asset_task_type, assignees=[artist], client=client)
    shot_task = gazu.task.new_task(shot, shot_task_type, client=client)
    gazu.task.add_comment(asset_task, todo, "Start with the legs", client=client)
    comment = gazu.task.add_comment(shot_task, todo, "Layout ready", client=client)
    image = tmp_path_factory.mktemp("media") / "frame.png"
    Image.new("RGB", (64, 36), (200, 80, 40)).save(image)
    gazu.task.add_preview(shot_task, comment, str(image), client=client)
    gazu.task.set_time_spent(asset_task, artist, "2026-01-05", 120, client=client)
    gazu.playlist.new_playlist(project, f"Dailies {suffix}", client=client)
    gazu.project.add_metadata_descriptor(
        project, "Camera", "Shot", data_type="list", choices=["A", "B"], client=client
    )
    return {"project": project, "artist": artist, "shot": shot, "chair": chair, "asset_task": asset_task}


def import_kitsu(project_name, **extra):
    """The command; the jobs it queues (the previews' processing) run as the commits come."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_kitsu", url=REFERENCE, project=project_name, stdout=out, **ADMIN, **extra)
    return out.getvalue()


EXPECTED = {
    "projects": 1,
    "metadata-descriptors": 1,
    "entities": 5,
    "casting": 1,
    "tasks": 2,
    "preview-files": 1,
    "comments": 2,
    "time-spents": 1,
    "playlists": 1,
    "preview-media": 1,
}


def test_a_production_is_copied_with_its_ids_and_counted(production):
    name = production["project"]["name"]
    output = import_kitsu(name)
    assert "Copied, counts verified" in output
    job = Job.objects.get(name="kitsu.copy")
    assert (job.state, job.progress_done, job.params["project_name"]) == (
        "succeeded",
        job.progress_total,
        name,
    )
    counts = job.result["counts"]
    assert {step: counts[step]["here"] for step in EXPECTED} == EXPECTED
    assert all(count["source"] == count["here"] for count in counts.values())
    project = Project.objects.get(name=name)
    assert str(project.id) == production["project"]["id"]
    shot = Entity.objects.get(pk=production["shot"]["id"])
    assert (shot.name, shot.project, shot.entity_type.name, shot.parent.name) == (
        "SH010",
        project,
        "Shot",
        "SQ01",
    )
    assert EntityLink.objects.get(entity_in=shot).nb_occurences == 2
    artist = Person.objects.get(email=production["artist"]["email"])
    assert list(Task.objects.get(pk=production["asset_task"]["id"]).assignees.all()) == [artist]
    assert artist in project.team.all()
    assert TimeSpent.objects.get(task_id=production["asset_task"]["id"]).duration == 120
    preview = PreviewFile.objects.get(task__entity=shot)
    assert (preview.status, preview.extension, "imported_only" in preview.data) == ("ready", "png", False)
    assert set(
        Comment.objects.filter(object_id__in=Task.objects.filter(project=project).values("pk")).values_list(
            "text", flat=True
        )
    ) == {
        "Start with the legs",
        "Layout ready",
    }

    # Again: the same rows, nothing duplicated, no media downloaded again.
    output = import_kitsu(name)
    assert "Copied, counts verified" in output
    assert "Preview media and pictures downloaded by this run: 0." in output
    assert Entity.objects.filter(project=project).count() == 5
    assert (
        Comment.objects.filter(object_id__in=Task.objects.filter(project=project).values("pk")).count() == 2
    )
    assert Person.objects.filter(email__iexact=production["artist"]["email"]).count() == 1


def test_an_interrupted_copy_resumes_where_it_stopped(production, monkeypatch):
    name = production["project"]["name"]
    monkeypatch.setattr(copying, "BATCH", 1)  # a checkpoint after each row
    real_write_row = copying.write_row
    calls = {"n": 0}

    def failing_write_row(kind, row):
        calls["n"] += 1
        if calls["n"] == 5:  # the project, its descriptor, two entities, then the worker dies
            raise RuntimeError("the worker died")
        return real_write_row(kind, row)

    monkeypatch.setattr(copying, "write_row", failing_write_row)
    with pytest.raises(CommandError, match="run the same command again to resume"):
        import_kitsu(name)
    failed = Job.objects.get(name="kitsu.copy")
    assert failed.state == "failed"
    assert "RuntimeError: the worker died" in failed.error
    checkpoint = failed.result["checkpoint"]
    assert "projects" in checkpoint["done"]
    assert (checkpoint["step"], checkpoint["index"]) == ("entities", 2)
    assert Entity.objects.filter(project__name=name).count() == 2

    monkeypatch.setattr(copying, "write_row", real_write_row)
    written = []
    monkeypatch.setattr(
        copying, "write_row", lambda kind, row: written.append(kind.route) or real_write_row(kind, row)
    )
    assert "Copied, counts verified" in import_kitsu(name)
    # Resumed: the project, its descriptor and the two entities done before were not written again.
    assert written.count("projects") == written.count("metadata-descriptors") == 0
    assert written.count("entities") == 3
    resumed = Job.objects.filter(name="kitsu.copy").latest("created_at")
    assert resumed.state == "succeeded"
    assert {step: resumed.result["counts"][step]["here"] for step in EXPECTED} == EXPECTED
    ids = list(Entity.objects.filter(project__name=name).values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == 5


def test_a_refused_login_or_an_unknown_production_stops_the_copy(production):
    with pytest.raises(CommandError, match="login of admin@example.com was refused"):
        call_command(
            "import_kitsu", url=REFERENCE, email=ADMIN["email"], password="wrong", stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="no production named 'Nowhere"):
        import_kitsu(f"Nowhere {uuid.uuid4().hex[:6]}")
    assert not Project.objects.exists()


def test_a_production_here_of_the_same_name_receives_the_copy(production):
    name = production["project"]["name"]
    here = Project.objects.create(name=name, fps="30")
    assert "Copied, counts verified" in import_kitsu(name)
    assert Project.objects.filter(name=name).count() == 1
    here.refresh_from_db()
    assert here.fps == production["project"]["fps"]  # the source's settings
    assert Entity.objects.filter(project=here).count() == EXPECTED["entities"]
    assert not Project.objects.filter(pk=production["project"]["id"]).exists()
