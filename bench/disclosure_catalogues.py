"""Benchmark: the public disclosure catalogues at volume (PostgreSQL).

    .venv/bin/python bench/disclosure_catalogues.py --database-url postgres://portal:portal@127.0.0.1:5432/portal_bench \
        [--entries 100000] [--keep]

Builds the schema in the given (scratch) database and generates 200 government units over three levels (the city,
20 counties, 179 townships), about 1,000 catalogues and --entries entries, one catalogue of 5,000 entries among them.
Every catalogue is published through the real services (jieba tokens, versions). Then times, through Django's test
client and beside the bare SQL of the same question (median of 15 runs, SQL queries per page):
  1. public search across all entries (a common word, a rare word, a word with a level filter);
  2. a catalogue page (a county catalogue of ~120 entries; the first page of the 5,000-entry one);
  3. the xlsx export of the 5,000-entry catalogue: written once per version (with its peak Python memory, by
     tracemalloc), then served from the stored file.
"""
import argparse
import time
import tracemalloc

from _common import ROOT, django_setup, median_ms  # bench/ is on sys.path when run as a script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is emptied")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data of a previous run")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.CELERY_TASK_ALWAYS_EAGER = False  # no PDFs during generation
    from apps.disclosure.models import Catalogue, PublishedEntry

    if not args.keep or not PublishedEntry.objects.exists():
        generate(args.entries)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    big = Catalogue.objects.order_by("-current_version__entry_count").select_related("current_version").first()
    county = (Catalogue.objects.filter(admin_unit__level="county").select_related("current_version")
              .order_by("id").first())
    print(f"rows: {PublishedEntry.objects.filter(is_current=True).count():,} published entries in "
          f"{Catalogue.objects.count():,} catalogues of "
          f"{Catalogue.objects.values('admin_unit').distinct().count()} units; largest catalogue "
          f"{big.current_version.entry_count:,} entries")

    client = Client()
    search_sql = """SELECT e.id, e.category_l1, e.category_l2, e.content_elements, e.time_limit, e.mode
        FROM disclosure_publishedentry e
        WHERE e.is_current {extra} AND e.search_vector @@ plainto_tsquery('simple', %s)
        ORDER BY e.catalogue_id, e.position, e.id LIMIT 20"""
    count_sql = """SELECT count(*) FROM disclosure_publishedentry e WHERE e.is_current {extra}
        AND e.search_vector @@ plainto_tsquery('simple', %s)"""
    pages = [
        ("search 低保 (common)", "/disclosure/search/", {"q": "低保"}, [(search_sql, ""), (count_sql, "")], ["低保"]),
        ("search 随迁子女 (rarer)", "/disclosure/search/", {"q": "随迁子女"}, [(search_sql, ""), (count_sql, "")],
         ["随迁 子女"]),
        ("search 低保 + level=township", "/disclosure/search/", {"q": "低保", "level": "township"},
         [(search_sql, "AND e.level = 'township'"), (count_sql, "AND e.level = 'township'")], ["低保"]),
        (f"catalogue page, {county.current_version.entry_count} entries", f"/disclosure/catalogues/{county.pk}/", {},
         [("SELECT * FROM disclosure_publishedentry WHERE version_id = %s ORDER BY position, id LIMIT 200", "")],
         [county.current_version_id]),
        (f"catalogue page 1, {big.current_version.entry_count:,} entries", f"/disclosure/catalogues/{big.pk}/", {},
         [("SELECT * FROM disclosure_publishedentry WHERE version_id = %s ORDER BY position, id LIMIT 200", "")],
         [big.current_version_id]),
    ]
    print(f"{'page':36} {'page ms':>9} {'queries':>8} {'bare SQL ms':>12}")
    for label, url, params, statements, sql_params in pages:
        connection.force_debug_cursor = True
        before = len(connection.queries_log)
        response = client.get(url, params)
        queries = len(connection.queries_log) - before
        connection.force_debug_cursor = False
        assert response.status_code == 200, (url, response.status_code)
        page_ms = median_ms(lambda: client.get(url, params))

        def bare():
            with connection.cursor() as cursor:
                for sql, extra in statements:
                    cursor.execute(sql.format(extra=extra), sql_params)
                    cursor.fetchall()

        print(f"{label:36} {page_ms:9.1f} {queries:8d} {median_ms(bare):12.2f}")

    filters_table(client, connection)

    # xlsx export of the largest catalogue: the view (what a visitor waits for) and the writer's peak memory.
    from apps.disclosure import services
    from apps.disclosure.models import CatalogueVersion

    url = f"/disclosure/catalogues/{big.pk}/export.xlsx"
    CatalogueVersion.objects.filter(pk=big.current_version_id).update(xlsx="")
    started = time.perf_counter()
    services.version_xlsx_render(version_id=big.current_version_id)
    first_ms = (time.perf_counter() - started) * 1000
    response = client.get(url)
    assert response.status_code == 200
    size = len(b"".join(response.streaming_content))
    export_ms = median_ms(lambda: b"".join(client.get(url).streaming_content), runs=5)
    from apps.disclosure.selectors import version_entries
    from apps.disclosure.tables import xlsx_write
    import io

    tracemalloc.start()
    out = io.BytesIO()
    xlsx_write(title=big.title, entries=version_entries(version=big.current_version).iterator(chunk_size=1000),
               out=out)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    csv_ms = median_ms(lambda: client.get(f"/disclosure/catalogues/{big.pk}/export.csv"), runs=5)
    print(f"xlsx export, {big.current_version.entry_count:,} entries: written once in {first_ms:.0f} ms "
          f"(peak Python memory of the writer {peak / 1024 / 1024:.1f} MiB), then served in {export_ms:.1f} ms "
          f"(median of 5); {size / 1024:.0f} KiB file; CSV on the fly {csv_ms:.0f} ms")


FILTERS = [
    ("(none)", {}),
    ("level=township", {"level": "township"}),
    ("level=county", {"level": "county"}),
    ("level=city", {"level": "city"}),
    ("domain", {"domain": "DOMAIN"}),
    ("mode=on_request", {"mode": "on_request"}),
    ("audience=specific_group", {"audience": "specific_group"}),
    ("channel=notice_board", {"channel": "notice_board"}),
    ("level=township + domain", {"level": "township", "domain": "DOMAIN"}),
    ("level=county + mode + channel", {"level": "county", "mode": "proactive", "channel": "website"}),
]


def filters_table(client, connection):
    """Issue 18 item 6: every filter of the public search, with a common word, a rare word and no word, beside the same
    search without filters (the ratio is the filtered page's time over the unfiltered one's)."""
    from apps.disclosure.models import Domain

    domain = str(Domain.objects.get(code="social-assistance").pk)
    print(f"\n{'search':12} {'filters':32} {'page ms':>8} {'× unfiltered':>13} {'results':>8}")
    for word in ("低保", "随迁子女", ""):
        base = None
        for label, params in FILTERS:
            query = {k: (domain if v == "DOMAIN" else v) for k, v in params.items()}
            if word:
                query["q"] = word
            response = client.get("/disclosure/search/", query)
            assert response.status_code == 200
            paginator = response.context["page"].paginator
            count = f">{paginator.cap:,}" if paginator.capped else f"{paginator.count:,}"
            ms = median_ms(lambda: client.get("/disclosure/search/", query))
            base = base or ms
            print(f"{word or '(no word)':12} {label:32} {ms:8.1f} {ms / base:13.2f} {count:>8}")


def generate(total):
    import json

    from django.core.management import call_command
    from django.db import connection, transaction

    from apps.accounts.models import User
    from apps.disclosure import services
    from apps.disclosure.models import Domain, Entry
    from apps.disclosure.tables import channels_parse
    from apps.organizations.models import AdminUnit, Department
    from apps.workflow.services import transition_perform

    started = time.perf_counter()
    call_command("flush", "--no-input", verbosity=0)
    call_command("load_demo", "--reference-only", verbosity=0)
    admin = User.objects.create_superuser(username="bench-admin", password="x", kind="staff")
    city = AdminUnit.objects.get(code="211100")
    Department.objects.exclude(admin_unit__level__in=["city", "county"]).exclude(
        admin_unit__in=AdminUnit.objects.filter(level="township")).delete()
    AdminUnit.objects.filter(level="village").delete()
    counties = list(AdminUnit.objects.filter(level="county"))
    for i in range(len(counties), 20):
        counties.append(AdminUnit.objects.create(code=f"2111{50 + i:02d}", name=f"测试{i:02d}区", level="county",
                                                 parent=city))
    townships = list(AdminUnit.objects.filter(level="township"))
    index = 0
    while len(townships) < 179:
        county = counties[index % 20]
        townships.append(AdminUnit.objects.create(code=f"{county.code}{200 + index:03d}",
                                                  name=f"测试{index:03d}街道", level="township", parent=county))
        index += 1
    offices = {}
    for unit in [city, *counties, *townships]:
        office = Department.objects.filter(admin_unit=unit, name__contains="政府办公室").first() or \
            Department.objects.filter(admin_unit=unit).first()
        if office is None:
            office = Department.objects.create(code=f"bench-office-{unit.code}", admin_unit=unit,
                                               name=f"{unit.name}{'人民政府办公室' if unit.level == 'county' else '办事处'}")
        offices[unit.pk] = office
    domains = list(Domain.objects.filter(kind="pilot"))
    demo = json.loads((ROOT / "fixtures/demo/disclosure.json").read_text(encoding="utf-8"))
    pool = [entry for spec in demo["city"] + demo["others"][:2] for entry in spec["entries"]]
    plan = [(city, domains[2], 5000)]  # 义务教育 of the city: the 5,000-entry catalogue
    plan += [(city, d, None) for d in domains if d != domains[2]]
    plan += [(c, d, None) for c in counties for d in domains[:10]]
    plan += [(t, d, None) for t in townships for d in domains[:5]]
    rest = total - 5000
    each, extra = divmod(rest, len(plan) - 1)
    for n, (unit, domain, size) in enumerate(plan):
        size = size or each + (1 if n <= extra else 0)
        with transaction.atomic():
            catalogue = services.catalogue_create(actor=admin, admin_unit=unit, domain=domain,
                                                  department=offices[unit.pk], reviewing_department=offices[unit.pk])
            rows = []
            for i in range(size):
                base = pool[(i + n) % len(pool)]
                channels, other = channels_parse(base["channels"])
                rows.append(Entry(
                    catalogue=catalogue, position=i + 1, category_l1=base["category_l1"] + ("" if i < 40 else f"{i // 40}"),
                    category_l2=f"{base['category_l2']}（{unit.name}）{i + 1}", content_elements=base["content_elements"],
                    basis=base["basis"], time_limit=base["time_limit"], publisher=offices[unit.pk].name,
                    responsible_section=base["responsible_section"], channels=",".join(channels),
                    channels_other=other, audience="specific_group" if base["audience_group"] else "public",
                    audience_group=base["audience_group"], mode="on_request" if base["mode"] == "依申请" else "proactive",
                    enquiry_phone="0427-2826109"))
            Entry.objects.bulk_create(rows, batch_size=1000)
            # Through the one door the admin buttons use (submit, then publish: jieba tokens, the version).
            catalogue = transition_perform(actor=admin, obj=catalogue, name="submit")
            transition_perform(actor=admin, obj=catalogue, name="publish")
        if n % 100 == 0:
            print(f"  {n:,}/{len(plan):,} catalogues, {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_notification")
    print(f"generated in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
