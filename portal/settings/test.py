from .dev import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Whitenoise's manifest storage leaves live_server pages unstyled.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run inline unless a test starts a real worker (tests marked `worker` override this).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SMS_BACKEND = "apps.notifications.sms.LocmemSmsBackend"
PORTAL_BASE_URL = "https://portal.example.gov.cn"
# The example case type that shows the services how to use the shared building blocks (tests only, not the product).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example_app"]  # noqa: F405
# A file, not memory, so that tests with several connections (threads, a Celery worker) get SQLite's real locking
# (WAL + busy timeout) instead of shared-cache "table is locked" errors.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-portal.sqlite3")}  # noqa: F405
# One process: per-process memory is shared enough, and each test starts from empty counters (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-tests"}}
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]  # noqa: F405
