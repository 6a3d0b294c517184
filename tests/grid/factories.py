import json

from django.conf import settings
from django.core.management import call_command

from apps.grid import services
from apps.grid.models import CaseCategory, Grid


def load_world():
    """Reference data (departments, roles, the category tree) and the demo district's 40 grids and Open311 client."""
    call_command("load_demo", "--reference-only", verbosity=0)
    data = json.loads((settings.BASE_DIR / "fixtures/demo/grids.json").read_text(encoding="utf-8"))
    services.grids_demo_load(data=data)
    return {
        "key": data["open311_demo_key"],
        "garbage": CaseCategory.objects.get(code="1101"),  # 暴露垃圾 → 兴隆台区城管
        "manhole": CaseCategory.objects.get(code="1301"),  # 井盖破损 → 市住建局
        "first_grid": Grid.objects.get(code="21110300100101"),  # 122.00–122.01 E, 41.10–41.11 N
    }
