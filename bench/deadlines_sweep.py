"""Benchmark: the deadline sweep (Celery beat, every 5 minutes) and the recompute after a calendar entry, at city scale.

    .venv/bin/python bench/deadlines_sweep.py [--open 20000]                     # SQLite file under var/
    .venv/bin/python bench/deadlines_sweep.py --open 200000 \
        --database-url postgres://portal:portal@127.0.0.1:5432/portal_bench      # a scratch database: emptied

Creates a fresh database with the demo data, then N open applications of the demo citizen in the demo clerk's
department, each with its running working-day clock (5, 10 or 20 days, started over the last 30 days) as
``deadline_start`` leaves it — so that some are running, some due soon, some overdue, and the people told are real:
the department's clerk and head (due soon / overdue) and the applicant (a moved date). Then times:
  1. the calendar: workdays_add for 100,000 start dates;
  2. the first sweep (many status changes, each told once);
  3. the steady state (nothing to do: the beat every 5 minutes), with the plan of its query on PostgreSQL;
  4. a correction of an already official year (2026 entered by an operator with one more holiday, 15 Dec): every
     open clock is looked at, the moved ones recorded and told — and the longest single batch transaction;
  5. the same recompute again (safe to run twice: nothing left to do).
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
    # Tasks are sent, not run inline (in-memory broker, nothing consumes them): a batch's time is its transaction's,
    # not the e-mail and SMS delivery that a worker does afterwards.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["SMS_BACKEND"] = "apps.notifications.sms.LocmemSmsBackend"
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
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", "--no-input", verbosity=0)
    from portal.celery import app

    app.conf.task_always_eager = True  # the demo's own documents and messages, made inline
    call_command("load_demo", verbosity=0)
    app.conf.task_always_eager = False

    from apps.deadlines import services
    from apps.deadlines.models import Deadline, DeadlineEvent
    from apps.deadlines.tasks import deadlines_recompute_year, deadlines_sweep
    from apps.notifications.models import Notification
    from apps.workdays.selectors import workdays_add

    print(f"database: {connection.vendor}, open deadlines: {args.open:,}")
    base = dt.date(2026, 1, 5)
    started = time.perf_counter()
    for i in range(100_000):
        workdays_add(start=base + dt.timedelta(days=i % 700), days=5 + i % 20)
    print(f"workdays_add x100,000: {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    generate(args.open)
    print(f"generated in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # Each batch is one transaction: record how long the longest one held its locks.
    batches = []
    original = services._sweep_batch

    def timed(ids, run):
        began = time.perf_counter()
        try:
            return original(ids, run)
        finally:
            batches.append(time.perf_counter() - began)

    services._sweep_batch = timed

    def step(label, fn):
        batches.clear()
        notes, events = Notification.objects.count(), DeadlineEvent.objects.filter(kind="move").count()
        began = time.perf_counter()
        changed = fn() or 0
        elapsed = time.perf_counter() - began
        longest = max(batches) * 1000 if batches else 0
        print(f"{label:44} {changed:>8,} changed {elapsed:8.2f} s  batches {len(batches):4d}, longest {longest:6.0f} ms"
              f"  +{Notification.objects.count() - notes:,} messages, +"
              f"{DeadlineEvent.objects.filter(kind='move').count() - events:,} moves")

    step("first sweep (status changes, told once)", deadlines_sweep)
    step("steady state (nothing to do)", deadlines_sweep)
    samples = []
    for _ in range(5):
        began = time.perf_counter()
        deadlines_sweep()
        samples.append((time.perf_counter() - began) * 1000)
    print(f"steady state, median of 5: {sorted(samples)[2]:.1f} ms")
    if connection.vendor == "postgresql":
        from django.utils import timezone

        from apps.deadlines.services import _due, _Run, _stale

        run = _Run(now=timezone.now())
        run.refresh_calendar()
        for label, query, order in (("rows whose moment came", _due, "next_check_at"),
                                    ("rows on an older calendar", _stale, "calendar_version")):
            sql, params = query(run).order_by(order, "pk").values_list(order, "pk")[:500].query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + sql, params)
                plan = [row[0].strip() for row in cursor.fetchall()]
            print(f"  plan, {label}: " + " | ".join(line for line in plan if "Scan" in line or "Execution" in line))

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        step("correction of 2026 (recompute every clock)", lambda: enter_corrected_2026(deadlines_recompute_year))
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    else:
        step("correction of 2026 (recompute every clock)", lambda: enter_corrected_2026(deadlines_recompute_year))
    step("the same recompute again", lambda: deadlines_recompute_year(2026))
    counts = dict(Deadline.objects.values_list("status").annotate(n=Count("id")))
    print("statuses:", counts, "messages:", f"{Notification.objects.count():,}")


def enter_corrected_2026(recompute):
    """An operator corrects 2026 (already official through chinesecalendar) with one more holiday; as after the
    admin's save, the recompute runs once the entry is committed."""
    from chinese_calendar import constants
    from django.db import transaction

    from apps.accounts.models import User
    from apps.workdays.services import calendar_year_enter

    holidays = [(d, str(n)) for d, n in constants.holidays.items() if d.year == 2026]
    holidays.append((dt.date(2026, 12, 15), "更正"))
    workdays = [(d, str(n)) for d, n in constants.workdays.items() if d.year == 2026]
    operator = User.objects.filter(is_superuser=True).first()
    with transaction.atomic():
        calendar_year_enter(actor=operator, year=2026, holidays=holidays, workdays=workdays, notice="更正通知",
                            accept_differences=True)
    return recompute(2026)


def generate(n):
    """N submitted applications of the demo citizen in the demo clerk's department, each with its clock, as
    on_submit leaves them (the clock computed and stamped by the deadlines service's own refresh)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.applications.models import Application
    from apps.catalogue.models import ServiceItem
    from apps.deadlines import services
    from apps.deadlines.constants import Unit
    from apps.deadlines.models import Deadline

    clerk = User.objects.get(username="clerk")
    citizen = User.objects.filter(kind="citizen").order_by("pk").first()
    service = ServiceItem.objects.filter(department_id=clerk.department_id).first()
    rng = random.Random(7)
    now = timezone.now()
    for first in range(0, n, 10_000):
        size = min(10_000, n - first)
        applications = Application.objects.bulk_create([
            Application(reference=f"BN-{first + i:08d}", service=service, department_id=clerk.department_id,
                        applicant=citizen, status="submitted", applicant_name="测试", applicant_code="2",
                        phone=citizen.phone or "13800000000", submitted_at=now)
            for i in range(size)
        ], batch_size=2000)
        content_type = ContentType.objects.get_for_model(Application)
        rows = []
        for application in applications:
            deadline = Deadline(content_type=content_type, object_id=str(application.pk), stage="acceptance",
                                label="受理期限", unit=Unit.WORKING_DAYS, limit=rng.choice([5, 10, 20]),
                                due_soon_before=1, started_at=now - dt.timedelta(days=rng.uniform(0, 30)),
                                responsible_department_id=clerk.department_id)
            services._refresh(deadline, now)
            deadline.status = "running"  # as an older sweep last saw it: the first sweep has work to do
            rows.append(deadline)
        Deadline.objects.bulk_create(rows, batch_size=2000)
        mine = Deadline.objects.filter(content_type=content_type, object_id=Cast(OuterRef("pk"), CharField()))
        clock, due = mine.values("pk")[:1], mine.values("due_at")[:1]
        Application.objects.filter(pk__in=[a.pk for a in applications]).update(
            current_deadline_id=Subquery(clock), due_at=Subquery(due))


if __name__ == "__main__":
    main()
