"""Throttles on what a stranger can repeat (issue 14): every limit through the real URL, the 429 page in Chinese with
Retry-After, and nothing done past the limit (no lookup answered, no account, no mail, no case)."""
import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import User
from apps.core.client_ip import client_ip
from tests.accounts.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def assert_throttled(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "请求过于频繁" in page and "分钟后再试" in page
    assert int(response["Retry-After"]) > 0


@pytest.fixture
def rates(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "application_lookup_address": "5/h",
                               "application_lookup_reference": "3/h", "grid_lookup_address": "5/h",
                               "grid_lookup_number": "3/h", "register_address": "2/h",
                               "password_reset_address": "4/h", "password_reset_email": "2/h",
                               "open311_post_key": "2/h"}
    return settings


# --- the public application lookup -----------------------------------------------------------------------------------

@pytest.fixture
def application(db, roles):
    from tests.applications.factories import load_world, submitted

    world = load_world()
    application = submitted(world)
    application.refresh_from_db()
    return application


def lookup(client, reference, digits, address="203.0.113.7"):
    return client.get(reverse("applications:lookup"), {"reference": reference, "phone_last4": digits},
                      REMOTE_ADDR=address)


def test_guessing_the_digits_of_one_reference_stops_after_three_tries_from_anywhere(client, rates, application):
    right = application.phone[-4:]
    wrong = [f"{n:04d}" for n in range(10) if f"{n:04d}" != right]
    for n, digits in enumerate(wrong[:3]):
        assert lookup(client, application.reference, digits, address=f"198.51.100.{n}").status_code == 404
    # a fourth try, from yet another address and with the right digits, is refused and shows nothing
    response = lookup(client, application.reference.lower(), right, address="198.51.100.99")
    assert_throttled(response)
    assert application.service.name not in response.content.decode()


def test_one_address_walking_through_references_stops_after_five(client, rates, application):
    for n in range(5):
        assert lookup(client, f"YW-20260101-{n:06d}", "1234").status_code == 404
    response = lookup(client, application.reference, application.phone[-4:])
    assert_throttled(response)
    assert application.service.name not in response.content.decode()
    # another address is not affected
    answered = lookup(client, application.reference, application.phone[-4:], address="192.0.2.1")
    assert answered.status_code == 200 and application.service.name in answered.content.decode()


def test_the_limits_are_in_force_by_default(client, application):
    """Without test rates: the reference falls silent after the default 10 wrong tries."""
    for n in range(10):
        lookup(client, application.reference, "0000" if application.phone[-4:] != "0000" else "1111",
               address=f"198.51.100.{n}")
    assert_throttled(lookup(client, application.reference, application.phone[-4:], address="192.0.2.8"))


# --- the hotline caller's grid lookup ----------------------------------------------------------------------------------

def test_grid_lookup_per_number_and_per_address(client, rates, roles):
    from apps.grid import services
    from apps.grid.constants import Channel
    from tests.grid.factories import load_people, load_world

    world = load_people(load_world())
    case = services.case_report(channel=Channel.HOTLINE, description="路灯不亮", lat=41.105, lng=122.005,
                                category=world["garbage"], reporter_phone="13912345678",
                                entered_by=world["dispatcher"])
    url = reverse("grid:lookup")
    for n in range(3):
        assert client.get(url, {"number": case.number, "phone": f"1391234000{n}"},
                          REMOTE_ADDR=f"198.51.100.{n}").status_code == 404
    response = client.get(url, {"number": case.number, "phone": "13912345678"}, REMOTE_ADDR="198.51.100.50")
    assert_throttled(response)
    assert "路灯不亮" not in response.content.decode()
    for n in range(5):
        client.get(url, {"number": f"WG20260101{n:06d}", "phone": "1"}, REMOTE_ADDR="203.0.113.9")
    assert_throttled(client.get(url, {"number": "WG20260101999999", "phone": "1"}, REMOTE_ADDR="203.0.113.9"))


# --- registration and password reset ---------------------------------------------------------------------------------

def test_registration_is_limited_per_address_and_creates_nothing_past_it(client, rates, roles):
    data = {"real_name": "张三", "email": "", "password1": "Bright-river-2026", "password2": "Bright-river-2026"}
    taken = CitizenFactory(phone="13912340000")
    for n in range(2):  # each try tells whether a phone is registered
        response = client.post(reverse("accounts:register_citizen"),
                               {**data, "phone": taken.phone, "id_number": "211103198503120022"})
        assert response.status_code == 200
    response = client.post(reverse("accounts:register_citizen"),
                           {**data, "phone": "13912349999", "id_number": "211103198503120022"})
    assert_throttled(response)
    assert not User.objects.filter(phone="13912349999").exists()
    assert client.get(reverse("accounts:register_citizen")).status_code == 200  # reading the form is not counted


def test_password_reset_mails_are_limited_per_mailbox_and_per_address(client, rates):
    CitizenFactory(email="wang@example.com")
    url = reverse("accounts:password_reset")
    for n, typed in enumerate(["wang@example.com", "Wang@Example.com"]):
        assert client.post(url, {"email": typed}, REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    assert len(mail.outbox) == 2
    assert_throttled(client.post(url, {"email": "WANG@example.com"}, REMOTE_ADDR="198.51.100.7"))
    assert len(mail.outbox) == 2
    for n in range(4):
        client.post(url, {"email": f"nobody{n}@example.com"}, REMOTE_ADDR="203.0.113.5")
    assert_throttled(client.post(url, {"email": "other@example.com"}, REMOTE_ADDR="203.0.113.5"))


# --- Open311 POST per key ---------------------------------------------------------------------------------------------

def test_open311_posts_are_limited_per_key_in_the_specifications_form(client, rates):
    from apps.grid.models import GridCase
    from tests.grid.factories import load_world

    world = load_world()
    data = {"api_key": world["key"], "service_code": "1101", "lat": "41.105", "long": "122.005",
            "description": "暴露垃圾"}
    for _ in range(2):
        assert client.post("/open311/v2/requests.json", data).status_code == 200
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()[0]["code"] == 429
    assert GridCase.objects.count() == 2


# --- the client's address behind the proxy ------------------------------------------------------------------------

class _Request:
    def __init__(self, **meta):
        self.META = meta


@pytest.mark.parametrize("count, meta, expected", [
    (0, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "10.0.0.1"),  # header ignored
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "203.0.113.7"),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}, "203.0.113.7"),  # spoof left
    (2, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7, 10.0.0.2"}, "203.0.113.7"),
    (1, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),  # the proxy added nothing
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"}, "10.0.0.1"),
])
def test_client_address(settings, count, meta, expected):
    settings.PORTAL_TRUSTED_PROXY_COUNT = count
    assert client_ip(_Request(**meta)) == expected


def test_behind_the_proxy_each_client_has_its_own_count(client, rates, settings, application):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    url = reverse("applications:lookup")
    for n in range(5):
        client.get(url, {"reference": f"YW-20260101-{n:06d}", "phone_last4": "1234"}, REMOTE_ADDR="10.0.0.1",
                   HTTP_X_FORWARDED_FOR="203.0.113.7")
    blocked = client.get(url, {"reference": "YW-20260101-999999", "phone_last4": "1234"}, REMOTE_ADDR="10.0.0.1",
                         HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert_throttled(blocked)
    other = client.get(url, {"reference": application.reference, "phone_last4": application.phone[-4:]},
                       REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200
