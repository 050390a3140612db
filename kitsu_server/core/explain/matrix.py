"""The role x route matrix: every route of the URL table, run by the explainer as one person of
each role of a small production (kitsu_server.core.explain.fixture), and what it decided.

Published as docs/permissions.md (readable: by area, one column per role) and
docs/permissions.json; `manage.py permission_matrix --check` recomputes both and fails when the
committed files differ, so a change of the rules shows in the diff of the change that made it.
"""

import json
import re
from pathlib import Path

from django.urls import URLResolver, get_resolver

from kitsu_server.core.explain.explainer import explain, served_methods
from kitsu_server.core.explain.fixture import ROLES
from kitsu_server.core.explain.subjects import model_of

KITSU_ROUTES = Path(__file__).with_name("kitsu_routes.tsv")  # a copy of the reference's route list
EXTENSION_AREA = "extensions (this server's own routes)"
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Routes that need no person (the schema and its viewer): not in the matrix.
PUBLIC_ROUTES = {"/openapi.json", "/docs"}

# Route parameters that are no row id: a value the route accepts.
PLAIN_PARAMETERS = {
    "date": "2026-01-05",
    "month_date": "2026-01",
    "year": "2026",
    "month": "1",
    "week": "2",
    "day": "5",
    "entity_type": "Asset",
    "field_name": "name",
    "file_name": "note.png",
    "extension": "png",
}
# Parameters naming an entity of one kind: the fixture's row of that kind.
ENTITY_PARAMETERS = {
    "asset_id": "Asset",
    "entity_id": "Asset",
    "shot_id": "Shot",
    "temporal_entity_id": "Shot",
    "sequence_id": "Sequence",
    "episode_id": "Episode",
    "scene_id": "Scene",
    "edit_id": "Edit",
    "concept_id": "Concept",
    "concept_folder_id": "Concept",
}
KIND_MODELS = {
    "Asset": "assets.Asset",
    "Shot": "shots.Shot",
    "Sequence": "shots.Sequence",
    "Episode": "shots.Episode",
    "Scene": "shots.Scene",
    "Edit": "shots.Edit",
    "Concept": "assets.Concept",
}


def kitsu_areas():
    """{(method, route): area} of the reference's routes."""
    areas = {}
    for line in KITSU_ROUTES.read_text().splitlines()[1:]:
        area, method, route = line.split("\t")
        areas[(method, route)] = area
    return areas


def _walk(patterns, prefix=""):
    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, regex)
        else:
            yield regex, pattern


def template_of(regex):
    template = re.sub(r"\(\?P<([a-z_]+)>[^)]*\)", r"{\1}", regex)
    template = template.replace("^", "").replace("$", "").replace("/?", "").replace("\\", "")
    return "/" + template.removeprefix("api/").strip("/")


def matrix_routes():
    """[(area, method, route template, callback)] of every API route, in the order of the areas,
    then of the routes."""
    areas = kitsu_areas()
    seen, routes = set(), []
    for regex, pattern in _walk(get_resolver().url_patterns):
        if not regex.startswith("api/"):
            continue
        template = template_of(regex)
        if template in PUBLIC_ROUTES:
            continue
        for method in served_methods(pattern.callback):
            if (method, template) in seen:
                continue
            seen.add((method, template))
            routes.append((areas.get((method, template), EXTENSION_AREA), method, template, pattern.callback))
    order = {method: index for index, method in enumerate(METHOD_ORDER)}
    routes.sort(key=lambda r: (r[0] == EXTENSION_AREA, r[0], r[2], order.get(r[1], 9)))
    return routes


def fill(template, callback, fixture):
    """The concrete path of a route on the fixture's rows."""
    from django.apps import apps

    def value(match):
        name = match.group(1)
        if name in PLAIN_PARAMETERS:
            return PLAIN_PARAMETERS[name]
        if name in ENTITY_PARAMETERS:
            return str(fixture.row(apps.get_model(KIND_MODELS[ENTITY_PARAMETERS[name]])).pk)
        if name == "token":
            link = fixture.row(apps.get_model("files.PlaylistShareLink"))
            return link.token if link is not None else "no-token"
        resolver_match = type("Match", (), {"func": callback})
        model = model_of(name, resolver_match)
        row = fixture.row(model) if model is not None else None
        return str(row.pk) if row is not None else "00000000-0000-4000-8000-000000000000"

    return re.sub(r"\{([a-z_]+)\}", value, template)


def cell_of(answer):
    narrowed = sorted({step["rule"] for step in answer["rules"] if step.get("outcome") == "narrowed"})
    cell = {"verdict": answer["verdict"]}
    if answer["status"] is not None:
        cell["status"] = answer["status"]
    if answer["stopped_at"]:
        cell["stopped_at"] = answer["stopped_at"]
    if narrowed and answer["verdict"] == "allowed" and answer["is_list"]:
        cell["narrowed_by"] = narrowed
    return cell


def compute_matrix(fixture, progress=None):
    """{"roles": {role: description}, "routes": [{area, method, route, cells: {role: cell}}]}
    on the fixture's production (written; the caller rolls it back)."""
    rows = []
    routes = matrix_routes()
    for index, (area, method, template, callback) in enumerate(routes):
        path = fill(template, callback, fixture)
        cells = {}
        for role, person in fixture.people.items():
            cells[role] = cell_of(explain(person, path, method, sentence=False))
        rows.append({"area": area, "method": method, "route": template, "path": path, "cells": cells})
        if progress is not None:
            progress(index + 1, len(routes))
    return {"roles": {role: description for role, (_, _, description) in ROLES.items()}, "routes": rows}


# --- the published files ----------------------------------------------------------------------


def matrix_json(matrix):
    """docs/permissions.json: the roles, then one route a line (a change of rule is a line of the
    diff), without the fixture's ids (stable from run to run)."""
    routes = [
        json.dumps({key: row[key] for key in ("area", "method", "route", "cells")}, ensure_ascii=False)
        for row in matrix["routes"]
    ]
    roles = json.dumps(matrix["roles"], ensure_ascii=False)
    return '{"roles": ' + roles + ',\n"routes": [\n' + ",\n".join(routes) + "\n]}\n"


MARKS = {"allowed": "✓", "refused": "✗", "not found": "·"}


def mark(cell):
    text = MARKS[cell["verdict"]]
    if cell.get("narrowed_by"):
        text = "◐"
    return text


LEGEND = """\
# Who may call what: the role x route matrix

Generated by `python manage.py permission_matrix` from the one permission layer: every route of
the URL table (the reference's routes, then this server's own) was run by the permission
explainer (`GET /api/permissions/explain`) as one person of each role of a small production.
Do not edit: CI runs `permission_matrix --check`, which fails when this file or
`permissions.json` differs from what the rules decide. To know why a cell is what it is, ask the
explainer (or the back-office, on the person's page).

- ✓ allowed: the route let the person through (what it answered: its data, or a 400 about the
  body or the state of the row; a write route is decided at its permission check, before its body).
- ◐ allowed, narrowed: a list rule (`visible_*`) keeps only the rows this person may see.
- ✗ refused (403).
- · not found (404): the row is not one this person may see, or the route found nothing to answer
  on this production (a file never uploaded, for instance).

The people (the production "Matrix"; `{person_id}` names a colleague, an artist of the team in the
Modeling department assigned to the modeling task; `{task_id}` that task, of the asset "Sword";
`{shot_id}` a shot with an unassigned animation task; `{comment_id}` a supervisor's internal comment
on the modeling task; `{playlist_id}` a playlist not shared with clients):

"""


def matrix_markdown(matrix):
    roles = list(matrix["roles"])
    lines = [LEGEND]
    for role, description in matrix["roles"].items():
        lines.append(f"- **{role}**: {description}")
    lines.append("")
    area = None
    header = "| method | route | " + " | ".join(roles) + " |"
    rule = "|---|---|" + "---|" * len(roles)
    for row in matrix["routes"]:
        if row["area"] != area:
            area = row["area"]
            lines += ["", f"## {area}", "", header, rule]
        marks = " | ".join(mark(row["cells"][role]) for role in roles)
        lines.append(f"| {row['method']} | `{row['route']}` | {marks} |")
    return "\n".join(lines) + "\n"
