"""实名核验 (ADR 0011): an account registered online with somebody else's ID number or credit code holds none of their
licences — not shown, not linked, not used for 免提交, no message about them — until its identity is verified at a
window (the ID card in hand) or online through the national identity service (a backend outside the city)."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.identity import IdentityAnswer
from apps.accounts.models import User
from apps.licences.models import Licence, LicenceKind
from apps.licences.services import LicenceData, licence_issue
from apps.notifications.models import Notification
from apps.organizations.constants import Role
from apps.organizations.models import Department
from tests.accounts.factories import StaffFactory, make_id_number

pytestmark = pytest.mark.django_db

VICTIM_ID = make_id_number(611)


class RefusingRegister:
    """The national service answering no (outside the city: the one thing replaced here)."""

    label = "测试身份认证"

    def check(self, *, user):
        return IdentityAnswer(verified=False, message="姓名与身份证号码不一致")


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    call_command("load_demo", "--reference-only", verbosity=0)
    health = Department.objects.get(code="city-health")
    clerk = StaffFactory(department=health, roles=[Role.CLERK])
    kind = LicenceKind.objects.get(code="birth-certificate")  # 出生医学证明, issued by 市卫生健康委
    licence = licence_issue(actor=clerk, issuing_department=health, data=LicenceData(
        kind=kind, number="JK-0611", holder_code=VICTIM_ID, holder_name="钱真人", valid_from=dt.date(2026, 1, 5)))
    return {"licence": licence, "clerk": clerk}


def squat(client):
    """Somebody registers online with 钱真人's ID number (and their own phone)."""
    response = client.post(reverse("accounts:register_citizen"), {
        "real_name": "钱真人", "id_number": VICTIM_ID, "phone": "13612340611", "email": "",
        "password1": "Squat-pass-2026!", "password2": "Squat-pass-2026!", "agree": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(phone="13612340611")


def test_an_account_registered_with_someone_elses_number_holds_none_of_their_licences(client, world):
    user = squat(client)
    licence = Licence.objects.get(pk=world["licence"].pk)
    assert not user.identity_verified and licence.holder_account is None
    page = client.get(reverse("licences:mine")).content.decode()
    assert "JK-0611" not in page and "身份尚未核验" in page and reverse("accounts:identity") in page
    assert client.get(reverse("licences:pdf", args=[licence.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[licence.document.token])).status_code == 404
    # A licence issued later under the number tells nobody on this account.
    licence_issue(actor=world["clerk"], issuing_department=licence.issuing_department, data=LicenceData(
        kind=licence.kind, number="JK-0612", holder_code=VICTIM_ID, holder_name="钱真人",
        valid_from=dt.date(2026, 6, 1)))
    assert not Notification.objects.filter(recipient=user).exists()


def test_verified_online_the_account_holds_its_licences(client, world):
    user = squat(client)  # (here: the person themself, whom the national service confirms)
    page = client.get(reverse("accounts:identity")).content.decode()
    assert "演示环境：模拟身份认证" in page and "在线核验" in page
    response = client.post(reverse("accounts:identity"))
    assert response.status_code == 302 and response["Location"] == reverse("licences:mine")
    user.refresh_from_db()
    assert user.identity_verified and user.identity_method == "online" and user.identity_verified_by is None
    assert Licence.objects.get(pk=world["licence"].pk).holder_account == user
    assert "JK-0611" in client.get(reverse("licences:mine")).content.decode()
    assert "已核验" in client.get(reverse("accounts:profile")).content.decode()


def test_a_refusal_is_told_and_changes_nothing_and_tries_are_limited(client, world, settings):
    settings.IDENTITY_CHECK_BACKEND = "tests.accounts.test_identity.RefusingRegister"
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "identity_check_user": "2/d"}
    user = squat(client)
    response = client.post(reverse("accounts:identity"))
    assert response.status_code == 400 and "姓名与身份证号码不一致" in response.content.decode()
    user.refresh_from_db()
    assert not user.identity_verified and Licence.objects.get(pk=world["licence"].pk).holder_account is None
    client.post(reverse("accounts:identity"))
    assert client.post(reverse("accounts:identity")).status_code == 429


def test_without_an_online_service_the_window_is_the_way(client, world, settings):
    settings.IDENTITY_CHECK_BACKEND = ""
    squat(client)
    page = client.get(reverse("accounts:identity")).content.decode()
    assert "在线核验" not in page and "政务服务中心" in page
    response = client.post(reverse("accounts:identity"))
    assert response.status_code == 400 and "窗口" in response.content.decode()


def test_the_demo_stand_in_is_refused_by_the_deploy_check(settings):
    from apps.core.checks import check_identity_backend

    settings.IDENTITY_CHECK_BACKEND = "apps.accounts.identity.DemoIdentityCheck"
    assert [e.id for e in check_identity_backend(None)] == ["portal.E005"]
    settings.IDENTITY_CHECK_BACKEND = ""
    assert check_identity_backend(None) == []


def test_a_window_clerk_verifies_a_person_who_registered_online(client, world):
    """The person shows the ID card at the window; the clerk finds the account by number and phone (the page is on
    the window clerk's admin index) and verifies it: the licences of the number are the account's from then on."""
    from apps.accounts.models import User as Account

    user = squat(client)  # (here: the person themself)
    window = StaffFactory(department=Department.objects.get(code="city-service-center"), roles=[Role.WINDOW_CLERK])
    url = reverse("admin:accounts_user_identity_check")
    for who in (world["clerk"], user):  # a department's clerk, the citizen: not theirs
        client.force_login(who)
        assert client.get(url).status_code in (302, 403)
    client.force_login(window)
    assert url in client.get(reverse("admin:index")).content.decode()
    data = {"number": VICTIM_ID, "phone": "13612340611", "card_seen": "on"}
    for wrong, field_text in (({"card_seen": ""}, "身份证"), ({"phone": "13612340612"}, "其他手机号"),
                              ({"number": make_id_number(612)}, "未注册")):
        page = client.post(url, {**data, **wrong}).content.decode()
        assert field_text in page, wrong
        assert not Account.objects.get(pk=user.pk).identity_verified
    assert client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert (user.identity_method, user.identity_verified_by) == ("window", window)
    assert Licence.objects.get(pk=world["licence"].pk).holder_account == user
