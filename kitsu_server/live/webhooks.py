"""Outgoing webhooks: which subscriptions an event goes to, the signed request, and the delivery
of a subscription's pending events in order.

A request is a POST of the JSON payload `{"id", "event", "project_id", "data", "created_at"}`
with the headers `X-Kitsu-Event` (the event name), `X-Kitsu-Delivery` (the delivery id: a replay
has its own; a receiver may dedupe on it), `X-Kitsu-Timestamp` (Unix seconds) and
`X-Kitsu-Signature: sha256=<hex>`, the HMAC-SHA256 of `"<timestamp>.<body>"` keyed with the
subscription's secret. A receiver checks the signature and refuses old timestamps (replays).

Order: a subscription is delivered by one run at a time (a lease on its row), oldest delivery
first; a failed delivery stops the run, which retries with exponential backoff (kitsu_server.live
.jobs) and keeps the lease meanwhile, so that later events wait behind it. A run that finds nothing
left releases the lease, then looks again: an event committed meanwhile is either seen there or
finds the lease free for its own run (no event is left behind).
"""

import datetime
import hashlib
import hmac
import logging
import secrets
import time

import orjson
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kitsu_server.api.json import format_datetime
from kitsu_server.core.models import WebhookDelivery, WebhookSubscription
from kitsu_server.core.webhook_models import DELIVERED, PENDING
from kitsu_server.live.addresses import RefusedAddress, check_webhook_url

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Kitsu-Signature"
TIMESTAMP_HEADER = "X-Kitsu-Timestamp"
EVENT_HEADER = "X-Kitsu-Event"
DELIVERY_HEADER = "X-Kitsu-Delivery"
BODY_KEPT = 2000  # characters of a receiver's answer kept in the log


def new_secret():
    return secrets.token_hex(32)


def signature(secret, timestamp, body):
    """`sha256=<hex>`: the HMAC-SHA256 of `"<timestamp>.<body>"` keyed with `secret`."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(subscription, delivery, body, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "User-Agent": "Kitsu-Webhooks",
        EVENT_HEADER: delivery.event_name,
        DELIVERY_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(subscription.secret, timestamp, body),
    }


# --- from events to deliveries -------------------------------------------------------------------


def payload_of(event):
    return {
        "id": str(event.pk) if event.pk else None,
        "event": event.name,
        "project_id": str(event.project_id) if event.project_id else None,
        "data": event.data or {},
        "created_at": format_datetime(event.created_at or timezone.now()),
    }


SUBSCRIBED_KEY = "live:webhook-projects"
SUBSCRIBED_SECONDS = 60  # how stale another process's list may be without Redis (a shared cache)


def subscribed_project_ids():
    """The productions with an active subscription, cached: most writes then cost no query."""

    def read():
        return {
            str(pk)
            for pk in WebhookSubscription.objects.filter(active=True).values_list("project_id", flat=True)
        }

    return cache.get_or_set(SUBSCRIBED_KEY, read, SUBSCRIBED_SECONDS)


def forget_subscribed(**_):
    cache.delete(SUBSCRIBED_KEY)


def record_deliveries(events):
    """The deliveries of a commit's events to the subscriptions of their productions (one query
    for the subscriptions); answers the ids of the subscriptions that have new deliveries."""
    subscribed = subscribed_project_ids()
    project_ids = {event.project_id for event in events if str(event.project_id) in subscribed}
    if not project_ids:
        return set()
    subscriptions = list(WebhookSubscription.objects.filter(project_id__in=project_ids, active=True))
    if not subscriptions:
        return set()
    deliveries = [
        WebhookDelivery(
            subscription=subscription, event_name=event.name, payload=payload_of(event), position=n
        )
        for n, event in enumerate(events)
        for subscription in subscriptions
        if subscription.project_id == event.project_id and subscription.wants(event.name)
    ]
    WebhookDelivery.objects.bulk_create(deliveries)
    return {delivery.subscription_id for delivery in deliveries}


def replay(delivery):
    """A new pending delivery of the same payload (the log keeps the first one as it went)."""
    return WebhookDelivery.objects.create(
        subscription_id=delivery.subscription_id,
        event_name=delivery.event_name,
        payload=delivery.payload,
        replay_of=delivery,
    )


# --- delivering ----------------------------------------------------------------------------------


def lease_seconds(extra=0):
    return settings.WEBHOOK_TIMEOUT * 2 + 60 + extra


def acquire(subscription_id, holder, extra=0):
    """Take (or extend) the subscription's lease for `holder`; False when another run holds it."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=holder)
    return bool(
        WebhookSubscription.objects.filter(free, pk=subscription_id).update(
            lease_owner=holder, lease_until=now + datetime.timedelta(seconds=lease_seconds(extra))
        )
    )


def release(subscription_id, holder):
    WebhookSubscription.objects.filter(pk=subscription_id, lease_owner=holder).update(
        lease_owner="", lease_until=None
    )


def next_pending(subscription_id):
    return (
        WebhookDelivery.objects.filter(subscription_id=subscription_id, state=PENDING)
        .order_by("created_at", "position", "id")
        .first()
    )


def attempt(subscription, delivery):
    """POST one delivery; record the attempt. True when the receiver answered 2xx."""
    body = orjson.dumps(delivery.payload)
    code, text, error = None, "", ""
    try:
        check_webhook_url(subscription.url)  # again: the name may resolve elsewhere by now
        response = requests.post(
            subscription.url,
            data=body,
            headers=signed_headers(subscription, delivery, body),
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
        code, text = response.status_code, response.text[:BODY_KEPT]
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except RefusedAddress as exc:
        error = f"Refused: {exc}"[:BODY_KEPT]
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:BODY_KEPT]
    now = timezone.now()
    delivered = not error
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1,
        response_code=code,
        response_body=text,
        error=error,
        last_attempt_at=now,
        updated_at=now,
        **({"state": DELIVERED, "delivered_at": now} if delivered else {}),
    )
    return delivered


DONE, BUSY, FAILED = "done", "busy", "failed"


def deliver_pending(subscription_id, holder):
    """Deliver the subscription's pending events in order while `holder` holds its lease.

    DONE: nothing left; BUSY: another run holds the lease (it delivers ours too); FAILED: a
    delivery failed, the lease is kept (the caller retries later, or releases it)."""
    while True:
        if not acquire(subscription_id, holder):
            return BUSY
        subscription = WebhookSubscription.objects.filter(pk=subscription_id, active=True).first()
        while subscription is not None:
            delivery = next_pending(subscription_id)
            if delivery is None:
                break
            if not attempt(subscription, delivery):
                return FAILED
            acquire(subscription_id, holder)  # extended for the next one
        release(subscription_id, holder)
        if subscription is None or next_pending(subscription_id) is None:
            return DONE


def enqueue_deliveries(subscription_ids):
    """Send a delivery task for each subscription once the current transaction commits."""
    from kitsu_server.live.jobs import deliver_webhooks

    for subscription_id in sorted(subscription_ids, key=str):
        transaction.on_commit(lambda pk=str(subscription_id): _send(deliver_webhooks, pk))


def _send(task, subscription_id):
    try:
        task.apply_async(args=[subscription_id])
    except Exception:  # noqa: BLE001  (the broker is down: the next event or a replay sends it)
        logger.exception("Webhook delivery of %s could not be queued", subscription_id)


def queue_events(events):
    """The listener of committed events: record their deliveries, queue their delivery."""
    try:
        with transaction.atomic():
            enqueue_deliveries(record_deliveries(events))
    except Exception:  # noqa: BLE001  (the write is committed: never fail it for its webhooks)
        logger.exception("Webhook deliveries of %s events could not be recorded", len(events))
