"""Back-office of the outgoing webhooks: subscriptions (edited here as through the API), their
delivery log (read-only: the delivery task writes it), and the replay of deliveries."""

from django import forms
from django.contrib import admin

from kitsu_server.admin_base import KitsuModelAdmin
from kitsu_server.core.models import WebhookDelivery, WebhookSubscription
from kitsu_server.live import services
from kitsu_server.live.addresses import RefusedAddress, check_webhook_url

DELIVERY_FIELDS = (
    "id",
    "subscription",
    "event_name",
    "payload",
    "state",
    "attempts",
    "response_code",
    "response_body",
    "error",
    "last_attempt_at",
    "delivered_at",
    "replay_of",
    "created_at",
)


class WebhookSubscriptionForm(forms.ModelForm):
    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_webhook_url(url)
        except RefusedAddress as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(KitsuModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ("name", "project", "url", "active", "created_at")
    list_select_related = ("project",)
    list_filter = ("active",)
    search_fields = ("name", "url")
    autocomplete_fields = ("project",)
    readonly_fields = ("created_by", "lease_owner", "lease_until")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(KitsuModelAdmin):
    list_display = ("event_name", "subscription", "state", "attempts", "response_code", "created_at")
    list_select_related = ("subscription",)
    list_filter = ("state", "event_name")
    search_fields = ("event_name",)
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Replay the selected deliveries (post their payload again)")
    def replay(self, request, queryset):
        replayed = [
            services.replay_delivery(delivery) for delivery in queryset.order_by("created_at", "position")
        ]
        self.message_user(request, f"{len(replayed)} deliveries queued again.")
