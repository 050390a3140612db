from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Files and reviews"

    def ready(self):
        from files import crud  # noqa: F401  (registers this app's /data policies)
