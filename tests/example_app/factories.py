import itertools

from apps.organizations.constants import Role
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.example_app.services import example_submit
from tests.organizations.factories import DepartmentFactory

_refs = itertools.count(1)


def make_world():
    """A department with a clerk and a head, another department with its clerk, an applicant and a stranger."""
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
