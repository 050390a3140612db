from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and studio"

    def ready(self):
        from people import crud  # noqa: F401  (registers this app's /data policies)
