import pytest

from tests import factories

# The current user's routes name people: the team's members are "<Role> Member", the outsider (an
# artist of no team) "Out Sider" and the admin "Ad Min".
OUTSIDER = {"role": "user", "first_name": "Out", "last_name": "Sider"}
ADMIN = {"first_name": "Ad", "last_name": "Min"}


@pytest.fixture
def team(show):
    return factories.make_team(show, surname="Member", outsider=OUTSIDER, admin=ADMIN, password=None)
