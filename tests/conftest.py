import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that unless told it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from apps.workdays.selectors import calendar_cache_clear

    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Each test starts with empty counters (the throttles live in the cache, LocMem under the test settings)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def roles(db):
    from apps.organizations.services import roles_sync

    roles_sync()


def pytest_collection_modifyitems(config, items):
    have_browser = shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)
    required = os.environ.get("PORTAL_REQUIRE_BROWSER") == "1"
    for item in items:
        if "tests/e2e/" in str(item.fspath) or "tests\\e2e\\" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not have_browser and not required:
                item.add_marker(pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM}"))


def pytest_report_header(config):
    from django.conf import settings

    return [
        f"database: {settings.DATABASES['default']['ENGINE']}",
        f"broker: {settings.CELERY_BROKER_URL.split('@')[-1]}",
        f"browser: {CHROMIUM if os.path.exists(CHROMIUM) else 'none (e2e skipped)'}",
    ]


def other_process_env() -> dict:
    """The environment of a second process (a Celery worker, another web worker) on this test's database."""
    from django.db import connection

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONUNBUFFERED": "1"}
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
            **{k: settings_dict[k] or "" for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")})
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(settings_dict["NAME"])
    return env


@pytest.fixture
def worker_process(settings, transactional_db):
    """A real Celery worker in a process of its own (its own calendar cache, its own connections), consuming a queue
    of its own through the broker (Redis in CI, the filesystem locally); tasks are sent, not run inline."""
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue, "--pool=solo", "--concurrency=1",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=root, env=other_process_env(),
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        app.conf.task_default_queue = "celery"
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def broker_repoint(url: str | None) -> None:
    """Point this process's Celery app at another broker (None: back to the configured one), with new connection and
    producer pools (kombu keeps the old ones for the old URL, untouched). Celery prefers the CELERY_BROKER_URL
    environment variable (set in CI) to ``broker_url``, so the read and write URLs are what is set here."""
    from portal.celery import app

    app.conf.broker_read_url = app.conf.broker_write_url = url
    app._pool = None
    app.amqp._producer_pool = None
