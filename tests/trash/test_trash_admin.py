"""The back-office's trash: admin deletions go to it (the confirmation says so), its page lists
and shows the items (rows per model), restores them and, for admins, purges them now."""

import pytest
from django.urls import reverse

from files.models import Playlist
from kitsu_server.core.trash_models import PURGED, RESTORED, TRASHED, TrashItem
from tasks.models import Task
from tests import factories


@pytest.fixture
def world(show, team):
    asset = factories.make_asset(show, name="Hero")
    task = factories.make_task(asset, factories.make_task_type(name="Modeling"))
    playlist = Playlist.objects.create(name="Dailies", project=show, shots=[])
    return {"task": task, "playlist": playlist, "asset": asset}


def logged(client, person):
    client.force_login(person)
    return client


def test_an_admin_deletion_goes_to_the_trash_and_says_so(client, team, world):
    client = logged(client, team["admin"])
    task = world["task"]
    url = reverse("admin:tasks_task_delete", args=[task.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "goes to the trash" in confirm.content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()
    item = TrashItem.objects.get()
    assert item.model == "tasks.task" and item.name == "Hero / Modeling" and item.deleted_by == team["admin"]


def test_a_bulk_admin_deletion_confirmation_says_so(client, team, world):
    client = logged(client, team["admin"])
    data = {"action": "delete_selected", "_selected_action": [str(world["playlist"].pk)]}
    confirm = client.post(reverse("admin:files_playlist_changelist"), data)
    assert confirm.status_code == 200 and "goes to the trash" in confirm.content.decode()
    assert client.post(reverse("admin:files_playlist_changelist"), data | {"post": "yes"}).status_code == 302
    assert TrashItem.objects.get().model == "files.playlist"


def trash_something(team, world):
    api = factories.client_for(team["admin"])
    assert api.delete(f"/api/data/tasks/{world['task'].pk}?force=true").status_code == 204
    return TrashItem.objects.get()


def test_the_trash_page_lists_shows_and_restores(client, team, world):
    item = trash_something(team, world)
    client = logged(client, team["admin"])
    listing = client.get(reverse("admin:core_trashitem_changelist"))
    assert listing.status_code == 200 and "Hero / Modeling" in listing.content.decode()
    page = client.get(reverse("admin:core_trashitem_change", args=[item.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "tasks.task: 1" in text and "Restore" in text and "Purge now" in text
    response = client.post(reverse("admin:core_trashitem_change", args=[item.pk]), {"_restore": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == RESTORED and Task.objects.filter(pk=world["task"].pk).exists()


def test_purge_now_is_for_admins(client, team, world, django_capture_on_commit_callbacks):
    item = trash_something(team, world)
    manager = logged(client, team["manager"])
    page = manager.get(reverse("admin:core_trashitem_change", args=[item.pk]))
    assert page.status_code == 200 and "Purge now" not in page.content.decode()
    manager.post(reverse("admin:core_trashitem_change", args=[item.pk]), {"_purge": "1"})
    item.refresh_from_db()
    assert item.state == TRASHED
    admin = logged(client, team["admin"])
    data = {"action": "purge_now", "_selected_action": [str(item.pk)]}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(reverse("admin:core_trashitem_changelist"), data).status_code == 302
    item.refresh_from_db()
    assert item.state == PURGED


def test_a_manager_restores_their_productions_items_from_the_page(client, team, world):
    item = trash_something(team, world)
    manager = logged(client, team["manager"])
    listing = manager.get(reverse("admin:core_trashitem_changelist"))
    assert listing.status_code == 200 and "Hero / Modeling" in listing.content.decode()
    data = {"action": "restore", "_selected_action": [str(item.pk)]}
    assert manager.post(reverse("admin:core_trashitem_changelist"), data).status_code == 302
    item.refresh_from_db()
    assert item.state == RESTORED


def test_other_staff_do_not_see_the_trash(client, team, world):
    item = trash_something(team, world)
    supervisor = logged(client, team["supervisor"])
    assert supervisor.get(reverse("admin:core_trashitem_changelist")).status_code == 403
    assert supervisor.get(reverse("admin:core_trashitem_change", args=[item.pk])).status_code in (302, 403)
