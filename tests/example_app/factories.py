import itertools

from django.contrib.auth.models import Group, Permission

from apps.organizations.constants import Role
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.example_app.services import example_submit
from tests.organizations.factories import DepartmentFactory

_refs = itertools.count(1)


def make_world():
    """A department with a clerk and a head, another department with its clerk, an applicant and a stranger.
    The example's roles carry its view permission as a service's carry theirs (organizations.ROLE_PERMISSIONS)."""
    view = Permission.objects.get(content_type__app_label="example_app", codename="view_examplecase")
    for role in (Role.CLERK, Role.DEPARTMENT_HEAD):
        Group.objects.get_or_create(name=str(role))[0].permissions.add(view)
    department = DepartmentFactory(name="市商务局", full_name="盘锦市商务局")
    other_department = DepartmentFactory(name="市科技局", full_name="盘锦市科学技术局")
    return {
        "department": department,
        "other_department": other_department,
        "clerk": StaffFactory(department=department, roles=[Role.CLERK], first_name="王窗口", email="clerk@example.gov.cn"),
        "head": StaffFactory(department=department, roles=[Role.DEPARTMENT_HEAD], first_name="李主任",
                             email="head@example.gov.cn"),
        "other_clerk": StaffFactory(department=other_department, roles=[Role.CLERK]),
        "no_role_staff": StaffFactory(department=department),
        "applicant": CitizenFactory(email="applicant@example.com"),
        "stranger": CitizenFactory(),
    }


def submit(world, title="酒类商品零售经营备案"):
    return example_submit(applicant=world["applicant"], department=world["department"], title=title,
                          reference=f"EX-{next(_refs):06d}")
