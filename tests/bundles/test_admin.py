"""The declarations (一件事) are kept by superusers in the admin; clerks do not see them."""
import pytest
from django.urls import reverse

from apps.bundles.models import Bundle, BundleItem
from apps.catalogue.models import ServiceItem
from apps.organizations.models import Department
from tests.accounts.factories import StaffFactory

from .factories import bundle_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return bundle_world()


def _inline(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_a_superuser_declares_a_bundle_and_its_order(client, world):
    client.force_login(StaffFactory(is_superuser=True))
    centre = Department.objects.get(code="city-service-center")
    first, second = ServiceItem.objects.get(code="RS-JY-0001"), ServiceItem.objects.get(code="RS-SY-0002")
    response = client.post(reverse("admin:bundles_bundle_add"), {
        "code": "job", "name": "就业一件事", "audience": "citizen", "description": "", "lead_department": centre.pk,
        "is_active": "on", **_inline("items", [{"order": "1", "service": first.pk}, {"order": "2", "service": second.pk}])})
    assert response.status_code == 302, response.content.decode()[:2000]
    bundle = Bundle.objects.get(code="job")
    one, two = bundle.items.order_by("order")
    # The order between items: set on the change page, where the bundle's own items are offered.
    url = reverse("admin:bundles_bundle_change", args=[bundle.pk])
    base = {"code": "job", "name": "就业一件事", "audience": "citizen", "description": "", "lead_department": centre.pk,
            "is_active": "on"}
    response = client.post(url, {**base, **_inline("items", [
        {"id": one.pk, "bundle": bundle.pk, "order": "1", "service": first.pk, "needs": two.pk},
        {"id": two.pk, "bundle": bundle.pk, "order": "2", "service": second.pk}], initial=2)})
    assert response.status_code == 200 and "只能等待同一件事中排在其前面的事项" in response.content.decode()
    assert BundleItem.objects.get(pk=one.pk).needs is None  # nothing saved
    response = client.post(url, {**base, **_inline("items", [
        {"id": one.pk, "bundle": bundle.pk, "order": "1", "service": first.pk},
        {"id": two.pk, "bundle": bundle.pk, "order": "2", "service": second.pk, "needs": one.pk}], initial=2)})
    assert response.status_code == 302
    assert BundleItem.objects.get(pk=two.pk).needs_id == one.pk


def test_clerks_do_not_see_the_declarations(client, world):
    client.force_login(world["clerk"])
    assert client.get(reverse("admin:bundles_bundle_changelist")).status_code == 403
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:bundles_bundle_changelist") not in page
    assert client.post(reverse("admin:bundles_bundle_add"), {"code": "x", "name": "x"}).status_code == 403
    assert not Bundle.objects.filter(code="x").exists()


def test_the_declarations_list_does_not_grow(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:bundles_bundle_changelist")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    Bundle.objects.exclude(code="newborn").delete()  # the demo declarations nobody applied for: one row left
    count()  # the first request reads the working-day calendar's state once (cached): not a row's cost
    one = count()
    centre = Department.objects.get(code="city-service-center")
    for i in range(30):
        Bundle.objects.create(code=f"n{i}", name=f"一件事{i}", lead_department=centre)
    assert count() == one
