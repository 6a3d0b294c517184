"""Benchmark: the deadline sweep (Celery beat, every 5 minutes) over many open deadlines.

    .venv/bin/python bench/deadlines_sweep.py [--open 20000] [--database-url postgres://...]

Creates a fresh database (SQLite file under var/ unless --database-url), N open working-day deadlines spread over
the last 30 days (so that some are running, some due soon, some overdue), then times:
  1. the calendar: workdays_add for 100,000 start dates;
  2. the first sweep (many status changes and notifications);
  3. a second sweep (nothing changed: the steady state every 5 minutes).
"""
import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=20000, help="open deadlines to create")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = ROOT / "var" / "bench-deadlines.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(path)
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", "--no-input", verbosity=0)
    call_command("load_demo", verbosity=0)

    from apps.accounts.models import User
    from apps.deadlines.constants import DeadlineStatus, Unit
    from apps.deadlines.models import Deadline
    from apps.deadlines.selectors import deadline_compute, deadline_due_soon_at
    from apps.deadlines.tasks import deadlines_sweep
    from apps.notifications.models import Notification
    from apps.organizations.models import Department
    from apps.workdays.selectors import workdays_add

    print(f"database: {connection.vendor}, open deadlines: {args.open}")
    rng = random.Random(7)
    base = dt.date(2026, 1, 5)
    started = time.perf_counter()
    for i in range(100_000):
        workdays_add(start=base + dt.timedelta(days=i % 700), days=5 + i % 20)
    print(f"workdays_add x100,000: {time.perf_counter() - started:.2f} s")

    # The demo clerk's department: its clerk and head are who the sweep notifies (a department without staff would
    # time the sweep without its notifications).
    department = Department.objects.get(pk=User.objects.get(username="clerk").department_id)
    content_type = ContentType.objects.get_for_model(Department)
    now = timezone.now()
    rows = []
    for i in range(args.open):
        start_at = now - dt.timedelta(days=rng.uniform(0, 30))
        deadline = Deadline(content_type=content_type, object_id=str(i), stage="acceptance", label="受理期限",
                            unit=Unit.WORKING_DAYS, limit=rng.choice([5, 10, 20]), due_soon_before=1,
                            started_at=start_at, responsible_department=department, status=DeadlineStatus.RUNNING)
        deadline.due_at = deadline_compute(deadline=deadline, pauses=[], now=now).due_at
        deadline.due_soon_at = deadline_due_soon_at(deadline=deadline)
        rows.append(deadline)
    Deadline.objects.bulk_create(rows, batch_size=2000)
    print(f"created {len(rows)} deadlines")

    for label in ("first sweep (changes)", "second sweep (steady state)"):
        started = time.perf_counter()
        changed = deadlines_sweep()
        elapsed = time.perf_counter() - started
        print(f"{label}: {changed} changed in {elapsed:.2f} s")
    counts = dict(Deadline.objects.values_list("status").annotate(n=Count("id")))
    print("statuses:", counts, "notifications:", Notification.objects.count())


if __name__ == "__main__":
    main()
