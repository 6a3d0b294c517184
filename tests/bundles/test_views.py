"""The bundle's pages: the catalogue, the one combined form, the applicant's one page — who sees what, bad input,
and queries that do not grow with the rows."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications.constants import Status
from apps.attachments.selectors import attachments_for_case
from apps.bundles.constants import BundleStatus
from apps.bundles.models import Bundle, BundleApplication, BundleItem
from apps.bundles.selectors import bundle_materials
from apps.catalogue.models import Material, ServiceItem
from apps.organizations.models import Department
from apps.workflow.models import TimelineEntry
from tests.applications.factories import pdf

from .factories import bundle_draft, bundle_submitted, bundle_world, grant, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return bundle_world()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_catalogue_lists_bundles_and_each_page_shows_items_in_order_and_materials_once(client, world):
    page = client.get(reverse("bundles:list")).content.decode()
    assert "开办餐饮店一件事" in page and "新生儿出生一件事" in page and "开办酒吧一件事" in page
    assert reverse("bundles:list") in client.get(reverse("catalogue:list")).content.decode()
    assert reverse("bundles:list") in client.get("/").content.decode()
    page = client.get(reverse("bundles:bundle", args=["open-restaurant"])).content.decode()
    items = page[page.index('<ol class="bundle-items">'):]
    assert items.index("个体工商户设立登记") < items.index("食品经营许可（新办）") < items.index("公共场所卫生许可")
    assert page.count("<strong lang=\"zh-Hans\">营业执照</strong>") == 1
    assert "营业执照" in page and "个体工商户设立登记" in page
    assert client.get(reverse("bundles:bundle", args=["no-such-bundle"])).status_code == 404


def test_a_citizen_applies_once_through_the_pages(client, world):
    citizen = world["citizen"]
    client.force_login(citizen)
    # Following the link creates nothing; the button (POST) starts the draft.
    client.get(reverse("bundles:apply_start", args=["open-restaurant"]))
    assert not BundleApplication.objects.exists()
    response = client.post(reverse("bundles:apply_start", args=["open-restaurant"]))
    draft = BundleApplication.objects.get()
    assert response.url == reverse("bundles:apply_facts", args=[draft.pk])
    response = client.post(reverse("bundles:apply_facts", args=[draft.pk]),
                           {"phone": "13912345678", "address": "兴隆台区市府大路1号", "description": "开一家面馆"})
    assert response.status_code == 302
    for group in bundle_materials(bundle=draft.bundle, bundle_application=draft):
        if group.asked:
            response = client.post(reverse("bundles:apply_materials", args=[draft.pk]),
                                   {"material": group.key, "file": pdf(f"{group.name}.pdf")})
            assert response.status_code == 302
    page = client.get(reverse("bundles:apply_materials", args=[draft.pk])).content.decode()
    assert "个体工商户设立登记" in page and "营业执照" in page
    response = client.post(reverse("bundles:apply_review", args=[draft.pk]), {"declaration": "on"})
    draft.refresh_from_db()
    assert draft.status == BundleStatus.SUBMITTED
    assert response.url == reverse("bundles:detail", args=[draft.pk])
    page = client.get(response.url).content.decode()
    assert draft.reference in page and "市市场监管局" in page and "市卫生健康委" in page
    assert item(draft, "SCJG-DJ-0003").description == "开一家面馆"
    mine = client.get(reverse("applications:mine")).content.decode()
    assert draft.reference in mine
    # Each item's own page leads back to the bundle's.
    page = client.get(reverse("applications:detail", args=[item(draft, "WJ-GG-0003").pk])).content.decode()
    assert reverse("bundles:detail", args=[draft.pk]) in page


def test_bad_input_is_explained_and_nothing_typed_is_lost(client, world):
    client.force_login(world["citizen"])
    draft = bundle_draft(world, world["restaurant"])
    response = client.post(reverse("bundles:apply_facts", args=[draft.pk]),
                           {"phone": "123", "address": "盘山县某街道8号", "description": "想开面馆"})
    page = response.content.decode()
    assert response.status_code == 400 and "盘山县某街道8号" in page and "想开面馆" in page
    draft.refresh_from_db()
    assert draft.phone == "13912345678"  # the earlier valid value stays until a valid one is saved
    key = next(g.key for g in bundle_materials(bundle=draft.bundle, bundle_application=draft) if g.asked)
    before = attachments_for_case(obj=draft).count()
    response = client.post(reverse("bundles:apply_materials", args=[draft.pk]),
                           {"material": key, "file": SimpleUploadedFile("a.exe", b"MZ\x90\x00not a pdf")})
    assert response.status_code == 400 and "class=\"error\"" in response.content.decode()
    assert attachments_for_case(obj=draft).count() == before
    response = client.post(reverse("bundles:apply_review", args=[draft.pk]), {})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == BundleStatus.DRAFT and not draft.items.exists()


@pytest.mark.parametrize("who", ["stranger", "clerk", "service_centre_clerk", "anonymous"])
def test_another_persons_bundle_is_a_404_and_a_post_writes_nothing(client, world, who):
    draft = bundle_draft(world, world["restaurant"])
    submitted = bundle_submitted(world, world["newborn"])
    if who != "anonymous":
        client.force_login(world[who])
    for name in ("apply_facts", "apply_materials", "apply_review"):
        response = client.get(reverse(f"bundles:{name}", args=[draft.pk]))
        assert response.status_code == (302 if who == "anonymous" else 404)
    response = client.get(reverse("bundles:detail", args=[submitted.pk]))
    assert response.status_code == (302 if who == "anonymous" else 404)
    client.post(reverse("bundles:apply_facts", args=[draft.pk]), {"phone": "13900000000"})
    client.post(reverse("bundles:apply_review", args=[draft.pk]), {"declaration": "on"})
    draft.refresh_from_db()
    assert draft.phone == "13912345678" and draft.status == BundleStatus.DRAFT
    # The draft's own timeline (the other bundle's item applications may share its id: SQLite restarts ids per test).
    assert not TimelineEntry.objects.filter(content_type=ContentType.objects.get_for_model(draft),
                                            object_id=str(draft.pk), transition="submit").exists()


def test_the_applicant_page_says_what_a_refusal_means_and_shows_the_combined_notice(client, world):
    from apps.workflow.services import transition_perform
    from apps.workflow.spec import Reason

    bundle = bundle_submitted(world, world["newborn"])
    client.force_login(world["citizen"])
    page = client.get(reverse("bundles:detail", args=[bundle.pk])).content.decode()
    assert "出生医学证明首次签发" in page and "市公安局" in page
    transition_perform(actor=world["health_clerk"], obj=item(bundle, "WJ-CS-0002"), name="refuse",
                       comment="非本市出生", params=Reason(reason="非本市出生"))
    page = client.get(reverse("bundles:detail", args=[bundle.pk])).content.decode()
    assert "bundle-meaning" in page and "出生登记（新生儿落户）" in page
    assert "result-notice" in page or "盘政服一件事字" in page


def _bundle_with(n):
    """A bundle of ``n`` items, each asking the same one material (uploaded once)."""
    bundle = Bundle.objects.create(code=f"big-{n}", name=f"大一件事{n}",
                                   lead_department=Department.objects.get(code="city-service-center"))
    departments = list(Department.objects.order_by("pk")[:10])
    for i in range(n):
        service = ServiceItem.objects.create(
            code=f"T-{n}-{i}", name=f"测试事项{n}-{i}", service_type="public_service",
            department=departments[i % len(departments)], legal_basis="测试", acceptance_conditions="测试",
            legal_limit=5, promised_limit=5, place="政务服务中心", phone="0427-12345")
        Material.objects.create(service=service, order=1, name="居民身份证")
        BundleItem.objects.create(bundle=bundle, service=service, order=i)
    return bundle


def test_the_bundle_list_does_not_grow(client, world):
    Bundle.objects.exclude(code="open-restaurant").update(is_active=False)
    one = queries(client, reverse("bundles:list"))
    for i in range(29):
        bundle = Bundle.objects.create(code=f"more-{i}", name=f"一件事{i}",
                                       lead_department=Department.objects.get(code="city-service-center"))
        BundleItem.objects.create(bundle=bundle, service=ServiceItem.objects.get(code="WJ-GG-0003"))
        BundleItem.objects.create(bundle=bundle, service=ServiceItem.objects.get(code="SCJG-XK-0001"), order=1)
    assert queries(client, reverse("bundles:list")) == one


def test_a_bundles_page_and_the_applicants_page_do_not_grow_with_items(client, world):
    client.force_login(world["citizen"])
    small, big = _bundle_with(1), _bundle_with(30)
    assert queries(client, reverse("bundles:bundle", args=[small.code])) == \
        queries(client, reverse("bundles:bundle", args=[big.code]))
    small_case, big_case = bundle_submitted(world, small), bundle_submitted(world, big)
    assert queries(client, reverse("bundles:detail", args=[small_case.pk])) == \
        queries(client, reverse("bundles:detail", args=[big_case.pk]))


def test_my_applications_does_not_grow_with_bundles(client, world):
    client.force_login(world["citizen"])
    bundle_draft(world, world["restaurant"])
    one = queries(client, reverse("applications:mine"))
    for i in range(29):
        other = Bundle.objects.create(code=f"b{i}", name=f"一件事{i}",
                                      lead_department=Department.objects.get(code="city-service-center"))
        BundleApplication.objects.create(bundle=other, department=other.lead_department,
                                         applicant=world["citizen"], applicant_name="测试市民",
                                         applicant_code="x", phone="13912345678")
    assert queries(client, reverse("applications:mine")) == one


def test_the_clerk_sees_the_bundle_reference_on_the_items_page(client, world):
    bundle = bundle_submitted(world, world["restaurant"])
    registration = item(bundle, "SCJG-DJ-0003")
    client.force_login(world["clerk"])
    page = client.get(reverse("admin:applications_application_change", args=[registration.pk])).content.decode()
    assert bundle.reference in page and "开办餐饮店一件事" in page
    grant(world["clerk"], registration)
    assert item(bundle, "WJ-GG-0003").status == Status.SUBMITTED
