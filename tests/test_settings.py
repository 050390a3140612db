"""Settings come from the environment, with a self-contained default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "host": settings.DATABASES["default"].get("HOST", ""),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "channels": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "secret_is_dev": settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "email": settings.EMAIL_BACKEND,
    "previews": str(settings.PREVIEW_FOLDER),
}))
"""

CONFIG_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "PREVIEW_FOLDER",
    "EMAIL_BACKEND",
    "REQUIRE_SECRET_KEY",
)


def load_settings(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env.update(overrides, DJANGO_SETTINGS_MODULE="kitsu_server.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    return result


def probe(**overrides):
    result = load_settings(**overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_defaults_without_environment():
    values = probe()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(PROJECT_ROOT / "db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"].endswith("LocMemCache")
    assert values["channels"] == "channels.layers.InMemoryChannelLayer"
    assert values["secret_is_dev"] is True
    assert values["debug"] is False
    assert "127.0.0.1" in values["hosts"]
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["previews"] == str(PROJECT_ROOT / "var" / "previews")


def test_database_url_selects_postgresql():
    values = probe(DATABASE_URL="postgres://kitsu:pw@db.internal:5433/kitsu")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "kitsu"
    assert values["host"] == "db.internal"


def test_redis_url_switches_celery_cache_and_channels_to_redis():
    values = probe(REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["channels"] == "channels_redis.core.RedisChannelLayer"


def test_other_variables_are_read(tmp_path):
    values = probe(
        SECRET_KEY="x" * 60,
        DEBUG="true",
        ALLOWED_HOSTS="kitsu.studio.test, api.studio.test",
        PREVIEW_FOLDER=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert values["secret_is_dev"] is False
    assert values["debug"] is True
    assert values["hosts"] == ["kitsu.studio.test", "api.studio.test"]
    assert values["previews"] == str(tmp_path)
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_require_secret_key_refuses_the_development_key():
    result = load_settings(REQUIRE_SECRET_KEY="1")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.slow
def test_check_deploy_refuses_the_development_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
