"""Every write route of the URL table takes an Idempotency-Key: swept from the resolver (the
generic /data registry included), each route and write method is sent a body with a key, then
another body with the same key (a 422: the route went through the key's check), then the first
body again (its answer replayed). `/api/auth/...` is excluded, and the guest routes of a share
link (`/api/shared/...`) have no person to keep a key for: both run as without a key."""

import re
import uuid

import pytest

from kitsu_server.core.idempotency import EXCLUDED_PREFIXES, GUEST_PREFIXES, TRANSIENT_STATUSES
from kitsu_server.core.models import IdempotentRequest
from tests.factories import client_for, make_person
from tests.test_hostile_input import PLAIN_PARAMETERS, fill, route_table

pytestmark = pytest.mark.django_db


def write_routes():
    for regex, _policy, methods in route_table():
        values = {
            name: PLAIN_PARAMETERS.get(name, str(uuid.uuid4())) for name in re.findall(r"\?P<(\w+)>", regex)
        }
        path = fill(regex, values)
        for method in methods:
            yield path, method


def kept(response):
    return response.status_code < 500 and response.status_code not in TRANSIENT_STATUSES


def test_every_write_route_checks_the_key(db):
    client = client_for(make_person(role="admin", password=None))
    client.raise_request_exception = False
    routes = list(write_routes())
    assert len(routes) > 300  # the whole table, not a part of it
    missed, swept = [], 0
    for index, (path, method) in enumerate(routes):
        send = getattr(client, method)
        key = {"HTTP_IDEMPOTENCY_KEY": f"sweep-{index}"}
        first = send(path, {"first": 1}, format="json", **key)
        if path.startswith(EXCLUDED_PREFIXES + GUEST_PREFIXES) or not kept(first):
            continue
        swept += 1
        other = send(path, {"second": 2}, format="json", **key)
        again = send(path, {"first": 1}, format="json", **key)
        if other.status_code != 422 or again.get("Idempotent-Replayed") != "true":
            missed.append((method.upper(), path, first.status_code, other.status_code))
    assert not missed, "\n".join(map(str, missed))
    assert swept > 300


def test_auth_and_guest_routes_keep_no_key(admin_person):
    client = client_for(admin_person)
    client.raise_request_exception = False
    for index, (path, method) in enumerate(write_routes()):
        if path.startswith(EXCLUDED_PREFIXES + GUEST_PREFIXES):
            getattr(client, method)(path, {}, format="json", HTTP_IDEMPOTENCY_KEY=f"auth-{index}")
    assert IdempotentRequest.objects.count() == 0


def test_the_schema_declares_the_key_on_every_write_it_checks():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    reference = {"$ref": "#/components/parameters/IdempotencyKey"}
    assert schema["components"]["parameters"]["IdempotencyKey"]["name"] == "Idempotency-Key"
    writes = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) > 300
    for path, method, operation in writes:
        keyed = reference in operation.get("parameters", [])
        assert keyed == (not path.startswith(EXCLUDED_PREFIXES + GUEST_PREFIXES)), (method, path)
        if keyed:
            assert {"409", "422"} <= set(operation["responses"]), (method, path)
            assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
    reads = [operations["get"] for operations in schema["paths"].values() if "get" in operations]
    assert not [operation for operation in reads if reference in operation.get("parameters", [])]
