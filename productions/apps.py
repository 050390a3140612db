from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "productions"
    verbose_name = "Productions"

    def ready(self):
        from productions import crud  # noqa: F401  (registers this app's /data policies)
