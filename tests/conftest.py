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
