import pytest

from tests.admin.production import build_production


@pytest.fixture
def staff_client(client, admin_person):
    """The Django test client logged in to the back-office as an admin."""
    client.force_login(admin_person)
    return client


@pytest.fixture
def production(admin_person):
    """A small series with a row of every model around it (see build_production)."""
    return build_production(admin_person)
