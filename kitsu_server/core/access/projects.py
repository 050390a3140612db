"""The rules of a production and its settings: who reads it by role, who writes its descriptors,
who changes the softwares and schedule of a task type, which descriptors one lists."""

from django.db.models import Q
from rest_framework.exceptions import PermissionDenied

from kitsu_server.core.access.roles import MANAGER_ROLES
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, department_ids, supervises_task_type
from people.models import DepartmentLink
from productions.models import DepartmentMetadataDescriptorLink, ProjectPersonLink

# Roles that never see a production's schedule (the reference's vendor and client blocks).
NO_SCHEDULE_ROLES = ("vendor", "client")


def check_project_reader(access, project_id, blocked_roles=()):
    """The project's readers (admins, its team) but those holding one of `blocked_roles` there;
    returns the role held."""
    role = access.check_project_access(project_id)
    if role in blocked_roles:
        raise PermissionDenied
    return role


def check_schedule_list(access, project_id=None):
    """Schedule lists: with a project, its readers but its vendors and clients; without, admins
    only (reference: check_read_permissions(options))."""
    if project_id is None:
        access.check_admin()
    elif not access.is_admin:
        check_project_reader(access, project_id, NO_SCHEDULE_ROLES)


def check_supervisor_project_task_type_access(access, project_id, task_type_id):
    """Admins; members who manage the project; member supervisors of the task type's department
    (or of no department)."""
    if access.is_admin:
        return
    if access.is_member(project_id):
        role = access.project_role(project_id)
        if role in MANAGER_ROLES:
            return
        if role == "supervisor" and supervises_task_type(access.person, task_type_id):
            return
    raise PermissionDenied


def check_all_departments_access(access, project_id, departments):
    """Descriptor writes: admins, the project's managers, and its supervisors when the
    descriptor is limited to departments that include all of theirs (or they have none)."""
    if access.is_admin:
        return
    if not access.is_member(project_id):
        raise PermissionDenied
    role = access.project_role(project_id)
    if role in MANAGER_ROLES:
        return
    if role == "supervisor" and departments:
        mine = department_ids(access.person)
        wanted = {str(department_id) for department_id in departments}
        if not mine or all(str(department_id) in wanted for department_id in mine):
            return
    raise PermissionDenied


# --- which metadata descriptors one reads ----------------------------------------------------


def descriptor_narrowing(access, role):
    """What narrows the descriptors the person reads where they hold `role` (None: nothing):
    clients the ones published to clients, vendors the ones of their departments or of none."""
    if role == "client":
        return Q(for_client=True)
    if role == "vendor":
        linked = DepartmentMetadataDescriptorLink.objects.values("metadata_descriptor_id")
        mine = linked.filter(
            department_id__in=DepartmentLink.objects.filter(person_id=access.person.pk).values(
                "department_id"
            )
        )
        return ~Q(pk__in=linked) | Q(pk__in=mine)
    return None


def _descriptors_by_role(access, roles_of_projects):
    """One criterion per role held on the projects of `roles_of_projects` ({project id: team
    role or None}): a role can be set per project."""
    by_role = {}
    for project_id, team_role in roles_of_projects:
        role = team_role if team_role not in (None, "admin") else access.role
        by_role.setdefault(role, []).append(project_id)
    visible = Q(pk__in=[])
    for role, project_ids in by_role.items():
        criterion = Q(project_id__in=project_ids)
        narrowing = descriptor_narrowing(access, role)
        visible |= criterion & narrowing if narrowing is not None else criterion
    return visible


def visible_descriptors(access, queryset):
    """The descriptors one lists: all for admins; else those of the open projects of their team,
    each project narrowed on the role held there (reference: related_projects and
    get_descriptor_visibilities)."""
    if access.is_admin:
        return queryset
    memberships = ProjectPersonLink.objects.filter(
        person_id=access.person.pk, project__project_status__name=OPEN_PROJECT_STATUS
    ).values_list("project_id", "role")
    return queryset.filter(_descriptors_by_role(access, memberships))


def visible_project_descriptors(access, project_ids):
    """Q on descriptors: those of `project_ids` one reads, each project narrowed on the role held
    there (admins: all of them)."""
    if access.is_admin:
        return Q(project_id__in=project_ids)
    roles = dict(
        ProjectPersonLink.objects.filter(person_id=access.person.pk, project_id__in=project_ids).values_list(
            "project_id", "role"
        )
    )
    return _descriptors_by_role(access, ((project_id, roles.get(project_id)) for project_id in project_ids))
