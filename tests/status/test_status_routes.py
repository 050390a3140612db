"""Index and admin routes: health probes in the reference's field names, machine resources, usage
counts, the public configuration, the test event and the operator's configuration check."""

import datetime
import uuid
from io import BytesIO

import pytest
from django.core.handlers.asgi import ASGIRequest
from rest_framework.test import APIClient

from files.models import PreviewFile
from kitsu_server import status_views
from kitsu_server.core import events
from people.models import Organisation
from tasks.models import ApiEvent, Comment
from tests import factories
from tests.factories import client_for

pytestmark = pytest.mark.django_db

HEALTH_KEYS = ["database-up", "key-value-store-up", "event-stream-up", "job-queue-up", "indexer-up"]


@pytest.fixture
def anonymous():
    return APIClient()


def cpu_lines():
    with open("/proc/stat") as stat:
        return [line for line in stat if line.startswith("cpu") and not line.startswith("cpu ")]


# --- /status, /status.txt, /status/influx --------------------------------------------------------


def test_status_reports_this_server_truthfully(anonymous):
    response = anonymous.get("/api/status")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Zou" and body["version"] == "1.0.97"
    assert body["database-up"] is True
    assert body["key-value-store-up"] is True and body["key-value-store"] == "memory"  # no REDIS_URL in tests
    assert body["job-queue-up"] is True and body["job-queue-mode"] == "eager"
    # The test client is no ASGI server: nothing serves /socket.io to its requests (see
    # tests/live/test_status.py for the same route through uvicorn).
    assert body["event-stream-up"] is False
    assert body["event-stream"] == "memory" and body["event-stream-connections"] >= 0
    assert body["job-queue-workers"] == 0
    assert body["indexer-up"] is False
    assert body["database-engine"] in ("sqlite", "postgresql")
    assert set(HEALTH_KEYS) <= set(body)


def test_status_ignores_a_bad_token():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get("/api/status/").status_code == 200
    assert client.get("/api/config").status_code == 200


def test_status_text_lists_each_service(anonymous):
    response = anonymous.get("/api/status.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == (
        "name: Zou\n"
        "version: 1.0.97\n"
        "database-up: up\n"
        "event-stream-up: down\n"
        "key-value-store-up: up\n"
        "job-queue-up: up\n"
        "indexer-up: down\n"
    )


def test_status_influx_gives_numbers_and_a_utc_time(anonymous):
    response = anonymous.get("/api/status/influx")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in HEALTH_KEYS} == {
        "database-up": 1,
        "key-value-store-up": 1,
        "event-stream-up": 0,
        "job-queue-up": 1,
        "indexer-up": 0,
    }
    assert abs(body["time"] - datetime.datetime.now(datetime.UTC).timestamp()) < 60


def test_probes_report_services_that_do_not_answer(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert status_views.key_value_store_up() is False
    asgi_request = ASGIRequest(
        {"type": "http", "method": "GET", "path": "/api/status", "headers": []}, BytesIO()
    )
    assert status_views.event_stream_up(asgi_request) is False  # its Redis live log is down
    settings.REDIS_URL = ""
    assert status_views.event_stream_up(asgi_request) is True
    # Without eager mode, the job queue is up only when a worker answers (none does here).
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(status_views, "celery_workers_answering", lambda: 0)
    response = APIClient().get("/api/status")
    assert response.json()["job-queue-up"] is False and response.json()["job-queue-mode"] == "workers"
    assert response.json()["job-queue-workers"] == 0
    monkeypatch.setattr(status_views, "celery_workers_answering", lambda: 2)
    response = APIClient().get("/api/status")
    assert response.json()["job-queue-up"] is True and response.json()["job-queue-workers"] == 2


def test_database_probe_failure_is_down(monkeypatch):
    from django.db import DatabaseError

    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("gone")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(status_views.connection, "cursor", BrokenCursor)
    assert status_views.database_up() is False


# --- /status/resources ---------------------------------------------------------------------------


def test_resources_report_cpu_memory_disk_and_jobs(anonymous, monkeypatch):
    monkeypatch.setattr(status_views, "CPU_SAMPLE_SECONDS", 0.05)
    response = anonymous.get("/api/status/resources")
    assert response.status_code == 200
    body = response.json()
    datetime.datetime.fromisoformat(body["date"])
    assert len(body["cpu"]["percent"]) == len(cpu_lines())
    assert all(0.0 <= percent <= 100.0 for percent in body["cpu"]["percent"])
    assert set(body["cpu"]["loadavg"]) == {"last 1 min", "last 5 min", "last 10 min"}
    memory = body["memory"]
    assert memory["total"] > 0 and memory["used"] + memory["available"] == memory["total"]
    assert memory["percent"] == round(memory["used"] / memory["total"] * 100, 1)
    disk = body["disk"]
    assert disk["total"] > 0 and 0 <= disk["percent"] <= 100
    assert body["jobs"] == {"running_jobs": 0}  # eager mode: nothing queued


def test_cpu_percent_follows_proc_stat(monkeypatch):
    samples = iter([[(100, 1000), (50, 1000)], [(150, 1100), (50, 1200)]])
    monkeypatch.setattr(status_views, "read_cpu_times", lambda: next(samples))
    monkeypatch.setattr(status_views.time, "sleep", lambda seconds: None)
    assert status_views.cpu_percents(1.0) == [50.0, 0.0]


# --- /status/test-event --------------------------------------------------------------------------


def test_test_event_is_published_not_stored(anonymous):
    received = []
    listener = events.on_event(received.append)
    try:
        response = anonymous.get("/api/status/test-event")
    finally:
        events._listeners.remove(listener)
    assert response.status_code == 200 and response.json() == {"success": True}
    assert [(event.name, event.data) for event in received] == [("main:test", {})]
    assert not ApiEvent.objects.exists()


# --- /stats --------------------------------------------------------------------------------------


def test_stats_count_previews_and_comments_for_admins(django_assert_max_num_queries):
    admin = factories.make_person(role="admin")
    status = factories.make_task_status()
    for extension, count in (("mp4", 3), ("png", 2), ("obj", 1), ("jpg", 4)):
        for _ in range(count):
            PreviewFile.objects.create(extension=extension)
    for _ in range(5):
        Comment.objects.create(object_id=uuid.uuid4(), object_type="Task", task_status=status, person=admin)
    api = client_for(admin)
    with django_assert_max_num_queries(6):
        response = api.get("/api/stats")
    assert response.status_code == 200
    assert response.json() == {
        "number_of_video_previews": 3,
        "number_of_picture_previews": 2,
        "number_of_model_previews": 1,
        "number_of_comments": 5,
    }


def test_stats_refuse_non_admins(anonymous):
    assert anonymous.get("/api/stats").status_code == 401
    for role in ("manager", "supervisor", "user", "client", "vendor"):
        response = client_for(factories.make_person(role=role)).get("/api/stats")
        assert response.status_code == 403, role
        assert response.json()["error"] is True


# --- /config -------------------------------------------------------------------------------------


def test_config_gives_the_reference_keys_from_our_settings(anonymous, settings):
    settings.DEFAULT_TIMEZONE = "Asia/Tokyo"
    settings.DEFAULT_LOCALE = "ja_JP"
    response = anonymous.get("/api/config")
    assert response.status_code == 200
    assert response.json() == {
        "is_self_hosted": True,
        "crisp_token": "",
        "dark_theme_by_default": False,
        "indexer_configured": False,
        "saml_enabled": False,
        "saml_idp_name": "",
        "oidc_enabled": False,
        "oidc_idp_name": "",
        "default_locale": "ja_JP",
        "default_timezone": "Asia/Tokyo",
        "enforce_2fa": False,
        "movie_highdef_bitrate": 28,
        "movie_lowdef_bitrate": 6,
        "preview_accounts_enabled": True,
    }
    assert Organisation.objects.count() == 1  # made on first use, as the reference does


def test_config_follows_the_organisation_and_optional_settings(anonymous, settings):
    Organisation.objects.create(name="Studio", dark_theme_by_default=True)
    settings.SENTRY_KITSU_ENABLED = True
    settings.SENTRY_KITSU_DSN = "https://key@sentry.example.com/1"
    settings.SENTRY_KITSU_SR = 0.5
    settings.OIDC_ENABLED = True
    settings.OIDC_IDP_NAME = "Studio SSO"
    body = anonymous.get("/api/config").json()
    assert body["dark_theme_by_default"] is True
    assert body["oidc_enabled"] is True and body["oidc_idp_name"] == "Studio SSO"
    assert body["sentry"] == {"dsn": "https://key@sentry.example.com/1", "sampleRate": 0.5}


# --- /admin/config/check -------------------------------------------------------------------------


def test_config_check_does_not_exist_without_an_admin_token(settings):
    settings.ADMIN_TOKEN = ""
    admin = factories.make_person(role="admin")
    assert client_for(admin).get("/api/admin/config/check").status_code == 404


def test_config_check_needs_the_admin_token(settings):
    settings.ADMIN_TOKEN = "operator-secret"
    admin = factories.make_person(role="admin")
    assert client_for(admin).get("/api/admin/config/check").status_code == 403  # a JWT is no admin token
    assert APIClient().get("/api/admin/config/check").status_code == 403
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer wrong-secret")
    assert client.get("/api/admin/config/check").status_code == 403


def test_config_check_compares_settings_and_counts_active_users(settings):
    settings.ADMIN_TOKEN = "operator-secret"
    settings.USER_LIMIT = 25
    factories.make_person(role="admin")
    factories.make_person(role="user")
    factories.make_person(role="user", active=False)
    factories.make_person(role="user", is_bot=True)
    factories.make_person(role="user", is_guest=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer operator-secret")
    response = client.get("/api/admin/config/check")
    assert response.status_code == 200
    body = response.json()
    assert body["user_limit"] == {"env": 25, "redis": None}
    assert body["default_timezone"] == {"env": settings.DEFAULT_TIMEZONE, "redis": None}
    assert body["default_locale"] == {"env": settings.DEFAULT_LOCALE, "redis": None}
    assert body["nomad_host"] == {"env": "zou-nomad-01.zou", "redis": None}
    assert set(body) == {
        "user_limit",
        "default_timezone",
        "default_locale",
        "nomad_host",
        "nomad_normalize_job",
        "nomad_playlist_job",
        "nomad_tile_job",
        "active_users",
    }
    assert body["active_users"] == 2
