"""The delta answers conform to the schema each route declares (OpenAPI 3.0, read as JSON Schema)."""

import json

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from tasks.models import Task
from tests.delta.helpers import age_everything, cursor, trash
from tests.factories import client_for, make_boards

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def as_json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type, recursively."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def check(openapi, path, answer):
    declared = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema = as_json_schema({**declared, "components": openapi["components"]})
    jsonschema.validate(json.loads(json.dumps(answer)), schema)


ROUTES = [
    ("/api/data/tasks", "/api/data/tasks?project_id={project}"),
    ("/api/data/entities", "/api/data/entities?project_id={project}"),
    ("/api/data/assets/with-tasks", "/api/data/assets/with-tasks?project_id={project}"),
    ("/api/data/assets/with-tasks", "/api/data/assets/with-tasks?project_id={project}&compact=true"),
    ("/api/data/shots/with-tasks", "/api/data/shots/with-tasks?project_id={project}"),
    ("/api/data/assets", "/api/data/assets?project_id={project}"),
    ("/api/data/shots", "/api/data/shots?project_id={project}"),
    ("/api/data/projects/{project_id}/assets", "/api/data/projects/{project}/assets"),
    ("/api/data/projects/{project_id}/shots", "/api/data/projects/{project}/shots"),
    ("/api/data/projects/{project_id}/sequences", "/api/data/projects/{project}/sequences"),
    ("/api/data/projects/{project_id}/episodes", "/api/data/projects/{project}/episodes"),
    ("/api/data/projects/{project_id}/tasks", "/api/data/projects/{project}/tasks"),
    ("/api/data/projects/{project_id}/comments", "/api/data/projects/{project}/comments"),
]


@pytest.mark.parametrize("route,path", ROUTES)
def test_delta_answers_conform(openapi, show, team, route, path):
    make_boards(show)
    age_everything()
    tasks = list(Task.objects.filter(project=show))
    tasks[0].save()
    trash(tasks[1])
    path = path.format(project=show.pk)
    answer = client_for(team["admin"]).get(f"{path}{'&' if '?' in path else '?'}updated_since={cursor()}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert "server_time" in body
    check(openapi, route, body)
