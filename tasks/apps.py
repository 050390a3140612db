from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks and comments"

    def ready(self):
        from tasks import crud, receivers  # noqa: F401  (registers this app's /data policies, its receivers)
