import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import CitizenProfile, EnterpriseProfile, User
from tests.accounts.factories import PASSWORD, CitizenFactory

pytestmark = pytest.mark.django_db

CITIZEN = {
    "real_name": "张三",
    "id_number": "211103198503120022",
    "phone": "13912345678",
    "email": "zhang@example.com",
    "password1": "Bright-river-2026",
    "password2": "Bright-river-2026",
}


def test_citizen_registers_and_is_logged_in(client):
    response = client.post(reverse("accounts:register_citizen"), CITIZEN, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    user = User.objects.get(phone="13912345678")
    assert user.kind == "citizen" and user.citizen_profile.real_name == "张三"
    assert response.context["user"] == user
    page = response.content.decode()
    assert "211103********0022" in page and "211103198503120022" not in page


def test_wrong_id_number_says_why_in_chinese_and_keeps_the_input(client):
    data = {**CITIZEN, "id_number": "211103198503120021"}
    response = client.post(reverse("accounts:register_citizen"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert "校验码" in page
    assert 'value="张三"' in page and 'value="13912345678"' in page and 'value="211103198503120021"' in page
    assert not User.objects.filter(phone="13912345678").exists()
    # The one thing not sent back, said plainly; the summary at the top links to the field (issue 19).
    assert "为了您的安全，密码不会回显，请再输入一次。" in page
    assert "<title>错误：" in page and 'href="#id_id_number"' in page


def test_duplicate_phone_and_id_number_are_refused(client):
    client.post(reverse("accounts:register_citizen"), CITIZEN)
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:register_citizen"), CITIZEN)
    form = response.context["form"]
    assert "phone" in form.errors and "id_number" in form.errors
    assert CitizenProfile.objects.count() == 1


def test_enterprise_registers_with_a_valid_credit_code_only(client):
    data = {
        "name": "盘锦测试科技有限公司", "credit_code": "91350100M000100Y44", "legal_representative": "王五",
        "contact_name": "赵六", "phone": "13712345678", "email": "", "password1": "Bright-river-2026",
        "password2": "Bright-river-2026",
    }
    response = client.post(reverse("accounts:register_enterprise"), data)
    assert "credit_code" in response.context["form"].errors
    assert not EnterpriseProfile.objects.exists()
    data["credit_code"] = "91350100m000100y43"
    response = client.post(reverse("accounts:register_enterprise"), data)
    assert response.status_code == 302
    profile = EnterpriseProfile.objects.get()
    assert profile.credit_code == "91350100M000100Y43" and profile.user.kind == "enterprise"


@pytest.mark.parametrize("identifier", ["phone", "email"])
def test_login_with_phone_or_email(client, identifier):
    user = CitizenFactory(email="li@example.com")
    response = client.post(reverse("accounts:login"), {"username": getattr(user, identifier), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_wrong_password_gives_a_clear_message(client):
    user = CitizenFactory()
    response = client.post(reverse("accounts:login"), {"username": user.phone, "password": "nope"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "密码" in response.content.decode()


def test_login_is_throttled_after_five_failures(client):
    user = CitizenFactory()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.phone, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": user.phone, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    user = CitizenFactory(email="wang@example.com")
    client.post(reverse("accounts:password_reset"), {"email": "wang@example.com"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.com"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Quiet-forest-7788", "new_password2": "Quiet-forest-7788"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Quiet-forest-7788")


def test_unknown_email_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_the_password_reset_form_names_its_field(client):
    response = client.post(reverse("accounts:password_reset"), {"email": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert "<title>错误：" in page and "请填写“" in page and 'href="#id_email"' in page
    assert "该字段是必填项" not in page
