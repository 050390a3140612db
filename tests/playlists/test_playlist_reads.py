"""The playlist read routes the web UI calls: a production's and an episode's playlists, one
playlist with its previews, an entity's previews, the admin lists."""

import uuid

import pytest

from files.models import BuildJob, Playlist
from tests import factories
from tests.playlists.conftest import as_

pytestmark = pytest.mark.django_db


def names(response):
    return sorted(item["name"] for item in response.json())


@pytest.mark.parametrize("role", ["admin", "manager", "supervisor", "user"])
def test_project_playlists_list_every_playlist_to_the_team(world, role):
    response = as_(world, role).get(f"/api/data/projects/{world.project.pk}/playlists")
    assert response.status_code == 200
    assert names(response) == ["Client", "Internal"]
    internal = next(item for item in response.json() if item["name"] == "Internal")
    assert internal["first_preview_file_id"] == str(world.previews[1].pk)
    assert internal["type"] == "Playlist" and internal["for_entity"] == "shot"
    assert "shots" not in internal


def test_clients_see_only_the_playlists_shared_with_them(world):
    response = as_(world, "client").get(f"/api/data/projects/{world.project.pk}/playlists")
    assert response.status_code == 200
    assert names(response) == ["Client"]


@pytest.mark.parametrize("role", ["vendor", "outsider"])
def test_vendors_and_outsiders_are_refused_the_lists(world, role):
    client = as_(world, role)
    assert client.get(f"/api/data/projects/{world.project.pk}/playlists").status_code == 403
    url = f"/api/data/projects/{world.project.pk}/episodes/{world.episode.pk}/playlists"
    assert client.get(url).status_code == 403


def test_lists_of_an_unknown_project_or_episode_are_404(world):
    client = as_(world, "admin")
    assert client.get(f"/api/data/projects/{uuid.uuid4()}/playlists").status_code == 404
    response = client.get(f"/api/data/projects/{world.project.pk}/episodes/{uuid.uuid4()}/playlists")
    assert response.status_code == 404
    assert response.json()["error"] is True


def test_list_filters_by_task_type_and_pages_by_twenty(world):
    client = as_(world, "manager")
    Playlist.objects.filter(pk=world.shared.pk).update(task_type=world.task_type)
    url = f"/api/data/projects/{world.project.pk}/playlists"
    assert names(client.get(url, {"task_type_id": str(world.task_type.pk)})) == ["Client"]
    Playlist.objects.bulk_create(Playlist(name=f"P{i:02d}", project=world.project) for i in range(25))
    assert len(client.get(url).json()) == 20
    assert len(client.get(url, {"page": 2}).json()) == 7
    assert client.get(url, {"page": "x"}).status_code == 400


def test_list_queries_are_bounded(world, django_assert_max_num_queries):
    client = as_(world, "manager")
    Playlist.objects.bulk_create(Playlist(name=f"P{i:02d}", project=world.project) for i in range(18))
    with django_assert_max_num_queries(12):
        assert len(client.get(f"/api/data/projects/{world.project.pk}/playlists").json()) == 20


def test_episode_playlists_and_the_main_and_all_pseudo_episodes(world):
    client = as_(world, "manager")
    Playlist.objects.create(name="Main", project=world.project)
    Playlist.objects.create(name="All", project=world.project, is_for_all=True, for_entity="asset")
    base = f"/api/data/projects/{world.project.pk}/episodes"
    assert names(client.get(f"{base}/{world.episode.pk}/playlists")) == ["Client", "Internal"]
    assert names(client.get(f"{base}/main/playlists")) == ["Main"]
    assert names(client.get(f"{base}/all/playlists")) == ["All"]
    assert names(client.get(f"{base}/all/playlists", {"for_entity": "shot"})) == []
    assert names(as_(world, "client").get(f"{base}/{world.episode.pk}/playlists")) == ["Client"]


def test_a_playlist_with_its_entries_previews_and_build_jobs(world):
    BuildJob.objects.create(playlist=world.internal, status="succeeded")
    response = as_(world, "user").get(f"/api/data/projects/{world.project.pk}/playlists/{world.internal.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Internal" and len(body["build_jobs"]) == 1
    [shot] = body["shots"]
    assert shot["id"] == str(world.shots[0].pk)
    assert shot["preview_file_id"] == str(world.previews[1].pk)
    assert shot["preview_file_revision"] == 2 and shot["preview_file_extension"] == "mp4"
    assert "preview_file_annotations" not in shot
    revisions = [preview["revision"] for preview in shot["preview_files"][str(world.task_type.pk)]]
    assert revisions == [2, 1]


def test_a_playlist_read_follows_the_reference_rules(world):
    project = world.project.pk
    assert (
        as_(world, "client").get(f"/api/data/projects/{project}/playlists/{world.internal.pk}").status_code
        == 403
    )
    assert (
        as_(world, "client").get(f"/api/data/projects/{project}/playlists/{world.shared.pk}").status_code
        == 200
    )
    assert (
        as_(world, "vendor").get(f"/api/data/projects/{project}/playlists/{world.shared.pk}").status_code
        == 403
    )
    assert (
        as_(world, "outsider").get(f"/api/data/projects/{project}/playlists/{world.shared.pk}").status_code
        == 403
    )
    admin = as_(world, "admin")
    assert admin.get(f"/api/data/projects/{project}/playlists/{uuid.uuid4()}").status_code == 404
    assert admin.get(f"/api/data/projects/{project}/playlists/not-an-id").status_code == 404
    other = factories.make_project(name="Other")
    elsewhere = Playlist.objects.create(name="Elsewhere", project=other)
    assert admin.get(f"/api/data/projects/{project}/playlists/{elsewhere.pk}").status_code == 404


def test_entity_previews_by_task_type(world):
    response = as_(world, "user").get(f"/api/data/playlists/entities/{world.shots[0].pk}/preview-files")
    assert response.status_code == 200
    [previews] = response.json().values()
    assert [p["revision"] for p in previews] == [2, 1]
    assert previews[0]["task_id"] == str(world.tasks[0].pk)
    assert previews[0]["previews"] == [] and "original_width" in previews[0]
    empty = factories.make_shot(world.project, world.sequence)
    assert as_(world, "client").get(f"/api/data/playlists/entities/{empty.pk}/preview-files").json() == {}


def test_entity_previews_refused_and_404(world):
    url = f"/api/data/playlists/entities/{world.shots[0].pk}/preview-files"
    assert as_(world, "outsider").get(url).status_code == 403
    assert as_(world, "vendor").get(url).status_code == 403  # assigned to nothing
    assert (
        as_(world, "admin").get(f"/api/data/playlists/entities/{uuid.uuid4()}/preview-files").status_code
        == 404
    )


def test_entity_previews_queries_are_bounded(world, django_assert_max_num_queries):
    from files.models import PreviewFile

    for revision in range(3, 40):
        PreviewFile.objects.create(name=f"v{revision}", task=world.tasks[0], revision=revision)
    with django_assert_max_num_queries(8):
        response = as_(world, "manager").get(
            f"/api/data/playlists/entities/{world.shots[0].pk}/preview-files"
        )
    assert len(next(iter(response.json().values()))) == 39


def test_admin_lists_of_all_playlists_and_build_jobs(world):
    job = BuildJob.objects.create(playlist=world.internal)
    admin = as_(world, "admin")
    response = admin.get(f"/api/data/projects/{world.project.pk}/playlists/all")
    assert response.status_code == 200 and names(response) == ["Client", "Internal"]
    response = admin.get(f"/api/data/projects/{world.project.pk}/build-jobs")
    assert [item["id"] for item in response.json()] == [str(job.pk)]
    for url in ("playlists/all", "build-jobs"):
        assert as_(world, "manager").get(f"/api/data/projects/{world.project.pk}/{url}").status_code == 403
        assert admin.get(f"/api/data/projects/{uuid.uuid4()}/{url}").status_code == 404
