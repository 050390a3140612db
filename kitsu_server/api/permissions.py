"""Who may do what: the role of a person, globally and on each project.

A person has a global `role` (admin, manager, supervisor, user, client,
vendor). On a project they belong to (its team), the team link may carry a
project role that overrides the global one, except that "admin" is global
only. Admins reach every project; anyone else reaches the projects whose
team they are in. `Access` computes this once per request and caches the
team roles it reads, so a view checks as often as it likes for one query.
"""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from productions.models import ProjectPersonLink

MANAGER_ROLES = ("admin", "manager")
SUPERVISOR_ROLES = ("admin", "manager", "supervisor")


class Access:
    def __init__(self, person):
        self.person = person
        self.role = person.role
        self._team_roles = None  # {project_id: project role or None}

    @property
    def is_admin(self):
        return self.role == "admin"

    def _memberships(self):
        if self._team_roles is None:
            self._team_roles = dict(
                ProjectPersonLink.objects.filter(person_id=self.person.pk).values_list("project_id", "role")
            )
        return self._team_roles

    def member_project_ids(self):
        return set(self._memberships())

    def is_member(self, project_id):
        return project_id is not None and _as_uuid(project_id) in self._memberships()

    def project_role(self, project_id):
        """The effective role on a project: admin stays admin, else the team role, else the global one."""
        if self.is_admin:
            return "admin"
        role = self._memberships().get(_as_uuid(project_id))
        return role if role not in (None, "admin") else self.role

    def projects_by_role(self):
        """{effective role: [project ids]} over the projects of the person's team: what list rules
        split on, since one person may be a client on one production and an artist on another."""
        by_role = {}
        for project_id in self._memberships():
            by_role.setdefault(self.project_role(project_id), []).append(project_id)
        return by_role

    def has_project_access(self, project_id):
        return self.is_admin or self.is_member(project_id)

    def check_project_access(self, project_id):
        if not self.has_project_access(project_id):
            raise PermissionDenied
        return self.project_role(project_id)

    def check_role(self, roles, project_id=None):
        """Raise unless the effective role (on the project when given) is one of `roles`."""
        role = self.project_role(project_id) if project_id is not None else self.role
        if role not in roles:
            raise PermissionDenied
        return role

    def check_admin(self):
        return self.check_role(("admin",))

    def check_manager(self, project_id=None):
        if project_id is not None:
            self.check_project_access(project_id)
        return self.check_role(MANAGER_ROLES, project_id)

    def check_supervisor(self, project_id=None):
        if project_id is not None:
            self.check_project_access(project_id)
        return self.check_role(SUPERVISOR_ROLES, project_id)


def _as_uuid(value):
    import uuid

    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def access_for(request):
    """The request's `Access`, built on first use."""
    access = getattr(request, "_kitsu_access", None)
    if access is None or access.person is not request.user:
        access = Access(request.user)
        request._kitsu_access = access
    return access


class IsActivePerson(BasePermission):
    """An authenticated, active person (the default for every API route)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class IsPersonIdentity(IsActivePerson):
    """An active person on their own session or API token; a bot's token is refused (the routes
    of `/data/user` and `/actions/user`, about the person calling)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        token = request.auth
        return not (hasattr(token, "get") and token.get("identity_type") == "bot")
