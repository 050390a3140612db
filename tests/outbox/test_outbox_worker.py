"""Notifications out through a real Celery worker on Redis: a comment posted in one process (the
API, through Django's test client) mentions a person, and a separate worker process sends the
mail (to a folder) and the chat messages (to a local server of this process). Both processes share
a SQLite file (tests.test_jobs's worker database); skipped when no Redis answers
(TEST_JOBS_REDIS_URL, else TEST_REDIS_URL, as for the other worker tests)."""

import json
import os
import subprocess
import sys
import uuid

from tests.management import PROJECT_ROOT
from tests.outbox.chat_servers import RecordingServer
from tests.outbox.test_notifications_out import CHAT_ANSWERS
from tests.test_jobs import TEST_REDIS_URL, needs_redis, read_rows, wait_for, worker_database  # noqa: F401

# Posts a comment mentioning Jane (who hears on every channel), as the manager, through the API.
POST_COMMENT = """
import os, sys
import django
django.setup()
from kitsu_server.celery import app
app.conf.task_default_queue = os.environ["JOBS_TEST_QUEUE"]
from tests import factories
from tests.outbox.test_notifications_out import build_world, make_organisation
make_organisation(os.environ["CHAT_URL"])
world = build_world(factories.make_project(name=sys.argv[1]))
body = {"task_status_id": str(world["wip"].pk), "comment": "@Jane Doe through the worker"}
response = factories.client_for(world["manager"]).post(
    f"/api/actions/tasks/{world['task'].pk}/comment", body, format="json"
)
assert response.status_code == 201, response.content
print(response.json()["id"].replace("-", ""))
"""
# A worker whose mail goes to files in OUTBOX_MAIL_DIR.
WORKER = """
import os
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["OUTBOX_MAIL_DIR"]
from kitsu_server.celery import app
app.worker_main([
    "worker", "--pool=solo", "--concurrency=1", "-Q", os.environ["JOBS_TEST_QUEUE"], "--loglevel=INFO",
    "--without-heartbeat", "--without-gossip", "--without-mingle",
])
"""


@needs_redis
def test_a_mention_goes_out_through_a_real_worker(worker_database, tmp_path):  # noqa: F811
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with RecordingServer() as chat:
        chat.answers = {path: list(script) for path, script in CHAT_ANSWERS.items()}
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{worker_database}",
            "REDIS_URL": TEST_REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "kitsu_server.settings",
            "JOBS_TEST_QUEUE": f"test-outbox-{uuid.uuid4().hex[:8]}",
            "CHAT_URL": chat.url,
            "SLACK_API_URL": f"{chat.url}/slack",
            "DISCORD_API_URL": f"{chat.url}/discord",
            "DOMAIN_NAME": "kitsu.studio.test",
            "OUTBOX_MAIL_DIR": str(mail_dir),
        }
        posted = subprocess.run(
            [sys.executable, "-c", POST_COMMENT, f"Outbox show {uuid.uuid4().hex[:6]}"],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert posted.returncode == 0, posted.stderr
        comment_hex = posted.stdout.split()[-1]
        notification = read_rows(
            worker_database, "SELECT id, type FROM notification WHERE comment_id = ?", [comment_hex]
        )
        assert [row["type"] for row in notification] == ["mention"]
        jobs_sql = "SELECT * FROM job WHERE name = 'notification.deliver' AND params LIKE ?"
        like = [f"%{uuid.UUID(hex=notification[0]['id'])}%"]
        assert {row["state"] for row in read_rows(worker_database, jobs_sql, like)} == {
            "queued"
        }  # not run yet

        log = (tmp_path / "worker.log").open("w")
        worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=PROJECT_ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            rows = wait_for(
                lambda: (
                    (rows := read_rows(worker_database, jobs_sql, like))
                    and all(row["state"] in ("succeeded", "failed") for row in rows)
                    and rows
                ),
                90,
            )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
            print((tmp_path / "worker.log").read_text()[-3000:])
        assert sorted((json.loads(row["params"])["channel"], row["state"]) for row in rows) == [
            ("discord", "succeeded"),
            ("mail", "succeeded"),
            ("mattermost", "succeeded"),
            ("slack", "succeeded"),
        ]
        [mail_file] = list(mail_dir.iterdir())
        mail = mail_file.read_text()
        assert "To: jane@studio.test" in mail and "Mia mentioned you on" in mail
        assert "text/html" in mail and "through the worker" in mail
        assert chat.bodies("/slack")[0]["channel"] == "@jane.slack"
        assert chat.bodies("/mattermost")[0]["channel"] == "@jane.mm"
        assert {"recipient_id": "123456789"} in chat.bodies("/discord")
