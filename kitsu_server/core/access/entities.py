"""The rules of entities (assets, shots... rows of the entity table): vendors reach only what they
work on; custom fields restricted to departments are hidden from the others."""

from collections import defaultdict

from rest_framework.exceptions import PermissionDenied

from kitsu_server.core.access.roles import MANAGER_ROLES, SUPERVISOR_ROLES
from kitsu_server.core.access.scopes import department_ids, open_team_project_ids, works_on_entity
from productions.models import DepartmentMetadataDescriptorLink


def check_entity_access(access, entity_id, role):
    """A vendor (with `role`, the role read for this request) reaches only entities they work on."""
    if role == "vendor" and not works_on_entity(access.person, entity_id):
        raise PermissionDenied


def check_project_and_entity_access(access, project_id, entity_id):
    access.check_project_access(project_id)
    access.check_entity_access(entity_id, access.project_role(project_id))


def visible_entities(access, queryset):
    """Entities of the open projects of the person's team; where they are a vendor, only those
    they hold a task on (Access.reachable_entities). The reference joins the tasks of
    a vendor by project there, which shows them the whole production: we do not."""
    if access.is_admin:
        return queryset
    return queryset.filter(access.reachable_entities(), project_id__in=open_team_project_ids(access.person))


def hidden_custom_fields(departments, project_ids, kinds=None):
    """{(project id, kind): custom field names} a vendor of `departments` may not read in
    `project_ids`: the descriptors restricted to departments none of which is theirs (of `kinds`
    only when given). One query."""
    departments = {str(department) for department in departments}
    links = DepartmentMetadataDescriptorLink.objects.filter(
        metadata_descriptor__project_id__in=list(project_ids)
    )
    if kinds is not None:
        links = links.filter(metadata_descriptor__entity_type__in=list(kinds))
    by_field = defaultdict(set)
    for project_id, kind, field_name, department_id in links.values_list(
        "metadata_descriptor__project_id",
        "metadata_descriptor__entity_type",
        "metadata_descriptor__field_name",
        "department_id",
    ):
        by_field[(str(project_id), kind, field_name)].add(str(department_id))
    hidden = defaultdict(set)
    for (project_id, kind, field_name), field_departments in by_field.items():
        if not field_departments & departments:
            hidden[(project_id, kind)].add(field_name)
    return hidden


def vendor_hidden_custom_fields(access):
    """What hidden_custom_fields hides from this person on the productions where they are a
    vendor, or None where they are none: the reference's vendor rule, which its generic entity
    routes forget."""
    vendor_projects = access.projects_by_role().get("vendor")
    if access.is_admin or not vendor_projects:
        return None
    return hidden_custom_fields(department_ids(access.person), vendor_projects)


def mask_custom_fields(row, kind, hidden):
    """`row` (an entity dict) without the custom fields `hidden` (vendor_hidden_custom_fields)
    holds for its production and kind."""
    masked = hidden.get((str(row["project_id"]), kind)) if hidden else None
    if masked and isinstance(row.get("data"), dict):
        row["data"] = {key: value for key, value in row["data"].items() if key not in masked}
    return row


def check_entity_delete(access, entity):
    """Its creator, or a manager of its project."""
    if entity.created_by_id != access.person.pk:
        access.check_manager(entity.project_id)


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


def vendor_departments(access, role):
    """The departments of a vendor (`role`: the role read for this request), whose view of
    custom fields they narrow; None for anyone else."""
    if role != "vendor":
        return None
    return sorted(str(department) for department in department_ids(access.person))


# --- roles a route closes (the caller's `role` on the production in question) -------------------


def check_not_vendor(access, role):
    """Routes that list everyone's work under an entity or a production: vendors aside."""
    if role == "vendor":
        raise PermissionDenied


def check_not_client(access, role):
    """Routes of the studio's own figures and concept work: clients aside."""
    if role == "client":
        raise PermissionDenied


def check_studio_role(access, role):
    """Concepts and task creation are the studio team's: vendors and clients aside."""
    if role in ("vendor", "client"):
        raise PermissionDenied


def reads_as_client(access, role):
    """A client (`role`, the role read for this request) reads the studio fields of tasks blank."""
    return role == "client"


def vendor_assignee(access, role):
    """Whose assignments narrow what the caller lists: a vendor's own (`role`, the role read for
    this request), None for anyone else."""
    return access.person if role == "vendor" else None


# --- rules of the scoped views (kitsu_server.core.scoped): `rule(access, the URL's object)` ----


def check_team_entity_read(access, entity):
    """Everyone's tasks under an entity: whoever reads the entity, vendors aside."""
    access.check_project_and_entity_access(entity.project_id, entity.pk)
    access.check_not_vendor(access.project_role(entity.project_id))


def check_concept_read(access, concept):
    """A concept (its tasks, types, previews): whoever reads it, clients aside."""
    access.check_project_and_entity_access(concept.project_id, concept.pk)
    access.check_not_client(access.project_role(concept.project_id))


def check_concept_team(access, project):
    """A production's concepts and concept folders: its team, vendors and clients aside."""
    access.check_studio_role(access.check_project_access(project.pk))


def check_team_but_clients(access, project):
    """A production's retake statistics and quotas: its team, clients aside."""
    access.check_not_client(access.check_project_access(project.pk))


def check_episode_stats_read(access, project):
    """A production's episode statistics: its team, clients only where it shows them its stats."""
    role = access.check_project_access(project.pk)
    if role == "client" and project.is_client_stats_visible is False:
        raise PermissionDenied


def check_person_quotas_read(access, project_id, person_id):
    """A person's quotas on a production: its supervisors and managers (and admins) read
    anyone's, anyone else their own; clients none. A caller outside the team is read on their
    global role."""
    role = access.project_role(project_id) if access.is_member(project_id) else access.role
    if role == "client":
        raise PermissionDenied
    if role in SUPERVISOR_ROLES:
        access.check_project_access(project_id)
    elif not (access.is_admin or person_id == str(access.person.pk)):
        raise PermissionDenied


def check_entities_delete(access, project_id, creator_ids):
    """Remove several entities of a production: its team; its managers unless the caller created
    every one of them."""
    access.check_project_access(project_id)
    if any(creator_id != access.person.pk for creator_id in creator_ids):
        access.check_manager(project_id)
