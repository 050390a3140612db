"""Request and response bodies of the requester's saved search filters and filter groups."""

from rest_framework import serializers

from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer

FILTER_SCHEMA = output_serializer(REGISTRY["search-filters"])
GROUP_SCHEMA = output_serializer(REGISTRY["search-filter-groups"])


def optional_id_field(**options):
    return serializers.UUIDField(required=False, allow_null=True, default=None, **options)


class FilterCreateBody(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    query = serializers.CharField(max_length=500, trim_whitespace=False)
    list_type = serializers.CharField(max_length=80, default="todo")
    project_id = optional_id_field()
    entity_type = serializers.CharField(max_length=80, required=False, allow_null=True, default=None)
    is_shared = serializers.BooleanField(required=False, allow_null=True, default=False)
    search_filter_group_id = optional_id_field()
    department_id = optional_id_field()


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
    project_id = optional_id_field()
    is_shared = serializers.BooleanField(required=False, allow_null=True, default=False)
    entity_type = serializers.CharField(max_length=80, required=False, allow_null=True, default=None)
    department_id = optional_id_field()


class GroupUpdateBody(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_null=True)
    color = serializers.CharField(max_length=8, required=False, allow_null=True, allow_blank=True)
    is_shared = serializers.BooleanField(required=False, allow_null=True)
    project_id = serializers.UUIDField(required=False, allow_null=True)
    department_id = serializers.UUIDField(required=False, allow_null=True)


def columns_to_update(body):
    """The columns an update sets: the fields given, nulls aside (but for leaving a group)."""
    data = {name: value for name, value in body.items() if value is not None}
    if "search_filter_group_id" in body:
        data["search_filter_group_id"] = body["search_filter_group_id"]
    return data
