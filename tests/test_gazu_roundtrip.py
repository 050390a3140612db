"""The studio script pattern with the real gazu client over HTTP: read an object, change it, send
the whole read back (`x = gazu.<module>.get_x(id); x["name"] = ...; gazu.<module>.update_x(x)`).

The body then holds every key the read returned (ids, timestamps, `type`, relations, computed
extras such as a project's descriptors or a task's nested entity): each update answers the change
and the next read shows it. Skipped where gazu is not installed.
"""

import types

import pytest

gazu = pytest.importorskip("gazu")

from assets.models import Entity, EntityType  # noqa: E402
from budgets.models import Budget, BudgetEntry  # noqa: E402
from files.models import Playlist  # noqa: E402
from people.models import DayOff, SearchFilter, SearchFilterGroup, Software, Studio  # noqa: E402
from productions.models import MetadataDescriptor, ProjectTemplate  # noqa: E402
from tasks.models import Comment, Notification  # noqa: E402
from tests import factories  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EMAIL = "gazu-roundtrip@example.com"
PASSWORD = "gazu-password"


def typed_entity(project, kind, **fields):
    entity_type = EntityType.objects.get_or_create(name=kind)[0]
    return Entity.objects.create(project=project, entity_type=entity_type, name=f"{kind} one", **fields)


@pytest.fixture
def world(live_server):
    """A logged-in gazu client, and one object of each kind gazu updates."""
    admin = factories.make_person(role="admin", email=EMAIL, password=PASSWORD, first_name="Gazu")
    client = gazu.client.create_client(live_server.url + "/api")
    gazu.log_in(EMAIL, PASSWORD, client=client)
    project = factories.make_project(name="Round trip", production_type="tvshow")
    factories.join(project, admin)
    episode = factories.make_episode(project, name="E01")
    sequence = factories.make_sequence(project, episode, name="SQ01")
    shot = factories.make_shot(project, sequence, name="SH01", data={"frame_in": 1})
    asset = factories.make_asset(project, name="Cup", data={"look": "red"})
    task_type = factories.make_task_type(name="Modeling")
    task_status = factories.make_task_status(name="Todo", short_name="todo")
    task = factories.make_task(asset, task_type, task_status)
    factories.assign(task, admin)
    comment = factories.make_row(Comment, object_id=task.pk, object_type="Task", person=admin, text="First")
    department = factories.make_department(name="Lighting")
    budget = Budget.objects.create(project=project, name="Quote")
    return types.SimpleNamespace(
        client=client,
        admin=admin,
        project=project,
        episode=episode,
        sequence=sequence,
        shot=shot,
        asset=asset,
        asset_type=asset.entity_type,
        task=task,
        task_type=task_type,
        task_status=task_status,
        comment=comment,
        department=department,
        person=factories.make_person(password=None, first_name="Ann"),
        descriptor=MetadataDescriptor.objects.create(
            project=project, entity_type="Asset", name="Look", field_name="look", data_type="string"
        ),
        concept=typed_entity(project, "Concept"),
        edit=typed_entity(project, "Edit"),
        scene=typed_entity(project, "Scene", parent=sequence),
        software=Software.objects.create(name="Blender", short_name="bl", file_extension="blend"),
        studio=Studio.objects.create(name="North", color="#000000"),
        day_off=DayOff.objects.create(person=admin, date="2026-03-02", end_date="2026-03-03"),
        playlist=factories.make_row(Playlist, project=project, name="Dailies"),
        template=ProjectTemplate.objects.create(name="Feature"),
        search_filter=SearchFilter.objects.create(
            person=admin,
            project=project,
            list_type="asset",
            entity_type="Asset",
            name="Props",
            search_query="x",
        ),
        filter_group=SearchFilterGroup.objects.create(
            person=admin, project=project, list_type="asset", entity_type="Asset", name="Mine", color="#fff"
        ),
        notification=Notification.objects.create(person=admin, author=admin, task=task, type="comment"),
        budget=budget,
        budget_entry=factories.make_row(BudgetEntry, budget=budget, department=department),
    )


def find_filter(tree, filter_id):
    """The filter of that id in the user's filters ({list type: {project id: [filters]}})."""
    for by_project in tree.values():
        for filters in by_project.values():
            for search_filter in filters:
                if search_filter["id"] == filter_id:
                    return search_filter
    raise LookupError(filter_id)


def renamed(key="name"):
    """A change: `key` gets a new text value."""

    def change(x):
        x[key] = f"{x[key]} bis"
        return key, x[key]

    return change


def toggled(key):
    def change(x):
        x[key] = not x[key]
        return key, x[key]

    return change


# name: (read, write, change); read(world, client) and write(world, x, client) call gazu.
CASES = {
    "project": (
        lambda w, c: gazu.project.get_project(str(w.project.id), client=c),
        lambda w, x, c: gazu.project.update_project(x, client=c),
        renamed(),
    ),
    "person": (
        lambda w, c: gazu.person.get_person(str(w.person.id), client=c),
        lambda w, x, c: gazu.person.update_person(x, client=c),
        renamed("first_name"),
    ),
    "asset": (
        lambda w, c: gazu.asset.get_asset(str(w.asset.id), client=c),
        lambda w, x, c: gazu.asset.update_asset(x, client=c),
        renamed(),
    ),
    "shot": (
        lambda w, c: gazu.shot.get_shot(str(w.shot.id), client=c),
        lambda w, x, c: gazu.shot.update_shot(x, client=c),
        renamed(),
    ),
    "sequence": (
        lambda w, c: gazu.shot.get_sequence(str(w.sequence.id), client=c),
        lambda w, x, c: gazu.shot.update_sequence(x, client=c),
        renamed(),
    ),
    "episode": (
        lambda w, c: gazu.shot.get_episode(str(w.episode.id), client=c),
        lambda w, x, c: gazu.shot.update_episode(x, client=c),
        renamed(),
    ),
    "concept": (
        lambda w, c: gazu.concept.get_concept(str(w.concept.id), client=c),
        lambda w, x, c: gazu.concept.update_concept(x, client=c),
        renamed(),
    ),
    "edit": (
        lambda w, c: gazu.edit.get_edit(str(w.edit.id), client=c),
        lambda w, x, c: gazu.edit.update_edit(x, client=c),
        renamed(),
    ),
    "scene": (
        lambda w, c: gazu.scene.get_scene(str(w.scene.id), client=c),
        lambda w, x, c: gazu.scene.update_scene(x, client=c),
        renamed(),
    ),
    "task": (
        lambda w, c: gazu.task.get_task(str(w.task.id), client=c),
        lambda w, x, c: gazu.task.update_task(x, client=c),
        renamed(),
    ),
    "task type": (
        lambda w, c: gazu.task.get_task_type(str(w.task_type.id), client=c),
        lambda w, x, c: gazu.task.update_task_type(x, client=c),
        renamed(),
    ),
    "task status": (
        lambda w, c: gazu.task.get_task_status(str(w.task_status.id), client=c),
        lambda w, x, c: gazu.task.update_task_status(x, client=c),
        renamed(),
    ),
    "department": (
        lambda w, c: gazu.person.get_department(str(w.department.id), client=c),
        lambda w, x, c: gazu.person.update_department(x, client=c),
        renamed(),
    ),
    "asset type": (
        lambda w, c: gazu.asset.get_asset_type(str(w.asset_type.id), client=c),
        lambda w, x, c: gazu.asset.update_asset_type(x, client=c),
        renamed(),
    ),
    "comment": (
        lambda w, c: gazu.task.get_comment(str(w.comment.id), client=c),
        lambda w, x, c: gazu.task.update_comment(x, client=c),
        renamed("text"),
    ),
    "metadata descriptor": (
        lambda w, c: gazu.project.get_metadata_descriptor(str(w.project.id), str(w.descriptor.id), client=c),
        lambda w, x, c: gazu.project.update_metadata_descriptor(str(w.project.id), x, client=c),
        renamed(),
    ),
    "software": (
        lambda w, c: gazu.files.get_software(str(w.software.id), client=c),
        lambda w, x, c: gazu.files.update_software(x, client=c),
        renamed(),
    ),
    "studio": (
        lambda w, c: gazu.studio.get_studio(str(w.studio.id), client=c),
        lambda w, x, c: gazu.studio.update_studio(x, client=c),
        renamed(),
    ),
    "day off": (
        lambda w, c: gazu.person.get_day_off(str(w.day_off.id), client=c),
        lambda w, x, c: gazu.person.update_day_off(x, client=c),
        lambda x: (x.update(description="Holidays"), ("description", "Holidays"))[1],
    ),
    "playlist": (
        lambda w, c: gazu.playlist.get_playlist(str(w.playlist.id), client=c),
        lambda w, x, c: gazu.playlist.update_playlist(x, client=c),
        renamed(),
    ),
    "project template": (
        lambda w, c: gazu.project_template.get_project_template(str(w.template.id), client=c),
        lambda w, x, c: gazu.project_template.update_project_template(x, client=c),
        renamed(),
    ),
    "filter": (
        lambda w, c: find_filter(gazu.user.all_filters(client=c), str(w.search_filter.id)),
        lambda w, x, c: gazu.user.update_filter(x, client=c),
        renamed(),
    ),
    "filter group": (
        lambda w, c: gazu.user.get_filter_group(str(w.filter_group.id), client=c),
        lambda w, x, c: gazu.user.update_filter_group(x, client=c),
        renamed(),
    ),
    "notification": (
        lambda w, c: gazu.user.get_notification(str(w.notification.id), client=c),
        lambda w, x, c: gazu.user.update_notification(x, client=c),
        toggled("read"),
    ),
    "budget": (
        lambda w, c: gazu.project.get_budget(str(w.project.id), str(w.budget.id), client=c),
        lambda w, x, c: gazu.project.update_budget(str(w.project.id), x, x, client=c),
        renamed(),
    ),
    "budget entry": (
        lambda w, c: gazu.project.get_budget_entry(
            str(w.project.id), str(w.budget.id), str(w.budget_entry.id), client=c
        ),
        lambda w, x, c: gazu.project.update_budget_entry(str(w.project.id), str(w.budget.id), x, x, client=c),
        lambda x: (
            x.update(months_duration=x["months_duration"] + 1),
            ("months_duration", x["months_duration"]),
        )[1],
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_gazu_reads_changes_and_sends_back(world, kind):
    read, write, change = CASES[kind]
    gazu.cache.disable()
    x = read(world, world.client)
    key, value = change(x)

    written = write(world, x, world.client)

    assert written[key] == value, (kind, written)
    assert read(world, world.client)[key] == value
