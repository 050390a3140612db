"""Routes of the live events' extensions: a production's webhooks, one line each (see
kitsu_server.routing.kitsu_path). The event stream itself is at `/socket.io` (kitsu_server.asgi)."""

from kitsu_server.live import views
from kitsu_server.routing import kitsu_path

urlpatterns = [
    kitsu_path(
        "/data/projects/{project_id}/webhooks",
        views.WebhookViewSet.as_view({"get": "list", "post": "create"}),
        name="project-webhooks",
    ),
    kitsu_path(
        "/data/projects/{project_id}/webhooks/{webhook_id}",
        views.WebhookViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="project-webhook",
    ),
    kitsu_path(
        "/data/projects/{project_id}/webhooks/{webhook_id}/deliveries",
        views.WebhookDeliveryViewSet.as_view({"get": "list"}),
        name="project-webhook-deliveries",
    ),
    kitsu_path(
        "/data/projects/{project_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
        views.WebhookDeliveryViewSet.as_view({"post": "replay"}),
        name="project-webhook-delivery-replay",
    ),
]
