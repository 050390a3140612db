"""Entries added to a playlist, temp playlists, clients notified."""

import uuid

import pytest

from files.models import Playlist
from tasks.models import ApiEvent, Notification
from tests import factories
from tests.playlists.conftest import as_

pytestmark = pytest.mark.django_db


def test_add_entity_takes_the_latest_preview_and_records_the_event(world):
    url = f"/api/actions/playlists/{world.shared.pk}/add-entity"
    response = as_(world, "manager").post(url, {"entity_id": str(world.shots[0].pk)}, format="json")
    assert response.status_code == 200
    assert response.json()["shots"] == [
        {"entity_id": str(world.shots[0].pk), "preview_file_id": str(world.previews[1].pk)}
    ]
    event = ApiEvent.objects.get(name="playlist:add_entity")
    assert event.data["playlist_id"] == str(world.shared.pk)
    # The same couple again is not added twice; another preview of the entity is.
    as_(world, "manager").post(url, {"entity_id": str(world.shots[0].pk)}, format="json")
    body = {"entity_id": str(world.shots[0].pk), "preview_file_id": str(world.previews[0].pk)}
    assert len(as_(world, "manager").post(url, body, format="json").json()["shots"]) == 2


def test_add_entities_drops_a_preview_of_another_entity(world):
    url = f"/api/actions/playlists/{world.shared.pk}/add-entities"
    body = {
        "entities": [
            {"entity_id": str(world.shots[1].pk), "preview_file_id": str(world.previews[0].pk)},
            {"entity_id": str(world.shots[0].pk)},
        ]
    }
    response = as_(world, "admin").post(url, body, format="json")
    assert response.status_code == 200
    assert [shot.get("preview_file_id") for shot in response.json()["shots"]] == [
        str(world.previews[2].pk),
        str(world.previews[1].pk),
    ]


@pytest.mark.parametrize("role", ["user", "client", "vendor", "outsider"])
def test_add_entity_refused_to_who_may_not_update(world, role):
    url = f"/api/actions/playlists/{world.shared.pk}/add-entity"
    response = as_(world, role).post(url, {"entity_id": str(world.shots[0].pk)}, format="json")
    assert response.status_code == 403
    assert Playlist.objects.get(pk=world.shared.pk).shots == []


def test_add_entity_404_and_bad_input(world):
    admin = as_(world, "admin")
    url = f"/api/actions/playlists/{uuid.uuid4()}/add-entity"
    assert admin.post(url, {"entity_id": str(world.shots[0].pk)}, format="json").status_code == 404
    url = f"/api/actions/playlists/{world.shared.pk}/add-entity"
    response = admin.post(url, {"entity_id": "nope"}, format="json")
    assert response.status_code == 400 and response.json()["error"] is True
    response = admin.post(
        f"/api/actions/playlists/{world.shared.pk}/add-entities", {"entities": 3}, format="json"
    )
    assert response.status_code == 400
    assert Playlist.objects.get(pk=world.shared.pk).shots == []


def test_temp_playlist_from_tasks_and_entities(world):
    url = f"/api/data/projects/{world.project.pk}/playlists/temp"
    body = {"task_ids": [str(world.tasks[1].pk)], "entity_ids": [str(world.shots[0].pk)]}
    response = as_(world, "user").post(url, body, format="json")
    assert response.status_code == 200
    entries = response.json()
    assert [entry["name"] for entry in entries] == ["SH010", "SH020"]
    assert entries[0]["sequence_name"] == "SQ01" and entries[0]["parent_name"] == "SQ01"
    assert entries[0]["preview_file_id"] == str(world.previews[1].pk)
    assert as_(world, "user").post(url, {}, format="json").json() == []


def test_temp_playlist_refused_404_and_bad_input(world):
    url = f"/api/data/projects/{world.project.pk}/playlists/temp"
    body = {"task_ids": [str(world.tasks[0].pk)]}
    assert as_(world, "outsider").post(url, body, format="json").status_code == 403
    assert as_(world, "vendor").post(url, body, format="json").status_code == 403
    assert as_(world, "admin").post(url, {"task_ids": [str(uuid.uuid4())]}, format="json").status_code == 404
    assert as_(world, "admin").post(url, {"task_ids": ["x"]}, format="json").status_code == 400


def test_notify_clients_notifies_each_client_of_the_production(world):
    other_client = factories.make_person(role="client", password=None)
    url = f"/api/data/playlists/{world.shared.pk}/notify-clients"
    response = as_(world, "manager").post(url, {}, format="json")
    assert response.status_code == 200 and response.json() == {"status": "success"}
    notified = Notification.objects.filter(playlist=world.shared, type="playlist-ready")
    assert list(notified.values_list("person_id", flat=True)) == [world.team["client"].pk]
    assert not Notification.objects.filter(person=other_client).exists()


def test_notify_clients_refused_404_and_bad_input(world):
    url = f"/api/data/playlists/{world.shared.pk}/notify-clients"
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert as_(world, role).post(url, {}, format="json").status_code == 403
    assert as_(world, "admin").post(f"/api/data/playlists/{uuid.uuid4()}/notify-clients").status_code == 404
    assert as_(world, "admin").post(url, {"studio_id": "x"}, format="json").status_code == 400
    assert not Notification.objects.exists()
