"""A production's webhooks through the API: subscriptions, their delivery log and the replay of a
delivery. Its managers only."""

import uuid

import pytest

from kitsu_server.core.models import WebhookDelivery, WebhookSubscription
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

REFUSED = ("supervisor", "user", "client", "vendor", "outsider")


def hooks_url(project, *parts):
    return "/".join([f"/api/data/projects/{project.id}/webhooks", *(str(part) for part in parts)])


def body(**fields):
    return {"name": "Pipeline", "url": "https://hooks.example.com/kitsu", "events": ["comment:new"], **fields}


@pytest.fixture
def hook(show, team):
    return WebhookSubscription.objects.create(
        project=show, name="Existing", url="https://example.com/in", secret="s" * 32, events=["task:*"]
    )


def test_a_manager_creates_lists_reads_changes_and_deletes_webhooks(show, team):
    api = client_for(team["manager"])

    response = api.post(hooks_url(show), body(events=["comment:new", "task:*", "comment:new"]), format="json")

    assert response.status_code == 201
    created = response.json()
    assert created["type"] == "WebhookSubscription" and created["project_id"] == str(show.id)
    assert created["events"] == ["comment:new", "task:*"] and created["active"] is True
    assert len(created["secret"]) == 64 and created["created_by"] == str(team["manager"].id)
    assert [row["id"] for row in api.get(hooks_url(show)).json()] == [created["id"]]
    assert api.get(hooks_url(show, created["id"])).json() == created

    changed = api.put(hooks_url(show, created["id"]), {"active": False, "events": ["*"]}, format="json")
    assert changed.status_code == 200
    assert changed.json()["active"] is False and changed.json()["events"] == ["*"]
    assert changed.json()["secret"] == created["secret"]

    assert api.delete(hooks_url(show, created["id"])).status_code == 204
    assert not WebhookSubscription.objects.exists()


def test_an_admin_manages_any_production_s_webhooks(show, team, hook):
    api = client_for(team["admin"])
    assert [row["id"] for row in api.get(hooks_url(show)).json()] == [str(hook.id)]
    assert api.post(hooks_url(show), body(secret="my-own-secret-1234"), format="json").json()["secret"] == (
        "my-own-secret-1234"
    )


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused(show, team, hook, role):
    api = client_for(team[role])
    assert api.get(hooks_url(show)).status_code == 403
    response = api.post(hooks_url(show), body(), format="json")
    assert response.status_code == 403 and response.json()["error"] is True
    assert api.get(hooks_url(show, hook.id)).status_code == 403
    assert api.put(hooks_url(show, hook.id), {"active": False}, format="json").status_code == 403
    assert api.delete(hooks_url(show, hook.id)).status_code == 403
    assert api.get(hooks_url(show, hook.id, "deliveries")).status_code == 403
    assert WebhookSubscription.objects.get().active is True


def test_unknown_productions_webhooks_and_deliveries_are_404(show, team, hook):
    api = client_for(team["admin"])
    other = factories.make_project(name="Other")
    foreign = WebhookSubscription.objects.create(
        project=other, name="F", url="https://f.example", secret="x" * 32
    )
    missing = uuid.uuid4()

    assert api.get(f"/api/data/projects/{missing}/webhooks").status_code == 404
    assert api.get(hooks_url(show, missing)).status_code == 404
    response = api.get(hooks_url(show, foreign.id))  # another production's
    assert response.status_code == 404 and response.json()["message"] == "Webhook not found."
    assert api.post(hooks_url(show, hook.id, "deliveries", missing, "replay")).status_code == 404


@pytest.mark.parametrize(
    "wrong",
    [
        {"url": "ftp://example.com/in"},
        {"url": "not a url"},
        {"events": []},
        {"events": ["Comment New"]},
        {"events": "comment:new"},
        {"name": ""},
        {"secret": "short"},
        {"active": "maybe"},
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(show, team, hook, wrong):
    api = client_for(team["manager"])

    response = api.post(hooks_url(show), body(**wrong), format="json")
    assert response.status_code == 400 and response.json()["error"] is True

    changed = api.put(hooks_url(show, hook.id), wrong, format="json")
    assert changed.status_code == 400 and changed.json()["error"] is True
    assert WebhookSubscription.objects.count() == 1
    hook.refresh_from_db()
    assert hook.url == "https://example.com/in" and hook.events == ["task:*"] and hook.active


def test_the_delivery_log_newest_first_and_a_replay(show, team, hook, django_assert_max_num_queries):
    deliveries = [
        WebhookDelivery.objects.create(
            subscription=hook, event_name="task:update", payload={"n": n}, position=n
        )
        for n in range(3)
    ]
    WebhookDelivery.objects.filter(pk=deliveries[0].pk).update(
        state="delivered", response_code=200, attempts=1
    )
    api = client_for(team["manager"])

    with django_assert_max_num_queries(8):
        rows = api.get(hooks_url(show, hook.id, "deliveries")).json()
    assert [row["payload"] for row in rows] == [{"n": 2}, {"n": 1}, {"n": 0}]
    assert rows[-1]["state"] == "delivered" and rows[-1]["response_code"] == 200 and rows[-1]["attempts"] == 1
    assert api.get(hooks_url(show, hook.id, "deliveries") + "?limit=1").json()[0]["payload"] == {"n": 2}
    assert api.get(hooks_url(show, hook.id, "deliveries") + "?limit=0").status_code == 400

    response = api.post(hooks_url(show, hook.id, "deliveries", deliveries[0].id, "replay"))

    assert response.status_code == 201
    replayed = response.json()
    assert replayed["replay_of"] == str(deliveries[0].id) and replayed["payload"] == {"n": 0}
    assert replayed["event_name"] == "task:update" and replayed["id"] != str(deliveries[0].id)
    assert WebhookDelivery.objects.count() == 4


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/api/data/persons",
        "http://localhost/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://[::1]/hook",
        "ftp://example.com/hook",
    ],
)
def test_a_webhook_to_this_servers_network_is_a_400(show, team, url):
    """No request forgery through webhooks: loopback, private, link-local (cloud metadata)
    addresses and other schemes are refused, nothing written."""
    api = client_for(team["manager"])
    response = api.post(hooks_url(show), body(url=url), format="json")
    assert response.status_code == 400
    assert "url" in response.json()["message"]
    assert not WebhookSubscription.objects.filter(project=show).exists()
