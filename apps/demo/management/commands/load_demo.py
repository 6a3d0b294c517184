import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.catalogue.services import catalogue_load
from apps.demo.bundles import bundles_demo_load
from apps.demo.licences import licences_demo_load
from apps.licences.services import licence_kinds_load
from apps.demo.disclosure import catalogues_demo_load
from apps.demo.grid import grids_demo_load
from apps.demo.honors import showcases_demo_load
from apps.disclosure.services import domains_load
from apps.grid.services import categories_load as grid_categories_load
from apps.honors.services import categories_load
from apps.organizations import services as organization_services
from apps.organizations.models import Department


class Command(BaseCommand):
    help = ("Load the reference data (roles, administrative units, departments, disclosure domains, honor and grid "
            "categories) and the demo data (accounts, service items, disclosure catalogues, grids, honor showcases); "
            "--reference-only skips the demo data. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--reference-only", action="store_true", help="skip the demo data")

    @transaction.atomic
    def handle(self, *args, reference_only=False, **options):
        base = settings.BASE_DIR / "fixtures"
        organization_services.roles_sync()
        orgs = json.loads((base / "reference" / "organizations.json").read_text(encoding="utf-8"))
        organization_services.organizations_load(admin_units=orgs["admin_units"], departments=orgs["departments"])
        self.stdout.write(f"reference: {len(orgs['admin_units'])} administrative units, {len(orgs['departments'])} departments")
        domains = json.loads((base / "reference" / "disclosure_domains.json").read_text(encoding="utf-8"))
        self.stdout.write(f"reference: {domains_load(rows=domains['domains'])} disclosure domains")
        honors = json.loads((base / "reference" / "honor_categories.json").read_text(encoding="utf-8"))
        self.stdout.write(f"reference: {categories_load(rows=honors['categories'])} honor categories")
        kinds = json.loads((base / "reference" / "licence_kinds.json").read_text(encoding="utf-8"))
        self.stdout.write(f"reference: {licence_kinds_load(rows=kinds['kinds'])} kinds of electronic licence")
        grid = json.loads((base / "reference" / "grid_categories.json").read_text(encoding="utf-8"))
        self.stdout.write(f"reference: {grid_categories_load(groups=grid['groups'])} grid case categories")
        if reference_only:
            return
        demo = json.loads((base / "demo" / "users.json").read_text(encoding="utf-8"))
        password = demo["password"]
        su = demo["superuser"]
        admin, created = User.objects.get_or_create(
            username=su["username"], defaults={"kind": "staff", "is_staff": True, "is_superuser": True,
                                               "first_name": su["full_name"], "email": su["email"]})
        if created:
            admin.set_password(password)
            admin.save()
        for row in demo["staff"]:
            account_services.staff_upsert(
                username=row["username"], password=password, full_name=row["full_name"],
                department=Department.objects.get(code=row["department"]), roles=row["roles"],
            )
        for row in demo["citizens"]:
            if not User.objects.filter(phone=row["phone"]).exists():
                account_services.citizen_register(phone=row["phone"], email=row["email"], password=password,
                                                  real_name=row["real_name"], id_number=row["id_number"])
        for row in demo["enterprises"]:
            if not User.objects.filter(phone=row["phone"]).exists():
                account_services.enterprise_register(
                    phone=row["phone"], email=row["email"], password=password, name=row["name"],
                    credit_code=row["credit_code"], legal_representative=row["legal_representative"],
                    contact_name=row["contact_name"])
        catalogue = json.loads((base / "demo" / "service_items.json").read_text(encoding="utf-8"))
        count = catalogue_load(life_events=catalogue["life_events"], service_items=catalogue["service_items"])
        self.stdout.write(f"demo: {count} service items")
        bundles = json.loads((base / "demo" / "bundles.json").read_text(encoding="utf-8"))
        self.stdout.write(f"demo: {bundles_demo_load(data=bundles)} bundles (一件事一次办)")
        licences = json.loads((base / "demo" / "licences.json").read_text(encoding="utf-8"))
        self.stdout.write(f"demo: {licences_demo_load(data=licences, actor=admin)} electronic licences registered")
        disclosure = json.loads((base / "demo" / "disclosure.json").read_text(encoding="utf-8"))
        published = catalogues_demo_load(data=disclosure, actor=admin)
        self.stdout.write(f"demo: {published} disclosure catalogues published")
        grids = json.loads((base / "demo" / "grids.json").read_text(encoding="utf-8"))
        self.stdout.write(f"demo: {grids_demo_load(data=grids)} grids with their areas, one Open311 client")
        showcases = json.loads((base / "demo" / "honors.json").read_text(encoding="utf-8"))
        self.stdout.write(f"demo: {showcases_demo_load(data=showcases, password=password, actor=admin)} "
                          "enterprises published on the honor showcase")
        # The demo's people are verified (ADR 0011), as if at a window: they hold the demo licences of their numbers.
        for user in User.objects.filter(kind__in=["citizen", "enterprise"], identity_verified_at__isnull=True):
            account_services.account_identity_verify(user=user, method="window")
        self.stdout.write(f"demo: {1 + len(demo['staff'])} staff accounts, {len(demo['citizens'])} citizen, "
                          f"{len(demo['enterprises'])} enterprise")
