"""Lookups of the rows a URL names, with one behaviour: a malformed id is a 400 ("Malformed ID"),
a missing row a 404 ("<Model> not found."); and the production of a URL once the caller reaches it."""

from rest_framework.exceptions import NotFound, PermissionDenied

from kitsu_server.api.params import parse_uuid
from kitsu_server.core import access as access_rules  # a module: the access rules look rows up here
from productions.models import Project


def object_or_404(model_or_queryset, object_id, name=None):
    """The row of `object_id` (400 when malformed, 404 when absent, "<Model> not found.")."""
    queryset = getattr(model_or_queryset, "_default_manager", model_or_queryset)
    model = queryset.model
    pk = parse_uuid(object_id, f"Malformed ID: {object_id}.")
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise NotFound(f"{name or model.__name__} not found.")
    return instance


def team_project(request, project_id, blocked_roles=()):
    """The production of the URL (400 malformed, 404 missing), once the caller reaches it with a
    role not in `blocked_roles` (403). Returns (project, the caller's role on it)."""
    project = object_or_404(Project, project_id)
    role = access_rules.access_for(request).check_project_access(project.pk)
    if role in blocked_roles:
        raise PermissionDenied
    return project, role


def managed_project(request, project_id):
    """The production of the URL, once the caller manages it (admins, its managers)."""
    project = object_or_404(Project, project_id)
    access_rules.access_for(request).check_manager(project.pk)
    return project
