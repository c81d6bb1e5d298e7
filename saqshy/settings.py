"""Saqshy settings: everything comes from the environment, SQLite by default.

Production-safe when ``DEBUG`` is off: a ``SECRET_KEY`` is required, cookies are secure and
``ALLOWED_HOSTS`` must be set. See docs/deployment.md for every variable.
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from saqshy.core import logs

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (make demo and make test set DEBUG=true)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where run-time files live (tiles cache, imported basemaps); never inside the package.
VAR_DIR = Path(os.environ.get("SAQSHY_VAR_DIR", BASE_DIR / "var"))
# Uploaded evidence (inspection photos); served only through views that check scope.
MEDIA_ROOT = Path(os.environ.get("SAQSHY_MEDIA_ROOT", VAR_DIR / "media"))
# The committed demo bundle derived from open data (see data/ATTRIBUTION.md).
DATA_DIR = Path(os.environ.get("SAQSHY_DATA_DIR", BASE_DIR / "data"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "saqshy.core",
    "saqshy.accounts",
    "saqshy.facilities",
    "saqshy.inspections",
    "saqshy.equipment",
    "saqshy.pyrotechnics",
    "saqshy.gatherings",
    "saqshy.incidents",
    "saqshy.forecasts",
    "saqshy.prevention",
    "saqshy.duty",
    "saqshy.trips",
    "saqshy.geocoding",
    "saqshy.ingest",
    "saqshy.alarms",
    "saqshy.lifelines",
    "saqshy.roads",
    "saqshy.winter",
    "saqshy.alerts",
    "saqshy.outreach",
    "saqshy.weather",
    "saqshy.cameras",
    "saqshy.protection",
    "saqshy.indicators",
    "saqshy.actionplan",
    "saqshy.reports",
    "saqshy.situation",
    "saqshy.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "saqshy.core.middleware.RequestIdMiddleware",
    "saqshy.core.middleware.ExerciseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "saqshy.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "saqshy.core.middleware.InputEdgeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the flag the axes backend sets on a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saqshy.urls"
ASGI_APPLICATION = "saqshy.asgi.application"
WSGI_APPLICATION = "saqshy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "saqshy" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "saqshy.core.context_processors.navigation",
                "saqshy.accounts.context_processors.region_switch",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'saqshy.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# DB_POOL_SIZE: a pool of at most that many PostgreSQL connections per process (psycopg's
# pool). Under ASGI every request and every live socket runs its database work in a thread of
# its own, each with its own connection: without a pool (and worse with DB_CONN_MAX_AGE, kept
# per thread) a burst opens more than PostgreSQL's max_connections and requests fail; with
# it they wait (up to DB_POOL_TIMEOUT s) for a free connection. Excludes DB_CONN_MAX_AGE.
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "0"))
if DB_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_SIZE,
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
    # With the pool, Django checks each connection as it leaves the pool: after a PostgreSQL
    # restart the broken ones are replaced instead of failing one request each.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the live map read while a worker writes; the busy timeout absorbs short locks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
# The role's start page (Role.home_page), else the map.
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "login"

# The axes backend comes first: it refuses every sign-in (page, admin, API token) while the
# username is locked out, before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "saqshy.core.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in lock-out (django-axes): this many failures for one username within the window lock
# that username for the window, whatever the password; a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("SAQSHY_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SAQSHY_LOGIN_LOCKOUT_MINUTES", "15")))
# By username, not address: a whole police station or control room signs in from one NAT
# address, and locking that would lock everyone; guessing one account from many is still capped.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "saqshy.core.security.lockout_response"
AXES_VERBOSE = False

# API tokens (django-rest-knox): only a hash is stored; each expires after this many hours
# without use (every use extends it) and is revoked by /api/auth/logout/ and /logoutall/.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=float(os.environ.get("SAQSHY_TOKEN_TTL_HOURS", "12"))),
    "AUTO_REFRESH": True,
    "AUTH_HEADER_PREFIX": "Token",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "saqshy" / "locale"]
# dd.mm.yyyy and 24-hour times in kk, ru and en (saqshy/core/formats).
FORMAT_MODULE_PATH = ["saqshy.core.formats"]
FORM_RENDERER = "saqshy.core.forms.Renderer"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "saqshy" / "static",
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/protomaps-leaflet", NODE_MODULES / "protomaps-leaflet" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# WhiteNoise streams static files with a synchronous iterator; under ASGI Django wraps it and
# warns once per file. The files are small and a proxy serves them in production.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

# In debug, serve straight from the app and vendor folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "saqshy")
# How pushes travel through Redis: "pubsub" (publish/subscribe, one copy of a push per web
# process: saqshy.core.channel_layer) or "lists" (channels_redis' list per open socket, the
# former layer, kept to measure against: benchmarks/fan_out.py).
CHANNEL_LAYER_BACKENDS = {
    "pubsub": "saqshy.core.channel_layer.PubSubChannelLayer",
    "lists": "channels_redis.core.RedisChannelLayer",
}
SAQSHY_CHANNEL_LAYER = os.environ.get("SAQSHY_CHANNEL_LAYER", "pubsub")
if SAQSHY_CHANNEL_LAYER not in CHANNEL_LAYER_BACKENDS:
    raise ImproperlyConfigured(
        f"SAQSHY_CHANNEL_LAYER={SAQSHY_CHANNEL_LAYER!r}: "
        f"use one of {sorted(CHANNEL_LAYER_BACKENDS)}"
    )
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": CHANNEL_LAYER_BACKENDS[SAQSHY_CHANNEL_LAYER],
            # redis-py's asyncio pool allows 100 connections per process by default and then
            # refuses (MaxConnectionsError): hundreds of maps reconnecting at once after a
            # restart each join their groups, and the refused ones reconnect again.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": int(os.environ.get("REDIS_MAX_CONNECTIONS", "1000")),
                    }
                ],
                "prefix": REDIS_PREFIX,
            },
        }
    }
    # Django's cache (readiness banners, region boundaries) is shared by every process, so a
    # change dropped in one is dropped in all; a miss, not an error, while Redis is away.
    CACHES = {
        "default": {
            "BACKEND": "saqshy.core.cache.SharedCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{REDIS_PREFIX}:cache",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# The situation map draws up to this many venues or events of a layer; a larger scope (the
# whole country) shows counts per grid cell until the view holds fewer.
SAQSHY_MAP_POINTS_LIMIT = int(os.environ.get("SAQSHY_MAP_POINTS_LIMIT", "2000"))
# While a layer shows counts per cell, a change that only moves or restyles one of its places
# (a unit's position or status) asks the numbers again at most this often; a place added or
# removed asks them at once.
SAQSHY_MAP_COUNTS_REFRESH_SECONDS = float(os.environ.get("SAQSHY_MAP_COUNTS_REFRESH_SECONDS", "60"))
# An API list counts its rows up to this many (or to the end of the page asked for); past it,
# ``count`` is a lower bound and ``count_exact`` false (saqshy/core/api/pagination.py). Keep it
# above SAQSHY_MAP_POINTS_LIMIT: the map compares a layer's count with that.
SAQSHY_API_COUNT_LIMIT = max(
    int(os.environ.get("SAQSHY_API_COUNT_LIMIT", "10000")), SAQSHY_MAP_POINTS_LIMIT + 1
)
# GETs answered again from a web process's memory while no table they read has changed, for
# at most this many seconds (saqshy.core.readcache; 0: off). The table versions live in Redis,
# so it is on only with REDIS_URL. STALE: reuse an answer this long even after its tables
# changed (a bounded lag under a storm of writes; a user still reads their own writes).
SAQSHY_READ_CACHE_SECONDS = float(
    os.environ.get("SAQSHY_READ_CACHE_SECONDS", "15" if REDIS_URL else "0")
)
SAQSHY_READ_CACHE_STALE_SECONDS = float(os.environ.get("SAQSHY_READ_CACHE_STALE_SECONDS", "0"))
SAQSHY_READ_CACHE_MB = float(os.environ.get("SAQSHY_READ_CACHE_MB", "64"))
# Threads per web process answering plain HTTP (saqshy/asgi.py); each holds a database
# connection while it answers, so keep it below DB_POOL_SIZE.
SAQSHY_HTTP_THREADS = int(os.environ.get("SAQSHY_HTTP_THREADS", "8"))
# An open live socket re-checks its user's account, grants and session at least this often
# (and at once when they change); the tests shorten it.
SAQSHY_LIVE_RECHECK_SECONDS = float(os.environ.get("SAQSHY_LIVE_RECHECK_SECONDS", "60"))
# Unit positions are pushed in batches: per web process, one message per region this often
# (0: each fix at once). See saqshy.core.realtime.
SAQSHY_LIVE_COALESCE_SECONDS = float(os.environ.get("SAQSHY_LIVE_COALESCE_SECONDS", "1"))

# Device ingest (saqshy.ingest, docs/ingest.md). `manage.py ingest_mqtt` consumes the broker at
# MQTT_URL (mqtt://user:password@host:port, mqtts:// for TLS); publishers (simulator,
# benchmark) use INGEST_TRANSPORT: mqtt, falling back to direct (in-process) without a broker.
MQTT_URL = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")
INGEST_TRANSPORT = os.environ.get("INGEST_TRANSPORT", "mqtt")
# A failing handler is retried this often before its message is marked failed; a claim older
# than INGEST_RECLAIM_SECONDS without a result is taken back (its worker stopped).
INGEST_HANDLER_ATTEMPTS = int(os.environ.get("INGEST_HANDLER_ATTEMPTS", "5"))
# Pause before a failed message is tried again, doubled per attempt (2, 4, 8, 16 s).
INGEST_RETRY_SECONDS = float(os.environ.get("INGEST_RETRY_SECONDS", "2"))
INGEST_RECLAIM_SECONDS = float(os.environ.get("INGEST_RECLAIM_SECONDS", "60"))
INGEST_MESSAGE_RETENTION_DAYS = int(os.environ.get("INGEST_MESSAGE_RETENTION_DAYS", "90"))
INGEST_READING_RETENTION_DAYS = int(os.environ.get("INGEST_READING_RETENTION_DAYS", "400"))

# Background work (roster planning and other long jobs): Django's Tasks API (the django-tasks
# backport) with its database queue, run by `manage.py db_worker` processes (make demo starts
# one). SAQSHY_TASKS_BACKEND=immediate runs each task inline where it is enqueued.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("SAQSHY_TASKS_BACKEND", "database")]
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "saqshy.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["saqshy.core.api.permissions.ScopedActionPermission"],
    "DEFAULT_PARSER_CLASSES": [
        "saqshy.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "saqshy.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "saqshy.core.api.exceptions.handle",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Saqshy API",
    "DESCRIPTION": (
        "Operations platform for holiday periods and mass events. Authenticate with "
        "`POST /api/auth/token/` (username and password) and send `Authorization: Token "
        "<token>`; a token expires after hours without use and `POST /api/auth/logout/` "
        "(this token) or `/api/auth/logoutall/` (all of yours) revokes it. Every list is "
        "paginated as {count, next, previous, results} and filtered to what your grants allow."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Each app names its enums in its AppConfig declaration (saqshy/core/registry.py).
    "ENUM_NAME_OVERRIDES": {},
    # Swagger UI from our own static files: the docs must work with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Show the demo logins on the sign-in page (make demo sets it; never in production).
SAQSHY_DEMO_HINT = env_bool("SAQSHY_DEMO_HINT")

# Routing: a point farther than this from any road cannot be routed (HTTP 422).
SAQSHY_SNAP_MAX_M = float(os.environ.get("SAQSHY_SNAP_MAX_M", "500"))

# Map defaults: the demo city.
SAQSHY_DEFAULT_REGION = os.environ.get("SAQSHY_DEFAULT_REGION", "astana")

# Home fire alarms: how a household is called back after its alarm (a dotted path to a class
# with ``send(to, text)``; a real SMS or voice gateway is configured here) and the incident
# type an alarm opens (its needs and priority are data on the type).
ALARM_CALLBACK_TRANSPORT = os.environ.get(
    "ALARM_CALLBACK_TRANSPORT", "saqshy.alarms.callback.LogTransport"
)
ALARM_INCIDENT_TYPE = os.environ.get("ALARM_INCIDENT_TYPE", "home_fire_alarm")

# Patrol stops are named by the offline geocoder when a plan is made (saqshy/duty/addresses.py).
DUTY_DESCRIBE_POINT = "saqshy.geocoding.queries.describe_point"

# Key of the audit chain's HMAC and of published heads; keep it out of the database's reach.
# Empty: derived from SECRET_KEY (fine for a demo; then whoever has SECRET_KEY can re-chain).
SAQSHY_AUDIT_KEY = os.environ.get("SAQSHY_AUDIT_KEY", "")

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline,
# never eval; styles may be inline (Leaflet and Chart.js set element styles). Data for scripts
# travels in json_script blocks (type application/json, not executed) and data- attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
# SAQSHY_TLS says the site is reached over HTTPS (at Django or at a proxy): browsers are then
# told to use HTTPS only (HSTS). A proxy's scheme header is trusted only when named, because
# any client can send X-Forwarded-Proto to a server that is not behind that proxy.
SAQSHY_TLS = env_bool("SAQSHY_TLS")
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600) if SAQSHY_TLS else "0")
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
_PROXY_SSL_HEADER = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"),
        "https",
    )

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

# LOG_FORMAT=json: one JSON object per line with the request id (saqshy.core.logs); the
# production layout sets it. SAQSHY_REQUEST_LOG=true logs every request (method, path, status,
# duration, user) on the logger saqshy.request.
LOGGING = {
    **logs.configuration(os.environ.get("LOG_LEVEL", "INFO"), os.environ.get("LOG_FORMAT", "text")),
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Every sign-in would print four lines; lock-outs (warnings) still show.
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}
SAQSHY_REQUEST_LOG = env_bool("SAQSHY_REQUEST_LOG", False)
