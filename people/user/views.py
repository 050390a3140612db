"""Routes of the `user` area (part 1): the logged-in person's context, open projects, the entities
and tasks they are assigned, their to-do, done and to-check lists, their time, day offs, desktop
logins and avatar.

Every route answers for `request.user` alone, so there is no one else to check access to: the
reads are scoped to the requester in `people.user.queries` (assigned tasks of the open productions
they reach), the few writes go through `people.services`. As on the reference, these routes serve
persons only: a bot's API token is refused (403).
"""

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import UserView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.permissions import IsPersonIdentity
from kitsu_server.api.requests import query_id, query_int, query_moment, query_text, validated
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE, ROWS, or_null
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import asset_type_or_404, entity_or_404
from kitsu_server.core.rendering import render
from kitsu_server.core.scoped import ANYONE, ProjectScopedView
from people import queries, services
from people.lookups import parse_day
from people.serializers import (
    DAY_OFF_OR_NONE,
    DESKTOP_LOGIN_LOG,
    DESKTOP_LOGIN_LOGS,
    TIME_SPENT,
    TIME_SPENTS_IN_RANGE,
    DesktopLoginSerializer,
)
from people.user import queries as user

USER = ["data/user"]
USER_ACTIONS = ["actions/user"]

TASK = output_serializer(REGISTRY["tasks"])
TASK_TYPE = output_serializer(REGISTRY["task-types"])
ENTITY = output_serializer(REGISTRY["entities"])
ASSET_TYPE = output_serializer(REGISTRY["entity-types"])


# --- lookups and query strings --------------------------------------------------------------------


# The reference names `before` whatever the parameter, without a space after the full stop.
MOMENT_MESSAGE = "Wrong date format for before argument.Expected format: 2020-01-05T13:23:10 or 2020-01-05"


def query_person_ids(request):
    """`person_id`: "unassigned", or one or more comma-separated ids."""
    value = query_text(request, "person_id")
    if value is None or value == "unassigned":
        return value
    try:
        return [uuid.UUID(person_id) for person_id in value.split(",")]
    except ValueError:
        raise WrongParameter("Wrong UUID format.") from None


def url_day(value):
    return parse_day(value, "Wrong date format.")


# --- context and projects ------------------------------------------------------------------------------


class ContextView(UserView):
    """`GET /data/user/context`: what the web UI loads on login, scoped to the requester: studio
    settings, the directory (as their role reads it), their open projects and roles, their unread
    notification count and search filters; admins also get the user limit."""

    @extend_schema(tags=USER, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(user.user_context(access_for(request)))


class OpenProjectsView(UserView):
    """`GET /data/user/projects/open?name=`: the open projects of the requester's team (admins:
    all), with their descriptors (narrowed on the role held there) and settings links."""

    @extend_schema(
        tags=USER,
        parameters=[OpenApiParameter("name", OpenApiTypes.STR, description="Only the project of this name")],
        responses={200: ROWS},
    )
    def get(self, request):
        return Response(user.open_project_rows(access_for(request), query_text(request, "name")))


class UserProjectView(ProjectScopedView):
    """Base of `/data/user/projects/{project_id}/...`: the project of the URL (404 when none),
    then what the requester holds a task on in it (no one else to check access to)."""

    permission_classes = [IsPersonIdentity]
    rules = {"GET": ANYONE}


class ProjectAssetTypesView(UserProjectView):
    """`GET /data/user/projects/{project_id}/asset-types`: the types of the project's assets the
    requester holds a task on."""

    @extend_schema(tags=USER, responses={200: ASSET_TYPE(many=True)})
    def get(self, request, project_id):
        return Response(user.project_asset_types(self.access, self.project.pk))


class AssetTypeAssetsView(UserProjectView):
    """`GET /data/user/projects/{project_id}/asset-types/{asset_type_id}/assets`: the project's
    assets of that type the requester holds a task on."""

    @extend_schema(tags=USER, responses={200: ENTITY(many=True)})
    def get(self, request, project_id, asset_type_id):
        asset_type = asset_type_or_404(asset_type_id)
        return Response(user.asset_type_assets(self.access, self.project.pk, asset_type.pk))


class ProjectSequencesView(UserProjectView):
    """`GET /data/user/projects/{project_id}/sequences`: the sequences holding a shot the
    requester has a task on."""

    @extend_schema(tags=USER, responses={200: ENTITY(many=True)})
    def get(self, request, project_id):
        return Response(user.project_sequences(self.access, self.project.pk))


class ProjectEpisodesView(UserProjectView):
    """`GET /data/user/projects/{project_id}/episodes`: the episodes holding a shot the requester
    has a task on."""

    @extend_schema(tags=USER, responses={200: ENTITY(many=True)})
    def get(self, request, project_id):
        return Response(user.project_episodes(self.access, self.project.pk))


# --- entities and their tasks ----------------------------------------------------------------------


class EntityTasksView(UserView):
    """`GET /data/user/<kind>s/{id}/tasks`: the requester's tasks on the entity."""

    kind = None

    def tasks(self, request, entity_id):
        entity = entity_or_404(entity_id, self.kind)
        return Response(user.entity_tasks(access_for(request), entity.pk))


class EntityTaskTypesView(UserView):
    """`GET /data/user/<kind>s/{id}/task-types`: the types of the requester's tasks on the entity."""

    kind = None

    def task_types(self, request, entity_id):
        entity = entity_or_404(entity_id, self.kind)
        return Response(user.entity_task_types(access_for(request), entity.pk))


class AssetTasksView(EntityTasksView):
    kind = "Asset"

    @extend_schema(tags=USER, responses={200: TASK(many=True)})
    def get(self, request, asset_id):
        return self.tasks(request, asset_id)


class ShotTasksView(EntityTasksView):
    kind = "Shot"

    @extend_schema(tags=USER, responses={200: TASK(many=True)})
    def get(self, request, shot_id):
        return self.tasks(request, shot_id)


class SceneTasksView(EntityTasksView):
    kind = "Scene"

    @extend_schema(tags=USER, responses={200: TASK(many=True)})
    def get(self, request, scene_id):
        return self.tasks(request, scene_id)


class SequenceTasksView(EntityTasksView):
    """The tasks of the sequence itself (not of its shots)."""

    kind = "Sequence"

    @extend_schema(tags=USER, responses={200: TASK(many=True)})
    def get(self, request, sequence_id):
        return self.tasks(request, sequence_id)


class AssetTaskTypesView(EntityTaskTypesView):
    kind = "Asset"

    @extend_schema(tags=USER, responses={200: TASK_TYPE(many=True)})
    def get(self, request, asset_id):
        return self.task_types(request, asset_id)


class ShotTaskTypesView(EntityTaskTypesView):
    kind = "Shot"

    @extend_schema(tags=USER, responses={200: TASK_TYPE(many=True)})
    def get(self, request, shot_id):
        return self.task_types(request, shot_id)


class SceneTaskTypesView(EntityTaskTypesView):
    kind = "Scene"

    @extend_schema(tags=USER, responses={200: TASK_TYPE(many=True)})
    def get(self, request, scene_id):
        return self.task_types(request, scene_id)


class SequenceTaskTypesView(EntityTaskTypesView):
    kind = "Sequence"

    @extend_schema(tags=USER, responses={200: TASK_TYPE(many=True)})
    def get(self, request, sequence_id):
        return self.task_types(request, sequence_id)


class SequenceEntitiesView(UserView):
    """`GET /data/user/sequences/{sequence_id}/shots|scenes`: the sequence's shots (or scenes) the
    requester has a task on."""

    kind = None

    def entities(self, request, sequence_id):
        sequence = entity_or_404(sequence_id, "Sequence")
        return Response(user.sequence_entities(access_for(request), sequence.pk, self.kind))


class SequenceShotsView(SequenceEntitiesView):
    kind = "Shot"

    @extend_schema(tags=USER, responses={200: ENTITY(many=True)})
    def get(self, request, sequence_id):
        return self.entities(request, sequence_id)


class SequenceScenesView(SequenceEntitiesView):
    kind = "Scene"

    @extend_schema(tags=USER, responses={200: ENTITY(many=True)})
    def get(self, request, sequence_id):
        return self.entities(request, sequence_id)


# --- to-do, done and to-check lists -------------------------------------------------------------------


class TodoTasksView(UserView):
    """`GET /data/user/tasks`: the requester's unfinished tasks in the open projects of their team,
    with the names around them, assignees and last comment."""

    @extend_schema(tags=USER, responses={200: ROWS})
    def get(self, request):
        return Response(user.todo_tasks(request.user))


class DoneTasksView(UserView):
    """`GET /data/user/done-tasks`: the same for their finished tasks, last ended first."""

    @extend_schema(tags=USER, responses={200: ROWS})
    def get(self, request):
        return Response(user.todo_tasks(request.user, done=True))


TO_CHECK_PARAMETERS = [
    OpenApiParameter("project_id", OpenApiTypes.UUID, description="Only this project"),
    OpenApiParameter("task_type_id", OpenApiTypes.UUID, description="Only tasks of this type"),
    OpenApiParameter("task_status_id", OpenApiTypes.UUID, description="Only tasks of this status"),
    OpenApiParameter(
        "person_id", OpenApiTypes.STR, description='Comma-separated assignee ids, or "unassigned"'
    ),
    OpenApiParameter("episode_id", OpenApiTypes.UUID, description="Only tasks of this episode"),
    OpenApiParameter("due_date_since", OpenApiTypes.DATE, description="Due on or after (date or date-time)"),
    OpenApiParameter("due_date_until", OpenApiTypes.DATE, description="Due on or before (date or date-time)"),
    OpenApiParameter(
        "order_by", OpenApiTypes.STR, enum=["priority", "due_date", "estimation", "entity_name"]
    ),
    OpenApiParameter("page", PAGE_NUMBER, description="Page number: answers a page envelope with stats"),
    OpenApiParameter("limit", PAGE_SIZE, description="Tasks per page (default 100)"),
]


# A plain list, or with `page` one page of it and the stats of the whole selection.
TASKS_TO_CHECK = {
    "oneOf": [
        ROWS,
        {
            "type": "object",
            "properties": {
                "data": ROWS,
                "stats": {
                    "type": "object",
                    "properties": {
                        "total": {"type": "integer"},
                        "total_duration": {"type": "number"},
                        "total_estimation": {"type": "number"},
                    },
                },
                "page": {"type": "integer"},
                "limit": {"type": "integer"},
                "is_more": {"type": "boolean"},
            },
            "required": ["data", "stats", "page", "limit", "is_more"],
        },
    ]
}


class TasksToCheckView(UserView):
    """`GET /data/user/tasks-to-check`: the tasks waiting for feedback the requester checks (admins:
    all open projects; managers: their open projects; supervisors: those of their departments;
    anyone else: none), filtered, a plain list or with `page` a page with stats."""

    @extend_schema(tags=USER, parameters=TO_CHECK_PARAMETERS, responses={200: TASKS_TO_CHECK})
    def get(self, request):
        filters = user.ToCheckFilters(
            project_id=query_id(request, "project_id"),
            task_type_id=query_id(request, "task_type_id"),
            task_status_id=query_id(request, "task_status_id"),
            person_ids=query_person_ids(request),
            episode_id=query_id(request, "episode_id"),
            due_date_since=query_moment(request, "due_date_since", MOMENT_MESSAGE),
            due_date_until=query_moment(request, "due_date_until", MOMENT_MESSAGE),
        )
        page = query_int(request, "page")
        limit = query_int(request, "limit", 100)
        order_by = query_text(request, "order_by")
        return Response(user.tasks_to_check(access_for(request), filters, order_by, page, limit))


class TasksToCheckFilterValuesView(UserView):
    """`GET /data/user/tasks-to-check/filter-values`: the projects, task types, statuses, episodes
    and assignees found among the tasks the requester checks."""

    @extend_schema(tags=USER, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(user.tasks_to_check_filter_values(access_for(request)))


# --- time, day offs, desktop logins, avatar ---------------------------------------------------------


TIME_SPENT_OR_NULL = or_null(TIME_SPENT)


class TaskTimeSpentView(UserView):
    """`GET /data/user/tasks/{task_id}/time-spents/{date}`: the requester's time spent on a task on
    a day, or null."""

    @extend_schema(tags=USER, responses={200: TIME_SPENT_OR_NULL})
    def get(self, request, task_id, date):
        day = url_day(date)
        try:
            task_id = uuid.UUID(str(task_id))
        except ValueError:
            raise WrongParameter(f"Malformed ID: {task_id}.") from None
        return Response(user.time_spent_of_task(request.user, task_id, day))


class TimeSpentsView(UserView):
    """`GET /data/user/time-spents?start_date=&end_date=`: the requester's time spents of a range of
    days (both included), each with its task's project and type; none without dates."""

    @extend_schema(
        tags=USER,
        parameters=[
            OpenApiParameter("start_date", OpenApiTypes.DATE, description="First day (with end_date)"),
            OpenApiParameter("end_date", OpenApiTypes.DATE, description="Last day (with start_date)"),
        ],
        responses={200: TIME_SPENTS_IN_RANGE},
    )
    def get(self, request):
        start, end = query_text(request, "start_date"), query_text(request, "end_date")
        if start is None and end is None:
            # The reference matches the time spents of a null day here, that is none.
            return Response([])
        if start is None or end is None:
            raise WrongParameter(
                "If querying for a range of dates, both a `start_date` and an `end_date` must be given."
            )
        message = f"Wrong date format for {start} and/or {end}"
        start, end = parse_day(start, message), parse_day(end, message)
        return Response(queries.time_spents_between(request.user, start, end))


class DateTimeSpentsView(UserView):
    """`GET /data/user/time-spents/{date}`: the requester's time spents of a day."""

    @extend_schema(
        tags=USER, operation_id="list_user_time_spents_of_day", responses={200: TIME_SPENT(many=True)}
    )
    def get(self, request, date):
        return Response(queries.time_spents_of_day(request.user, url_day(date)))


class DayOffView(UserView):
    """`GET /data/user/day-offs/{date}`: the requester's day off covering that day, or {}."""

    @extend_schema(tags=USER, responses={200: DAY_OFF_OR_NONE})
    def get(self, request, date):
        return Response(queries.day_off_on(request.user, url_day(date)))


class DesktopLoginLogViewSet(ViewSetMixin, UserView):
    """`GET|POST /data/user/desktop-login-logs`: the requester's logins from the desktop app,
    latest first; a POST records one (now, or at `date`) and updates their last presence."""

    @extend_schema(tags=USER, responses={200: DESKTOP_LOGIN_LOGS})
    def list(self, request):
        return Response(queries.desktop_login_logs(request.user))

    @extend_schema(tags=USER, request=DesktopLoginSerializer, responses={201: DESKTOP_LOGIN_LOG})
    def create(self, request):
        date = validated(DesktopLoginSerializer, request.data).get("date")
        log = services.create_desktop_login_log(request.user, date, request.user)
        return Response(render(log, relations=False), status=201)


class ClearAvatarView(UserView):
    """`DELETE /actions/user/clear-avatar`: the requester drops their avatar."""

    @extend_schema(tags=USER_ACTIONS, request=None, responses={204: None})
    def delete(self, request):
        services.clear_avatar(request.user, request.user)
        return Response(status=204)
