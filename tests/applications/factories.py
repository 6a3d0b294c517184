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
        "section_head": StaffFactory(department=market, roles=[Role.SECTION_HEAD]),
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


def signed_off(world, application, *, outcome="grant", reason="不符合法定条件"):
    """Walk an accepted application through its item's sign-off chain up to the approver (承办 → 审核 → 批准):
    returns it ENDORSED (or still ACCEPTED when the clerk decides alone) with the actor who signs the decision."""
    from apps.applications.constants import SignOff

    signoff = application.service.signoff
    if signoff == SignOff.CLERK:
        return application, world["clerk"]
    name = "propose" if signoff == SignOff.FULL else "propose_to_head"
    application = transition_perform(actor=world["clerk"], obj=application, name=name, params=services.Proposal(
        outcome=outcome, opinion="材料齐全，现场核查符合条件" if outcome == "grant" else "现场核查不符合条件",
        reason="" if outcome == "grant" else reason))
    if signoff == SignOff.FULL:
        application = transition_perform(actor=world["section_head"], obj=application, name="endorse",
                                         params=services.ReviewOpinion(opinion="同意"))
    return application, world["head"]


def approve(world, application):
    """The decision to grant, signed by whoever the item's chain names."""
    application, signer = signed_off(world, application)
    return transition_perform(actor=signer, obj=application, name="approve")


def deny(world, application, reason="不符合法定条件"):
    from apps.workflow.spec import Reason

    application, signer = signed_off(world, application, outcome="deny", reason=reason)
    return transition_perform(actor=signer, obj=application, name="deny", params=Reason(reason=reason))


def complete(world, application, result=True):
    """办结, with a result file when the item issues no licence."""
    results = [pdf("结果文书.pdf")] if result and application.service.licence_kind_id is None else []
    return transition_perform(actor=world["clerk"], obj=application, name="complete",
                              params=services.Completion(results=results))


def press_decision(client, world, application, *, outcome="grant", reason="现场核查不符合条件"):
    """The decision through the admin's buttons as each signer clicks them (承办 → 审核 → 批准, or the clerk alone)."""
    from apps.applications.constants import SignOff
    from tests.workflow.door import outcome as result_of, press

    signoff = application.service.signoff
    if signoff != SignOff.CLERK:
        name = "propose" if signoff == SignOff.FULL else "propose_to_head"
        data = {"outcome": outcome, "opinion": "经审查", "reason": "" if outcome == "grant" else reason}
        assert result_of(press(client, user=world["clerk"], obj=application, name=name, data=data)) == "done"
        if signoff == SignOff.FULL:
            response = press(client, user=world["section_head"], obj=application, name="endorse",
                             data={"opinion": "同意"})
            assert result_of(response) == "done"
    signer = world["clerk"] if signoff == SignOff.CLERK else world["head"]
    name = "approve" if outcome == "grant" else "deny"
    response = press(client, user=signer, obj=application, name=name,
                     data={} if outcome == "grant" else {"comment": reason})
    assert result_of(response) == "done"
    return response


__all__ = ["press_decision", "signed_off", "approve", "deny", "complete", "User", "load_world", "draft_with_materials", "submitted", "accepted", "pdf", "png"]
