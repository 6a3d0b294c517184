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


def time_pages(pages) -> None:
    """Print, for each (label, client, url, params, statements, sql_params): the page's median time through the
    test client, its number of SQL queries, and the median time of the bare SQL ``statements`` asking the same."""
    from django.db import connection

    print(f"{'page':34} {'page ms':>9} {'queries':>8} {'bare SQL ms':>12}")
    for label, client, url, params, statements, sql_params in pages:
        connection.force_debug_cursor = True
        before = len(connection.queries_log)
        response = client.get(url, params)
        queries = len(connection.queries_log) - before
        connection.force_debug_cursor = False
        assert response.status_code == 200, (url, response.status_code)
        page_ms = median_ms(lambda: client.get(url, params))

        def bare():
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql, sql_params)
                    cursor.fetchall()

        print(f"{label:34} {page_ms:9.1f} {queries:8d} {median_ms(bare):12.2f}")

