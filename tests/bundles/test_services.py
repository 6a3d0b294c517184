"""一件事一次办 end to end through the doors the pages and the admin use (transition_perform, the bundle services)."""
import pytest

from apps.applications.constants import Status
from apps.attachments.models import Attachment
from apps.attachments.selectors import attachments_for_case
from apps.bundles.constants import BundleStatus, DocumentKinds
from apps.bundles.models import BundleApplication
from apps.bundles.selectors import bundle_materials
from apps.documents.selectors import documents_for_case
from apps.licences.models import Licence, LicenceUse
from apps.notifications.models import Notification
from apps.workflow.exceptions import TransitionForbidden, TransitionInvalid
from apps.workflow.models import TimelineEntry
from apps.workflow.services import transition_perform
from apps.workflow.spec import Reason

from .factories import bundle_draft, bundle_submitted, bundle_world, custom_bundle, grant, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return bundle_world()


def test_materials_are_asked_once_and_a_licence_the_bundle_issues_is_not_asked(world):
    groups = {g.name: g for g in bundle_materials(bundle=world["restaurant"])}
    # 授权委托书及受托人身份证 is a material of two items: one entry, conditional.
    assert len(groups["授权委托书及受托人身份证"].members) == 2 and groups["授权委托书及受托人身份证"].conditional
    # 营业执照 (食品经营许可, 公共场所卫生许可) is what 个体工商户设立登记 issues: filled from it, not asked.
    licence = groups["营业执照"]
    assert licence.needed and not licence.asked
    assert [i.service.code for i in licence.fed_by] == ["SCJG-DJ-0003"]
    assert groups["居民身份证"].asked
    # In the newborn bundle the birth certificate feeds 落户 and, through it, 参保; the household register is asked once.
    newborn = {g.name: g for g in bundle_materials(bundle=world["newborn"])}
    assert not newborn["出生医学证明"].asked and len(newborn["出生医学证明"].members) == 2
    assert newborn["居民户口簿"].asked and len(newborn["居民户口簿"].members) == 2


def test_a_bundle_end_to_end_across_two_departments_with_a_licence_feeding_the_next_items(world):
    citizen = world["citizen"]
    bundle = bundle_submitted(world, world["restaurant"])
    assert bundle.status == BundleStatus.SUBMITTED and bundle.reference.startswith("YJS-")
    registration, food, hygiene = (item(bundle, c) for c in ("SCJG-DJ-0003", "SCJG-XK-0001", "WJ-GG-0003"))
    # The first item is with its department at once, with its own reference and clock; the others wait.
    assert registration.status == Status.SUBMITTED and registration.reference.startswith("YW-")
    assert registration.current_deadline is not None
    assert (food.status, hygiene.status) == (Status.WAITING, Status.WAITING)
    assert food.reference is None and food.department.code == "city-market-regulation"
    assert hygiene.department.code == "city-health"
    # One file uploaded once goes to every item that needs it, sharing the stored bytes.
    ids = attachments_for_case(obj=registration).get(original_name="居民身份证.pdf")
    assert Attachment.objects.filter(file=ids.file.name).count() == 2  # the bundle's row and the item's row
    # 个体工商户设立登记 granted by the market-regulation clerk: the business licence is issued and releases both.
    grant(world["clerk"], registration)
    business_licence = Licence.objects.get(application=registration)
    assert business_licence.kind.code == "business-licence"
    food.refresh_from_db()
    hygiene.refresh_from_db()
    assert (food.status, hygiene.status) == (Status.SUBMITTED, Status.SUBMITTED)
    assert food.reference and hygiene.reference and hygiene.current_deadline is not None
    # 免提交: the licence just issued is the 营业执照 material of both; nothing was uploaded for it.
    for application in (food, hygiene):
        use = LicenceUse.objects.get(application=application)
        assert use.licence == business_licence and use.material.name == "营业执照"
    # Each department decides its own item; the health clerk cannot touch the market-regulation one.
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world["health_clerk"], obj=food, name="accept")
    grant(world["health_clerk"], hygiene)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.SUBMITTED  # 食品经营许可 still open
    grant(world["clerk"], food)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.COMPLETED and bundle.completed_at
    notice = documents_for_case(obj=bundle).get(kind=DocumentKinds.RESULT)
    assert notice.issuing_department.code == "city-service-center"
    assert [row["name"] for row in notice.context["items"]] == ["个体工商户设立登记", "食品经营许可（新办）",
                                                                "公共场所卫生许可"]
    assert business_licence.number in notice.context["items"][0]["note"]
    assert Notification.objects.filter(recipient=citizen, title__contains=bundle.reference).count() == 2


def test_a_refusal_inside_a_bundle_cancels_its_dependants_the_rest_goes_on_and_the_notice_says_so(world):
    mixed = custom_bundle(items=[("WJ-CS-0002", None), ("SCJG-DJ-0003", None), ("SCJG-XK-0001", "SCJG-DJ-0003")])
    bundle = bundle_submitted(world, mixed)
    birth, registration, food = (item(bundle, c) for c in ("WJ-CS-0002", "SCJG-DJ-0003", "SCJG-XK-0001"))
    assert (birth.status, registration.status, food.status) == (Status.SUBMITTED, Status.SUBMITTED, Status.WAITING)
    transition_perform(actor=world["clerk"], obj=registration, name="refuse", comment="经营场所不符合要求",
                       params=Reason(reason="经营场所不符合要求"))
    food.refresh_from_db()
    birth.refresh_from_db()
    assert food.status == Status.CANCELLED and birth.status == Status.SUBMITTED  # the rest goes on
    cancel = TimelineEntry.objects.get(object_id=str(food.pk), transition="cancel")
    assert "个体工商户设立登记" in cancel.comment
    told = Notification.objects.get(recipient=world["citizen"], url=f"/bundles/applications/{bundle.pk}/",
                                    body__contains="个体工商户设立登记")  # the item not granted …
    assert "食品经营许可（新办）" in told.body  # … and what it means for the one that needed it
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.SUBMITTED
    grant(world["health_clerk"], birth)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.COMPLETED
    notice = documents_for_case(obj=bundle).get(kind=DocumentKinds.RESULT)
    notes = {row["name"]: row["note"] for row in notice.context["items"]}
    assert "出生医学证明" in notes["出生医学证明首次签发"]  # granted, with its licence
    assert "Not accepted" in notes["个体工商户设立登记"] or "不予受理" in notes["个体工商户设立登记"]
    assert "not granted" in notes["食品经营许可（新办）"] or "未获准" in notes["食品经营许可（新办）"]
    assert any("1" in p and "3" in p for p in notice.context["paragraphs"][1:])


def test_a_refusal_at_the_head_of_a_chain_cancels_the_whole_chain_and_ends_the_bundle(world):
    bundle = bundle_submitted(world, world["newborn"])
    birth = item(bundle, "WJ-CS-0002")
    transition_perform(actor=world["health_clerk"], obj=birth, name="refuse", comment="非本市医疗机构出生",
                       params=Reason(reason="非本市医疗机构出生"))
    assert item(bundle, "GA-HJ-0003").status == Status.CANCELLED
    assert item(bundle, "YB-CB-0003").status == Status.CANCELLED
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.COMPLETED
    assert documents_for_case(obj=bundle).filter(kind=DocumentKinds.RESULT).count() == 1


def test_the_newborn_chain_releases_item_by_item_across_three_departments(world):
    bundle = bundle_submitted(world, world["newborn"])
    grant(world["health_clerk"], item(bundle, "WJ-CS-0002"))
    household = item(bundle, "GA-HJ-0003")
    assert household.status == Status.SUBMITTED and item(bundle, "YB-CB-0003").status == Status.WAITING
    assert LicenceUse.objects.get(application=household).licence.kind.code == "birth-certificate"
    grant(world["police_clerk"], household)
    insurance = item(bundle, "YB-CB-0003")
    assert insurance.status == Status.SUBMITTED
    # Its 出生医学证明 is filled from the licence issued two steps before (it waits for it through 落户).
    assert LicenceUse.objects.get(application=insurance).licence.kind.code == "birth-certificate"
    grant(world["insurance_clerk"], insurance)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.COMPLETED


def test_withdrawing_a_waiting_item_ends_it_alone(world):
    bundle = bundle_submitted(world, world["restaurant"])
    food = item(bundle, "SCJG-XK-0001")
    transition_perform(actor=world["citizen"], obj=food, name="withdraw")
    assert item(bundle, "SCJG-XK-0001").status == Status.WITHDRAWN
    assert item(bundle, "WJ-GG-0003").status == Status.WAITING
    grant(world["clerk"], item(bundle, "SCJG-DJ-0003"))
    assert item(bundle, "WJ-GG-0003").status == Status.SUBMITTED
    assert item(bundle, "SCJG-XK-0001").status == Status.WITHDRAWN


def test_submit_refuses_without_the_declaration_or_a_material_and_writes_nothing(world):
    draft = bundle_draft(world, world["restaurant"])
    with pytest.raises(TransitionInvalid):
        transition_perform(actor=world["citizen"], obj=draft, name="submit")
    attachments_for_case(obj=draft).filter(original_name="居民身份证.pdf").delete()
    with pytest.raises(TransitionInvalid) as error:
        from apps.bundles.services import BundleDeclaration

        transition_perform(actor=world["citizen"], obj=draft, name="submit",
                           params=BundleDeclaration(declaration=True))
    assert "居民身份证" in str(error.value)
    draft.refresh_from_db()
    assert draft.status == BundleStatus.DRAFT and draft.reference is None
    assert not draft.items.exists()


@pytest.mark.parametrize("actor_key", ["stranger", "clerk", "service_centre_clerk"])
def test_only_the_applicant_submits_a_bundle(world, actor_key):
    from apps.bundles.services import BundleDeclaration

    draft = bundle_draft(world, world["restaurant"])
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world[actor_key], obj=draft, name="submit",
                           params=BundleDeclaration(declaration=True))
    draft.refresh_from_db()
    assert draft.status == BundleStatus.DRAFT and not draft.items.exists()
    assert not TimelineEntry.objects.filter(object_id=str(draft.pk), transition="submit").exists()


def test_the_internal_steps_have_no_door(world):
    bundle = bundle_submitted(world, world["restaurant"])
    food = item(bundle, "SCJG-XK-0001")
    for name in ("release", "cancel"):
        with pytest.raises(TransitionForbidden):
            transition_perform(actor=world["clerk"], obj=food, name=name, params=Reason("x") if name == "cancel"
                               else None)
    with pytest.raises(TransitionForbidden):
        transition_perform(actor=world["citizen"], obj=bundle, name="complete")
    assert BundleApplication.objects.get(pk=bundle.pk).status == BundleStatus.SUBMITTED
