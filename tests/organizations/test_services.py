import json

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from apps.accounts.models import User
from apps.organizations.constants import AdminLevel, Role
from apps.organizations.models import AdminUnit, Department

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates():
    call_command("load_demo")
    counts = (AdminUnit.objects.count(), Department.objects.count(), User.objects.count(), Group.objects.count())
    call_command("load_demo")
    assert (AdminUnit.objects.count(), Department.objects.count(), User.objects.count(), Group.objects.count()) == counts
    assert set(Group.objects.values_list("name", flat=True)) == {role.value for role in Role}


def test_reference_tree_and_departments_of_the_spec():
    call_command("load_demo", "--reference-only")
    city = AdminUnit.objects.get(level=AdminLevel.CITY)
    for unit in AdminUnit.objects.exclude(pk=city.pk):
        unit.full_clean()  # each unit sits under a unit of the level above
    names = set(Department.objects.values_list("name", flat=True))
    honor_departments = {"市科技局", "市工业和信息化局", "市农业农村局", "市商务局", "市文旅广电局", "市市场监管局"}
    disclosure_agencies = {"市发展改革委", "市营商局", "市教育局", "市公安局", "市民政局", "市司法局", "市财政局",
                           "市人力资源社会保障局", "市医保局", "市自然资源局", "市生态环境局", "市住房城乡建设局",
                           "市卫生健康委", "市应急局", "市税务局"}
    assert honor_departments | disclosure_agencies | {"市政务服务中心", "市城市管理综合执法局"} <= names
    levels = set(AdminUnit.objects.values_list("level", flat=True))
    assert levels == {AdminLevel.CITY, AdminLevel.COUNTY, AdminLevel.TOWNSHIP, AdminLevel.VILLAGE}


def test_demo_has_one_account_per_role():
    call_command("load_demo")
    demo = json.loads((settings.BASE_DIR / "fixtures" / "demo" / "users.json").read_text(encoding="utf-8"))
    for role in Role:
        assert User.objects.filter(groups__name=role.value, department__isnull=False).exists(), role
    for row in demo["staff"]:
        user = User.objects.get(username=row["username"])
        assert user.check_password(demo["password"]) and user.is_staff
    assert User.objects.get(phone="13800000001").citizen_profile.real_name == "张三"
