"""Accord's only settings module: every value comes from the environment.

docs/CONFIGURATION.md documents each variable; .env.example lists them with examples.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from accord.lib.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    env_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("ACCORD_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "SECRET_KEY is not set. With DEBUG off Accord needs a long random SECRET_KEY; "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ConfigError(
        "ALLOWED_HOSTS is not set. With DEBUG off list the host names Accord answers to, "
        "comma-separated, e.g. ALLOWED_HOSTS=accord.example.com"
    )

SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")
HTTPS = urlsplit(SITE_URL).scheme == "https"
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "accord.people",
    "accord.workspaces",
    "accord.audit",
    "accord.requisitions",
    "accord.briefs",
    "accord.skills",
    "accord.candidates",
    "accord.pipeline",
    "accord.matching",
    "accord.reviews",
    "accord.nudges",
    "accord.reports",
    "accord.partnerships",
    "accord.analytics",
    "accord.dashboard",
    "accord.demo",
    "accord",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accord.people.middleware.TimeZoneMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accord.urls"
FORM_RENDERER = "accord.lib.forms.FormRenderer"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.workspaces.context_processors.workspace",
            ],
        },
    },
]

# Database: embedded SQLite by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'accord.sqlite3'}")
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except ValueError as error:
    raise ConfigError(f"DATABASE_URL is malformed ({error}).") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    if _database["NAME"] and _database["NAME"] != ":memory:":
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        # WAL lets readers proceed while the worker writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _database["ENGINE"] != "django.db.backends.postgresql":
    raise ConfigError(
        f"DATABASE_URL={DATABASE_URL!r}: Accord supports sqlite:/// and postgres:// URLs only."
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "people:login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", 24, minimum=1) * 3600
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 7, minimum=1)
# Links that let a hiring manager fill and sign a brief without a password.
BRIEF_LINK_TTL_DAYS = env_int("BRIEF_LINK_TTL_DAYS", 14, minimum=1)
# Expected time to fill when the workspace has no similar filled roles yet: the upper end of
# SHRM's reported average (36–44 days); see docs/CONFIGURATION.md.
EXPECTED_TIME_TO_FILL_DEFAULT_DAYS = env_int("EXPECTED_TIME_TO_FILL_DEFAULT_DAYS", 44, minimum=1)

# Resumes are untrusted: a size limit, and parsing in a child process with time and memory caps.
RESUME_MAX_BYTES = env_int("RESUME_MAX_MB", 10, minimum=1) * 1024 * 1024
RESUME_PARSE_TIMEOUT_SECONDS = env_int("RESUME_PARSE_TIMEOUT_SECONDS", 20, minimum=1)
RESUME_PARSE_MEMORY_MB = env_int("RESUME_PARSE_MEMORY_MB", 512, minimum=64)
# Bulk uploads: how many files one import may hold.
IMPORT_MAX_FILES = env_int("IMPORT_MAX_FILES", 500, minimum=1)
# Django refuses requests with more files than this before any view runs; the upload view
# gives the clearer message, so Django's own cap sits just above ours.
DATA_UPLOAD_MAX_NUMBER_FILES = IMPORT_MAX_FILES + 1
# Candidates with no retention date are kept this long after their last activity.
CANDIDATE_RETENTION_DAYS = env_int("CANDIDATE_RETENTION_DAYS", 730, minimum=1)
# How many generated candidates `accord demo` puts in Northwind's pool.
DEMO_POOL_SIZE = env_int("DEMO_POOL_SIZE", 260, minimum=0)

# The review loop: manager links, commitments and nudges.
REVIEW_LINK_TTL_DAYS = env_int("REVIEW_LINK_TTL_DAYS", 14, minimum=1)
# Interview scorecards are due this many hours (weekends not counted) after the interview.
SCORECARD_DUE_HOURS = env_int("SCORECARD_DUE_HOURS", 24, minimum=1)
# Candidates with no news for this many days are flagged to their recruiter.
NEWS_SILENCE_DAYS = env_int("NEWS_SILENCE_DAYS", 7, minimum=1)
# How often the worker looks for due nudges, and how long a send may stay claimed before another
# worker takes it over (a worker that died mid-send).
NUDGE_TICK_SECONDS = env_int("NUDGE_TICK_SECONDS", 60, minimum=5)
NUDGE_SEND_LEASE_SECONDS = env_int("NUDGE_SEND_LEASE_SECONDS", 120, minimum=10)
NUDGE_SEND_TIMEOUT_SECONDS = env_int("NUDGE_SEND_TIMEOUT_SECONDS", 10, minimum=1)
# Chat webhooks must be https:// to a public address unless this is on (local development).
NUDGE_WEBHOOK_ALLOW_INSECURE = env_bool("NUDGE_WEBHOOK_ALLOW_INSECURE", DEBUG)
# Text messages: "log" writes them to the log (nothing is sent); "twilio" sends through Twilio.
SMS_PROVIDER = env_choice("SMS_PROVIDER", "log", ("log", "twilio"))
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
TWILIO_API_BASE = env_url(
    "TWILIO_API_BASE", "https://api.twilio.com", schemes=("http", "https")
).rstrip("/")
if SMS_PROVIDER == "twilio" and not (
    TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER
):
    raise ConfigError(
        "SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
    )

# Login throttling: five failures for one email from one address lock that pair out for 15 min.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)

SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS and not DEBUG)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31_536_000 if HTTPS and not DEBUG else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts, styles or event handlers anywhere: everything comes from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en"
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media"))).resolve()
STORAGES = {
    "default": {
        "BACKEND": env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Email: SMTP when EMAIL_HOST is set; otherwise messages are printed (DEBUG) for local use.
# (Django 6.1 reads mail settings from MAILERS only; the EMAIL_* names are ours.)
_email_host = env_str("EMAIL_HOST")
_email_tls = env_bool("EMAIL_USE_TLS", False)
_email_ssl = env_bool("EMAIL_USE_SSL", False)
if _email_tls and _email_ssl:
    raise ConfigError("EMAIL_USE_TLS and EMAIL_USE_SSL are both on: choose one.")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": _email_tls,
                "use_ssl": _email_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 20, minimum=1),
            },
        }
    }
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ConfigError(
        "EMAIL_HOST is not set. With DEBUG off Accord sends invitations and reminders by email: "
        "set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD as needed)."
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Accord <accord@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: django.tasks on the database by default, RQ on Redis for scale.
TASK_BACKEND = env_choice("TASK_BACKEND", "database", ("database", "rq", "immediate"))
REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss"))
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASK_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper(),
    },
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
