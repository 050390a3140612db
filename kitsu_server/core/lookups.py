"""The rows a URL names, looked up one way.

Two answers for a malformed id, each the reference's for its family of routes:
- `object_or_404`: the generic /data routes and what follows their rule: a malformed id is a 400
  ("Malformed ID: ..."), a missing row a 404 ("<Model> not found.").
- `found_or_404` and the named lookups below (projects, entities of a kind, tasks, asset types):
  the reference's service lookups, where a malformed id names no row either: 404.

`team_project` and `managed_project` are the production of a URL once the caller reaches it.
"""

from rest_framework.exceptions import NotFound, PermissionDenied

from assets.models import KIND_NAMES, Entity, EntityType, entity_kind
from kitsu_server.api.params import parse_uuid, uuid_or_none
from kitsu_server.core import access as access_rules  # a module: the access rules look rows up here
from productions.models import Project
from tasks.models import Task


def object_or_404(model_or_queryset, object_id, name=None):
    """The row of `object_id` (400 when malformed, 404 when absent, "<Model> not found.")."""
    queryset = getattr(model_or_queryset, "_default_manager", model_or_queryset)
    model = queryset.model
    pk = parse_uuid(object_id, f"Malformed ID: {object_id}.")
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise NotFound(f"{name or model.__name__} not found.")
    return instance


def found_or_404(model_or_queryset, object_id, message):
    """The row of `object_id`, else a 404 with `message` (a malformed id names no row)."""
    queryset = getattr(model_or_queryset, "_default_manager", model_or_queryset)
    pk = uuid_or_none(object_id)
    instance = queryset.filter(pk=pk).first() if pk is not None else None
    if instance is None:
        raise NotFound(message)
    return instance


def project_or_404(project_id, message="Project not found."):
    return found_or_404(Project, project_id, message)


def task_or_404(task_id):
    return found_or_404(Task, task_id, "Task not found.")


def entity_or_404(entity_id, kind=None):
    """The entity of `entity_id`; when `kind` ("Shot", "Episode", "Asset"...) is given, only an
    entity of that kind (the 404 then names the kind)."""
    entity = found_or_404(Entity, entity_id, f"{kind or 'Entity'} not found.")
    if kind is not None and entity_kind(entity.entity_type_id) != kind:
        raise NotFound(f"{kind} not found.")
    return entity


def asset_type_or_404(asset_type_id):
    """An entity type that classifies assets (not Shot, Sequence... which name kinds)."""
    asset_types = EntityType.objects.exclude(name__in=KIND_NAMES)
    return found_or_404(asset_types, asset_type_id, "Asset type not found.")


def listed_project_role(access, project_id):
    """The rule of a list whose query string names its production: admins list anything; anyone
    else must name one (403) that exists (404) and whose team holds them (403). Returns the
    caller's role there ("admin" for an admin)."""
    if access.is_admin:
        return "admin"
    if project_id is None:
        raise PermissionDenied
    project_or_404(project_id)
    return access.check_project_access(project_id)


def team_project(request, project_id, blocked_roles=()):
    """The production of the URL (404), once the caller reaches it with a role not in
    `blocked_roles` (403). Returns (project, the caller's role on it)."""
    project = project_or_404(project_id)
    role = access_rules.access_for(request).check_project_access(project.pk)
    if role in blocked_roles:
        raise PermissionDenied
    return project, role


def managed_project(request, project_id):
    """The production of the URL (404), once the caller manages it (admins, its managers)."""
    project = project_or_404(project_id)
    access_rules.access_for(request).check_manager(project.pk)
    return project
