"""gazu's playlist calls end to end over a live server, as a studio script makes them: create a
playlist, add entities, list it, build its movie, download the movie and the zip, share it with
a guest link and revoke the link."""

import zipfile

import pytest

gazu = pytest.importorskip("gazu")

import requests  # noqa: E402

from files.media import movies  # noqa: E402
from files.media.storage import media_key, store_path  # noqa: E402
from files.models import PreviewFile  # noqa: E402
from tests import factories  # noqa: E402
from tests.media.conftest import make_clip  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EMAIL = "gazu-playlists@example.com"
PASSWORD = "gazu-password"


@pytest.fixture
def studio(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "previews"
    settings.FFMPEG_PRESET = "ultrafast"
    settings.FFMPEG_THREADS = 1
    settings.MOVIE_HIGHDEF_BITRATE = 1
    project = factories.make_project(name="Gazu Review", fps="25", resolution="64x48")
    manager = factories.make_person(role="manager", email=EMAIL, password=PASSWORD)
    factories.join(project, manager)
    sequence = factories.make_sequence(project, name="SQ01")
    task_type = factories.make_task_type(name="Compositing", for_entity="Shot")
    shots, previews = [], []
    for index, size in enumerate(("64x48", "96x72")):
        shot = factories.make_shot(project, sequence, name=f"SH{index + 1:03d}")
        task = factories.make_task(shot, task_type=task_type)
        preview = PreviewFile.objects.create(
            name="v1", task=task, revision=1, extension="mp4", status="ready"
        )
        store_path(
            media_key("movies", "previews", preview.pk), make_clip(tmp_path / f"{index}.mp4", size=size)
        )
        shots.append(shot)
        previews.append(preview)
    return project, shots, previews


def test_a_script_reviews_through_gazu(live_server, studio, tmp_path):
    project, shots, previews = studio
    client = gazu.client.create_client(live_server.url + "/api")
    gazu.log_in(EMAIL, PASSWORD, client=client)

    playlist = gazu.playlist.new_playlist(str(project.pk), "Dailies", client=client)
    assert playlist["name"] == "Dailies"
    for shot in shots:
        playlist = gazu.playlist.add_entity_to_playlist(playlist, str(shot.pk), client=client)
    assert [entry["preview_file_id"] for entry in playlist["shots"]] == [str(p.pk) for p in previews]
    listed = gazu.playlist.all_playlists_for_project(str(project.pk), client=client)
    assert [item["name"] for item in listed] == ["Dailies"]
    assert listed[0]["first_preview_file_id"] == str(previews[0].pk)
    by_type = gazu.playlist.get_entity_preview_files(str(shots[0].pk), client=client)
    assert [p["id"] for p in next(iter(by_type.values()))] == [str(previews[0].pk)]

    build_job = gazu.playlist.build_playlist_movie(playlist, client=client)
    state = gazu.playlist.get_build_job(playlist, build_job, client=client)
    assert state["status"] == "succeeded"
    movie = tmp_path / "dailies.mp4"
    gazu.playlist.download_playlist_build(playlist, build_job, str(movie), client=client)
    info = movies.probe(movie)
    assert (info.width, info.height) == (64, 48) and 1.8 <= info.duration <= 2.3
    archive = tmp_path / "dailies.zip"
    gazu.playlist.download_playlist_zip(playlist, str(archive), client=client)
    assert len(zipfile.ZipFile(archive).namelist()) == 2

    link = gazu.playlist.new_share_link(playlist, client=client)
    guest_url = f"{live_server.url}/api/shared/playlists/{link['token']}"
    assert requests.get(guest_url, timeout=10).json()["name"] == "Dailies"  # no account
    gazu.playlist.remove_share_link(playlist, link["token"], client=client)
    assert requests.get(guest_url, timeout=10).status_code == 404  # at once
