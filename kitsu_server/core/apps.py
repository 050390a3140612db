from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kitsu_server.core"
    label = "core"
    verbose_name = "Jobs and shared machinery"
