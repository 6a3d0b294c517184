"""Online applications under the Administrative Licensing Law (行政许可法): 5 working days to accept (art. 32), one
request for supplementation listing everything (art. 32(4)), the decision within the promised limit (art. 42), special
procedures not counted (art. 45), limits in working days (art. 82)."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.constants import AccountKind, IdentityMethod
from apps.attachments.selectors import attachments_for_case
from apps.attachments.services import attachment_create
from apps.core.links import admin_change_url
from apps.core.sequences import day_sequence_next, reference_tail
from apps.deadlines.constants import DeadlineStatus, Unit
from apps.deadlines.selectors import deadline_due_text, deadline_for_stage
from apps.deadlines.services import (
    deadline_cancel,
    deadline_complete,
    deadline_attach,
    deadline_extend,
    deadline_pause,
    deadline_restart,
    deadline_resume,
    deadline_start,
)
from apps.documents.services import document_issue
from apps.notifications.services import notify
from apps.organizations.constants import Role
from apps.organizations.selectors import staff_with_role
from apps.workflow.constants import EntryKind
from apps.workflow.exceptions import TransitionForbidden, TransitionInvalid
from apps.workflow.selectors import actor_has_case_role, case_is_owner
from apps.workflow.services import row_lock, timeline_record, transition_perform
from apps.workdays.selectors import calendar_year_list, receipt_moment, workdays_between, year_data

from apps.workflow.spec import Reason

from .constants import (
    ACCEPTANCE_LIMIT,
    DUE_SOON_WORKING_DAYS,
    MAX_EXTENSION,
    POOR_RATINGS,
    RECTIFICATION_LIMIT,
    SPECIAL_PROCEDURES,
    ClockAction,
    DocumentKinds,
    Stage,
    Status,
)
from .exceptions import ApplicationError
from .models import Application, Rating, Rectification, ReferenceSequence, SupplementRequest
from .selectors import (
    application_clock_refusal,
    application_commitment_in_effect,
    application_materials,
    application_missing_materials,
    application_authorisation,
    application_open_supplement,
    material_purpose,
)

# --- the parameters of the transitions that take more than a comment (apps/applications/transitions.py) ----------


@dataclass(frozen=True)
class Declaration:
    """submit: the applicant declares the materials true (and, under 告知承诺制, signs the commitment)."""

    declaration: bool = False
    commitment_signed: bool = False


@dataclass(frozen=True)
class SupplementItem:
    material_id: int
    note: str


@dataclass(frozen=True)
class Supplement:
    """request_supplement (一次性告知): every missing or wrong material at once, each with what is wrong."""

    items: list[SupplementItem] = field(default_factory=list)


@dataclass(frozen=True)
class Proposal:
    """propose / propose_to_head (承办): the clerk's proposed decision, the opinion the signers read, and — for a
    denial — the reasons the applicant will be told."""

    outcome: str = ""
    opinion: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ReviewOpinion:
    """endorse (审核): the section head's opinion, kept on the record and read by the department head."""

    opinion: str = ""


@dataclass(frozen=True)
class SendBack:
    """send_back: why the proposal goes back to the clerk (staff only)."""

    reason: str = ""


@dataclass(frozen=True)
class Completion:
    """complete: the result documents (the licence, the certificate …) as uploads."""

    results: list = field(default_factory=list)


def _owners(application) -> list:
    """Who is told about the applicant's case: the applicant and, 帮办代办, the agent applying for them."""
    return [application.applicant, *([application.agent] if application.agent_id else [])]


def _public_url(application):
    return reverse("applications:detail", args=[application.pk])


def _staff(application, role):
    return list(staff_with_role(department=application.department_id, role=role))


def _lock(application) -> Application:
    return row_lock(Application, application.pk, select_related=("service",))


def _set_clock(application, deadline, *extra_fields):
    deadline_attach(obj=application, deadline=deadline, update_fields=extra_fields)


def _date(moment):
    return timezone.localtime(moment).strftime("%Y年%m月%d日")


def _due_date(moment, provisional: bool, format="%Y年%m月%d日") -> str:
    return deadline_due_text(due_at=moment, provisional=provisional, format=format)


def _provisional_note(deadline, due) -> str:
    """The rule a provisional date follows, and the promise that a change is told in writing (on_deadline_moved)."""
    first, last = (timezone.localtime(m).year for m in (deadline.started_at, due))
    years = [y for y in range(first, last + 1) if year_data(y).provisional] or [last]
    return _("This date is provisional: the State Council has not yet published the holiday arrangement for "
             "%(years)s, so it is computed from the statutory holidays of the National Holidays and Memorial Days "
             "Regulations (《全国年节及纪念日放假办法》) and weekends. If the published arrangement changes it, you "
             "will be told the new date in writing.") % {"years": "、".join(str(y) for y in years)}


# --- drafts -------------------------------------------------------------------------------------------------------

@transaction.atomic
def application_start(*, applicant, service, channel: str = "") -> Application:
    """Resume the applicant's draft for ``service`` or start one, prefilled from the account. ``channel``: how it
    reaches the department (the portal's pages: online; a machine through the REST API: api)."""
    from .constants import Channel

    channel = channel or Channel.ONLINE
    if not service.applies_online:
        raise ApplicationError(_("This service cannot be applied for online."))
    draft = Application.objects.filter(applicant=applicant, service=service, status=Status.DRAFT).first()
    if draft:
        if draft.channel != channel and not draft.agent_id and draft.channel in (Channel.ONLINE, Channel.API):
            draft.channel = channel  # submitted through the door it is finished at
            draft.save(update_fields=["channel"])
        return draft
    if applicant.kind == AccountKind.ENTERPRISE and hasattr(applicant, "enterprise_profile"):
        name, code = applicant.enterprise_profile.name, applicant.enterprise_profile.credit_code
    elif hasattr(applicant, "citizen_profile"):
        name, code = applicant.citizen_profile.real_name, applicant.citizen_profile.id_number
    else:
        raise ApplicationError(_("Only citizen and enterprise accounts can apply."))
    return Application.objects.create(service=service, department=service.department, applicant=applicant,
                                      applicant_name=name, applicant_code=code, phone=applicant.phone or "",
                                      email=applicant.email, channel=channel)


def _require_owner_in(application, actor, statuses):
    if not case_is_owner(user=actor, obj=application):
        raise TransitionForbidden(_("You may not do this on this case."))
    if application.status not in statuses:
        raise ApplicationError(_("This application can no longer be changed here."))


@transaction.atomic
def application_update(*, actor, application, phone: str, email: str, address: str, description: str,
                       conditions_met: list[int], commitment: bool = False) -> Application:
    application = _lock(application)
    _require_owner_in(application, actor, {Status.DRAFT})
    valid = set(application.service.materials.filter(required=False).values_list("pk", flat=True))
    application.phone, application.email, application.address = phone, email, address
    application.description = description
    application.conditions_met = sorted(set(conditions_met) & valid)
    # 告知承诺制 is offered only where the item lets a commitment replace some material.
    application.commitment = bool(commitment) and application.service.materials.filter(
        commitment_allowed=True).exists()
    application.save(update_fields=["phone", "email", "address", "description", "conditions_met", "commitment"])
    return application


@transaction.atomic
def application_upload_material(*, actor, application, material, upload):
    """Store one material. In a draft any material; after a supplement request only the requested ones."""
    application = _lock(application)
    _require_owner_in(application, actor, {Status.DRAFT, Status.SUPPLEMENT_REQUESTED})
    if material.service_id != application.service_id:
        raise ApplicationError(_("This material does not belong to this service."))
    earlier = attachments_for_case(obj=application).filter(purpose=material_purpose(material.pk))
    if application.status == Status.SUPPLEMENT_REQUESTED:
        request = application_open_supplement(application=application)
        if request is None or material.pk not in {item["material_id"] for item in request.items}:
            raise ApplicationError(_("Only the materials listed in the supplement request can be replaced."))
        # The file the clerk asked to be supplemented stays on the record; an upload since the request is replaced.
        earlier = earlier.filter(uploaded_at__gt=request.created_at)
    # A material uploaded again replaces the earlier file (deleted from storage after commit): a draft holds one file
    # per material.
    return attachment_create(obj=application, upload=upload, actor=actor, purpose=material_purpose(material.pk),
                             replaces=earlier)


# --- transition effects: run by transition_perform inside its transaction, declared in transitions.py --------------

def _next_reference(now) -> str:
    day, n = day_sequence_next(ReferenceSequence, now)
    return f"YW-{day:%Y%m%d}-{n:06d}-{reference_tail()}"


def check_submit(*, obj: Application, actor, params: Declaration):
    """A draft is submitted with the declaration signed, every needed material and a mobile phone."""
    if not params.declaration:
        raise TransitionInvalid(_("Please confirm the declaration that your materials are true."), field="declaration")
    if application_commitment_in_effect(application=obj) and not params.commitment_signed:
        raise TransitionInvalid(_("Please sign the commitment: tick that you have read the notice and commit to its "
                                  "conditions, or go back and provide the materials instead."),
                                field="commitment_signed")
    if obj.agent_id and not application_authorisation(application=obj):
        # 帮办代办: the person's consent is on the record before anything is filed in their name.
        raise TransitionInvalid(_("Please upload the authorisation letter signed by the person you apply "
                                  "for."), field="authorisation")
    missing = application_missing_materials(application=obj)
    if missing:
        raise TransitionInvalid(_("Please upload: %(names)s.") % {"names": "、".join(m.name for m in missing)},
                                field="materials")
    if not obj.phone:
        raise TransitionInvalid(_("Please enter your mobile phone."), field="phone")


def _received(now, application):
    """What the receipt says about when the application was received: the receipt moment (settings
    RECEIPT_AFTER_HOURS, docs/architecture.md), which is when the acceptance clock starts."""
    received = receipt_moment(at=now)
    if _date(received) == _date(now):
        return received, _("Your application for “%(service)s” was received on %(date)s under reference %(ref)s.") % {
            "service": application.service.name, "date": _date(received), "ref": application.reference}
    return received, _("Your application for “%(service)s” was submitted online on %(submitted)s, outside working "
                       "hours, and is received on %(date)s, the next working day, under reference %(ref)s.") % {
        "service": application.service.name, "submitted": _date(now), "date": _date(received),
        "ref": application.reference}


def on_submit(*, obj: Application, actor, params: Declaration):
    application = obj
    now = timezone.now()
    if application.commitment and not application_commitment_in_effect(application=application):
        application.commitment = False
        application.save(update_fields=["commitment"])
    application.reference = _next_reference(now)
    application.submitted_at = application.declaration_at = now  # the real moment; the clock runs from receipt
    application.submitted_month = timezone.localtime(now).date().replace(day=1)  # the statistics' copy
    received, received_text = _received(now, application)
    deadline = deadline_start(obj=application, stage=Stage.ACCEPTANCE, label=_("Acceptance (5 working days)"),
                              unit=Unit.WORKING_DAYS, limit=ACCEPTANCE_LIMIT, due_soon_before=DUE_SOON_WORKING_DAYS,
                              started_at=received, responsible_department=application.department,
                              url=admin_change_url(application))
    _set_clock(application, deadline, "reference", "submitted_at", "declaration_at", "submitted_month")
    _record_licences_used(application)
    states = [s for s in application_materials(application=application) if s.needed]
    document_issue(
        kind=DocumentKinds.RECEIPT, obj=application, department=application.department, actor=actor,
        recipient=application.applicant_name,
        paragraphs=[
            received_text,
            _("The department decides within 5 working days whether to accept it. Follow its progress on the portal "
              "with the reference and the last four digits of your mobile phone."),
        ],
        items=[{"name": s.material.name, "note": _receipt_note(s)} for s in states if s.satisfied],
    )
    if application.commitment:
        _commitment_letter(application, actor, now)
    notify(recipients=_owners(application), title=_("Application received: %(ref)s") % {"ref": application.reference},
           body=application.service.name, url=_public_url(application))
    if application.commitment and application.service.commitment_on_the_spot:
        # 告知承诺制 当场办结: decided at once on the signed commitment; the department checks it afterwards.
        transition_perform(actor=actor, obj=application, name="decide_on_the_spot")
        return
    notify(recipients=_staff(application, Role.CLERK), title=_("New application: %(ref)s") % {"ref": application.reference},
           body=application.service.name, url=admin_change_url(application), email=False)


def _receipt_note(state) -> str:
    if state.attachment is not None:
        return state.attachment.original_name
    if state.licence is not None and not state.licence_problem:
        return _("electronic licence %(licence)s (免提交)") % {"licence": state.licence}
    return _("replaced by the signed commitment")


def _record_licences_used(application):
    """免提交: each material filled from a licence is recorded with it, so that the clerk reads that licence."""
    from apps.licences.selectors import licence_for_material
    from apps.licences.services import licence_use_record

    for state in application_materials(application=application):
        if not (state.needed and state.attachment is None and state.material.licence_kind_id):
            continue
        # Resolved now, on submission: the licence valid today is the one the application uses from here on.
        licence, problem = licence_for_material(holder=application.applicant, holder_code=application.applicant_code,
                                                kind_id=state.material.licence_kind_id)
        if licence is not None and not problem:
            licence_use_record(application=application, material=state.material, licence=licence)


def _commitment_letter(application, actor, now):
    """告知承诺书: the notice the applicant read, the materials the commitment replaces, and the signature."""
    application.commitment_signed_at = now
    application.save(update_fields=["commitment_signed_at"])
    replaced = [s.material.name for s in application_materials(application=application) if s.committed and s.needed]
    document_issue(
        kind=DocumentKinds.COMMITMENT, obj=application, department=application.department, actor=actor,
        recipient=application.applicant_name,
        paragraphs=[
            _("For “%(service)s” (reference %(ref)s), the department told the applicant the following conditions and "
              "the consequences of a false commitment:") % {"service": application.service.name,
                                                          "ref": application.reference},
            application.service.commitment_notice or _("The applicant meets the conditions the law sets for it."),
            _("The applicant %(name)s (%(code)s) committed on %(date)s that the above is true and that the conditions "
              "are met, in place of these materials:") % {"name": application.applicant_name,
                                                          "code": application.applicant_code, "date": _date(now)},
        ],
        items=[{"name": name, "note": _("replaced by the commitment")} for name in replaced],
        closing=[_("The department checks the commitment after its decision (事中事后核查). A commitment found false "
                   "leads to the revocation of the decision and of any licence issued on it, and to a dishonesty "
                   "record.")],
    )


def _issue_licence(application, actor):
    """电子证照: an item that issues a licence issues it to the applicant when the application is granted."""
    from apps.licences.services import LicenceData, licence_issue

    kind = application.service.licence_kind
    if kind is None:
        return None
    return licence_issue(actor=actor, issuing_department=application.department, application=application,
                         data=LicenceData(kind=kind, holder_code=application.applicant_code,
                                          holder_name=application.applicant_name))


def _check_start(application, actor):
    """事中事后核查: a commitment's follow-up check, with its own clock, for the department."""
    from .models import FollowUpCheck

    check = FollowUpCheck.objects.create(application=application, department=application.department)
    limit = application.service.commitment_check_days
    clock = deadline_start(obj=check, stage=Stage.CHECK, label=_("Follow-up check (%(n)s working days)") % {"n": limit},
                           unit=Unit.WORKING_DAYS, limit=limit, due_soon_before=DUE_SOON_WORKING_DAYS,
                           started_at=timezone.now(), actor=actor, responsible_department=application.department,
                           responsible_role=Role.CLERK, url=admin_change_url(check))
    deadline_attach(obj=check, deadline=clock)
    notify(recipients=_staff(application, Role.CLERK),
           title=_("Commitment to check: %(ref)s") % {"ref": application.reference},
           body=application.service.name, url=admin_change_url(check), email=False)
    return check


def on_decide_on_the_spot(*, obj: Application, actor, params=None):
    """当场办结 under a commitment: accepted and granted now, the licence issued, the check opened."""
    application = obj
    now = timezone.now()
    acceptance = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    if acceptance:
        acceptance = deadline_complete(deadline=acceptance, actor=actor, at=now)
    application.accepted_at = application.decided_at = application.completed_at = now
    _figures_acceptance(application, acceptance)
    # Decided at once: there is no decision clock to miss, and no working day passed since receipt.
    application.decision_on_time = True
    application.decision_working_days = statistics_working_days(application=application, decided_at=now)
    _set_clock(application, None, "accepted_at", "decided_at", "completed_at", *_FIGURES)
    licence = _issue_licence(application, actor)
    document_issue(
        kind=DocumentKinds.APPROVAL, obj=application, department=application.department, actor=actor,
        recipient=application.applicant_name,
        paragraphs=[
            _("On your signed commitment (告知承诺制), your application for “%(service)s” (reference %(ref)s) is "
              "granted on the spot.") % {"service": application.service.name, "ref": application.reference},
            *([_("Licence issued: %(licence)s.") % {"licence": licence}] if licence else []),
            _("The department will check your commitment. If it is found false, this decision and any licence issued "
              "on it are revoked and a dishonesty record is kept."),
        ])
    _check_start(application, actor)
    notify(recipients=_owners(application), title=_("Granted on the spot: %(ref)s") % {"ref": application.reference},
           body=application.service.name, url=_public_url(application), sms=True)


def on_accept(*, obj: Application, actor, params=None):
    application = obj
    now = timezone.now()
    acceptance = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    if acceptance:
        acceptance = deadline_complete(deadline=acceptance, actor=actor, at=now)
    _figures_acceptance(application, acceptance)
    # 行政许可法 art. 42: the decision clock runs from acceptance; the promise is never above the law.
    limit = min(application.service.promised_limit, application.service.legal_limit)
    decision = deadline_start(obj=application, stage=Stage.DECISION, label=_("Decision (%(n)s working days)") % {"n": limit},
                              unit=Unit.WORKING_DAYS, limit=limit, due_soon_before=DUE_SOON_WORKING_DAYS,
                              started_at=now, actor=actor, responsible_user=actor,
                              responsible_department=application.department, url=admin_change_url(application))
    application.accepted_at = now
    _set_clock(application, decision, "accepted_at", "acceptance_on_time")
    paragraphs = [
        _("Your application for “%(service)s” (reference %(ref)s) has complete materials in the legal form. Under "
          "article 32 of the Administrative Licensing Law it is accepted.")
        % {"service": application.service.name, "ref": application.reference},
    ]
    if decision.provisional:
        # 暂定 after the date, then the rule it follows (a parenthesis inside “（…前）” would not read).
        paragraphs += [_("A decision will be made within %(n)s working days of acceptance; the date due is %(date)s.")
                       % {"n": limit, "date": _due_date(decision.due_at, True)}, _provisional_note(decision, decision.due_at)]
    else:
        paragraphs.append(_("A decision will be made within %(n)s working days of acceptance, by %(date)s.")
                          % {"n": limit, "date": _date(decision.due_at)})
    document_issue(kind=DocumentKinds.ACCEPTANCE, obj=application, department=application.department, actor=actor,
                   recipient=application.applicant_name, paragraphs=paragraphs)
    notify(recipients=_owners(application), title=_("Application accepted: %(ref)s") % {"ref": application.reference},
           body=application.service.name, url=_public_url(application), sms=True)


def _close_current(application, actor, now):
    """Stop the running clock; returns it, completed (None when none ran)."""
    closed = None
    if application.current_deadline_id:
        closed = deadline_complete(deadline=application.current_deadline, actor=actor, at=now)
    application.current_deadline = None
    application.due_at = None
    return closed


# --- the statistics' copies (models.Application, apps/applications/statistics.py) ---------------------------------

_FIGURES = ("acceptance_on_time", "decision_on_time", "decision_working_days")


def _on_time(clock) -> bool | None:
    """A closed clock met its due moment (the deadlines app's MET: completed at or before ``due_at``, which already
    holds its pauses and extension). The due moment of a closed clock no longer moves, so the copy cannot go stale."""
    if clock is None or clock.completed_at is None:
        return None
    return clock.status == DeadlineStatus.MET


def _figures_acceptance(application, clock):
    application.acceptance_on_time = _on_time(clock)


def statistics_working_days(*, application, decided_at) -> int:
    """Working days from the receipt of the application to its decision: 行政许可法 art. 82 counts working days and
    not the day of the event, so a decision on the day of receipt is 0. Counted from the first receipt (the same
    receipt moment the acceptance clock started from) so that the applicant's time to supplement is included: it is
    what the applicant waited."""
    received = receipt_moment(at=application.submitted_at)
    days = workdays_between(start=timezone.localtime(received).date(), end=timezone.localtime(decided_at).date())
    return max(days.value, 0)


def _figures_decision(application, clock, now):
    if clock is None or clock.stage != Stage.DECISION:
        clock = deadline_for_stage(obj=application, stage=Stage.DECISION)
    application.decision_on_time = _on_time(clock)
    application.decision_working_days = statistics_working_days(application=application, decided_at=now)


def on_refuse(*, obj: Application, actor, params: Reason):
    application = obj
    now = timezone.now()
    _figures_acceptance(application, _close_current(application, actor, now))
    application.decided_at = now
    application.save(update_fields=["current_deadline", "due_at", "decided_at", "acceptance_on_time"])
    document_issue(
        kind=DocumentKinds.REFUSAL, obj=application, department=application.department, actor=actor,
        recipient=application.applicant_name,
        paragraphs=[
            _("Your application for “%(service)s” (reference %(ref)s) is not accepted, for these reasons:")
            % {"service": application.service.name, "ref": application.reference},
            params.reason,
            _("If you disagree, you may apply for administrative reconsideration within 60 days of receiving this "
              "notice, or bring an administrative lawsuit within 6 months."),
        ],
    )
    notify(recipients=_owners(application), title=_("Application not accepted: %(ref)s") % {"ref": application.reference},
           body=params.reason, url=_public_url(application), sms=True)
    _bundle_item_ended(obj, actor)  # 一件事一次办: release, cancel or close the bundle (block at the end)


def on_request_supplement(*, obj: Application, actor, params: Supplement):
    application = obj
    materials = {m.pk: m for m in application.service.materials.all()}
    items = []
    for item in params.items:
        material = materials.get(int(item.material_id))
        note = (item.note or "").strip()
        if material is None:
            raise TransitionInvalid(_("A listed material does not belong to this service."), field="items")
        if not note:
            raise TransitionInvalid(_("Say what is missing or wrong with “%(name)s”.") % {"name": material.name},
                                    field="items")
        items.append({"material_id": material.pk, "name": material.name, "note": note})
    SupplementRequest.objects.create(application=application, items=items, created_by=actor)
    application.supplemented = True  # 一次办成 no more (the statistics' copy of "has a SupplementRequest")
    application.save(update_fields=["supplemented"])
    acceptance = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    if acceptance and acceptance.is_open and not acceptance.paused_at:
        _set_clock(application, deadline_pause(deadline=acceptance, reason=_("Waiting for supplementation"),
                                                actor=actor))
    document_issue(
        kind=DocumentKinds.SUPPLEMENT, obj=application, department=application.department, actor=actor,
        recipient=application.applicant_name,
        paragraphs=[
            _("Your application for “%(service)s” (reference %(ref)s) needs the following materials supplemented or "
              "corrected. This notice lists all of them at once (article 32 of the Administrative Licensing Law).")
            % {"service": application.service.name, "ref": application.reference},
        ],
        items=[{"name": item["name"], "note": item["note"]} for item in items],
        closing=[_("After you resubmit, the department again has 5 working days to decide on acceptance.")],
    )
    notify(recipients=_owners(application),
           title=_("Please supplement your application %(ref)s") % {"ref": application.reference},
           body="；".join(f"{item['name']}：{item['note']}" for item in items), url=_public_url(application), sms=True)


def check_resubmit(*, obj: Application, actor, params=None):
    """一次性告知: every listed material is uploaded again after the request before the applicant resubmits."""
    pending = [s.material.name for s in application_materials(application=obj) if s.requested and not s.replaced]
    if pending:
        raise TransitionInvalid(_("Please upload the corrected: %(names)s.") % {"names": "、".join(pending)},
                                field="materials")


def on_resubmit(*, obj: Application, actor, params=None):
    application = obj
    application.supplement_requests.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    acceptance = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    if acceptance:
        # 行政许可法 art. 32: the acceptance clock starts again from the resubmission — from when it counts as
        # received, like a first submission (settings RECEIPT_AFTER_HOURS).
        acceptance = deadline_restart(deadline=acceptance, reason=_("Resubmitted after supplementation"), actor=actor,
                                      at=receipt_moment(at=timezone.now()))
        _set_clock(application, acceptance)
    notify(recipients=_staff(application, Role.CLERK),
           title=_("Supplemented: %(ref)s") % {"ref": application.reference}, url=admin_change_url(application), email=False)


def _decision(application, actor, kind, paragraphs, title):
    now = timezone.now()
    _figures_decision(application, _close_current(application, actor, now), now)
    application.decided_at = now
    application.save(update_fields=["current_deadline", "due_at", "decided_at", *_FIGURES[1:]])
    document_issue(kind=kind, obj=application, department=application.department, actor=actor,
                   recipient=application.applicant_name, paragraphs=paragraphs,
                   signers=_signers(application, actor))
    notify(recipients=_owners(application), title=title % {"ref": application.reference},
           body=application.service.name, url=_public_url(application), sms=True)


# --- sign-off: 承办 → 审核 → 批准 (issue 16) -----------------------------------------------------------------------

def _person(user) -> str:
    return getattr(user, "display_name", "") or str(user)


def signoff_allows(*, obj: Application, user, transition: str) -> bool:
    """The sign-off chain of the item (``ServiceItem.signoff``): which role takes each step on this application.

    - 承办: the clerk decides alone (``clerk``: approve / deny), or proposes (``propose`` when the section head
      reviews — ``full``; ``propose_to_head`` when the department head approves directly — ``head``);
    - 审核: the section head endorses or sends back;
    - 批准: the department head approves, denies or sends back.
    Nobody signs two steps of one decision (a head who also holds the clerk's role does not approve their own
    proposal). The role itself is checked by the caller (the transition's ``roles``)."""
    from apps.catalogue.constants import SignOff

    signoff = obj.service.signoff
    proposal = obj.proposal or {}
    signed = {proposal.get("by"), proposal.get("reviewed_by")} - {None}
    if obj.status == Status.ACCEPTED:
        step = {SignOff.CLERK: ("approve", "deny"), SignOff.FULL: ("propose",),
                SignOff.HEAD: ("propose_to_head",)}.get(signoff, ())
        return transition in step and actor_has_case_role(user=user, obj=obj, roles={Role.CLERK})
    if obj.status == Status.PROPOSED:
        return actor_has_case_role(user=user, obj=obj, roles={Role.SECTION_HEAD}) and user.pk not in signed
    if obj.status == Status.ENDORSED:
        return (transition in ("approve", "deny", "send_back") and user.pk not in signed
                and actor_has_case_role(user=user, obj=obj, roles={Role.DEPARTMENT_HEAD}))
    return False


def check_proposal(*, obj: Application, actor, params: Proposal):
    from .constants import Outcome

    if params.outcome not in Outcome.values:
        raise TransitionInvalid(_("Choose the decision you propose: grant or deny."), field="outcome")
    if not (params.opinion or "").strip():
        raise TransitionInvalid(_("Write your opinion (承办意见): what you checked and why you propose it."),
                                field="opinion")
    if params.outcome == Outcome.DENY and not (params.reason or "").strip():
        raise TransitionInvalid(_("A denial states its reasons: write the reasons the applicant will be told."),
                                field="reason")


def on_propose(*, obj: Application, actor, params: Proposal):
    application = obj
    application.proposal = {"outcome": params.outcome, "opinion": params.opinion.strip(),
                            "reason": (params.reason or "").strip(), "by": actor.pk, "by_name": _person(actor),
                            "at": timezone.now().isoformat()}
    application.save(update_fields=["proposal"])
    role = Role.SECTION_HEAD if application.status == Status.PROPOSED else Role.DEPARTMENT_HEAD
    notify(recipients=_staff(application, role),
           title=(_("To review: %(ref)s") if role == Role.SECTION_HEAD else _("To approve: %(ref)s"))
           % {"ref": application.reference}, body=application.service.name, url=admin_change_url(application),
           email=False)


def on_endorse(*, obj: Application, actor, params: ReviewOpinion):
    application = obj
    application.proposal = {**application.proposal, "reviewed_by": actor.pk, "reviewed_by_name": _person(actor),
                            "review_opinion": (params.opinion or "").strip(), "reviewed_at": timezone.now().isoformat()}
    application.save(update_fields=["proposal"])
    notify(recipients=_staff(application, Role.DEPARTMENT_HEAD),
           title=_("To approve: %(ref)s") % {"ref": application.reference}, body=application.service.name,
           url=admin_change_url(application), email=False)


def on_send_back(*, obj: Application, actor, params: SendBack):
    application = obj
    proposer = (application.proposal or {}).get("by")
    application.proposal = {}
    application.save(update_fields=["proposal"])
    from apps.accounts.models import User

    recipients = list(User.objects.filter(pk=proposer, is_active=True)) or _staff(application, Role.CLERK)
    notify(recipients=recipients, title=_("Sent back: %(ref)s") % {"ref": application.reference},
           body=params.reason, url=admin_change_url(application), email=False)


def _signers(application, actor) -> list[tuple]:
    """Who signed the decision, by step: the proposer (承办), the reviewer (审核), the approver (批准); a clerk who
    decides alone signs as 承办人."""
    from django.utils.translation import gettext_lazy

    proposal = application.proposal or {}
    if not proposal.get("by"):
        return [(gettext_lazy("Handled by"), _person(actor))]
    signers = [(gettext_lazy("Handled by"), proposal.get("by_name", ""))]
    if proposal.get("reviewed_by"):
        signers.append((gettext_lazy("Reviewed by"), proposal.get("reviewed_by_name", "")))
    signers.append((gettext_lazy("Approved by"), _person(actor)))
    return signers


def on_approve(*, obj: Application, actor, params=None):
    application = obj
    _decision(application, actor, DocumentKinds.APPROVAL, [
        _("Your application for “%(service)s” (reference %(ref)s) meets the statutory conditions and standards. "
          "Under article 38 of the Administrative Licensing Law, the licence is granted.")
        % {"service": application.service.name, "ref": application.reference},
    ], _("Application approved: %(ref)s"))
    if application.commitment:
        _check_start(application, actor)


def on_deny(*, obj: Application, actor, params: Reason):
    application = obj
    _decision(application, actor, DocumentKinds.DENIAL, [
        _("Your application for “%(service)s” (reference %(ref)s) is denied, for these reasons:")
        % {"service": application.service.name, "ref": application.reference},
        params.reason,
        _("If you disagree, you may apply for administrative reconsideration within 60 days of receiving this "
          "decision, or bring an administrative lawsuit within 6 months."),
    ], _("Application denied: %(ref)s"))
    _bundle_item_ended(obj, actor)  # 一件事一次办: release, cancel or close the bundle (block at the end)


def check_complete(*, obj: Application, actor, params: Completion):
    """办结 needs its result: a granted item that issues no electronic licence is completed with the result file the
    applicant receives (a denial's result is the decision already issued)."""
    if obj.status == Status.APPROVED and obj.service.licence_kind_id is None and not params.results:
        raise TransitionInvalid(_("Attach the result the applicant receives (the certificate, approval or licence "
                                  "file): a granted application is completed with its result."), field="result")


def on_complete(*, obj: Application, actor, params: Completion):
    from apps.documents.selectors import documents_for_case

    application = obj
    application.completed_at = timezone.now()
    application.save(update_fields=["completed_at"])
    if documents_for_case(obj=application).filter(kind=DocumentKinds.APPROVAL).exists():
        # Granted: the result of an item that issues a licence is the licence itself.
        _issue_licence(application, actor)
    for upload in params.results:
        try:
            attachment_create(obj=application, upload=upload, actor=actor, purpose="result")
        except ValidationError as error:
            raise TransitionInvalid(" ".join(error.messages), field="result") from None
    notify(recipients=_owners(application), title=_("Completed: %(ref)s — please rate the service")
           % {"ref": application.reference}, url=_public_url(application))
    _bundle_item_ended(obj, actor)  # 一件事一次办: release, cancel or close the bundle (block at the end)


def on_withdraw(*, obj: Application, actor, params=None):
    application = obj
    for stage in (Stage.ACCEPTANCE, Stage.DECISION):
        deadline = deadline_for_stage(obj=application, stage=stage)
        if deadline is not None and deadline.is_open:
            deadline_cancel(deadline=deadline, actor=actor, reason=_("Withdrawn by the applicant"))
    _set_clock(application, None)
    notify(recipients=_staff(application, Role.CLERK), title=_("Withdrawn: %(ref)s") % {"ref": application.reference},
           url=admin_change_url(application), email=False)
    _bundle_item_ended(obj, actor)  # 一件事一次办: release, cancel or close the bundle (block at the end)


# --- clock actions outside the state machine ----------------------------------------------------------------------

def _require_clock_action(application, actor, action):
    """The one rule of when a clock action is open (also what the admin offers): selectors.application_clock_refusal."""
    refusal = application_clock_refusal(user=actor, application=application, action=action)
    if refusal is not None:
        raise refusal


@transaction.atomic
def application_special_procedure_start(*, actor, application, procedure: str, reason: str) -> Application:
    """行政许可法 art. 45: 听证, 检验检测, 鉴定, 专家评审 … do not count towards the decision limit."""
    application = _lock(application)
    _require_clock_action(application, actor, ClockAction.PROCEDURE_START)
    if procedure not in SPECIAL_PROCEDURES or not (reason or "").strip():
        raise TransitionInvalid(_("Name the procedure and give its reason."), field="reason")
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    _set_clock(application, deadline_pause(deadline=decision, reason=f"{procedure}：{reason}", actor=actor))
    timeline_record(obj=application, actor=actor, kind=EntryKind.DEADLINE,
                    public_label=_("Special procedure started: %(p)s (not counted in the time limit)") % {"p": procedure},
                    comment=reason)
    return application


@transaction.atomic
def application_special_procedure_end(*, actor, application) -> Application:
    application = _lock(application)
    _require_clock_action(application, actor, ClockAction.PROCEDURE_END)
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    _set_clock(application, deadline_resume(deadline=decision, actor=actor))
    timeline_record(obj=application, actor=actor, kind=EntryKind.DEADLINE,
                    public_label=_("Special procedure ended; the time limit runs again"))
    return application


@transaction.atomic
def application_extend(*, actor, application, days: int, reason: str) -> Application:
    """行政许可法 art. 42: the department head may extend the decision limit once, by at most 10 working days, and
    tells the applicant why."""
    application = _lock(application)
    _require_clock_action(application, actor, ClockAction.EXTEND)
    if days is None or not 1 <= days <= MAX_EXTENSION:
        raise TransitionInvalid(_("An extension is 1 to %(n)s working days.") % {"n": MAX_EXTENSION}, field="days")
    if not (reason or "").strip():
        raise TransitionInvalid(_("Give the reason; the applicant is told."), field="reason")
    decision = deadline_extend(deadline=deadline_for_stage(obj=application, stage=Stage.DECISION), units=days,
                               reason=reason, actor=actor)
    application.extension_used = True
    _set_clock(application, decision, "extension_used")
    timeline_record(obj=application, actor=actor, kind=EntryKind.DEADLINE,
                    public_label=_("Time limit extended by %(n)s working days") % {"n": days}, comment=reason)
    notify(recipients=_owners(application), title=_("Time limit extended: %(ref)s") % {"ref": application.reference},
           body=_("New date: %(date)s. Reason: %(reason)s")
           % {"date": _due_date(decision.due_at, decision.provisional, "%Y-%m-%d"), "reason": reason},
           url=_public_url(application))
    return application


# --- a clock moved by the holiday calendar (WorkflowSpec.deadline_moved, run by apps.deadlines) ---------------------

def _calendar_reason(deadline, old_due, new_due) -> str:
    """Why the date moved: the year whose official calendar was entered or corrected last among those the clock
    spans (the deadlines app recomputes right after that entry)."""
    last = max(old_due, new_due)
    years = range(timezone.localtime(deadline.started_at).year, timezone.localtime(last).year + 1)
    entered = calendar_year_list().prefetch_related(None).filter(year__in=years).order_by("-entered_at").first()
    if entered is None:
        return _("Reason: the State Council's holiday arrangement was entered in the working-day calendar by which "
                 "time limits are counted, or corrected there.")
    if entered.notice:
        return _("Reason: the State Council's holiday arrangement for %(year)s (%(notice)s) was entered in the "
                 "working-day calendar by which time limits are counted, or corrected there.") % {
            "year": entered.year, "notice": entered.notice}
    return _("Reason: the State Council's holiday arrangement for %(year)s was entered in the working-day calendar "
             "by which time limits are counted, or corrected there.") % {"year": entered.year}


def on_deadline_moved(*, case: Application, deadline, old_due, new_due):
    """An entered or corrected holiday calendar moved one of the application's clocks; the deadlines app has recorded
    it and told the applicant. The decision date is the one the acceptance notice states (行政许可法 art. 42), so the
    new one is given in writing too: a numbered 办理期限变更告知书, downloadable from the application's page."""
    if deadline.stage != Stage.DECISION or not deadline.is_open or _date(old_due) == _date(new_due):
        return None
    application = case
    paragraphs = [
        _("The date by which a decision will be made on your application for “%(service)s” (reference %(ref)s), "
          "accepted on %(accepted)s, changes from %(old)s to %(new)s.")
        % {"service": application.service.name, "ref": application.reference,
           "accepted": _date(application.accepted_at or deadline.started_at), "old": _date(old_due),
           "new": _due_date(new_due, deadline.provisional)},
        _calendar_reason(deadline, old_due, new_due),
        _("Under article 82 of the Administrative Licensing Law time limits are counted in working days, without "
          "statutory holidays: your time limit keeps its number of working days, which now end on the new date."),
    ]
    if deadline.provisional:
        paragraphs.append(_provisional_note(deadline, new_due))
    return document_issue(
        kind=DocumentKinds.DEADLINE_CHANGE, obj=application, department=application.department,
        recipient=application.applicant_name, paragraphs=paragraphs,
        closing=[_("This notice replaces the decision date given in the acceptance notice or in an earlier notice of "
                   "a changed date. Nothing is required of you.")],
    )


# --- rating -------------------------------------------------------------------------------------------------------

@transaction.atomic
def application_rate(*, actor, application, level: int, comment: str = "") -> Rating:
    application = _lock(application)
    _require_owner_in(application, actor, {Status.COMPLETED})
    if Rating.objects.filter(application=application).exists():
        raise ApplicationError(_("You have already rated this application."))
    rating = Rating.objects.create(application=application, level=level, comment=comment.strip())
    timeline_record(obj=application, actor=actor, kind=EntryKind.COMMENT, public_label=_("Rated: %(level)s")
                    % {"level": rating.get_level_display()}, comment=comment.strip())
    if level in POOR_RATINGS:
        rectification = Rectification.objects.create(rating=rating, department=application.department)
        deadline_start(obj=rectification, stage=Stage.RECTIFICATION, label=_("Rectification (15 working days)"),
                       unit=Unit.WORKING_DAYS, limit=RECTIFICATION_LIMIT, due_soon_before=DUE_SOON_WORKING_DAYS,
                       responsible_department=application.department,
                       url=admin_change_url(rectification))
        notify(recipients=_staff(application, Role.DEPARTMENT_HEAD),
               title=_("Poor rating to follow up: %(ref)s") % {"ref": application.reference},
               body=f"{rating.get_level_display()}：{comment}",
               url=admin_change_url(rectification))
    return rating


@transaction.atomic
def rectification_close(*, actor, rectification, response: str) -> Rectification:
    rectification = Rectification.objects.select_for_update().select_related("rating__application").get(pk=rectification.pk)
    if not actor_has_case_role(user=actor, obj=rectification.rating.application, roles={Role.DEPARTMENT_HEAD}):
        raise TransitionForbidden(_("Only the department head may close a rectification."))
    if rectification.closed_at:
        raise ApplicationError(_("This rectification is already closed."))
    if not response.strip():
        raise TransitionInvalid(_("Describe what was done."), field="response")
    rectification.response, rectification.closed_at, rectification.closed_by = response.strip(), timezone.now(), actor
    rectification.save(update_fields=["response", "closed_at", "closed_by"])
    deadline = deadline_for_stage(obj=rectification, stage=Stage.RECTIFICATION)
    if deadline:
        deadline_complete(deadline=deadline, actor=actor)
    return rectification


# --- 事中事后核查 (the follow-up check of a commitment, transitions.py) ---------------------------------------------

def _check_close(check, actor, finding):
    check.finding = finding
    check.checked_at = timezone.now()
    if check.current_deadline_id:
        deadline_complete(deadline=check.current_deadline, actor=actor, at=check.checked_at)
    deadline_attach(obj=check, deadline=None, update_fields=("finding", "checked_at"))


def on_check_confirmed(*, obj, actor, params=None):
    _check_close(obj, actor, _("Found true."))


def on_check_false(*, obj, actor, params: Reason):
    """不实: the decision is revoked (and its licence, and a dishonesty record kept) through the application's own
    transition — parent locked first (the check's ``parents``)."""
    _check_close(obj, actor, params.reason)
    transition_perform(actor=actor, obj=obj.application, name="revoke_commitment", comment=params.reason,
                       params=Reason(reason=params.reason))


def on_revoke_commitment(*, obj: Application, actor, params: Reason):
    """The decision granted on a false commitment is revoked: its licence revoked, the applicant's dishonesty
    recorded (the one record that also takes an enterprise off the honor showcase), the applicant told in writing."""
    from apps.credit.services import dishonesty_record_add
    from apps.licences.models import Licence
    from apps.licences.constants import LicenceStatus

    application = obj
    today = timezone.localdate()
    licences = list(Licence.objects.filter(application=application,
                                           status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED]).order_by("pk"))
    reason = _("The commitment made for %(ref)s was found false: %(reason)s") % {
        "ref": application.reference, "reason": params.reason}
    for licence in licences:
        transition_perform(actor=actor, obj=licence, name="revoke_by_decision", comment=reason,
                           params=Reason(reason=reason))
    dishonesty_record_add(
        actor=actor, subject_code=application.applicant_code, subject_name=application.applicant_name,
        source=_("False commitment, %(department)s, %(ref)s") % {
            "department": application.department.name, "ref": application.reference},
        listed_on=today, reason=params.reason, origin=application, department=application.department)
    document_issue(
        kind=DocumentKinds.REVOCATION, obj=application, department=application.department, actor=actor,
        recipient=application.applicant_name,
        paragraphs=[
            _("The follow-up check of the commitment you signed for “%(service)s” (reference %(ref)s) found it false:")
            % {"service": application.service.name, "ref": application.reference},
            params.reason,
            _("The decision granted on it is revoked%(licences)s, and a dishonesty record is kept.") % {
                "licences": "".join(_("; licence %(licence)s is revoked") % {"licence": licence}
                                    for licence in licences)},
            _("If you disagree, you may apply for administrative reconsideration within 60 days of receiving this "
              "decision, or bring an administrative lawsuit within 6 months."),
        ])
    notify(recipients=_owners(application), title=_("Decision revoked: %(ref)s") % {"ref": application.reference},
           body=params.reason, url=_public_url(application), sms=True)


# --- the statistics' working days follow the holiday calendar (CONVENTIONS 16) ------------------------------------

RECOUNT_BATCH = 2000


def statistics_recount_year(*, year: int) -> int:
    """An official year was entered or corrected: recount the working days to the decision of every application
    whose span from receipt to decision touches that year (keyset batches, each its own transaction; run twice it
    finds nothing to change). Returns how many changed."""
    import datetime as dt

    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    # Receipt may follow submission (RECEIPT_AFTER_HOURS) by a few days: a week's margin before the year.
    spans = Application.objects.filter(decision_working_days__isnull=False, decided_at__gte=start,
                                       submitted_at__lt=end + dt.timedelta(days=7))
    changed, last = 0, 0
    while True:
        batch = list(spans.filter(pk__gt=last).order_by("pk")
                     .only("pk", "submitted_at", "decided_at", "decision_working_days")[:RECOUNT_BATCH])
        if not batch:
            return changed
        last = batch[-1].pk
        moved = []
        for application in batch:
            days = statistics_working_days(application=application, decided_at=application.decided_at)
            if days != application.decision_working_days:
                application.decision_working_days = days
                moved.append(application)
        if moved:
            with transaction.atomic():
                Application.objects.bulk_update(moved, ["decision_working_days"])
            changed += len(moved)


# --- 综合窗口 and 帮办代办 (issue 16; docs/adr/0008-window-and-agents.md) -------------------------------------------

@dataclass(frozen=True)
class Person:
    """The person an application is for, as a window clerk or an agent types them from the ID card."""

    id_number: str
    real_name: str
    phone: str


def _person_account(person: Person):
    """The person's citizen account found by ID number and phone, or an offline one opened for them."""
    from apps.accounts.exceptions import AccountError
    from apps.accounts.services import citizen_find_or_open

    try:
        return citizen_find_or_open(id_number=person.id_number, phone=person.phone, real_name=person.real_name)
    except AccountError as error:
        raise TransitionInvalid(str(error), field=error.field) from None


def _no_other_draft(applicant, service):
    # One draft per person and item (the constraint application_one_draft_per_service): say so instead of a 500.
    if Application.objects.filter(applicant=applicant, service=service, status=Status.DRAFT).exists():
        raise TransitionInvalid(_("This person has an unfinished draft for this service online. They submit or "
                                  "delete it first, or finish it with you on their phone."), field="service")


def _new_for(*, person_account, service, channel, entered_by, **extra) -> Application:
    from .constants import Channel

    profile = person_account.citizen_profile
    # An agent is not shown what the account holds beyond what they typed (review finding: the e-mail was prefilled).
    email = "" if channel == Channel.ASSISTED else person_account.email
    return Application.objects.create(
        service=service, department=service.department, applicant=person_account, applicant_name=profile.real_name,
        applicant_code=profile.id_number, phone=person_account.phone or "", email=email,
        channel=channel, entered_by=entered_by, **extra)


def _is_window_clerk(user) -> bool:
    from apps.core.dashboard import user_roles  # the roles read once per request, as the selectors read them

    return Role.WINDOW_CLERK.value in user_roles(user)


@transaction.atomic
def application_window_register(*, clerk, service, person: Person, address: str = "", description: str = "",
                                conditions_met: list[int] = (), uploads: dict | None = None,
                                declaration: bool = False) -> Application:
    """前台综合受理: a window clerk of the government service centre registers a walk-in person's application for any
    item — found by ID number and phone, or an offline account opened for them — with the scanned materials and
    the person's signed declaration, and submits it through the application's own ``submit`` transition (the
    receipt is issued there). The handling department then finds it in its queue (后台分类审批). One transaction: a
    refusal anywhere (a file, a missing material, the declaration) leaves no account, application or file behind.

    Bundles (一件事一次办, apps/bundles) are registered item by item for now; the bundle's own submit is the hook.
    """
    from .constants import Channel

    if not _is_window_clerk(clerk):
        raise TransitionForbidden(_("Only a window clerk of the government service centre registers applications "
                                    "here."))
    if not service.is_active:
        raise TransitionInvalid(_("This service is no longer offered."), field="service")
    applicant = _person_account(person)
    # The clerk has the ID card in hand: the account is verified (ADR 0011) and holds the licences of its number.
    from apps.accounts.services import account_identity_verify

    applicant = account_identity_verify(user=applicant, method=IdentityMethod.WINDOW, actor=clerk)
    _no_other_draft(applicant, service)
    valid = set(service.materials.filter(required=False).values_list("pk", flat=True))
    application = _new_for(person_account=applicant, service=service, channel=Channel.WINDOW, entered_by=clerk,
                           address=(address or "").strip(), description=(description or "").strip(),
                           conditions_met=sorted(set(conditions_met) & valid))
    materials = {m.pk: m for m in service.materials.all()}
    for material_id, upload in (uploads or {}).items():
        if upload is None or int(material_id) not in materials:
            continue
        try:
            attachment_create(obj=application, upload=upload, actor=clerk, purpose=material_purpose(int(material_id)))
        except ValidationError as error:
            raise TransitionInvalid(" ".join(error.messages), field=f"material_{material_id}") from None
    # The declaration is the person's, signed on paper at the counter; the clerk ticks that it was signed.
    return transition_perform(actor=clerk, obj=application, name="submit",
                              params=Declaration(declaration=bool(declaration)))


@transaction.atomic
def application_start_as_agent(*, agent, service, person: Person, relation: str) -> Application:
    """帮办代办: a logged-in person (a family member, a community worker) starts an application for someone else,
    whose account is found by ID number and phone or opened for them. The agent then fills it in like their own
    (``co_owner_fields``); the signed authorisation letter is required before it is submitted."""
    from .constants import AgentRelation, Channel

    if not service.applies_online:
        raise ApplicationError(_("This service cannot be applied for online."))
    if agent.kind != AccountKind.CITIZEN:
        # 帮办代办 is a person helping a person; an enterprise or staff account is not an agent here.
        raise ApplicationError(_("Only a citizen's account can apply for someone else."))
    if relation not in AgentRelation.values:
        raise TransitionInvalid(_("Choose your relation to the person."), field="relation")
    applicant = _person_account(person)
    if applicant.pk == agent.pk:
        raise TransitionInvalid(_("This is your own ID number: apply for yourself instead."), field="id_number")
    draft = Application.objects.filter(applicant=applicant, service=service, status=Status.DRAFT).first()
    if draft is not None:
        if draft.agent_id == agent.pk:
            return draft  # the agent's own draft for this person, resumed
        _no_other_draft(applicant, service)
    return _new_for(person_account=applicant, service=service, channel=Channel.ASSISTED, entered_by=agent,
                    agent=agent, agent_relation=relation)


@transaction.atomic
def application_upload_authorisation(*, actor, application, upload):
    """帮办代办: the authorisation letter signed by the person, kept apart from the item's materials."""
    from .constants import AUTHORISATION_PURPOSE

    application = _lock(application)
    _require_owner_in(application, actor, {Status.DRAFT})
    if not application.agent_id:
        raise ApplicationError(_("Only an application made by an agent has an authorisation letter."))
    earlier = attachments_for_case(obj=application).filter(purpose=AUTHORISATION_PURPOSE)
    return attachment_create(obj=application, upload=upload, actor=actor, purpose=AUTHORISATION_PURPOSE,
                             replaces=earlier)


# --- 一件事一次办: an item of a bundle (apps/bundles, docs/adr/0007-bundles.md) --------------------------------------

def bundle_parents(application):
    """Lock order (ADR 0003): the bundle application before its items, whichever item's step runs."""
    from apps.bundles.models import BundleApplication

    return [(BundleApplication, application.bundle_id)]


def _bundle_item_ended(application, actor):
    if application.bundle_id is not None:
        from apps.bundles.services import bundle_item_ended

        bundle_item_ended(application=application, actor=actor)


def on_bundle_release(*, obj: Application, actor, params=None):
    """release: the waiting item is submitted now, with everything a submission does (on_submit)."""
    on_submit(obj=obj, actor=actor, params=Declaration(declaration=True))


def on_bundle_cancel(*, obj: Application, actor, params: Reason):
    """cancel: an item it needed was not granted; the items waiting for this one are not pursued either."""
    _bundle_item_ended(obj, actor)
