"""`manage.py import_kitsu` on a source answered here (no reference server needed): what is
matched by natural key, what is left out and kept as an import error, and a count check that
fails when the two sides differ."""

import io
import re
import uuid

import pytest
from django.core.management import CommandError, call_command

from assets.models import Entity
from exchange.management.commands import import_kitsu
from files.models import DataImportError
from kitsu_server.core.models import Job
from people.models import Person
from productions.models import Project
from tasks.models import Comment, Task, TaskStatus, TaskType
from tests import factories

pytestmark = pytest.mark.django_db


def new_id():
    return str(uuid.uuid4())


class FakeSource:
    """A source server's list routes, answered from a dict {path: rows}."""

    url = "http://source.example/api"

    def __init__(self, routes):
        self.routes = routes
        self.asked = []

    def rows(self, path, **query):
        self.asked.append((path, query))
        rows = self.routes.get(path, [])
        for key in ("project_id", "task_id", "object_id", "entity_in_id"):
            if key in query:
                rows = [row for row in rows if row.get(key) == query[key]]
        return rows


@pytest.fixture
def source():
    ids = {
        name: new_id() for name in ("ana", "bot", "open", "anim", "todo", "seq_type", "shot_type", "project")
    }
    ids.update({name: new_id() for name in ("seq", "shot", "task", "comment", "bot_comment")})
    return ids, {
        "/data/departments": [],
        "/data/persons": [
            {
                "id": ids["ana"],
                "email": "Ana@Studio.example",
                "first_name": "Ana",
                "last_name": "L",
                "role": "user",
            },
            {
                "id": ids["bot"],
                "email": None,
                "first_name": "Bot",
                "last_name": "",
                "is_bot": True,
                "role": "user",
            },
        ],
        "/data/project-status": [{"id": ids["open"], "name": "Open", "color": "#000000"}],
        "/data/task-types": [
            {"id": ids["anim"], "name": "animation", "for_entity": "Shot", "color": "#ffffff"}
        ],
        "/data/task-status": [{"id": ids["todo"], "name": "Todo", "short_name": "todo", "color": "#f5f5f5"}],
        "/data/entity-types": [
            {"id": ids["seq_type"], "name": "Sequence"},
            {"id": ids["shot_type"], "name": "Shot"},
        ],
        "/data/projects": [
            {
                "id": ids["project"],
                "name": "Copied",
                "project_status_id": ids["open"],
                "team": [ids["ana"], ids["bot"]],
                "task_types": [ids["anim"]],
                "task_statuses": [ids["todo"]],
                "asset_types": [],
            }
        ],
        "/data/entities": [
            {
                "id": ids["shot"],
                "name": "SH010",
                "project_id": ids["project"],
                "entity_type_id": ids["shot_type"],
                "parent_id": ids["seq"],
                "created_by": ids["bot"],
                "entities_out": [],
            },
            {
                "id": ids["seq"],
                "name": "SQ01",
                "project_id": ids["project"],
                "entity_type_id": ids["seq_type"],
            },
        ],
        "/data/tasks": [
            {
                "id": ids["task"],
                "name": "main",
                "project_id": ids["project"],
                "entity_id": ids["shot"],
                "task_type_id": ids["anim"],
                "task_status_id": ids["todo"],
                "assignees": [ids["ana"], ids["bot"]],
            }
        ],
        "/data/comments": [
            {
                "id": ids["comment"],
                "object_id": ids["task"],
                "object_type": "Task",
                "person_id": ids["ana"],
                "text": "ok",
            },
            {
                "id": ids["bot_comment"],
                "object_id": ids["task"],
                "object_type": "Task",
                "person_id": ids["bot"],
                "text": "beep",
            },
        ],
    }


def run(monkeypatch, routes, **options):
    fake = FakeSource(routes)
    monkeypatch.setattr(import_kitsu, "SourceServer", lambda url, email, password: fake)
    out = io.StringIO()
    call_command(
        "import_kitsu", url=fake.url, email="admin@source.example", password="x", stdout=out, **options
    )
    return out.getvalue()


def test_settings_and_people_matched_by_natural_keys_the_rest_under_its_ids(monkeypatch, source):
    ids, routes = source
    ana_here = factories.make_person(email="ana@studio.example")
    anim_here = factories.make_task_type(name="Animation", for_entity="Shot")
    todo_here = factories.make_task_status(name="To do", short_name="todo")
    with pytest.raises(CommandError, match="The counts differ"):
        run(monkeypatch, routes, project="Copied")
    project = Project.objects.get(pk=ids["project"])
    assert list(project.team.all()) == [ana_here]  # the bot is no person to copy
    task = Task.objects.get(pk=ids["task"])
    assert (task.task_type, task.task_status, list(task.assignees.all())) == (
        anim_here,
        todo_here,
        [ana_here],
    )
    assert TaskType.objects.filter(name__iexact="animation").count() == 1
    assert TaskStatus.objects.filter(short_name="todo").count() == 1
    shot = Entity.objects.get(pk=ids["shot"])
    assert (str(shot.parent_id), shot.created_by) == (ids["seq"], None)  # parents first, the bot left out
    assert Person.objects.filter(email__iexact="ana@studio.example").count() == 1
    # The bot's comment needs its author: refused, kept, and the count check says so.
    assert list(Comment.objects.values_list("text", flat=True)) == ["ok"]
    [error] = DataImportError.objects.filter(source="kitsu")
    assert (error.event_data["kind"], error.event_data["id"]) == ("comments", ids["bot_comment"])
    job = Job.objects.get(name="kitsu.copy")
    assert job.state == "succeeded"
    assert job.result["counts"]["comments"] == {"source": 2, "here": 1}
    assert job.result["verified"] is False
    assert (job.result["errors"], job.params) == (
        1,
        {"url": FakeSource.url, "email": "admin@source.example", "project_name": "Copied"},
    )


def test_a_copy_without_differences_is_verified(monkeypatch, source):
    ids, routes = source
    routes["/data/comments"] = routes["/data/comments"][:1]
    output = run(monkeypatch, routes)
    assert "Copied, counts verified" in output
    for step, count in (("persons", 1), ("entities", 2), ("tasks", 1), ("comments", 1)):
        assert re.search(rf"^{step} +{count} +{count}$", output, re.MULTILINE), step
    ana = Person.objects.get(email__iexact="ana@studio.example")
    assert (str(ana.pk), ana.has_usable_password()) == (ids["ana"], False)  # a new person keeps their id
