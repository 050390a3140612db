"""The production password hashers (the test run uses a fast one, tests/conftest.py): Argon2 for
every new password, an older hash accepted once and rehashed with Argon2 at that login, without
ending the person's other sessions."""

import importlib

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from rest_framework.test import APIClient

from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def production_hashers(settings):
    settings.PASSWORD_HASHERS = importlib.import_module("kitsu_server.settings").PASSWORD_HASHERS


def log_in(password):
    body = {"email": "old@example.com", "password": password}
    return APIClient().post("/api/auth/login", body, format="json")


def test_argon2_hashes_new_passwords(admin_person):
    person = factories.make_person(email="new@example.com", password=None)
    client = factories.client_for(admin_person)
    response = client.post(
        f"/api/actions/persons/{person.id}/change-password",
        {"password": PASSWORD, "password_2": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert identify_hasher(person.password).algorithm == "argon2"
    assert person.check_password(PASSWORD)


def test_an_older_hash_logs_in_once_and_is_rehashed_with_argon2_keeping_sessions():
    person = factories.make_person(email="old@example.com", password=None)
    Person.objects.filter(pk=person.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    person.refresh_from_db()
    generation = person.token_generation

    assert log_in("wrong-password").status_code == 400
    person.refresh_from_db()
    assert identify_hasher(person.password).algorithm == "pbkdf2_sha256"  # a failure rehashes nothing

    response = log_in(PASSWORD)
    assert response.status_code == 200 and response.json()["login"] is True
    person.refresh_from_db()
    assert identify_hasher(person.password).algorithm == "argon2"
    assert person.token_generation == generation  # a rehash is no new password: tokens stay valid
    assert log_in(PASSWORD).status_code == 200
