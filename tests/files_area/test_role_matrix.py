"""Who may call each route of the area, role by role: the status codes the reference answered to
the same requests from members of each role of a production's team (an artist, a client, a
vendor and a supervisor on no task of the entity, a manager) and to a manager of no team."""

import pytest

from files.models import FileStatus, OutputFile, WorkingFile
from tests import factories

pytestmark = pytest.mark.django_db
ROLES = ("user", "client", "vendor", "supervisor", "manager", "outsider")


def expected(*codes):
    return dict(zip(ROLES, codes, strict=True))


@pytest.fixture
def files_world(default_world):
    world = default_world
    working_file = WorkingFile.objects.create(
        name="roles", revision=1, task=world.asset_task, entity=world.asset
    )
    output_file = OutputFile.objects.create(
        name="main",
        revision=1,
        entity=world.asset,
        output_type=world.output_type,
        task_type=world.modeling,
        file_status=FileStatus.objects.create(name="To review", color="#FFFFFF"),
    )
    return world, working_file, output_file


def routes(world, working_file, output_file):
    task, asset, project = world.asset_task.pk, world.asset.pk, world.project.pk
    ids = {"output_type_id": str(world.output_type.pk), "task_type_id": str(world.modeling.pk)}
    return [
        ("GET", f"/data/tasks/{task}/working-files", None, expected(200, 200, 403, 200, 200, 403)),
        (
            "GET",
            f"/data/tasks/{task}/working-files/last-revisions",
            None,
            expected(200, 200, 403, 200, 200, 403),
        ),
        ("POST", f"/data/tasks/{task}/working-file-path", {}, expected(200, 200, 403, 200, 200, 403)),
        ("GET", f"/data/entities/{asset}/working-files", None, expected(200, 200, 200, 200, 200, 403)),
        ("GET", f"/data/files/{working_file.pk}", None, expected(200, 200, 200, 200, 200, 403)),
        ("GET", f"/data/files/{output_file.pk}", None, expected(200, 200, 200, 200, 200, 403)),
        (
            "PUT",
            f"/actions/working-files/{working_file.pk}/comment",
            {"comment": "x"},
            expected(403, 200, 403, 200, 200, 403),
        ),
        (
            "PUT",
            f"/actions/working-files/{working_file.pk}/modified",
            {},
            expected(403, 200, 403, 200, 200, 403),
        ),
        ("GET", f"/data/entities/{asset}/output-files", None, expected(200, 200, 200, 200, 200, 403)),
        ("GET", f"/data/entities/{asset}/output-types", None, expected(200, 200, 200, 200, 200, 403)),
        (
            "POST",
            f"/data/entities/{asset}/output-files/next-revision",
            ids,
            expected(200, 200, 200, 200, 200, 403),
        ),
        ("POST", f"/data/entities/{asset}/output-file-path", ids, expected(200, 200, 403, 200, 200, 403)),
        ("GET", f"/data/projects/{project}/output-files", None, expected(403, 403, 403, 403, 200, 403)),
        (
            "POST",
            "/data/entities/guess-from-path",
            {"project_id": str(project), "file_path": "/x"},
            expected(200, 200, 200, 200, 200, 403),
        ),
        ("GET", f"/data/working-files/{working_file.pk}/file", None, expected(404, 404, 403, 404, 404, 403)),
        (
            "POST",
            f"/data/tasks/{task}/working-files/new",
            {"name": "new"},
            expected(201, 201, 403, 201, 201, 403),
        ),
    ]


def test_each_role_gets_the_reference_status(files_world):
    world, working_file, output_file = files_world
    clients = {role: factories.client_for(world.team[role]) for role in ROLES}
    differences = []
    for method, path, body, codes in routes(world, working_file, output_file):
        for role in ROLES:
            if body is None:
                response = getattr(clients[role], method.lower())(f"/api{path}")
            else:
                response = getattr(clients[role], method.lower())(f"/api{path}", body, format="json")
            if response.status_code != codes[role]:
                differences.append((method, path, role, response.status_code, codes[role]))
            if method == "POST" and path.endswith("/new"):
                WorkingFile.objects.filter(name="new").delete()  # the next role's revision 1 again
    assert differences == []
