"""Settings shared by every environment, read from the environment.

Variables: DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS,
EMAIL_URL, CACHE_URL. With none set the app runs on SQLite with an eager Celery.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def email_settings(url: str) -> dict:
    """Translate EMAIL_URL (console://, smtp://user:pass@host:port, smtp+tls://...) into settings."""
    parsed = urlparse(url)
    if parsed.scheme in {"", "console"}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ValueError(f"EMAIL_URL scheme {parsed.scheme!r} is not supported")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or 25,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parsed.scheme == "smtp+ssl",
    }


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "itp_trial.apps.StudyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "itp_trial.apps.ItpTrialConfig",
    "audit",
    "casebook",
    "patients",
    "visits",
    "dosing",
    "safety",
    "review",
    "inbox",
    "monitoring",
    "reports",
    "drafts",
    "api",
]

MIDDLEWARE = [
    "itp_trial.health.HealthCheckMiddleware",  # /healthz for the orchestrator, before host checks and redirects
    "django.middleware.security.SecurityMiddleware",
    "itp_trial.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "itp_trial.hostile.HostileInputMiddleware",  # NUL bytes: 400 before anything reaches the database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the user's language: cookie, else the browser's Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "drafts.idle.IdleSessionMiddleware",  # after the CSRF check, before the login requirement
    "drafts.middleware.DraftRestoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "itp_trial.urls"
WSGI_APPLICATION = "itp_trial.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "itp_trial.context_processors.roles",
                "drafts.context_processors.idle",
                "drafts.context_processors.restored_draft",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiles the study's aggregate queries for longer (~150 ms) than they take to run (~1 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "patients:list"
LOGOUT_REDIRECT_URL = "login"

# ---- Sessions: inactivity timeout, drafts, CSRF failures (drafts/idle.py, drafts/) ----------------------
# Signed out on the server after SESSION_IDLE_TIMEOUT_MINUTES without a request; pages warn
# SESSION_IDLE_WARNING seconds before. A form posted after that is kept as a draft for DRAFT_MAX_AGE seconds.
SESSION_IDLE_TIMEOUT = float(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_IDLE_WARNING = float(os.environ.get("SESSION_IDLE_WARNING_SECONDS", "60"))
DRAFT_MAX_AGE = int(os.environ.get("DRAFT_MAX_AGE_HOURS", "24")) * 3600
# The cookie outlives the inactivity timeout (it is renewed while the user is active); the server decides.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE_HOURS", "12")) * 3600
CSRF_FAILURE_VIEW = "itp_trial.errors.csrf_failure"
# ---- end sessions ------------------------------------------------------------------------------------------

# The site's own language is 简体中文; English beside it. Messages are in locale/ (make messages; compiled by make).
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch's cookie outlives the session: the login page keeps the last choice made in this browser;
# a signed-in user's own choice (accounts.Preference) replaces it at every sign-in.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The study site's zone (Datong, Shanxi): "today" everywhere is the date there (itp_trial/clock.py); stored
# timestamps stay UTC and pages show them in this zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# ISO dates (YYYY-MM-DD) on every page and in every form, whatever the language (itp_trial/formats/).
FORMAT_MODULE_PATH = ["itp_trial.formats"]
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
FORM_RENDERER = "itp_trial.forms.StudyFormRenderer"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Reasons for change are kept whole (forms allow 250 characters; the library's default column holds 100).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The explicit tuple of the study's record types, read by the casebook write path and shared machinery.
CASEBOOK_RECORD_TYPES = "itp_trial.casebook.RECORD_TYPES"
# What must be settled before a signature (casebook.signing_checks): no open data query on what it locks.
CASEBOOK_SIGNING_CHECKS = ("monitoring.signing.open_queries_problems",)
# Who receives what a write asks people to do (casebook.notices): the inbox raises them as reminders.
CASEBOOK_NOTICES = "inbox.services.reminders_from_notices"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Each user's permissions are read once and kept until a role changes (itp_trial.permission_cache: the
# authentication backends below), in Redis when there is one (CACHE_URL, else the broker's), so every worker sees
# the same entries; in process otherwise.
_CACHE_URL = os.environ.get("CACHE_URL", os.environ.get("CELERY_BROKER_URL", ""))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "permissions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL,
                    "KEY_PREFIX": "itp", "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1}}
    if _CACHE_URL.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "permissions"},
}

# Celery: Redis in every real setting; eager (in-process) when no broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that vanishes without closing the connection (failover, NAT, a hung server) must not freeze the
# worker or beat: blocking commands time out, and the worker's BRPOP connection is checked and replaced.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 10, "socket_connect_timeout": 5, "socket_keepalive": True,
                                   "health_check_interval": 10}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# ---- Reminders, outbox and beat (inbox/) -------------------------------------------------------------
# The daily reminder scan (inbox.tasks) at REMINDER_SCAN_HOUR; REMINDER_SCAN_EVERY (seconds) replaces the
# daily time with a fixed interval (the stack test uses a few seconds). Beat also drains the outbox every
# OUTBOX_DRAIN_EVERY seconds, so nothing waits for a broker that was down when a record was saved.
REMINDER_SCAN_EVERY = float(os.environ.get("REMINDER_SCAN_EVERY", "0") or 0)
OUTBOX_DRAIN_EVERY = float(os.environ.get("OUTBOX_DRAIN_EVERY", "60") or 60)
CELERY_BEAT_SCHEDULE = {
    "scan-reminders-daily": {
        "task": "inbox.scan_reminders",
        "schedule": REMINDER_SCAN_EVERY or crontab(hour=int(os.environ.get("REMINDER_SCAN_HOUR", "6")), minute=0),
    },
    "drain-outbox": {"task": "inbox.drain_outbox", "schedule": OUTBOX_DRAIN_EVERY},
    # Automatic data queries: raised and closed from the rules (monitoring.automatic), idempotently.
    "scan-queries": {"task": "monitoring.scan_queries",
                     "schedule": float(os.environ.get("QUERY_SCAN_EVERY", "600"))},
}
# A request only nudges the worker after commit (the outbox row is the record of what is to be sent): the
# nudge gives up after OUTBOX_KICK_TIMEOUT seconds and is not tried again for OUTBOX_KICK_BACKOFF seconds
# after a failure, so a broker that is down or hung never fails or holds up a save.
OUTBOX_KICK_TIMEOUT = float(os.environ.get("OUTBOX_KICK_TIMEOUT", "0.5"))
OUTBOX_KICK_BACKOFF = float(os.environ.get("OUTBOX_KICK_BACKOFF", "30"))
# /healthz gives the broker this long to answer a ping.
HEALTH_BROKER_TIMEOUT = float(os.environ.get("HEALTH_BROKER_TIMEOUT", "1"))
# ---- end reminders, outbox and beat -----------------------------------------------------------------------

globals().update(email_settings(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "itp-trial@localhost")
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))  # an SMTP server that hangs does not hang the worker

# The account that owns imported records when import_study gets no --user.
IMPORT_USERNAME = "study-import"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The study report PDF: WeasyPrint logs every layout step and fontTools every subset at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# ---- Content-Security-Policy (itp_trial/csp.py), every environment: no inline script or style anywhere ----
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # Bootstrap's icons are data: SVGs in its stylesheet
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# ---- end Content-Security-Policy --------------------------------------------------------------------------

# ---- REST API (api/) -----------------------------------------------------------------------------------
# Personal tokens or the session; the role matrix decides; JSON only; rates per user and per anonymous address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication",
                                       "api.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserRateThrottle", "api.throttling.AnonRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_THROTTLE_RATES = {"user": os.environ.get("API_THROTTLE_USER", "600/minute"),
                      "anon": os.environ.get("API_THROTTLE_ANON", "30/minute")}
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "10"))  # wrong tokens per address ...
API_TOKEN_FAILURE_WINDOW = int(os.environ.get("API_TOKEN_FAILURE_WINDOW", "900"))  # ... within these seconds
SPECTACULAR_SETTINGS = {
    "TITLE": "ITP sirolimus trial API",
    "DESCRIPTION": "Read the study's records, enter and correct what a nurse enters, pull the study report. "
                   "Authenticate with a personal token (Authorization: Bearer ...) or the web session.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {"HistoryActionEnum": "api.serializers.HISTORY_ACTIONS",
                            "AdverseEventActionEnum": "safety.models.Action"},
    "DISABLE_ERRORS_AND_WARNINGS": False,
}
# ---- end REST API -----------------------------------------------------------------------------------------

# Response criteria: "study" (the paper: CR > 100, R > 30) or "iwg" (>= 100, >= 30).
RESPONSE_CRITERIA = os.environ.get("RESPONSE_CRITERIA", "study")

# ---- Sign-in lockout, sign-in log and account management (accounts/) --------------------------------------
# django-axes counts failed sign-ins (login page, admin login, the signature's password) per user and per address:
# after LOGIN_FAILURE_LIMIT failures either is locked for LOGIN_COOLOFF_MINUTES, and every attempt while locked
# starts the wait again. Failures and sign-ins are kept (axes' AccessFailureLog and AccessLog) for the data
# managers' sign-in page.
INSTALLED_APPS += ["axes", "accounts"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutBackend", "itp_trial.permission_cache.CachedPermissionsBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
SIGN_IN_ADDRESS_FROM_PROXY = False  # production behind its proxy: the address the proxy appended
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # failures and lockouts, not every check
# A one-time password link issued by a data manager is valid this long.
PASSWORD_LINK_HOURS = float(os.environ.get("PASSWORD_LINK_HOURS", "24"))
# ---- end sign-in lockout and accounts ---------------------------------------------------------------------
