"""A real Celery worker on Redis (TEST_REDIS_URL, else db 14) builds a playlist's movie asked for
over the API; killed with SIGKILL while ffmpeg re-encodes a clip, it leaves the build running,
its movie not served and nothing under its key (no ffmpeg left running); the next worker takes
the same job over (acks_late: the message comes back) and ends the build: one job, two attempts,
one movie of the playlist's length, no temporary copy left."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from files.media import movies
from files.playlists import builds
from tests.killed_workers import processes_running, worker_world
from tests.management import PROJECT_ROOT
from tests.media.conftest import make_clip
from tests.test_celery import redis_answers
from tests.test_jobs import read_rows, wait_for

REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/14"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.skipif(not redis_answers(REDIS_URL), reason=f"no Redis server answers at {REDIS_URL}"),
]

# A production at 640x360, 25 fps; a playlist of three shots whose movies (argv[1:]) are stored
# as normalised previews; its build asked for by a manager: prints the ids and the answer.
START = """
import json, os, sys
import django
django.setup()
from kitsu_server.celery import app
app.conf.task_default_queue = os.environ["TEST_WORKER_QUEUE"]
from files.media.storage import media_key, store_path
from files.models import Playlist, PreviewFile
from tests import factories
project = factories.make_project(name="Killed build", resolution="640x360", fps="25")
manager = factories.make_team(project, password=None)["manager"]
sequence = factories.make_sequence(project)
shots = []
for index, clip in enumerate(sys.argv[1:]):
    shot = factories.make_shot(project, sequence)
    task = factories.make_task(shot)
    preview = PreviewFile.objects.create(name=f"v{index}", task=task, extension="mp4", status="ready")
    store_path(media_key("movies", "previews", preview.pk), clip)
    shots.append({"entity_id": str(shot.pk), "preview_file_id": str(preview.pk)})
playlist = Playlist.objects.create(name="Killed", project=project, shots=shots)
response = factories.client_for(manager).get(f"/api/data/playlists/{playlist.pk}/build/mp4")
answer = {"playlist": str(playlist.pk), "manager": str(manager.pk)}
print(json.dumps({**answer, "status": response.status_code, "body": response.json()}))
"""
# The build's state and its download, as the manager reads them (argv: manager, playlist, build,
# where the movie goes when served).
READ = """
import json, sys
import django
django.setup()
from people.models import Person
from tests import factories
manager_id, playlist_id, build_id, target = sys.argv[1:]
client = factories.client_for(Person.objects.get(pk=manager_id))
state = client.get(f"/api/data/playlists/{playlist_id}/jobs/{build_id}")
download = client.get(f"/api/data/playlists/{playlist_id}/jobs/{build_id}/build/mp4")
body = None
if download.status_code == 200:
    with open(target, "wb") as handle:
        for chunk in download.streaming_content:
            handle.write(chunk)
else:
    body = download.json()
print(json.dumps({"state": state.json(), "download": download.status_code, "download_body": body}))
"""


def ffmpeg_building_in(folder):
    """Pids of the ffmpeg processes working in a build folder under `folder`."""
    return processes_running("ffmpeg", f"{folder}/kitsu-playlist-")


def run_script(script, *args, env):
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def setup(tmp_path):
    with worker_world(tmp_path, REDIS_URL) as world:
        yield world


def stored_under(root, folder):
    return sorted(path for path in (root / "movies" / folder).rglob("*") if path.is_file())


def test_a_worker_killed_mid_build_leaves_the_build_to_the_next_worker(setup, tmp_path):
    # one clip at the production's format (copied), two at another size (re-encoded)
    clips = [
        make_clip(tmp_path / "same.mp4", size="640x360", seconds=4, fps=25),
        make_clip(tmp_path / "small-1.mp4", size="320x180", seconds=8, fps=25),
        make_clip(tmp_path / "small-2.mp4", size="320x180", seconds=8, fps=25),
    ]
    first = setup["start_worker"]("veryslow")  # a re-encoding of several seconds
    started = run_script(START, *clips, env=setup["env"])
    assert started["status"] == 200 and started["body"]["status"] == "running"
    manager_id, playlist_id, build_id = started["manager"], started["playlist"], started["body"]["id"]
    database, env = setup["database"], setup["env"]
    root = Path(env["PREVIEW_FOLDER"])

    def job():
        rows = read_rows(database, "SELECT * FROM job WHERE key = ?", [f"playlist.build:build:{build_id}"])
        return rows[0] if rows else None

    def build_status():
        return read_rows(database, "SELECT status FROM build_job WHERE id = ?", [uuid.UUID(build_id).hex])[0][
            "status"
        ]

    wait_for(lambda: (row := job()) and row["state"] == "running", 90)
    wait_for(lambda: ffmpeg_building_in(setup["tmp"]), 90)  # a clip is being re-encoded
    time.sleep(1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=20)

    assert (job()["state"], job()["attempts"]) == ("running", 1)  # left so by the dead worker
    assert build_status() == "running"
    wait_for(lambda: not ffmpeg_building_in(setup["tmp"]), 10)  # ffmpeg died with its worker
    read = run_script(READ, manager_id, playlist_id, build_id, tmp_path / "early.mp4", env=env)
    assert read["state"]["status"] == "running" and read["state"]["progress"]["state"] == "running"
    assert read["download"] == 400  # the reference's answer for an unfinished build
    assert read["download_body"] == {"error": True, "message": "Build is not finished"}
    assert not (tmp_path / "early.mp4").exists()
    assert stored_under(root, "playlists") == []  # nothing half-written under the final key

    setup["start_worker"]("ultrafast")
    row = wait_for(lambda: (row := job()) and row["state"] in ("succeeded", "failed") and row, 180)

    assert (row["state"], row["attempts"], row["error"]) == ("succeeded", 2, "")
    assert build_status() == "succeeded"
    read = run_script(READ, manager_id, playlist_id, build_id, tmp_path / "built.mp4", env=env)
    assert read["state"]["status"] == "succeeded" and read["state"]["progress"]["state"] == "succeeded"
    assert read["download"] == 200
    info = movies.probe(tmp_path / "built.mp4")
    assert (info.width, info.height, round(info.fps)) == (640, 360, 25) and info.has_audio
    assert 19.5 <= info.duration <= 20.5  # 4 + 8 + 8 seconds, every clip in
    assert stored_under(root, "playlists") == [
        root / builds.movie_key(build_id)
    ]  # exactly one movie, at its key
    assert stored_under(root, "playlists-building") == []  # no temporary copy left
    assert len(read_rows(database, "SELECT id FROM job WHERE name = 'playlist.build'", [])) == 1
