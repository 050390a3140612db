"""The permission explainer in the back-office: a form on a person's page, the answer on the
person's permissions page (admins about anyone, a person about themselves)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shot(show):
    return factories.make_shot(show, factories.make_sequence(show, name="SQ01"), name="SH010")


def test_a_person_page_holds_the_explainer_form(client, team):
    client.force_login(team["admin"])
    page = client.get(reverse("admin:people_person_change", args=[team["user"].pk])).content.decode()
    assert reverse("admin:people_person_permissions", args=[team["user"].pk]) in page
    assert 'name="route"' in page and 'name="method"' in page and 'name="object_id"' in page


def test_the_answer_names_the_rule_that_refused(client, team, shot):
    lea = factories.make_person(role="user", first_name="Lea", last_name="Martin")
    client.force_login(team["admin"])
    url = reverse("admin:people_person_permissions", args=[lea.pk])
    response = client.get(url, {"route": "/data/shots/{shot_id}", "method": "GET", "object_id": str(shot.pk)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not allowed" in page and "(403)" in page
    assert (
        "Lea Martin (artist) cannot read shot SH010: not in the team of production &quot;Show&quot;" in page
    )
    assert "<code>check_project_access</code>" in page
    allowed = client.get(
        reverse("admin:people_person_permissions", args=[team["user"].pk]),
        {"route": f"/data/shots/{shot.pk}", "method": "GET"},
    ).content.decode()
    assert "Allowed" in allowed and "(200)" in allowed


def test_a_bad_route_is_said_and_nothing_else_is_run(client, team):
    client.force_login(team["admin"])
    url = reverse("admin:people_person_permissions", args=[team["user"].pk])
    page = client.get(url, {"route": "/nowhere/at/all", "method": "GET"}).content.decode()
    assert "No route of the API matches /nowhere/at/all." in page


def test_a_manager_may_not_ask_about_someone_else(client, team):
    client.force_login(team["manager"])
    url = reverse("admin:people_person_permissions", args=[team["user"].pk])
    assert client.get(url, {"route": "/data/projects"}).status_code == 403
    page = client.get(reverse("admin:people_person_change", args=[team["user"].pk]))
    assert 'name="object_id"' not in page.content.decode()
    own = client.get(
        reverse("admin:people_person_permissions", args=[team["manager"].pk]), {"route": "/data/projects"}
    )
    assert own.status_code == 200 and "Allowed" in own.content.decode()
