"""Routes of the requester's saved search filters and filter groups (`user` area):
`/data/user/filters` and `/data/user/filter-groups`, a viewset each (the urls module maps each
path's verbs to its actions).

A filter (or group) belongs to the person who saved it; a manager of a project may share one
with the project's team. Lists hold the requester's own and the shared ones of the projects of
their team (every project for an admin), of open projects or of none, grouped as
`{list type: {project id or "all": [rows]}}`; a filter of a department is kept for managers and
the members of that department. One reads, changes or removes only one's own (an admin anyone's):
another person's answers 404. The writes are `people.filters.services`'.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.viewsets import ViewSetMixin

from kitsu_server.api.endpoints import UserView
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from people.filters import services
from people.filters.queries import (
    FILTER_ORDER,
    GROUP_ORDER,
    grouped_search_filters,
    own_search_filter_or_404,
    render_search_filter_group,
)
from people.filters.serializers import (
    FILTER_SCHEMA,
    GROUP_SCHEMA,
    FilterCreateBody,
    FilterUpdateBody,
    GroupCreateBody,
    GroupUpdateBody,
    columns_to_update,
)
from people.models import SearchFilter, SearchFilterGroup

TAGS = ["data/user"]


class UserFilterViewSet(ViewSetMixin, UserView):
    """`GET|POST /data/user/filters`: the requester's saved filters and the shared ones of their
    team, by list type and project; POST saves one (201). Sharing is kept only for a manager of
    the filter's project; a filter in a group shares as its group does (400 otherwise).
    `PUT|DELETE /data/user/filters/{filter_id}`: change or remove one of the requester's filters
    (an admin: anyone's)."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        return Response(grouped_search_filters(access_for(request), SearchFilter, FILTER_ORDER))

    @extend_schema(tags=TAGS, request=FilterCreateBody, responses={201: FILTER_SCHEMA})
    def create(self, request):
        body = validated(FilterCreateBody, request.data)
        return Response(services.create_search_filter(access_for(request), body), status=201)

    @extend_schema(tags=TAGS, request=FilterUpdateBody, responses=FILTER_SCHEMA)
    def update(self, request, filter_id):
        body = validated(FilterUpdateBody, request.data)
        access = access_for(request)
        search_filter = own_search_filter_or_404(access, SearchFilter, filter_id, "Search filter")
        return Response(services.update_search_filter(access, search_filter, columns_to_update(body)))

    @extend_schema(tags=TAGS, request=None, responses={204: None})
    def destroy(self, request, filter_id):
        access = access_for(request)
        services.remove_search_filter(
            own_search_filter_or_404(access, SearchFilter, filter_id, "Search filter")
        )
        return Response(status=204)


class UserFilterGroupViewSet(ViewSetMixin, UserView):
    """`GET|POST /data/user/filter-groups`: the requester's filter groups and the shared ones of
    their team, newest first, by list type and project; POST saves one (201).
    `GET|PUT|DELETE /data/user/filter-groups/{filter_group_id}`: one of the requester's filter
    groups (an admin: anyone's); removing it removes the filters it holds."""

    @extend_schema(tags=TAGS, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        return Response(grouped_search_filters(access_for(request), SearchFilterGroup, GROUP_ORDER))

    @extend_schema(tags=TAGS, request=GroupCreateBody, responses={201: GROUP_SCHEMA})
    def create(self, request):
        body = validated(GroupCreateBody, request.data)
        return Response(services.create_search_filter_group(access_for(request), body), status=201)

    @extend_schema(tags=TAGS, responses=GROUP_SCHEMA, operation_id="user_filter_group_retrieve")
    def retrieve(self, request, filter_group_id):
        group = self.own_group(request, filter_group_id)
        return Response(render_search_filter_group(group))

    @extend_schema(tags=TAGS, request=GroupUpdateBody, responses=GROUP_SCHEMA)
    def update(self, request, filter_group_id):
        body = validated(GroupUpdateBody, request.data)
        access = access_for(request)
        group = own_search_filter_or_404(access, SearchFilterGroup, filter_group_id, "Search filter group")
        return Response(services.update_search_filter_group(access, group, columns_to_update(body)))

    @extend_schema(tags=TAGS, request=None, responses={204: None})
    def destroy(self, request, filter_group_id):
        services.remove_search_filter_group(self.own_group(request, filter_group_id))
        return Response(status=204)

    @staticmethod
    def own_group(request, filter_group_id):
        return own_search_filter_or_404(
            access_for(request), SearchFilterGroup, filter_group_id, "Search filter group"
        )
