import json

import pytest
import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from apps.catalogue.admin import ServiceItemResource
from apps.catalogue.models import Material, ServiceItem
from apps.catalogue.selectors import service_item_list
from apps.organizations.constants import Role
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_demo_catalogue_is_realistic(demo):
    items = ServiceItem.objects.all()
    assert items.count() >= 30
    assert items.values("department").distinct().count() >= 8
    assert items.filter(visits_required=0).exists() and items.filter(visits_required=1).exists()
    assert Material.objects.filter(required=False).exclude(condition="").exists()
    for item in items:
        item.full_clean()
        assert item.promised_limit <= item.legal_limit
        assert item.steps.count() >= 3 and item.materials.exists()


def test_loading_twice_duplicates_nothing(demo):
    counts = ServiceItem.objects.count(), Material.objects.count()
    call_command("load_demo", verbosity=0)
    assert (ServiceItem.objects.count(), Material.objects.count()) == counts


def test_search_and_filters(demo):
    assert {i.code for i in service_item_list(q="食品经营")} == {"SCJG-XK-0001", "SCJG-XK-0002"}
    # Segmented: the words need not be next to each other, and the first result is the closest name.
    found = list(service_item_list(q="食品许可"))
    assert {i.code for i in found} >= {"SCJG-XK-0001", "SCJG-XK-0002"}
    assert found[0].name.startswith("食品经营许可")
    assert {i.code for i in service_item_list(q="申领 津贴")} == {"MZ-YL-0002", "YB-BX-0002"}
    assert service_item_list(q="SCJG-XK-0001").get().name == "食品经营许可（新办）"
    assert all(i.department.code == "city-health" for i in service_item_list(department="city-health"))
    assert all(i.service_type == "benefit" for i in service_item_list(service_type="benefit"))
    retire = service_item_list(q="退休")
    assert retire.exists() and all(i.audience in ("citizen", "both") for i in service_item_list(audience="citizen"))


def test_list_page_filters_and_query_count(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("catalogue:list"), {"q": "许可", "service_type": "licence"})
    page = response.content.decode()
    assert response.status_code == 200 and "食品经营许可（新办）" in page and "高龄津贴" not in page
    response = client.get(reverse("catalogue:list"), {"life_event": "not-a-number", "page": "999"})
    assert response.status_code == 200


def test_item_page_shows_materials_flowchart_and_limits(client, demo):
    response = client.get(reverse("catalogue:detail", args=["SCJG-XK-0001"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "1. 申请" in page and "5. 办结送达" in page
    assert "利用自动售货设备从事食品销售的" in page  # a conditional material with its condition
    assert "10 个工作日" in page and "20 个工作日" in page
    assert client.get(reverse("catalogue:detail", args=["NO-SUCH"])).status_code == 404


def test_sample_download_is_public(client, demo):
    material = Material.objects.filter(service__code="SCJG-XK-0001").first()
    material.sample.save("form.pdf", ContentFile(b"%PDF-1.4 sample"), save=True)
    response = client.get(reverse("catalogue:sample", args=["SCJG-XK-0001", material.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 sample"
    other = Material.objects.exclude(service__code="SCJG-XK-0001").first()
    assert client.get(reverse("catalogue:sample", args=["SCJG-XK-0001", other.pk])).status_code == 404


def test_xlsx_round_trip(demo):
    exported = ServiceItemResource().export()
    xlsx = exported.export("xlsx")
    ServiceItem.objects.filter(code="SCJG-XK-0001").update(name="改名", promised_limit=3)
    dataset = tablib.Dataset().load(xlsx, format="xlsx")
    result = ServiceItemResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    item = ServiceItem.objects.get(code="SCJG-XK-0001")
    assert (item.name, item.promised_limit) == ("食品经营许可（新办）", 10)
    assert set(item.life_events.values_list("name", flat=True)) == {"开办企业"}


def test_import_refuses_a_promise_above_the_legal_limit(demo):
    row = ServiceItemResource().export().dict[0]
    row.update({"code": "NEW-0001", "promised_limit": 30, "legal_limit": 20})
    dataset = tablib.Dataset(headers=list(row))
    dataset.append(list(row.values()))
    result = ServiceItemResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert not ServiceItem.objects.filter(code="NEW-0001").exists()


def test_admin_edits_only_own_department_items(client, demo, roles):
    from django.contrib.auth.models import Permission

    from apps.organizations.models import Department

    health = Department.objects.get(code="city-health")
    editor = StaffFactory(department=health, roles=[Role.CLERK])
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_serviceitem", "change_serviceitem"]))
    client.force_login(editor)
    response = client.get(reverse("admin:catalogue_serviceitem_changelist"))
    assert {i.department_id for i in response.context["cl"].result_list} == {health.pk}
    other = ServiceItem.objects.exclude(department=health).first()
    assert client.get(reverse("admin:catalogue_serviceitem_change", args=[other.pk])).status_code == 404


def test_fixture_file_is_valid_json():
    data = json.loads((settings.BASE_DIR / "fixtures" / "demo" / "service_items.json").read_text(encoding="utf-8"))
    assert len(data["service_items"]) >= 30
