"""Settings shared by every environment. Everything that differs between machines comes from the environment."""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_ratelimit",
    "csp",
    "import_export",
    "apps.core",
    "apps.organizations",
    "apps.accounts",
    "apps.workdays",
    "apps.workflow",
    "apps.deadlines",
    "apps.attachments",
    "apps.documents",
    "apps.notifications",
    "apps.outbox",
    "apps.catalogue",
    "apps.credit",
    "apps.licences",
    "apps.applications",
    "apps.bundles",  # 一件事一次办: declared sets of items applied for once (docs/adr/0007-bundles.md)
    "apps.disclosure",
    "apps.information_requests",
    "apps.honors",
    "apps.grid",
    "apps.demo",  # demo data for `make run`; drives the service apps above through their services
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After the CSRF check: reads form fields only from a request that passed it (process_view runs in this order).
    "apps.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Refuses an oversized body before anything reads it: the middleware above read no body in their request phase
    # (CSRF reads it in process_view, which runs after this), and its page gets their language, user and headers.
    "apps.core.middleware.RequestBodyLimitMiddleware",
    # django-axes must be last: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------------------
# SQLite is the embedded default. The web server and the Celery worker write at once under `make run`, so WAL mode
# and a busy timeout; IMMEDIATE transactions avoid the "database is locked" upgrade deadlock.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", VAR_DIR / "portal.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.PhoneOrEmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-guardian: no anonymous-user row; public objects are public by their state, not by a permission row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# The client's address behind our own proxies (apps/core/client_ip.py): how many stand in front of gunicorn, each
# appending to X-Forwarded-For. 0 ignores the header (development, a server reached directly); production: 1.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))

# Grid cases' escalation ladder (issue 17): hours past a step's due moment after which it climbs to the district's
# command centre, then to the city's (read by the deadline sweep when it runs).
GRID_ESCALATION_HOURS = tuple(int(h) for h in env_list("GRID_ESCALATION_HOURS", "24,72"))

# Office hours (工作时, issue 17 item 8): the periods of a working day (of the working-day calendar) that a limit in
# working hours counts, "HH:MM-HH:MM" each, in order. A grid category whose hour limits count working hours
# (CaseCategory.hour_basis) runs its clocks on them; clock hours stay the default.
OFFICE_HOURS = tuple(env_list("OFFICE_HOURS", "08:30-12:00,13:30-17:30"))

# The learning classifier (issue 17 item 6, ADR 0010): a report whose text the current model places in a category
# with at least this probability, and whose routing finds a department, is registered and dispatched without the
# dispatcher; below it the case waits in the dispatcher's queue with the suggestion shown. 1.01 turns it off.
GRID_AUTO_DISPATCH_CONFIDENCE = float(os.environ.get("GRID_AUTO_DISPATCH_CONFIDENCE", "0.85"))
# A model is used only when trained on at least this many closed cases (else the keyword rules suggest).
GRID_CLASSIFIER_MIN_CASES = int(os.environ.get("GRID_CLASSIFIER_MIN_CASES", "200"))

# django-axes (docs/security.md): failures count per (account, client address) — the account normalised from any way
# of typing it (apps.accounts.selectors.login_account_key) — and 5 lock that pair for 15 minutes, so one person's
# mistakes do not lock the account for everyone else; 30 failures from one address over any accounts (a password
# sprayed across accounts) lock the address. A success clears only its own pair.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # order matters: apps/accounts/axes.py
AXES_HANDLER = "apps.accounts.axes.AccountAndAddressHandler"
AXES_USERNAME_CALLABLE = "apps.accounts.selectors.login_account_key"
AXES_CLIENT_IP_CALLABLE = "apps.core.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "apps.accounts.axes.lockout_response"  # the template, with Retry-After

# --- Cache: shared by every process (the throttles' counters live here) --------------------------------------------
# Redis when REDIS_URL / CACHE_URL is set (production); otherwise a file cache under VAR_DIR, which the web server and
# the worker of `make run` share (Django's default, per-process memory, would give each gunicorn worker its own
# counters).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "portal"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 100_000}}}
# django-ratelimit refuses the file cache because its increments are not atomic: two requests at the same instant may
# count once. That lets a few more through under `make run`, never unbounded; production sets REDIS_URL (INCR is
# atomic), which a deploy check asks for (apps/core/checks.py). Django's own RedisCache is not on the package's list of
# tested backends (W001) but increments with INCR.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The statistics' covering index (INCLUDE) is PostgreSQL's; SQLite builds it without the extra columns.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "apps.core.client_ip.client_ip"
RATELIMIT_FAIL_OPEN = False  # a cache that does not answer refuses the repeatable request rather than waving it on

# What a stranger can repeat (apps/core/throttle.py, docs/security.md): "<count>/<period>", period s, m, h or d.
THROTTLE_RATES = {
    "application_lookup_address": os.environ.get("THROTTLE_APPLICATION_LOOKUP_ADDRESS", "20/h"),
    "application_lookup_reference": os.environ.get("THROTTLE_APPLICATION_LOOKUP_REFERENCE", "10/h"),
    "grid_lookup_address": os.environ.get("THROTTLE_GRID_LOOKUP_ADDRESS", "20/h"),
    "grid_lookup_number": os.environ.get("THROTTLE_GRID_LOOKUP_NUMBER", "10/h"),
    "register_address": os.environ.get("THROTTLE_REGISTER_ADDRESS", "10/h"),
    "password_reset_address": os.environ.get("THROTTLE_PASSWORD_RESET_ADDRESS", "10/h"),
    # 认领账户 (issue 16): each try may send an SMS code.
    "claim_address": os.environ.get("THROTTLE_CLAIM_ADDRESS", "10/h"),
    "claim_id_number": os.environ.get("THROTTLE_CLAIM_ID_NUMBER", "5/h"),
    "claim_confirm_address": os.environ.get("THROTTLE_CLAIM_CONFIRM_ADDRESS", "30/h"),
    # 实名核验 online: each try is a call to the national identity service.
    "identity_check_user": os.environ.get("THROTTLE_IDENTITY_CHECK_USER", "5/d"),
    # 帮办代办: an agent's principal lookup tells whether an ID number and a phone belong together.
    "agent_principal_user": os.environ.get("THROTTLE_AGENT_PRINCIPAL_USER", "20/h"),
    "password_reset_email": os.environ.get("THROTTLE_PASSWORD_RESET_EMAIL", "3/h"),
    "open311_post_key": os.environ.get("THROTTLE_OPEN311_POST_KEY", "600/h"),
    # Forms kept for a visitor whose session expired (apps.core.kept): each is a session row of ≤ 8 KB; beyond this
    # many per address the form is not kept (the page asks to fill it in again), so nobody fills the session table.
    "kept_form_address": os.environ.get("THROTTLE_KEPT_FORM_ADDRESS", "20/h"),
}

# django-csp: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- i18n ---------------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the web root and have no public URL: they are served only through views that check access.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/media-is-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Limits on expensive input (CONVENTIONS 18; each bound with its default in docs/limits.md) ----------------------
MB = 1024 * 1024
# A request whose declared body is larger is answered 413 before anything reads it (apps.core.middleware). The largest
# legitimate one is a showcase product: 6 images of ATTACHMENT_MAX_MB and a video of HONORS_VIDEO_MAX_MB.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_MB", "160")) * MB
# Django's own bounds: the form fields of a request (files excluded), their number, files per request, and the size
# above which an uploaded file is spooled to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_KB", "2560")) * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", "1000"))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", "20"))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_KB", "2560")) * 1024
# Images: refused from their header, before any pixel is decoded.
IMAGE_MAX_PIXELS = int(float(os.environ.get("IMAGE_MAX_MEGAPIXELS", "40")) * 1_000_000)
IMAGE_MAX_SIDE = int(os.environ.get("IMAGE_MAX_SIDE", "10000"))
# What an image may take once decoded (pixels × channels × bytes per channel): 40 megapixels of 8-bit RGBA.
IMAGE_MAX_DECODED_BYTES = int(os.environ.get("IMAGE_MAX_DECODED_MB", "160")) * 1024 * 1024
# ZIP-based uploads (OFD) and xlsx imports: judged from the archive's directory, never by extracting it.
ARCHIVE_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("ARCHIVE_MAX_UNCOMPRESSED_MB", "100")) * MB
ARCHIVE_MAX_ENTRIES = int(os.environ.get("ARCHIVE_MAX_ENTRIES", "1000"))
ARCHIVE_MAX_RATIO = int(os.environ.get("ARCHIVE_MAX_RATIO", "100"))
# Files one case (an application, an honor application, a grid case) may hold, counted and in total bytes.
CASE_MAX_FILES = int(os.environ.get("CASE_MAX_FILES", "60"))
CASE_MAX_BYTES = int(os.environ.get("CASE_MAX_MB", "300")) * MB
# What an anonymous visitor's POST may leave in the session (the form kept across a login): above it, nothing.
SESSION_KEPT_FORM_MAX_BYTES = int(os.environ.get("SESSION_KEPT_FORM_MAX_KB", "8")) * 1024
# The disclosure catalogue import (xlsx): the file and the rows, the rows counted while the sheet is read.
DISCLOSURE_IMPORT_MAX_BYTES = int(os.environ.get("DISCLOSURE_IMPORT_MAX_MB", "10")) * MB
DISCLOSURE_IMPORT_MAX_ROWS = int(os.environ.get("DISCLOSURE_IMPORT_MAX_ROWS", "20000"))
# 检查验收: a catalogue whose last publication is older than this is flagged on the coverage page (动态管理: a year).
DISCLOSURE_STALE_DAYS = int(os.environ.get("DISCLOSURE_STALE_DAYS", "365"))
# The workbook's table of cell text, expanded (openpyxl holds all of it in memory, even reading row by row).
DISCLOSURE_IMPORT_MAX_STRINGS_BYTES = int(os.environ.get("DISCLOSURE_IMPORT_MAX_STRINGS_MB", "32")) * MB

# --- E-mail and SMS -----------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@portal.example.gov.cn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcast tables (worker control); kombu's default is ./control, which landed in the repository.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "workdays-check-coverage": {"task": "apps.workdays.tasks.check_calendar_coverage", "schedule": 60 * 60 * 24},
    "outbox-relay": {"task": "apps.outbox.tasks.outbox_relay",
                     "schedule": int(os.environ.get("OUTBOX_RELAY_SECONDS", "30"))},
    "deadlines-sweep": {"task": "apps.deadlines.tasks.deadlines_sweep",
                        "schedule": int(os.environ.get("DEADLINES_SWEEP_SECONDS", "300"))},
    # Expired sessions are deleted (Django's clearsessions): nothing else removes them from the table.
    "sessions-clear": {"task": "apps.core.tasks.sessions_clear", "schedule": 60 * 60 * 6},
    # The grid classifier learns from the cases closed since (ADR 0010): nightly is enough.
    "grid-classifier-train": {"task": "apps.grid.tasks.category_model_train_task",
                              "schedule": int(os.environ.get("GRID_CLASSIFIER_TRAIN_SECONDS", str(60 * 60 * 24)))},
}

# --- REST API -----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Government services portal API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "Public catalogue, the applicant's own applications, and the published disclosure catalogues. "
                   "Session authentication.",
    "ENUM_NAME_OVERRIDES": {
        "DisclosureAudienceEnum": "apps.disclosure.constants.Audience",
        "ServiceAudienceEnum": "apps.catalogue.constants.Audience",
        "DisclosureModeEnum": "apps.disclosure.constants.Mode",
        "HonorReviewStatusEnum": "apps.honors.constants.ReviewStatus",
        "ApplicationStatusEnum": "apps.applications.constants.Status",
    },
    # Swagger UI from local static files (no CDN), loaded by a separate script so that no inline script is needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
}

SMS_BACKEND = os.environ.get("SMS_BACKEND", "apps.notifications.sms.ConsoleSmsBackend")
# 实名核验 online (ADR 0011): the national identity service's adapter; empty = verified at a service window only.
IDENTITY_CHECK_BACKEND = os.environ.get("IDENTITY_CHECK_BACKEND", "apps.accounts.identity.DemoIdentityCheck")

# --- Portal -------------------------------------------------------------------------------------------------------
PORTAL_CITY_NAME = os.environ.get("PORTAL_CITY_NAME", "盘锦市")
# The same city for readers of the English site (page titles, the footer, the header).
PORTAL_CITY_NAME_EN = os.environ.get("PORTAL_CITY_NAME_EN", "Panjin")
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
# A product's short video on the honor showcase (seed 000: 也可配合短视频介绍).
HONORS_VIDEO_MAX_BYTES = int(os.environ.get("HONORS_VIDEO_MAX_MB", "30")) * 1024 * 1024
HEALTHZ_BROKER_TIMEOUT = float(os.environ.get("HEALTHZ_BROKER_TIMEOUT", "2"))
# When an online submission made on a non-working day or after office hours is received (docs/architecture.md § Deadlines, receipt after hours):
# "same_day" — received when made, the limit counted from the day after (today's rule, the default);
# "next_workday" — received at the start of the next working day, the limit counted from the day after that.
RECEIPT_AFTER_HOURS = os.environ.get("RECEIPT_AFTER_HOURS", "same_day")
# (Opening and closing are the first and the last moment of OFFICE_HOURS above: one setting for both uses.)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
