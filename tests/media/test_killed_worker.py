"""A real Celery worker on Redis (TEST_MEDIA_REDIS_URL, else TEST_REDIS_URL) normalises a
movie; killed with SIGKILL in the middle of the transcode, it leaves the preview "processing"
(no half-written movie served, no ffmpeg left running), and the next worker takes the same job
over and makes the preview ready: one job, two attempts, one normalised movie."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.management import PROJECT_ROOT, manage
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
app.conf.task_default_queue = os.environ["MEDIA_TEST_QUEUE"]
from files.jobs import process_preview
from files.media.storage import media_key, store_path
from files.models import PreviewFile
from tests import factories
name = "Killed " + os.environ["MEDIA_TEST_QUEUE"]
project = factories.make_project(name=name, resolution="640x360", fps="25")
task = factories.make_task(factories.make_asset(project))
preview = PreviewFile.objects.create(task=task, name="killed", extension="mp4", status="processing")
store_path(media_key("movies", "source", preview.pk), sys.argv[1])
process_preview.enqueue(project=project, preview_file_id=str(preview.pk))
print(preview.pk.hex, preview.pk)
"""
# A worker whose broker hands a dead worker's message out again after 2 s (not an hour).
WORKER = """
import os
import django
django.setup()
from kitsu_server.celery import app
app.conf.broker_transport_options = {
    "visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
app.worker_main([
    "worker", "--pool=solo", "--concurrency=1", "-Q", os.environ["MEDIA_TEST_QUEUE"], "--loglevel=INFO",
    "--without-heartbeat", "--without-gossip", "--without-mingle",
])
"""


def ffmpeg_processes_reading(folder):
    """Pids of the processes whose command line names a file of `folder` (ffmpeg's temp copies)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "ffmpeg" in command and "kitsu-preview-" in command and str(folder) in command:
            found.append(int(entry.name))
    return found


@pytest.fixture
def world(tmp_path):
    database = tmp_path / "worker.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "kitsu_server.settings",
        "PREVIEW_FOLDER": str(tmp_path / "previews"),
        "TMPDIR": str(tmp_path / "tmp"),
        "MEDIA_TEST_QUEUE": f"test-media-{uuid.uuid4().hex[:8]}",
        "FFMPEG_THREADS": "1",
    }
    (tmp_path / "tmp").mkdir()
    env.pop("REDIS_URL", None)
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    env["REDIS_URL"] = REDIS_URL
    workers = []

    def start_worker(preset):
        log = (tmp_path / f"worker-{len(workers)}.log").open("w")
        worker_env = {**env, "FFMPEG_PRESET": preset}
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=PROJECT_ROOT,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        return process

    yield {"env": env, "database": database, "start_worker": start_worker, "tmp": tmp_path / "tmp"}
    for process, log in workers:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
    for path in sorted(tmp_path.glob("worker-*.log")):
        print(path.name, path.read_text()[-3000:], sep="\n")  # shown when the test fails


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
