"""What every benchmark script shares: timing, and Django set up against a scratch database."""
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(fn, runs=15):
    fn()  # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def django_setup(database_url: str, *, require_postgresql: bool = True) -> None:
    """Test settings against ``database_url``, the test environment (the client answers ``testserver``), migrated."""
    os.environ.update(DJANGO_SETTINGS_MODULE="portal.settings.test", DATABASE_URL=database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    if require_postgresql:
        assert connection.vendor == "postgresql", "this benchmark needs PostgreSQL"
    call_command("migrate", verbosity=0)
