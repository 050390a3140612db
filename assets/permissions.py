"""Who may reach entities (assets, shots... rows of the entity table): the reference's rules."""

from rest_framework.exceptions import PermissionDenied

from kitsu_server.api.permissions import MANAGER_ROLES
from productions.models import DepartmentMetadataDescriptorLink
from tasks.permissions import (
    check_manager_project_access,
    department_ids,
    open_team_project_ids,
    reachable_entities,
)


def visible_entities(access, queryset):
    """Entities of the open projects of the person's team; where they are a vendor, only those
    they hold a task on (tasks.permissions.reachable_entities). The reference joins the tasks of
    a vendor by project there, which shows them the whole production: we do not."""
    if access.is_admin:
        return queryset
    return queryset.filter(reachable_entities(access), project_id__in=open_team_project_ids(access.person))


def check_entity_delete(access, entity):
    """Its creator, or a manager of its project."""
    if entity.created_by_id != access.person.pk:
        check_manager_project_access(access, entity.project_id)


# Kinds whose custom fields (metadata descriptors) a supervisor may fill for their departments.
DESCRIBED_KINDS = ("Asset", "Shot", "Edit")


def check_metadata_department_access(access, entity, kind, data):
    """Update an entity: project managers and its creator anything; a supervisor of the project
    only `data`, and only the custom fields of their departments (all of them without one)."""
    if access.is_admin:
        return
    if not access.is_member(entity.project_id):
        raise PermissionDenied
    role = access.project_role(entity.project_id)
    if role in MANAGER_ROLES or entity.created_by_id == access.person.pk:
        return
    if role != "supervisor" or set(data) - {"data"}:
        raise PermissionDenied
    departments = department_ids(access.person)
    if not departments:
        return
    field_names = list((data.get("data") or {}).keys()) if isinstance(data.get("data"), dict) else []
    if kind not in DESCRIBED_KINDS or not field_names:
        raise PermissionDenied
    links = DepartmentMetadataDescriptorLink.objects.filter(
        metadata_descriptor__project_id=entity.project_id,
        metadata_descriptor__entity_type=kind,
        metadata_descriptor__field_name__in=field_names,
        department_id__in=departments,
    )
    allowed = set(links.values_list("metadata_descriptor__field_name", flat=True))
    if not set(field_names) <= allowed:
        raise PermissionDenied
