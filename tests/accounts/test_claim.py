"""认领账户 (issue 16): a person whose account was opened at a window or by an agent claims it online — ID number and
phone, a code by SMS (the SMS backend is the test outbox), a password — and then sees what was registered for them."""
import re

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.services import citizen_offline_open
from apps.notifications.sms import LocmemSmsBackend
from tests.accounts.factories import CitizenFactory, make_id_number

pytestmark = pytest.mark.django_db

ID_NUMBER = make_id_number(555)
PHONE = "13622220001"
NEW_PASSWORD = "Quiet-harbour-2026"


@pytest.fixture(autouse=True)
def sms():
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend.outbox


@pytest.fixture
def offline(db):
    return citizen_offline_open(phone=PHONE, real_name="李四", id_number=ID_NUMBER)


def ask_code(client, *, id_number=ID_NUMBER, phone=PHONE):
    return client.post(reverse("accounts:claim"), {"id_number": id_number, "phone": phone})


def confirm(client, code, password=NEW_PASSWORD):
    return client.post(reverse("accounts:claim_confirm"), {"code": code, "password1": password,
                                                          "password2": password})


def sent_code(sms) -> str:
    return re.search(r"\d{6}", sms[-1]["text"]).group()


def test_the_login_and_registration_pages_link_the_claim(client):
    for name in ("accounts:login", "accounts:register_citizen"):
        assert reverse("accounts:claim") in client.get(reverse(name)).content.decode()


def test_a_person_claims_the_account_opened_for_them_and_sees_their_applications(client, offline, sms):
    response = ask_code(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:claim_confirm")
    assert len(sms) == 1 and sms[0]["phone"] == PHONE
    page = client.get(reverse("accounts:claim_confirm")).content.decode()
    assert "0001" in page and PHONE not in page  # the phone's last digits only
    response = confirm(client, sent_code(sms))
    assert response.status_code == 302 and response["Location"] == reverse("applications:mine")
    offline.refresh_from_db()
    assert offline.check_password(NEW_PASSWORD)
    assert get_user(client) == offline
    # The code is spent, and the account is claimed once.
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": PHONE, "password": NEW_PASSWORD})
    assert response.status_code == 302 and get_user(client) == offline
    client.logout()
    ask_code(client)
    assert len(sms) == 1  # an account with a password gets no claim code


def test_a_wrong_code_is_refused_and_changes_nothing(client, offline, sms):
    ask_code(client)
    code = sent_code(sms)
    wrong = "000000" if code != "000000" else "111111"
    response = confirm(client, wrong)
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    offline.refresh_from_db()
    assert not offline.has_usable_password() and not get_user(client).is_authenticated
    # Five wrong codes spend it: even the right one is refused afterwards.
    for _ in range(4):
        confirm(client, wrong)
    response = confirm(client, code)
    assert "重新获取" in response.content.decode()
    offline.refresh_from_db()
    assert not offline.has_usable_password()


def test_a_wrong_phone_sends_nothing_and_says_the_same(client, offline, sms):
    right = ask_code(client)
    client.session.flush()
    sms.clear()
    response = ask_code(client, phone="13622229999")
    assert response.status_code == right.status_code == 302 and sms == []
    page = client.get(reverse("accounts:claim_confirm")).content.decode()
    assert "如果身份证号和手机号" in page and PHONE[-4:] not in page
    # A guessed code for the wrong phone opens nothing.
    response = confirm(client, "123456")
    offline.refresh_from_db()
    assert response.status_code == 200 and not offline.has_usable_password()


def test_an_account_with_a_password_is_not_claimable(client, sms):
    citizen = CitizenFactory()
    ask_code(client, id_number=citizen.citizen_profile.id_number, phone=citizen.phone)
    assert sms == []
    response = confirm(client, "123456")
    assert response.status_code == 200 and not citizen.check_password(NEW_PASSWORD)


def test_asking_for_codes_is_throttled(client, offline, sms, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "claim_id_number": "2/h"}
    ask_code(client), ask_code(client)
    response = ask_code(client)
    assert response.status_code == 429 and len(sms) == 2


def test_bad_input_is_explained_and_kept(client, offline, sms):
    response = client.post(reverse("accounts:claim"), {"id_number": "21110319850101055", "phone": PHONE})
    page = response.content.decode()
    assert response.status_code == 200 and "18" in page and f'value="{PHONE}"' in page and sms == []


def test_registration_points_an_offline_person_to_the_claim(client, offline):
    data = {"real_name": "李四", "id_number": ID_NUMBER, "phone": "13622220002", "email": "",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(reverse("accounts:register_citizen"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "认领" in page and reverse("accounts:claim") in page
    assert User.objects.filter(citizen_profile__id_number=ID_NUMBER).count() == 1
    response = client.post(reverse("accounts:register_citizen"), {**data, "id_number": make_id_number(556),
                                                                  "phone": PHONE})
    assert "认领" in response.content.decode()
