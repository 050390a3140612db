"""Settings of the Kitsu-compatible server.

Everything a deployment changes comes from the environment, read here and
nowhere else (see the configuration table in README.md). With no environment
at all the server runs self-contained: SQLite file, Celery tasks run eagerly,
in-memory channel layer and cache, local file storage, emails on the console.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# The development key is public: `manage.py check --deploy` flags it
# (security.W009 demands 50+ characters and 5+ distinct ones; this one is
# prefixed "django-insecure-", which the check refuses too).
DEVELOPMENT_SECRET_KEY = "django-insecure-kitsu-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "kitsu_server.admin_site.BackOfficeConfig",  # django.contrib.admin with the back-office's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's assets, served locally: /api/docs works offline
    "channels",
    "kitsu_server.core",
    "kitsu_server.live",
    "people",
    "productions",
    "assets",
    "shots",
    "tasks",
    "files",
    "budgets",
    "exchange",
]

MIDDLEWARE = [
    # Outermost, so that it sees every answer: no body on a 204/304, JSON errors under /api.
    "kitsu_server.api.http.HttpRulesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kitsu_server.api.inputs.RefuseNulInURL",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost: it keeps the view's own answer for the retries of a write with an Idempotency-Key.
    "kitsu_server.core.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "kitsu_server.urls"
# Kitsu clients call routes both with and without the trailing slash; the URL
# patterns accept both, so no redirect must get in the way of a POST.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "kitsu_server.wsgi.application"
ASGI_APPLICATION = "kitsu_server.asgi.application"

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    # Under ASGI each request runs its view in a new thread, and Django's connections are
    # per thread: without a pool every request would open a PostgreSQL connection (~15 ms).
    # The psycopg pool hands one over in microseconds; Django wants CONN_MAX_AGE 0 with it.
    DATABASES["default"].update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "20")),
        "timeout": 30,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded default: one writer at a time, so wait for the
    # lock instead of failing, and keep readers going with the WAL journal.
    # Transactions take the write lock when they begin (IMMEDIATE): a deferred one
    # that reads then writes cannot wait for the lock and fails "database is locked"
    # at once when another writer holds it (two clients writing at the same time).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = ["people.auth.backends.EmailBackend"]
# Person.email is unique among non-bot persons only (a partial unique
# constraint, as in the reference), so Django's "USERNAME_FIELD must be
# unique" check downgrades to this warning; EmailBackend handles the lookup.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
# Passwords (performance, issue 14): Argon2 first, Django's recommendation (argon2-cffi), its
# CPU cost per hash near the reference's bcrypt at 12 rounds (~0.2 s here); a hash of another
# hasher listed still checks and is rehashed with Argon2 at the person's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

# --- Kitsu defaults (the reference's DEFAULT_TIMEZONE / DEFAULT_LOCALE) -----
DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Europe/Paris")
DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "en_US")
APP_NAME = "Zou"
APP_VERSION = "1.0.97"  # the reference version whose API this server speaks
DEMO_ADMIN_EMAIL = os.environ.get("DEMO_ADMIN_EMAIL", "admin@example.com")
DEMO_ADMIN_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "mysecretpassword")
# Accounts nobody deletes or changes the password of through the API (";"-separated, as the reference).
PROTECTED_ACCOUNTS = [
    item.strip() for item in os.environ.get("PROTECTED_ACCOUNTS", "").split(";") if item.strip()
]
# What /api/config tells the web UI (the reference's names and defaults).
IS_SELF_HOSTED = env_bool("IS_SELF_HOSTED", True)
CRISP_TOKEN = os.environ.get("CRISP_TOKEN", "")
ENFORCE_2FA = env_bool("ENFORCE_2FA", False)
USER_LIMIT = int(os.environ.get("USER_LIMIT", "100"))
MOVIE_HIGHDEF_BITRATE = int(os.environ.get("MOVIE_HIGHDEF_BITRATE", "28"))
MOVIE_LOWDEF_BITRATE = int(os.environ.get("MOVIE_LOWDEF_BITRATE", "6"))
# The operator's token for /api/admin/config/check (the route answers 404 while unset).
ADMIN_TOKEN = os.environ.get("ADMIN_TOKEN", "")

# --- Notifications out and single sign-on (issue 19: tasks/outbox, people/sso) -------
# Links in mails and chat messages, and the SSO redirects, point at the web UI on this host
# (the reference's names; unset: password reset links use the request's host, the rest
# http://localhost:8080 as the reference's defaults).
DOMAIN_NAME = os.environ.get("DOMAIN_NAME", "")
DOMAIN_PROTOCOL = os.environ.get("DOMAIN_PROTOCOL", "")
# 0: a mail per notification; N: one digest mail per person at most every N minutes.
NOTIFICATION_MAIL_DIGEST_MINUTES = int(os.environ.get("NOTIFICATION_MAIL_DIGEST_MINUTES", "0"))
# The chat services' APIs (the organisation holds the tokens; tests point these at local servers).
SLACK_API_URL = os.environ.get("SLACK_API_URL", "https://slack.com/api")
DISCORD_API_URL = os.environ.get("DISCORD_API_URL", "https://discord.com/api/v10")
# Finds Discord users by name (the reference's way) when a person's Discord id is not numeric.
DISCORD_GUILD_ID = os.environ.get("DISCORD_GUILD_ID", "")
# Single sign-on, each off until configured (the reference's names and defaults). Persons an
# identity provider signs in for the first time, with no account of their email, get this role.
SSO_DEFAULT_ROLE = os.environ.get("SSO_DEFAULT_ROLE", "user")
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_IDP_NAME = os.environ.get("OIDC_IDP_NAME", "")
OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
OIDC_GIVEN_NAME_CLAIM = os.environ.get("OIDC_GIVEN_NAME_CLAIM", "given_name")
OIDC_FAMILY_NAME_CLAIM = os.environ.get("OIDC_FAMILY_NAME_CLAIM", "family_name")
OIDC_REQUIRE_EMAIL_VERIFIED = env_bool("OIDC_REQUIRE_EMAIL_VERIFIED", True)
OIDC_SKIP_2FA = env_bool("OIDC_SKIP_2FA", False)
SAML_ENABLED = env_bool("SAML_ENABLED", False)
SAML_IDP_NAME = os.environ.get("SAML_IDP_NAME", "")
SAML_METADATA_URL = os.environ.get("SAML_METADATA_URL", "")
SAML_SKIP_2FA = env_bool("SAML_SKIP_2FA", False)
# The assertion attribute holding the provider's stable user id (unset: persons found by email).
SAML_SUBJECT_ATTRIBUTE = os.environ.get("SAML_SUBJECT_ATTRIBUTE", "")
# Accept responses the provider sends unasked (IdP-initiated sign-in; the reference does): they
# then have no request to answer, only their signature, validity and one-time use.
SAML_ALLOW_UNSOLICITED = env_bool("SAML_ALLOW_UNSOLICITED", False)

# --- I18N / time ------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
try:  # WhiteNoise serves from it and warns when it is missing (before any collectstatic)
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
# Previews, thumbnails and attachments: a local folder by default.
PREVIEW_FOLDER = Path(os.environ.get("PREVIEW_FOLDER", BASE_DIR / "var" / "previews"))
MEDIA_ROOT = PREVIEW_FOLDER
MEDIA_URL = "media/"
# Request bodies beyond these get a 413 before they are read (kitsu_server.api.http): any body,
# uploads included (the reference's MAX_CONTENT_LENGTH and its default; 0: no limit)...
MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 10 * 1024**3)) or None
# ...and a body that is no multipart upload (JSON, forms), since it is read into memory whole
# (also Django's cap on the non-file fields of an upload; 0: no limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_DATA_SIZE", 10 * 1024**2)) or None
# Idempotency-Key on writes (kitsu_server.core.idempotency): how long a key's answer is kept,
# how many answers a person keeps (oldest removed first), the largest answer kept whole, how long
# a retry waits for the request of its key still running, and when a claim is taken to be dead.
IDEMPOTENCY_KEY_TTL = int(os.environ.get("IDEMPOTENCY_KEY_TTL", 24 * 3600))
IDEMPOTENCY_MAX_KEYS = max(int(os.environ.get("IDEMPOTENCY_MAX_KEYS", 10_000)), 1)
IDEMPOTENCY_MAX_BODY = int(os.environ.get("IDEMPOTENCY_MAX_BODY", 1024**2))
IDEMPOTENCY_WAIT = float(os.environ.get("IDEMPOTENCY_WAIT", 10))
IDEMPOTENCY_CLAIM_TIMEOUT = int(os.environ.get("IDEMPOTENCY_CLAIM_TIMEOUT", 600))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# Serve the admin's assets straight from the apps' static folders when no
# collectstatic has run (make run, tests); `make serve` collects them first.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Preview media (files.media): storage, uploads, pictures, movies ---------
# Where previews, thumbnails and attachments are stored: "local" (PREVIEW_FOLDER) or "s3"
# (S3-compatible object storage through django-storages, in one bucket, same key layout).
PREVIEW_STORAGE = os.environ.get("PREVIEW_STORAGE", "local").strip().lower()
if PREVIEW_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "kitsu"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": False,
            "max_memory_size": 8 * 1024**2,  # what a read spools in memory before a temporary file
        },
    }
elif PREVIEW_STORAGE != "local":
    raise ImproperlyConfigured("PREVIEW_STORAGE is 'local' or 's3'.")
# Every upload is written to a temporary file as it arrives, never held whole in memory.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_TEMP_DIR = os.environ.get("UPLOAD_TEMP_FOLDER") or None
# (The size limit of uploads is MAX_CONTENT_LENGTH above: a 413 before the body is read.)
# Pictures of more pixels are refused before being decoded (decompression bombs).
MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", 20000 * 20000))
# ffmpeg: a path, or empty for the system's `ffmpeg` when on PATH, else imageio-ffmpeg's binary.
FFMPEG_BINARY = os.environ.get("FFMPEG_BINARY", "")
FFMPEG_THREADS = int(os.environ.get("FFMPEG_THREADS", "0"))  # 0: ffmpeg decides
FFMPEG_PRESET = os.environ.get("FFMPEG_PRESET", "medium")
# Downloads: browser cache lifetime (private), and nginx's X-Accel-Redirect for local files
# (e.g. "/protected-previews/", an internal location aliased to PREVIEW_FOLDER; empty: off).
CLIENT_CACHE_MAX_AGE = int(os.environ.get("CLIENT_CACHE_MAX_AGE", "604800"))
PREVIEW_X_ACCEL_PREFIX = os.environ.get("PREVIEW_X_ACCEL_PREFIX", "")

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kitsu@localhost")

# --- Redis: Celery, cache, channel layer ------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged once done, so a worker killed mid-task leaves it to
# be run again by the next worker: tasks are written to be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# `celery -A kitsu_server beat`: the trash's daily sweep (items past TRASH_RETENTION_DAYS purged,
# tombstones past TRASH_TOMBSTONE_DAYS dropped).
CELERY_BEAT_SCHEDULE = {
    "trash-sweep": {"task": "kitsu_server.trash_sweep", "schedule": 24 * 3600.0},
}

# --- Live events and webhooks (kitsu_server.live) ------------------------------
# The live log (a Redis stream with REDIS_URL, else this process's memory) keeps this many seconds
# of events: a client reconnecting within them resumes, later it is told to reload.
LIVE_EVENTS_RETENTION = int(os.environ.get("LIVE_EVENTS_RETENTION", "3600"))
LIVE_EVENTS_STREAM_KEY = os.environ.get("LIVE_EVENTS_STREAM_KEY", "kitsu:live:events")
# Browser origins allowed to open /socket.io from another origin (empty: same origin only).
LIVE_ALLOWED_ORIGINS = env_list("LIVE_ALLOWED_ORIGINS", [])
# Outgoing webhooks: request timeout, retries of a failing receiver (exponential backoff).
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
# Webhooks go to public addresses only (no loopback, private network or cloud metadata service)
# unless this is on: for receivers on the studio's own network.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES")
WEBHOOK_MAX_RETRIES = int(os.environ.get("WEBHOOK_MAX_RETRIES", "12"))
WEBHOOK_BACKOFF = float(os.environ.get("WEBHOOK_BACKOFF", "2"))
WEBHOOK_BACKOFF_MAX = float(os.environ.get("WEBHOOK_BACKOFF_MAX", "600"))

# --- REST framework ---------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Bearer JWT (or the reference's `access_token_cookie`), refusing revoked tokens and inactive persons.
    "DEFAULT_AUTHENTICATION_CLASSES": ["people.auth.authentication.KitsuJWTAuthentication"],
    # Failed logins per client address (people.auth.authentication.LoginFailures), at the API's
    # login and the back-office's alike; the per-account lockout of the reference (5
    # failures, then 1 minute) is on the person row, shared by both doors too.
    "DEFAULT_THROTTLE_RATES": {"login_failures": os.environ.get("LOGIN_FAILURES_RATE", "30/hour")},
    "DEFAULT_PERMISSION_CLASSES": ["kitsu_server.api.permissions.IsActivePerson"],
    "DEFAULT_RENDERER_CLASSES": ["kitsu_server.api.renderers.KitsuJSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "kitsu_server.api.renderers.FallbackContentNegotiation",
    # JSON through orjson with a nesting limit (kitsu_server.api.inputs): never a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "kitsu_server.api.inputs.KitsuJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "kitsu_server.api.errors.kitsu_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Tokens as the reference issues them (flask-jwt-extended defaults and Zou's config):
# HS256 signed with SECRET_KEY, `sub` = person id, `type` = access|refresh.
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(days=7),
    "REFRESH_TOKEN_LIFETIME": datetime.timedelta(days=15),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    "TOKEN_TYPE_CLAIM": "type",
    "JTI_CLAIM": "jti",
    "AUTH_TOKEN_CLASSES": ("people.auth.authentication.KitsuAccessToken",),
    "UPDATE_LAST_LOGIN": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kitsu API (Django)",
    "DESCRIPTION": "The Kitsu production tracker API, compatible with Zou and gazu.",
    "VERSION": APP_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from swagger.io's online validator: the page needs no network.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "PREPROCESSING_HOOKS": ["kitsu_server.openapi.one_entry_per_route"],
    # drf-spectacular's enum naming, then the Idempotency-Key of every write.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kitsu_server.openapi.idempotency_key_header",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EntityStatusEnum": "assets.models.ENTITY_STATUSES",
        "PreviewFileStatusEnum": "files.models.PREVIEW_FILE_STATUSES",
        "BuildJobStatusEnum": "files.models.BUILD_JOB_STATUSES",
        "JobStateEnum": "kitsu_server.core.models.JOB_STATES",
        "TrashItemStateEnum": "kitsu_server.core.trash_models.TRASH_STATES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG and SECRET_KEY != DEVELOPMENT_SECRET_KEY:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)

if SECRET_KEY == DEVELOPMENT_SECRET_KEY and env_bool("REQUIRE_SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment (REQUIRE_SECRET_KEY is on).")

# --- Working files (files.working) -------------------------------------------
# The binaries of working files (/data/working-files/{id}/file), in the named storage
# "working_files": a local folder by default.
WORKING_FILE_FOLDER = Path(os.environ.get("WORKING_FILE_FOLDER", BASE_DIR / "var" / "working-files"))
# The largest working file accepted, in bytes (a 413 beyond it; 0: no limit but MAX_CONTENT_LENGTH).
WORKING_FILE_MAX_SIZE = int(os.environ.get("WORKING_FILE_MAX_SIZE", 5 * 1024**3)) or None
STORAGES["working_files"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": WORKING_FILE_FOLDER},
}

# --- Safety nets: the trash and delta reads ----------------------------------------------------
# A deletion stays restorable this many days (then a job purges it); its removed rows stay
# tombstones for delta reads (`?updated_since=`) until TRASH_TOMBSTONE_DAYS after the deletion.
TRASH_RETENTION_DAYS = int(os.environ.get("TRASH_RETENTION_DAYS", "30"))
TRASH_TOMBSTONE_DAYS = int(os.environ.get("TRASH_TOMBSTONE_DAYS", "90"))
# A delta read's next cursor is taken this much before the moment every write is committed: it
# covers a row stamped just before its transaction's first statement (kitsu_server.core.delta).
DELTA_READ_MARGIN_SECONDS = float(os.environ.get("DELTA_READ_MARGIN_SECONDS", "2"))
