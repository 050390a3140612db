"""Webhook deliveries without a worker (no REDIS_URL: Celery runs the delivery when the write
commits): signed requests, what a subscription receives, the log, and a receiver that was down."""

import hashlib
import hmac
import json

import pytest
from django.db import transaction

from kitsu_server.core.events import record_event
from kitsu_server.core.models import WebhookDelivery, WebhookSubscription
from tests import factories
from tests.factories import client_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SECRET = "a-secret-of-the-receiver"


@pytest.fixture(autouse=True)
def receivers_on_loopback(settings):
    """The test receivers listen on 127.0.0.1, which webhooks may not reach by default."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


def subscribe(show, receiver, events=("comment:new",), **fields):
    return WebhookSubscription.objects.create(
        project=show, name="Receiver", url=receiver.url, secret=SECRET, events=list(events), **fields
    )


def verify(headers, body, secret=SECRET):
    """What a receiver does: recompute the signature of "<timestamp>.<body>"."""
    timestamp = headers["X-Kitsu-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Kitsu-Signature"], f"sha256={expected}")


def test_a_comment_is_posted_signed_to_the_subscribed_receiver(production, receiver):
    show, team, task, status = production
    hook = subscribe(show, receiver)

    response = client_for(team["supervisor"]).post(
        f"/api/actions/tasks/{task.pk}/comment",
        {"task_status_id": str(status.pk), "comment": "hooked"},
        format="json",
    )

    assert response.status_code == 201
    ((headers, body),) = receiver.received
    assert verify(headers, body)
    assert not verify(headers, body, secret="another secret")
    assert not verify(headers, body.replace(b"hooked", b"hacked") + b" ")
    payload = json.loads(body)
    assert payload["event"] == "comment:new" and headers["X-Kitsu-Event"] == "comment:new"
    assert payload["project_id"] == str(show.pk)
    assert payload["data"]["comment_id"] == response.json()["id"] and payload["data"]["task_id"] == str(
        task.pk
    )
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Kitsu-Delivery"] == str(delivery.pk)
    assert (delivery.subscription_id, delivery.state, delivery.response_code, delivery.attempts) == (
        hook.pk,
        "delivered",
        200,
        1,
    )


def test_only_the_subscribed_events_of_the_production_are_delivered(production, receiver):
    show, team, task, status = production
    subscribe(show, receiver, events=("task:*",))
    subscribe(show, receiver, events=("*",), active=False)
    other = factories.make_project(name="Unhooked")

    record_event("task:update", {"task_id": "1"}, project_id=show.pk)
    record_event("comment:new", {"comment_id": "2"}, project_id=show.pk)  # not subscribed to
    record_event("task:update", {"task_id": "3"}, project_id=other.pk)  # another production
    record_event("task-status:new", {"task_status_id": "4"})  # studio-wide
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("task:new", {"task_id": "5"}, project_id=show.pk)
        raise RuntimeError("rolled back")

    assert [json.loads(body)["data"] for _, body in receiver.received] == [
        {"task_id": "1", "project_id": str(show.pk)}
    ]
    assert WebhookDelivery.objects.count() == 1


def test_a_receiver_that_was_down_gets_every_delivery_once_back_in_order(production, receiver):
    show, team, task, status = production
    hook = subscribe(show, receiver, events=("task:update",))
    receiver.status = 503

    for n in range(3):
        record_event("task:update", {"task_id": f"down-{n}"}, project_id=show.pk)

    assert receiver.received == [] and receiver.refused > 0
    pending = WebhookDelivery.objects.filter(subscription=hook).order_by("created_at", "position")
    # Each event's run tries the oldest first, and stops there: the later ones wait behind it.
    assert [(row.state, row.response_code, row.attempts) for row in pending] == [
        ("pending", 503, 3),
        ("pending", None, 0),
        ("pending", None, 0),
    ]
    receiver.status = 200
    record_event("task:update", {"task_id": "back"}, project_id=show.pk)

    assert [json.loads(body)["data"]["task_id"] for _, body in receiver.received] == [
        "down-0",
        "down-1",
        "down-2",
        "back",
    ]
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_a_replay_posts_the_payload_again_under_a_new_delivery_id(production, receiver):
    show, team, task, status = production
    hook = subscribe(show, receiver, events=("task:update",))
    record_event("task:update", {"task_id": "once"}, project_id=show.pk)
    first = WebhookDelivery.objects.get()

    response = client_for(team["manager"]).post(
        f"/api/data/projects/{show.pk}/webhooks/{hook.pk}/deliveries/{first.pk}/replay"
    )

    assert response.status_code == 201
    (h1, b1), (h2, b2) = receiver.received
    assert (
        b1 == b2
        and h1["X-Kitsu-Delivery"] == str(first.pk)
        and h2["X-Kitsu-Delivery"] == response.json()["id"]
    )
    assert verify(h2, b2)


def test_a_delivery_to_a_private_address_is_refused_without_a_request(production, receiver, settings):
    """A URL that points (or has come to point) at this server's network is not posted to: the
    attempt is logged as refused, and the receiver hears nothing."""
    show, team, task, status = production
    hook = subscribe(show, receiver)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    with transaction.atomic():
        record_event("comment:new", {"comment_id": "c1", "task_id": str(task.pk)}, project_id=show.pk)

    delivery = WebhookDelivery.objects.get(subscription=hook)
    assert delivery.state != "delivered"
    assert delivery.error.startswith("Refused: The host 127.0.0.1 is a private or local address")
    assert receiver.received == [] and receiver.refused == 0
