"""Outgoing webhooks: a production's subscriptions to event names, and the log of each delivery.

Managed through `/api/data/webhooks` and the back-office, delivered by kitsu_server.live (a Celery
task per subscription, in order, with retries and exponential backoff)."""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel

PENDING, DELIVERED = "pending", "delivered"
DELIVERY_STATES = [(PENDING, "Pending"), (DELIVERED, "Delivered")]


class WebhookSubscription(KitsuModel):
    """Events of `project` whose name is in `events` ("comment:new", "task:*" for a family, "*"
    for all) are posted to `url`, signed with `secret` (HMAC-SHA256).

    `lease_owner` / `lease_until`: the delivery run that holds the subscription (one at a time, so
    that deliveries go out in order); a lease left by a dead worker expires."""

    project = models.ForeignKey(
        "productions.Project", on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    name = models.CharField(max_length=120)
    url = models.URLField(max_length=1000)
    secret = models.CharField(max_length=128)
    events = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lease_owner = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "webhook_subscription"
        indexes = [models.Index(fields=["project", "active"], name="webhook_sub_project_idx")]

    def __str__(self):
        return f"{self.name} ({self.url})"

    def wants(self, event_name):
        for pattern in self.events or []:
            if pattern == "*" or pattern == event_name:
                return True
            if pattern.endswith(":*") and event_name.startswith(pattern[:-1]):
                return True
        return False


class WebhookDelivery(KitsuModel):
    """One event posted (or to post) to one subscription: its payload, and how its last attempt
    went (HTTP status, error, number of attempts). Delivered in (`created_at`, `position`) order."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_name = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    position = models.PositiveIntegerField(default=0)  # within the events of one commit
    state = models.CharField(max_length=20, choices=DELIVERY_STATES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    replay_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "webhook_delivery"
        indexes = [
            models.Index(fields=["subscription", "state", "created_at"], name="webhook_delivery_state_idx"),
        ]

    def __str__(self):
        return f"{self.event_name} -> {self.subscription_id} ({self.state})"
