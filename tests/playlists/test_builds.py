"""Playlist movies built by a job (real clips, the shipped ffmpeg), their state, cancellation and
download; the zip of the previews, streamed."""

import io
import uuid
import zipfile

import pytest

from files.media import movies
from files.media.storage import is_stored, media_key, store_path
from files.models import BuildJob, Playlist, PreviewFile
from files.playlists import builds
from kitsu_server.core.models import Job
from tests.media.conftest import make_clip, media_settings  # noqa: F401 (the media tests' storage)
from tests.playlists.conftest import as_

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("playlist-clips")
    return {
        "same": make_clip(folder / "same.mp4"),
        "other": make_clip(folder / "other.mp4", size="80x60", fps=30, audio=False),
    }


@pytest.fixture
def movie_playlist(world, clips):
    """The client playlist with two movies: one at the production's format, one not."""
    world.project.fps, world.project.resolution = "25", "64x48"
    world.project.save(update_fields=["fps", "resolution"])
    second = PreviewFile.objects.create(
        name="v9", task=world.tasks[1], revision=9, extension="mp4", status="ready"
    )
    store_path(media_key("movies", "previews", world.previews[1].pk), clips["same"])
    store_path(media_key("movies", "previews", second.pk), clips["other"])
    world.shared.shots = [
        {"entity_id": str(world.shots[0].pk), "preview_file_id": str(world.previews[1].pk)},
        {"entity_id": str(world.shots[1].pk), "preview_file_id": str(second.pk)},
    ]
    world.shared.save()
    world.second = second
    return world


def build(world, django_capture_on_commit_callbacks, role="manager"):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_(world, role).get(f"/api/data/playlists/{world.shared.pk}/build/mp4")
    return response


def test_a_manager_builds_the_movie_and_downloads_it(
    movie_playlist, django_capture_on_commit_callbacks, tmp_path
):
    world = movie_playlist
    response = build(world, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.json()["status"] == "running" and response.json()["playlist_id"] == str(world.shared.pk)
    build_job = BuildJob.objects.get(pk=response.json()["id"])
    assert build_job.status == "succeeded" and build_job.ended_at is not None
    state = as_(world, "manager").get(f"/api/data/playlists/{world.shared.pk}/jobs/{build_job.pk}").json()
    assert state["status"] == "succeeded" and state["progress"]["state"] == "succeeded"
    assert state["progress"]["done"] == state["progress"]["total"]
    download = as_(world, "supervisor").get(
        f"/api/data/playlists/{world.shared.pk}/jobs/{build_job.pk}/build/mp4"
    )
    assert download.status_code == 200 and download["Content-Type"] == "video/mp4"
    assert "attachment" in download["Content-Disposition"]
    path = tmp_path / "built.mp4"
    path.write_bytes(b"".join(download.streaming_content))
    info = movies.probe(path)
    assert (info.width, info.height) == (64, 48) and round(info.fps) == 25
    assert 1.8 <= info.duration <= 2.3  # both clips, the second re-encoded to the format
    assert not is_stored(builds.movie_key(build_job.pk, temporary=True))
    playlist = as_(world, "manager").get(f"/api/data/projects/{world.project.pk}/playlists/{world.shared.pk}")
    assert [job["id"] for job in playlist.json()["build_jobs"]] == [str(build_job.pk)]


def test_build_refused_roles_404_and_one_at_a_time(movie_playlist, django_capture_on_commit_callbacks):
    world = movie_playlist
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert as_(world, role).get(f"/api/data/playlists/{world.shared.pk}/build/mp4").status_code == 403
    assert as_(world, "admin").get(f"/api/data/playlists/{uuid.uuid4()}/build/mp4").status_code == 404
    BuildJob.objects.create(playlist=world.shared, status="running")
    assert build(world, django_capture_on_commit_callbacks).status_code == 409
    assert BuildJob.objects.count() == 1


def test_job_reads_and_downloads_follow_the_reference_rules(movie_playlist):
    world = movie_playlist
    job = BuildJob.objects.create(playlist=world.internal, status="running")
    url = f"/api/data/playlists/{world.internal.pk}/jobs/{job.pk}"
    assert as_(world, "manager").get(url).status_code == 200
    for role in ("supervisor", "user", "client", "vendor", "outsider"):
        assert as_(world, role).get(url).status_code == 403, role
    assert as_(world, "supervisor").get(f"{url}/build/mp4").status_code == 400  # not finished
    assert as_(world, "user").get(f"{url}/build/mp4").status_code == 403
    assert (
        as_(world, "manager").get(f"/api/data/playlists/{world.shared.pk}/jobs/{job.pk}").status_code == 404
    )
    assert as_(world, "manager").get(f"/api/data/playlists/{world.internal.pk}/jobs/nope").status_code == 404


def test_cancelling_a_build_stops_it_and_leaves_nothing(movie_playlist):
    world = movie_playlist
    job = BuildJob.objects.create(playlist=world.shared, status="running")
    response = as_(world, "manager").delete(f"/api/data/playlists/{world.shared.pk}/jobs/{job.pk}")
    assert response.status_code == 204
    assert builds.build_movie(job.pk) == {"status": "cancelled"}  # the worker's run, after
    assert not is_stored(builds.movie_key(job.pk)) and not BuildJob.objects.filter(pk=job.pk).exists()


def test_a_worker_killed_while_storing_never_serves_a_half_movie(movie_playlist, monkeypatch):
    world = movie_playlist
    job = BuildJob.objects.create(playlist=world.shared, status="running")

    def killed(build_job_id, path):
        store_path(builds.movie_key(build_job_id, temporary=True), path)
        raise SystemExit("worker killed")  # between the temporary write and the move

    monkeypatch.setattr(builds, "_move_into_place", killed)
    with pytest.raises(SystemExit):
        builds.build_movie(job.pk)
    job.refresh_from_db()
    assert job.status == "running" and not is_stored(builds.movie_key(job.pk))
    url = f"/api/data/playlists/{world.shared.pk}/jobs/{job.pk}/build/mp4"
    assert as_(world, "manager").get(url).status_code == 400
    monkeypatch.undo()
    assert builds.build_movie(job.pk)["status"] == "succeeded"  # the redelivered run
    assert as_(world, "manager").get(url).status_code == 200


def test_a_failed_tool_fails_the_build(movie_playlist):
    world = movie_playlist
    Playlist.objects.filter(pk=world.shared.pk).update(shots=[])
    job = BuildJob.objects.create(playlist=world.shared, status="running")
    with pytest.raises(movies.NotAMovie):
        builds.build_movie(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "no movie" in job.message


def test_the_zip_is_streamed_with_the_chosen_previews(movie_playlist, clips):
    world = movie_playlist
    response = as_(world, "supervisor").get(f"/api/data/playlists/{world.shared.pk}/download/zip")
    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2 and names[0].startswith("001_SH010") and names[1].endswith(".mp4")
    assert archive.read(names[0]) == clips["same"].read_bytes()
    for role in ("user", "vendor", "outsider"):
        assert as_(world, role).get(f"/api/data/playlists/{world.shared.pk}/download/zip").status_code == 403
    assert as_(world, "client").get(f"/api/data/playlists/{world.shared.pk}/download/zip").status_code == 200
    assert as_(world, "admin").get(f"/api/data/playlists/{uuid.uuid4()}/download/zip").status_code == 404


def test_the_build_job_row_of_a_failed_job_reads_failed(movie_playlist):
    world = movie_playlist
    job = BuildJob.objects.create(playlist=world.shared, status="running")
    Job.objects.create(
        name=builds.JOB_NAME,
        key=f"x:{job.pk}",
        state="failed",
        params={"build_job_id": str(job.pk)},
        error="boom",
    )
    body = as_(world, "manager").get(f"/api/data/playlists/{world.shared.pk}/jobs/{job.pk}").json()
    assert body["status"] == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "boom"


def test_the_admin_shows_progress_and_cancels(movie_playlist, rf):
    from django.contrib import admin as django_admin

    from files.playlists.admin import PlaylistBuildJobAdmin

    world = movie_playlist
    job = BuildJob.objects.create(playlist=world.shared, status="running")
    Job.objects.create(
        name=builds.JOB_NAME, key=f"x:{job.pk}", state="running", params={"build_job_id": str(job.pk)}
    )
    Job.objects.filter(params__build_job_id=str(job.pk)).update(progress_done=3, progress_total=5)
    model_admin = PlaylistBuildJobAdmin(BuildJob, django_admin.site)
    assert model_admin.progress(job) == "running 3/5"
    request = rf.post("/admin/files/buildjob/")
    request.user = world.team["admin"]
    model_admin.message_user = lambda *args, **kwargs: None
    model_admin.cancel_builds(request, BuildJob.objects.filter(pk=job.pk))
    assert not BuildJob.objects.filter(pk=job.pk).exists()


def test_a_clip_whose_sound_outlasts_its_picture_does_not_push_the_next_out_of_sync(tmp_path):
    """Clips joined as they are are cut where their picture ends: half a second of extra sound
    on each would otherwise shift every later clip's sound (10 s of drift over 20 shots)."""
    import subprocess

    from files.media.movies import ffmpeg_binary

    long_sound = tmp_path / "long-sound.mp4"
    subprocess.run(
        [
            ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:duration=1",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=1.5",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-c:a", "aac",
            str(long_sound),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    assert movies.probe(long_sound).duration > 1.4

    built = builds.concat([long_sound, long_sound, long_sound], str(tmp_path / "built.mp4"))

    assert 2.9 <= movies.probe(built).duration <= 3.15
