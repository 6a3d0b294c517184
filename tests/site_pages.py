"""The main pages of the site with the demo data behind them and one of everything a person follows (an application
with a timeline, a grid case, a request for information, an honor application, inbox messages, a PDF notice): walked
in English by tests/core/test_english.py and tests/e2e/test_english.py, and by the elder/phone axe sweep
(tests/e2e/test_elder_phone.py)."""
import re
from dataclasses import dataclass, field

from django.core.management import call_command

# CJK ideographs and CJK punctuation/full-width forms: anything a reader of the English site cannot read.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Elements whose text is data or a proper name (a department, an enterprise, a service item, what a person typed):
# the templates mark them lang="zh-Hans" (screen readers then read them in Chinese) or data-i18n-exempt.
EXEMPT_XPATH = ("//*[@lang='zh-Hans' or @lang='zh-hans' or @lang='zh' or @data-i18n-exempt]"
                "|//script|//style|//template|//noscript|//textarea")  # a textarea holds what a person typed


@dataclass
class Site:
    citizen: object
    enterprise: object
    clerk: object
    urls: dict = field(default_factory=dict)  # public pages anyone can see: name → path
    citizen_urls: dict = field(default_factory=dict)  # pages of the logged-in citizen
    enterprise_urls: dict = field(default_factory=dict)
    admin_urls: dict = field(default_factory=dict)  # the back office's front door
    staff: list = field(default_factory=list)  # who walks it
    applicant: object = None  # an enterprise whose honor application is under review
    applicant_urls: dict = field(default_factory=dict)


def site_build() -> Site:
    """Everything through the services, as people would do it."""
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.applications.models import Application
    from apps.applications.services import Declaration, Supplement, SupplementItem
    from apps.catalogue.models import ServiceItem
    from apps.disclosure.models import Catalogue
    from apps.documents.models import Document
    from apps.grid.models import CaseCategory
    from apps.grid.services import case_report
    from apps.grid.constants import Channel
    from apps.honors.models import Showcase
    from apps.information_requests.services import information_request_submit
    from apps.organizations.models import Department
    from apps.workflow.services import transition_perform
    from tests.applications.factories import pdf

    call_command("load_demo", verbosity=0)
    citizen = User.objects.get(phone="13800000001")
    enterprise = User.objects.get(phone="13800000002")
    clerk = User.objects.get(username="clerk")
    dispatcher = User.objects.get(username="dispatcher")
    service = ServiceItem.objects.get(code="SCJG-XK-0001")

    from apps.applications import services as application_services

    application = application_services.application_start(applicant=citizen, service=service)
    for material in service.materials.filter(required=True):
        application_services.application_upload_material(actor=citizen, application=application, material=material,
                                                         upload=pdf(f"{material.name}.pdf"))
    application = transition_perform(actor=citizen, obj=application, name="submit",
                                     params=Declaration(declaration=True))
    first = service.materials.filter(required=True).first()
    application = transition_perform(actor=clerk, obj=application, name="request_supplement",
                                     params=Supplement(items=[SupplementItem(material_id=first.pk,
                                                                             note="复印件不清晰")]),
                                     comment="请重新上传")
    draft = application_services.application_start(applicant=citizen, service=service)

    case = case_report(channel=Channel.PHOTO, description="小区门口垃圾成堆", lat=41.105, lng=122.005,
                       category=CaseCategory.objects.get(code="1101"), reporter=citizen,
                       reporter_phone=citizen.phone)
    case = transition_perform(actor=dispatcher, obj=case, name="register")

    request = information_request_submit(
        requester=citizen, department=Department.objects.get(code="city-market-regulation"),
        description="2025年本市食品抽检结果", info_format="electronic", delivery="online", phone=citizen.phone)

    from apps.honors import services as honor_services
    from apps.honors.models import HonorCategory
    from apps.organizations.models import AdminUnit
    from tests.honors.factories import fill

    honor_world = {"enterprise": enterprise, "district": AdminUnit.objects.get(code="211103"),
                   "high_tech": HonorCategory.objects.get(code="high-tech"),
                   "agri_leading": HonorCategory.objects.get(code="agri-leading")}
    honor_draft = fill(honor_world)
    from tests.accounts.factories import EnterpriseFactory

    applicant = EnterpriseFactory()
    honor = honor_services.honor_application_submit(
        actor=applicant, application=fill(honor_world, enterprise=applicant), declaration=True)

    document = Document.objects.filter(object_id=str(application.pk)).order_by("pk").first()
    showcase = Showcase.objects.filter(status="published").order_by("pk").first()
    catalogue = Catalogue.objects.filter(current_version__isnull=False).order_by("pk").first()
    entry = catalogue.current_version.entries.order_by("pk").first()
    assert Application.objects.filter(applicant=citizen).count() == 2

    # 一件事一次办: a bundle whose first item was refused (its two dependants not pursued, the combined notice), and
    # a draft of another.
    from apps.bundles import services as bundle_services
    from apps.bundles.models import Bundle
    from apps.bundles.selectors import bundle_materials
    from apps.workflow.spec import Reason

    restaurant = Bundle.objects.get(code="open-restaurant")
    bundle = bundle_services.bundle_start(applicant=citizen, bundle=restaurant)
    for group in bundle_materials(bundle=restaurant, bundle_application=bundle):
        if group.asked:
            bundle_services.bundle_upload_material(actor=citizen, bundle_application=bundle, key=group.key,
                                                   upload=pdf(f"{group.name}.pdf"))
    bundle = transition_perform(actor=citizen, obj=bundle, name="submit",
                                params=bundle_services.BundleDeclaration(declaration=True))
    transition_perform(actor=clerk, obj=bundle.items.get(service__code="SCJG-DJ-0003"), name="refuse",
                       comment="经营场所不符合要求", params=Reason(reason="经营场所不符合要求"))
    bundle_draft = bundle_services.bundle_start(applicant=citizen, bundle=Bundle.objects.get(code="newborn"))

    site = Site(citizen=citizen, enterprise=enterprise, clerk=clerk)
    site.staff = [User.objects.get(username=name) for name in (
        "clerk", "dispatcher", "acceptance_officer", "disclosure_officer", "honor_reviewer", "grid_member")]
    site.urls = {
        "home": "/",
        "services": reverse("catalogue:list"),
        "bundles": reverse("bundles:list"),
        "bundle": reverse("bundles:bundle", args=["open-restaurant"]),
        "service": reverse("catalogue:detail", args=[service.code]),
        "showcase list": reverse("honors:showcase_list"),
        "showcase": reverse("honors:showcase", args=[showcase.pk]),
        "disclosure": reverse("disclosure:index"),
        "disclosure level": reverse("disclosure:level", args=["city"]),
        "disclosure search": reverse("disclosure:search") + "?q=%E5%85%AC%E5%BC%80",
        "catalogue": reverse("disclosure:catalogue", args=[catalogue.pk]),
        "entry": reverse("disclosure:entry", args=[entry.pk]),
        "grid stats": reverse("grid:stats"),
        "grid lookup": reverse("grid:lookup"),
        "annual report": reverse("information_requests:report") + f"?department={request.department_id}"
                         f"&year={request.received_at.year}",
        "verify": reverse("documents:verify_form"),
        "verify a code": reverse("documents:verify", args=[document.verification_code]),
        "application lookup": reverse("applications:lookup"),
        "application found": reverse("applications:lookup") + f"?reference={application.reference}"
                             f"&phone_last4={citizen.phone[-4:]}",
        "case found": reverse("grid:lookup") + f"?number={case.number}&phone={citizen.phone}",
        "service ratings": reverse("applications:satisfaction"),
        "login": reverse("accounts:login"),
        "register": reverse("accounts:register"),
        "register citizen": reverse("accounts:register_citizen"),
        "register enterprise": reverse("accounts:register_enterprise"),
        "password reset": reverse("accounts:password_reset"),
    }
    site.citizen_urls = {
        "my applications": reverse("applications:mine"),
        "bundle application": reverse("bundles:detail", args=[bundle.pk]),
        "bundle: facts": reverse("bundles:apply_facts", args=[bundle_draft.pk]),
        "bundle: materials": reverse("bundles:apply_materials", args=[bundle_draft.pk]),
        "bundle: review": reverse("bundles:apply_review", args=[bundle_draft.pk]),
        "application": reverse("applications:detail", args=[application.pk]),
        "apply: start": reverse("applications:apply_start", args=["WJ-GG-0003"]),
        "apply: applicant": reverse("applications:apply_applicant", args=[draft.pk]),
        "apply: materials": reverse("applications:apply_materials", args=[draft.pk]),
        "apply: review": reverse("applications:apply_review", args=[draft.pk]),
        "withdraw": reverse("applications:withdraw", args=[application.pk]),
        "grid report": reverse("grid:report"),
        "grid mine": reverse("grid:mine"),
        "grid case": reverse("grid:detail", args=[case.number]),
        "information requests": reverse("information_requests:mine"),
        "new information request": reverse("information_requests:new"),
        "information request": reverse("information_requests:detail", args=[request.pk]),
        "inbox": reverse("notifications:inbox"),
        "my licences": reverse("licences:mine"),
        "profile": reverse("accounts:profile"),
    }
    site.enterprise_urls = {
        "my showcase": reverse("honors:mine"),
        "enterprise licences": reverse("licences:mine"),
        "honor draft": reverse("honors:edit", args=[honor_draft.pk]),
        "honor preview": reverse("honors:preview", args=[honor_draft.pk]),
        "honor submit": reverse("honors:submit", args=[honor_draft.pk]),
        "profile": reverse("accounts:profile"),
    }
    site.applicant = applicant
    site.applicant_urls = {"submitted honor application": reverse("honors:detail", args=[honor.pk]),
                           "honor applications": reverse("honors:mine")}
    site.admin_urls = {
        "admin index": reverse("admin:index"),
    }
    return site


def visible_text_outside_data(html: str) -> list[str]:
    """The text a person reads (body text, titles, labels, alt, placeholders, button values), without the elements
    that carry data or proper names."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    data = set()
    for node in tree.xpath(EXEMPT_XPATH):
        if node.tag not in ("script", "style", "template", "noscript", "textarea"):
            data.update(t.strip() for t in node.xpath(".//text()") if t.strip())
        if node.getparent() is not None:
            tail = node.tail
            parent = node.getparent()
            parent.remove(node)
            if tail:  # the text after the exempt element is the page's own
                span = lxml.html.Element("span")
                span.text = tail
                parent.append(span)
    texts = [t.strip() for t in tree.xpath("//text()") if t.strip()]
    for attribute in ("title", "alt", "placeholder", "aria-label", "value"):
        for node in tree.xpath(f"//*[@{attribute}]"):
            if attribute == "value" and node.get("type") not in ("submit", "button", "reset"):
                continue
            texts.append(node.get(attribute))
    # The page's title and a select's options repeat the data the page shows marked: "食品经营许可 · Panjin".
    for datum in sorted(data, key=len, reverse=True):
        texts = [t.replace(datum, "") for t in texts]
    return [t for t in texts if t.strip()]


def cjk_outside_data(html: str) -> list[str]:
    return [t for t in visible_text_outside_data(html) if CJK.search(t)]
