"""Real Celery worker processes, for the tests that SIGKILL one in the middle of a job and let a
second take it over (tests/media/test_killed_worker.py, tests/playlists/test_killed_build.py): a
file SQLite database migrated for them, a queue of the test's own (TEST_WORKER_QUEUE), workers
started with an ffmpeg preset, stopped at the end, their logs printed (shown when a test fails)."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from tests.management import PROJECT_ROOT, manage

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
    "worker", "--pool=solo", "--concurrency=1", "-Q", os.environ["TEST_WORKER_QUEUE"], "--loglevel=INFO",
    "--without-heartbeat", "--without-gossip", "--without-mingle",
])
"""


def processes_running(*needles):
    """Pids of the processes whose command line holds every one of `needles`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if all(needle in command for needle in needles):
            found.append(int(entry.name))
    return found


@contextmanager
def worker_world(tmp_path, redis_url):
    """{env, database, start_worker(preset), tmp}: what the workers and the test's scripts share
    (env: the database, PREVIEW_FOLDER, TMPDIR under tmp_path, the queue, Redis)."""
    database = tmp_path / "worker.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "kitsu_server.settings",
        "PREVIEW_FOLDER": str(tmp_path / "previews"),
        "TMPDIR": str(tmp_path / "tmp"),
        "TEST_WORKER_QUEUE": f"test-worker-{uuid.uuid4().hex[:8]}",
        "FFMPEG_THREADS": "1",
    }
    (tmp_path / "tmp").mkdir()
    env.pop("REDIS_URL", None)
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    env["REDIS_URL"] = redis_url
    workers = []

    def start_worker(preset):
        log = (tmp_path / f"worker-{len(workers)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=PROJECT_ROOT,
            env={**env, "FFMPEG_PRESET": preset},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        return process

    try:
        yield {"env": env, "database": database, "start_worker": start_worker, "tmp": tmp_path / "tmp"}
    finally:
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
