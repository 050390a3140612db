"""Request steps the concept and edit routes share: the query string as the reference's list
criteria, their ids checked, the production they name checked for the caller, and the board
filter they make."""

from assets.typed_entities import BoardFilter
from kitsu_server.api.params import parse_uuid
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import listed_project_role


def check_id_criteria(criteria, names=("id", "project_id", "episode_id")):
    """The id criteria of a board, checked before they reach a query ("main" and "all" are
    episodes too)."""
    for name in names:
        value = criteria.get(name)
        if value is None or (name == "episode_id" and value in ("main", "all")):
            continue
        parse_uuid(value, f"Invalid UUID format for {name}: {value}")


def criteria_project_access(request, criteria):
    """The production a list names, checked as the reference does: admins list anything,
    anyone else must name a production of their team (a 404 when it doesn't exist). Returns the
    caller's role on it (their global role without one)."""
    access = access_for(request)
    raw = criteria.get("project_id")
    project_id = parse_uuid(raw, f"Invalid UUID value: {raw}") if raw is not None else None
    return listed_project_role(access, project_id)


def board_filter(criteria):
    """What a concept or edit board lists, from its (checked) criteria."""
    check_id_criteria(criteria)
    return BoardFilter(
        entity_id=parse_uuid(criteria["id"], "Invalid UUID format for id.") if "id" in criteria else None,
        project_id=parse_uuid(criteria["project_id"], "Invalid UUID.") if "project_id" in criteria else None,
        episode_id=criteria.get("episode_id"),
        assigned="assigned_to" in criteria,
    )
