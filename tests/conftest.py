import pytest

from tests import factories


@pytest.fixture
def admin_person(db):
    return factories.make_person(role="admin", email="boss@example.com", password="admin-password")


@pytest.fixture
def artist(db):
    return factories.make_person(role="user", email="artist@example.com", password="artist-password")
