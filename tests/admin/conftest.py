import pytest


@pytest.fixture
def staff_client(client, admin_person):
    """The Django test client logged in to the back-office as an admin."""
    client.force_login(admin_person)
    return client
