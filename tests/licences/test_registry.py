"""电子证照库: registering, 我的证照, the verification page's state, suspending and revoking by the issuing department's
head only, who may see a licence, and the API."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from apps.licences.models import Licence, LicenceKind
from apps.licences.services import LicenceData, licence_issue
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workflow.models import TimelineEntry
from tests.accounts.factories import CitizenFactory, EnterpriseFactory, StaffFactory, make_credit_code
from tests.workflow.door import press

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    from django.core.management import call_command

    settings.LANGUAGE_CODE = "zh-hans"
    call_command("load_demo", "--reference-only", verbosity=0)
    market = Department.objects.get(code="city-market-regulation")
    health = Department.objects.get(code="city-health")
    return {
        "kind": LicenceKind.objects.get(code="business-licence"),
        "food": LicenceKind.objects.get(code="food-business"),
        "market": market,
        "enterprise": EnterpriseFactory(),
        "stranger": CitizenFactory(),
        "clerk": StaffFactory(department=market, roles=[Role.CLERK]),
        "head": StaffFactory(department=market, roles=[Role.DEPARTMENT_HEAD]),
        "other_clerk": StaffFactory(department=health, roles=[Role.CLERK]),
        "other_head": StaffFactory(department=health, roles=[Role.DEPARTMENT_HEAD]),
        "officer": StaffFactory(department=market, roles=[Role.DISCLOSURE_OFFICER]),
    }


def registered(world, **overrides):
    profile = world["enterprise"].enterprise_profile
    data = {"kind": world["kind"], "number": profile.credit_code, "holder_code": profile.credit_code,
            "holder_name": profile.name, "valid_from": dt.date(2020, 5, 1), **overrides}
    return licence_issue(actor=world["clerk"], issuing_department=world["market"], data=LicenceData(**data))


def test_the_issuing_department_registers_a_licence_and_its_holder_sees_it(client, world):
    client.force_login(world["clerk"])
    profile = world["enterprise"].enterprise_profile
    add = reverse("admin:licences_licence_add")
    form = {"kind": world["kind"].pk, "number": "YZ-0001", "holder_code": "91211100MA0PJ0001X",
            "holder_name": profile.name, "valid_from": "2020-05-01", "valid_until": ""}
    bad = client.post(add, form)
    assert bad.status_code == 200 and "校验码不正确" in bad.content.decode() and profile.name in bad.content.decode()
    ended = client.post(add, {**form, "holder_code": profile.credit_code, "valid_until": "2019-01-01"})
    assert "不能早于" in ended.content.decode() or "cannot end before" in ended.content.decode()
    assert not Licence.objects.exists()
    response = client.post(add, {**form, "holder_code": profile.credit_code})
    assert response.status_code == 302
    licence = Licence.objects.get()
    assert (licence.issuing_department, licence.holder_account, licence.state()) == (
        world["market"], world["enterprise"], "valid")
    assert licence.document is not None and TimelineEntry.objects.filter(object_id=str(licence.pk)).exists()
    again = client.post(add, {**form, "holder_code": profile.credit_code})
    assert "已登记" in again.content.decode() and Licence.objects.count() == 1

    client.force_login(world["enterprise"])
    mine = client.get(reverse("licences:mine")).content.decode()
    assert "营业执照" in mine and "YZ-0001" in mine and "有效" in mine
    pdf = client.get(reverse("licences:pdf", args=[licence.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_verification_shows_the_state_today_and_a_revoked_licence_says_so(client, world):
    licence = registered(world)
    code = licence.document.verification_code
    page = client.get(reverse("documents:verify", args=[code])).content.decode()
    assert "有效" in page and "长期" in page or "无期限" in page
    # a clerk may not revoke (the head decides), nor the head of another department
    press(client, user=world["clerk"], obj=licence, name="revoke", data={"comment": "吊销"})
    licence.refresh_from_db()
    assert licence.status == "valid"
    press(client, user=world["other_head"], obj=licence, name="revoke", data={"comment": "吊销"})
    licence.refresh_from_db()
    assert licence.status == "valid"
    press(client, user=world["head"], obj=licence, name="revoke", data={"comment": "以欺骗手段取得"})
    licence.refresh_from_db()
    assert licence.status == "revoked" and licence.status_reason == "以欺骗手段取得"
    client.logout()
    page = client.get(reverse("documents:verify", args=[code])).content.decode()
    assert "已吊销" in page and "已不再有效" in page and "以欺骗手段取得" not in page  # the reason is not public
    api = client.get(f"/api/v1/licences/verify/{code}/").json()
    assert api["state"] == "revoked" and api["number"] == licence.number


def test_an_expired_licence_reads_as_expired(world):
    licence = registered(world, kind=world["food"], number="JY1", valid_from=dt.date(2019, 1, 1),
                         valid_until=dt.date(2024, 12, 31))
    assert licence.state() == "expired" and licence.state(dt.date(2024, 6, 1)) == "valid"


@pytest.mark.parametrize("key, visible", [("enterprise", True), ("clerk", True), ("head", True),
                                          ("other_clerk", False), ("other_head", False), ("stranger", False),
                                          ("officer", False)])
def test_who_may_see_a_licence(client, world, key, visible):
    licence = registered(world)
    client.force_login(world[key])
    codes = {200: True, 404: False, 302: False, 403: False}
    assert codes[client.get(reverse("licences:pdf", args=[licence.pk])).status_code] is visible
    if world[key].is_staff:
        change = client.get(reverse("admin:licences_licence_change", args=[licence.pk])).status_code
        assert codes[change] is visible
    listed = [row["id"] for row in client.get("/api/v1/licences/").json()["results"]]
    assert (licence.pk in listed) is visible


def test_another_holder_and_a_mismatch(world):
    from apps.licences.exceptions import LicenceInvalid

    with pytest.raises(LicenceInvalid):
        registered(world, holder_name="")
    other = registered(world, number="YZ-2", holder_code=make_credit_code(4242), holder_name="别家公司")
    assert other.holder_account is None  # no account holds that code


def test_the_item_page_marks_what_an_e_licence_or_a_commitment_replaces(client, world):
    import json

    from django.conf import settings

    from apps.catalogue.services import catalogue_load

    data = json.loads((settings.BASE_DIR / "fixtures/demo/service_items.json").read_text(encoding="utf-8"))
    catalogue_load(life_events=data["life_events"], service_items=data["service_items"])
    page = client.get(reverse("catalogue:detail", args=["SCJG-XK-0001"])).content.decode()
    row = page[page.index(">营业执照</span>"):]  # the name is data, marked lang="zh-Hans" (issue 19)
    assert "免提交" in row[:row.index("</tr>")]
    row = page[page.index(">食品安全管理制度目录</span>"):]
    assert "可承诺" in row[:row.index("</tr>")] and "免提交" not in row[:row.index("</tr>")]
    assert "办理结果为电子证照（食品经营许可证）" in re.sub(r"<[^>]+>", "", page)
    spot = client.get(reverse("catalogue:detail", args=["SCJG-DJ-0003"])).content.decode()
    assert "签署承诺的，本事项当场办结" in spot


def test_the_openapi_schema_validates_with_the_licence_endpoints(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    assert "/api/v1/licences/" in text and "/api/v1/licences/verify/{code}/" in text


def test_only_the_issuing_department_registers_its_kinds(client, world):
    """Found by the review: a health clerk could register a 营业执照, which then filled materials (免提交)."""
    from apps.licences.exceptions import LicenceInvalid

    profile = world["enterprise"].enterprise_profile
    with pytest.raises(LicenceInvalid, match="市市场监管局"):
        licence_issue(actor=world["other_clerk"], issuing_department=world["other_clerk"].department,
                      data=LicenceData(kind=world["kind"], number="X1", holder_code=profile.credit_code,
                                       holder_name=profile.name))
    client.force_login(world["other_clerk"])
    add = client.get(reverse("admin:licences_licence_add")).content.decode()
    assert "营业执照" not in add
    assert not Licence.objects.exists()


def test_a_time_limited_kind_gets_its_end_and_no_licence_starts_in_the_future(world):
    from apps.licences.exceptions import LicenceInvalid

    licence = registered(world, kind=world["food"], number="JY9", valid_from=dt.date(2022, 3, 1))
    assert licence.valid_until == dt.date(2027, 2, 28)
    with pytest.raises(LicenceInvalid):
        registered(world, number="YZ-F", valid_from=dt.date(2099, 1, 1))


def test_a_licence_registered_before_the_account_becomes_its_own(client, world):
    from apps.accounts.services import account_identity_verify, enterprise_register

    code = make_credit_code(777)
    licence = registered(world, number="YZ-7", holder_code=code, holder_name="后注册公司")
    assert licence.holder_account is None
    user = enterprise_register(phone="13600000777", password="Pw-2026-portal!", name="后注册公司", credit_code=code,
                               legal_representative="甲", contact_name="乙")
    licence.refresh_from_db()
    assert licence.holder_account is None  # ADR 0011: anyone can type a credit code; verified first
    account_identity_verify(user=user, method="window", actor=world["clerk"])
    licence.refresh_from_db()
    assert licence.holder_account == user
    client.force_login(user)
    assert client.get(reverse("documents:download", args=[licence.document.token])).status_code == 200


def test_a_superuser_without_a_department_is_told_why(world):
    from apps.licences.exceptions import LicenceInvalid

    profile = world["enterprise"].enterprise_profile
    with pytest.raises(LicenceInvalid, match="发证部门"):
        licence_issue(actor=world["clerk"], issuing_department=None,
                      data=LicenceData(kind=world["kind"], number="SU-1", holder_code=profile.credit_code,
                                       holder_name=profile.name))


@pytest.mark.parametrize("key", ["other_clerk", "other_head"])
def test_another_department_s_dishonesty_record_is_a_404(client, world, key):
    from apps.credit.services import dishonesty_record_add

    record = dishonesty_record_add(actor=world["clerk"], subject_code=make_credit_code(5), subject_name="某公司",
                                   source="测试", listed_on=dt.date(2026, 11, 1), reason="测试",
                                   department=world["market"])
    client.force_login(world[key])
    assert client.get(reverse("admin:credit_dishonestyrecord_change", args=[record.pk])).status_code == 404
    client.force_login(world["clerk"])
    assert client.get(reverse("admin:credit_dishonestyrecord_change", args=[record.pk])).status_code == 200


def test_the_issuing_department_registers_through_the_api(client, world):
    profile = world["enterprise"].enterprise_profile
    body = {"kind": "business-licence", "number": "YZ-API", "holder_code": profile.credit_code,
            "holder_name": profile.name, "valid_from": "2021-03-01"}
    client.force_login(world["other_clerk"])  # another department's clerk: not its kind
    refused = client.post("/api/v1/licences/", body, content_type="application/json")
    assert refused.status_code == 400 and "市市场监管局" in str(refused.json())
    client.force_login(world["enterprise"])
    assert client.post("/api/v1/licences/", body, content_type="application/json").status_code == 403
    client.force_login(world["clerk"])
    first = client.post("/api/v1/licences/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/licences/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Licence.objects.filter(number="YZ-API").count() == 1
    bad = client.post("/api/v1/licences/", {**body, "number": "YZ-B", "holder_code": "123"},
                      content_type="application/json")
    assert bad.status_code == 400 and "holder_code" in bad.json()
