"""Benchmark: the honor showcase at volume (PostgreSQL).

    .venv/bin/python bench/honors_showcase.py --database-url postgres://portal:portal@127.0.0.1:5432/portal_bench \
        [--enterprises 20000] [--keep]

Generates --enterprises published enterprises, each with 1-3 honors, 5 products and 3 images per product (attachment
rows sharing one stored picture), a published version whose content is what the public page reads, jieba search tokens
and their tsvector; plus 2,000 open applications, 600 of them in the acceptance queue with running deadlines. Then
times, through Django's test client and beside the bare SQL of the same question (median of 15 runs, SQL queries per
page):
  1. the public showcase list with one filter (an honor category; a district; a search word);
  2. one enterprise's public page;
  3. the acceptance officer's queue (admin changelist, by deadline).
"""
import argparse
import random
import time

from _common import django_setup, time_pages  # bench/ is on sys.path when run as a script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is emptied")
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data of a previous run")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.db import connection
    from django.test import Client

    from apps.accounts.models import User
    from apps.attachments.models import Attachment
    from apps.honors.models import HonorApplication, HonorCategory, Product, Showcase

    if not args.keep or not Showcase.objects.exists():
        generate(args.enterprises)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"rows: {Showcase.objects.filter(status='published').count():,} published enterprises, "
          f"{Product.objects.count():,} products, {Attachment.objects.count():,} attachments, "
          f"{HonorApplication.objects.count():,} applications "
          f"({HonorApplication.objects.filter(status='in_acceptance').count():,} awaiting acceptance)")

    category = HonorCategory.objects.get(code="agri-leading")
    published = Showcase.objects.filter(status="published")
    sample = published.order_by("id")[published.count() // 2]
    officer = User.objects.get(username="bench-officer")
    public, staff = Client(), Client()
    staff.force_login(officer)
    list_sql = """SELECT s.id, s.name, s.industry, s.summary, s.cover, s.published_at, d.name
        FROM honors_showcase s LEFT JOIN organizations_adminunit d ON d.id = s.district_id {join}
        WHERE s.status = 'published' {where} ORDER BY s.published_at DESC, s.id DESC LIMIT 24"""
    count_sql = "SELECT count(*) FROM honors_showcase s {join} WHERE s.status = 'published' {where}"
    by_category = ("JOIN honors_showcase_categories c ON c.showcase_id = s.id", "AND c.honorcategory_id = %s")
    by_district = ("", "AND s.district_id = (SELECT id FROM organizations_adminunit WHERE code = %s)")
    by_word = ("", "AND s.search_vector @@ plainto_tsquery('simple', %s)")
    queue_sql = """SELECT a.id, a.reference, a.name, a.kind, a.status, a.submitted_at, d.due_at, d.status
        FROM honors_honorapplication a LEFT JOIN deadlines_deadline d ON d.id = a.current_deadline_id
        WHERE a.department_id = %s AND a.status = 'in_acceptance'
        ORDER BY a.due_at ASC NULLS LAST, a.submitted_at DESC, a.id DESC LIMIT 50"""
    pages = [
        ("showcase list, category filter", public, "/showcase/", {"category": category.code},
         [list_sql.format(join=by_category[0], where=by_category[1]),
          count_sql.format(join=by_category[0], where=by_category[1])], [category.pk]),
        ("showcase list, district filter", public, "/showcase/", {"district": "211104"},
         [list_sql.format(join="", where=by_district[1]), count_sql.format(join="", where=by_district[1])],
         ["211104"]),
        ("showcase list, search 大米", public, "/showcase/", {"q": "大米"},
         [list_sql.format(join="", where=by_word[1]), count_sql.format(join="", where=by_word[1])], ["大米"]),
        ("enterprise page", public, f"/showcase/{sample.pk}/", {},
         ["SELECT s.*, v.content FROM honors_showcase s JOIN honors_showcaseversion v ON v.id = s.current_version_id "
          "WHERE s.id = %s AND s.status = 'published'"], [sample.pk]),
        ("acceptance queue (admin)", staff, "/admin/honors/honorapplication/", {}, [queue_sql],
         [officer.department_id]),
    ]
    time_pages(pages)


def generate(count):
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.accounts.models import EnterpriseProfile, User
    from apps.accounts.validators import credit_code_check_char
    from apps.attachments.models import Attachment, private_storage
    from apps.core.text import index_tokens
    from apps.deadlines.models import Deadline
    from apps.demo.honors import picture
    from apps.honors.constants import Industry
    from apps.honors.models import ClaimedHonor, HonorApplication, HonorCategory, Product, Showcase, ShowcaseVersion
    from apps.organizations.models import AdminUnit, Department

    started = time.perf_counter()
    call_command("flush", "--no-input", verbosity=0)
    call_command("load_demo", "--reference-only", verbosity=0)
    market = Department.objects.get(code="city-market-regulation")
    officer = User.objects.create(username="bench-officer", kind="staff", is_staff=True, department=market)
    officer.groups.add(Group.objects.get(name="acceptance_officer"))
    rng = random.Random(20261123)
    categories = list(HonorCategory.objects.all())
    districts = list(AdminUnit.objects.filter(level="county"))
    industries = [c for c in Industry.values]
    now = timezone.now()
    # One stored picture shared by every image row: the benchmark is about the database, not the disk.
    stored = private_storage().save("bench/product.jpg", ContentFile(picture("盘锦大米", [46, 125, 50]).read()))
    words = ["大米", "河蟹", "石化", "新材料", "装备", "旅游", "糕点", "合作社", "绿色", "智能", "沥青", "湿地"]
    app_type = ContentType.objects.get_for_model(HonorApplication)
    batch = 1000
    for start in range(0, count, batch):
        with transaction.atomic():
            n_range = range(start, min(start + batch, count))
            users = User.objects.bulk_create([
                User(username=f"b{n}", kind="enterprise", phone=f"150{n:08d}", password="!") for n in n_range])
            codes = []
            for n in n_range:
                first17 = f"91211100MB{n:07d}"
                codes.append(first17 + credit_code_check_char(first17))
            EnterpriseProfile.objects.bulk_create([
                EnterpriseProfile(user=u, name=f"盘锦{rng.choice(words)}测试企业{n:05d}有限公司", credit_code=code,
                                  legal_representative="法人", contact_name="联系人", contact_phone="13700000000")
                for n, u, code in zip(n_range, users, codes)])
            names = {p.user_id: p.name for p in EnterpriseProfile.objects.filter(user__in=users)}
            showcases = Showcase.objects.bulk_create([
                Showcase(enterprise=u, department=market, name=names[u.pk], credit_code=code, status="published",
                         industry=rng.choice(industries), district=rng.choice(districts),
                         published_at=now - dt.timedelta(minutes=n), summary=f"{names[u.pk]}的企业概况")
                for n, u, code in zip(n_range, users, codes)])
            applications = HonorApplication.objects.bulk_create([
                HonorApplication(reference=f"RY-BENCH-{s.pk:06d}", applicant=s.enterprise, showcase=s,
                                 department=market, status="published", name=s.name, credit_code=s.credit_code,
                                 industry=s.industry, district=s.district, profile="<p>企业概况</p>" * 5,
                                 development="<p>企业发展</p>" * 5, brand="<p>品牌建设</p>" * 5,
                                 eligibility_confirmed=True, submitted_at=now, decided_at=now)
                for s in showcases])
            products, honors, links = [], [], []
            for s, application in zip(showcases, applications):
                chosen = rng.sample(categories, rng.randint(1, 3))
                honors += [ClaimedHonor(application=application, category=c, issuer="辽宁省科学技术厅",
                                        issuer_level="provincial", issued_on=dt.date(2024, 5, 1), number=f"N{s.pk}-{c.pk}")
                           for c in chosen]
                links += [Showcase.categories.through(showcase_id=s.pk, honorcategory_id=c.pk) for c in chosen]
                products += [Product(application=application, name=f"{rng.choice(words)}产品{k}", model=f"M-{k}",
                                     specification="5千克/袋", standard="GB/T 1354-2018", description="产品描述",
                                     order=k) for k in range(5)]
            ClaimedHonor.objects.bulk_create(honors)
            Showcase.categories.through.objects.bulk_create(links)
            products = Product.objects.bulk_create(products)
            images = [Attachment(content_type=app_type, object_id=str(p.application_id),
                                 purpose=f"product_image:{p.pk}", file=stored, thumbnail=stored,
                                 original_name="product.jpg", mime="image/jpeg", extension="jpg", size=1000,
                                 sha256="0" * 64, uploaded_at=now) for p in products for _ in range(3)]
            Attachment.objects.bulk_create(images)
            by_app = {}
            for p in products:
                by_app.setdefault(p.application_id, []).append(p)
            by_product = {}
            for a in images:
                by_product.setdefault(int(a.purpose.split(":")[1]), []).append(str(a.pk))
            category_names = {c.pk: c.name for c in categories}
            versions = ShowcaseVersion.objects.bulk_create([
                ShowcaseVersion(showcase=s, number=1, application=application, published_at=now, content={
                    "name": s.name, "credit_code": s.credit_code, "industry": s.industry, "industry_label": "",
                    "district": "", "contact_phone": "", "website": "", "profile": application.profile,
                    "development": application.development, "brand": application.brand, "products_intro": "",
                    "honors": [{"category_id": link.honorcategory_id, "category": category_names[link.honorcategory_id],
                                "issuer": "辽宁省科学技术厅", "issuer_level": "provincial", "issuer_level_label": "省级",
                                "issued_on": "2024-05-01", "number": "N", "signature": []}
                               for link in links if link.showcase_id == s.pk],
                    "products": [{"name": p.name, "model": p.model, "specification": p.specification,
                                  "standard": p.standard, "technical_requirements": "", "description": p.description,
                                  "images": by_product[p.pk], "video": None} for p in by_app[application.pk]],
                }) for s, application in zip(showcases, applications)])
            for s, v in zip(showcases, versions):
                s.current_version = v
                s.cover = by_product[by_app[v.application_id][0].pk][0]
                s.search_tokens = index_tokens(s.name, s.summary)
            Showcase.objects.bulk_update(showcases, ["current_version", "cover", "search_tokens"])
        print(f"  {min(start + batch, count):,} enterprises ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE honors_showcase SET search_vector = to_tsvector('simple', search_tokens)")
    # Open work: 2,000 applications of other enterprises, 600 of them awaiting acceptance with running clocks.
    deadline_type = ContentType.objects.get_for_model(HonorApplication)
    with transaction.atomic():
        users = User.objects.bulk_create([User(username=f"q{n}", kind="enterprise", password="!")
                                          for n in range(2000)])
        showcases = Showcase.objects.bulk_create([
            Showcase(enterprise=u, department=market, name=f"待受理企业{n:04d}", credit_code=f"Q{n:017d}")
            for n, u in enumerate(users)])
        statuses = ["in_acceptance"] * 600 + ["in_review"] * 900 + ["returned"] * 200 + ["draft"] * 300
        applications = HonorApplication.objects.bulk_create([
            HonorApplication(reference=f"RY-OPEN-{n:06d}", applicant=s.enterprise, showcase=s, department=market,
                             status=status, name=s.name, credit_code=s.credit_code,
                             submitted_at=now - dt.timedelta(hours=n))
            for n, (s, status) in enumerate(zip(showcases, statuses))])
        deadlines = Deadline.objects.bulk_create([
            Deadline(content_type=deadline_type, object_id=str(a.pk), stage="acceptance", label="受理",
                     unit="working_days", limit=5, started_at=a.submitted_at,
                     due_at=a.submitted_at + dt.timedelta(days=rng.randint(-3, 7)), status="running",
                     responsible_department=market, responsible_role="acceptance_officer")
            for a in applications if a.status == "in_acceptance"])
        for a, d in zip([a for a in applications if a.status == "in_acceptance"], deadlines):
            a.current_deadline, a.due_at = d, d.due_at
        HonorApplication.objects.bulk_update([a for a in applications if a.current_deadline_id],
                                             ["current_deadline", "due_at"])
    print(f"generated in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
