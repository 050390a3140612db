"""The OpenAPI schema tells the truth: a schema-driven fuzzer (schemathesis) calls every operation of
/api/openapi.json as an admin, against a live server on seeded data, and no answer is a server error
or breaks the schema it is documented with.

URL ids are real rows of the seed (tests/openapi_fuzz_data.py), so that answers carry data rather
than 404s; DELETE keeps the generated ids (it would empty the seed for the operations after it).
The routes that end or change the admin's session (logout, password, two-factor) are left out.
Deterministic (hypothesis derandomized) and bounded: a few examples per operation.
"""

import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import openapi_fuzz_data

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXAMPLES_PER_OPERATION = 2
LEFT_OUT = re.compile(
    r"^/api/auth/(logout|change-password|login|reset-password|totp|email-otp|recovery-codes|app-login)"
)


def real_path_parameters(case, ids_by_name, instance_ids):
    """The case's URL ids replaced by rows of the seed (`instance_id` by a row of the route's model)."""
    if case.method.upper() == "DELETE" or not case.path_parameters:
        return
    for name in case.path_parameters:
        value = instance_ids.get(case.path) if name == "instance_id" else ids_by_name.get(name)
        if value:
            case.path_parameters[name] = value


def fuzz(operation, base_url, session, ids_by_name, instance_ids):
    """The first failure of `operation` over a few generated cases (None when it passes)."""
    failures = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        if failures:
            return
        real_path_parameters(case, ids_by_name, instance_ids)
        response = case.call(base_url=base_url, session=session)
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except (Failure, FailureGroup) as failure:  # one check failed, or several
            failures.append(f"{case.method.upper()} {case.formatted_path}: {str(failure)[:1500]}")

    run()
    return failures[0] if failures else None


def test_every_operation_answers_as_its_schema_says(live_server):
    admin = openapi_fuzz_data.seed()
    ids_by_name, instance_ids = openapi_fuzz_data.path_ids(admin)
    session = requests.Session()
    login = session.post(
        f"{live_server.url}/api/auth/login",
        json={"email": openapi_fuzz_data.ADMIN_EMAIL, "password": openapi_fuzz_data.ADMIN_PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json?format=json")

    failures, tested = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if LEFT_OUT.match(operation.path):
            continue
        tested += 1
        failure = fuzz(operation, live_server.url, session, ids_by_name, instance_ids)
        if failure:
            failures.append(failure)

    assert tested > 500  # every operation of the API, not a handful
    summary = f"{len(failures)} operations answer outside their schema:\n\n" + "\n\n".join(failures)
    assert not failures, summary
