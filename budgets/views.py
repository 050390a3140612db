"""A production's budget routes: budgets, their entries and the time logged per month.

Only the project's managers reach them (admins included); the monthly time spents are for
admins only, as on the reference. Writes answer 200 with the object, as the reference does.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from budgets import queries, services
from budgets.models import Budget, BudgetEntry
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import object_or_404
from kitsu_server.core.rendering import render
from kitsu_server.core.scoped import MANAGER, ProjectScopedView
from people.models import POSITION_TYPES, SENIORITY_TYPES, Department, Person
from productions.models import Project

TAGS = ["projects/budgets"]


def budget_of(project_id, budget_id):
    budget = object_or_404(Budget, budget_id, "Budget")
    if budget.project_id != project_id:
        raise NotFound("Budget not found.")
    return budget


def entry_of(budget, entry_id):
    entry = object_or_404(BudgetEntry, entry_id, "BudgetEntry")
    if entry.budget_id != budget.pk:
        raise NotFound("BudgetEntry not found.")
    return entry


# --- request and response shapes -------------------------------------------------------------


class BudgetInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    currency = serializers.CharField(max_length=3, allow_null=True, default="USD")


class BudgetChanges(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False, allow_null=True)


class BudgetEntryChanges(serializers.Serializer):
    """What a budget entry update may send: only the fields given change."""

    department_id = serializers.UUIDField(required=False)
    person_id = serializers.UUIDField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False)
    months_duration = serializers.IntegerField(required=False, min_value=0)
    daily_salary = serializers.FloatField(required=False, min_value=0)
    position = serializers.ChoiceField(choices=POSITION_TYPES, required=False, allow_null=True)
    seniority = serializers.ChoiceField(choices=SENIORITY_TYPES, required=False, allow_null=True)
    exceptions = serializers.DictField(
        required=False,
        allow_null=True,
        help_text='Worked days of the months that differ, {"YYYY-MM": days}; 0 or null drops a month',
    )

    def validate_department_id(self, value):
        if not Department.objects.filter(pk=value).exists():
            raise serializers.ValidationError("No department has this id.")
        return value

    def validate_person_id(self, value):
        if value is not None and not Person.objects.filter(pk=value).exists():
            raise serializers.ValidationError("No person has this id.")
        return value

    def validate_exceptions(self, value):
        return services.clean_exceptions(value)


class BudgetEntryInput(BudgetEntryChanges):
    department_id = serializers.UUIDField()
    start_date = serializers.DateField()
    months_duration = serializers.IntegerField(min_value=0)
    daily_salary = serializers.FloatField(min_value=0)
    exceptions = None  # a new entry has none


class BudgetSummary(serializers.Serializer):
    id = serializers.UUIDField()
    project_id = serializers.UUIDField(allow_null=True)
    revision = serializers.IntegerField()
    name = serializers.CharField()
    currency = serializers.CharField(allow_null=True)


class BudgetEntrySummary(serializers.Serializer):
    id = serializers.UUIDField()
    budget_id = serializers.UUIDField()
    department_id = serializers.UUIDField()
    person_id = serializers.UUIDField(allow_null=True)
    start_date = serializers.DateField()
    months_duration = serializers.IntegerField()
    daily_salary = serializers.FloatField()
    position = serializers.CharField(allow_null=True)
    seniority = serializers.CharField(allow_null=True)
    exceptions = serializers.DictField(allow_null=True)


BUDGET = output_serializer(REGISTRY["budgets"])
BUDGET_ENTRY = output_serializer(REGISTRY["budget-entries"])


# --- budgets ------------------------------------------------------------------------------------


class BudgetViewSet(ViewSetMixin, ProjectScopedView):
    """A production's budgets: list and create on `/budgets`, read, change and delete on
    `/budgets/{budget_id}`. Its managers only."""

    rules = {"list": MANAGER, "create": MANAGER, "retrieve": MANAGER, "update": MANAGER, "destroy": MANAGER}

    @extend_schema(tags=TAGS, responses=BudgetSummary(many=True))
    def list(self, request, project_id):
        return Response(queries.project_budgets(self.project.pk))

    @extend_schema(tags=TAGS, request=BudgetInput, responses={200: BUDGET})  # 200, as the reference
    def create(self, request, project_id):
        values = validated(BudgetInput, request.data)
        budget = services.create_budget(
            self.project.pk, values["name"], values["currency"], user=request.user
        )
        return Response(render(budget))

    @extend_schema(tags=TAGS, responses=BUDGET)
    def retrieve(self, request, project_id, budget_id):
        return Response(render(budget_of(self.project.pk, budget_id)))

    @extend_schema(tags=TAGS, request=BudgetChanges, responses=BUDGET)
    def update(self, request, project_id, budget_id):
        budget = budget_of(self.project.pk, budget_id)
        changes = validated(BudgetChanges, request.data)
        return Response(render(services.update_budget(budget, changes, user=request.user)))

    @extend_schema(tags=TAGS, responses={204: None})
    def destroy(self, request, project_id, budget_id):
        services.delete_budget(budget_of(self.project.pk, budget_id), user=request.user)
        return Response(status=204)


class ProjectMonthTimeSpentsView(KitsuView):
    @extend_schema(
        tags=TAGS,
        responses={200: OpenApiTypes.OBJECT},
        description='{department id: {"total": t, person id: {"total": t, "YYYY-MM": t}}} (admins only).',
    )
    def get(self, request, project_id):
        # Admins only, checked before the production is looked up (a 403 before a 404).
        access_for(request).check_admin()
        project = object_or_404(Project.objects.only("pk"), project_id, "Project")
        return Response(queries.month_time_spents(project.pk))


# --- budget entries ----------------------------------------------------------------------------


class BudgetEntryViewSet(ViewSetMixin, ProjectScopedView):
    """A budget's entries: list and create on `/entries`, read, change and delete on
    `/entries/{entry_id}`. The production's managers only."""

    rules = {"list": MANAGER, "create": MANAGER, "retrieve": MANAGER, "update": MANAGER, "destroy": MANAGER}

    def budget(self, budget_id):
        return budget_of(self.project.pk, budget_id)

    @extend_schema(tags=TAGS, responses=BudgetEntrySummary(many=True))
    def list(self, request, project_id, budget_id):
        return Response(queries.budget_entries(self.budget(budget_id).pk))

    @extend_schema(tags=TAGS, request=BudgetEntryInput, responses={200: BUDGET_ENTRY})
    def create(self, request, project_id, budget_id):
        budget = self.budget(budget_id)
        values = validated(BudgetEntryInput, request.data)
        return Response(render(services.create_budget_entry(budget, values, user=request.user)))

    @extend_schema(tags=TAGS, responses=BUDGET_ENTRY)
    def retrieve(self, request, project_id, budget_id, entry_id):
        return Response(render(entry_of(self.budget(budget_id), entry_id)))

    @extend_schema(tags=TAGS, request=BudgetEntryChanges, responses=BUDGET_ENTRY)
    def update(self, request, project_id, budget_id, entry_id):
        budget = self.budget(budget_id)
        entry = entry_of(budget, entry_id)
        changes = validated(BudgetEntryChanges, request.data)
        return Response(render(services.update_budget_entry(entry, budget, changes, user=request.user)))

    @extend_schema(tags=TAGS, responses={204: None})
    def destroy(self, request, project_id, budget_id, entry_id):
        budget = self.budget(budget_id)
        services.delete_budget_entry(entry_of(budget, entry_id), budget, user=request.user)
        return Response(status=204)
