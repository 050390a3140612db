"""Back-office of budgets: budgets with their entries, and salary scales."""

from django.contrib import admin

from budgets.models import Budget, BudgetEntry, SalaryScale
from kitsu_server.admin_base import KitsuInline, KitsuModelAdmin


class BudgetEntryInline(KitsuInline):
    model = BudgetEntry
    extra = 0
    autocomplete_fields = ("department", "person")
    fields = (
        "department",
        "person",
        "position",
        "seniority",
        "start_date",
        "months_duration",
        "daily_salary",
    )


@admin.register(Budget)
class BudgetAdmin(KitsuModelAdmin):
    list_display = ("name", "project", "revision", "currency", "created_at")
    list_select_related = ("project",)
    list_filter = ("project",)
    search_fields = ("name", "project__name")
    autocomplete_fields = ("project",)
    inlines = (BudgetEntryInline,)


@admin.register(BudgetEntry)
class BudgetEntryAdmin(KitsuModelAdmin):
    list_display = (
        "budget",
        "department",
        "person",
        "position",
        "seniority",
        "start_date",
        "months_duration",
        "daily_salary",
    )
    list_select_related = ("budget", "department", "person")
    list_filter = ("department", "position", "seniority")
    search_fields = ("budget__name", "person__email", "person__last_name")
    autocomplete_fields = ("budget", "department", "person")


@admin.register(SalaryScale)
class SalaryScaleAdmin(KitsuModelAdmin):
    list_display = ("department", "position", "seniority", "salary")
    list_select_related = ("department",)
    list_filter = ("department", "position", "seniority")
    autocomplete_fields = ("department",)
    ordering = ("department__name", "position", "seniority")
