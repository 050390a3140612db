from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self):
        from budgets import crud  # noqa: F401  (registers this app's /data policies)
