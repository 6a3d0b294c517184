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
