from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "kitsu_server.live"
    label = "live"
    verbose_name = "Live events and webhooks"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from kitsu_server.core.events import on_events
        from kitsu_server.core.models import WebhookSubscription
        from kitsu_server.live.publisher import publish_events
        from kitsu_server.live.webhooks import forget_subscribed, queue_events

        on_events(publish_events)
        on_events(queue_events)
        for signal in (post_save, post_delete):
            signal.connect(
                forget_subscribed,
                sender=WebhookSubscription,
                dispatch_uid=f"forget-webhook-projects-{id(signal)}",
            )
