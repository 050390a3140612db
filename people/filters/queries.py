"""Reads of the requester's saved search filters and filter groups: the grouped lists, one row by
its id, their /data shape."""

from rest_framework.exceptions import NotFound

from kitsu_server.api.json import serialize_instance
from kitsu_server.api.params import parse_uuid
from kitsu_server.core.access.roles import MANAGER_ROLES
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.rendering import render_rows
from people.models import DepartmentLink, SearchFilterGroup

FILTER_ORDER = ("created_at", "pk")
GROUP_ORDER = ("-created_at", "-pk")


def grouped_search_filters(access, model, order):
    """`{list type: {project id or "all": [rows]}}` of what `access.person` sees.
    As on the reference, the list type of a group kept from the requester by its department still
    shows (empty); a filter's does not."""
    rows = render_rows(access.visible_search_filters(model.objects.all()).order_by(*order))
    my_departments = None
    if access.role not in MANAGER_ROLES:
        my_departments = {
            str(pk)
            for pk in DepartmentLink.objects.filter(person_id=access.person.pk).values_list(
                "department_id", flat=True
            )
        }
    result = {}
    for row in rows:
        if model is SearchFilterGroup:
            result.setdefault(row["list_type"], {})
        department_id = row["department_id"]
        if department_id is None or my_departments is None or department_id in my_departments:
            by_project = result.setdefault(row["list_type"], {})
            by_project.setdefault(row["project_id"] or "all", []).append(row)
    return result


def own_search_filter_or_404(access, model, instance_id, name):
    """The requester's row of `model` (any row for an admin): 400 malformed, 404 otherwise."""
    pk = parse_uuid(instance_id, f"Malformed ID: {instance_id}.")
    instance = access.own_search_filters(model.objects.filter(pk=pk)).first()
    if instance is None:
        raise NotFound(f"{name} not found.")
    return instance


def render_search_filter(instance):
    return serialize_instance(instance, shape=REGISTRY["search-filters"].shape)


def render_search_filter_group(instance):
    return serialize_instance(instance, shape=REGISTRY["search-filter-groups"].shape)
