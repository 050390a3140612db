"""A real Celery worker on Redis (TEST_MEDIA_REDIS_URL, else TEST_REDIS_URL) normalises a
movie; killed with SIGKILL in the middle of the transcode, it leaves the preview "processing"
(no half-written movie served, no ffmpeg left running), and the next worker takes the same job
over and makes the preview ready: one job, two attempts, one normalised movie."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.killed_workers import processes_running, worker_world
from tests.management import PROJECT_ROOT
from tests.media.conftest import make_clip
from tests.test_celery import redis_answers
from tests.test_jobs import read_rows, wait_for

# CI's test Redis (TEST_REDIS_URL) when set; the queue is the test's own either way.
REDIS_URL = (
    os.environ.get("TEST_MEDIA_REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/6"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.skipif(not redis_answers(REDIS_URL), reason="no Redis server answers"),
]

# Makes a task with a preview whose movie (argv[1]) is stored as uploaded, and queues its job.
ENQUEUE = """
import os, sys
import django
django.setup()
from kitsu_server.celery import app
app.conf.task_default_queue = os.environ["TEST_WORKER_QUEUE"]
from files.jobs import process_preview
from files.media.storage import media_key, store_path
from files.models import PreviewFile
from tests import factories
name = "Killed " + os.environ["TEST_WORKER_QUEUE"]
project = factories.make_project(name=name, resolution="640x360", fps="25")
task = factories.make_task(factories.make_asset(project))
preview = PreviewFile.objects.create(task=task, name="killed", extension="mp4", status="processing")
store_path(media_key("movies", "source", preview.pk), sys.argv[1])
process_preview.enqueue(project=project, preview_file_id=str(preview.pk))
print(preview.pk.hex, preview.pk)
"""


@pytest.fixture
def world(tmp_path):
    with worker_world(tmp_path, REDIS_URL) as world:
        yield world


def ffmpeg_processes_reading(folder):
    """Pids of the ffmpeg processes reading a file of `folder` (its temp copies)."""
    return processes_running("ffmpeg", "kitsu-preview-", str(folder))


def test_a_worker_killed_mid_transcode_leaves_the_preview_to_the_next_worker(world, tmp_path):
    clip = make_clip(tmp_path / "long.mp4", size="320x180", seconds=20, fps=25)
    first = world["start_worker"]("veryslow")  # a transcode of several seconds
    enqueued = subprocess.run(
        [sys.executable, "-c", ENQUEUE, str(clip)],
        cwd=PROJECT_ROOT,
        env=world["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert enqueued.returncode == 0, enqueued.stderr
    preview_hex, preview_id = enqueued.stdout.split()
    database = world["database"]

    def job():
        rows = read_rows(
            database, "SELECT * FROM job WHERE key = ?", [f"preview.process:preview:{preview_id}"]
        )
        return rows[0] if rows else None

    def preview():
        return read_rows(database, "SELECT * FROM preview_file WHERE id = ?", [preview_hex])[0]

    wait_for(lambda: ffmpeg_processes_reading(world["tmp"]), 90)  # the transcode has started
    time.sleep(1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=20)

    assert job()["state"] == "running" and job()["attempts"] == 1  # left so by the dead worker
    assert (preview()["status"], preview()["processing_error"]) == ("processing", "")
    wait_for(lambda: not ffmpeg_processes_reading(world["tmp"]), 10)  # ffmpeg died with its worker
    normalised = (
        Path(world["env"]["PREVIEW_FOLDER"]) / "movies" / "previews" / preview_id[:3] / preview_id[3:6]
    )
    assert not (normalised / preview_id).exists()  # nothing half-written is served

    world["start_worker"]("ultrafast")
    row = wait_for(lambda: (row := job()) and row["state"] in ("succeeded", "failed") and row, 180)

    assert (row["state"], row["attempts"]) == ("succeeded", 2)
    assert (preview()["status"], preview()["processing_error"]) == ("ready", "")
    assert (preview()["width"], preview()["height"]) == (640, 360)
    assert (normalised / preview_id).stat().st_size > 0
    assert len(read_rows(database, "SELECT id FROM job WHERE name = 'preview.process'", [])) == 1
