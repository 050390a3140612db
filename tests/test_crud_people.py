"""/data rules of day offs and softwares."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from people.models import DayOff
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(person):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(person).access_token}")
    return client


def test_day_off_own_create_and_others_refused():
    artist = factories.make_person(role="user")
    other = factories.make_person(role="user")
    body = {"person_id": str(artist.pk), "date": "2026-01-05", "end_date": "2026-01-06"}
    assert client_for(artist).post("/api/data/day-offs", body, format="json").status_code == 201
    body["person_id"] = str(other.pk)
    assert client_for(artist).post("/api/data/day-offs", body, format="json").status_code == 403
    assert DayOff.objects.count() == 1
    day_off = DayOff.objects.get()
    assert client_for(other).get(f"/api/data/day-offs/{day_off.pk}").status_code == 403
    assert client_for(other).delete(f"/api/data/day-offs/{day_off.pk}").status_code == 403
    assert client_for(artist).delete(f"/api/data/day-offs/{day_off.pk}").status_code == 204


def test_softwares_readable_by_artist_not_writable():
    artist = factories.make_person(role="user")
    assert client_for(artist).get("/api/data/softwares").status_code == 200
    body = {"name": "Blender", "short_name": "bl", "file_extension": "blend"}
    assert client_for(artist).post("/api/data/softwares", body, format="json").status_code == 403
