"""The back-office lists the kept answers of Idempotency-Keys for support: read-only, without
their bodies, admins only; deleting one lets the person's key run again."""

import pytest

from kitsu_server.core.models import IdempotentRequest
from tests.factories import client_for, make_person

pytestmark = pytest.mark.django_db

LIST = "/admin/core/idempotentrequest/"


@pytest.fixture
def kept(team, new_asset_path):
    response = client_for(team["manager"]).post(
        new_asset_path, {"name": "Secret sword"}, format="json", HTTP_IDEMPOTENCY_KEY="support-key"
    )
    assert response.status_code == 201
    return IdempotentRequest.objects.get()


def test_admins_list_and_read_the_keys_without_their_bodies(client, admin_person, kept):
    client.force_login(admin_person)
    listing = client.get(LIST)
    assert listing.status_code == 200 and b"support-key" in listing.content
    page = client.get(f"{LIST}{kept.pk}/change/")
    assert page.status_code == 200
    assert b"assets/new" in page.content and b"Secret sword" not in page.content
    assert client.get(f"{LIST}add/").status_code == 403


def test_deleting_a_key_lets_it_run_again(client, admin_person, kept, team, new_asset_path):
    client.force_login(admin_person)
    response = client.post(f"{LIST}{kept.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not IdempotentRequest.objects.exists()
    again = client_for(team["manager"]).post(
        new_asset_path, {"name": "Secret sword"}, format="json", HTTP_IDEMPOTENCY_KEY="support-key"
    )
    assert "Idempotent-Replayed" not in again


@pytest.mark.parametrize("role", ["manager", "supervisor"])
def test_other_staff_do_not_see_the_keys(client, kept, role):
    person = make_person(role=role, password=None)
    client.force_login(person)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{kept.pk}/change/").status_code == 403
