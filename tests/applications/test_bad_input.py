"""Bad input never gets a 500: tampered ids, references and forms are answered with a 4xx or a message."""
import pytest
from django.test import Client
from django.urls import reverse

from tests.applications.factories import draft_with_materials, load_world, pdf, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return load_world()


def test_tampered_requests_never_500(world):
    application = submitted(world)
    draft = draft_with_materials(world, service=world["other_service"])
    client = Client(raise_request_exception=False)
    client.force_login(world["citizen"])
    gets = [
        "/applications/999999/", "/applications/lookup/?reference=" + "Y" * 500 + "&phone_last4=abcd",
        "/applications/lookup/?reference=YW-20261122-000001&phone_last4=", "/services/%00/",
        "/services/?life_event=1%27%20OR%201=1&page=-1&department=%3Cscript%3E", "/verify/" + "Z" * 300,
        "/files/00000000-0000-0000-0000-000000000000/", "/documents/999999/", "/api/v1/applications/999999/",
        "/api/v1/services/?life_event=abc&page=999", "/applications/new/NO-SUCH/",
    ]
    for url in gets:
        assert client.get(url).status_code < 500, url
    posts = [
        (f"/applications/{draft.pk}/materials/", {"material": "abc"}),
        (f"/applications/{draft.pk}/materials/", {"material": "1", "file": ""}),
        (f"/applications/{draft.pk}/applicant/", {"phone": "x" * 5000, "conditions_met": ["abc"]}),
        (f"/applications/{draft.pk}/review/", {"declaration": "on", "token": "not-a-uuid"}),
        (f"/applications/{application.pk}/rate/", {"level": "99"}),
        (f"/applications/{application.pk}/resubmit/", {}),
        (f"/applications/{draft.pk}/applicant/", {"phone": "13800000000", "address": "a\x00b"}),
        ("/api/v1/applications/", {"service": "SCJG-XK-0001", "phone": "13800000000", "declaration": "maybe"}),
        ("/api/v1/applications/", {"service": "NO-SUCH", "phone": "13800000000", "declaration": "true"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code < 500, url


@pytest.mark.parametrize("value", ["²", "１", "x"])
def test_a_forged_material_id_is_told_not_a_500(client, world, value):
    """Review finding: "²".isdigit() is True and the database refused it."""
    application = draft_with_materials(world)
    client.force_login(world["citizen"])
    response = client.post(reverse("applications:apply_materials", args=[application.pk]),
                           {"material": value, "file": pdf()})
    assert response.status_code in (200, 302, 400, 404)  # told, or not found — never a 500
