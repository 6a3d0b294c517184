"""Benchmark: the one-window service at volume (PostgreSQL).

    .venv/bin/python bench/applications_queue.py --database-url postgres://portal:portal@127.0.0.1:5432/portal_bench \
        [--rows 1000000] [--keep]

Builds the schema in the given (scratch) database, generates 40 departments, 200 service items, 200,000 applicants
and --rows applications (8 % still open, each with its running deadline filled in as deadline_start fills it), then
times, through Django's test client with a real session, and beside the bare SQL of the same question:
  1. a clerk's queue, first page (one department, sorted by deadline) — the admin changelist;
  2. an applicant's list ("my applications");
  3. the public lookup by reference number + last four phone digits.
Prints medians of 15 runs and the number of SQL queries of each page.
"""
import argparse
import time

from _common import django_setup, median_ms  # bench/ is on sys.path when run as a script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is emptied")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data of a previous run")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from apps.accounts.models import User
    from apps.applications.models import Application
    from apps.organizations.models import Department

    if not args.keep or not Application.objects.exists():
        generate(args.rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps: visibility map for index-only counts

    department = Department.objects.get(code="bench-dept-07")
    clerk = User.objects.get(username="bench-clerk-07")
    heavy = (Application.objects.values("applicant").order_by().annotate(n=Count("id"))
             .order_by("-n").first())
    applicant = User.objects.get(pk=heavy["applicant"])
    sample = Application.objects.filter(department=department).exclude(reference=None).order_by("id")[1000]
    total = Application.objects.count()
    print(f"rows: {total:,} applications; department {department.name}: "
          f"{Application.objects.filter(department=department).count():,}; applicant with {heavy['n']} applications")

    clerk_client, applicant_client, public = Client(), Client(), Client()
    clerk_client.force_login(clerk)
    applicant_client.force_login(applicant)
    pages = [
        ("clerk queue, first page (admin)", clerk_client, "/admin/applications/application/", {},
         """SELECT a.id, a.reference, a.status, d.due_at FROM applications_application a
            LEFT JOIN deadlines_deadline d ON d.id = a.current_deadline_id
            WHERE a.department_id = %s AND a.status IN ('submitted', 'supplement_requested', 'accepted',
                                                         'approved', 'denied')
            ORDER BY a.due_at ASC NULLS LAST, a.submitted_at DESC LIMIT 50""", [department.pk]),
        ("clerk queue, all 25,000 (admin)", clerk_client, "/admin/applications/application/", {"queue": "all"},
         """SELECT a.id, a.reference, a.status, d.due_at FROM applications_application a
            LEFT JOIN deadlines_deadline d ON d.id = a.current_deadline_id
            WHERE a.department_id = %s AND a.status <> 'draft'
            ORDER BY a.due_at ASC NULLS LAST, a.submitted_at DESC LIMIT 50""", [department.pk]),
        ("applicant's list", applicant_client, "/applications/", {},
         """SELECT a.id, a.reference, a.status FROM applications_application a WHERE a.applicant_id = %s
            ORDER BY a.created_at DESC""", [applicant.pk]),
        ("lookup by reference + phone", public, "/applications/lookup/",
         {"reference": sample.reference, "phone_last4": sample.phone[-4:]},
         "SELECT id, phone FROM applications_application WHERE reference = %s", [sample.reference]),
    ]
    print(f"{'page':34} {'page ms':>9} {'queries':>8} {'bare SQL ms':>12}")
    for label, client, url, params, sql, sql_params in pages:
        connection.force_debug_cursor = True
        before = len(connection.queries_log)
        response = client.get(url, params)
        queries = len(connection.queries_log) - before
        connection.force_debug_cursor = False
        assert response.status_code == 200, (url, response.status_code)
        page_ms = median_ms(lambda: client.get(url, params))

        def bare():
            with connection.cursor() as cursor:
                cursor.execute(sql, sql_params)
                cursor.fetchall()

        print(f"{label:34} {page_ms:9.1f} {queries:8d} {median_ms(bare):12.2f}")


def generate(rows):
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext

    from apps.accounts.models import User
    from apps.applications.constants import ACCEPTANCE_LIMIT, DUE_SOON_WORKING_DAYS, Stage
    from apps.applications.models import Application
    from apps.catalogue.models import ServiceItem
    from apps.deadlines.constants import EventKind, Unit
    from apps.organizations.models import AdminUnit, Department
    from apps.organizations.services import roles_sync

    started = time.perf_counter()
    call_command("flush", "--no-input", verbosity=0)
    call_command("load_demo", "--reference-only", verbosity=0)
    roles_sync()
    city = AdminUnit.objects.get(code="211100")
    clerk_group = Group.objects.get(name="clerk")
    departments, clerk_ids = [], []
    for i in range(40):
        department = Department.objects.create(code=f"bench-dept-{i:02d}", name=f"市测试局{i:02d}", admin_unit=city)
        departments.append(department)
        clerk = User.objects.create_user(username=f"bench-clerk-{i:02d}", password="x", kind="staff", is_staff=True,
                                         department=department)
        clerk.groups.add(clerk_group)
        clerk_ids.append(clerk.pk)
    services = [ServiceItem.objects.create(code=f"BENCH-{i:04d}", name=f"测试事项{i:04d}", service_type="licence",
                                           department=departments[i % 40], legal_basis="-", acceptance_conditions="-",
                                           legal_limit=20, promised_limit=10, place="-", phone="-")
                for i in range(200)]
    ct = ContentType.objects.get_for_model(Application).pk
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                       is_active, date_joined, kind, phone)
            SELECT '!', false, 'bench-' || g, '', '', '', false, true, now(), 'citizen', '13' || lpad(g::text, 9, '0')
            FROM generate_series(1, 200000) g""")
        cursor.execute("SELECT min(id) FROM accounts_user WHERE username LIKE 'bench-%%' AND kind = 'citizen'")
        first_user = cursor.fetchone()[0]
        first_service = services[0].pk
        # 8 % open (4 % submitted, 4 % accepted), the rest refused or completed; spread over three years.
        cursor.execute(f"""
            INSERT INTO applications_application (reference, service_id, department_id, applicant_id, status,
                applicant_name, applicant_code, phone, email, address, description, conditions_met,
                created_at, submitted_at, declaration_at, extension_used)
            SELECT 'YW-' || to_char(t, 'YYYYMMDD') || '-' || lpad(g::text, 6, '0'),
                   {first_service} + (g % 200), s.department_id, {first_user} + (g::bigint * 7919) % 200000,
                   CASE WHEN (g / 200) % 25 = 0 THEN 'submitted' WHEN (g / 200) % 25 = 1 THEN 'accepted'
                        WHEN (g / 200) % 25 = 2 THEN 'refused' ELSE 'completed' END,
                   '申请人' || g, '211103198501010000', '13' || lpad(((g::bigint * 7919) % 200000 + 1)::text, 9, '0'),
                   '', '', '', '[]', t, t, t, false
            FROM generate_series(1, {rows}) g
            CROSS JOIN LATERAL (SELECT now() - ((g % 1095) || ' days')::interval - ((g % 86400) || ' seconds')::interval AS t) tt
            JOIN catalogue_serviceitem s ON s.id = {first_service} + (g % 200)""")
        # The running clock of each open application, as the transitions start it (deadline_start): submitted →
        # the acceptance clock (5 working days, for the department's clerks); accepted → the decision clock (the
        # service's limit, the clerk who accepted it responsible). The moments are spread around now (a fifth
        # overdue, some due soon) rather than computed from the calendar.
        with translation.override(settings.LANGUAGE_CODE):
            acceptance_label = gettext("Acceptance (5 working days)")
            decision_label = gettext("Decision (%(n)s working days)")
        url = reverse("admin:applications_application_change", args=[0]).split("/0/")
        clerks = ", ".join(f"({d.pk}, {c})" for d, c in zip(departments, clerk_ids))
        cursor.execute(f"""
            INSERT INTO deadlines_deadline (content_type_id, object_id, stage, label, unit, "limit", extension,
                due_soon_before, started_at, cycle, due_at, due_soon_at, provisional, status, notified_status,
                responsible_user_id, responsible_department_id, responsible_role, url)
            SELECT {ct}, a.id::text, x.stage,
                   CASE WHEN x.stage = %s THEN %s ELSE replace(%s, '%%(n)s', x.lim::text) END,
                   %s, x.lim, 0, %s, now() - ((a.id %% 10) || ' days')::interval, 1,
                   now() + (((a.id %% 15) - 3) || ' days')::interval, now() + (((a.id %% 15) - 5) || ' days')::interval,
                   false,
                   CASE WHEN a.id %% 15 < 3 THEN 'overdue' WHEN a.id %% 15 < 5 THEN 'due_soon' ELSE 'running' END,
                   '', CASE WHEN x.stage = %s THEN c.clerk_id END, a.department_id, %s, %s || '/' || a.id || '/' || %s
            FROM applications_application a
            JOIN catalogue_serviceitem s ON s.id = a.service_id
            JOIN (VALUES {clerks}) c (department_id, clerk_id) ON c.department_id = a.department_id
            CROSS JOIN LATERAL (SELECT CASE WHEN a.status = 'submitted' THEN %s ELSE %s END AS stage,
                CASE WHEN a.status = 'submitted' THEN %s ELSE least(s.promised_limit, s.legal_limit) END AS lim) x
            WHERE a.status IN ('submitted', 'accepted')""",
            [Stage.ACCEPTANCE, acceptance_label, decision_label, Unit.WORKING_DAYS, DUE_SOON_WORKING_DAYS,
             Stage.DECISION, "", url[0], url[1], Stage.ACCEPTANCE, Stage.DECISION, ACCEPTANCE_LIMIT])
        cursor.execute("""
            INSERT INTO deadlines_deadlineevent (deadline_id, kind, at, actor_id, units, reason)
            SELECT id, %s, started_at, responsible_user_id, "limit", '' FROM deadlines_deadline""", [EventKind.START])
        # The planner has no statistics on the tables just loaded: without them it nests loops over the join below.
        cursor.execute("ANALYZE applications_application, deadlines_deadline")
        cursor.execute(f"""
            UPDATE applications_application a SET current_deadline_id = d.id, due_at = d.due_at,
                accepted_at = CASE WHEN d.stage = '{Stage.DECISION}' THEN d.started_at END
            FROM deadlines_deadline d WHERE d.content_type_id = {ct} AND d.object_id = a.id::text""")
    print(f"generated in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
