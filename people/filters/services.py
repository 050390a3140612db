"""Writes of the requester's saved search filters and filter groups, each in one transaction.
Nothing here emits an event, as on the reference.

Sharing is kept only for a manager of the row's project (`access.may_share_search_filter`); a
sharing change one may not make is turned off rather than refused. A filter in a group shares as
its group does (400 otherwise).
"""

from django.db import transaction
from rest_framework.exceptions import NotFound

from kitsu_server.api.errors import WrongParameter
from people.filters.queries import render_search_filter, render_search_filter_group
from people.models import Department, SearchFilter, SearchFilterGroup
from productions.models import Project

SHARING_MISMATCH = "A search filter should have the same value for is_shared than its search filter group."


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
    group = access.visible_search_filters(SearchFilterGroup.objects.all()).filter(pk=group_id).first()
    if group is None:
        raise NotFound("Search filter group not found.")
    return group


def deny_unauthorized_sharing(access, instance, data):
    """A sharing change the requester may not make is turned off rather than refused, as the
    reference does: only a manager of the project given in the same body shares."""
    if (
        data.get("is_shared") is not None
        and data["is_shared"] != instance.is_shared
        and not access.may_share_search_filter(data.get("project_id"))
    ):
        data["is_shared"] = False
    return data


@transaction.atomic
def create_search_filter(access, data):
    project_id = existing_project(data.get("project_id"))
    department_id = existing_department(data.get("department_id"))
    is_shared = bool(data.get("is_shared")) and access.may_share_search_filter(project_id)
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
    return render_search_filter(search_filter)


@transaction.atomic
def update_search_filter(access, search_filter, data):
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
    return render_search_filter(search_filter)


@transaction.atomic
def remove_search_filter(search_filter):
    search_filter.delete()


@transaction.atomic
def create_search_filter_group(access, data):
    project_id = existing_project(data.get("project_id"))
    department_id = existing_department(data.get("department_id"))
    group = SearchFilterGroup.objects.create(
        list_type=data["list_type"],
        name=data["name"],
        color=data.get("color") or "",
        project_id=project_id,
        person_id=access.person.pk,
        entity_type=data.get("entity_type"),
        is_shared=bool(data.get("is_shared")) and access.may_share_search_filter(project_id),
        department_id=department_id,
    )
    return render_search_filter_group(group)


@transaction.atomic
def update_search_filter_group(access, group, data):
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
    return render_search_filter_group(group)


@transaction.atomic
def remove_search_filter_group(group):
    """A group goes with the filters it holds, whoever saved them."""
    SearchFilter.objects.filter(search_filter_group_id=group.pk).delete()
    group.delete()
