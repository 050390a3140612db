import pytest

from tests import factories


def pytest_configure(config):
    # Hashing with the production hasher costs ~0.3 s per person built; what tests check is
    # that passwords are hashed and verified, which the fast hasher does the same way.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_person(db):
    return factories.make_person(role="admin", email="boss@example.com", password="admin-password")


@pytest.fixture
def artist(db):
    return factories.make_person(role="user", email="artist@example.com", password="artist-password")


@pytest.fixture
def show(db):
    """The production most tests work in (a test file overrides it when it needs other fields)."""
    return factories.make_project(name="Show")


@pytest.fixture
def team(show):
    """A member of `show` for each role, an outsider and an admin (see factories.make_team)."""
    return factories.make_team(show, password=None)
