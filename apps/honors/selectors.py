"""Reads of honor applications, reviews and showcases. The only place that scopes them to a person."""
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from apps.attachments.models import Attachment
from apps.core.text import segment, words_query
from apps.organizations.constants import Role
from apps.workflow.selectors import (actor_has_case_role, case_get_for_user, case_is_owner,
                                     case_queryset_for_staff)

from .constants import MATERIAL_LABELS, Purpose, ReviewStatus, ShowcaseStatus
from .models import ClaimedHonor, DepartmentReview, HonorApplication, HonorCategory, Showcase, ShowcaseVersion


def categories_active() -> QuerySet:
    return HonorCategory.objects.filter(is_active=True).select_related("department").order_by("order", "id")


# --- the enterprise's own applications ---------------------------------------------------------------------------

def honor_applications_for_enterprise(*, user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return HonorApplication.objects.none()
    return HonorApplication.objects.filter(applicant=user).order_by("-created_at")


def honor_application_get_for_owner(*, user, pk) -> HonorApplication:
    """The enterprise's own application; anything else is HonorApplication.DoesNotExist (404)."""
    try:
        application = HonorApplication.objects.select_related("district", "showcase").get(pk=pk)
    except (HonorApplication.DoesNotExist, ValueError, TypeError):
        raise HonorApplication.DoesNotExist from None
    if not case_is_owner(user=user, obj=application):
        raise HonorApplication.DoesNotExist
    return application


def honor_application_get_for_user(*, user, pk) -> HonorApplication:
    return case_get_for_user(user=user, model=HonorApplication, pk=pk)


def _attachments(application) -> QuerySet:
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(HonorApplication),
                                     object_id=str(application.pk)).order_by("uploaded_at")


def application_materials(*, application) -> dict:
    """purpose → the latest upload, for the three materials (licence, application form, declaration)."""
    latest = {}
    for attachment in _attachments(application).filter(purpose__in=Purpose.MATERIALS):
        latest[attachment.purpose] = attachment
    return latest


def application_product_media(*, application) -> dict:
    """product id → {"images": [...], "video": attachment or None}."""
    media = {}
    for attachment in _attachments(application).filter(purpose__regex=r"^product_(image|video):"):
        kind, _sep, product_id = attachment.purpose.partition(":")
        entry = media.setdefault(int(product_id), {"images": [], "video": None})
        if kind == Purpose.PRODUCT_IMAGE:
            entry["images"].append(attachment)
        else:
            entry["video"] = attachment
    return media


def application_honors(*, application) -> QuerySet:
    return ClaimedHonor.objects.filter(application=application).select_related("category__department", "scan")


def application_missing(*, application) -> list[str]:
    """Everything still missing before the application can be submitted, in the user's words."""
    missing = []
    for field in ("name", "industry", "district"):
        if not getattr(application, field if field != "district" else "district_id"):
            missing.append(str(HonorApplication._meta.get_field(field).verbose_name))
    honors = list(application_honors(application=application))
    if not honors:
        missing.append(_("at least one honor with its certificate"))
    for honor in honors:
        if not honor.scan_id:
            missing.append(_("the certificate scan of “%(name)s”") % {"name": honor.category.name})
    for field in ("profile", "development", "brand"):
        if not getattr(application, field).strip():
            missing.append(str(HonorApplication._meta.get_field(field).verbose_name))
    products = list(application.products.all())
    media = application_product_media(application=application)
    if not products:
        missing.append(_("at least one product"))
    for product in products:
        if not media.get(product.pk, {}).get("images"):
            missing.append(_("an image of “%(name)s”") % {"name": product.name})
    materials = application_materials(application=application)
    for purpose in Purpose.MATERIALS:
        if purpose not in materials:
            missing.append(str(MATERIAL_LABELS[purpose]))
    if not application.eligibility_confirmed:
        missing.append(_("the confirmation of the eligibility statements"))
    return missing


def reviews_current(*, application) -> list[DepartmentReview]:
    """The latest review of each department (the round that counts), cancelled ones left out."""
    latest = {}
    for review in (DepartmentReview.objects.filter(application=application)
                   .exclude(status=ReviewStatus.CANCELLED).select_related("department", "document")
                   .order_by("department_id", "-round", "-id")):
        latest.setdefault(review.department_id, review)
    return list(latest.values())


def honors_changed_departments(*, application) -> set[int]:
    """For an update: the departments whose honors are new or changed since the published version."""
    base = application.base_version
    published = {h["category_id"]: tuple(h["signature"]) for h in (base.content.get("honors", []) if base else [])}
    changed = set()
    for honor in application_honors(application=application):
        signature = honor.signature()
        if published.get(honor.category_id) != tuple(signature):
            changed.add(honor.category.department_id)
    return changed


def application_snapshot(*, application) -> dict:
    """What the public page shows of an application: the published version's content, or a preview."""
    media = application_product_media(application=application)
    products = []
    for product in application.products.all():
        entry = media.get(product.pk, {})
        products.append({
            "name": product.name, "model": product.model, "specification": product.specification,
            "standard": product.standard, "technical_requirements": product.technical_requirements,
            "description": product.description, "images": [str(a.pk) for a in entry.get("images", [])],
            "video": str(entry["video"].pk) if entry.get("video") else None,
        })
    honors = [{
        "category_id": h.category_id, "category": h.category.name, "issuer": h.issuer,
        "issuer_level": h.issuer_level, "issuer_level_label": h.get_issuer_level_display(),
        "issued_on": h.issued_on.isoformat(), "number": h.number, "signature": list(h.signature()),
    } for h in application_honors(application=application)]
    return {
        "name": application.name, "credit_code": application.credit_code, "industry": application.industry,
        "industry_label": application.get_industry_display(),
        "district": application.district.name if application.district_id else "",
        "contact_phone": application.contact_phone, "website": application.website,
        **{section: getattr(application, section) for section in ("profile", "development", "brand", "products_intro")},
        "honors": honors, "products": products,
    }


# --- staff ----------------------------------------------------------------------------------------------------------

def reviews_for_staff(*, user) -> QuerySet:
    """Review tasks of the user's own department, for those whose role works on them — the honor reviewers, as in the
    admin (a clerk or head of the same department sees none: the opinions are not theirs to read); a superuser: all."""
    if not user.is_superuser and not user.has_perm("honors.view_departmentreview"):
        return DepartmentReview.objects.none()
    return case_queryset_for_staff(user=user, queryset=DepartmentReview.objects.all())


def review_opinion_get_for_user(*, user, application_pk, document_token):
    """A department's written opinion on an application, by the opinion's token, for those who read it in the admin:
    the enterprise, the acceptance officers of the accepting department (who must read every opinion before they
    accept: ``HonorApplicationAdmin``) and the honor reviewers of the department that wrote it
    (``DepartmentReviewAdmin``) — never another reviewing department, nor another role of the same department (a
    clerk of the accepting department). Anything else is Document.DoesNotExist (404)."""
    from apps.documents.models import Document

    try:
        application = HonorApplication.objects.get(pk=application_pk)
        document = Document.objects.get(
            token=document_token, content_type=ContentType.objects.get_for_model(DepartmentReview),
            object_id__in=[str(pk) for pk in application.reviews.values_list("pk", flat=True)])
    except (HonorApplication.DoesNotExist, Document.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Document.DoesNotExist from None
    review = document.case
    allowed = (case_is_owner(user=user, obj=application)
               or actor_has_case_role(user=user, obj=application, roles={Role.ACCEPTANCE_OFFICER})
               or actor_has_case_role(user=user, obj=review, roles={Role.HONOR_REVIEWER}))
    if not allowed:
        raise Document.DoesNotExist
    return document


# --- public showcase ------------------------------------------------------------------------------------------------

def showcases_published(*, category: HonorCategory | None = None, industry: str = "", district=None,
                        search: str = "") -> QuerySet:
    qs = Showcase.objects.filter(status=ShowcaseStatus.PUBLISHED).select_related("district")
    if category is not None:
        qs = qs.filter(categories=category)
    if industry:
        qs = qs.filter(industry=industry)
    if district is not None:
        qs = qs.filter(district=district)
    words = segment(search) if search.strip() else []
    if words:
        if connection.vendor == "postgresql":
            qs = qs.filter(search_vector=words_query(words))
        else:
            for word in words:
                qs = qs.filter(search_tokens__icontains=word.lower())
    return qs.prefetch_related(Prefetch("categories", queryset=HonorCategory.objects.order_by("order")))\
        .order_by("-published_at", "-id")


def showcase_get_published(*, pk) -> Showcase:
    """A published showcase with its current version; a revoked or unpublished one is Showcase.DoesNotExist."""
    try:
        return Showcase.objects.select_related("current_version", "district").get(
            pk=pk, status=ShowcaseStatus.PUBLISHED, current_version__isnull=False)
    except (Showcase.DoesNotExist, ValueError, TypeError):
        raise Showcase.DoesNotExist from None


def showcase_media_get(*, showcase: Showcase, attachment_id) -> Attachment:
    """A product image or video of the showcase's published version; nothing else (certificates, licences) is
    public."""
    version: ShowcaseVersion = showcase.current_version
    try:
        attachment = Attachment.objects.get(
            pk=attachment_id, content_type=ContentType.objects.get_for_model(HonorApplication),
            object_id=str(version.application_id))
    except (Attachment.DoesNotExist, ValueError, TypeError, AttributeError):
        raise Attachment.DoesNotExist from None
    if attachment.purpose.partition(":")[0] not in Purpose.PUBLIC:
        raise Attachment.DoesNotExist
    return attachment


# --- the back office's queues (apps.core.dashboard): the same scoping and condition as the admin's lists ----------

def honor_applications_for_staff(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """The acceptance office's applications (its department's), never drafts: the admin's list and the dashboard."""
    from apps.organizations.selectors import queryset_for_department

    from .constants import Status
    from .models import HonorApplication

    queryset = HonorApplication.objects.all() if queryset is None else queryset
    return queryset_for_department(user=user, queryset=queryset).exclude(status=Status.DRAFT)


def application_pending_scan(*, application, attachment_id=None):
    """The certificate scan kept with the draft (services.honor_scan_keep): the one named, or the latest; or None."""
    import uuid

    from apps.attachments.selectors import attachments_for_case

    from .constants import Purpose

    pending = attachments_for_case(obj=application).filter(purpose=Purpose.CERTIFICATE_PENDING)
    if attachment_id is not None:
        try:
            uuid.UUID(str(attachment_id))
        except ValueError:
            return None
        return pending.filter(pk=attachment_id).first()
    return pending.order_by("-pk").first()
