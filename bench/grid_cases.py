"""Benchmark: grid cases at volume (PostgreSQL).

    .venv/bin/python bench/grid_cases.py --database-url postgres://portal:portal@127.0.0.1:5432/portal_bench \
        [--cases 3000000] [--keep]

Builds 400 grids (4 districts × 5 streets × 5 communities × 4 grids) and --cases cases spread over two years,
written by SQL (generate_series): about 2 % open with running clocks (some overdue), the rest closed or not
registered, a quarter of the closed ones rated. Then times, through Django's test client and beside the bare SQL of
the same question (median of 15 runs, SQL queries per page):
  1. the dispatcher's admin list: one district, open cases, overdue first (the admin never counts all rows);
  2. the 绩效考核 page for one street and one month, per community;
  3. the Open311 request lookup (requests/<id>.json and requests.json?service_request_id=…);
  4. the escalated queue (issue 17): the dispatch centre's and one district command centre's admin list, and the map
     of one district's grids (public, and the dispatcher's with the open cases as points);
  5. the escalation ladder in the deadline sweep: every overdue open clock climbs one rung at once (a batch hook per
     500 clocks: the cases' copies, timeline lines, messages), timed per clock.
"""
import argparse
import datetime as dt
import time

from _common import django_setup, time_pages  # bench/ is on sys.path when run as a script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is emptied")
    parser.add_argument("--cases", type=int, default=3_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data of a previous run")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.db import connection
    from django.test import Client

    from apps.accounts.models import User
    from apps.grid.models import Grid, GridCase
    from apps.organizations.models import AdminUnit

    if not args.keep or not GridCase.objects.exists():
        generate(args.cases)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'grid_gridcase'")
        estimate = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM grid_gridcase WHERE status IN "
                       "('reported','registered','dispatched','returned','handled')")
        open_count = cursor.fetchone()[0]
    print(f"rows: ~{estimate:,} cases ({open_count:,} open) over {Grid.objects.count()} grids")

    dispatcher = User.objects.get(username="bench-dispatcher")
    district = AdminUnit.objects.get(code="211103")
    street = AdminUnit.objects.filter(parent=district, level="township").order_by("code").first()
    month = "2026-10"
    sample = GridCase.objects.filter(created_at__gte=dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc)).order_by("id").values_list("number", flat=True)[7]
    staff, public = Client(), Client()
    staff.force_login(dispatcher)
    open_states = "('reported','registered','dispatched','returned','handled')"
    queue_sql = f"""SELECT c.id, c.number, c.status, c.created_at, c.channel, d.due_at, d.status, g.name, k.name
        FROM grid_gridcase c LEFT JOIN deadlines_deadline d ON d.id = c.current_deadline_id
        LEFT JOIN grid_grid g ON g.id = c.grid_id LEFT JOIN grid_casecategory k ON k.id = c.category_id
        WHERE c.district_id = %s AND c.status IN {open_states}
        ORDER BY c.due_at ASC NULLS LAST, c.id DESC LIMIT 50"""
    stats_sql = """SELECT u.code, u.name, count(c.id), count(c.id) FILTER (WHERE c.status = 'closed'),
        count(c.id) FILTER (WHERE c.status = 'closed' AND c.late_steps = 0),
        count(c.id) FILTER (WHERE c.return_count > 0), count(c.id) FILTER (WHERE c.reopen_count > 0),
        count(r.id), count(r.id) FILTER (WHERE r.level IN ('satisfied', 'fairly_satisfied'))
        FROM grid_gridcase c LEFT JOIN organizations_adminunit u ON u.id = c.community_id
        LEFT JOIN grid_caserating r ON r.case_id = c.id
        WHERE c.street_id = %s AND c.created_at >= '2026-10-01 00:00+08' AND c.created_at < '2026-11-01 00:00+08'
        GROUP BY u.code, u.name ORDER BY u.code"""
    lookup_sql = """SELECT c.*, k.code, k.name, p.name, dep.name FROM grid_gridcase c
        LEFT JOIN grid_casecategory k ON k.id = c.category_id LEFT JOIN grid_casecategory p ON p.id = k.parent_id
        LEFT JOIN organizations_department dep ON dep.id = c.department_id WHERE c.number = %s"""
    escalated_sql = f"""SELECT c.id, c.number, c.status, c.created_at, c.channel, d.due_at, d.status, g.name, k.name
        FROM grid_gridcase c LEFT JOIN deadlines_deadline d ON d.id = c.current_deadline_id
        LEFT JOIN grid_grid g ON g.id = c.grid_id LEFT JOIN grid_casecategory k ON k.id = c.category_id
        WHERE c.district_id = %s AND c.status IN {open_states} AND c.escalation_level >= 2
        ORDER BY c.due_at ASC NULLS LAST, c.id DESC LIMIT 50"""
    centre = User.objects.get(username="bench-district-centre")
    centre_client = Client()
    centre_client.force_login(centre)
    period = "c.created_at >= '2026-10-01 00:00+08' AND c.created_at < '2026-11-01 00:00+08'"
    map_sql = [f"""SELECT g.id, g.code, g.name, g.polygon, u.name FROM grid_grid g
        JOIN organizations_adminunit u ON u.id = g.community_id JOIN organizations_adminunit s ON s.id = u.parent_id
        WHERE g.is_active AND s.parent_id = %s ORDER BY g.code""",
               f"""SELECT c.grid_id, count(*) FILTER (WHERE c.status IN {open_states}), count(*) FILTER (WHERE {period}),
        count(*) FILTER (WHERE {period} AND c.status = 'closed'),
        count(*) FILTER (WHERE {period} AND c.status = 'closed' AND c.late_steps = 0)
        FROM grid_gridcase c WHERE c.district_id = %s AND (c.status IN {open_states} OR ({period}))
        GROUP BY c.grid_id"""]
    time_pages([
        ("map of grids, one district (public)", public, "/grid/map/", {"district": district.code, "month": month},
         map_sql, [district.pk]),
        ("map of grids, one district (admin)", staff, "/admin/grid/gridcase/map/",
         {"district": district.code, "month": month}, map_sql, [district.pk]),
        ("dispatcher list, one district (admin)", staff, "/admin/grid/gridcase/", {"district": district.code},
         [queue_sql], [district.pk]),
        ("escalated queue, dispatch centre", staff, "/admin/grid/gridcase/",
         {"district": district.code, "queue": "escalated"}, [escalated_sql.replace(">= 2", ">= 1")], [district.pk]),
        ("escalated queue, district centre", centre_client, "/admin/grid/gridcase/", {"queue": "escalated"},
         [escalated_sql], [district.pk]),
        ("绩效考核, one street, one month", public, "/grid/stats/",
         {"month": month, "group": "community", "street": street.code}, [stats_sql], [street.pk]),
        ("Open311 requests/<id>.json", public, f"/open311/v2/requests/{sample}.json", {}, [lookup_sql], [sample]),
        ("Open311 requests.json?service_request_id", public, "/open311/v2/requests.json",
         {"service_request_id": sample}, [lookup_sql], [sample]),
    ])
    if not args.keep:
        ladder_climb()


def ladder_climb():
    """Every overdue open clock (told, on rung 1) reaches the district's rung at once: one sweep, timed."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from apps.deadlines.services import deadlines_sweep_run
    from apps.workflow.models import TimelineEntry

    from apps.workdays.selectors import calendar_check

    settings.GRID_ESCALATION_HOURS = (24, 72)
    now = timezone.now()
    with connection.cursor() as cursor:
        # On the latest calendar (no catch-up in the timing), told overdue, on rung 1, the next rung's moment come.
        cursor.execute("""UPDATE deadlines_deadline SET notified_status = 'overdue', escalation_level = 1,
            calendar_version = %s, next_check_at = due_at + interval '24 hours'
            WHERE status = 'overdue' AND completed_at IS NULL""", [calendar_check(force=True)])
        climbing = cursor.rowcount
    entries = TimelineEntry.objects.count()
    started = time.perf_counter()
    changed = deadlines_sweep_run(now=now + dt.timedelta(hours=1))
    took = time.perf_counter() - started
    print(f"ladder: {climbing:,} overdue clocks, {changed:,} climbed in one sweep, {took:.1f} s "
          f"({1000 * took / max(climbing, 1):.2f} ms per clock), +{TimelineEntry.objects.count() - entries:,} timeline "
          "lines")


def generate(count):
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction

    from apps.accounts.models import User
    from apps.grid import services
    from apps.grid.models import Grid, GridCase
    from apps.organizations.models import AdminUnit, Department

    started = time.perf_counter()
    call_command("flush", "--no-input", verbosity=0)
    call_command("load_demo", "--reference-only", verbosity=0)
    center = Department.objects.get(code="city-urban-management")
    dispatcher = User.objects.create(username="bench-dispatcher", kind="staff", is_staff=True, department=center)
    dispatcher.groups.add(Group.objects.get(name="dispatcher"))
    centre = User.objects.create(username="bench-district-centre", kind="staff", is_staff=True,
                                 department=Department.objects.get(code="xinglongtai-grid-command"))
    centre.groups.add(Group.objects.get(name="dispatcher"))
    with transaction.atomic():
        Department.objects.filter(admin_unit__level__in=["township", "village"]).delete()
        AdminUnit.objects.filter(level="village").delete()
        AdminUnit.objects.filter(level="township").delete()
        grids = []
        counties = list(AdminUnit.objects.filter(level="county").order_by("code")[:4])
        for d, county in enumerate(counties):
            for s in range(5):
                street = AdminUnit.objects.create(code=f"{county.code}{s + 1:03d}", name=f"{county.name}第{s + 1}街道",
                                                  level="township", parent=county)
                for c in range(5):
                    community = AdminUnit.objects.create(code=f"{street.code}{c + 1:03d}", level="village",
                                                         name=f"{street.name}第{c + 1}社区", parent=street)
                    for g in range(4):
                        n = len(grids)
                        x0, y0 = 121.60 + (n % 20) * 0.02, 40.80 + (n // 20) * 0.02
                        grid = Grid(code=f"{community.code}{g + 1:02d}", name=f"{community.name}第{g + 1}网格",
                                    community=community)
                        services.grid_save(grid=grid, polygon={"type": "Polygon", "coordinates": [[
                            [x0, y0], [x0 + 0.02, y0], [x0 + 0.02, y0 + 0.02], [x0, y0 + 0.02], [x0, y0]]]})
                        grids.append(grid)
    case_type = ContentType.objects.get_for_model(GridCase).pk
    with connection.cursor() as cursor:
        cursor.execute("""CREATE TEMP TABLE bench_grid AS SELECT row_number() OVER (ORDER BY g.id) - 1 AS n, g.id,
            g.community_id, s.id AS street_id, s.parent_id AS district_id, (g.min_lng + g.max_lng) / 2 AS lng,
            (g.min_lat + g.max_lat) / 2 AS lat FROM grid_grid g JOIN organizations_adminunit c ON c.id = g.community_id
            JOIN organizations_adminunit s ON s.id = c.parent_id""")
        cursor.execute("""CREATE TEMP TABLE bench_category AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id,
            department_id FROM grid_casecategory WHERE parent_id IS NOT NULL""")
        cursor.execute("SELECT count(*) FROM bench_category")
        categories = cursor.fetchone()[0]
        batch = 500_000
        for first in range(0, count, batch):
            last = min(first + batch, count)
            # Two years back from 2026-11-20, newest last; ~2 % of the last month's cases still open.
            cursor.execute(f"""
                INSERT INTO grid_gridcase (number, channel, status, category_id, urgency, description, lat, lng,
                    address, grid_id, community_id, street_id, district_id, department_id, reporter_name,
                    reporter_phone, reporter_email, anonymous, device_id, media_url, dispatch_center_id, result,
                    reopen_count, late_steps, return_count, rating_reopened, created_at, updated_at, closed_at,
                    suggestion_confidence)
                SELECT 'WG' || to_char(t, 'YYYYMMDD') || lpad(i::text, 7, '0'),
                    (ARRAY['patrol','photo','hotline','open311'])[1 + i % 4],
                    CASE WHEN t > timestamptz '2026-11-20' - interval '20 days' AND i % 7 = 0
                         THEN (ARRAY['reported','registered','dispatched','handled'])[1 + i % 4]
                         WHEN i % 50 = 0 THEN 'not_registered' ELSE 'closed' END,
                    k.id, CASE WHEN i % 20 = 0 THEN 'urgent' ELSE 'normal' END, '巡查发现问题，请处理', g.lat, g.lng,
                    '', g.id, g.community_id, g.street_id, g.district_id, k.department_id, '', '', '', false, '', '',
                    {center.pk}, '', (i % 23 = 0)::int, (i % 9 = 0)::int, (i % 17 = 0)::int, false, t, t, t + interval '2 days',
                    NULL
                FROM generate_series({first}, {last - 1}) AS i
                CROSS JOIN LATERAL (SELECT timestamptz '2026-11-20' - (({count} - i)::float / {count} * interval '730 days') AS t) AS tt
                JOIN bench_grid g ON g.n = i % 400
                JOIN bench_category k ON k.n = (i / 7) % {categories}""")
            print(f"  {last:,} cases ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute("""UPDATE grid_gridcase SET closed_at = NULL WHERE status NOT IN ('closed', 'not_registered')""")
        # 绩效考核 per department counts the cases dispatched to it (GridCase.dispatched_at).
        cursor.execute("""UPDATE grid_gridcase SET dispatched_at = created_at + interval '1 hour'
                          WHERE status IN ('dispatched', 'handled', 'closed')""")
        # Running clocks for the open cases (a third of them overdue), and the copy of their due moment.
        cursor.execute(f"""INSERT INTO deadlines_deadline (content_type_id, object_id, stage, label, unit, "limit",
                extension, due_soon_before, started_at, cycle, due_at, due_soon_at, provisional, status,
                notified_status, responsible_department_id, responsible_role, url, calendar_version)
            SELECT {case_type}, c.id::text, 'handle', '处置', 'working_days', 3, 0, 1, c.created_at, 1,
                c.created_at + interval '3 days', c.created_at + interval '2 days', false,
                CASE WHEN c.created_at + interval '3 days' < now() THEN 'overdue' ELSE 'running' END, '', {center.pk},
                'dispatcher', '', 0 FROM grid_gridcase c WHERE c.status IN ('reported','registered','dispatched','handled')""")
        cursor.execute(f"""UPDATE grid_gridcase c SET current_deadline_id = d.id, due_at = d.due_at
            FROM deadlines_deadline d WHERE d.content_type_id = {case_type} AND d.object_id = c.id::text""")
        # The overdue ones on the ladder's rungs (1 overdue, 2 district, 3 city), as the sweep would leave them.
        cursor.execute("""UPDATE grid_gridcase SET escalation_level = 1 + id % 3, escalations = 1 + id % 3
            WHERE due_at < now() AND status IN ('reported','registered','dispatched','handled')""")
        cursor.execute("""INSERT INTO grid_caserating (case_id, level, comment, created_at)
            SELECT id, (ARRAY['satisfied','satisfied','fairly_satisfied','dissatisfied'])[1 + id % 4], '', closed_at
            FROM grid_gridcase WHERE status = 'closed' AND id % 4 = 0""")
    print(f"generated in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
