"""The role x route matrix (docs/permissions.md and .json) is what the permission layer decides,
and the explainer agrees with the real requests on every cell of it."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from kitsu_server.core.explain import matrix as matrix_module
from kitsu_server.core.explain.explainer import BODY_METHODS
from kitsu_server.core.explain.fixture import ROLES, build_fixture
from kitsu_server.core.explain.matrix import compute_matrix, matrix_json, matrix_markdown
from tests.factories import client_for

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"
MALFORMED_BODY = b"{"  # read, it is a 400: a route that reads its body before refusing shows it


def verdict(status):
    if status in (401, 403):
        return "refused"
    if status == 404:
        return "not found"
    return "allowed"


def real_status(client, method, path):
    """What the request answers, sent for real (with a body no route accepts), rolled back."""
    with transaction.atomic():
        if method in BODY_METHODS:
            response = client.generic(method, "/api" + path, MALFORMED_BODY, content_type="application/json")
        else:
            response = client.generic(method, "/api" + path)
        transaction.set_rollback(True)
    return response.status_code


def test_the_published_matrix_is_the_rules_and_the_explainer_agrees_with_every_cell():
    fixture = build_fixture()
    matrix = compute_matrix(fixture)
    assert len(matrix["routes"]) > 800  # every route of routes.tsv, and ours
    assert (DOCS / "permissions.md").read_text() == matrix_markdown(matrix), (
        "docs/permissions.md is stale: run `python manage.py permission_matrix` and commit it"
    )
    assert (DOCS / "permissions.json").read_text() == matrix_json(matrix), (
        "docs/permissions.json is stale: run `python manage.py permission_matrix` and commit it"
    )
    clients = {role: client_for(person) for role, person in fixture.people.items()}
    for client in clients.values():
        client.raise_request_exception = False  # a crash is an answer to report
    disagreements = []
    for row in matrix["routes"]:
        for role, client in clients.items():
            status = real_status(client, row["method"], row["path"])
            explained = row["cells"][role]
            if verdict(status) != explained["verdict"] or status >= 500:
                disagreements.append((row["method"], row["route"], role, explained, status))
    assert disagreements == [], "\n".join(map(str, disagreements))


def test_the_command_writes_the_files_and_check_fails_when_they_differ(tmp_path, monkeypatch):
    routes = matrix_module.matrix_routes()
    few = [
        route for route in routes if route[2] in ("/data/projects/{project_id}/team", "/data/shots/{shot_id}")
    ]
    monkeypatch.setattr(matrix_module, "matrix_routes", lambda: few)
    call_command("permission_matrix", "--output", str(tmp_path))
    markdown = (tmp_path / "permissions.md").read_text()
    assert "| GET | `/data/shots/{shot_id}` | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✗ | ✗ |" in markdown
    assert "| POST | `/data/projects/{project_id}/team` | ✓ | ✓ | ✗ | ✗ | ✗ | ✗ | ✗ | ✗ |" in markdown
    assert list(ROLES) == [
        "admin",
        "manager",
        "supervisor",
        "artist",
        "artist-unassigned",
        "client",
        "vendor",
        "outsider",
    ]
    call_command("permission_matrix", "--check", "--output", str(tmp_path))
    (tmp_path / "permissions.md").write_text(markdown.replace("✗", "✓"))
    with pytest.raises(CommandError, match="The permission matrix changed"):
        call_command("permission_matrix", "--check", "--output", str(tmp_path))
    from people.models import Person

    assert not Person.objects.filter(last_name="Matrix").exists()  # the production was rolled back
