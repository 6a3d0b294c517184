import pytest
from django.urls import reverse

from apps.organizations.constants import Role
from tests.accounts.factories import StaffFactory
from tests.organizations.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(roles):
    commerce, science = DepartmentFactory(name="市商务局"), DepartmentFactory(name="市科技局")
    head = StaffFactory(department=commerce, roles=[Role.DEPARTMENT_HEAD], first_name="商务主任")
    colleague = StaffFactory(department=commerce, first_name="商务同事")
    other = StaffFactory(department=science, first_name="科技人员")
    return head, colleague, other


def test_department_head_lists_only_own_department(client, setup):
    head, colleague, other = setup
    client.force_login(head)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == {head, colleague}


def test_another_departments_user_answers_404_even_by_guessing_the_id(client, setup):
    head, colleague, other = setup
    client.force_login(head)
    assert client.get(reverse("admin:accounts_user_change", args=[colleague.pk])).status_code == 200
    for view in ("change", "history", "delete"):
        response = client.get(reverse(f"admin:accounts_user_{view}", args=[other.pk]))
        assert response.status_code == 404, view
        assert "科技人员" not in response.content.decode()


def test_search_does_not_cross_departments(client, setup):
    head, _colleague, other = setup
    client.force_login(head)
    response = client.get(reverse("admin:accounts_user_changelist"), {"q": other.username})
    assert list(response.context["cl"].result_list) == []


def test_clerk_without_permission_cannot_open_the_user_admin(client, setup, roles):
    commerce_clerk = StaffFactory(department=setup[0].department, roles=[Role.CLERK])
    client.force_login(commerce_clerk)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_superuser_sees_every_department(client, setup):
    root = StaffFactory(department=None, is_superuser=True)
    client.force_login(root)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert set(setup) <= set(response.context["cl"].result_list)


def test_user_changelist_query_count_does_not_grow_with_rows(client, roles, django_assert_max_num_queries):
    root = StaffFactory(department=None, is_superuser=True)
    client.force_login(root)
    department = DepartmentFactory()
    StaffFactory(department=department)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("admin:accounts_user_changelist"))
    for _ in range(30):
        StaffFactory(department=department)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("admin:accounts_user_changelist"))
