"""Routes of the `news` and `events` areas: the news feed of the productions (with its filters,
pages and stats per status) and the API event log (cursor pages, login logs, event names).

Reads only. Each list is a fixed number of flat queries whatever its length: the page of rows
(`values()` with the names they point at joined in), then one query per thing attached to the page
(entity names, authors, previews), the total and the stats counted by the database.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from files.models import PreviewFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import format_datetime
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import query_id, query_int, query_moment, query_text
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE
from kitsu_server.core.access import access_for
from kitsu_server.core.access.roles import MANAGER_ROLES
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, open_team_project_ids, team_project_ids
from kitsu_server.core.lookups import object_or_404
from people.models import LoginLog
from productions.models import Project
from tasks.models import ApiEvent, News
from tasks.task_queries import (
    full_entity_names,
    short_persons,
)

NEWS_PAGE_SIZE = 50
EVENTS_PAGE_SIZE, EVENTS_MAX_PAGE_SIZE = 100, 1000
# Events about stored files, what `only_files` keeps.
FILE_EVENTS = (
    "preview-file:add-file",
    "organisation:set-thumbnail",
    "person:set-thumbnail",
    "project:set-thumbnail",
)
# Event name parts are plain words: anything else could act as a LIKE wildcard.
NAME_PART_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


# --- query strings ------------------------------------------------------------------------------

MOMENT_MESSAGE = "Wrong date format for {name} argument. Expected format: 2020-01-05T13:23:10 or 2020-01-05"


def query_bool(request, name):
    value = request.query_params.get(name)
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("true", "1", "on"):
        return True
    if lowered in ("false", "0", ""):
        return False
    raise WrongParameter(f"Wrong value for parameter {name}.")


def query_ids(request, name):
    values = request.query_params.getlist(name)
    return [parse_uuid(value, f"The {name} parameter contains an invalid id") for value in values]


def query_name_parts(request, name):
    values = request.query_params.getlist(name)
    for value in values:
        if not value or not set(value) <= NAME_PART_CHARACTERS:
            raise WrongParameter(f"The {name} parameter contains an invalid value")
    return values


def _text(value):
    return str(value) if value is not None else None


def _moment(value):
    return format_datetime(value) if value is not None else None


# --- news: queries ------------------------------------------------------------------------------


@dataclass
class NewsFilters:
    """The news feed's criteria. `project_ids` scopes the feed (the projects the reader may see);
    when empty, a non-admin `reader` sees the projects of their team. `access`, the reader's,
    keeps the entries whose comment they may read (visible_news)."""

    project_ids: list | None = None
    reader: object = None
    access: object = None
    task_status_id: object = None
    task_type_id: object = None
    author_id: object = None
    episode_id: object = None
    only_preview: bool = False
    after: datetime.datetime | None = None
    before: datetime.datetime | None = None
    project_id: object = None


def filtered_news(filters):
    """The news matching `filters`: those of tasks with a project and an entity, as the reference's
    inner joins keep them."""
    news = News.objects.filter(task__project__isnull=False, task__entity__isnull=False)
    if filters.access is not None:
        news = filters.access.visible_news(news)
    if filters.project_id is not None:
        news = news.filter(task__project_id=filters.project_id)
    if filters.project_ids:
        news = news.filter(task__project_id__in=filters.project_ids)
    elif filters.reader is not None and filters.reader.role != "admin":
        news = news.filter(task__project_id__in=team_project_ids(filters.reader))
    if filters.episode_id is not None:
        news = news.filter(task__entity__parent__parent_id=filters.episode_id)
    if filters.task_status_id is not None:
        news = news.filter(comment__task_status_id=filters.task_status_id)
    if filters.task_type_id is not None:
        news = news.filter(task__task_type_id=filters.task_type_id)
    if filters.author_id is not None:
        news = news.filter(author_id=filters.author_id)
    if filters.only_preview:
        news = news.filter(preview_file__isnull=False)
    if filters.after is not None:
        news = news.filter(created_at__gt=filters.after)
    if filters.before is not None:
        news = news.filter(created_at__lt=filters.before)
    return news


NEWS_LOOKUPS = (
    "pk",
    "author_id",
    "comment_id",
    "task_id",
    "task__task_type_id",
    "comment__task_status_id",
    "task__entity_id",
    "preview_file_id",
    "preview_file__extension",
    "preview_file__revision",
    "task__project_id",
    "task__project__name",
    "created_at",
    "change",
    "task__entity__preview_file_id",
)


def news_page(filters, page=1, limit=NEWS_PAGE_SIZE, news_id=None):
    """A page of the feed, newest first, in the reference's envelope; with `only_preview`, each
    entry lists the previews of its revision. Five queries (six with the previews)."""
    news = filtered_news(filters)
    if news_id is not None:
        news = news.filter(pk=news_id)
    total = news.count()
    offset = (page - 1) * limit
    rows = list(news.order_by("-created_at", "-pk").values_list(*NEWS_LOOKUPS)[offset : offset + limit])
    names = full_entity_names({row[6] for row in rows})
    authors = short_persons({row[1] for row in rows if row[1] is not None})
    data = []
    for row in rows:
        entity_name, episode_id = names.get(row[6], ("", None))
        data.append(
            {
                "id": str(row[0]),
                "type": "News",
                "author_id": _text(row[1]),
                "comment_id": _text(row[2]),
                "task_id": _text(row[3]),
                "task_type_id": _text(row[4]),
                "task_status_id": _text(row[5]),
                "task_entity_id": _text(row[6]),
                "preview_file_id": _text(row[7]),
                "preview_file_extension": row[8],
                "preview_file_revision": row[9],
                "project_id": _text(row[10]),
                "project_name": row[11],
                "created_at": _moment(row[12]),
                "change": row[13],
                "full_entity_name": entity_name,
                "episode_id": _text(episode_id),
                "entity_preview_file_id": _text(row[14]),
                "person": authors.get(_text(row[1])),
            }
        )
    if filters.only_preview:
        attach_revision_previews(data)
    return {
        "data": data,
        "total": total,
        "nb_pages": math.ceil(total / limit),
        "limit": limit,
        "offset": offset,
        "page": page,
    }


def news_stats(filters):
    """{task status id: number of status changes} in the feed matching `filters`."""
    counts = (
        filtered_news(filters)
        .filter(change=True, comment__isnull=False, comment__task_status__isnull=False)
        .values_list("comment__task_status_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {str(status_id): count for status_id, count in counts}


def attach_revision_previews(entries):
    """Each entry's `preview_files`: every preview of its task's revision, by position. One query."""
    task_ids = {entry["task_id"] for entry in entries if entry["task_id"]}
    revisions = {
        entry["preview_file_revision"] for entry in entries if entry["preview_file_revision"] is not None
    }
    by_revision = {}
    if task_ids and revisions:
        previews = (
            PreviewFile.objects.filter(task_id__in=task_ids, revision__in=revisions)
            .order_by("task_id", "revision", "position", "pk")
            .values_list("task_id", "revision", "pk", "name", "extension", "position", "status")
        )
        for task_id, revision, pk, name, extension, position, status in previews:
            by_revision.setdefault((str(task_id), revision), []).append(
                {
                    "id": str(pk),
                    "name": name,
                    "extension": extension,
                    "revision": revision,
                    "position": position,
                    "status": status,
                }
            )
    for entry in entries:
        entry["preview_files"] = by_revision.get((entry["task_id"], entry["preview_file_revision"]), [])


def open_project_ids():
    return list(Project.objects.filter(project_status__name=OPEN_PROJECT_STATUS).values_list("pk", flat=True))


# --- news: routes -------------------------------------------------------------------------------

NEWS_PARAMETERS = [
    OpenApiParameter("only_preview", bool, description="Only the news with a preview"),
    OpenApiParameter("task_type_id", OpenApiTypes.UUID),
    OpenApiParameter("task_status_id", OpenApiTypes.UUID),
    OpenApiParameter("person_id", OpenApiTypes.UUID, description="Author"),
    OpenApiParameter("episode_id", OpenApiTypes.UUID),
    OpenApiParameter("page", PAGE_NUMBER, description="Page number (default 1)"),
    OpenApiParameter("limit", PAGE_SIZE, description="News per page (default 50)"),
    OpenApiParameter("after", str, description="Created after (YYYY-MM-DD[THH:MM:SS])"),
    OpenApiParameter("before", str, description="Created before (YYYY-MM-DD[THH:MM:SS])"),
]


class NewsEntrySchema(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField(default="News")
    author_id = serializers.UUIDField()
    comment_id = serializers.UUIDField(allow_null=True)
    task_id = serializers.UUIDField()
    task_type_id = serializers.UUIDField(allow_null=True)
    task_status_id = serializers.UUIDField(allow_null=True)
    task_entity_id = serializers.UUIDField(allow_null=True)
    preview_file_id = serializers.UUIDField(allow_null=True)
    preview_file_extension = serializers.CharField(allow_null=True)
    preview_file_revision = serializers.IntegerField(allow_null=True)
    project_id = serializers.UUIDField()
    project_name = serializers.CharField()
    created_at = serializers.CharField()
    change = serializers.BooleanField()
    full_entity_name = serializers.CharField()
    episode_id = serializers.UUIDField(allow_null=True)
    entity_preview_file_id = serializers.UUIDField(allow_null=True)
    person = serializers.DictField(allow_null=True)


class NewsPageSchema(serializers.Serializer):
    data = NewsEntrySchema(many=True)
    total = serializers.IntegerField()
    nb_pages = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    page = serializers.IntegerField()
    stats = serializers.DictField(child=serializers.IntegerField())


def news_filters(request, project_ids):
    filters = NewsFilters(
        project_ids=project_ids,
        reader=request.user,
        access=access_for(request),
        only_preview=query_bool(request, "only_preview"),
        task_type_id=query_id(request, "task_type_id", "The task_type_id parameter is not a valid id"),
        task_status_id=query_id(request, "task_status_id", "The task_status_id parameter is not a valid id"),
        episode_id=query_id(request, "episode_id", "The episode_id parameter is not a valid id"),
        author_id=query_id(request, "person_id", "The person_id parameter is not a valid id"),
    )
    page = query_int(request, "page", 1, keep_empty=True)
    limit = query_int(request, "limit", NEWS_PAGE_SIZE, keep_empty=True)
    filters.after = query_moment(request, "after", MOMENT_MESSAGE, keep_empty=True)
    filters.before = query_moment(request, "before", MOMENT_MESSAGE, keep_empty=True)
    if page < 1:
        raise WrongParameter("page must be a positive integer.")
    if limit < 1:
        raise WrongParameter("limit must be a positive integer.")
    return filters, page, limit


def news_answer(request, project_ids):
    filters, page, limit = news_filters(request, project_ids)
    result = news_page(filters, page=page, limit=limit)
    result["stats"] = news_stats(filters)
    return Response(result)


class OpenProjectsNewsView(KitsuView):
    """`GET /data/projects/news`: the news of the open projects the reader belongs to (all of them
    for admins; `project_id` narrows to one), filtered and paginated, with the count of status
    changes per status."""

    @extend_schema(
        parameters=[OpenApiParameter("project_id", OpenApiTypes.UUID), *NEWS_PARAMETERS],
        responses={200: NewsPageSchema},
        tags=["data/projects"],
        operation_id="data_projects_news_list",
    )
    def get(self, request):
        access = access_for(request)
        if access.is_admin:
            project_ids = open_project_ids()
        else:
            project_ids = list(open_team_project_ids(access.person).values_list("project_id", flat=True))
        asked = query_text(request, "project_id")
        if asked is not None:
            asked = [pk for pk in project_ids if str(pk) == asked.lower()]
            project_ids = asked or project_ids
        return news_answer(request, project_ids)


class ProjectNewsView(KitsuView):
    """`GET /data/projects/{project_id}/news`: a project's news for its members (clients aside),
    filtered and paginated, with the count of status changes per status."""

    @extend_schema(
        parameters=NEWS_PARAMETERS,
        responses={200: NewsPageSchema},
        tags=["data/projects"],
        operation_id="data_project_news_list",
    )
    def get(self, request, project_id):
        project = object_or_404(Project, project_id)
        if access_for(request).check_project_access(project.pk) == "client":
            raise PermissionDenied
        return news_answer(request, [project.pk])


class ProjectNewsEntryView(KitsuView):
    """`GET /data/projects/{project_id}/news/{news_id}`: one news entry of a project, in the feed's
    shape, for its members (vendors aside)."""

    @extend_schema(
        responses={200: NewsEntrySchema}, tags=["data/projects"], operation_id="data_project_news_retrieve"
    )
    def get(self, request, project_id, news_id):
        project = object_or_404(Project, project_id)
        access = access_for(request)
        if access.check_project_access(project.pk) == "vendor":
            raise PermissionDenied
        news_id = parse_uuid(news_id, f"Malformed ID: {news_id}.")
        page = news_page(NewsFilters(project_id=project.pk, access=access), news_id=news_id)
        if not page["data"]:
            raise NotFound("News not found.")
        return Response(page["data"][0])


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


def check_event_log_access(access, project_id):
    """Managers read the log: on the project asked when they manage it there (an unknown project
    is a denial, not a 404), else by their global role. Returns the projects a non-admin is held
    to (their team's), or None for an admin."""
    if project_id is not None and access.role not in MANAGER_ROLES:
        if not Project.objects.filter(pk=project_id).exists():
            raise PermissionDenied
        access.check_role(MANAGER_ROLES, project_id)
    else:
        access.check_role(MANAGER_ROLES)
    if access.is_admin:
        return None
    project_ids = access.member_project_ids()
    if project_id is not None and project_id not in project_ids:
        raise PermissionDenied
    return project_ids


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
        project_ids = check_event_log_access(access, project_id)
        after, before = (
            query_moment(request, "after", MOMENT_MESSAGE, keep_empty=True),
            query_moment(request, "before", MOMENT_MESSAGE, keep_empty=True),
        )
        cursor_id = query_id(request, "cursor_event_id", "The cursor_event_id parameter is not a valid id")
        events = ApiEvent.objects.all()
        if after is not None:
            events = events.filter(created_at__gt=after)
        if before is not None:
            events = events.filter(created_at__lt=before)
        if request.query_params.get("only_files") == "true":
            events = events.filter(name__in=FILE_EVENTS)
        if project_id is not None:
            events = events.filter(project_id=project_id)
        if project_ids is not None:
            events = events.filter(project_id__in=project_ids)
        person_ids = query_ids(request, "person_ids")
        if person_ids:
            events = events.filter(user_id__in=person_ids)
        name = request.query_params.get("name")
        if name is not None:
            events = events.filter(name=name)
        prefixes = query_name_parts(request, "name_prefixes")
        if prefixes:
            events = events.filter(_any_of([Q(name__startswith=f"{prefix}:") for prefix in prefixes]))
        suffixes = query_name_parts(request, "name_suffixes")
        if suffixes:
            events = events.filter(_any_of([Q(name__endswith=f":{suffix}") for suffix in suffixes]))
        if cursor_id is not None:
            cursor = ApiEvent.objects.filter(pk=cursor_id).values_list("created_at", flat=True).first()
            if cursor is None:
                raise WrongParameter(f"No event found with id: {cursor_id}")
            events = events.filter(created_at__lt=cursor)
        rows = events.order_by("-created_at", "-pk").values_list(
            "pk", "created_at", "name", "user_id", "project_id", "data"
        )[:limit]
        return Response(
            [
                {
                    "id": str(pk),
                    "created_at": _moment(created_at),
                    "name": name,
                    "user_id": _text(user_id),
                    "project_id": _text(project_id),
                    "data": data,
                }
                for pk, created_at, name, user_id, project_id, data in rows
            ]
        )


def _any_of(conditions):
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


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
        logs = LoginLog.objects.all()
        person_ids = query_ids(request, "person_ids")
        if person_ids:
            logs = logs.filter(person_id__in=person_ids)
        if after is not None:
            logs = logs.filter(created_at__gt=after)
        if before is not None:
            logs = logs.filter(created_at__lt=before)
        if cursor_id is not None:
            cursor = LoginLog.objects.filter(pk=cursor_id).values_list("created_at", flat=True).first()
            if cursor is None:
                raise WrongParameter(f"No login log found with id: {cursor_id}")
            logs = logs.filter(created_at__lt=cursor)
        rows = logs.order_by("-created_at", "-pk").values_list(
            "pk", "created_at", "ip_address", "person_id", "origin"
        )
        return Response(
            [
                {
                    "id": str(pk),
                    "created_at": _moment(created_at),
                    "ip_address": ip_address,
                    "person_id": _text(person_id),
                    "origin": origin,
                }
                for pk, created_at, ip_address, person_id, origin in rows[:limit]
            ]
        )


class EventNamesView(KitsuView):
    """`GET /data/events/names`: the sorted names of the events in the log (to build its filters),
    for managers."""

    @extend_schema(responses={200: {"type": "array", "items": {"type": "string"}}}, tags=["data/events"])
    def get(self, request):
        access_for(request).check_role(MANAGER_ROLES)
        names = ApiEvent.objects.order_by("name").values_list("name", flat=True).distinct()
        return Response(list(names))
