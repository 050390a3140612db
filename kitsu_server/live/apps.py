from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "kitsu_server.live"
    label = "live"
    verbose_name = "Live events and webhooks"

    def ready(self):
        from kitsu_server.core.events import on_events
        from kitsu_server.live.publisher import publish_events

        on_events(publish_events)
