"""Routes of the API event log: its last events (a cursor page, filtered), the last logins, the
names of the events it holds."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.requests import query_id, query_int, query_moment
from kitsu_server.api.schema import PAGE_SIZE
from kitsu_server.core.access import access_for
from tasks.events.queries import EventFilters, event_names, last_events, last_login_logs
from tasks.inputs import MOMENT_MESSAGE, query_ids

EVENTS_PAGE_SIZE, EVENTS_MAX_PAGE_SIZE = 100, 1000
# Event name parts are plain words: anything else could act as a LIKE wildcard.
NAME_PART_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


def query_name_parts(request, name):
    values = request.query_params.getlist(name)
    for value in values:
        if not value or not set(value) <= NAME_PART_CHARACTERS:
            raise WrongParameter(f"The {name} parameter contains an invalid value")
    return values


# --- events -------------------------------------------------------------------------------------


class EventSchema(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    name = serializers.CharField()
    user_id = serializers.UUIDField(allow_null=True)
    project_id = serializers.UUIDField(allow_null=True)
    data = serializers.JSONField(allow_null=True)  # any JSON: /data/events takes it as sent


class LoginLogSchema(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.CharField()
    ip_address = serializers.CharField(allow_null=True)
    person_id = serializers.UUIDField()
    origin = serializers.CharField(allow_null=True)


def page_limit(request):
    limit = query_int(request, "limit", EVENTS_PAGE_SIZE, keep_empty=True)
    if limit < 0:
        raise WrongParameter("limit must be a positive integer.")
    return min(limit, EVENTS_MAX_PAGE_SIZE)


class EventsLastView(KitsuView):
    """`GET /data/events/last`: the API event log, newest first, a page at a time (`limit`, at most
    1,000; `cursor_event_id` for the events before that one). Managers only, held to the projects
    of their team (events without a project are for admins)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("after", str, description="Created after (YYYY-MM-DD[THH:MM:SS])"),
            OpenApiParameter("before", str, description="Created before (YYYY-MM-DD[THH:MM:SS])"),
            OpenApiParameter("only_files", bool, description="Only the events about stored files"),
            OpenApiParameter("cursor_event_id", OpenApiTypes.UUID, description="Events older than this one"),
            OpenApiParameter("limit", PAGE_SIZE, description="Events per page (default 100, at most 1000)"),
            OpenApiParameter("project_id", OpenApiTypes.UUID),
            OpenApiParameter("name", str, description="Exact event name"),
            OpenApiParameter("name_prefixes", str, many=True, description="Object parts (`task`...)"),
            OpenApiParameter("name_suffixes", str, many=True, description="Action parts (`new`...)"),
            OpenApiParameter("person_ids", OpenApiTypes.UUID, many=True, description="Authors"),
        ],
        responses={200: EventSchema(many=True)},
        tags=["data/events"],
    )
    def get(self, request):
        access = access_for(request)
        limit = page_limit(request)
        project_id = query_id(request, "project_id", "The project_id parameter is not a valid id")
        project_ids = access.check_event_log_access(project_id)
        after, before = (
            query_moment(request, "after", MOMENT_MESSAGE, keep_empty=True),
            query_moment(request, "before", MOMENT_MESSAGE, keep_empty=True),
        )
        cursor_id = query_id(request, "cursor_event_id", "The cursor_event_id parameter is not a valid id")
        filters = EventFilters(
            after=after,
            before=before,
            only_files=request.query_params.get("only_files") == "true",
            project_id=project_id,
            project_ids=project_ids,
            person_ids=query_ids(request, "person_ids"),
            name=request.query_params.get("name"),
            name_prefixes=query_name_parts(request, "name_prefixes"),
            name_suffixes=query_name_parts(request, "name_suffixes"),
        )
        return Response(last_events(filters, cursor_id, limit))


class LoginLogsLastView(KitsuView):
    """`GET /data/events/login-logs/last`: the login log, newest first, a page at a time (`limit`,
    at most 1,000; `cursor_login_log_id` for the logs before that one). Admins only: it holds every
    person's IP addresses."""

    @extend_schema(
        parameters=[
            OpenApiParameter("after", str, description="Created after (YYYY-MM-DD[THH:MM:SS])"),
            OpenApiParameter("before", str, description="Created before (YYYY-MM-DD[THH:MM:SS])"),
            OpenApiParameter(
                "cursor_login_log_id", OpenApiTypes.UUID, description="Logs older than this one"
            ),
            OpenApiParameter("limit", PAGE_SIZE, description="Logs per page (default 100, at most 1000)"),
            OpenApiParameter("person_ids", OpenApiTypes.UUID, many=True),
        ],
        responses={200: LoginLogSchema(many=True)},
        tags=["data/events"],
    )
    def get(self, request):
        limit = page_limit(request)
        access_for(request).check_admin()
        after, before = (
            query_moment(request, "after", MOMENT_MESSAGE, keep_empty=True),
            query_moment(request, "before", MOMENT_MESSAGE, keep_empty=True),
        )
        cursor_id = query_id(
            request, "cursor_login_log_id", "The cursor_login_log_id parameter is not a valid id"
        )
        person_ids = query_ids(request, "person_ids")
        return Response(last_login_logs(person_ids, after, before, cursor_id, limit))


class EventNamesView(KitsuView):
    """`GET /data/events/names`: the sorted names of the events in the log (to build its filters),
    for managers."""

    @extend_schema(responses={200: {"type": "array", "items": {"type": "string"}}}, tags=["data/events"])
    def get(self, request):
        access_for(request).check_manager()
        return Response(event_names())
