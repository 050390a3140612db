from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kitsu_server.core"
    label = "core"
    verbose_name = "Jobs and shared machinery"

    def ready(self):
        from kitsu_server.core.doctor import jobs as doctor_jobs  # noqa: F401  (declares the doctor's job kind)
        from kitsu_server.core.trash import jobs as trash_jobs  # noqa: F401  (declares the trash's jobs)
