"""Demo showcases for `make run`: enterprises taken through the real flow (submit → reviews → acceptance), with
product pictures drawn here (a coloured card with the product's name in Noto CJK)."""
import datetime as dt
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.honors import services
from apps.honors.constants import Purpose, ReviewStatus, ShowcaseStatus
from apps.honors.models import DepartmentReview, HonorCategory, Showcase
from apps.organizations.models import AdminUnit
from apps.workflow.services import transition_perform

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def picture(text: str, colour, size=(800, 500), name="product.jpg") -> SimpleUploadedFile:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, tuple(colour))
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):  # a soft vertical gradient
        shade = tuple(min(255, int(c + (255 - c) * y / size[1] * 0.45)) for c in colour)
        draw.line([(0, y), (size[0], y)], fill=shade)
    font = ImageFont.truetype(str(FONT), 46) if FONT.exists() else ImageFont.load_default()
    draw.rounded_rectangle([40, size[1] - 150, size[0] - 40, size[1] - 40], radius=18, fill=(255, 255, 255))
    draw.text((70, size[1] - 130), text[:14], fill=tuple(colour), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def showcases_demo_load(*, data: dict, password: str, actor) -> int:
    """Publish each demo enterprise once (idempotent: an enterprise already shown is left alone)."""
    published = 0
    for row in data["enterprises"]:
        user = User.objects.filter(phone=row["phone"]).first()
        if user is None:
            user = account_services.enterprise_register(
                phone=row["phone"], email=f"contact{row['phone'][-2:]}@enterprise.example.com", password=password,
                name=row["name"], credit_code=row["credit_code"], legal_representative=row["legal_representative"],
                contact_name=row["contact_name"])
        if Showcase.objects.filter(enterprise=user, status=ShowcaseStatus.PUBLISHED).exists():
            continue
        application = services.honor_application_start(applicant=user)
        services.honor_application_update(
            actor=user, application=application, name=row["name"], industry=row["industry"],
            district=AdminUnit.objects.get(code=row["district"]), contact_phone="0427-2800000", website="",
            profile=row["profile"], development=row["development"], brand=row["brand"],
            products_intro=row["products_intro"], eligibility_confirmed=True)
        for honor in row["honors"]:
            services.honor_claim_add(actor=user, application=application,
                                     category=HonorCategory.objects.get(code=honor["category"]),
                                     issuer=honor["issuer"], issuer_level=honor["level"],
                                     issued_on=dt.date.fromisoformat(honor["date"]), number=honor["number"],
                                     scan=pdf("荣誉证书.pdf"))
        for product in row["products"]:
            colour = row["colour"]
            images = [picture(product["name"], colour),
                      picture(product["specification"], [max(0, c - 30) for c in colour], name="detail.jpg")]
            services.product_add(actor=user, application=application, images=images,
                                 **{k: product[k] for k in ("name", "model", "specification", "standard",
                                                            "description")})
        for purpose in Purpose.MATERIALS:
            services.material_upload(actor=user, application=application, purpose=purpose, upload=pdf(f"{purpose}.pdf"))
        services.honor_application_submit(actor=user, application=application, declaration=True)
        for review in DepartmentReview.objects.filter(application=application,
                                                      status=ReviewStatus.PENDING).order_by("pk"):
            transition_perform(actor=actor, obj=review, name="pass", comment="申报材料齐全，荣誉证书真实有效，展示内容符合要求。",
                               params=services.Opinion(opinion="申报材料齐全，荣誉证书真实有效，展示内容符合要求。"))
        application.refresh_from_db()
        transition_perform(actor=actor, obj=application, name="accept", comment="规范性审核通过，予以发布。")
        published += 1
    return published
