"""Permission before validation and before state checks: whoever a route refuses gets a 403 (or
a 404 for what they may not see), whatever the body and whatever the state of the object; a 400
about the body or the object's state is for those allowed to write. Otherwise a refused caller
learns the rules of the write, and the state of what they may not touch ("Only closed projects
can be deleted" answered to anyone).

One sweep over every hand-written write route naming something of a production, as a manager of
another team and as a client of this one, with a body no route accepts; then one test per kind
of check that used to come first (the state of the object, the body, a unique name, a fixed
relation)."""

import importlib
import re
import uuid

import pytest

from assets.models import Entity, EntityLink
from kitsu_server.urls import ROUTE_MODULES
from productions.models import Project
from tasks.models import Comment
from tests import factories
from tests.factories import client_for
from tests.routes import route_view

pytestmark = pytest.mark.django_db

HOSTILE_BODY = {"zz": [1], "name": "", "task_ids": "nope", "person_id": "nope"}
# URL parameters that name something of a production: a route with one checks who may touch it.
PRODUCTION_PARAMETERS = {
    "project_id",
    "task_id",
    "entity_id",
    "asset_id",
    "shot_id",
    "sequence_id",
    "episode_id",
    "scene_id",
    "edit_id",
    "concept_id",
    "comment_id",
    "concept_folder_id",
}
# Routes a client of the production may write, as on the reference (a 400 for a bad body is
# theirs): comments (of tasks they see, their acknowledgements, replies and previews; several at
# once on tasks they are assigned to), the entity chat, asset instances (the reference asks for
# project access only), the removal of entities they created, and working and output files.
CLIENT_WRITES = {
    ("POST", "/actions/tasks/{task_id}/comment"),
    ("POST", "/actions/tasks/{task_id}/comments/{comment_id}/add-preview"),
    ("POST", "/actions/projects/{project_id}/tasks/comment-many"),
    ("POST", "/actions/tasks/{task_id}/batch-comment"),  # clients act on tasks (the reference's rule)
    ("POST", "/data/tasks/{task_id}/comments/{comment_id}/ack"),
    ("POST", "/data/tasks/{task_id}/comments/{comment_id}/reply"),
    ("POST", "/data/entities/{entity_id}/chat/messages"),
    ("POST", "/data/assets/{asset_id}/asset-asset-instances"),
    ("POST", "/data/shots/{shot_id}/asset-instances"),
    ("POST", "/actions/projects/{project_id}/delete-entities"),
    # Working and output files: the reference asks for project access (and, for paths and
    # working files, a vendor's entity) only.
    ("POST", "/data/tasks/{task_id}/working-file-path"),
    ("POST", "/data/tasks/{task_id}/working-files/new"),
    ("POST", "/data/entities/{entity_id}/output-file-path"),
    ("POST", "/data/entities/{entity_id}/output-files/new"),
    ("POST", "/data/entities/{entity_id}/output-files/next-revision"),
    ("POST", "/data/projects/{project_id}/playlists/temp"),  # a read sent as POST: nothing written
}
# Routes about the caller's own rows (subscriptions, chats joined): nothing of a production is
# written, whoever calls.
SELF_ROUTES = ("actions/user/", "data/user/")


@pytest.fixture
def world(show, team):
    episode = factories.make_episode(show, name="E01")
    sequence = factories.make_sequence(show, episode, name="SQ01")
    shot = factories.make_shot(show, sequence, name="SH01")
    asset_type = factories.make_asset_type("Prop")
    asset = factories.make_asset(show, asset_type, name="Sword")
    task_type = factories.make_task_type("Modeling")
    status = factories.make_task_status()
    task = factories.make_task(asset, task_type, status)
    comment = Comment.objects.create(
        object_id=task.pk, object_type="Task", person=team["manager"], task_status=status, text="x"
    )
    return {
        "project_id": show.pk,
        "person_id": team["manager"].pk,
        "task_id": task.pk,
        "task_type_id": task_type.pk,
        "sequence_id": sequence.pk,
        "shot_id": shot.pk,
        "asset_id": asset.pk,
        "episode_id": episode.pk,
        "entity_id": asset.pk,
        "scene_id": shot.pk,
        "edit_id": shot.pk,
        "concept_id": shot.pk,
        "asset_type_id": asset_type.pk,
        "comment_id": comment.pk,
        "entity_type": "shots",
        "date": "2026-01-05",
        "year": "2026",
        "month": "1",
        "week": "2",
        "day": "3",
        "month_date": "2026-01",
    }


def production_write_routes():
    """(method, Kitsu route, parameter names) of every hand-written write route whose URL names
    something of a production."""
    routes = []
    for module in ROUTE_MODULES:
        for pattern in importlib.import_module(module).urlpatterns:
            _, _, served = route_view(pattern.callback)
            regex = pattern.pattern.regex.pattern
            names = re.findall(r"\(\?P<([a-z_]+)>", regex)
            if not PRODUCTION_PARAMETERS & set(names) or regex.removeprefix("^").startswith(SELF_ROUTES):
                continue
            route = "/" + re.sub(
                r"\(\?P<([a-z_]+)>\[\^/\]\+\)", r"{\1}", regex.strip("^$").removesuffix("/?")
            )
            route = route.replace("\\", "")
            for method in {method.upper() for method in served} & {"POST", "PUT", "PATCH", "DELETE"}:
                routes.append((method, route, names))
    return routes


def call(person, method, route, names, ids):
    path = route
    for name in names:
        path = path.replace(f"{{{name}}}", str(ids.get(name, uuid.uuid4())))
    return getattr(client_for(person), method.lower())(f"/api{path}", HOSTILE_BODY, format="json")


def test_the_sweep_covers_the_write_routes_of_productions():
    routes = {(method, route) for method, route, _ in production_write_routes()}
    assert len(routes) > 60
    assert ("PUT", "/data/projects/{project_id}/entities/{entity_id}/casting") in routes
    assert ("POST", "/data/projects/{project_id}/asset-types/{asset_type_id}/assets/new") in routes


def test_a_manager_of_another_team_is_refused_whatever_the_body(world, team):
    offenders = []
    for method, route, names in production_write_routes():
        response = call(team["outsider"], method, route, names, world)
        if response.status_code not in (403, 404):
            offenders.append((method, route, response.status_code, response.content[:120]))
    assert offenders == [], "\n".join(map(str, offenders))


def test_a_client_is_refused_whatever_the_body(world, team):
    entities, comments = Entity.objects.count(), Comment.objects.count()
    offenders = []
    for method, route, names in production_write_routes():
        if (method, route) in CLIENT_WRITES:
            continue
        response = call(team["client"], method, route, names, world)
        if response.status_code not in (403, 404):
            offenders.append((method, route, response.status_code, response.content[:120]))
    assert offenders == [], "\n".join(map(str, offenders))
    assert (Entity.objects.count(), Comment.objects.count()) == (entities, comments)  # nothing written


# --- one test per kind of check --------------------------------------------------------------------


def test_state_a_role_that_may_not_delete_a_project_gets_403_not_its_state(show, team):
    """The issue's case: "Only closed projects can be deleted" was answered to anyone."""
    for role in ("manager", "supervisor", "user", "client", "vendor", "outsider"):
        response = client_for(team[role]).delete(f"/api/data/projects/{show.id}")
        assert response.status_code == 403, role
        assert response.json() == {"error": True, "message": "You are not allowed to do that."}
    response = client_for(team["admin"]).delete(f"/api/data/projects/{show.id}")
    assert response.status_code == 400
    assert response.json()["message"] == "Only closed projects can be deleted"
    assert Project.objects.filter(pk=show.pk).exists()


def test_body_a_casting_writer_is_checked_before_the_casting(world, team, show):
    path = f"/api/data/projects/{show.id}/entities/{world['shot_id']}/casting"
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        response = client_for(team[role]).put(path, {"not": "a list"}, format="json")
        assert response.status_code == 403, role
    response = client_for(team["manager"]).put(path, {"not": "a list"}, format="json")
    assert response.status_code == 400 and response.json()["message"] == "Request body must be a JSON array"
    assert not EntityLink.objects.exists()


def test_body_get_or_create_routes_check_the_role_before_the_name(show, team):
    for route in ("episodes", "sequences", "shots", "scenes", "edits"):
        path = f"/api/data/projects/{show.id}/{route}"
        assert client_for(team["user"]).post(path, {"name": ""}, format="json").status_code == 403, route
        response = client_for(team["manager"]).post(path, {"name": ""}, format="json")
        assert response.status_code == 400 and "name" in response.json()["message"], route
    path = f"/api/data/projects/{show.id}/asset-types/{factories.make_asset_type('Prop').id}/assets/new"
    assert client_for(team["client"]).post(path, {"data": [1]}, format="json").status_code == 403
    assert client_for(team["manager"]).post(path, {"data": [1]}, format="json").status_code == 400


def test_body_an_assignation_is_refused_before_its_body_is_read(world, team):
    path = f"/api/actions/tasks/{world['task_id']}/assign"
    for role in ("client", "vendor", "outsider"):
        assert client_for(team[role]).put(path, {"person_id": "nope"}, format="json").status_code == 403, role
    response = client_for(team["manager"]).put(path, {"person_id": "nope"}, format="json")
    assert response.status_code == 400


def test_fixed_relation_an_entity_update_is_refused_before_its_fixed_columns(world, team):
    path = f"/api/data/entities/{world['asset_id']}"
    body = {"entities_out": [str(world["shot_id"])]}
    for role in ("user", "client", "vendor"):
        assert client_for(team[role]).put(path, body, format="json").status_code == 403, role
    # Who may update gets the reference's answer: the casting relation is ignored, not written.
    response = client_for(team["manager"]).put(path, body, format="json")
    assert response.status_code == 200 and response.json()["entities_out"] == []
