import json

from django.conf import settings

from apps.applications.models import Application
from apps.bundles import services
from apps.bundles.models import Bundle, BundleItem
from apps.bundles.selectors import bundle_materials
from apps.catalogue.models import ServiceItem
from apps.demo.bundles import bundles_demo_load
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workflow.services import transition_perform
from tests.accounts.factories import StaffFactory
from tests.applications.factories import load_world, pdf


def bundle_world():
    """The demo catalogue and bundles, a citizen and a stranger, and clerks of the departments the bundles cross."""
    world = load_world()
    bundles_demo_load(data=json.loads((settings.BASE_DIR / "fixtures/demo/bundles.json").read_text(encoding="utf-8")))
    for key, code in (("health_clerk", "city-health"), ("police_clerk", "city-public-security"),
                      ("insurance_clerk", "city-medical-insurance")):
        world[key] = StaffFactory(department=Department.objects.get(code=code), roles=[Role.CLERK])
    world["service_centre_clerk"] = StaffFactory(department=Department.objects.get(code="city-service-center"),
                                                 roles=[Role.CLERK])
    world["restaurant"] = Bundle.objects.get(code="open-restaurant")
    world["newborn"] = Bundle.objects.get(code="newborn")
    return world


def custom_bundle(*, code="mixed", items):
    """A bundle declared in the test: items = [(service code, code it needs or None)]."""
    bundle = Bundle.objects.create(code=code, name="测试一件事", lead_department=Department.objects.get(
        code="city-service-center"))
    made = {}
    for order, (service, needs) in enumerate(items, start=1):
        made[service] = BundleItem.objects.create(bundle=bundle, service=ServiceItem.objects.get(code=service),
                                                  order=order, needs=made.get(needs))
    return bundle


def bundle_draft(world, bundle, applicant=None):
    """A draft with the facts filled in and every material asked uploaded once."""
    applicant = applicant or world["citizen"]
    draft = services.bundle_start(applicant=applicant, bundle=bundle)
    services.bundle_update(actor=applicant, bundle_application=draft, phone="13912345678", email="",
                           address="兴隆台区市府大路1号", description="", conditions_met=[])
    for group in bundle_materials(bundle=bundle, bundle_application=draft):
        if group.asked:
            services.bundle_upload_material(actor=applicant, bundle_application=draft, key=group.key,
                                            upload=pdf(f"{group.name}.pdf"))
    return draft


def bundle_submitted(world, bundle, applicant=None):
    draft = bundle_draft(world, bundle, applicant)
    return transition_perform(actor=draft.applicant, obj=draft, name="submit",
                              params=services.BundleDeclaration(declaration=True))


def item(bundle_application, code) -> Application:
    return Application.objects.get(bundle=bundle_application, service__code=code)


def approve(clerk, application):
    """The decision to grant, through the item's sign-off chain (承办 → 审核 → 批准): the clerk proposes, a section
    head and the head of the item's department sign where its ``signoff`` says so."""
    from apps.applications.services import Proposal, ReviewOpinion
    from apps.catalogue.constants import SignOff

    signoff = application.service.signoff
    if signoff == SignOff.CLERK:
        return transition_perform(actor=clerk, obj=application, name="approve")
    application = transition_perform(
        actor=clerk, obj=application, name="propose" if signoff == SignOff.FULL else "propose_to_head",
        params=Proposal(outcome="grant", opinion="符合条件"))
    if signoff == SignOff.FULL:
        reviewer = StaffFactory(department=application.department, roles=[Role.SECTION_HEAD])
        application = transition_perform(actor=reviewer, obj=application, name="endorse",
                                         params=ReviewOpinion(opinion="同意"))
    head = StaffFactory(department=application.department, roles=[Role.DEPARTMENT_HEAD])
    return transition_perform(actor=head, obj=application, name="approve")


def completion(application):
    """办结 with its result: the licence an item issues, or the result file of one that issues none."""
    from apps.applications.services import Completion

    return Completion(results=[] if application.service.licence_kind_id else [pdf("结果文书.pdf")])


def grant(clerk, application):
    """A clerk accepts; the item's signers approve; the clerk completes — as the admin's buttons do."""
    application = transition_perform(actor=clerk, obj=application, name="accept")
    application = approve(clerk, application)
    return transition_perform(actor=clerk, obj=application, name="complete", params=completion(application))
