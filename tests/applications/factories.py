import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from apps.accounts.models import User
from apps.applications import services
from apps.catalogue.models import ServiceItem
from apps.organizations.constants import Role
from apps.workflow.services import transition_perform
from apps.applications.services import Declaration
from tests.accounts.factories import CitizenFactory, StaffFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="photo.png"):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def load_world():
    """The demo catalogue, a citizen, and clerks/heads of the market-regulation bureau and of another department."""
    call_command("load_demo", "--reference-only", verbosity=0)
    from apps.catalogue.services import catalogue_load
    import json
    from django.conf import settings

    data = json.loads((settings.BASE_DIR / "fixtures/demo/service_items.json").read_text(encoding="utf-8"))
    catalogue_load(life_events=data["life_events"], service_items=data["service_items"])
    service = ServiceItem.objects.get(code="SCJG-XK-0001")  # 食品经营许可（新办）: promised 10, legal 20
    other_service = ServiceItem.objects.get(code="WJ-GG-0003")  # 市卫生健康委
    market = service.department
    health = other_service.department
    return {
        "service": service,
        "other_service": other_service,
        "citizen": CitizenFactory(email="citizen@example.com"),
        "stranger": CitizenFactory(),
        "clerk": StaffFactory(department=market, roles=[Role.CLERK], email="clerk@example.gov.cn"),
        "head": StaffFactory(department=market, roles=[Role.DEPARTMENT_HEAD], email="head@example.gov.cn"),
        "other_clerk": StaffFactory(department=health, roles=[Role.CLERK]),
        "other_head": StaffFactory(department=health, roles=[Role.DEPARTMENT_HEAD]),
    }


def draft_with_materials(world, applicant=None, service=None):
    applicant = applicant or world["citizen"]
    application = services.application_start(applicant=applicant, service=service or world["service"])
    for material in application.service.materials.filter(required=True):
        services.application_upload_material(actor=applicant, application=application, material=material,
                                             upload=pdf(f"{material.name}.pdf"))
    return application


def submitted(world, **kwargs):
    application = draft_with_materials(world, **kwargs)
    return transition_perform(actor=application.applicant, obj=application, name="submit", params=Declaration(declaration=True))


def accepted(world, **kwargs):
    return transition_perform(actor=world["clerk"], obj=submitted(world, **kwargs), name="accept")


__all__ = ["User", "load_world", "draft_with_materials", "submitted", "accepted", "pdf", "png"]
