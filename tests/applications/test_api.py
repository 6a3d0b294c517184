import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.applications.models import Application
from apps.attachments.models import Attachment
from tests.applications.factories import PDF, load_world, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return load_world()


def test_services_are_public_filterable_and_paginated(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/services/", {"service_type": "licence", "page_size": 5})
    body = response.json()
    assert response.status_code == 200 and body["count"] >= 10 and len(body["results"]) == 5
    assert all(row["service_type"] == "licence" for row in body["results"])
    found = client.get("/api/v1/services/", {"search": "食品经营"}).json()
    assert {row["code"] for row in found["results"]} == {"SCJG-XK-0001", "SCJG-XK-0002"}
    detail = client.get("/api/v1/services/SCJG-XK-0001/").json()
    assert detail["promised_limit"] == 10 and len(detail["materials"]) == 6 and len(detail["steps"]) == 5
    assert client.get("/api/v1/services/NOPE/").status_code == 404


def test_applications_need_login_and_show_only_ones_own(client, world):
    mine = submitted(world)
    theirs = submitted(world, applicant=world["stranger"])
    assert client.get("/api/v1/applications/").status_code == 403
    client.force_login(world["citizen"])
    rows = client.get("/api/v1/applications/").json()["results"]
    assert [row["reference"] for row in rows] == [mine.reference]
    assert client.get(f"/api/v1/applications/{theirs.pk}/").status_code == 404
    detail = client.get(f"/api/v1/applications/{mine.pk}/").json()
    assert detail["status"] == "submitted" and detail["deadline"]["status"] == "running"
    assert detail["documents"][0]["title"] == "申请回执"


def test_staff_see_no_applications_through_the_applicant_api(client, world):
    submitted(world)
    client.force_login(world["clerk"])
    assert client.get("/api/v1/applications/").json()["results"] == []


def test_create_with_uploads(client, world):
    client.force_login(world["citizen"])
    service = world["service"]
    files = {f"material_{m.pk}": SimpleUploadedFile(f"{m.name}.pdf", PDF)
             for m in service.materials.filter(required=True)}
    response = client.post("/api/v1/applications/", {"service": service.code, "phone": world["citizen"].phone,
                                                      "declaration": "true", **files})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("YW-") and body["status"] == "submitted"
    # The centre's statistics count it by the door it came through.
    from apps.applications.models import Application

    application = Application.objects.get(reference=body["reference"])
    assert application.channel == "api" and application.entered_by is None


def test_create_with_a_bad_file_says_why_and_leaves_nothing(client, world, settings):
    client.force_login(world["citizen"])
    service = world["service"]
    materials = list(service.materials.filter(required=True))
    files = {f"material_{m.pk}": SimpleUploadedFile("a.pdf", PDF) for m in materials}
    files[f"material_{materials[0].pk}"] = SimpleUploadedFile("a.pdf", b"MZ not a pdf")
    response = client.post("/api/v1/applications/", {"service": service.code, "phone": world["citizen"].phone,
                                                      "declaration": "true", **files},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "不是PDF" in str(response.json())
    assert not Application.objects.exists() and not Attachment.objects.exists()
    folder = settings.PRIVATE_MEDIA_ROOT / "attachments"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    response = client.post("/api/v1/applications/", {"service": service.code, "phone": "12", "declaration": "true"})
    assert response.status_code == 400 and "phone" in response.json()


def test_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/applications/" in schema.content
    docs = client.get("/api/docs/")
    page = docs.content.decode()
    assert docs.status_code == 200 and "cdn" not in page.lower()


def test_a_retried_create_with_the_same_key_answers_the_same_application(client, world):
    """A client that timed out retries with its Idempotency-Key: one application, the same answer; the key reused for
    another request is refused; without a key nothing changes."""
    client.force_login(world["citizen"])
    service = world["service"]

    def post(key, phone=None):
        files = {f"material_{m.pk}": SimpleUploadedFile(f"{m.name}.pdf", PDF)
                 for m in service.materials.filter(required=True)}
        return client.post("/api/v1/applications/", {"service": service.code, "phone": phone or world["citizen"].phone,
                                                      "declaration": "true", **files}, HTTP_IDEMPOTENCY_KEY=key)

    first = post("order-7731")
    again = post("order-7731")
    assert first.status_code == again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"] and again["Idempotent-Replayed"] == "true"
    assert Application.objects.exclude(status="draft").count() == 1
    other = post("order-7731", phone="13900000000")
    assert other.status_code == 422 and Application.objects.exclude(status="draft").count() == 1
    # Another scan under the same name and size is another request too.
    files = {f"material_{m.pk}": SimpleUploadedFile(f"{m.name}.pdf", PDF.replace(b"%PDF", b"%PDF", 1)[:-1] + b"X")
             for m in service.materials.filter(required=True)}
    again = client.post("/api/v1/applications/", {"service": service.code, "phone": world["citizen"].phone,
                                                   "declaration": "true", **files}, HTTP_IDEMPOTENCY_KEY="order-7731")
    assert again.status_code == 422
