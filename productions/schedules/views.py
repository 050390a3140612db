"""A production's schedule routes: milestones, schedule items, day offs, time spents and the
production schedule versions' task links and actions. Thin views: resolve and check, then one
query or service call.

Who reads what (the reference's rules, with the role each person holds on the project):
- milestones, time spents: the project's members but its clients;
- all schedule items: its members but clients and vendors; the task type and entity schedules:
  its members but vendors;
- day offs: its members but clients and vendors; their description only for managers and for
  the person concerned;
- a task type's time spents and the version actions: the project's managers;
- a version's task links: the project's members but clients and vendors.
"""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_bool, parse_uuid
from kitsu_server.api.requests import json_body
from kitsu_server.core.access import access_for
from kitsu_server.core.access.projects import NO_SCHEDULE_ROLES
from kitsu_server.core.access.roles import MANAGER_ROLES
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import object_or_404
from kitsu_server.core.scoped import MANAGER, ProjectScopedView
from productions.models import ProductionScheduleVersion
from productions.schedules import queries, services
from tasks.models import TaskType

TAGS = ["projects/schedule"]


def members_but(*blocked_roles):
    """A project-scoped rule: the project's members, but those holding one of `blocked_roles` there."""

    def rule(access, project):
        access.check_project_reader(project.pk, blocked_roles)

    return rule


def task_type_for(task_type_id):
    return object_or_404(TaskType.objects.only("pk"), task_type_id, "TaskType").pk


def version_for(version_id):
    return object_or_404(ProductionScheduleVersion, version_id, "ProductionScheduleVersion")


def date_range(params):
    """The optional `start_date` / `end_date` of the query string, or the reference's 400."""
    start, end = params.get("start_date"), params.get("end_date")
    try:
        return _as_date(start), _as_date(end)
    except ValueError:
        raise WrongParameter(f"Wrong date format for {start} and/or {end}") from None


def _as_date(value):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return datetime.datetime.fromisoformat(value).date()


# --- OpenAPI shapes ------------------------------------------------------------------------------


class MilestoneSummary(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.DateField(allow_null=True)
    name = serializers.CharField()
    project_id = serializers.UUIDField(allow_null=True)
    task_type_id = serializers.UUIDField(allow_null=True)


class ScheduleItemSummary(serializers.Serializer):
    id = serializers.UUIDField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    man_days = serializers.IntegerField(allow_null=True)
    project_id = serializers.UUIDField(allow_null=True)
    task_type_id = serializers.UUIDField(allow_null=True)
    object_id = serializers.UUIDField(allow_null=True)


class EntityScheduleItem(ScheduleItemSummary):
    name = serializers.CharField(help_text="The name of the asset type or entity the item is for")


class TaskLinksCopyResult(serializers.Serializer):
    success = serializers.BooleanField()
    task_link_count = serializers.IntegerField()


class ScheduleAppliedResult(serializers.Serializer):
    success = serializers.BooleanField()
    task_count = serializers.IntegerField()


class ScheduleVersionSource(serializers.Serializer):
    production_schedule_version_id = serializers.UUIDField()


DATE_RANGE_PARAMETERS = [
    OpenApiParameter("start_date", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)"),
    OpenApiParameter("end_date", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD)"),
]
EPISODE_PARAMETER = OpenApiParameter(
    "episode_id", OpenApiTypes.UUID, description="Restrict the schedule to one episode"
)


# --- milestones and schedule items ---------------------------------------------------------------


class ProjectMilestonesView(ProjectScopedView):
    """The production's milestones, by date (its members but its clients)."""

    rules = {"GET": members_but("client")}

    @extend_schema(tags=TAGS, responses=MilestoneSummary(many=True))
    def get(self, request, project_id):
        return Response(queries.project_milestones(self.project.pk))


class ProjectScheduleItemsView(ProjectScopedView):
    """Every schedule item of the production (its members but its clients and vendors)."""

    rules = {"GET": members_but("client", "vendor")}

    @extend_schema(tags=TAGS, responses=output_serializer(REGISTRY["schedule-items"])(many=True))
    def get(self, request, project_id):
        return Response(queries.project_schedule_items(self.project.pk))


class ProjectTaskTypeScheduleItemsView(ProjectScopedView):
    """The production schedule's task type lines, made on first read."""

    rules = {"GET": members_but("vendor")}

    @extend_schema(tags=TAGS, responses=ScheduleItemSummary(many=True))
    def get(self, request, project_id):
        return Response(services.task_type_schedule_items(self.project.pk, user=request.user))


class EntityScheduleItemsView(ProjectScopedView):
    """The lines of one task type's schedule, one per object `targets` lists, made on first read."""

    targets = None
    rules = {"GET": members_but("vendor")}

    @extend_schema(tags=TAGS, parameters=[EPISODE_PARAMETER], responses=EntityScheduleItem(many=True))
    def get(self, request, project_id, task_type_id):
        project_id = self.project.pk
        task_type_id = task_type_for(task_type_id)
        episode_id = request.query_params.get("episode_id") or None
        if episode_id is not None:
            episode_id = parse_uuid(episode_id, "Wrong UUID format.")
        targets = type(self).targets(project_id, episode_id)
        return Response(services.entity_schedule_items(project_id, task_type_id, targets, user=request.user))


class AssetTypeScheduleItemsView(EntityScheduleItemsView):
    targets = staticmethod(queries.asset_type_targets)


class EpisodeScheduleItemsView(EntityScheduleItemsView):
    targets = staticmethod(queries.episode_targets)


class SequenceScheduleItemsView(EntityScheduleItemsView):
    targets = staticmethod(queries.sequence_targets)


class EditScheduleItemsView(EntityScheduleItemsView):
    targets = staticmethod(queries.edit_targets)


# --- day offs and time spents ------------------------------------------------------------------


class ProjectDayOffsView(ProjectScopedView):
    rules = {"GET": members_but("client", "vendor")}

    @extend_schema(
        tags=TAGS,
        parameters=DATE_RANGE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
        description="{person id: [day offs]} of the project's team overlapping the range.",
    )
    def get(self, request, project_id):
        start, end = date_range(request.query_params)
        rows = queries.team_day_offs(
            self.project.pk, start, end, full_for_all=self.role in MANAGER_ROLES, reader_id=request.user.pk
        )
        return Response(rows)


class ProjectTimeSpentsView(ProjectScopedView):
    """The production's time spents the person reads (its members but its clients)."""

    rules = {"GET": members_but("client")}

    @extend_schema(tags=TAGS, responses=output_serializer(REGISTRY["time-spents"])(many=True))
    def get(self, request, project_id):
        return Response(queries.project_time_spents(self.project.pk, self.access))


class ProjectTaskTypeTimeSpentsView(ProjectScopedView):
    rules = {"GET": MANAGER}

    @extend_schema(
        tags=TAGS,
        parameters=DATE_RANGE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
        description="{person id: [time spents, newest first]} of the project's tasks of the task type.",
    )
    def get(self, request, project_id, task_type_id):
        task_type_id = task_type_for(task_type_id)
        start, end = date_range(request.query_params)
        return Response(queries.task_type_time_spents(self.project.pk, task_type_id, start, end))


# --- production schedule versions ----------------------------------------------------------------


class VersionTaskLinksView(KitsuView):
    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("task_type_id", OpenApiTypes.UUID, description="Only the tasks of this type"),
            OpenApiParameter("relations", bool, description="Add the assignees id lists"),
        ],
        responses=output_serializer(REGISTRY["production-schedule-version-task-links"])(many=True),
    )
    def get(self, request, production_schedule_version_id):
        version = version_for(production_schedule_version_id)
        access_for(request).check_project_reader(version.project_id, NO_SCHEDULE_ROLES)
        task_type_id = request.query_params.get("task_type_id") or None
        if task_type_id is not None:
            task_type_id = parse_uuid(task_type_id, "Wrong UUID format.")
        relations = parse_bool(request.query_params.get("relations", "false"))
        return Response(queries.version_task_links(version.pk, task_type_id, relations))


def managed_version(request, version_id):
    version = version_for(version_id)
    access_for(request).check_manager(version.project_id)
    return version


class VersionTaskLinksFromProductionView(KitsuView):
    @extend_schema(tags=TAGS, request=None, responses=TaskLinksCopyResult)
    def post(self, request, production_schedule_version_id):
        version = managed_version(request, production_schedule_version_id)
        return Response(services.set_task_links_from_production(version, user=request.user))


class VersionTaskLinksFromVersionView(KitsuView):
    @extend_schema(tags=TAGS, request=ScheduleVersionSource, responses=TaskLinksCopyResult)
    def post(self, request, production_schedule_version_id):
        version = managed_version(request, production_schedule_version_id)
        body = json_body(request)
        source_id = body.get("production_schedule_version_id")
        if source_id in (None, ""):
            raise WrongParameter("Missing required field(s): production_schedule_version_id.")
        source = version_for(source_id)
        if source.project_id != version.project_id:
            raise WrongParameter("Production schedule versions must belong to the same project.")
        if source.pk == version.pk:
            raise WrongParameter("A production schedule version cannot be copied onto itself.")
        return Response(services.set_task_links_from_version(version, source, user=request.user))


class VersionApplyToProductionView(KitsuView):
    @extend_schema(tags=TAGS, request=None, responses=ScheduleAppliedResult)
    def post(self, request, production_schedule_version_id):
        version = managed_version(request, production_schedule_version_id)
        return Response(services.apply_version_to_production(version, user=request.user))
