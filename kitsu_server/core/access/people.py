"""The rules of persons and time: the directory a client meets, whose time one reads."""

from django.db.models import Q

from kitsu_server.core.access.scopes import open_team_project_ids
from productions.models import ProjectPersonLink


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
