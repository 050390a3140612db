"""The real `gazu` client against our server over HTTP: login, lists, creation, token refresh, logout.

Skipped where gazu is not installed (it comes from requirements-test.txt).
"""

import datetime

import pytest

gazu = pytest.importorskip("gazu")

from gazu.exception import AuthFailedException, NotAuthenticatedException  # noqa: E402

from people.auth.authentication import KitsuAccessToken  # noqa: E402
from people.models import LoginLog, Person  # noqa: E402
from productions.models import Project  # noqa: E402
from tests import factories  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EMAIL = "gazu-admin@example.com"
PASSWORD = "gazu-password"


@pytest.fixture
def kitsu(live_server):
    """A fresh gazu client on our live server, and the admin it logs in as."""
    admin = factories.make_person(role="admin", email=EMAIL, password=PASSWORD, first_name="Gazu")
    client = gazu.client.create_client(live_server.url + "/api")
    return client, admin


def test_gazu_logs_in_lists_creates_refreshes_and_logs_out(kitsu):
    client, admin = kitsu

    tokens = gazu.log_in(EMAIL, PASSWORD, client=client)

    assert tokens["login"] is True and tokens["user"]["id"] == str(admin.pk)
    assert client.access_token == tokens["access_token"]
    assert LoginLog.objects.get(person=admin).origin == "script"
    assert gazu.client.get_current_user(client=client)["email"] == EMAIL

    assert EMAIL in [person["email"] for person in gazu.person.all_persons(client=client)]
    assert gazu.client.fetch_all("projects", client=client) == []
    status = factories.make_project_status()
    created = gazu.client.create(
        "projects", {"name": "Gazu Movie", "project_status_id": str(status.pk)}, client=client
    )
    assert created["type"] == "Project" and created["name"] == "Gazu Movie"
    assert Project.objects.filter(name="Gazu Movie").exists()
    series = gazu.project.new_project("Gazu Series", "tvshow", client=client)
    assert series["production_type"] == "tvshow"
    names = sorted(project["name"] for project in gazu.client.fetch_all("projects", client=client))
    assert names == ["Gazu Movie", "Gazu Series"]

    old_access = client.access_token
    refreshed = gazu.refresh_access_token(client=client)
    assert refreshed["access_token"] == client.access_token != old_access
    assert gazu.client.fetch_all("projects", client=client)

    session_tokens = dict(client.tokens)
    gazu.log_out(client=client)
    assert client.tokens == {}

    gazu.client.set_tokens(session_tokens, client=client)
    with pytest.raises(NotAuthenticatedException):
        gazu.client.fetch_all("projects", client=client)
    with pytest.raises(NotAuthenticatedException):
        gazu.refresh_access_token(client=client)


def test_gazu_refreshes_an_expired_access_token_by_itself(kitsu, live_server):
    _, admin = kitsu
    client = gazu.client.create_client(live_server.url + "/api", use_refresh_token=True)
    gazu.log_in(EMAIL, PASSWORD, client=client)
    expired = KitsuAccessToken.for_person(admin)
    expired.set_exp(lifetime=-datetime.timedelta(seconds=5))
    client.access_token = str(expired)

    persons = gazu.person.all_persons(client=client)  # 401 "Signature has expired", refresh, retry

    assert EMAIL in [person["email"] for person in persons]
    assert client.access_token != str(expired)


def test_gazu_login_refusals(kitsu):
    client, admin = kitsu
    with pytest.raises(AuthFailedException):
        gazu.log_in(EMAIL, "wrong-password", client=client)
    Person.objects.filter(pk=admin.pk).update(active=False)
    with pytest.raises(AuthFailedException):
        gazu.log_in(EMAIL, PASSWORD, client=client)
