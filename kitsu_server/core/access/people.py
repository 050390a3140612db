"""The rules of persons and time: the directory a client meets, whose time, desktop logins and
quotas one reads, whose saved search filters one lists, changes or shares."""

from django.db.models import Q
from rest_framework.exceptions import NotFound, PermissionDenied

from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS, open_team_project_ids, team_project_ids
from people.models import DepartmentLink
from productions.models import Project, ProjectPersonLink


def visible_persons(access, queryset):
    """The persons one lists or reads: the studio's directory, except for a client (by the global
    role, as the reference), who meets the members of the teams of their open productions, and
    themselves."""
    if access.role != "client":
        return queryset
    teams = ProjectPersonLink.objects.filter(project_id__in=open_team_project_ids(access.person))
    return queryset.filter(Q(pk__in=teams.values("person_id")) | Q(pk=access.person.pk))


# Roles that read only their own time on a production: its vendors and its clients.
OWN_TIME_ROLES = ("vendor", "client")


def others_time_project_ids(access):
    """The productions of the team where the person reads the time others log: all but those
    where they are a vendor or a client."""
    return [
        project_id
        for role, project_ids in access.projects_by_role().items()
        if role not in OWN_TIME_ROLES
        for project_id in project_ids
    ]


def visible_time_spents(access, queryset):
    """Time spents one reads: one's own, and the others' on the productions of
    others_time_project_ids (the reference shows a production's whole time to its vendors)."""
    if access.is_admin:
        return queryset
    return queryset.filter(
        Q(person_id=access.person.pk) | Q(task__project_id__in=access.others_time_project_ids())
    )


# --- a person's own rows -----------------------------------------------------------------------


def _is_person(access, person_id):
    return str(access.person.pk) == str(person_id)


def check_self_or_admin(access, person_id):
    """What only the person themselves (or an admin) reads or records: their desktop logins, the
    whole time of their month."""
    if not access.is_admin and not _is_person(access, person_id):
        raise PermissionDenied


def check_desktop_login_read(access, person_id):
    """A person's desktop logins are read by the person and the studio's managers (global role)."""
    if not _is_person(access, person_id) and access.role not in ("admin", "manager"):
        raise PermissionDenied


def check_quota_access(access, person_id, project_id=None):
    """Whose quotas one reads: with a production (404 when it is none), its managers and
    supervisors (and admins) read anyone's; otherwise, and for everyone else, admins and the
    person only."""
    if project_id is not None:
        if not Project.objects.filter(pk=project_id).exists():
            raise NotFound("Project not found.")
        if access.project_role(project_id) in ("admin", "manager", "supervisor"):
            if not access.is_admin and not access.is_member(project_id):
                raise PermissionDenied
            return
    if not access.is_admin and not _is_person(access, person_id):
        raise PermissionDenied


# --- saved search filters and filter groups ------------------------------------------------------


def visible_search_filters(access, queryset):
    """The filters (or groups) one lists: one's own and the shared ones, studio-wide or of the
    team's projects (any project's for an admin), of open projects or of none."""
    person = access.person
    shared = Q(is_shared=True)
    if not access.is_admin:
        # Shared with the studio (no project), or within a production of their team.
        shared &= Q(project__isnull=True) | Q(project_id__in=team_project_ids(person))
    return queryset.filter(Q(person_id=person.pk) | shared).filter(
        Q(project__isnull=True) | Q(project__project_status__name=OPEN_PROJECT_STATUS)
    )


def own_search_filters(access, queryset):
    """The filters (or groups) one reads, changes or removes: one's own (an admin: anyone's)."""
    return queryset if access.is_admin else queryset.filter(person_id=access.person.pk)


def may_share_search_filter(access, project_id):
    """Sharing is a project manager's privilege, and a filter of no project is never shared."""
    if project_id is None:
        return False
    try:
        access.check_manager(project_id)
    except PermissionDenied:
        return False
    return True


# --- day offs ----------------------------------------------------------------------------------


def day_off_read_level(access, person_id):
    """What one reads of the day offs of `person_id`: "full" with their description (an admin, the
    person, a manager of a production the person is on), "dates" for a supervisor of such a
    production who supervises the person; PermissionDenied for anyone else."""
    cache = access.__dict__.setdefault("_day_off_levels", {})
    key = str(person_id)
    if key not in cache:
        cache[key] = _day_off_read_level(access, person_id)
    if cache[key] is None:
        raise PermissionDenied
    return cache[key]


def _day_off_read_level(access, person_id):
    if access.is_admin or str(access.person.pk) == str(person_id):
        return "full"
    scopes = {}
    for project_id in access.member_project_ids():
        role = access.project_role(project_id)
        if role in ("manager", "supervisor"):
            scopes[project_id] = role
    shared = ProjectPersonLink.objects.filter(project_id__in=list(scopes), person_id=person_id)
    roles = {scopes[project_id] for project_id in shared.values_list("project_id", flat=True)}
    if "manager" in roles:
        return "full"
    if "supervisor" in roles:
        departments = list(access.person.departments.values_list("pk", flat=True))
        if (
            not departments
            or DepartmentLink.objects.filter(person_id=person_id, department_id__in=departments).exists()
        ):
            return "dates"
    return None


def day_off_readers(access):
    """{person id: True when the description is readable, False for the dates only}, the persons
    whose day offs the requester reads; None for everybody (admins).

    The person reads their own. On the productions where the requester is a manager they read
    the team's leave in full; where a supervisor, the dates of the team members sharing one of
    their departments (every member when they have no department).
    """
    if access.is_admin:
        return None
    me = access.person
    readable = {str(me.pk): True}
    scopes = {}
    for project_id, role in ProjectPersonLink.objects.filter(person_id=me.pk).values_list(
        "project_id", "role"
    ):
        role = role or me.role
        if role in ("manager", "supervisor"):
            scopes[project_id] = role
    if not scopes:
        return readable
    supervised = set()
    team = ProjectPersonLink.objects.filter(project_id__in=list(scopes)).values_list(
        "project_id", "person_id"
    )
    for project_id, person_id in team:
        if scopes[project_id] == "manager":
            readable[str(person_id)] = True
        else:
            supervised.add(person_id)
    departments = own_department_ids(me)
    if departments and supervised:
        supervised = set(
            DepartmentLink.objects.filter(
                person_id__in=list(supervised), department_id__in=departments
            ).values_list("person_id", flat=True)
        )
    for person_id in supervised:
        readable.setdefault(str(person_id), False)
    return readable


# --- whose time one reads -----------------------------------------------------------------------


def time_reader_project_ids(access):
    """The productions on which a manager or a supervisor reads the time of others: those of their
    team, except where they are held to their own time there (a vendor, a client)."""
    return [str(pk) for pk in access.others_time_project_ids()]


def own_department_ids(person):
    return [
        str(pk)
        for pk in DepartmentLink.objects.filter(person_id=person.pk).values_list("department_id", flat=True)
    ]


def person_time_scope(access, person):
    """(project ids, department ids) that bound what `access` reads of `person`'s time.

    (None, None) for admins and the person: everything. A manager reads the
    time logged on the productions of their team; a supervisor only that of
    their departments (every department when they have none); others: 403.
    """
    if access.is_admin or access.person.pk == person.pk:
        return None, None
    if access.role not in ("manager", "supervisor"):
        raise PermissionDenied
    department_ids = own_department_ids(access.person) if access.role == "supervisor" else None
    return time_reader_project_ids(access), department_ids


# --- tasks to check -----------------------------------------------------------------------------


def tasks_to_check_scope(access):
    """The tasks waiting for feedback one checks, by the global role: (allowed, project ids or None
    for every open production, department ids or None). Admins check everything open, managers
    their open productions, supervisors those of their departments (all when they have none);
    others nothing."""
    if access.is_admin:
        return True, None, None
    if access.role == "manager":
        return True, open_team_project_ids(access.person), None
    if access.role == "supervisor":
        departments = list(
            DepartmentLink.objects.filter(person_id=access.person.pk).values_list("department_id", flat=True)
        )
        return True, open_team_project_ids(access.person), departments
    return False, None, None
