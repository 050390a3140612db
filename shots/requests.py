"""Request steps the routes of shots, sequences, episodes and scenes share: the query string's
criteria and the production they name, checked for the caller; the rows a vendor reads (their
assignments, the custom fields of their departments); the base of the routes listing everyone's
tasks under an entity.
"""

from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets.queries import hidden_metadata_fields, hide_vendor_metadata
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.requests import list_criteria, relations_asked
from kitsu_server.core.access import Access, access_for
from kitsu_server.core.delta import entity_list
from kitsu_server.core.lookups import entity_or_404, listed_project_role
from kitsu_server.core.scoped import EntityScopedView
from shots import queries

EPISODE_SENTINELS = ("all", "main")


def force_asked(request):
    return request.query_params.get("force", "false").lower() == "true"


def check_id_formats(criteria, names):
    for name in names:
        value = criteria.get(name)
        if value is None or (name == "episode_id" and value in EPISODE_SENTINELS):
            continue
        if not queries.is_valid_id(value):
            raise WrongParameter(f"Invalid UUID format for {name}: {value}")


def check_criteria_project(access, project_id):
    """Who may list what the query string's production holds: its team (a 404 when there is no
    such production); without a production, admins only."""
    listed_project_role(access, project_id)


def list_scope(request, id_names=(), parent=None):
    """(access, criteria, project id, role) of a list route: the query string's criteria (the ids
    `id_names` checked; `parent`, (key, kind), turns a parent's id into its production and
    `parent_id`), the production they name (checked for the requester), the requester's role there."""
    access = access_for(request)
    criteria = list_criteria(request)
    if parent is not None and parent[0] in criteria:
        entity = entity_or_404(criteria.pop(parent[0]), parent[1])
        criteria["project_id"] = str(entity.project_id)
        criteria["parent_id"] = str(entity.pk)
    check_id_formats(criteria, id_names)
    project_id = criteria.get("project_id")
    check_criteria_project(access, project_id)
    return access, criteria, project_id, access.project_role(project_id)


def mask_for_vendor(rows, kind, departments, project_id=None):
    """Rows without the custom fields a vendor's departments may not read; rows that carry no
    production take the one of the request."""
    if departments is None or not rows:
        return rows
    if all("project_id" in row for row in rows):
        return hide_vendor_metadata(rows, departments, kind)
    hidden = hidden_metadata_fields(kind, departments, {str(project_id)}).get(str(project_id), ())
    for row in rows:
        row["data"] = {key: value for key, value in (row["data"] or {}).items() if key not in hidden}
    return rows


def project_entity_rows(access, role, project, kind, window=None):
    """The production's entities of `kind` for its team (a vendor's: those they are assigned to,
    with only the custom fields of their departments); in a delta `window`, those changed in it
    in the delta's envelope."""
    rows = queries.project_entities(project.pk, kind, access.vendor_assignee(role), window)
    rows = mask_for_vendor(rows, kind, access.vendor_departments(role), project.pk)
    return rows if window is None else entity_list(window, rows, [project.pk])


def as_entity(entity):
    """An entity as the reference's update routes answer it: its columns, typed "Entity"."""
    data = queries.render_entity(entity)
    data["type"] = "Entity"
    return data


def parent_in_project(project, parent_id, kind):
    """The parent (a sequence, an episode) a new entity goes under, None without one; a 404 when it
    is not one of the production's."""
    if parent_id is None:
        return None
    parent = entity_or_404(parent_id, kind)
    if parent.project_id != project.pk:
        raise NotFound(f"{kind} not found.")
    return parent


class TeamTasksView(EntityScopedView):
    """`GET` tasks hanging off the `kind` entity of the URL (`rows(entity id, relations, client)`),
    for whoever reads it. Vendors are refused."""

    rules = {"GET": Access.check_team_entity_read}
    rows = None

    def get(self, request, **entity_ids):
        return Response(
            type(self).rows(self.entity.pk, relations_asked(request), self.access.reads_as_client(self.role))
        )
