"""Server status routes: health probes, machine resources, usage counts, the public configuration
the web UI reads before login, the test event and the operator's configuration check.

Health is reported in the reference's field names, each probe telling the truth about this
server: `database-up` runs a query on the configured database (PostgreSQL or SQLite);
`key-value-store-up` pings Redis when REDIS_URL is set, else round-trips the in-process cache
that stands in for it; `job-queue-up` pings the Celery workers through the broker, and is true in
eager mode, where tasks run in the web process (`/status` says which mode in `job-queue-mode`);
`event-stream-up` is true when the request came through the ASGI application, which serves the
Socket.IO stream at `/socket.io` beside the API (not under WSGI), and the live log answers (Redis
with REDIS_URL, else this process's memory): `event-stream` says which, and
`event-stream-connections` counts this process's connections; `job-queue-workers` counts the
Celery workers answering a ping; `indexer-up` is false: this server has no search indexer.

Who may call them, as on the reference: everyone but `/stats` (admins) and `/admin/config/check`
(the operator's ADMIN_TOKEN as bearer token; the route does not exist while no token is set).
"""

import datetime
import hmac
import logging
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from files.models import PreviewFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.core.access import access_for
from kitsu_server.core.events import publish_event
from kitsu_server.live.server import live_server
from people.models import Person
from people.payloads import get_organisation
from tasks.models import Comment

logger = logging.getLogger(__name__)

INDEX_TAG = "index"
CPU_SAMPLE_SECONDS = 1.0  # the reference samples CPU use over one second
PROBE_TIMEOUT_SECONDS = 2

# Settings the reference reads from its environment, with its defaults (when settings.py has none).
REFERENCE_DEFAULTS = {
    "IS_SELF_HOSTED": True,
    "CRISP_TOKEN": "",
    "INDEXER_KEY": None,
    "SAML_ENABLED": False,
    "SAML_IDP_NAME": "",
    "OIDC_ENABLED": False,
    "OIDC_IDP_NAME": "",
    "ENFORCE_2FA": False,
    "MOVIE_HIGHDEF_BITRATE": 28,
    "MOVIE_LOWDEF_BITRATE": 6,
    "AUTH_STRATEGY": "auth_local_classic",
    "SENTRY_KITSU_ENABLED": False,
    "SENTRY_KITSU_DSN": "",
    "SENTRY_KITSU_SR": 0.1,
    "ADMIN_TOKEN": "",
    "USER_LIMIT": 100,
    "JOB_QUEUE_NOMAD_HOST": "zou-nomad-01.zou",
    "JOB_QUEUE_NOMAD_NORMALIZE_JOB": "",
    "JOB_QUEUE_NOMAD_PLAYLIST_JOB": "zou-playlist",
    "JOB_QUEUE_NOMAD_TILE_JOB": "",
}


def setting(name):
    return getattr(settings, name, REFERENCE_DEFAULTS[name])


# --- health probes -------------------------------------------------------------------------------


def redis_answers(url):
    import redis

    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=PROBE_TIMEOUT_SECONDS, socket_timeout=PROBE_TIMEOUT_SECONDS
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError as error:
        logger.warning("Redis probe failed: %s", error)
        return False


def database_up():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() is not None
    except DatabaseError:
        logger.warning("Database probe failed.", exc_info=True)
        return False


def key_value_store_up():
    if settings.REDIS_URL:
        return redis_answers(settings.REDIS_URL)

    try:
        cache.set("status-probe", "ok", 10)
        return cache.get("status-probe") == "ok"
    except Exception:  # noqa: BLE001  (any cache failure means "down")
        logger.warning("Cache probe failed.", exc_info=True)
        return False


def job_queue_eager():
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def celery_workers_answering():
    """How many Celery workers answer a ping through the broker (0 when it is unreachable)."""
    from kitsu_server.celery import app

    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT_SECONDS)
            return len(app.control.ping(timeout=1.0, connection=broker) or [])
    except Exception as error:  # noqa: BLE001  (an unreachable broker or worker means "down")
        logger.warning("Job queue probe failed: %s", error)
        return 0


def celery_workers_answer():
    """True when at least one Celery worker answers a ping through the broker."""
    return celery_workers_answering() > 0


def job_queue_workers(request):
    """The workers answering, pinged once per request (0 in eager mode: no worker to ask)."""
    if job_queue_eager():
        return 0
    if not hasattr(request, "_kitsu_workers"):
        request._kitsu_workers = celery_workers_answering()
    return request._kitsu_workers


def job_queue_up(request):
    return True if job_queue_eager() else job_queue_workers(request) > 0


def event_stream_up(request):
    """Served here (an ASGI request: the Socket.IO route is in the same application) and its live
    log answering."""
    if not isinstance(getattr(request, "_request", request), ASGIRequest):
        return False
    return redis_answers(settings.REDIS_URL) if settings.REDIS_URL else True


def indexer_up():
    return False  # no search indexer in this server


def health(request):
    """(name, version, database, key-value store, event stream, job queue, indexer)."""
    return (
        settings.APP_NAME,
        settings.APP_VERSION,
        database_up(),
        key_value_store_up(),
        event_stream_up(request),
        job_queue_up(request),
        indexer_up(),
    )


# --- machine resources ---------------------------------------------------------------------------


def read_cpu_times():
    """Per-CPU (busy, total) jiffies from /proc/stat, the way psutil counts them."""
    times = []
    with open("/proc/stat") as stat:
        for line in stat:
            name, *values = line.split()
            if not name.startswith("cpu") or name == "cpu":
                continue
            numbers = [int(value) for value in values]
            numbers += [0] * (10 - len(numbers))
            user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice = numbers[:10]
            total = sum(numbers) - guest - guest_nice  # guest time is in user/nice already
            times.append((total - idle - iowait, total))
    return times


def cpu_percents(interval):
    """Use of each CPU over `interval` seconds, in percent (one decimal)."""
    try:
        before = read_cpu_times()
        time.sleep(interval)
        after = read_cpu_times()
    except OSError:
        return []
    percents = []
    for (busy1, total1), (busy2, total2) in zip(before, after, strict=False):
        elapsed = total2 - total1
        busy = (busy2 - busy1) / elapsed * 100 if elapsed > 0 else 0.0
        percents.append(round(min(max(busy, 0.0), 100.0), 1))
    return percents


def cpu_stats():
    try:
        loadavg = os.getloadavg()
    except OSError:
        loadavg = (0.0, 0.0, 0.0)
    return {
        "percent": cpu_percents(CPU_SAMPLE_SECONDS),
        "loadavg": {"last 1 min": loadavg[0], "last 5 min": loadavg[1], "last 10 min": loadavg[2]},
    }


def memory_stats():
    """Total, used (total - available), available bytes and the used percent, as psutil gives them."""
    try:
        meminfo = {}
        with open("/proc/meminfo") as lines:
            for line in lines:
                key, value = line.split(":", 1)
                meminfo[key] = int(value.split()[0]) * 1024
        total = meminfo["MemTotal"]
        available = meminfo.get("MemAvailable", meminfo.get("MemFree", 0))
    except (OSError, KeyError, ValueError):
        page = os.sysconf("SC_PAGE_SIZE")
        total = os.sysconf("SC_PHYS_PAGES") * page
        available = os.sysconf("SC_AVPHYS_PAGES") * page
    available = min(max(available, 0), total)
    used = total - available
    return {
        "total": total,
        "used": used,
        "available": available,
        "percent": round(used / total * 100, 1) if total else 0.0,
    }


def disk_stats():
    """Space of the file system holding the previews (an addition: the reference has no disk entry)."""
    folder = Path(getattr(settings, "PREVIEW_FOLDER", settings.BASE_DIR))
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    return {
        "total": usage.total,
        "used": usage.used,
        "free": usage.free,
        "percent": round(usage.used / usage.total * 100, 1) if usage.total else 0.0,
    }


def running_jobs():
    """Tasks the Celery workers are running now (none to count in eager mode)."""
    if job_queue_eager():
        return 0
    from kitsu_server.celery import app

    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT_SECONDS)
            active = app.control.inspect(timeout=1.0, connection=broker).active() or {}
    except Exception as error:  # noqa: BLE001
        logger.warning("Job queue inspection failed: %s", error)
        return 0
    return sum(len(tasks) for tasks in active.values())


# --- serializers (documentation and the shapes the routes answer) --------------------------------


def spelled_serializer(name, fields):
    """A serializer whose fields carry names no Python attribute can ("database-up", "last 1 min")."""
    return type(name, (serializers.Serializer,), dict(fields))


StatusSerializer = spelled_serializer(
    "Status",
    {
        "name": serializers.CharField(),
        "version": serializers.CharField(),
        "database-up": serializers.BooleanField(),
        "key-value-store-up": serializers.BooleanField(),
        "event-stream-up": serializers.BooleanField(),
        "job-queue-up": serializers.BooleanField(),
        "indexer-up": serializers.BooleanField(),
        "database-engine": serializers.CharField(help_text="postgresql or sqlite"),
        "key-value-store": serializers.CharField(help_text="redis, or memory (in-process cache)"),
        "job-queue-mode": serializers.CharField(help_text="workers, or eager (tasks run in the web process)"),
        "job-queue-workers": serializers.IntegerField(help_text="Celery workers answering (0 in eager mode)"),
        "event-stream": serializers.CharField(help_text="redis (shared by every process), or memory"),
        "event-stream-connections": serializers.IntegerField(
            help_text="Socket.IO connections of this process"
        ),
    },
)
InfluxStatusSerializer = spelled_serializer(
    "InfluxStatus",
    {
        "database-up": serializers.IntegerField(),
        "key-value-store-up": serializers.IntegerField(),
        "event-stream-up": serializers.IntegerField(),
        "job-queue-up": serializers.IntegerField(),
        "indexer-up": serializers.IntegerField(),
        "time": serializers.FloatField(),
    },
)
LoadAverageSerializer = spelled_serializer(
    "LoadAverage",
    {
        "last 1 min": serializers.FloatField(),
        "last 5 min": serializers.FloatField(),
        "last 10 min": serializers.FloatField(),
    },
)


class CpuSerializer(serializers.Serializer):
    percent = serializers.ListField(child=serializers.FloatField())
    loadavg = LoadAverageSerializer()


class MemorySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    used = serializers.IntegerField()
    available = serializers.IntegerField()
    percent = serializers.FloatField()


class DiskSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    used = serializers.IntegerField()
    free = serializers.IntegerField()
    percent = serializers.FloatField()


class JobsSerializer(serializers.Serializer):
    running_jobs = serializers.IntegerField()


class ResourcesSerializer(serializers.Serializer):
    date = serializers.CharField()
    cpu = CpuSerializer()
    memory = MemorySerializer()
    disk = DiskSerializer()
    jobs = JobsSerializer()


class StatsSerializer(serializers.Serializer):
    number_of_video_previews = serializers.IntegerField()
    number_of_picture_previews = serializers.IntegerField()
    number_of_model_previews = serializers.IntegerField()
    number_of_comments = serializers.IntegerField()


class SentrySerializer(serializers.Serializer):
    dsn = serializers.CharField()
    sampleRate = serializers.FloatField()  # noqa: N815  (the reference's key)


class ConfigSerializer(serializers.Serializer):
    is_self_hosted = serializers.BooleanField()
    crisp_token = serializers.CharField()
    dark_theme_by_default = serializers.BooleanField(allow_null=True)
    indexer_configured = serializers.BooleanField()
    saml_enabled = serializers.BooleanField()
    saml_idp_name = serializers.CharField()
    oidc_enabled = serializers.BooleanField()
    oidc_idp_name = serializers.CharField()
    default_locale = serializers.CharField()
    default_timezone = serializers.CharField()
    enforce_2fa = serializers.BooleanField()
    movie_highdef_bitrate = serializers.IntegerField()
    movie_lowdef_bitrate = serializers.IntegerField()
    preview_accounts_enabled = serializers.BooleanField()
    sentry = SentrySerializer(required=False)


class TestEventSerializer(serializers.Serializer):
    success = serializers.BooleanField()


class ConfigValueSerializer(serializers.Serializer):
    env = serializers.JSONField()
    redis = serializers.CharField(allow_null=True, help_text="always null: no configuration is kept in Redis")


class ConfigCheckSerializer(serializers.Serializer):
    user_limit = ConfigValueSerializer()
    default_timezone = ConfigValueSerializer()
    default_locale = ConfigValueSerializer()
    nomad_host = ConfigValueSerializer()
    nomad_normalize_job = ConfigValueSerializer()
    nomad_playlist_job = ConfigValueSerializer()
    nomad_tile_job = ConfigValueSerializer()
    active_users = serializers.IntegerField(allow_null=True)


# --- views ---------------------------------------------------------------------------------------


class PublicView(APIView):
    """A route anyone may call: no token is read (a stale one is no reason to refuse)."""

    authentication_classes = []
    permission_classes = [AllowAny]


class StatusView(PublicView):
    @extend_schema(tags=[INDEX_TAG], responses=StatusSerializer, operation_id="status")
    def get(self, request):
        """The health of the server and of the services it relies on."""
        name, version, db_up, kv_up, es_up, jq_up, indexer = health(request)
        return Response(
            {
                "name": name,
                "version": version,
                "database-up": db_up,
                "key-value-store-up": kv_up,
                "event-stream-up": es_up,
                "job-queue-up": jq_up,
                "indexer-up": indexer,
                "database-engine": connection.vendor,
                "key-value-store": "redis" if settings.REDIS_URL else "memory",
                "job-queue-mode": "eager" if job_queue_eager() else "workers",
                "job-queue-workers": job_queue_workers(request),
                "event-stream": "redis" if settings.REDIS_URL else "memory",
                "event-stream-connections": live_server.stats()["connections"],
            }
        )


class TextStatusView(PublicView):
    @extend_schema(
        tags=[INDEX_TAG], responses={(200, "text/plain"): OpenApiTypes.STR}, operation_id="status_text"
    )
    def get(self, request):
        """The health as `key: value` lines, for monitoring scripts."""
        name, version, db_up, kv_up, es_up, jq_up, indexer = health(request)

        def state(is_up):
            return "up" if is_up else "down"

        text = (
            f"name: {name}\n"
            f"version: {version}\n"
            f"database-up: {state(db_up)}\n"
            f"event-stream-up: {state(es_up)}\n"
            f"key-value-store-up: {state(kv_up)}\n"
            f"job-queue-up: {state(jq_up)}\n"
            f"indexer-up: {state(indexer)}\n"
        )
        return HttpResponse(text, content_type="text/plain; charset=utf-8")


class InfluxStatusView(PublicView):
    @extend_schema(tags=[INDEX_TAG], responses=InfluxStatusSerializer, operation_id="status_influx")
    def get(self, request):
        """The health as 0/1 numbers with a UTC timestamp, for InfluxDB."""
        _, _, db_up, kv_up, es_up, jq_up, indexer = health(request)
        return Response(
            {
                "database-up": int(db_up),
                "key-value-store-up": int(kv_up),
                "event-stream-up": int(es_up),
                "job-queue-up": int(jq_up),
                "indexer-up": int(indexer),
                "time": datetime.datetime.now(datetime.UTC).timestamp(),
            }
        )


class ResourcesStatusView(PublicView):
    @extend_schema(tags=[INDEX_TAG], responses=ResourcesSerializer, operation_id="status_resources")
    def get(self, request):
        """CPU use per core (over a second) and load, memory, the previews' disk, running jobs."""
        return Response(
            {
                "date": datetime.datetime.now().isoformat(),
                "cpu": cpu_stats(),
                "memory": memory_stats(),
                "disk": disk_stats(),
                "jobs": {"running_jobs": running_jobs()},
            }
        )


class TestEventView(PublicView):
    @extend_schema(tags=[INDEX_TAG], responses=TestEventSerializer, operation_id="status_test_event")
    def get(self, request):
        """Publish a `main:test` event to the live stream (not stored in the event log)."""
        publish_event("main:test", {})
        return Response({"success": True})


class StatsView(KitsuView):
    @extend_schema(tags=[INDEX_TAG], responses=StatsSerializer, operation_id="stats")
    def get(self, request):
        """Usage counts (previews by kind, comments): admins only."""
        access_for(request).check_admin()

        previews = PreviewFile.objects.aggregate(
            number_of_video_previews=Count("pk", filter=Q(extension="mp4")),
            number_of_picture_previews=Count("pk", filter=Q(extension="png")),
            number_of_model_previews=Count("pk", filter=Q(extension="obj")),
        )
        return Response({**previews, "number_of_comments": Comment.objects.count()})


class ConfigView(PublicView):
    @extend_schema(tags=[INDEX_TAG], responses=ConfigSerializer, operation_id="config")
    def get(self, request):
        """What the web UI needs before login: login methods, defaults, bitrates, options."""

        config = {
            "is_self_hosted": setting("IS_SELF_HOSTED"),
            "crisp_token": setting("CRISP_TOKEN"),
            "dark_theme_by_default": get_organisation().dark_theme_by_default,
            "indexer_configured": setting("INDEXER_KEY") is not None,
            "saml_enabled": setting("SAML_ENABLED"),
            "saml_idp_name": setting("SAML_IDP_NAME"),
            "oidc_enabled": setting("OIDC_ENABLED"),
            "oidc_idp_name": setting("OIDC_IDP_NAME"),
            "default_locale": settings.DEFAULT_LOCALE,
            "default_timezone": settings.DEFAULT_TIMEZONE,
            "enforce_2fa": setting("ENFORCE_2FA"),
            "movie_highdef_bitrate": setting("MOVIE_HIGHDEF_BITRATE"),
            "movie_lowdef_bitrate": setting("MOVIE_LOWDEF_BITRATE"),
            "preview_accounts_enabled": setting("AUTH_STRATEGY") == "auth_local_classic",
        }
        if setting("SENTRY_KITSU_ENABLED"):
            config["sentry"] = {"dsn": setting("SENTRY_KITSU_DSN"), "sampleRate": setting("SENTRY_KITSU_SR")}
        return Response(config)


class ConfigCheckView(PublicView):
    @extend_schema(tags=["admin"], responses=ConfigCheckSerializer, operation_id="admin_config_check")
    def get(self, request):
        """For the operator (`Authorization: Bearer <ADMIN_TOKEN>`): each setting the reference keeps
        in Redis, its environment value and its stored one (none here), and the active accounts."""
        admin_token = setting("ADMIN_TOKEN")
        if not admin_token:
            raise NotFound  # the reference serves this route only when ADMIN_TOKEN is set
        header = request.headers.get("Authorization", "")
        sent = header[7:] if header.startswith("Bearer ") else ""
        if not sent or not hmac.compare_digest(sent.encode(), str(admin_token).encode()):
            raise PermissionDenied

        def compared(name_or_value, is_setting=True):
            return {"env": setting(name_or_value) if is_setting else name_or_value, "redis": None}

        try:
            active_users = Person.objects.filter(
                active=True, is_bot=False, is_guest=False, preview_project__isnull=True
            ).count()
        except DatabaseError:
            logger.warning("Config check could not count active users.", exc_info=True)
            active_users = None
        return Response(
            {
                "user_limit": compared("USER_LIMIT"),
                "default_timezone": compared(settings.DEFAULT_TIMEZONE, is_setting=False),
                "default_locale": compared(settings.DEFAULT_LOCALE, is_setting=False),
                "nomad_host": compared("JOB_QUEUE_NOMAD_HOST"),
                "nomad_normalize_job": compared("JOB_QUEUE_NOMAD_NORMALIZE_JOB"),
                "nomad_playlist_job": compared("JOB_QUEUE_NOMAD_PLAYLIST_JOB"),
                "nomad_tile_job": compared("JOB_QUEUE_NOMAD_TILE_JOB"),
                "active_users": active_users,
            }
        )
