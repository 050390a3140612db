"""Routes of the news feed of the productions: its pages (with their filters) and stats per status.

Reads only (tasks.news.queries), a fixed number of flat queries whatever the length of the feed:
the page of rows (`values()` with the names they point at joined in), then one query per thing
attached to the page (entity names, authors, previews), the total and the stats counted by the
database.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import query_id, query_int, query_moment, query_text
from kitsu_server.api.schema import PAGE_NUMBER, PAGE_SIZE
from kitsu_server.core.access import access_for
from kitsu_server.core.access.scopes import open_team_project_ids
from kitsu_server.core.scoped import ProjectScopedView
from tasks.inputs import MOMENT_MESSAGE, query_bool
from tasks.news.queries import NEWS_PAGE_SIZE, NewsFilters, news_page
from tasks.queries import open_project_ids

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
    return Response(news_page(filters, page=page, limit=limit, with_stats=True))


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
            project_ids = list(open_project_ids().values_list("pk", flat=True))
        else:
            project_ids = list(open_team_project_ids(access.person).values_list("project_id", flat=True))
        asked = query_text(request, "project_id")
        if asked is not None:
            asked = [pk for pk in project_ids if str(pk) == asked.lower()]
            project_ids = asked or project_ids
        return news_answer(request, project_ids)


class ProjectNewsView(ProjectScopedView):
    """`GET /data/projects/{project_id}/news`: a project's news for its members (clients aside),
    filtered and paginated, with the count of status changes per status."""

    rules = {"GET": lambda access, project: access.check_project_news_read(project.pk)}

    @extend_schema(
        parameters=NEWS_PARAMETERS,
        responses={200: NewsPageSchema},
        tags=["data/projects"],
        operation_id="data_project_news_list",
    )
    def get(self, request, project_id):
        return news_answer(request, [self.project.pk])


class ProjectNewsEntryView(ProjectScopedView):
    """`GET /data/projects/{project_id}/news/{news_id}`: one news entry of a project, in the feed's
    shape, for its members (vendors aside)."""

    rules = {"GET": lambda access, project: access.check_news_entry_read(project.pk)}

    @extend_schema(
        responses={200: NewsEntrySchema}, tags=["data/projects"], operation_id="data_project_news_retrieve"
    )
    def get(self, request, project_id, news_id):
        news_id = parse_uuid(news_id, f"Malformed ID: {news_id}.")
        page = news_page(NewsFilters(project_id=self.project.pk, access=self.access), news_id=news_id)
        if not page["data"]:
            raise NotFound("News not found.")
        return Response(page["data"][0])
