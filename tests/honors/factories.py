"""Honor applications built through the services, as an enterprise would."""
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from apps.honors import services
from apps.honors.constants import Purpose
from apps.honors.models import HonorCategory
from apps.organizations.constants import Role
from apps.organizations.models import AdminUnit, Department
from apps.workflow.services import transition_perform
from tests.accounts.factories import EnterpriseFactory, StaffFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="证书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="product.png", colour=(10, 120, 200)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def mp4(name="intro.mp4", size=2048):
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return SimpleUploadedFile(name, head + b"\x00" * (size - len(head)), content_type="video/mp4")


def load_world():
    """Reference data (departments, roles, the 13 categories) and one person of every kind that matters."""
    call_command("load_demo", "--reference-only", verbosity=0)
    dept = {code: Department.objects.get(code=code) for code in (
        "city-science", "city-agriculture", "city-market-regulation", "city-industry")}
    return {
        "enterprise": EnterpriseFactory(email="ent@example.com"),
        "other_enterprise": EnterpriseFactory(),
        "science": StaffFactory(department=dept["city-science"], roles=[Role.HONOR_REVIEWER]),
        "agri": StaffFactory(department=dept["city-agriculture"], roles=[Role.HONOR_REVIEWER]),
        "industry": StaffFactory(department=dept["city-industry"], roles=[Role.HONOR_REVIEWER]),
        "officer": StaffFactory(department=dept["city-market-regulation"], roles=[Role.ACCEPTANCE_OFFICER],
                                email="officer@example.gov.cn"),
        "clerk": StaffFactory(department=dept["city-market-regulation"], roles=[Role.CLERK]),
        "high_tech": HonorCategory.objects.get(code="high-tech"),  # 市科技局
        "agri_leading": HonorCategory.objects.get(code="agri-leading"),  # 市农业农村局
        "green_factory": HonorCategory.objects.get(code="green-factory"),  # 市工业和信息化局
        "district": AdminUnit.objects.get(code="211103"),
    }


def fill(world, enterprise=None, categories=None, profile="<p>企业概况：水稻种植加工。</p>"):
    """A complete draft: the enterprise's data, two honors (two departments), one product, the three materials."""
    enterprise = enterprise or world["enterprise"]
    application = services.honor_application_start(applicant=enterprise)
    services.honor_application_update(
        actor=enterprise, application=application, name=enterprise.enterprise_profile.name, industry="A",
        district=world["district"], contact_phone="0427-1234567", website="", profile=profile,
        development="企业发展历程", brand="品牌建设之路", products_intro="", eligibility_confirmed=True)
    for n, category in enumerate(categories or [world["high_tech"], world["agri_leading"]]):
        services.honor_claim_add(actor=enterprise, application=application, category=category,
                                 issuer="辽宁省科学技术厅", issuer_level="provincial",
                                 issued_on=dt.date(2024, 5, 1 + n), number=f"NO-{n}", scan=pdf())
    services.product_add(actor=enterprise, application=application, name="盘锦大米", model="JD-5",
                         specification="5千克", standard="GB/T 1354-2018", description="好吃", images=[png()])
    for purpose in Purpose.MATERIALS:
        services.material_upload(actor=enterprise, application=application, purpose=purpose, upload=pdf())
    application.refresh_from_db()
    return application


def submitted(world, **kwargs):
    application = fill(world, **kwargs)
    return services.honor_application_submit(actor=application.applicant, application=application, declaration=True)


def review_decide(*, actor, review, decision, opinion="", items=()):
    """A department's opinion through the one door (what 审查通过 / 退回修改 / 审查不通过 in the admin runs)."""
    return transition_perform(actor=actor, obj=review, name=decision, comment=opinion,
                              params=services.Opinion(opinion=opinion, items=list(items)))


def revoke(*, actor, showcase, source, listed_on, reason):
    """撤销（失信） through the one door (what the admin button runs)."""
    return transition_perform(actor=actor, obj=showcase, name="revoke", comment=reason,
                              params=services.Revocation(source=source, listed_on=listed_on))


def pass_all(world, application):
    from apps.honors.models import DepartmentReview

    reviewers = {world[k].department_id: world[k] for k in ("science", "agri", "industry")}
    for review in DepartmentReview.objects.filter(application=application, status="pending"):
        review_decide(actor=reviewers[review.department_id], review=review, decision="pass", opinion="同意")
    application.refresh_from_db()
    return application


def published(world, **kwargs):
    application = pass_all(world, submitted(world, **kwargs))
    return transition_perform(actor=world["officer"], obj=application, name="accept")
