"""依申请公开: requests for government information (政府信息公开条例 2019, arts. 27–45). Writes only; the state changes
are the declared transitions of transitions.py, run by ``transition_perform`` (ADR 0003)."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.constants import AccountKind
from apps.attachments.services import attachment_create
from apps.core.links import admin_change_url
from apps.core.sequences import day_sequence_next, reference_tail
from apps.deadlines.constants import Unit
from apps.deadlines.selectors import deadline_due_text, deadline_for_stage
from apps.deadlines.services import (
    deadline_attach,
    deadline_cancel,
    deadline_complete,
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
from apps.workdays.selectors import receipt_moment, workdays_add, workdays_between
from apps.workflow.exceptions import TransitionInvalid
from apps.workflow.services import transition_perform

from .constants import (
    ANSWER_BASIS,
    ANSWER_FILES,
    ANSWER_LIMIT,
    SUPPLEMENT_NOTICE_LIMIT,
    SUPPLEMENT_PERIOD,
    CONSULTATION_LIMIT,
    DUE_SOON_WORKING_DAYS,
    MAX_EXTENSION,
    RIGHTS,
    ORGANISATION_TYPES,
    AnswerKind,
    Delivery,
    DocumentKinds,
    InfoFormat,
    RequestChannel,
    RequesterType,
    Stage,
    WithheldGround,
)
from .models import InformationRequest, RequestSequence


@dataclass(frozen=True)
class SupplementRequest:
    """What the agency asks the requester to clarify (art. 30: once, all of it)."""

    items: str = ""


@dataclass(frozen=True)
class Supplemented:
    text: str = ""


@dataclass(frozen=True)
class Consultation:
    """art. 32: whose opinion is asked (a third party, another agency) and why."""

    third_party: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Extension:
    days: int = MAX_EXTENSION
    reason: str = ""


@dataclass(frozen=True)
class Answer:
    kind: str = ""
    text: str = ""
    files: tuple = ()  # the information itself, when it is given as a file
    ground: str = ""  # not disclosed: why (arts. 14–16, WithheldGround)


@dataclass(frozen=True)
class Recorded:
    """A request received by letter, fax, e-mail or in person, as the office records it (art. 29)."""

    requester_type: str = RequesterType.NATURAL_PERSON
    requester_name: str = ""
    requester_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    description: str = ""
    document_number: str = ""
    info_format: str = InfoFormat.PAPER
    delivery: str = Delivery.POST
    channel: str = RequestChannel.LETTER
    received_on: object = None  # the day the office received it (art. 31: signed for, or handed in)


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日")


def _date_only(day) -> str:
    return day.strftime("%Y年%m月%d日")


def _public_url(request) -> str:
    return reverse("information_requests:detail", args=[request.pk])


def _requester(request) -> list:
    """Whom the portal tells: the requester's account; a letter or a visit recorded by the office has none (the
    office posts or hands over the documents, which the officer prints from the request's page)."""
    return [request.requester] if request.requester_id else []


def _officers(request):
    return list(staff_with_role(department=request.department_id, role=Role.DISCLOSURE_OFFICER))


def _clock(request):
    return deadline_for_stage(obj=request, stage=Stage.ANSWER)


def _due(deadline) -> str:
    return deadline_due_text(due_at=deadline.due_at, provisional=deadline.provisional)


@transaction.atomic
def information_request_submit(*, requester, department, description: str, document_number: str = "",
                               info_format: str, delivery: str, phone: str, email: str = "",
                               address: str = "", organisation_type: str = "") -> InformationRequest:
    """A citizen or enterprise asks ``department`` for information (art. 29): recorded with the account's name and
    ID number or credit code, then submitted through the one door. An organisation says what kind it is (the annual
    report counts requests by it); a citizen is a natural person."""
    if requester.kind == AccountKind.ENTERPRISE and hasattr(requester, "enterprise_profile"):
        name, code = requester.enterprise_profile.name, requester.enterprise_profile.credit_code
        requester_type = organisation_type or RequesterType.BUSINESS
        if requester_type not in ORGANISATION_TYPES:
            raise TransitionInvalid(_("Choose what kind of organisation you are."), field="organisation_type")
    elif hasattr(requester, "citizen_profile"):
        name, code = requester.citizen_profile.real_name, requester.citizen_profile.id_number
        requester_type = RequesterType.NATURAL_PERSON
    else:
        raise TransitionInvalid(_("Only citizen and enterprise accounts can request information."))
    request = InformationRequest.objects.create(
        department=department, requester=requester, requester_name=name, requester_code=code, phone=phone,
        email=email, address=address, description=description.strip(), document_number=document_number.strip(),
        info_format=info_format, delivery=delivery, requester_type=requester_type)
    return transition_perform(actor=requester, obj=request, name="submit")


@transaction.atomic
def information_request_record(*, actor, data: Recorded) -> InformationRequest:
    """The office records a request received by letter, fax, e-mail or in person (art. 29: 书面形式; an oral request
    is written down by the office and confirmed by the requester) for a person who may have no account: the request
    belongs to the officer's agency, its clock counts from the day it was received (art. 31), and its documents are
    printed or posted by the office."""
    request = InformationRequest.objects.create(
        department_id=actor.department_id, requester=None, recorded_by=actor,
        requester_type=data.requester_type, requester_name=data.requester_name.strip(),
        requester_code=data.requester_code.strip().upper(), phone=data.phone.strip(), email=data.email.strip(),
        address=data.address.strip(), description=data.description.strip(),
        document_number=data.document_number.strip(), info_format=data.info_format, delivery=data.delivery,
        channel=data.channel)
    return transition_perform(actor=actor, obj=request, name="record", params=data)


# --- transition effects (transitions.py) ---------------------------------------------------------------------------

def check_submit(*, obj: InformationRequest, actor, params=None):
    if not obj.description:
        raise TransitionInvalid(_("Describe the information you ask for."), field="description")
    if not obj.phone:
        raise TransitionInvalid(_("Please enter your mobile phone."), field="phone")


def _next_reference(now) -> str:
    day, n = day_sequence_next(RequestSequence, now)
    return f"YS-{day:%Y%m%d}-{n:06d}-{reference_tail()}"


def on_submit(*, obj: InformationRequest, actor, params=None):
    now = timezone.now()
    # art. 31 (3): an online request is received when both sides confirm it — here, on submission (the city's
    # after-hours policy, RECEIPT_AFTER_HOURS, decides whether the limit then counts from the next working day).
    _receive(obj, actor=actor, now=now, received_at=receipt_moment(at=now))


def check_record(*, obj: InformationRequest, actor, params: Recorded):
    from django.core.exceptions import ValidationError as Invalid

    from apps.accounts.validators import validate_credit_code, validate_id_number

    if obj.requester_id is not None:
        raise TransitionInvalid(_("This request was made online by its requester."))
    if params.requester_type not in RequesterType.values:
        raise TransitionInvalid(_("Choose the kind of requester."), field="requester_type")
    if not params.requester_name.strip():
        raise TransitionInvalid(_("Enter the requester's name (art. 29 (1))."), field="requester_name")
    code = params.requester_code.strip().upper()
    try:
        (validate_id_number if params.requester_type == RequesterType.NATURAL_PERSON else validate_credit_code)(code)
    except Invalid as error:
        raise TransitionInvalid(" ".join(error.messages), field="requester_code") from None
    if not (params.phone.strip() or params.address.strip() or params.email.strip()):
        raise TransitionInvalid(_("Enter at least one way to reach the requester (art. 29 (1))."), field="phone")
    if not params.description.strip():
        raise TransitionInvalid(_("Write down the information requested (art. 29 (2))."), field="description")
    if params.channel not in RequestChannel.values or params.channel == RequestChannel.ONLINE:
        raise TransitionInvalid(_("Choose how the request was received."), field="channel")
    today = timezone.localdate()
    if params.received_on is None or params.received_on > today:
        raise TransitionInvalid(_("The day it was received cannot be in the future."), field="received_on")
    if (today - params.received_on).days > 366:
        raise TransitionInvalid(_("A request received more than a year ago cannot be recorded as new."),
                                field="received_on")


def on_record(*, obj: InformationRequest, actor, params: Recorded):
    """art. 31 (1)–(2): a request handed in counts from the day it was handed in, a letter from the day it was signed
    for; the limit counts from that day even when it is recorded later."""
    import datetime as dt

    now = timezone.now()
    received = now if params.received_on == timezone.localdate() else timezone.make_aware(
        dt.datetime.combine(params.received_on, dt.time(12, 0)))
    _receive(obj, actor=actor, now=now, received_at=received)


def _receive(request, *, actor, now, received_at):
    """The request is received: its reference, its 20-working-day clock, the receipt, and who is told."""
    request.reference = _next_reference(now)
    request.submitted_at = now
    request.received_at = received_at
    clock = deadline_start(obj=request, stage=Stage.ANSWER,
                           label=_("Answer (%(n)s working days)") % {"n": ANSWER_LIMIT}, unit=Unit.WORKING_DAYS,
                           limit=ANSWER_LIMIT, due_soon_before=DUE_SOON_WORKING_DAYS, started_at=request.received_at,
                           responsible_department=request.department, responsible_role=Role.DISCLOSURE_OFFICER,
                           url=admin_change_url(request))
    deadline_attach(obj=request, deadline=clock, update_fields=("reference", "submitted_at", "received_at"))
    document_issue(
        kind=DocumentKinds.RECEIPT, obj=request, department=request.department, actor=actor,
        recipient=request.requester_name,
        paragraphs=[
            _("Your request for government information to %(agency)s was received on %(date)s under reference "
              "%(ref)s.") % {"agency": request.department.full_name or request.department.name,
                             "date": _date(request.received_at), "ref": request.reference},
            _("Information requested: %(text)s") % {"text": request.description},
            _("Under article 33 of the Regulations on the Disclosure of Government Information, the agency answers "
              "within %(n)s working days of receipt, by %(date)s; it may extend the limit once by up to 20 working "
              "days and will tell you.") % {"n": ANSWER_LIMIT, "date": _due(clock)},
        ],
    )
    notify(recipients=_requester(request), title=_("Request received: %(ref)s") % {"ref": request.reference},
           body=request.description[:200], url=_public_url(request))
    notify(recipients=_officers(request), title=_("New request for information: %(ref)s") % {"ref": request.reference},
           body=request.description[:200], url=admin_change_url(request), email=False)


def _supplement_by(request):
    return workdays_add(start=timezone.localtime(request.supplement_requested_at).date(), days=SUPPLEMENT_PERIOD).value


def check_request_supplement(*, obj: InformationRequest, actor, params: SupplementRequest):
    if obj.supplement_items:
        # art. 30: 一次性告知 — what is unclear is asked once, all of it.
        raise TransitionInvalid(_("Clarification was already asked once; answer the request as it stands."),
                                field="items")
    received = timezone.localtime(obj.received_at).date()
    if workdays_between(start=received, end=timezone.localdate()).value > SUPPLEMENT_NOTICE_LIMIT:
        # art. 30: within 7 working days of receipt; later, the request is answered as it stands.
        raise TransitionInvalid(_("Clarification can only be asked within %(n)s working days of receipt (art. 30); "
                                  "answer the request as it stands.") % {"n": SUPPLEMENT_NOTICE_LIMIT}, field="items")


def on_request_supplement(*, obj: InformationRequest, actor, params: SupplementRequest):
    request = obj
    request.supplement_items = params.items.strip()
    request.supplement_requested_at = timezone.now()
    request.save(update_fields=["supplement_items", "supplement_requested_at"])
    clock = _clock(request)
    if clock is not None and clock.is_open and not clock.paused_at:
        deadline_pause(deadline=clock, reason=_("Clarification requested (art. 30)"), actor=actor)
    document_issue(
        kind=DocumentKinds.SUPPLEMENT, obj=request, department=request.department, actor=actor,
        recipient=request.requester_name,
        paragraphs=[
            _("Your request for government information (reference %(ref)s) of %(date)s does not describe the "
              "information clearly enough. Under article 30 of the Regulations on the Disclosure of Government "
              "Information, please clarify:") % {"ref": request.reference, "date": _date(request.received_at)},
            request.supplement_items,
            _("Please clarify by %(date)s. The time limit for the answer counts again from the day the agency "
              "receives your clarification. If you do not clarify by then without good reason, the request is "
              "regarded as abandoned.") % {"date": _date_only(_supplement_by(request))},
        ],
    )
    notify(recipients=_requester(request), title=_("Please clarify your request: %(ref)s") % {"ref": request.reference},
           body=request.supplement_items[:300], url=_public_url(request), sms=True)


def check_abandon(*, obj: InformationRequest, actor, params):
    if timezone.localdate() <= _supplement_by(obj):
        raise TransitionInvalid(_("The requester may clarify until %(date)s; close the request only after that.")
                                % {"date": _date_only(_supplement_by(obj))}, field="reason")


def check_supplement(*, obj: InformationRequest, actor, params: Supplemented):
    if not params.text.strip():
        raise TransitionInvalid(_("Write your clarification."), field="text")


def on_supplement(*, obj: InformationRequest, actor, params: Supplemented):
    """art. 30: the limit counts again from the receipt of the clarified request."""
    request = obj
    request.supplement_text = params.text.strip()
    request.supplemented_at = timezone.now()
    request.save(update_fields=["supplement_text", "supplemented_at"])  # received_at stays the request's first receipt
    clock = _clock(request)
    if clock is not None and clock.is_open:
        clock = deadline_restart(deadline=clock, reason=_("Clarified (art. 30)"), actor=actor,
                                 at=receipt_moment(at=request.supplemented_at))
        deadline_attach(obj=request, deadline=clock)
    notify(recipients=_officers(request), title=_("Request clarified: %(ref)s") % {"ref": request.reference},
           body=request.supplement_text[:200], url=admin_change_url(request), email=False)


def on_abandon(*, obj: InformationRequest, actor, params):
    request = obj
    clock = _clock(request)
    if clock is not None:
        deadline_cancel(deadline=clock, actor=actor, reason=params.reason)
    request.closed_at = timezone.now()
    deadline_attach(obj=request, deadline=None, update_fields=("closed_at",))
    notify(recipients=_requester(request), title=_("Request closed: %(ref)s") % {"ref": request.reference},
           body=params.reason, url=_public_url(request))


def on_consult(*, obj: InformationRequest, actor, params: Consultation):
    """art. 32–33: a third party's (or another agency's) opinion; the time it takes does not count. The third party
    has 15 working days: a clock of its own reminds the officers, who then decide without it."""
    clock = _clock(obj)
    if clock is not None and clock.is_open and not clock.paused_at:
        deadline_pause(deadline=clock, reason=_("Opinion asked of %(who)s (art. 32)") % {"who": params.third_party},
                       actor=actor)
    deadline_start(obj=obj, stage=Stage.CONSULTATION,
                   label=_("Third party's opinion (%(n)s working days)") % {"n": CONSULTATION_LIMIT},
                   unit=Unit.WORKING_DAYS, limit=CONSULTATION_LIMIT, due_soon_before=DUE_SOON_WORKING_DAYS,
                   actor=actor, responsible_department=obj.department, responsible_role=Role.DISCLOSURE_OFFICER,
                   url=admin_change_url(obj))


def on_consulted(*, obj: InformationRequest, actor, params=None):
    consultation = deadline_for_stage(obj=obj, stage=Stage.CONSULTATION)
    if consultation is not None and consultation.is_open:
        deadline_complete(deadline=consultation, actor=actor)
    clock = _clock(obj)
    if clock is not None and clock.paused_at:
        deadline_resume(deadline=clock, actor=actor)
        deadline_attach(obj=obj, deadline=_clock(obj))


def check_extend(*, obj: InformationRequest, actor, params: Extension):
    clock = _clock(obj)
    if clock is None or not clock.is_open or clock.due_at < timezone.now():
        # art. 33: the extension is agreed and told within the limit, not once it has run out.
        raise TransitionInvalid(_("The limit has already run out: it can no longer be extended; answer now."),
                                field="days")
    if obj.extension_used:
        raise TransitionInvalid(_("The limit has already been extended once."), field="days")
    if not 1 <= params.days <= MAX_EXTENSION:
        raise TransitionInvalid(_("An extension is 1 to %(n)s working days (art. 33).") % {"n": MAX_EXTENSION},
                                field="days")


def on_extend(*, obj: InformationRequest, actor, params: Extension):
    request = obj
    clock = deadline_extend(deadline=_clock(request), units=params.days, reason=params.reason, actor=actor)
    request.extension_used = True
    deadline_attach(obj=request, deadline=clock, update_fields=("extension_used",))
    document_issue(
        kind=DocumentKinds.EXTENSION, obj=request, department=request.department, actor=actor,
        recipient=request.requester_name,
        paragraphs=[
            _("Your request for government information (reference %(ref)s) needs more time: with the consent of the "
              "head of the disclosure office, under article 33 of the Regulations, the limit is extended by %(n)s "
              "working days. The answer will be given by %(date)s.")
            % {"ref": request.reference, "n": params.days, "date": _due(clock)},
            _("Reason: %(reason)s") % {"reason": params.reason},
        ],
    )
    notify(recipients=_requester(request), title=_("Answer date extended: %(ref)s") % {"ref": request.reference},
           body=_("New date: %(date)s") % {"date": _due(clock)}, url=_public_url(request), sms=True)


def on_answer(*, obj: InformationRequest, actor, params: Answer):
    request = obj
    now = timezone.now()
    if params.kind not in AnswerKind.values:
        raise TransitionInvalid(_("Choose the form of the answer."), field="kind")
    if params.kind == AnswerKind.WITHHELD and params.ground not in WithheldGround.values:
        # arts. 14–16: a refusal names its ground (the annual report counts refusals by it).
        raise TransitionInvalid(_("Choose the ground for not disclosing (arts. 14–16)."), field="ground")
    for upload in params.files:
        try:
            attachment_create(obj=request, upload=upload, actor=actor, purpose=ANSWER_FILES)
        except ValidationError as error:
            raise TransitionInvalid(" ".join(error.messages), field="file") from None
    clock = _clock(request)
    if clock is not None:
        deadline_complete(deadline=clock, actor=actor, at=now)
    request.answered_at = request.closed_at = now
    request.answer_kind = params.kind
    request.withheld_ground = params.ground if params.kind == AnswerKind.WITHHELD else ""
    deadline_attach(obj=request, deadline=None,
                    update_fields=("answered_at", "closed_at", "answer_kind", "withheld_ground"))
    document_issue(
        kind=DocumentKinds.ANSWER, obj=request, department=request.department, actor=actor,
        recipient=request.requester_name,
        paragraphs=[
            _("On %(date)s we received your request for government information (reference %(ref)s): "
              "“%(text)s”. Our answer:") % {"date": _date(request.received_at), "ref": request.reference,
                                            "text": request.description},
            params.text.strip(),
            *([_("Ground: %(ground)s.") % {"ground": WithheldGround(params.ground).label}]
              if params.kind == AnswerKind.WITHHELD else []),
            str(ANSWER_BASIS[AnswerKind(params.kind)]),
        ],
        closing=[str(RIGHTS)],
    )
    notify(recipients=_requester(request), title=_("Your request is answered: %(ref)s") % {"ref": request.reference},
           body=str(AnswerKind(params.kind).label), url=_public_url(request), sms=True)


def on_withdraw(*, obj: InformationRequest, actor, params=None):
    clock = _clock(obj)
    if clock is not None:
        deadline_cancel(deadline=clock, actor=actor, reason=_("Withdrawn by the requester"))
    obj.closed_at = timezone.now()
    deadline_attach(obj=obj, deadline=None, update_fields=("closed_at",))
    notify(recipients=_officers(obj), title=_("Request withdrawn: %(ref)s") % {"ref": obj.reference},
           url=admin_change_url(obj), email=False)
