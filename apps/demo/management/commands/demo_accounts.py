import json

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo accounts, one per role."

    def handle(self, *args, **options):
        demo = json.loads((settings.BASE_DIR / "fixtures" / "demo" / "users.json").read_text(encoding="utf-8"))
        password = demo["password"]
        rows = [("superuser (admin)", demo["superuser"]["username"], "/admin/")]
        rows += [(", ".join(s["roles"]) + f" @ {s['department']}", s["username"], "/admin/") for s in demo["staff"]]
        rows += [("citizen " + c["real_name"], c["phone"], "/accounts/login/") for c in demo["citizens"]]
        rows += [("enterprise " + e["name"], e["phone"], "/accounts/login/") for e in demo["enterprises"]]
        shown = json.loads((settings.BASE_DIR / "fixtures" / "demo" / "honors.json").read_text(encoding="utf-8"))
        phones = [e["phone"] for e in shown["enterprises"]]
        rows.append((f"the {len(phones)} enterprises already on the honor showcase (/showcase/)",
                     f"{phones[0]}…{phones[-1][-2:]}", "/accounts/login/"))
        grids = json.loads((settings.BASE_DIR / "fixtures" / "demo" / "grids.json").read_text(encoding="utf-8"))
        self.stdout.write(f"Open311 GeoReport v2: /open311/v2/services.json — demo api_key: {grids['open311_demo_key']}")
        self.stdout.write(f"Demo accounts (password for all: {password}):")
        for role, login, where in rows:
            self.stdout.write(f"  {login:<20} {where:<18} {role}")
