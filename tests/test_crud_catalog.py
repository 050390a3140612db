"""Every registered /data route answers the shared contract: auth, pagination, 404, and 400s
that write nothing. Per-model rules are pinned in the test_crud_<app>.py files."""

import uuid

import pytest
from django.db import models
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from kitsu_server import urls  # noqa: F401  (importing the URL table registers every /data policy)
from kitsu_server.core.data.policies import REGISTRY
from tests import factories

pytestmark = pytest.mark.django_db
PATHS = sorted(REGISTRY)


@pytest.fixture
def admin_api():
    client = APIClient()
    admin = factories.make_person(role="admin")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(admin).access_token}")
    return client


def wrongly_typed_body(policy):
    """A body whose first typed column gets a word: the validation must refuse it."""
    for column, field in policy.fields_by_column.items():
        if field.primary_key or column in policy.hidden_columns or field.is_relation or not field.editable:
            continue
        if isinstance(
            field, models.IntegerField | models.FloatField | models.DateField | models.BooleanField
        ):
            return {column: "certainly-not-valid" if not isinstance(field, models.BooleanField) else [1]}
    return None


def test_the_catalog_serves_every_crud_model():
    assert len(REGISTRY) == 48


@pytest.mark.parametrize("path", PATHS)
def test_requires_a_token(path):
    assert APIClient().get(f"/api/data/{path}/{uuid.uuid4()}").status_code == 401
    assert APIClient().post(f"/api/data/{path}", {}, format="json").status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_missing_and_malformed_ids(admin_api, path):
    missing = admin_api.get(f"/api/data/{path}/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["error"] is True
    malformed = admin_api.get(f"/api/data/{path}/not-an-id")
    assert malformed.status_code == 400 and malformed.json()["error"] is True
    assert admin_api.delete(f"/api/data/{path}/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("path", PATHS)
def test_admin_lists_and_paginates(admin_api, path):
    policy = REGISTRY[path]
    if "get" not in policy.list_methods:
        assert admin_api.get(f"/api/data/{path}").status_code == 405
        return
    assert isinstance(admin_api.get(f"/api/data/{path}").json(), list)
    page = admin_api.get(f"/api/data/{path}?page=1&limit=5").json()
    assert set(page) == {"data", "total", "nb_pages", "limit", "offset", "page"}
    assert (page["limit"], page["page"], page["offset"]) == (5, 1, 0)


@pytest.mark.parametrize("path", PATHS)
def test_bad_bodies_are_refused_and_write_nothing(admin_api, path):
    policy = REGISTRY[path]
    before = policy.model._default_manager.count()
    body = wrongly_typed_body(policy)
    if body is not None:
        response = admin_api.post(f"/api/data/{path}", body, format="json")
        assert response.status_code == 400, (path, response.json())
        assert response.json()["error"] is True
    response = admin_api.post(f"/api/data/{path}", [{"no_such_column": 1}], format="json")  # no object
    assert response.status_code == 400
    assert policy.model._default_manager.count() == before
