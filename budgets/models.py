"""Budgets: budgets, budget entries and salary scales."""

from django.conf import settings
from django.db import models

from kitsu_server.db import KitsuModel
from people.models import POSITION_TYPES, SENIORITY_TYPES


class Budget(KitsuModel):
    project = models.ForeignKey(
        "productions.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="budgets"
    )
    revision = models.IntegerField(default=1)
    name = models.CharField(max_length=255)
    currency = models.CharField(max_length=3, null=True, blank=True)

    class Meta:
        db_table = "budget"

    def __str__(self):
        return self.name


class BudgetEntry(KitsuModel):
    budget = models.ForeignKey("Budget", on_delete=models.PROTECT, related_name="budget_entries")
    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, related_name="budget_entries"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_entries",
    )
    start_date = models.DateField()
    months_duration = models.IntegerField()
    daily_salary = models.FloatField()
    position = models.CharField(
        max_length=255, choices=POSITION_TYPES, null=True, blank=True, default="artist"
    )
    seniority = models.CharField(
        max_length=255, choices=SENIORITY_TYPES, null=True, blank=True, default="mid"
    )
    exceptions = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "budget_entry"
        verbose_name_plural = "budget entries"

    def __str__(self):
        return f"{self.budget} {self.department} {self.start_date}"


class SalaryScale(KitsuModel):
    department = models.ForeignKey(
        "people.Department", on_delete=models.CASCADE, related_name="salary_scales"
    )
    position = models.CharField(
        max_length=255, choices=POSITION_TYPES, null=True, blank=True, default="artist"
    )
    seniority = models.CharField(
        max_length=255, choices=SENIORITY_TYPES, null=True, blank=True, default="mid"
    )
    salary = models.IntegerField(default=0)

    class Meta:
        db_table = "salary_scale"

    def __str__(self):
        return f"{self.department} {self.position} {self.seniority}"
