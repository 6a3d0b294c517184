"""Login lockout (issue 14): failures count per account however it is typed and per client address (the real one
behind the proxy); five lock the (account, address) pair only; many over several accounts lock the address."""
import pytest
from django.urls import reverse

from apps.accounts.selectors import login_account_key, login_identifier_normalise
from tests.accounts.factories import PASSWORD, CitizenFactory

pytestmark = pytest.mark.django_db


def login(client, username, password, address="203.0.113.7", forwarded=None):
    client.logout()
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("typed, expected", [
    ("  Li@Example.COM ", "li@example.com"), ("139 1234 5678", "13912345678"), ("+86 139-1234-5678", "13912345678"),
    ("Admin", "admin"),
])
def test_identifiers_are_normalised(typed, expected):
    assert login_identifier_normalise(typed) == expected


def test_every_spelling_of_an_account_counts_against_it():
    user = CitizenFactory(email="Li@example.com", phone="13912345678")
    keys = {login_account_key(None, {"username": typed}) for typed in (
        "Li@example.com", "LI@EXAMPLE.COM", " li@example.com", "13912345678", "139 1234 5678", "+8613912345678")}
    assert keys == {f"user:{user.pk}"}
    assert login_account_key(None, {"username": "Nobody@Example.com"}) == "nobody@example.com"


def test_case_variants_of_the_email_share_five_tries(client):
    user = CitizenFactory(email="li@example.com")
    for typed in ("li@example.com", "LI@example.com", "Li@Example.com", "li@EXAMPLE.com"):
        assert login(client, typed, "wrong").status_code == 200
    assert login(client, "LI@EXAMPLE.COM", "wrong").status_code == 429  # the fifth locks, whatever the spelling
    response = login(client, "li@example.com", PASSWORD)
    assert response.status_code == 429 and not logged_in(client)
    assert "15" in response.content.decode()
    assert login(client, user.phone, PASSWORD).status_code == 429  # the phone is the same account


def test_five_bad_passwords_lock_the_pair_not_the_account_for_everyone_behind_the_proxy(client, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    user = CitizenFactory()
    for _ in range(5):
        login(client, user.phone, "wrong", address="10.0.0.1", forwarded="198.51.100.66")  # the attacker
    locked = login(client, user.phone, PASSWORD, address="10.0.0.1", forwarded="198.51.100.66")
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 15 * 60  # when to come back, as every throttle
    assert not logged_in(client)
    # the real user comes through the same proxy from their own address and logs in
    response = login(client, user.phone, PASSWORD, address="10.0.0.1", forwarded="203.0.113.20")
    assert response.status_code == 302 and logged_in(client)


def test_a_forged_forwarded_for_does_not_buy_fresh_tries(client, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    user = CitizenFactory()
    for n in range(5):  # the proxy appends the real address; what the attacker wrote on the left is ignored
        login(client, user.phone, "wrong", address="10.0.0.1", forwarded=f"192.0.2.{n}, 198.51.100.66")
    assert login(client, user.phone, PASSWORD, address="10.0.0.1",
                 forwarded="192.0.2.200, 198.51.100.66").status_code == 429


def test_without_a_configured_proxy_the_header_is_not_believed(client, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    user = CitizenFactory()
    for n in range(5):
        login(client, user.phone, "wrong", address="203.0.113.7", forwarded=f"192.0.2.{n}")
    assert login(client, user.phone, PASSWORD, address="203.0.113.7", forwarded="192.0.2.99").status_code == 429


def test_spraying_one_password_over_many_accounts_locks_the_address(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    victims = [CitizenFactory() for _ in range(13)]
    for victim in victims[:12]:  # two tries each would never reach an account's five
        login(client, victim.phone, "Spring-2026", address="198.51.100.5")
    response = login(client, victims[12].phone, PASSWORD, address="198.51.100.5")
    assert response.status_code == 429 and not logged_in(client)
    # the same account from another address is not affected
    assert login(client, victims[12].phone, PASSWORD, address="203.0.113.30").status_code == 302


def test_a_success_clears_its_own_pair_only(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    mine, others = CitizenFactory(), [CitizenFactory() for _ in range(6)]
    for other in others[:5]:
        login(client, other.phone, "wrong", address="198.51.100.5")
    assert login(client, mine.phone, PASSWORD, address="198.51.100.5").status_code == 302  # clears nothing else
    login(client, others[5].phone, "wrong", address="198.51.100.5")  # the sixth failure from the address
    assert login(client, mine.phone, PASSWORD, address="198.51.100.5").status_code == 429
