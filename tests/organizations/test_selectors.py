import pytest
from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import assign_perm

from apps.accounts.models import User
from apps.organizations.constants import Role
from apps.organizations.selectors import queryset_for_department, staff_with_role
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.organizations.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments():
    a, b = DepartmentFactory(name="市商务局"), DepartmentFactory(name="市科技局")
    return a, b


def test_staff_see_only_their_department(two_departments):
    a, b = two_departments
    alice, bob = StaffFactory(department=a), StaffFactory(department=b)
    visible = queryset_for_department(user=alice, queryset=User.objects.all())
    assert set(visible) == {alice}
    assert not queryset_for_department(user=alice, queryset=User.objects.filter(pk=bob.pk)).exists()


def test_staff_with_role_is_the_active_holders_of_one_department(two_departments):
    a, b = two_departments
    clerk = StaffFactory(department=a, roles=[Role.CLERK])
    StaffFactory(department=a, roles=[Role.DEPARTMENT_HEAD])
    StaffFactory(department=b, roles=[Role.CLERK])
    StaffFactory(department=a, roles=[Role.CLERK], is_active=False)
    assert list(staff_with_role(department=a, role=Role.CLERK)) == [clerk]
    assert list(staff_with_role(department=a.pk, role=Role.CLERK)) == [clerk]


def test_superuser_sees_all(two_departments):
    a, b = two_departments
    StaffFactory(department=a), StaffFactory(department=b)
    root = StaffFactory(department=None, is_superuser=True)
    assert queryset_for_department(user=root, queryset=User.objects.all()).count() == 3


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff_without_department", "inactive_staff"])
def test_nobody_else_sees_anything(two_departments, who):
    a, _b = two_departments
    StaffFactory(department=a)
    user = {
        "anonymous": lambda: AnonymousUser(),
        "citizen": lambda: CitizenFactory(),
        "staff_without_department": lambda: StaffFactory(department=None),
        "inactive_staff": lambda: StaffFactory(department=a, is_active=False),
    }[who]()
    assert not queryset_for_department(user=user, queryset=User.objects.filter(department=a)).exists()


def test_guardian_object_permission_adds_exactly_that_object(two_departments):
    a, b = two_departments
    alice, bob, carol = StaffFactory(department=a), StaffFactory(department=b), StaffFactory(department=b)
    assign_perm("accounts.view_user", alice, bob)
    visible = queryset_for_department(user=alice, queryset=User.objects.all(), perm="accounts.view_user")
    assert set(visible) == {alice, bob}
    assert carol not in visible
