"""Celery is wired: tasks run eagerly without Redis, through a real worker with it."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from celery import Celery

from kitsu_server.celery import app, ping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers(url):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_tasks_are_discovered_from_the_apps():
    app.loader.import_default_modules()
    assert "kitsu_server.ping" in app.tasks


def test_task_runs_eagerly_without_redis(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    result = ping.delay()
    assert result.successful()
    assert result.get() == "pong"


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.skipif(not redis_answers(TEST_REDIS_URL), reason="no Redis server answers")
def test_task_runs_through_a_real_worker_with_redis():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": TEST_REDIS_URL, "DJANGO_SETTINGS_MODULE": "kitsu_server.settings"}
    env.pop("DATABASE_URL", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kitsu_server",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = Celery(broker=TEST_REDIS_URL, backend=TEST_REDIS_URL)
    try:
        result = client.send_task("kitsu_server.ping", queue=queue)
        assert result.get(timeout=60) == "pong"
        assert result.state == "SUCCESS"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.close()
