"""GET /api/permissions/explain: whether a person may call a route, and the rule chain that
decided, from the real permission layer run as them (and rolled back)."""

import pytest

from assets.models import Entity
from kitsu_server.core.access.trace import current
from people.models import DepartmentLink
from tasks.models import ApiEvent, Comment
from tests import factories
from tests.factories import assign, client_for

pytestmark = pytest.mark.django_db

URL = "/api/permissions/explain"


@pytest.fixture
def shot(show):
    return factories.make_shot(show, factories.make_sequence(show, name="SQ01"), name="SH010")


@pytest.fixture
def asset(show):
    return factories.make_asset(show, factories.make_asset_type("Prop"), name="Sword")


@pytest.fixture
def modeling(db):
    return factories.make_task_type("Modeling", department=factories.make_department("Modeling"))


@pytest.fixture
def task(asset, modeling):
    return factories.make_task(asset, modeling)


def explain(caller, person, route, **params):
    return client_for(caller).get(URL, {"person_id": str(person.pk), "route": route, **params})


def test_an_artist_not_in_the_team_cannot_read_a_shot(show, team, shot):
    lea = factories.make_person(role="user", first_name="Lea", last_name="Martin")
    response = explain(team["admin"], lea, "/data/shots/{shot_id}", object_id=str(shot.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is False and body["verdict"] == "refused" and body["status"] == 403
    assert body["person"] == {"id": str(lea.pk), "full_name": "Lea Martin", "role": "user", "is_active": True}
    assert body["method"] == "GET" and body["route"] == "/data/shots/{shot_id}"
    assert body["path"] == f"/api/data/shots/{shot.pk}"
    assert body["object"] == {"type": "Shot", "id": str(shot.pk), "name": "SH010"}
    assert body["decided_by"]["rule"] == "check_project_access"
    assert body["decided_by"]["outcome"] == "refused"
    assert (
        body["summary"] == 'Lea Martin (artist) cannot read shot SH010: not in the team of production "Show"'
    )
    membership = [step for step in body["rules"] if step["rule"] == "is_member"]
    assert membership and membership[0]["outcome"] is False
    assert membership[0]["subject"] == [str(show.pk)]


def test_the_same_artist_in_the_team_may(show, team, shot):
    response = explain(team["admin"], team["user"], f"/data/shots/{shot.pk}")
    body = response.json()
    assert body["allowed"] is True and body["status"] == 200 and body["stopped_at"] is None
    assert body["object"]["name"] == "SH010"
    assert body["summary"].startswith(f"{team['user'].full_name} (artist) may read shot SH010")


def test_a_vendor_reaches_only_the_entities_they_work_on(team, asset, shot, task):
    vendor = team["vendor"]
    assign(task, vendor)
    refused = explain(team["admin"], vendor, "/data/shots/{shot_id}", object_id=str(shot.pk)).json()
    assert refused["allowed"] is False and refused["status"] == 403
    assert refused["decided_by"]["rule"] == "check_entity_access"
    worked = [step for step in refused["rules"] if step["rule"] == "assigned a task of the entity"]
    assert worked and worked[0]["outcome"] is False
    assert "as a vendor, assigned no task of it" in refused["summary"]
    allowed = explain(team["admin"], vendor, "/data/assets/{asset_id}", object_id=str(asset.pk)).json()
    assert allowed["allowed"] is True and allowed["status"] == 200
    assert allowed["object"] == {"type": "Asset", "id": str(asset.pk), "name": "Sword"}


def test_a_client_reads_only_the_comments_meant_for_clients(team, task):
    internal = Comment.objects.create(object_id=task.pk, object_type="Task", person=team["manager"], text="x")
    shared = Comment.objects.create(
        object_id=task.pk, object_type="Task", person=team["manager"], text="y", for_client=True
    )
    route = f"/data/tasks/{task.pk}/comments/{{comment_id}}"
    hidden = explain(team["admin"], team["client"], route, object_id=str(internal.pk)).json()
    assert hidden["allowed"] is False and hidden["status"] == 403
    assert hidden["object"] == {"type": "Comment", "id": str(internal.pk)}
    assert hidden["decided_by"]["rule"] == "check_comment_access"
    assert hidden["summary"].startswith(f"{team['client'].full_name} (client) cannot read comment")
    assert "check_comment_access refused (Read a comment" in hidden["summary"]
    narrowing = next(step for step in hidden["rules"] if step["rule"] == "visible_comments")
    assert narrowing["outcome"] == "narrowed"
    seen = explain(team["admin"], team["client"], route, object_id=str(shared.pk)).json()
    assert seen["allowed"] is True and seen["status"] == 200


def test_a_list_says_whether_a_row_is_in_it_and_why(show, team, task):
    by_client = Comment.objects.create(object_id=task.pk, object_type="Task", person=team["client"], text="z")
    route = f"/data/projects/{show.pk}/comments"
    artist = explain(team["admin"], team["user"], route, object_id=str(by_client.pk)).json()
    assert artist["allowed"] is True and artist["status"] == 200 and artist["listed"] is False
    rule = next(step for step in artist["rules"] if step["rule"] == "visible_comments")
    assert rule["outcome"] == "narrowed"
    assert rule["row"] == {"id": str(by_client.pk), "kept": False}
    assert "the row is not in the list, left out by visible_comments" in artist["summary"]
    manager = explain(team["admin"], team["manager"], route, object_id=str(by_client.pk)).json()
    assert manager["listed"] is True
    assert (
        next(step for step in manager["rules"] if step["rule"] == "visible_comments")["row"]["kept"] is True
    )
    assert manager["summary"].endswith("the row is in the list.")


def test_a_supervisor_acts_on_the_tasks_of_their_department(team, task, modeling):
    supervisor = team["supervisor"]
    DepartmentLink.objects.create(person=supervisor, department=modeling.department)
    route = "/actions/tasks/{task_id}/comment"
    allowed = explain(team["admin"], supervisor, route, object_id=str(task.pk), method="POST").json()
    assert allowed["allowed"] is True and allowed["stopped_at"] == "body" and allowed["status"] is None
    assert "the route then goes on to read its body" in allowed["summary"]
    # Of another department: refused, and the chain says which fact decided.
    DepartmentLink.objects.filter(person=supervisor).update(department=factories.make_department("Lighting"))
    refused = explain(team["admin"], supervisor, route, object_id=str(task.pk), method="POST").json()
    assert refused["allowed"] is False and refused["status"] == 403
    rules = [step["rule"] for step in refused["rules"]]
    assert "check_task_action_access" in rules and "supervises the task type's department" in rules
    fact = next(step for step in refused["rules"] if step["rule"] == "supervises the task type's department")
    assert fact["outcome"] is False


def test_a_manager_may(show, team, shot):
    body = explain(team["admin"], team["manager"], f"/data/projects/{show.pk}/team", method="POST").json()
    assert body["allowed"] is True and body["stopped_at"] == "body"
    assert body["decided_by"]["rule"] == "ProjectTeamViewSet POST: manager"
    assert body["decided_by"]["says"] == "Admins and the project's managers."
    refused = explain(team["admin"], team["user"], f"/data/projects/{show.pk}/team", method="POST").json()
    assert refused["decided_by"]["rule"] == "check_role"
    assert refused["summary"].endswith(
        'the role held on production "Show" is artist, from the global role; this needs admin or manager'
    )


def test_a_person_asks_about_themselves_not_about_others(team, shot):
    me = team["user"]
    response = client_for(me).get(URL, {"route": f"/data/shots/{shot.pk}"})
    assert response.status_code == 200 and response.json()["person"]["id"] == str(me.pk)
    assert explain(me, me, f"/data/shots/{shot.pk}").status_code == 200
    other = factories.make_person(role="user")
    response = explain(other, me, f"/data/shots/{shot.pk}")
    assert response.status_code == 403
    assert response.json() == {"error": True, "message": "You are not allowed to do that."}
    for role in ("manager", "supervisor", "client", "vendor"):
        assert explain(team[role], me, f"/data/shots/{shot.pk}").status_code == 403, role


def test_unknown_person_route_or_method(team, shot):
    admin = team["admin"]
    response = client_for(admin).get(
        URL, {"person_id": "8b1c7e3e-0000-4000-8000-000000000000", "route": "/data/shots"}
    )
    assert response.status_code == 404
    assert response.json() == {"error": True, "message": "Person not found."}
    response = explain(admin, team["user"], "/data/no-such-thing/at/all")
    assert response.status_code == 404
    assert response.json() == {
        "error": True,
        "message": "No route of the API matches /data/no-such-thing/at/all.",
    }
    response = explain(admin, team["user"], "/data/shots/{shot_id}")
    assert response.status_code == 400
    assert response.json()["message"] == "The route names {shot_id}: give its id as object_id."
    response = explain(admin, team["user"], "/data/shots/{shot_id}", object_id="nope")
    assert response.status_code == 400 and response.json()["error"] is True
    response = explain(admin, team["user"], "/data/shots/{shot_id}", object_id=str(shot.pk), method="PATCH")
    assert response.status_code == 400
    assert response.json()["message"] == f"/data/shots/{shot.pk} takes DELETE, GET, PUT, not PATCH."
    response = client_for(admin).get(URL, {"person_id": str(team["user"].pk)})
    assert response.status_code == 400 and "route" in response.json()["message"]


def test_a_write_route_is_decided_without_writing(team, asset, django_capture_on_commit_callbacks):
    counts = (Entity.objects.count(), ApiEvent.objects.count())
    with django_capture_on_commit_callbacks() as callbacks:
        body = explain(team["admin"], team["manager"], f"/data/assets/{asset.pk}", method="DELETE").json()
    assert body["allowed"] is True and body["stopped_at"] == "write" and body["status"] is None
    assert "the route then goes on to write" in body["summary"]
    assert callbacks == []  # no event published, no job, no mail
    assert (Entity.objects.count(), ApiEvent.objects.count()) == counts
    refused = explain(team["admin"], team["user"], f"/data/assets/{asset.pk}", method="DELETE").json()
    assert refused["allowed"] is False and refused["status"] == 403
    assert (Entity.objects.count(), ApiEvent.objects.count()) == counts


def test_a_body_is_never_read_nor_written(show, team):
    body = explain(
        team["admin"],
        team["manager"],
        "/data/projects/{project_id}/episodes",
        object_id=str(show.pk),
        method="POST",
    ).json()
    assert body["allowed"] is True and body["stopped_at"] in ("body", "write")
    assert not Entity.objects.filter(project=show).exists()


def test_tracing_is_off_outside_the_explainer(team, shot):
    assert current() is None
    response = client_for(team["user"]).get(f"/api/data/shots/{shot.pk}")
    assert response.status_code == 200 and current() is None
