"""Benchmark: the service centre's statistics at volume (PostgreSQL).

    .venv/bin/python bench/bench_centre_statistics.py \
        --database-url postgres://portal:portal@127.0.0.1:5432/portal_stats_bench [--rows 1000000] [--keep]

Builds the schema in the given (scratch) database, generates 40 departments, 200 service items and --rows
applications over three years (four channels; 3 % still waiting for acceptance, 3 % refused, the rest decided; ~6 %
accepted late, ~8 % decided late, ~20 % with a supplement), each with the statistics' copies filled in as the
services write them, and the closed decision clock of each decided application (the source those copies come from).
Then times, through Django's test client, and beside the bare SQL of the same question:
  1. the whole city, one row per month over the last twelve months (a window clerk of the centre);
  2. the whole city, one row per service item (200 rows), and per department;
  3. one department's head, per month;
  4. the xlsx of (1);
and, for the choice made, the same "decided on time" per month computed from the deadline rows instead of the
stored copy (a join on the generic key). Prints medians of 15 runs and the number of SQL queries of each page.
"""
import argparse
import datetime as dt
import time

from _common import django_setup, median_ms, time_pages  # bench/ is on sys.path when run as a script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is emptied")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data of a previous run")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.applications.models import Application

    if not args.keep or not Application.objects.exists():
        generate(args.rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    window_clerk = User.objects.get(username="bench-window-clerk")
    head = User.objects.get(username="bench-head-07")
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    period = {"first": first.strftime("%Y-%m"), "last": today.strftime("%Y-%m")}
    print(f"rows: {Application.objects.count():,} applications; "
          f"{Application.objects.filter(submitted_month__gte=first).count():,} in the twelve months shown")

    centre, department = Client(), Client()
    centre.force_login(window_clerk)
    department.force_login(head)
    url = "/admin/applications/application/statistics/"
    start = first
    start_moment = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    month_sql = """
        SELECT submitted_month m, count(*),
               count(*) FILTER (WHERE acceptance_on_time IS NOT NULL), count(*) FILTER (WHERE acceptance_on_time),
               count(*) FILTER (WHERE decision_on_time IS NOT NULL), count(*) FILTER (WHERE decision_on_time),
               count(*) FILTER (WHERE decision_on_time IS NOT NULL AND NOT supplemented),
               avg(decision_working_days)
        FROM applications_application WHERE submitted_month >= %s {extra} GROUP BY 1 ORDER BY 1"""
    time_pages([
        ("city, per month (12 rows)", centre, url, period, [month_sql.format(extra="")], [start]),
        ("city, per item (200 rows)", centre, url, {**period, "group": "service"},
         [month_sql.replace("submitted_month m", "service_id")
          .format(extra="")], [start]),
        ("city, per department (40 rows)", centre, url, {**period, "group": "department"},
         [month_sql.replace("submitted_month m", "department_id")
          .format(extra="")], [start]),
        ("one department's head, per month", department, url, period,
         [month_sql.format(extra=f"AND department_id = {head.department_id}")], [start]),
        ("xlsx, city per month", centre, url.replace("statistics/", "statistics.xlsx"), period,
         [month_sql.format(extra="")], [start]),
    ])

    # The alternative not taken: "decided on time" from the deadline rows (a join on the generic key).
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Application).pk

    def from_deadlines():
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT date_trunc('month', a.submitted_at AT TIME ZONE 'Asia/Shanghai'), count(d.id),
                       count(d.id) FILTER (WHERE d.completed_at <= d.due_at)
                FROM applications_application a
                LEFT JOIN deadlines_deadline d ON d.content_type_id = %s AND d.object_id = a.id::text
                     AND d.stage = 'decision' AND d.completed_at IS NOT NULL
                WHERE a.submitted_at >= %s GROUP BY 1 ORDER BY 1""", [ct, start_moment])
            cursor.fetchall()

    print(f"{'same figure from the deadline rows':34} {'':>9} {'':>8} {median_ms(from_deadlines, runs=5):12.2f}")


def generate(rows):
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from apps.accounts.models import User
    from apps.applications.models import Application
    from apps.catalogue.models import ServiceItem
    from apps.organizations.models import AdminUnit, Department
    from apps.organizations.services import roles_sync

    started = time.perf_counter()
    call_command("flush", "--no-input", verbosity=0)
    call_command("load_demo", "--reference-only", verbosity=0)
    roles_sync()
    city = AdminUnit.objects.get(code="211100")
    head_group = Group.objects.get(name="department_head")
    departments = []
    for i in range(40):
        department = Department.objects.create(code=f"bench-dept-{i:02d}", name=f"市测试局{i:02d}", admin_unit=city)
        departments.append(department)
        head = User.objects.create_user(username=f"bench-head-{i:02d}", password="x", kind="staff", is_staff=True,
                                        department=department)
        head.groups.add(head_group)
    window_clerk = User.objects.create_user(username="bench-window-clerk", password="x", kind="staff", is_staff=True,
                                            department=Department.objects.get(code="city-service-center"))
    window_clerk.groups.add(Group.objects.get(name="window_clerk"))
    services = [ServiceItem.objects.create(code=f"BENCH-{i:04d}", name=f"测试事项{i:04d}", service_type="licence",
                                           department=departments[i % 40], legal_basis="-", acceptance_conditions="-",
                                           legal_limit=20, promised_limit=10, place="-", phone="-")
                for i in range(200)]
    applicant = User.objects.create_user(username="bench-citizen", password="x", kind="citizen")
    ct = ContentType.objects.get_for_model(Application).pk
    with connection.cursor() as cursor:
        # g % 100: 0–2 waiting for acceptance, 3–5 refused, the rest decided (completed). Accepted late when
        # g % 17 = 0, decided late when g % 13 = 0, supplemented when g % 5 = 0; channels by g % 10.
        cursor.execute(f"""
            INSERT INTO applications_application (reference, service_id, department_id, applicant_id, status,
                applicant_name, applicant_code, phone, email, address, description, conditions_met,
                created_at, submitted_at, submitted_month, declaration_at, decided_at, extension_used, channel, proposal, commitment,
                agent_relation, acceptance_on_time, decision_on_time, decision_working_days, supplemented)
            SELECT 'YW-' || to_char(t, 'YYYYMMDD') || '-' || lpad(g::text, 7, '0'),
                   {services[0].pk} + (g % 200), s.department_id, {applicant.pk},
                   CASE WHEN g % 100 < 3 THEN 'submitted' WHEN g % 100 < 6 THEN 'refused' ELSE 'completed' END,
                   '申请人' || g, '211103198501010000', '13800000000', '', '', '', '[]', t, t,
                   date_trunc('month', t AT TIME ZONE 'Asia/Shanghai')::date, t,
                   CASE WHEN g % 100 >= 3 THEN t + ((g % 20) || ' days')::interval END, false,
                   CASE WHEN g % 10 < 6 THEN 'online' WHEN g % 10 < 8 THEN 'window'
                        WHEN g % 10 < 9 THEN 'assisted' ELSE 'api' END, '{{}}', false, '',
                   CASE WHEN g % 100 >= 3 THEN g % 17 <> 0 END,
                   CASE WHEN g % 100 >= 6 THEN g % 13 <> 0 END,
                   CASE WHEN g % 100 >= 6 THEN (g % 20) * 5 / 7 END,
                   g % 5 = 0
            FROM generate_series(1, {rows}) g
            CROSS JOIN LATERAL (SELECT now() - ((g % 1095) || ' days')::interval
                                - ((g % 86400) || ' seconds')::interval AS t) tt
            JOIN catalogue_serviceitem s ON s.id = {services[0].pk} + (g % 200)""")
        # The closed decision clock of each decided application: the source of decision_on_time.
        cursor.execute(f"""
            INSERT INTO deadlines_deadline (content_type_id, object_id, stage, label, unit, "limit", extension,
                due_soon_before, started_at, cycle, due_at, completed_at, provisional, status, notified_status,
                responsible_department_id, responsible_role, url, calendar_version)
            SELECT {ct}, a.id::text, 'decision', '决定', 'working_days', 10, 0, 2, a.submitted_at, 1,
                   a.submitted_at + interval '14 days',
                   CASE WHEN a.decision_on_time THEN a.decided_at ELSE a.submitted_at + interval '15 days' END,
                   false, CASE WHEN a.decision_on_time THEN 'met' ELSE 'missed' END, '', a.department_id, '', '', 0
            FROM applications_application a WHERE a.decision_on_time IS NOT NULL""")
    print(f"generated in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
