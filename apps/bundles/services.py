"""一件事一次办: one form, one set of materials, one submission and one reference for a declared set of service items;
it fans out into one Application per item, each with its own department, clock and decisions (行政许可法 as for any
application), and ends with one combined result notice. Writes here; the transitions are in transitions.py."""
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.constants import AccountKind
from apps.applications.constants import Status
from apps.attachments.models import Attachment
from apps.attachments.selectors import attachments_for_case
from apps.attachments.services import attachment_create
from apps.core.sequences import day_sequence_next, reference_tail
from apps.documents.services import document_issue
from apps.notifications.services import notify
from apps.workflow.exceptions import TransitionForbidden, TransitionInvalid
from apps.workflow.selectors import case_is_owner
from apps.workflow.services import case_lock, transition_perform
from apps.workflow.spec import Reason

from .constants import BundleStatus, DocumentKinds
from .exceptions import BundleError
from .models import BundleApplication, BundleReferenceSequence
from .selectors import (
    ENDED,
    bundle_item_granted,
    bundle_items,
    bundle_material_purpose,
    bundle_materials,
    bundle_missing_materials,
)


@dataclass(frozen=True)
class BundleDeclaration:
    """submit: the applicant declares the facts and materials true, once for every item."""

    declaration: bool = False


def _page(bundle_application) -> str:
    return reverse("bundles:detail", args=[bundle_application.pk])


# --- the draft ----------------------------------------------------------------------------------------------------

@transaction.atomic
def bundle_start(*, applicant, bundle) -> BundleApplication:
    """Resume the applicant's draft of ``bundle`` or start one, prefilled from the account."""
    if not bundle.is_active or any(not item.service.applies_online for item in bundle_items(bundle=bundle)):
        raise BundleError(_("This bundle cannot be applied for online."))
    draft = BundleApplication.objects.filter(applicant=applicant, bundle=bundle, status=BundleStatus.DRAFT).first()
    if draft:
        return draft
    if applicant.kind == AccountKind.ENTERPRISE and hasattr(applicant, "enterprise_profile"):
        name, code = applicant.enterprise_profile.name, applicant.enterprise_profile.credit_code
    elif hasattr(applicant, "citizen_profile"):
        name, code = applicant.citizen_profile.real_name, applicant.citizen_profile.id_number
    else:
        raise BundleError(_("Only citizen and enterprise accounts can apply."))
    return BundleApplication.objects.create(bundle=bundle, department=bundle.lead_department, applicant=applicant,
                                            applicant_name=name, applicant_code=code, phone=applicant.phone or "",
                                            email=applicant.email)


def _lock_draft(bundle_application, actor) -> BundleApplication:
    locked = case_lock(bundle_application)
    if not case_is_owner(user=actor, obj=locked):
        raise TransitionForbidden(_("You may not do this on this case."))
    if locked.status != BundleStatus.DRAFT:
        raise BundleError(_("This application can no longer be changed here."))
    return locked


@transaction.atomic
def bundle_update(*, actor, bundle_application, phone: str, email: str, address: str, description: str,
                  conditions_met: list[int]) -> BundleApplication:
    """The facts asked once for every item, and the situations that add conditional materials."""
    bundle_application = _lock_draft(bundle_application, actor)
    valid = {g.key for g in bundle_materials(bundle=bundle_application.bundle) if g.conditional}
    bundle_application.phone, bundle_application.email = phone, email
    bundle_application.address, bundle_application.description = address, description
    bundle_application.conditions_met = sorted(set(conditions_met) & valid)
    bundle_application.save(update_fields=["phone", "email", "address", "description", "conditions_met"])
    return bundle_application


@transaction.atomic
def bundle_upload_material(*, actor, bundle_application, key: int, upload) -> Attachment:
    """One file for a material asked once; it goes to every item that needs a paper of that name."""
    bundle_application = _lock_draft(bundle_application, actor)
    if key not in {g.key for g in bundle_materials(bundle=bundle_application.bundle)}:
        raise BundleError(_("This material does not belong to this bundle."))
    purpose = bundle_material_purpose(key)
    earlier = attachments_for_case(obj=bundle_application).filter(purpose=purpose)
    return attachment_create(obj=bundle_application, upload=upload, actor=actor, purpose=purpose, replaces=earlier)


# --- the bundle's transitions (transitions.py) ----------------------------------------------------------------------

def _next_reference(now) -> str:
    day, n = day_sequence_next(BundleReferenceSequence, now)
    return f"YJS-{day:%Y%m%d}-{n:06d}-{reference_tail()}"


def check_submit(*, obj: BundleApplication, actor, params: BundleDeclaration):
    if not params.declaration:
        raise TransitionInvalid(_("Please confirm the declaration that your materials are true."), field="declaration")
    if not obj.phone:
        raise TransitionInvalid(_("Please enter your mobile phone."), field="phone")
    missing = bundle_missing_materials(bundle_application=obj)
    if missing:
        raise TransitionInvalid(_("Please upload: %(names)s.") % {"names": "、".join(g.name for g in missing)},
                                field="materials")


def _share(attachment: Attachment, *, obj, purpose: str, actor) -> Attachment:
    """A new row for the same stored file: stored files are never changed, and a file is deleted only when no row
    names it any more (attachments.services._files_delete_on_commit), so the items share the bytes."""
    copy = Attachment(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), purpose=purpose,
        file=attachment.file.name, thumbnail=attachment.thumbnail.name, original_name=attachment.original_name,
        mime=attachment.mime, extension=attachment.extension, size=attachment.size, sha256=attachment.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None, uploaded_at=attachment.uploaded_at)
    copy.save()
    return copy


def on_submit(*, obj: BundleApplication, actor, params: BundleDeclaration):
    """Fan out: one application per item, with the facts and files given once. An item that needs no other is
    submitted at once through its own ``submit`` (its receipt, its acceptance clock, its department told); one that
    needs another's result waits (``hold``) until that item is granted (``release``)."""
    from apps.applications.models import Application
    from apps.applications.selectors import material_purpose
    from apps.applications.services import Declaration

    bundle_application = obj
    now = timezone.now()
    bundle_application.reference = _next_reference(now)
    bundle_application.submitted_at = now
    bundle_application.save(update_fields=["reference", "submitted_at"])
    items = bundle_items(bundle=bundle_application.bundle)
    groups = bundle_materials(bundle=bundle_application.bundle, items=items, bundle_application=bundle_application)
    applications = {}
    for item in items:
        conditions = [m.material.pk for g in groups if g.conditional and g.needed for m in g.members
                      if m.item.pk == item.pk]
        applications[item.pk] = Application.objects.create(
            service=item.service, department=item.service.department, applicant=bundle_application.applicant,
            applicant_name=bundle_application.applicant_name, applicant_code=bundle_application.applicant_code,
            phone=bundle_application.phone, email=bundle_application.email, address=bundle_application.address,
            description=bundle_application.description, conditions_met=conditions,
            channel=bundle_application.channel, entered_by=bundle_application.entered_by,
            agent=bundle_application.agent, agent_relation=bundle_application.agent_relation,
            bundle=bundle_application)
    for group in groups:
        if group.attachment is None:
            continue
        for member in group.needing_members:
            if member.fed_by is None:  # a material an earlier item's licence fills is not copied: the licence is used
                _share(group.attachment, obj=applications[member.item.pk], purpose=material_purpose(member.material.pk),
                       actor=actor)
    for item in items:
        if item.needs_id is None:
            transition_perform(actor=actor, obj=applications[item.pk], name="submit",
                               params=Declaration(declaration=True))
        else:
            transition_perform(actor=actor, obj=applications[item.pk], name="hold")
    notify(recipients=[bundle_application.applicant],
           title=_("Bundle submitted: %(ref)s") % {"ref": bundle_application.reference},
           body=_("%(bundle)s: %(n)s items, each handled by its department; follow them on one page.")
           % {"bundle": bundle_application.bundle.name, "n": len(items)}, url=_page(bundle_application))


def _outcome(application, needed: str = "") -> str:
    if bundle_item_granted(application):
        return _("Granted")
    if application.status == Status.CANCELLED:
        if needed:
            return _("Not pursued: “%(item)s”, which it needed, was not granted") % {"item": needed}
        return _("Not pursued: an item it needed was not granted")
    if application.status == Status.COMPLETED:
        return _("Denied")
    return application.get_status_display()


def on_complete(*, obj: BundleApplication, actor, params=None):
    """Every item has ended: one combined result notice listing each item, its outcome and its licence."""
    from apps.applications.models import Application
    from apps.licences.selectors import licences_issued_on

    bundle_application = obj
    bundle_application.completed_at = timezone.now()
    bundle_application.save(update_fields=["completed_at"])
    rows = []
    granted = 0
    needs = {item.service_id: item.needs.service.name for item in bundle_items(bundle=bundle_application.bundle)
             if item.needs_id is not None}
    for application in Application.objects.filter(bundle=bundle_application).select_related("service").order_by("pk"):
        note = _outcome(application, needs.get(application.service_id, ""))
        if bundle_item_granted(application):
            granted += 1
        licences = "、".join(f"{licence.kind.name} {licence.number}"
                             for licence in licences_issued_on(application=application))
        if licences:
            note = _("%(outcome)s; licence %(licences)s") % {"outcome": note, "licences": licences}
        if application.reference:
            note = f"{application.reference}：{note}"
        rows.append({"name": application.service.name, "note": note})
    paragraphs = [_("Your bundle application “%(bundle)s” (reference %(ref)s) has ended: each of its items was "
                    "handled by its department, with the outcome below.")
                  % {"bundle": bundle_application.bundle.name, "ref": bundle_application.reference}]
    if granted < len(rows):
        paragraphs.append(_("%(granted)s of %(n)s items were granted. For an item not granted, its own notice or "
                            "decision gives the reasons and your rights of appeal; an item that needed it was not "
                            "pursued.") % {"granted": granted, "n": len(rows)})
    document_issue(kind=DocumentKinds.RESULT, obj=bundle_application, department=bundle_application.department,
                   actor=actor, recipient=bundle_application.applicant_name, paragraphs=paragraphs, items=rows)
    notify(recipients=[bundle_application.applicant],
           title=_("Bundle completed: %(ref)s") % {"ref": bundle_application.reference},
           body=_("The combined result notice is on the bundle's page."), url=_page(bundle_application))


# --- the items' end, run from the application's own effects (applications.services, bundle block) -----------------

def bundle_item_ended(*, application, actor) -> None:
    """An item of a bundle was decided or closed: a granted item releases the items waiting for its result; one not
    granted cancels them (and the applicant is told what it means); when every item has ended the bundle completes.
    Runs inside the item's transition: the bundle was locked before the item (WorkflowSpec.parents)."""
    from apps.applications.models import Application

    if application.bundle_id is None:
        return
    bundle_application = application.bundle
    waiting = list(Application.objects.filter(
        bundle_id=application.bundle_id, status=Status.WAITING,
        service__in=bundle_application.bundle.items.filter(needs__service_id=application.service_id)
        .values("service_id")).select_related("service").order_by("pk"))
    if application.status == Status.COMPLETED and bundle_item_granted(application):
        for dependant in waiting:
            transition_perform(actor=actor, obj=dependant, name="release")
    elif application.status in (*ENDED, Status.DENIED) and waiting:
        reason = _("“%(item)s” (%(outcome)s) was not granted; this item needed its result.") % {
            "item": application.service.name, "outcome": application.get_status_display()}
        for dependant in waiting:
            transition_perform(actor=actor, obj=dependant, name="cancel", comment=reason,
                               params=Reason(reason=reason))
        if application.status != Status.CANCELLED:  # told once, by the item that was not granted
            notify(recipients=[bundle_application.applicant],
                   title=_("Bundle %(ref)s: an item was not granted") % {"ref": bundle_application.reference},
                   body=_("“%(item)s” was not granted, so %(names)s will not be pursued. The other items go on.")
                   % {"item": application.service.name, "names": "、".join(d.service.name for d in waiting)},
                   url=_page(bundle_application), sms=True)
    open_items = Application.objects.filter(bundle_id=application.bundle_id).exclude(status__in=ENDED)
    # Read again: a cancellation run above may have completed the bundle already (its own call of this hook).
    still_open = BundleApplication.objects.filter(pk=bundle_application.pk, status=BundleStatus.SUBMITTED).exists()
    if still_open and not open_items.exists():
        transition_perform(actor=actor, obj=bundle_application, name="complete")
