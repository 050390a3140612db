"""The rules of tasks: who reads a task, acts on it, updates it, assigns it, logs time on it,
uses a status; what a client reads of a task."""

from django.db.models import Q
from rest_framework.exceptions import PermissionDenied

from kitsu_server.core.access.roles import MANAGER_ROLES
from kitsu_server.core.access.scopes import (
    assigned_task_ids,
    department_ids,
    is_assigned,
    is_assigned_id,
    open_team_project_ids,
    supervises_task_type,
)
from productions.models import Project, ProjectTaskStatusLink
from tasks.models import (
    TaskPersonLink,
    TaskStatus,
)


def visible_tasks(access, queryset):
    """Tasks of the open productions of the person's team; where they are a vendor, only the tasks
    assigned to them (a vendor by the global role: theirs wherever, as on the reference)."""
    if access.is_admin:
        return queryset
    if access.role == "vendor":
        return queryset.filter(pk__in=assigned_task_ids(access.person))
    by_role = access.projects_by_role()
    vendor_projects = by_role.pop("vendor", [])
    other_projects = [project_id for project_ids in by_role.values() for project_id in project_ids]
    seen = Q(project_id__in=other_projects) | Q(
        project_id__in=vendor_projects, pk__in=assigned_task_ids(access.person)
    )
    return queryset.filter(seen, project_id__in=open_team_project_ids(access.person))


def check_task_access(access, task):
    access.check_project_and_entity_access(task.project_id, task.entity_id)


def check_task_action_access(access, task):
    """Act on a task: managers and clients of its project, its assignees, its department's
    supervisors, and the creator of its entity."""
    if access.is_admin:
        return
    if not access.is_member(task.project_id):
        raise PermissionDenied
    role = access.project_role(task.project_id)
    if role in (*MANAGER_ROLES, "client") or is_assigned(access.person, task.pk):
        return
    if role == "supervisor" and supervises_task_type(access.person, task.task_type_id):
        return
    if task.entity_id is not None and task.entity.created_by_id == access.person.pk:
        return
    raise PermissionDenied


# Columns a supervisor may change on the tasks of their departments.
SUPERVISOR_TASK_COLUMNS = {"priority", "start_date", "due_date", "estimation", "difficulty", "data"}


def check_supervisor_task_access(access, task, data):
    """Update a task: its project's managers; its department's supervisors for planning columns only."""
    if access.is_admin:
        return
    if access.is_member(task.project_id):
        role = access.project_role(task.project_id)
        if role in MANAGER_ROLES:
            return
        if (
            role == "supervisor"
            and set(data) <= SUPERVISOR_TASK_COLUMNS
            and supervises_task_type(access.person, task.task_type_id)
        ):
            return
    raise PermissionDenied


def check_task_status_access(access, task_status_id, project_id):
    """Artists and clients of the project may only use the statuses open to them."""
    role = access.project_role(project_id) if access.is_member(project_id) else access.role
    is_artist = role == "user" and access.is_member(project_id)
    if not is_artist and role != "client":
        return
    status = TaskStatus.objects.filter(pk=task_status_id).first()
    if status is None:
        return
    if is_artist and not status.is_artist_allowed:
        raise PermissionDenied
    if role == "client":
        override = (
            ProjectTaskStatusLink.objects.filter(project_id=project_id, task_status_id=task_status_id)
            .values_list("is_client_allowed", flat=True)
            .first()
        )
        if not (override if override is not None else status.is_client_allowed):
            raise PermissionDenied


def check_time_spent_access(access, task, person_id):
    """A time spent is removed by its assignee, or by an admin or a manager, and only if assigned."""
    if task is None or person_id is None or not is_assigned_id(person_id, task.pk):
        raise PermissionDenied
    if person_id == access.person.pk or access.is_admin:
        return
    if access.is_member(task.project_id) and access.project_role(task.project_id) in MANAGER_ROLES:
        return
    raise PermissionDenied


# Studio fields of a task a client reads blank (the reference's CLIENT_BLANK_TASK_VALUES).
CLIENT_BLANK_TASK_VALUES = {
    "assignees": [],
    "assigner_id": None,
    "completion_rate": 0,
    "difficulty": None,
    "done_date": None,
    "due_date": None,
    "duration": 0,
    "end_date": None,
    "estimation": 0,
    "last_comment_date": None,
    "nb_assets_ready": 0,
    "nb_drawings": 0,
    "priority": 0,
    "real_start_date": None,
    "retake_count": 0,
    "start_date": None,
}


def blank_task_for_client(data):
    for name, value in CLIENT_BLANK_TASK_VALUES.items():
        if name in data:
            data[name] = list(value) if isinstance(value, list) else value
    return data


def check_not_bot(person, project=None):
    """Bots take no task, unless the project lets them collaborate."""
    if person.is_bot and not (project is not None and project.is_bot_collaboration_enabled):
        raise PermissionDenied


def may_assign(access, task, person, my_departments, their_departments):
    """Admins; in the project: managers, supervisors (of the task's department, assigning someone
    of their own departments, or without department), and anyone of the task's department who
    assigns themselves."""
    if access.is_admin:
        return True
    if not access.is_member(task.project_id):
        return False
    role = access.project_role(task.project_id)
    department_id = task.task_type.department_id if task.task_type_id else None
    if role in MANAGER_ROLES:
        return True
    if role == "supervisor" and (
        not my_departments or (department_id in my_departments and my_departments & their_departments)
    ):
        return True
    return department_id in my_departments and person.pk == access.person.pk


def may_unassign(access, task, person_id, my_departments, assignee_ids):
    """Admins; in the project: managers, supervisors of the task's department (or without
    department), and assignees removing themselves."""
    if access.is_admin:
        return True
    if not access.is_member(task.project_id):
        return False
    role = access.project_role(task.project_id)
    if role in MANAGER_ROLES:
        return True
    department_id = task.task_type.department_id if task.task_type_id else None
    if role == "supervisor" and (not my_departments or department_id in my_departments):
        return True
    me = access.person.pk
    return me in assignee_ids and person_id == me


def check_assign_access(access, task):
    """Who may not even assign themselves a task assigns nobody on it (see `may_assign`)."""
    mine = department_ids(access.person)
    if not access.may_assign(task, access.person, mine, mine):
        raise PermissionDenied


def check_assignment(access, task, person):
    """Assign `person` to `task`: a person who may take it (bots only where the project lets them
    collaborate), by whom `may_assign` lets."""
    check_not_bot(person, task.project)
    if not access.may_assign(task, person, department_ids(access.person), department_ids(person)):
        raise PermissionDenied


def assignable_tasks(access, tasks, person):
    """Of `tasks`, those the person may be assigned by the requester (the batch route skips the
    others)."""
    mine, theirs = department_ids(access.person), department_ids(person)
    return [
        task
        for task in tasks
        if allowed(check_not_bot, person, task.project) and access.may_assign(task, person, mine, theirs)
    ]


def unassignable_tasks(access, tasks, person_id):
    """Of `tasks`, those the requester may remove `person_id` (everyone when None) from (see
    `may_unassign`; the batch route skips the others). One query for the assignees."""
    mine = department_ids(access.person)
    assignees = {}
    for task_id, assignee_id in TaskPersonLink.objects.filter(task__in=tasks).values_list(
        "task_id", "person_id"
    ):
        assignees.setdefault(task_id, set()).add(assignee_id)
    return [
        task for task in tasks if access.may_unassign(task, person_id, mine, assignees.get(task.pk, set()))
    ]


def updatable_tasks(access, tasks, data):
    """Of `tasks`, those the requester may update with `data` (see `check_supervisor_task_access`;
    the batch route skips the others)."""
    return [task for task in tasks if allowed(check_supervisor_task_access, access, task, data)]


def check_main_preview_access(access, task):
    """Set a task's preview as its entity's: whoever reaches the task, clients aside."""
    access.check_task_access(task)
    if access.project_role(task.project_id) == "client":
        raise PermissionDenied


def check_studio_team(access, project_id):
    """The project's team but its vendors and clients: the studio's own people. Returns the role."""
    role = access.check_project_access(project_id)
    if role in ("vendor", "client"):
        raise PermissionDenied
    return role


def check_person_tasks_read(access, person):
    """Whose tasks a person reads: vendors only their own."""
    if access.role == "vendor" and person.pk != access.person.pk:
        raise PermissionDenied


# --- who may (the reference's rules, as filters for the batch routes) ---------------------------


def allowed(check, *args):
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


# --- the API event log (kept by the tasks app) -----------------------------------------------


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
