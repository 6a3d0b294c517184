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


def test_roles_sync_gives_each_group_exactly_its_declared_permissions():
    from django.contrib.auth.models import Permission

    from apps.organizations.constants import ROLE_PERMISSIONS
    from apps.organizations.services import roles_sync

    roles_sync()
    clerk = Group.objects.get(name=Role.CLERK.value)
    declared = {tuple(dotted.split(".")) for dotted in ROLE_PERMISSIONS[Role.CLERK]}
    stray = Permission.objects.get(content_type__app_label="accounts", codename="delete_user")
    dropped = clerk.permissions.order_by("pk").first()
    clerk.permissions.remove(dropped)
    clerk.permissions.add(stray)  # given by hand in the admin
    Group.objects.filter(name=Role.DISPATCHER.value).delete()
    roles_sync()
    assert set(clerk.permissions.values_list("content_type__app_label", "codename")) == declared
    for role in Role:
        group = Group.objects.get(name=role.value)
        assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
            tuple(dotted.split(".")) for dotted in ROLE_PERMISSIONS.get(role, [])}, role


def test_organizations_load_updates_by_code_and_takes_children_before_parents():
    from apps.organizations.services import organizations_load

    call_command("load_demo", "--reference-only", verbosity=0)
    market = Department.objects.get(code="city-market-regulation")
    organizations_load(
        admin_units=[{"code": "211104999", "name": "新村", "level": AdminLevel.VILLAGE, "parent": "211104998"},
                     {"code": "211104998", "name": "新镇", "level": AdminLevel.TOWNSHIP, "parent": "211104"}],
        departments=[{"code": "city-market-regulation", "name": "市市场监督管理局", "admin_unit": "211100",
                      "phone": "0427-1234567"}])
    market.refresh_from_db()
    assert (market.name, market.phone, market.address) == ("市市场监督管理局", "0427-1234567", "")
    assert AdminUnit.objects.get(code="211104999").parent.parent.code == "211104"
