from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = "Assets and breakdown"

    def ready(self):
        from assets import crud, receivers  # noqa: F401  (registers this app's /data policies, its receivers)
