"""Enterprise and product honors (优秀企业和优质产品公示展示, seed 000): the enterprise prepares and submits, the
departments that grant its honors review in parallel, 市市场监管局 accepts within 5 working days and publishes;
updates are handled within 15 working days, a first recognition is entered within 30 days, and a listing as dishonest
(失信) revokes the showcase at once."""
import datetime as dt
import re
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from apps.accounts.constants import AccountKind
from apps.accounts.models import User
from apps.attachments.models import Attachment
from apps.attachments.selectors import attachments_for_case
from apps.attachments.services import attachment_create, attachments_delete, image_attachment_create
from apps.attachments.validators import VIDEO_TYPES
from apps.core.links import admin_change_url
from apps.core.sequences import day_sequence_next
from apps.core.text import index_tokens
from apps.core.upsert import upsert
from apps.deadlines.constants import Unit
from apps.deadlines.selectors import deadline_due_text, deadline_for_stage
from apps.deadlines.services import (
    deadline_attach,
    deadline_cancel,
    deadline_complete,
    deadline_pause,
    deadline_resume,
    deadline_start,
)
from apps.documents.services import document_issue
from apps.notifications.services import notify
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.organizations.selectors import staff_with_role
from apps.workflow.exceptions import TransitionForbidden, TransitionInvalid
from apps.workflow.selectors import case_is_owner
from apps.workflow.services import case_lock, transition_perform
from apps.workflow.spec import Reason
from apps.workdays.selectors import receipt_moment

from .constants import (
    ACCEPTANCE_DEPARTMENT,
    ACCEPTANCE_LIMIT,
    DUE_SOON_WORKING_DAYS,
    EDITABLE,
    FIRST_ENTRY_DAYS,
    MAX_IMAGES_PER_PRODUCT,
    MAX_PRODUCTS,
    SECTION_MAX_CHARS,
    STOPPABLE,
    UPDATE_LIMIT,
    DocumentKinds,
    Kind,
    Purpose,
    ReviewStatus,
    ShowcaseStatus,
    Stage,
    Status,
)
from .exceptions import HonorError
from .models import (
    ClaimedHonor,
    DepartmentReview,
    FirstRecognition,
    HonorApplication,
    HonorCategory,
    Product,
    ReferenceSequence,
    Showcase,
    ShowcaseVersion,
)
from .selectors import (
    application_honors,
    application_snapshot,
    application_materials,
    application_missing,
    application_product_media,
    honors_changed_departments,
    reviews_current,
)

# The rich text of the four sections: paragraphs, emphasis, lists and small headings; no links, images, styles or
# scripts (images belong to the product gallery, which the portal serves itself).
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote"}
SECTIONS = ("profile", "development", "brand", "products_intro")


def sanitize_section(text: str) -> str:
    """Keep the few allowed tags without attributes; text typed as plain lines becomes paragraphs. Scripts, styles,
    links, images and event handlers are dropped (nh3, the Rust ammonia sanitizer), so nothing typed can run."""
    text = (text or "").strip()
    if not text:
        return ""
    if not re.search(r"<\s*(p|br|ul|ol|h3|h4|blockquote)\b", text, flags=re.I):
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        text = "".join(f"<p>{line}</p>" for line in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, url_schemes=set(), strip_comments=True,
                     clean_content_tags={"script", "style"}).strip()


def section_length(html: str) -> int:
    return len(strip_tags(html).strip())


def _acceptance_department() -> Department:
    return Department.objects.get(code=ACCEPTANCE_DEPARTMENT)


def _staff(department_id, role) -> list:
    return list(staff_with_role(department=department_id, role=role))


def _public_url(application) -> str:
    return reverse("honors:detail", args=[application.pk])


def _lock(application) -> HonorApplication:
    return case_lock(application)  # the showcase first, then the application (ADR 0003)


def _date(moment) -> str:
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment:%Y年%m月%d日}"


def _due(deadline) -> str:
    return deadline_due_text(due_at=deadline.due_at, provisional=deadline.provisional)


def _require_editable(application, actor):
    if not case_is_owner(user=actor, obj=application):
        raise TransitionForbidden(_("You may not do this on this case."))
    if application.status not in EDITABLE:
        raise HonorError(_("This application can no longer be changed: it is “%(state)s”.")
                         % {"state": application.get_status_display()})


# --- drafts -------------------------------------------------------------------------------------------------------

@transaction.atomic
def honor_application_start(*, applicant) -> HonorApplication:
    """The enterprise's open application, or a new one: a first entry, or — once published — an update that starts
    from the published version (its honors, products and files copied)."""
    if applicant.kind != AccountKind.ENTERPRISE or not hasattr(applicant, "enterprise_profile"):
        raise HonorError(_("Only enterprise accounts can apply for the honor showcase."))
    profile = applicant.enterprise_profile
    showcase, _created = Showcase.objects.get_or_create(
        enterprise=applicant, defaults={"name": profile.name, "credit_code": profile.credit_code,
                                        "department": _acceptance_department()})
    showcase = Showcase.objects.select_for_update().get(pk=showcase.pk)
    from apps.credit.selectors import dishonesty_records_for

    if showcase.status == ShowcaseStatus.REVOKED or dishonesty_records_for(subject_code=profile.credit_code).exists():
        # One rule (the shared record): an enterprise on the dishonesty list is not shown, however it got there.
        raise HonorError(_("Your showcase was revoked because the enterprise is on the dishonesty list; no "
                           "application can be made."))
    open_one = showcase.applications.filter(status__in=[Status.DRAFT, Status.IN_REVIEW, Status.RETURNED,
                                                        Status.IN_ACCEPTANCE]).first()
    if open_one:
        return open_one
    base = showcase.current_version if showcase.status == ShowcaseStatus.PUBLISHED else None
    if base is None:
        return HonorApplication.objects.create(
            applicant=applicant, showcase=showcase, department=showcase.department, name=profile.name,
            credit_code=profile.credit_code, contact_phone=profile.contact_phone or applicant.phone or "")
    return _copy_for_update(base=base, applicant=applicant)


def _copy_attachment(attachment: Attachment, *, obj, purpose: str, actor) -> Attachment:
    """A new row for the same stored file (files are never changed or deleted, so sharing them is safe)."""
    copy = Attachment(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), purpose=purpose,
        file=attachment.file.name, thumbnail=attachment.thumbnail.name, original_name=attachment.original_name,
        mime=attachment.mime, extension=attachment.extension, size=attachment.size, sha256=attachment.sha256,
        uploaded_by=actor, uploaded_at=attachment.uploaded_at)
    copy.save()
    return copy


def _copy_for_update(*, base: ShowcaseVersion, applicant) -> HonorApplication:
    source = base.application
    fields = ("name", "credit_code", "industry", "district_id", "contact_phone", "website", *SECTIONS)
    application = HonorApplication.objects.create(
        kind=Kind.UPDATE, applicant=applicant, showcase=base.showcase, base_version=base,
        department=source.department, eligibility_confirmed=False,
        **{field: getattr(source, field) for field in fields})
    for purpose, attachment in application_materials(application=source).items():
        _copy_attachment(attachment, obj=application, purpose=purpose, actor=applicant)
    for honor in application_honors(application=source):
        copy = ClaimedHonor.objects.create(application=application, category=honor.category, issuer=honor.issuer,
                                           issuer_level=honor.issuer_level, issued_on=honor.issued_on,
                                           number=honor.number)
        if honor.scan_id:
            copy.scan = _copy_attachment(honor.scan, obj=application, purpose=f"{Purpose.CERTIFICATE}:{copy.pk}",
                                         actor=applicant)
            copy.save(update_fields=["scan"])
    media = application_product_media(application=source)
    for product in source.products.all():
        copy = Product.objects.create(application=application, **{
            f: getattr(product, f) for f in ("name", "model", "specification", "standard", "technical_requirements",
                                             "description", "order")})
        for image in media.get(product.pk, {}).get("images", []):
            _copy_attachment(image, obj=application, purpose=f"{Purpose.PRODUCT_IMAGE}:{copy.pk}", actor=applicant)
        video = media.get(product.pk, {}).get("video")
        if video:
            _copy_attachment(video, obj=application, purpose=f"{Purpose.PRODUCT_VIDEO}:{copy.pk}", actor=applicant)
    return application


@transaction.atomic
def honor_application_update(*, actor, application, name: str, industry: str, district, contact_phone: str,
                             website: str, profile: str, development: str, brand: str, products_intro: str,
                             eligibility_confirmed: bool) -> HonorApplication:
    application = _lock(application)
    _require_editable(application, actor)
    sections = {"profile": profile, "development": development, "brand": brand, "products_intro": products_intro}
    cleaned = {key: sanitize_section(value) for key, value in sections.items()}
    for key, html in cleaned.items():
        if section_length(html) > SECTION_MAX_CHARS:
            raise TransitionInvalid(
                _("Keep it under %(n)s characters (now %(m)s).") % {"n": SECTION_MAX_CHARS, "m": section_length(html)},
                field=key)
    application.name, application.industry, application.district = name.strip(), industry, district
    application.contact_phone, application.website = contact_phone, website
    for key, html in cleaned.items():
        setattr(application, key, html)
    application.eligibility_confirmed = eligibility_confirmed
    application.save(update_fields=["name", "industry", "district", "contact_phone", "website", *SECTIONS,
                                    "eligibility_confirmed"])
    return application


@transaction.atomic
def honor_claim_add(*, actor, application, category: HonorCategory, issuer: str, issuer_level: str,
                    issued_on: dt.date, number: str, scan=None, kept_scan_id=None) -> ClaimedHonor:
    """Claim one honor with its certificate. The scan is a PDF or an image (judged by content): uploaded now
    (``scan``), or the one kept with the draft when the honor was refused for another reason (``kept_scan_id``,
    see honor_scan_keep)."""
    application = _lock(application)
    _require_editable(application, actor)
    if not category.is_active:
        raise TransitionInvalid(_("This honor category is no longer offered."), field="category")
    if error := issued_on_error(issued_on):
        raise TransitionInvalid(error, field="issued_on")
    if application.honors.filter(category=category).exists():
        raise TransitionInvalid(_("This honor is already claimed; remove it first to replace it."), field="category")
    honor = ClaimedHonor.objects.create(application=application, category=category, issuer=issuer.strip(),
                                        issuer_level=issuer_level, issued_on=issued_on, number=number.strip())
    pending = attachments_for_case(obj=application).filter(purpose=Purpose.CERTIFICATE_PENDING)
    if scan is None:
        attachment = pending.filter(pk=kept_scan_id).first() if kept_scan_id else None
        if attachment is None:
            raise TransitionInvalid(_("Choose the certificate scan."), field="scan")
        attachment.purpose = f"{Purpose.CERTIFICATE}:{honor.pk}"
        attachment.save(update_fields=["purpose"])
    else:
        try:
            attachment = attachment_create(obj=application, upload=scan, actor=actor,
                                           purpose=f"{Purpose.CERTIFICATE}:{honor.pk}", replaces=list(pending))
        except ValidationError as error:
            raise TransitionInvalid(" ".join(error.messages), field="scan") from None
    honor.scan = attachment
    honor.save(update_fields=["scan"])
    return honor


@transaction.atomic
def honor_scan_keep(*, actor, application, upload) -> Attachment:
    """Keep a certificate scan that passed its checks while the rest of its honor was refused (a date missing, say):
    a browser cannot fill a file input again, so the draft holds the file and the page says 已选：<name>（保留）.
    One pending scan per draft: a newer one replaces it. Raises TransitionInvalid(field="scan") for a bad file."""
    application = _lock(application)
    _require_editable(application, actor)
    earlier = list(attachments_for_case(obj=application).filter(purpose=Purpose.CERTIFICATE_PENDING))
    try:
        return attachment_create(obj=application, upload=upload, actor=actor, purpose=Purpose.CERTIFICATE_PENDING,
                                 replaces=earlier)
    except ValidationError as error:
        raise TransitionInvalid(" ".join(error.messages), field="scan") from None


@transaction.atomic
def honor_claim_remove(*, actor, application, honor_id) -> None:
    application = _lock(application)
    _require_editable(application, actor)
    if ClaimedHonor.objects.filter(application=application, pk=honor_id).delete()[0]:
        # Its certificate goes with it: a removed item leaves no file counted against the case's quota.
        attachments_delete(attachments=attachments_for_case(obj=application).filter(
            purpose=f"{Purpose.CERTIFICATE}:{honor_id}"))


@transaction.atomic
def product_add(*, actor, application, name: str, model: str = "", specification: str = "", standard: str = "",
                technical_requirements: str = "", description: str = "", images=(), video=None) -> Product:
    """One product with at least one image (JPEG/PNG) and an optional short video (MP4/WebM, size-limited).
    Nothing is kept when any file is refused."""
    application = _lock(application)
    _require_editable(application, actor)
    if application.products.count() >= MAX_PRODUCTS:
        raise TransitionInvalid(_("At most %(n)s products can be shown.") % {"n": MAX_PRODUCTS}, field=None)
    images = list(images)
    if not images:
        raise TransitionInvalid(_("Add at least one image of the product."), field="images")
    if len(images) > MAX_IMAGES_PER_PRODUCT:
        raise TransitionInvalid(_("At most %(n)s images per product.") % {"n": MAX_IMAGES_PER_PRODUCT},
                                field="images")
    order = (application.products.aggregate(m=Max("order"))["m"] or 0) + 1
    product = Product.objects.create(application=application, name=name.strip(), model=model, order=order,
                                     specification=specification, standard=standard,
                                     technical_requirements=technical_requirements, description=description)
    field = "images"
    try:
        for image in images:
            image_attachment_create(obj=application, upload=image, actor=actor,
                                    purpose=f"{Purpose.PRODUCT_IMAGE}:{product.pk}")
        if video is not None:
            field = "video"
            attachment_create(obj=application, upload=video, actor=actor,
                              purpose=f"{Purpose.PRODUCT_VIDEO}:{product.pk}", allowed=VIDEO_TYPES,
                              max_bytes=settings.HONORS_VIDEO_MAX_BYTES,
                              type_message=_("“%(name)s” is not an MP4 or WebM video."))
    except ValidationError as error:
        raise TransitionInvalid(" ".join(error.messages), field=field) from None
    return product


@transaction.atomic
def product_remove(*, actor, application, product_id) -> None:
    application = _lock(application)
    _require_editable(application, actor)
    if Product.objects.filter(application=application, pk=product_id).delete()[0]:
        attachments_delete(attachments=attachments_for_case(obj=application).filter(
            purpose__in=[f"{Purpose.PRODUCT_IMAGE}:{product_id}", f"{Purpose.PRODUCT_VIDEO}:{product_id}"]))


@transaction.atomic
def material_upload(*, actor, application, purpose: str, upload) -> Attachment:
    application = _lock(application)
    _require_editable(application, actor)
    if purpose not in Purpose.MATERIALS:
        raise HonorError(_("Unknown material."))
    # In a draft a material uploaded again replaces the earlier file; once returned by a department, what it
    # reviewed stays on the record.
    replaces = (attachments_for_case(obj=application).filter(purpose=purpose)
                if application.status == Status.DRAFT else ())
    try:
        return attachment_create(obj=application, upload=upload, actor=actor, purpose=purpose, replaces=replaces)
    except ValidationError as error:
        raise TransitionInvalid(" ".join(error.messages), field=purpose) from None


# --- the parameters of the transitions that take more than a comment (apps/honors/transitions.py) ---------------

@dataclass(frozen=True)
class Declaration:
    """submit, submit_content, resubmit: the signed authenticity declaration (申报材料真实性声明)."""

    declaration: bool = False


@dataclass(frozen=True)
class Opinion:
    """A department's written opinion (书面审核意见); a return lists every item to correct."""

    opinion: str = ""
    items: list[str] = field(default_factory=list)

    def __post_init__(self):
        object.__setattr__(self, "opinion", (self.opinion or "").strip())
        object.__setattr__(self, "items", [i.strip() for i in self.items if i and i.strip()])


@dataclass(frozen=True)
class RoundOutcome:
    """How a review round ended, moved on by the department whose opinion completed it: the items returned."""

    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Revocation:
    """失信: where the listing comes from, when it was listed and the reasons (kept on record, told the enterprise)."""

    reason: str = ""
    source: str = ""
    listed_on: dt.date | None = None


# --- submission -------------------------------------------------------------------------------------------------

@transaction.atomic
def honor_application_submit(*, actor, application, declaration: bool) -> HonorApplication:
    """The enterprise's 提交 button, whatever the draft is: a first entry goes to the departments of its honors; an
    update goes to the departments whose honors changed, or straight to acceptance when only its content changed; a
    returned application goes back to the departments that returned it. The choice is made on the locked draft, so an
    honor added at the same moment cannot slip past the departments' review."""
    application = _lock(application)
    name = "submit"
    if application.status == Status.RETURNED:
        name = "resubmit"
    elif application.kind == Kind.UPDATE and not honors_changed_departments(application=application):
        name = "submit_content"
    return transition_perform(actor=actor, obj=application, name=name, params=Declaration(declaration=declaration))


def check_complete(*, obj: HonorApplication, actor, params: Declaration):
    """submit and resubmit: the authenticity declaration signed and nothing missing."""
    application = obj
    if not params.declaration:
        raise TransitionInvalid(_("Please confirm the authenticity declaration."), field="declaration")
    missing = application_missing(application=application)
    if missing:
        raise TransitionInvalid(_("Still missing: %(items)s.") % {"items": "、".join(missing)}, field="missing")


def _next_reference(now) -> str:
    day, n = day_sequence_next(ReferenceSequence, now)
    return f"RY-{day:%Y%m%d}-{n:04d}"


def _set_due(application, deadline):
    deadline_attach(obj=application, deadline=deadline)


def _set_due_earliest(application):
    """Point the queue at the clock that falls due first: the 5-day acceptance, or an update's 15-day limit when
    that comes sooner (an update that spent long in review)."""
    clocks = [d for d in (deadline_for_stage(obj=application, stage=stage) for stage in (Stage.ACCEPTANCE, Stage.UPDATE))
              if d is not None and d.is_open]
    _set_due(application, min(clocks, key=lambda d: d.due_at) if clocks else None)


def _review_limit(application, department_id) -> int:
    limits = [h.category.review_limit for h in application_honors(application=application)
              if h.category.department_id == department_id]
    return max(limits or [10])


def _reviews_create(application, department_ids, actor, received):
    """One review task per department, in parallel, each with its own clock (default 10 working days) from when the
    enterprise's submission counts as received (``received``: settings RECEIPT_AFTER_HOURS)."""
    rounds = {row["department_id"]: row["r"] for row in
              DepartmentReview.objects.filter(application=application).values("department_id").annotate(r=Max("round"))}
    for department_id in sorted(department_ids):
        review = DepartmentReview.objects.create(application=application, applicant=application.applicant,
                                                 department_id=department_id,
                                                 round=rounds.get(department_id, 0) + 1)
        deadline = deadline_start(
            obj=review, stage=Stage.REVIEW, label=str(_("Department review")), unit=Unit.WORKING_DAYS,
            limit=_review_limit(application, department_id), due_soon_before=DUE_SOON_WORKING_DAYS, started_at=received,
            actor=actor, responsible_department=review.department, responsible_role=Role.HONOR_REVIEWER,
            url=admin_change_url(review))
        deadline_attach(obj=review, deadline=deadline)
        notify(recipients=_staff(department_id, Role.HONOR_REVIEWER),
               title=_("Honor application to review: %(name)s") % {"name": application.name},
               body=_("%(reference)s — your opinion is due %(due)s.")
               % {"reference": application.reference, "due": _due(deadline)},
               url=admin_change_url(review))
    application.review_departments.add(*department_ids)


def _start_acceptance(application, actor, received=None):
    """Seed 000: the normative check of 市市场监管局 finishes within 5 working days of the application reaching it —
    when it comes straight from the enterprise's submission, from when that counts as received (``received``)."""
    now = timezone.now()
    application.reached_acceptance_at = now
    application.save(update_fields=["reached_acceptance_at"])
    deadline = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    if deadline is not None and deadline.is_open:
        deadline_cancel(deadline=deadline, actor=actor, reason="restarted")
    deadline = deadline_start(
        obj=application, stage=Stage.ACCEPTANCE, label=str(_("Acceptance")), unit=Unit.WORKING_DAYS,
        limit=ACCEPTANCE_LIMIT, due_soon_before=DUE_SOON_WORKING_DAYS, started_at=received or now, actor=actor,
        responsible_department=application.department, responsible_role=Role.ACCEPTANCE_OFFICER,
        url=admin_change_url(application))
    _set_due_earliest(application)
    notify(recipients=_staff(application.department_id, Role.ACCEPTANCE_OFFICER),
           title=_("Honor application awaiting acceptance: %(name)s") % {"name": application.name},
           body=_("%(reference)s — accept or refuse by %(due)s.")
           % {"reference": application.reference, "due": _due(deadline)}, url=admin_change_url(application))


def on_submit(*, obj: HonorApplication, actor, params: Declaration):
    application = obj
    now = timezone.now()
    application.reference = application.reference or _next_reference(now)
    application.submitted_at, application.declaration_at = now, now  # the real moment; the clocks run from receipt
    application.save(update_fields=["reference", "submitted_at", "declaration_at"])
    received = receipt_moment(at=now)
    if application.kind == Kind.UPDATE:
        # Seed 000: a change of published information is handled within 15 working days.
        update_clock = deadline_start(
            obj=application, stage=Stage.UPDATE, label=str(_("Update handling")), unit=Unit.WORKING_DAYS,
            limit=UPDATE_LIMIT, due_soon_before=DUE_SOON_WORKING_DAYS, started_at=received, actor=actor,
            responsible_department=application.department, responsible_role=Role.ACCEPTANCE_OFFICER,
            url=admin_change_url(application))
        _set_due(application, update_clock)  # the officer sees the 15 days run while the departments review
    if application.status == Status.IN_REVIEW:
        if application.kind == Kind.UPDATE:
            departments = honors_changed_departments(application=application)
        else:
            departments = {h.category.department_id for h in application_honors(application=application)}
        _reviews_create(application, departments, actor, received)
    else:
        _start_acceptance(application, actor, received)
    notify(recipients=[application.applicant], title=_("Honor application submitted: %(reference)s")
           % {"reference": application.reference}, body=str(_("You can follow it on the portal.")),
           url=_public_url(application))


def on_resubmit(*, obj: HonorApplication, actor, params: Declaration):
    """Only the departments that returned it review it again; the others' opinions stand."""
    application = obj
    returned = [r.department_id for r in reviews_current(application=application)
                if r.status == ReviewStatus.RETURNED]
    application.declaration_at = timezone.now()
    application.save(update_fields=["declaration_at"])
    received = receipt_moment(at=application.declaration_at)
    update_clock = deadline_for_stage(obj=application, stage=Stage.UPDATE)
    if update_clock is not None and update_clock.paused_at:
        # The enterprise's correction time lasts until its resubmission counts as received.
        deadline_resume(deadline=update_clock, actor=actor, at=received)
    _reviews_create(application, returned, actor, received)


# --- department review ------------------------------------------------------------------------------------------

def on_review_decided(*, obj: DepartmentReview, actor, params: Opinion):
    review = obj
    # transition_perform locked the showcase and the application before this review (ADR 0003): two departments
    # deciding at once are serialised there, so the last one always sees the others and moves the application on.
    application = review.application
    now = timezone.now()
    review.opinion = params.opinion
    review.items = list(params.items)
    review.reviewer = actor
    review.decided_at = now
    review.document = _issue_opinion(review, actor)
    review.save(update_fields=["opinion", "items", "reviewer", "decided_at", "document"])
    if review.current_deadline_id:
        deadline_complete(deadline=review.current_deadline, actor=actor, at=now)
    deadline_attach(obj=review, deadline=None)  # decided: off the department's queue of running clocks
    current = reviews_current(application=application)
    if any(r.status == ReviewStatus.PENDING for r in current):
        return
    statuses = {r.status for r in current}
    if ReviewStatus.FAILED in statuses:
        name = "reviews_failed"
    elif ReviewStatus.RETURNED in statuses:
        name = "reviews_returned"
    else:
        name = "reviews_passed"
    items = [f"{r.department.name}：{item}" for r in current if r.status == ReviewStatus.RETURNED for item in r.items]
    transition_perform(actor=actor, obj=application, name=name, comment="；".join(items),
                       params=RoundOutcome(items=items))


def _issue_opinion(review, actor):
    application = review.application
    categories = "、".join(h.category.name for h in application_honors(application=application)
                          if h.category.department_id == review.department_id)
    verdict = {ReviewStatus.PASSED: _("passed"), ReviewStatus.RETURNED: _("returned for correction"),
               ReviewStatus.FAILED: _("not passed")}[review.status]
    paragraphs = [
        _("The showcase application you submitted on %(date)s (reference %(reference)s), claiming the honors "
          "%(categories)s, was reviewed by our department. Our opinion: %(verdict)s.")
        % {"date": _date(application.submitted_at), "reference": application.reference, "categories": categories,
           "verdict": verdict},
    ]
    if review.opinion:
        paragraphs.append(review.opinion)
    items = [{"name": f"{n}. {item}", "note": ""} for n, item in enumerate(review.items, 1)]
    closing = []
    if review.status == ReviewStatus.RETURNED:
        closing.append(_("Please correct the items above and resubmit; only the departments that returned it review "
                         "it again."))
    return document_issue(kind=DocumentKinds.OPINION, obj=review, department=review.department,
                          recipient=application.name, paragraphs=paragraphs, items=items, closing=closing,
                          actor=actor)


def on_reviews_passed(*, obj: HonorApplication, actor, params: RoundOutcome):
    _start_acceptance(obj, actor)
    notify(recipients=[obj.applicant], title=_("Every department passed your honor application"),
           body=_("%(reference)s is now awaiting acceptance by the market supervision bureau.")
           % {"reference": obj.reference}, url=_public_url(obj))


def on_reviews_returned(*, obj: HonorApplication, actor, params: RoundOutcome):
    update_clock = deadline_for_stage(obj=obj, stage=Stage.UPDATE)
    if update_clock is not None and update_clock.is_open and not update_clock.paused_at:
        # The enterprise's correction time is not the government's: the update clock waits (shown as paused).
        update_clock = deadline_pause(deadline=update_clock, reason=_("Returned to the enterprise for correction"),
                                      actor=actor)
    _set_due(obj, update_clock)
    notify(recipients=[obj.applicant], title=_("Honor application returned for correction: %(reference)s")
           % {"reference": obj.reference}, body="；".join(params.items), url=_public_url(obj))


def _close_clocks(application, actor):
    for stage in (Stage.ACCEPTANCE, Stage.UPDATE):
        deadline = deadline_for_stage(obj=application, stage=stage)
        if deadline is not None and deadline.is_open:
            deadline_complete(deadline=deadline, actor=actor)
    _set_due(application, None)


def _cancel_all(application, actor, reason):
    """Stop the pending reviews (children, in pk order, after their application: ADR 0003) and the clocks."""
    for review in application.reviews.filter(status=ReviewStatus.PENDING).order_by("pk"):
        transition_perform(actor=actor, obj=review, name="cancel", comment=reason)
    for stage in (Stage.ACCEPTANCE, Stage.UPDATE):
        deadline = deadline_for_stage(obj=application, stage=stage)
        if deadline is not None and deadline.is_open:
            deadline_cancel(deadline=deadline, actor=actor, reason=reason)
    _set_due(application, None)


def on_review_cancelled(*, obj: DepartmentReview, actor, params=None):
    if obj.current_deadline_id:
        deadline_cancel(deadline=obj.current_deadline, actor=actor, reason=_("Review cancelled"))
    deadline_attach(obj=obj, deadline=None)


def on_reviews_failed(*, obj: HonorApplication, actor, params: RoundOutcome):
    obj.decided_at = timezone.now()
    obj.save(update_fields=["decided_at"])
    _cancel_all(obj, actor, _("Another department did not pass it"))
    notify(recipients=[obj.applicant], title=_("Honor application not passed: %(reference)s")
           % {"reference": obj.reference}, body=str(_("See the department's written opinion.")),
           url=_public_url(obj))


# --- acceptance and publication ---------------------------------------------------------------------------------

def check_accept(*, obj: HonorApplication, actor, params=None):
    """The enterprise may have been put on the dishonesty list while its application was reviewed."""
    from apps.credit.selectors import dishonesty_records_for

    if dishonesty_records_for(subject_code=obj.showcase.credit_code).exists():
        raise TransitionInvalid(_("The enterprise is on the dishonesty list: it cannot be published."))


def on_accept(*, obj: HonorApplication, actor, params=None):
    """Accepted: the showcase publishes this application's content as its next version."""
    application = obj
    application.decided_at = timezone.now()
    application.save(update_fields=["decided_at"])
    _close_clocks(application, actor)
    showcase = transition_perform(actor=actor, obj=application.showcase, name="publish",
                                  params=Publication(application=application))
    number = showcase.current_version.number
    document_issue(kind=DocumentKinds.ACCEPTANCE, obj=application, department=application.department,
                   recipient=application.name, actor=actor, paragraphs=[
                       _("Your showcase application (reference %(reference)s) passed every department's review and "
                         "our normative check. It is accepted and was published on the %(city)s showcase of "
                         "excellent enterprises and quality products on %(date)s (version %(number)s).")
                       % {"reference": application.reference, "city": settings.PORTAL_CITY_NAME,
                          "date": _date(showcase.published_at), "number": number},
                       _("When the information shown changes, submit an update; updates are handled within 15 "
                         "working days.")])
    notify(recipients=[application.applicant], title=_("Your showcase is published"),
           body=_("%(reference)s was accepted and published.") % {"reference": application.reference},
           url=reverse("honors:showcase", args=[showcase.pk]))


@dataclass(frozen=True)
class Publication:
    """publish: the accepted application whose content becomes the showcase's next version."""

    application: HonorApplication | None = None


def on_publish(*, obj: Showcase, actor, params: Publication):
    """A new published version; the public page shows it from now on, earlier versions are kept."""
    showcase, application = obj, params.application
    now = timezone.now()
    content = application_snapshot(application=application)
    number = (showcase.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ShowcaseVersion.objects.create(showcase=showcase, number=number, application=application,
                                             content=content, published_at=now, published_by=actor)
    first_image = next((p["images"][0] for p in content["products"] if p["images"]), None)
    showcase.name, showcase.industry, showcase.district_id = application.name, application.industry, application.district_id
    showcase.current_version, showcase.published_at = version, now
    showcase.summary = strip_tags(application.profile).strip()[:200]
    showcase.cover = first_image
    showcase.search_tokens = index_tokens(application.name, strip_tags(application.profile),
                                          strip_tags(application.brand), *[p["name"] for p in content["products"]],
                                          *[h["category"] for h in content["honors"]])
    showcase.save(update_fields=["name", "industry", "district", "current_version", "published_at",
                                 "summary", "cover", "search_tokens"])
    showcase.categories.set([h["category_id"] for h in content["honors"]])
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        Showcase.objects.filter(pk=showcase.pk).update(search_vector=SearchVector("search_tokens", config="simple"))
    # A first recognition is fulfilled when its enterprise is published with that honor.
    for recognition in FirstRecognition.objects.filter(credit_code=showcase.credit_code, entered_at__isnull=True,
                                                       category_id__in=[h["category_id"] for h in content["honors"]]):
        recognition.entered_at = now
        recognition.save(update_fields=["entered_at"])
        if recognition.deadline_id:
            deadline_complete(deadline=recognition.deadline, actor=actor, at=now)


def on_refuse(*, obj: HonorApplication, actor, params: Reason):
    application = obj
    application.decided_at = timezone.now()
    application.save(update_fields=["decided_at"])
    _close_clocks(application, actor)
    document_issue(kind=DocumentKinds.REFUSAL, obj=application, department=application.department,
                   recipient=application.name, actor=actor, paragraphs=[
                       _("After our normative check, your showcase application (reference %(reference)s) is not "
                         "accepted, for these reasons:") % {"reference": application.reference},
                       params.reason,
                       _("You may apply again once the application is completed as required.")])
    notify(recipients=[application.applicant], title=_("Honor application not accepted: %(reference)s")
           % {"reference": application.reference}, body=params.reason, url=_public_url(application))


def on_withdraw(*, obj: HonorApplication, actor, params=None):
    _cancel_all(obj, actor, _("Withdrawn by the enterprise"))


def on_stop(*, obj: HonorApplication, actor, params: Reason):
    _cancel_all(obj, actor, _("Stopped: the enterprise is on the dishonesty list"))


# --- revocation -------------------------------------------------------------------------------------------------

def check_revoke(*, obj: Showcase, actor, params: Revocation):
    if params.listed_on > timezone.localdate():
        raise TransitionInvalid(_("The listing date cannot be in the future."), field="listed_on")


def on_revoke(*, obj: Showcase, actor, params: Revocation):
    """失信 (a listing the officer records): the one dishonesty record kept (credit.services), then the showcase's
    consequences (``_revoked``)."""
    from apps.credit.services import dishonesty_record_add

    # The record's consequences leave this showcase alone: it is already revoked in this transaction.
    dishonesty_record_add(actor=actor, subject_code=obj.credit_code, subject_name=obj.name,
                          source=params.source, listed_on=params.listed_on, reason=params.reason, origin=obj,
                          department=obj.department)
    _revoked(obj, actor, params)


def on_revoke_by_record(*, obj: Showcase, actor, params: Revocation):
    _revoked(obj, actor, params)


def revoke_for_dishonesty(*, record, actor):
    """credit's consequence: an enterprise put on the dishonesty list by any decision leaves the showcase (one rule)."""
    showcase = Showcase.objects.filter(credit_code=record.subject_code,
                                       status__in=[ShowcaseStatus.PUBLISHED, ShowcaseStatus.UNPUBLISHED]).first()
    if showcase is None:
        return
    transition_perform(actor=actor, obj=showcase, name="revoke_by_record", comment=record.reason,
                       params=Revocation(reason=record.reason, source=record.source, listed_on=record.listed_on))


def _revoked(showcase, actor, params: Revocation):
    """Unpublished at once (the state), the pending applications stopped (children after their showcase: ADR 0003),
    the enterprise told with a revocation notice."""
    source = params.source.strip()
    now = timezone.now()
    showcase.revoked_at = now
    showcase.save(update_fields=["revoked_at"])
    listed_on = params.listed_on.isoformat()
    reason = _("On the dishonesty list (%(source)s, %(date)s): %(reason)s") % {
        "source": source, "date": listed_on, "reason": params.reason}
    for application in showcase.applications.filter(status__in=STOPPABLE).order_by("pk"):
        transition_perform(actor=actor, obj=application, name="stop", comment=reason, params=Reason(reason=reason))
    document_issue(kind=DocumentKinds.REVOCATION, obj=showcase, department=showcase.department,
                   recipient=showcase.name, actor=actor, paragraphs=[
                       _("Your enterprise has been put on the dishonesty list (source: %(source)s, listed on "
                         "%(date)s).") % {"source": source, "date": listed_on},
                       _("Under the rules of the %(city)s showcase of excellent enterprises and quality products, "
                         "your showcase is revoked from %(date)s, and your pending applications are stopped.")
                       % {"city": settings.PORTAL_CITY_NAME, "date": _date(now)},
                       _("Reason for the revocation: %(reason)s") % {"reason": params.reason}])
    notify(recipients=[showcase.enterprise], title=_("Your showcase was revoked"), body=reason,
           url=reverse("honors:mine"))


# --- first recognition ------------------------------------------------------------------------------------------

def issued_on_error(issued_on: dt.date) -> str | None:
    """The one rule on a certificate's date of issue (the enterprise's form shows it beside the field)."""
    if issued_on > timezone.localdate():
        return _("The date of issue cannot be in the future.")
    return None


def recognised_on_error(recognised_on: dt.date) -> str | None:
    """The one rule on a recognition date (the admin form shows it beside the field): not in the future."""
    if recognised_on > timezone.localdate():
        return _("The recognition date cannot be in the future.")
    return None


@transaction.atomic
def first_recognition_record(*, actor, enterprise_name: str, credit_code: str, category: HonorCategory,
                             recognised_on: dt.date) -> FirstRecognition:
    """Seed 000: a first-time recognised enterprise is entered on the platform within 30 days of recognition."""
    error = recognised_on_error(recognised_on)
    if error:
        raise TransitionInvalid(error, field="recognised_on")
    department = _acceptance_department()
    recognition = FirstRecognition.objects.create(enterprise_name=enterprise_name.strip(),
                                                  credit_code=credit_code.strip().upper(), category=category,
                                                  recognised_on=recognised_on, department=department,
                                                  recorded_by=actor)
    start = timezone.make_aware(dt.datetime.combine(recognised_on, dt.time.min))
    deadline = deadline_start(
        obj=recognition, stage=Stage.FIRST_ENTRY, label=str(_("Entry on the platform")), unit=Unit.CALENDAR_DAYS,
        limit=FIRST_ENTRY_DAYS, due_soon_before=7, started_at=start, actor=actor, responsible_department=department,
        responsible_role=Role.ACCEPTANCE_OFFICER,
        url=admin_change_url(recognition))
    recognition.deadline = deadline
    recognition.save(update_fields=["deadline"])
    enterprise = User.objects.filter(enterprise_profile__credit_code=recognition.credit_code).first()
    if enterprise is not None:
        notify(recipients=[enterprise], title=_("Enter your new honor on the showcase"),
               body=_("%(category)s, recognised on %(date)s: submit it on the portal by %(due)s.")
               % {"category": category.name, "date": _date(recognised_on), "due": _due(deadline)},
               url=reverse("honors:mine"))
    return recognition


# --- reference data ---------------------------------------------------------------------------------------------

@transaction.atomic
def categories_load(*, rows: list[dict]) -> int:
    """The 13 honor categories with their reviewing departments; an existing category keeps the department chosen in
    the admin."""
    departments = {d.code: d for d in Department.objects.filter(code__in={r["department"] for r in rows})}
    upsert(HonorCategory, key="code", update=False, rows=[
        {"code": row["code"], "name": row["name"], "department": departments[row["department"]], "order": order,
         "eligibility": row.get("eligibility", "")} for order, row in enumerate(rows, 1)])
    return len(rows)
