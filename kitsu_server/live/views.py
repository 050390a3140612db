"""A production's outgoing webhooks (an extension: the reference has none): subscriptions on
`/data/projects/{project_id}/webhooks`, their delivery log, and the replay of a delivery.

Its managers only (admins included), like the budgets. The subscription's secret is in its
answers: the managers configure the receiver with it, to check the signatures.
"""

import re

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.json import format_datetime
from kitsu_server.api.requests import query_int, validated
from kitsu_server.core.lookups import object_or_404
from kitsu_server.core.models import WebhookDelivery, WebhookSubscription
from kitsu_server.core.scoped import MANAGER, ProjectScopedView
from kitsu_server.live import services
from kitsu_server.live.addresses import RefusedAddress, check_webhook_url

TAGS = ["projects/webhooks"]
EVENT_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9-]*:(\*|[a-z][a-z0-9-:]*))$")
DELIVERIES_LIMIT = 100


# --- request and response shapes -------------------------------------------------------------


def check_events(names):
    wrong = [name for name in names if not isinstance(name, str) or not EVENT_PATTERN.match(name)]
    if wrong:
        raise serializers.ValidationError(f"Not an event name: {', '.join(map(str, wrong))}.")
    return names


class WebhookChanges(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    url = serializers.URLField(max_length=1000, required=False)
    events = serializers.ListField(
        child=serializers.CharField(max_length=80),
        allow_empty=False,
        max_length=200,
        required=False,
        help_text='Event names ("comment:new"), a family ("task:*") or "*" for all.',
    )
    active = serializers.BooleanField(required=False)
    secret = serializers.CharField(
        min_length=16, max_length=128, required=False, help_text="Generated when absent."
    )

    def validate_url(self, value):
        try:
            check_webhook_url(value)
        except RefusedAddress as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value

    def validate_events(self, value):
        return check_events(value)


class WebhookInput(WebhookChanges):
    name = serializers.CharField(max_length=120)
    url = serializers.URLField(max_length=1000)
    events = serializers.ListField(
        child=serializers.CharField(max_length=80), allow_empty=False, max_length=200
    )


class WebhookOutput(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField()
    project_id = serializers.UUIDField()
    name = serializers.CharField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    secret = serializers.CharField()
    created_by = serializers.UUIDField(allow_null=True)
    created_at = serializers.CharField()
    updated_at = serializers.CharField()


class DeliveryOutput(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField()
    subscription_id = serializers.UUIDField()
    event_name = serializers.CharField()
    payload = serializers.DictField()
    state = serializers.CharField(help_text="pending or delivered")
    attempts = serializers.IntegerField()
    response_code = serializers.IntegerField(allow_null=True)
    response_body = serializers.CharField()
    error = serializers.CharField()
    last_attempt_at = serializers.CharField(allow_null=True)
    delivered_at = serializers.CharField(allow_null=True)
    replay_of = serializers.UUIDField(allow_null=True)
    created_at = serializers.CharField()


def webhook_json(subscription):
    return {
        "id": str(subscription.pk),
        "type": "WebhookSubscription",
        "project_id": str(subscription.project_id),
        "name": subscription.name,
        "url": subscription.url,
        "events": subscription.events,
        "active": subscription.active,
        "secret": subscription.secret,
        "created_by": str(subscription.created_by_id) if subscription.created_by_id else None,
        "created_at": format_datetime(subscription.created_at),
        "updated_at": format_datetime(subscription.updated_at),
    }


def delivery_json(delivery):
    def moment(value):
        return format_datetime(value) if value else None

    return {
        "id": str(delivery.pk),
        "type": "WebhookDelivery",
        "subscription_id": str(delivery.subscription_id),
        "event_name": delivery.event_name,
        "payload": delivery.payload,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "response_code": delivery.response_code,
        "response_body": delivery.response_body,
        "error": delivery.error,
        "last_attempt_at": moment(delivery.last_attempt_at),
        "delivered_at": moment(delivery.delivered_at),
        "replay_of": str(delivery.replay_of_id) if delivery.replay_of_id else None,
        "created_at": format_datetime(delivery.created_at),
    }


# --- routes --------------------------------------------------------------------------------------


class WebhookScopedView(ViewSetMixin, ProjectScopedView):
    def webhook(self, webhook_id):
        subscription = object_or_404(WebhookSubscription, webhook_id, "Webhook")
        if subscription.project_id != self.project.pk:
            raise NotFound("Webhook not found.")
        return subscription


class WebhookViewSet(WebhookScopedView):
    """A production's webhooks: list and create on `/webhooks`, read, change and delete on
    `/webhooks/{webhook_id}`. Its managers only."""

    rules = {"list": MANAGER, "create": MANAGER, "retrieve": MANAGER, "update": MANAGER, "destroy": MANAGER}

    @extend_schema(tags=TAGS, responses=WebhookOutput(many=True))
    def list(self, request, project_id):
        rows = WebhookSubscription.objects.filter(project=self.project).order_by("created_at", "id")
        return Response([webhook_json(row) for row in rows])

    @extend_schema(tags=TAGS, request=WebhookInput, responses={201: WebhookOutput})
    def create(self, request, project_id):
        values = validated(WebhookInput, request.data)
        subscription = services.create_webhook(self.project, values, user=request.user)
        return Response(webhook_json(subscription), status=201)

    @extend_schema(tags=TAGS, responses=WebhookOutput)
    def retrieve(self, request, project_id, webhook_id):
        return Response(webhook_json(self.webhook(webhook_id)))

    @extend_schema(tags=TAGS, request=WebhookChanges, responses=WebhookOutput)
    def update(self, request, project_id, webhook_id):
        subscription = self.webhook(webhook_id)
        values = validated(WebhookChanges, request.data)
        return Response(webhook_json(services.update_webhook(subscription, values)))

    @extend_schema(tags=TAGS, responses={204: None})
    def destroy(self, request, project_id, webhook_id):
        self.webhook(webhook_id).delete()
        return Response(status=204)


class WebhookDeliveryViewSet(WebhookScopedView):
    """A webhook's delivery log (newest first, `limit` at most 100) and the replay of a delivery."""

    rules = {"list": MANAGER, "replay": MANAGER}

    @extend_schema(tags=TAGS, responses=DeliveryOutput(many=True))
    def list(self, request, project_id, webhook_id):
        subscription = self.webhook(webhook_id)
        limit = query_int(request, "limit", default=DELIVERIES_LIMIT, minimum=1, maximum=DELIVERIES_LIMIT)
        rows = WebhookDelivery.objects.filter(subscription=subscription).order_by(
            "-created_at", "-position", "-id"
        )[:limit]
        return Response([delivery_json(row) for row in rows])

    @extend_schema(tags=TAGS, request=None, responses={201: DeliveryOutput})
    def replay(self, request, project_id, webhook_id, delivery_id):
        subscription = self.webhook(webhook_id)
        delivery = object_or_404(
            WebhookDelivery.objects.filter(subscription=subscription), delivery_id, "Delivery"
        )
        return Response(delivery_json(services.replay_delivery(delivery)), status=201)
