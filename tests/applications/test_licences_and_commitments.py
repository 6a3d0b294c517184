"""Issue 15 through the applicant's and the clerk's doors: no paper the government holds (免提交), the licence as the
result of a granted application, 告知承诺制 decided on the spot, and a follow-up check that finds a commitment false —
the decision and its licence revoked, the dishonesty recorded, the enterprise taken off the honor showcase."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.applications.constants import CheckStatus, DocumentKinds, Status
from apps.applications.models import Application, FollowUpCheck
from apps.credit.models import DishonestyRecord
from apps.documents.models import Document
from apps.licences.models import Licence, LicenceKind, LicenceUse
from apps.licences.services import LicenceData, licence_issue
from apps.workflow.services import transition_perform
from tests.accounts.factories import EnterpriseFactory
from tests.applications.factories import deny, load_world, pdf, press_decision
from tests.workflow.door import press

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    world = load_world()
    world["enterprise"] = EnterpriseFactory()
    world["business_licence"] = LicenceKind.objects.get(code="business-licence")
    return world


def hold(world, holder, **overrides):
    profile = holder.enterprise_profile
    data = {"kind": world["business_licence"], "number": profile.credit_code, "holder_code": profile.credit_code,
            "holder_name": profile.name, "valid_from": dt.date(2020, 1, 1), **overrides}
    return licence_issue(actor=world["clerk"], issuing_department=world["service"].department,
                         data=LicenceData(**data))


def start(client, user, code):
    client.force_login(user)
    client.post(reverse("applications:apply_start", args=[code]))
    return Application.objects.filter(applicant=user, service__code=code).latest("id")


def test_a_holder_of_a_valid_licence_uploads_nothing_for_it_and_the_clerk_reads_the_licence(client, world):
    licence = hold(world, world["enterprise"])
    application = start(client, world["enterprise"], "SCJG-XK-0001")
    page = client.get(reverse("applications:apply_materials", args=[application.pk])).content.decode()
    block = page[page.index("营业执照"):]
    block = block[:block.index("</li>")]
    assert "已调用电子证照（免提交）" in block and licence.number in block and "长期有效" in block
    assert 'type="file"' not in block  # nothing to upload for it
    for material in application.service.materials.filter(required=True).exclude(licence_kind__isnull=False):
        client.post(reverse("applications:apply_materials", args=[application.pk]),
                    {"material": material.pk, "file": pdf(f"{material.name}.pdf")})
    client.post(reverse("applications:apply_review", args=[application.pk]), {"declaration": "on"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert LicenceUse.objects.get(application=application).licence == licence
    client.force_login(world["clerk"])
    admin_page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert reverse("admin:licences_licence_change", args=[licence.pk]) in admin_page
    # the clerk of the handling department may read the licence (it was used here); another department may not
    assert client.get(reverse("admin:licences_licence_change", args=[licence.pk])).status_code == 200
    client.force_login(world["other_clerk"])
    assert client.get(reverse("admin:licences_licence_change", args=[licence.pk])).status_code in (302, 404)


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_an_expired_or_revoked_licence_is_not_used_and_the_applicant_is_told_why(client, world, state):
    if state == "expired":
        hold(world, world["enterprise"], valid_until=dt.date(2025, 6, 30))
    else:
        licence = hold(world, world["enterprise"])
        press(client, user=world["head"], obj=licence, name="revoke", data={"comment": "提交虚假材料"})
    application = start(client, world["enterprise"], "SCJG-XK-0001")
    page = client.get(reverse("applications:apply_materials", args=[application.pk])).content.decode()
    expected = "已于2025-06-30过期" if state == "expired" else "提交虚假材料"
    assert "您的电子证照不能调用" in page and expected in page and "请改为上传材料" in page
    review = client.post(reverse("applications:apply_review", args=[application.pk]), {"declaration": "on"})
    assert "营业执照" in review.content.decode()  # still missing: refused with what to upload
    application.refresh_from_db()
    assert application.status == Status.DRAFT and not LicenceUse.objects.exists()


def test_completing_a_granted_application_issues_its_licence(client, world):
    hold(world, world["enterprise"])
    application = start(client, world["enterprise"], "SCJG-XK-0001")
    for material in application.service.materials.filter(required=True, licence_kind__isnull=True):
        client.post(reverse("applications:apply_materials", args=[application.pk]),
                    {"material": material.pk, "file": pdf()})
    client.post(reverse("applications:apply_review", args=[application.pk]), {"declaration": "on"})
    press(client, user=world["clerk"], obj=application, name="accept")
    press_decision(client, world, application)
    press(client, user=world["clerk"], obj=application, name="complete")
    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    licence = Licence.objects.get(application=application)
    assert licence.kind.code == "food-business" and licence.number.startswith("JY")
    assert licence.holder_account == world["enterprise"] and licence.state() == "valid"
    assert licence.valid_until == licence.valid_from.replace(year=licence.valid_from.year + 5) - dt.timedelta(days=1)
    client.force_login(world["enterprise"])
    assert licence.number in client.get(reverse("licences:mine")).content.decode()
    assert licence.number in client.get(reverse("applications:detail", args=[application.pk])).content.decode()


def test_a_denied_application_issues_no_licence(client, world):
    from tests.applications.factories import accepted

    application = accepted(world)
    deny(world, application, "不符合条件")
    transition_perform(actor=world["clerk"], obj=Application.objects.get(pk=application.pk), name="complete")
    assert not Licence.objects.exists()


def commit_on_the_spot(client, world):
    """A citizen sets up a sole proprietorship under 告知承诺制: decided on the spot."""
    citizen = world["citizen"]
    application = start(client, citizen, "SCJG-DJ-0003")
    response = client.post(reverse("applications:apply_applicant", args=[application.pk]),
                           {"phone": citizen.phone, "email": "", "address": "兴隆台区", "description": "",
                            "commitment": "yes"})
    assert response.status_code == 302
    page = client.get(reverse("applications:apply_materials", args=[application.pk])).content.decode()
    assert "以您签署的告知承诺书代替" in page
    for material in application.service.materials.filter(required=True, commitment_allowed=False):
        client.post(reverse("applications:apply_materials", args=[application.pk]),
                    {"material": material.pk, "file": pdf()})
    unsigned = client.post(reverse("applications:apply_review", args=[application.pk]), {"declaration": "on"})
    assert "请签署承诺" in unsigned.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT
    client.post(reverse("applications:apply_review", args=[application.pk]),
                {"declaration": "on", "commitment_signed": "on"})
    return Application.objects.get(pk=application.pk)


def test_a_commitment_is_decided_on_the_spot_with_its_letter_licence_and_check(client, world):
    application = commit_on_the_spot(client, world)
    assert application.status == Status.COMPLETED and application.commitment_signed_at is not None
    # The centre's statistics: accepted and decided at once, on time, no working day after receipt, in one go.
    assert (application.acceptance_on_time, application.decision_on_time, application.decision_working_days,
            application.supplemented) == (True, True, 0, False)
    kinds = set(Document.objects.filter(object_id=str(application.pk)).values_list("kind", flat=True))
    assert {DocumentKinds.RECEIPT, DocumentKinds.COMMITMENT, DocumentKinds.APPROVAL} <= kinds
    letter = Document.objects.get(kind=DocumentKinds.COMMITMENT, object_id=str(application.pk))
    assert "经营场所使用相关文件" in str(letter.context)
    licence = Licence.objects.get(application=application)
    assert licence.kind.code == "business-licence" and licence.holder_code == application.applicant_code
    check = FollowUpCheck.objects.get(application=application)
    assert check.status == CheckStatus.OPEN and check.due_at is not None and check.department == application.department
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "告知承诺书" in detail and licence.number in detail


def test_a_check_found_false_revokes_the_decision_and_licence_and_records_dishonesty(client, world):
    application = commit_on_the_spot(client, world)
    check = FollowUpCheck.objects.get(application=application)
    licence = Licence.objects.get(application=application)
    client.force_login(world["clerk"])
    page = client.get(reverse("admin:applications_followupcheck_change", args=[check.pk])).content.decode()
    assert "核查属实" in page and "核查不实" in page
    empty = press(client, user=world["clerk"], obj=check, name="find_false", data={"comment": ""})
    assert empty.status_code == 200 and FollowUpCheck.objects.get(pk=check.pk).status == CheckStatus.OPEN
    press(client, user=world["clerk"], obj=check, name="find_false",
          data={"comment": "现场核查：经营场所为他人住宅，未取得使用权"})
    check.refresh_from_db()
    application.refresh_from_db()
    licence.refresh_from_db()
    assert (check.status, application.status, licence.status) == (CheckStatus.FALSE, Status.REVOKED, "revoked")
    record = DishonestyRecord.objects.get()
    assert (record.subject_code, record.origin) == (application.applicant_code, application)
    assert Document.objects.filter(kind=DocumentKinds.REVOCATION, object_id=str(application.pk)).exists()
    client.logout()
    verify = client.get(reverse("documents:verify", args=[licence.document.verification_code])).content.decode()
    assert "已吊销" in verify and "现场核查" not in verify  # the reason is not the public's


@pytest.mark.parametrize("key", ["other_clerk", "other_head", "citizen", "stranger"])
def test_only_the_department_checks(client, world, key):
    application = commit_on_the_spot(client, world)
    check = FollowUpCheck.objects.get(application=application)
    press(client, user=world[key], obj=check, name="find_false", data={"comment": "不实"})
    check.refresh_from_db()
    application.refresh_from_db()
    assert check.status == CheckStatus.OPEN and application.status == Status.COMPLETED
    assert not DishonestyRecord.objects.exists()


def test_a_false_commitment_takes_the_enterprise_off_the_showcase(client, world):
    """The one dishonesty rule: the honor showcase revokes an enterprise whatever put it on the record."""
    from apps.honors.constants import ShowcaseStatus
    from apps.honors.models import Showcase
    from tests.honors import factories as honors

    honors_world = honors.load_world()
    showcase_app = honors.published(honors_world)
    enterprise = showcase_app.applicant
    showcase = Showcase.objects.get(enterprise=enterprise)
    assert showcase.status == ShowcaseStatus.PUBLISHED
    hold(world, enterprise)
    application = start(client, enterprise, "SCJG-XK-0001")
    client.post(reverse("applications:apply_applicant", args=[application.pk]),
                {"phone": enterprise.phone, "email": "", "address": "", "description": "", "commitment": "yes"})
    for material in application.service.materials.filter(required=True, commitment_allowed=False,
                                                         licence_kind__isnull=True):
        client.post(reverse("applications:apply_materials", args=[application.pk]),
                    {"material": material.pk, "file": pdf()})
    client.post(reverse("applications:apply_review", args=[application.pk]),
                {"declaration": "on", "commitment_signed": "on"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED  # 食品经营许可 is not decided on the spot
    press(client, user=world["clerk"], obj=application, name="accept")
    press_decision(client, world, application)
    press(client, user=world["clerk"], obj=application, name="complete")
    check = FollowUpCheck.objects.get(application=application)
    press(client, user=world["head"], obj=check, name="find_false", data={"comment": "未建立食品安全管理制度"})
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.REVOKED
    assert Licence.objects.get(application=application).status == "revoked"
    assert DishonestyRecord.objects.filter(subject_code=enterprise.enterprise_profile.credit_code).count() == 1


def test_a_commitment_that_replaces_nothing_is_an_ordinary_application(client, world):
    """Found by the review: choosing the commitment and uploading everything was granted on the spot unchecked."""
    citizen = world["citizen"]
    application = start(client, citizen, "SCJG-DJ-0003")
    client.post(reverse("applications:apply_applicant", args=[application.pk]),
                {"phone": citizen.phone, "email": "", "address": "", "description": "", "commitment": "yes"})
    for material in application.service.materials.filter(required=True):
        client.post(reverse("applications:apply_materials", args=[application.pk]),
                    {"material": material.pk, "file": pdf()})
    client.post(reverse("applications:apply_review", args=[application.pk]), {"declaration": "on"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.commitment is False
    assert not FollowUpCheck.objects.exists() and not Licence.objects.exists()


def test_an_enterprise_on_the_dishonesty_list_cannot_apply_for_the_showcase(world):
    from apps.credit.services import dishonesty_record_add
    from apps.honors import services as honor_services
    from apps.honors.exceptions import HonorError

    enterprise = world["enterprise"]
    dishonesty_record_add(actor=world["clerk"], subject_code=enterprise.enterprise_profile.credit_code,
                          subject_name=enterprise.enterprise_profile.name, source="信用中国",
                          listed_on=dt.date(2026, 10, 1), reason="拒不履行")
    with pytest.raises(HonorError):
        honor_services.honor_application_start(applicant=enterprise)


def test_the_follow_up_checks_list_does_not_grow(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.applications.services import _check_start  # the check a granted commitment opens
    from tests.applications.factories import submitted

    def checks(n):
        for _ in range(n):
            _check_start(submitted(world), world["clerk"])

    checks(1)
    client.force_login(world["clerk"])
    url = reverse("admin:applications_followupcheck_changelist")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    checks(29)
    with CaptureQueriesContext(connection) as thirty:
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('class="field-__str__"') == 30
    assert len(thirty) == len(one)
