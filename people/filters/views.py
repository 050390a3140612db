"""Routes of the requester's saved search filters and filter groups (`user` area):
`/data/user/filters` and `/data/user/filter-groups`.

A filter (or group) belongs to the person who saved it; a manager of a project may share one
with the project's team. Lists hold the requester's own and the shared ones of the projects of
their team (every project for an admin), of open projects or of none, grouped as
`{list type: {project id or "all": [rows]}}`; a filter of a department is kept for managers and
the members of that department. One reads, changes or removes only one's own (an admin anyone's):
another person's answers 404. Nothing here emits an event, as on the reference.

The module holds the three layers of this small family: the list query, the writes (each in one
transaction) and the thin views.
"""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from kitsu_server.api.endpoints import UserView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance
from kitsu_server.api.params import parse_uuid
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.crud import REGISTRY, output_serializer
from people.models import Department, SearchFilter, SearchFilterGroup
from people.user.queries import grouped_search_filters, visible_search_filters
from productions.models import Project

SHARING_MISMATCH = "A search filter should have the same value for is_shared than its search filter group."
FILTER_ORDER = ("created_at", "pk")
GROUP_ORDER = ("-created_at", "-pk")

# --- reads --------------------------------------------------------------------------------------


def own_or_as_admin(access, model, instance_id, name):
    """The requester's row of `model` (any row for an admin): 400 malformed, 404 otherwise."""
    pk = parse_uuid(instance_id, f"Malformed ID: {instance_id}.")
    queryset = model.objects.filter(pk=pk)
    if not access.is_admin:
        queryset = queryset.filter(person_id=access.person.pk)
    instance = queryset.first()
    if instance is None:
        raise NotFound(f"{name} not found.")
    return instance


def render_filter(instance):
    return serialize_instance(instance, shape=REGISTRY["search-filters"].shape)


def render_group(instance):
    return serialize_instance(instance, shape=REGISTRY["search-filter-groups"].shape)


# --- writes -------------------------------------------------------------------------------------


def can_share(access, project_id):
    """Sharing is a project manager's privilege, and a filter of no project is never shared."""
    if project_id is None:
        return False
    try:
        access.check_manager(project_id)
    except PermissionDenied:
        return False
    return True


def existing_project(project_id):
    if project_id is not None and not Project.objects.filter(pk=project_id).exists():
        raise NotFound("Project not found.")
    return project_id


def existing_department(department_id):
    if department_id is not None and not Department.objects.filter(pk=department_id).exists():
        raise NotFound("Department not found.")
    return department_id


def usable_group(access, group_id):
    """A group a filter may go in: one the requester sees (their own, a shared one of their
    team's projects; any for an admin)."""
    group = visible_search_filters(access, SearchFilterGroup).filter(pk=group_id).first()
    if group is None:
        raise NotFound("Search filter group not found.")
    return group


@transaction.atomic
def create_filter(access, data):
    project_id = existing_project(data.get("project_id"))
    department_id = existing_department(data.get("department_id"))
    is_shared = bool(data.get("is_shared")) and can_share(access, project_id)
    group_id = data.get("search_filter_group_id")
    if group_id is not None and usable_group(access, group_id).is_shared != is_shared:
        raise WrongParameter(SHARING_MISMATCH)
    search_filter = SearchFilter.objects.create(
        list_type=data["list_type"],
        name=data["name"],
        search_query=data["query"],
        project_id=project_id,
        person_id=access.person.pk,
        entity_type=data.get("entity_type"),
        is_shared=is_shared,
        search_filter_group_id=group_id,
        department_id=department_id,
    )
    return render_filter(search_filter)


def deny_unauthorized_sharing(access, instance, data):
    """A sharing change the requester may not make is turned off rather than refused, as the
    reference does: only a manager of the project given in the same body shares."""
    if (
        data.get("is_shared") is not None
        and data["is_shared"] != instance.is_shared
        and not can_share(access, data.get("project_id"))
    ):
        data["is_shared"] = False
    return data


@transaction.atomic
def update_filter(access, search_filter, data):
    existing_department(data.get("department_id"))
    existing_project(data.get("project_id"))
    data = deny_unauthorized_sharing(access, search_filter, data)
    group_id = data.get("search_filter_group_id", search_filter.search_filter_group_id)
    if group_id is not None:
        group = usable_group(access, group_id)
        if data.get("is_shared", search_filter.is_shared) != group.is_shared:
            raise WrongParameter(SHARING_MISMATCH)
    for column, value in data.items():
        setattr(search_filter, column, value)
    search_filter.save()
    return render_filter(search_filter)


@transaction.atomic
def remove_filter(search_filter):
    search_filter.delete()


@transaction.atomic
def create_group(access, data):
    project_id = existing_project(data.get("project_id"))
    department_id = existing_department(data.get("department_id"))
    group = SearchFilterGroup.objects.create(
        list_type=data["list_type"],
        name=data["name"],
        color=data.get("color") or "",
        project_id=project_id,
        person_id=access.person.pk,
        entity_type=data.get("entity_type"),
        is_shared=bool(data.get("is_shared")) and can_share(access, project_id),
        department_id=department_id,
    )
    return render_group(group)


@transaction.atomic
def update_group(access, group, data):
    """Change a group; its filters follow its sharing (a filter out of step with its group could
    not be changed any more)."""
    existing_department(data.get("department_id"))
    existing_project(data.get("project_id"))
    data = deny_unauthorized_sharing(access, group, data)
    for column, value in data.items():
        setattr(group, column, value)
    group.save()
    if data.get("is_shared") is not None:
        SearchFilter.objects.filter(search_filter_group_id=group.pk).update(is_shared=group.is_shared)
    return render_group(group)


@transaction.atomic
def remove_group(group):
    """A group goes with the filters it holds, whoever saved them."""
    SearchFilter.objects.filter(search_filter_group_id=group.pk).delete()
    group.delete()


# --- request and response schemas ---------------------------------------------------------------

FILTER_SCHEMA = output_serializer(REGISTRY["search-filters"])
GROUP_SCHEMA = output_serializer(REGISTRY["search-filter-groups"])


def optional_id(**options):
    return serializers.UUIDField(required=False, allow_null=True, default=None, **options)


class FilterCreateBody(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    query = serializers.CharField(max_length=500, trim_whitespace=False)
    list_type = serializers.CharField(max_length=80, default="todo")
    project_id = optional_id()
    entity_type = serializers.CharField(max_length=80, required=False, allow_null=True, default=None)
    is_shared = serializers.BooleanField(required=False, allow_null=True, default=False)
    search_filter_group_id = optional_id()
    department_id = optional_id()


class FilterUpdateBody(serializers.Serializer):
    """Absent or null fields are left as they are, but a null `search_filter_group_id` takes the
    filter out of its group."""

    name = serializers.CharField(max_length=200, required=False, allow_null=True)
    search_query = serializers.CharField(
        max_length=500, required=False, allow_null=True, trim_whitespace=False
    )
    search_filter_group_id = serializers.UUIDField(required=False, allow_null=True)
    is_shared = serializers.BooleanField(required=False, allow_null=True)
    project_id = serializers.UUIDField(required=False, allow_null=True)
    department_id = serializers.UUIDField(required=False, allow_null=True)


class GroupCreateBody(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    color = serializers.CharField(max_length=8, required=False, allow_blank=True, allow_null=True, default="")
    list_type = serializers.CharField(max_length=80, default="todo")
    project_id = optional_id()
    is_shared = serializers.BooleanField(required=False, allow_null=True, default=False)
    entity_type = serializers.CharField(max_length=80, required=False, allow_null=True, default=None)
    department_id = optional_id()


class GroupUpdateBody(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_null=True)
    color = serializers.CharField(max_length=8, required=False, allow_null=True, allow_blank=True)
    is_shared = serializers.BooleanField(required=False, allow_null=True)
    project_id = serializers.UUIDField(required=False, allow_null=True)
    department_id = serializers.UUIDField(required=False, allow_null=True)


def changes(body):
    """The columns an update sets: the fields given, nulls aside (but for leaving a group)."""
    data = {name: value for name, value in body.items() if value is not None}
    if "search_filter_group_id" in body:
        data["search_filter_group_id"] = body["search_filter_group_id"]
    return data


# --- views --------------------------------------------------------------------------------------


class UserFiltersView(UserView):
    """`GET|POST /data/user/filters`: the requester's saved filters and the shared ones of their
    team, by list type and project; POST saves one (201). Sharing is kept only for a manager of
    the filter's project; a filter in a group shares as its group does (400 otherwise)."""

    @extend_schema(tags=["data/user"], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(grouped_search_filters(access_for(request), SearchFilter, FILTER_ORDER))

    @extend_schema(tags=["data/user"], request=FilterCreateBody, responses={201: FILTER_SCHEMA})
    def post(self, request):
        body = validated(FilterCreateBody, request.data)
        return Response(create_filter(access_for(request), body), status=201)


class UserFilterView(UserView):
    """`PUT|DELETE /data/user/filters/{filter_id}`: change or remove one of the requester's
    filters (an admin: anyone's)."""

    @extend_schema(tags=["data/user"], request=FilterUpdateBody, responses=FILTER_SCHEMA)
    def put(self, request, filter_id):
        body = validated(FilterUpdateBody, request.data)
        access = access_for(request)
        search_filter = own_or_as_admin(access, SearchFilter, filter_id, "Search filter")
        return Response(update_filter(access, search_filter, changes(body)))

    @extend_schema(tags=["data/user"], request=None, responses={204: None})
    def delete(self, request, filter_id):
        remove_filter(own_or_as_admin(access_for(request), SearchFilter, filter_id, "Search filter"))
        return Response(status=204)


class UserFilterGroupsView(UserView):
    """`GET|POST /data/user/filter-groups`: the requester's filter groups and the shared ones of
    their team, newest first, by list type and project; POST saves one (201)."""

    @extend_schema(tags=["data/user"], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(grouped_search_filters(access_for(request), SearchFilterGroup, GROUP_ORDER))

    @extend_schema(tags=["data/user"], request=GroupCreateBody, responses={201: GROUP_SCHEMA})
    def post(self, request):
        body = validated(GroupCreateBody, request.data)
        return Response(create_group(access_for(request), body), status=201)


class UserFilterGroupView(UserView):
    """`GET|PUT|DELETE /data/user/filter-groups/{filter_group_id}`: one of the requester's filter
    groups (an admin: anyone's); removing it removes the filters it holds."""

    @extend_schema(tags=["data/user"], responses=GROUP_SCHEMA, operation_id="user_filter_group_retrieve")
    def get(self, request, filter_group_id):
        group = own_or_as_admin(
            access_for(request), SearchFilterGroup, filter_group_id, "Search filter group"
        )
        return Response(render_group(group))

    @extend_schema(tags=["data/user"], request=GroupUpdateBody, responses=GROUP_SCHEMA)
    def put(self, request, filter_group_id):
        body = validated(GroupUpdateBody, request.data)
        access = access_for(request)
        group = own_or_as_admin(access, SearchFilterGroup, filter_group_id, "Search filter group")
        return Response(update_group(access, group, changes(body)))

    @extend_schema(tags=["data/user"], request=None, responses={204: None})
    def delete(self, request, filter_group_id):
        group = own_or_as_admin(
            access_for(request), SearchFilterGroup, filter_group_id, "Search filter group"
        )
        remove_group(group)
        return Response(status=204)
