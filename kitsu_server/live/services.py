"""Writes of the webhook routes and the back-office: subscriptions and replays."""

from django.db import transaction

from kitsu_server.core.models import WebhookSubscription
from kitsu_server.live import webhooks

EDITABLE = ("name", "url", "events", "active", "secret")


@transaction.atomic
def create_webhook(project, values, user=None):
    return WebhookSubscription.objects.create(
        project=project,
        name=values["name"],
        url=values["url"],
        events=list(dict.fromkeys(values["events"])),
        active=values.get("active", True),
        secret=values.get("secret") or webhooks.new_secret(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def update_webhook(subscription, values):
    changed = [name for name in EDITABLE if name in values]
    for name in changed:
        value = values[name]
        setattr(subscription, name, list(dict.fromkeys(value)) if name == "events" else value)
    if changed:
        subscription.save(update_fields=changed)
    if values.get("active"):  # switched back on: what waited goes out
        webhooks.enqueue_deliveries({subscription.pk})
    return subscription


@transaction.atomic
def replay_delivery(delivery):
    """Post a delivery's payload again, as a new delivery after the pending ones."""
    replayed = webhooks.replay(delivery)
    webhooks.enqueue_deliveries({delivery.subscription_id})
    return replayed
