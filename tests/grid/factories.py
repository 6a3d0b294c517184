import json

from django.conf import settings
from django.core.management import call_command

from apps.demo.grid import grids_demo_load
from apps.grid import services
from apps.grid.models import CaseCategory, Grid


def load_world():
    """Reference data (departments, roles, the category tree) and the demo district's 40 grids and Open311 client."""
    call_command("load_demo", "--reference-only", verbosity=0)
    data = json.loads((settings.BASE_DIR / "fixtures/demo/grids.json").read_text(encoding="utf-8"))
    grids_demo_load(data=data)
    return {
        "key": data["open311_demo_key"],
        "garbage": CaseCategory.objects.get(code="1101"),  # 暴露垃圾 → 兴隆台区城管
        "manhole": CaseCategory.objects.get(code="1301"),  # 井盖破损 → 市住建局
        "first_grid": Grid.objects.get(code="21110300100101"),  # 122.00–122.01 E, 41.10–41.11 N
    }


def load_people(world):
    """A dispatcher of the dispatch centre, handlers of two departments, grid members of two grids, a citizen."""
    from apps.grid.models import GridMember
    from apps.organizations.constants import Role
    from apps.organizations.models import Department
    from tests.accounts.factories import CitizenFactory, StaffFactory

    dept = {d.code: d for d in Department.objects.filter(code__in=[
        "city-urban-management", "xinglongtai-urban-management", "city-housing-construction", "xinglong-street-office"])}
    other_grid = Grid.objects.get(code="21110300100102")
    people = {
        "dispatcher": StaffFactory(department=dept["city-urban-management"], roles=[Role.DISPATCHER]),
        "handler": StaffFactory(department=dept["xinglongtai-urban-management"], roles=[Role.HANDLER]),
        "other_handler": StaffFactory(department=dept["city-housing-construction"], roles=[Role.HANDLER]),
        "member": StaffFactory(department=dept["xinglong-street-office"], roles=[Role.GRID_MEMBER]),
        "other_member": StaffFactory(department=dept["xinglong-street-office"], roles=[Role.GRID_MEMBER]),
        "citizen": CitizenFactory(),
        "other_grid": other_grid,
    }
    GridMember.objects.create(grid=world["first_grid"], user=people["member"])
    GridMember.objects.create(grid=other_grid, user=people["other_member"])
    return {**world, **people}


def photo_report(world, **kwargs):
    """A citizen's 随手拍 in the first grid (暴露垃圾)."""
    from apps.grid.constants import Channel

    data = {"channel": Channel.PHOTO, "description": "小区门口垃圾成堆", "lat": 41.105, "lng": 122.005,
            "category": world["garbage"], "reporter": world["citizen"], **kwargs}
    return services.case_report(**data)


def png(name="现场.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (90, 90, 90)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")



def register(*, actor, case):
    """立案 through the one door (what the admin button runs): dispatches at once when the category names the
    department."""
    from apps.workflow.services import transition_perform

    return transition_perform(actor=actor, obj=case, name="register")
