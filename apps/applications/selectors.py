from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.attachments.models import Attachment
from apps.attachments.selectors import attachments_for_case
from apps.catalogue.models import Material
from apps.documents.selectors import documents_for_case
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.deadlines.selectors import deadline_for_stage
from apps.organizations.constants import Role
from apps.workflow.exceptions import TransitionForbidden, WorkflowError
from apps.workflow.selectors import actor_has_case_role, case_get_for_user

from .constants import DECIDING, OPEN_STATUSES, ClockAction, Stage, Status
from .exceptions import ApplicationError
from .models import Application, SupplementRequest


def material_purpose(material_id: int) -> str:
    return f"material-{material_id}"


@dataclass
class MaterialState:
    material: Material
    needed: bool
    attachment: Attachment | None
    requested: dict | None = None  # the supplement item asking for it, with the clerk's note
    replaced: bool = False  # uploaded again after the supplement request
    licence: object = None  # 免提交: the applicant's licence that fills it (valid), or the one that cannot (problem)
    licence_problem: str = ""  # why the licence the applicant holds cannot be used (expired, revoked …)
    committed: bool = False  # 告知承诺制: replaced by the applicant's signed commitment

    @property
    def satisfied(self) -> bool:
        """Provided: uploaded, filled from a valid licence, or replaced by the commitment."""
        return self.attachment is not None or (self.licence is not None and not self.licence_problem) \
            or self.committed


def application_materials(*, application: Application) -> list[MaterialState]:
    """Each material of the service with whether it is needed, its latest upload (two queries), the licence that
    fills it (免提交: the licence used on submission, else the applicant's licence valid today — one query per
    such material) and whether the applicant's commitment replaces it (告知承诺制)."""
    from apps.licences.selectors import licence_for_material, licence_problem, licence_uses

    used = {use.material_id: use.licence for use in licence_uses(application=application)} \
        if application.status != Status.DRAFT else {}
    latest: dict[str, Attachment] = {}
    for attachment in attachments_for_case(obj=application).order_by("uploaded_at"):
        latest[attachment.purpose] = attachment
    request = application_open_supplement(application=application)
    requested = {item["material_id"]: item for item in (request.items if request else [])}
    states = []
    for material in application.service.materials.all().order_by("order", "id"):
        attachment = latest.get(material_purpose(material.pk))
        needed = material.required or material.pk in application.conditions_met
        state = MaterialState(material, needed, attachment, requested.get(material.pk))
        if state.requested and attachment is not None and request is not None:
            state.replaced = attachment.uploaded_at > request.created_at
        if material.pk in used:
            # The licence the application used stays its material; the clerk sees its state today.
            state.licence = used[material.pk]
            state.licence_problem = licence_problem(state.licence)
        elif material.licence_kind_id and application.status == Status.DRAFT and not application.agent_id:
            # 免提交 is the holder's own: an agent (帮办代办) is never shown the person's licences — anyone can type
            # an ID number on the agent's form — and uploads the material as on paper (review finding).
            state.licence, state.licence_problem = licence_for_material(
                holder=application.applicant, holder_code=application.applicant_code,
                kind_id=material.licence_kind_id)
        state.committed = application.commitment and material.commitment_allowed and attachment is None
        states.append(state)
    return states


def application_commitment_in_effect(*, application: Application) -> bool:
    """The commitment replaces something: a needed material neither uploaded nor filled from a licence. An applicant
    who chose it but provided everything applies in the ordinary way (no signature, no decision on the spot)."""
    return application.commitment and any(
        s.committed and s.needed for s in application_materials(application=application))


def application_missing_materials(*, application: Application) -> list[Material]:
    return [s.material for s in application_materials(application=application) if s.needed and not s.satisfied]


def application_open_supplement(*, application: Application) -> SupplementRequest | None:
    if application.status != Status.SUPPLEMENT_REQUESTED:
        return None
    return application.supplement_requests.filter(resolved_at__isnull=True).first()


def application_get_for_user(*, user, pk) -> Application:
    """The application if ``user`` may see it (applicant, its department, granted staff); else DoesNotExist."""
    return case_get_for_user(user=user, model=Application, pk=pk)


def application_draft_for(*, applicant, service) -> Application | None:
    """The applicant's draft for ``service``, if one was begun (there is at most one)."""
    return Application.objects.filter(applicant=applicant, service=service, status=Status.DRAFT).first()


def application_list_for_applicant(*, user) -> QuerySet:
    """The person's applications and, 帮办代办, those they made as an agent for someone else (index
    ``application_agent``)."""
    return (Application.objects.filter(Q(applicant=user) | Q(agent=user))
            .select_related("service", "current_deadline").order_by("-created_at"))


def application_authorisation(*, application: Application) -> Attachment | None:
    """帮办代办: the latest authorisation letter (委托书) uploaded for the application, or None."""
    from .constants import AUTHORISATION_PURPOSE

    return attachments_for_case(obj=application).filter(purpose=AUTHORISATION_PURPOSE).order_by("-uploaded_at").first()


def application_lookup(*, reference: str, phone_last4: str) -> Application | None:
    """The public lookup: both the reference and the last four digits of the phone must match."""
    reference = (reference or "").strip().upper()
    phone_last4 = (phone_last4 or "").strip()
    if not reference or len(phone_last4) != 4 or not phone_last4.isdigit():
        return None
    application = Application.objects.select_related("service", "department").filter(reference=reference).first()
    if application is None or not application.phone.endswith(phone_last4):
        return None
    return application


def application_documents(*, application: Application):
    return documents_for_case(obj=application).order_by("created_at")


def application_results(*, application: Application):
    return attachments_for_case(obj=application).filter(purpose="result").order_by("uploaded_at")


# 行政许可法 art. 45: the clerk runs special procedures; art. 42: the department head extends, once.
CLOCK_ACTION_ROLES = {ClockAction.PROCEDURE_START: Role.CLERK, ClockAction.PROCEDURE_END: Role.CLERK,
                      ClockAction.EXTEND: Role.DEPARTMENT_HEAD}


def application_clock_refusal(*, user, application: Application, action: str) -> WorkflowError | None:
    """Why ``user`` may not take the clock ``action`` on ``application`` now (the error to raise), or None when they
    may. The one rule: the services raise it, the admin offers the actions for which it is None."""
    action = ClockAction(action)
    if not actor_has_case_role(user=user, obj=application, roles={CLOCK_ACTION_ROLES[action]}):
        if action == ClockAction.EXTEND:
            return TransitionForbidden(_("Only the department head may extend the time limit."))
        return TransitionForbidden(_("You may not do this on this case."))
    if application.status not in DECIDING:
        if action == ClockAction.EXTEND:
            return ApplicationError(_("Only an application under review can be extended."))
        return ApplicationError(_("A special procedure can only start while the application is under review."))
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    paused = bool(decision is not None and decision.paused_at)
    if action == ClockAction.PROCEDURE_START and paused:
        return ApplicationError(_("A special procedure is already running."))
    if action == ClockAction.PROCEDURE_END and not paused:
        return ApplicationError(_("No special procedure is running."))
    if action == ClockAction.EXTEND and application.extension_used:
        return ApplicationError(_("The time limit of this application was already extended once."))
    return None


def application_clock_actions(*, user, application: Application) -> list[ClockAction]:
    """The clock actions the admin offers ``user`` on this application."""
    return [action for action in ClockAction
            if application_clock_refusal(user=user, application=application, action=action) is None]


# --- the back office's queues: the changelist's filter and the dashboard's count use the same condition ------------

def _open_with_deadline(status):
    return Q(status__in=OPEN_STATUSES, current_deadline__status=status)


def application_queue_conditions() -> dict:
    """Each queue of the clerk's list (``?queue=<name>``) → its label and condition (None: no condition)."""
    from apps.deadlines.constants import DeadlineStatus

    resubmitted = Exists(SupplementRequest.objects.filter(application=OuterRef("pk")))
    return {
        "open": (gettext_lazy("To do"), Q(status__in=OPEN_STATUSES)),
        "to_accept": (gettext_lazy("To accept"), Q(status=Status.SUBMITTED)),
        "resubmitted": (gettext_lazy("Resubmitted, to accept"), Q(status=Status.SUBMITTED) & Q(resubmitted)),
        "due_soon": (gettext_lazy("Due soon"), _open_with_deadline(DeadlineStatus.DUE_SOON)),
        "overdue": (gettext_lazy("Overdue"), _open_with_deadline(DeadlineStatus.OVERDUE)),
        "to_decide": (gettext_lazy("To decide"), Q(status=Status.ACCEPTED)),
        # 承办 → 审核 → 批准: the section head's and the department head's queues.
        "to_review": (gettext_lazy("To review (sign-off)"), Q(status=Status.PROPOSED)),
        "to_approve": (gettext_lazy("To approve (sign-off)"), Q(status=Status.ENDORSED)),
        # 行政许可法 art. 42: the head may extend once; the ones near or past their decision date, not yet extended.
        "extendable": (gettext_lazy("May need an extension"), Q(status__in=DECIDING, extension_used=False,
                                                       current_deadline__status__in=[DeadlineStatus.DUE_SOON,
                                                                                     DeadlineStatus.OVERDUE])),
        "all": (gettext_lazy("All applications"), None),
    }


def application_list_for_staff(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """The applications a staff user works on in the back office: their department's (and those granted to them),
    never drafts. The admin's list and the dashboard's counts both start here."""
    from apps.organizations.selectors import queryset_for_department

    queryset = Application.objects.all() if queryset is None else queryset
    if _window_clerk_only(user):
        # 综合窗口: a window clerk follows the applications they registered, in every department, and nothing else
        # of the centre's (the department's own work is its clerks').
        return queryset.filter(entered_by=user).exclude(status=Status.DRAFT)
    scoped = queryset_for_department(user=user, queryset=queryset, department_field="department",
                                     perm="applications.view_application")
    if _holds_role(user, Role.WINDOW_CLERK):
        # A window clerk who also works for a department keeps what they registered at the window (review finding:
        # the receipt page answered 404).
        scoped = scoped | queryset.filter(entered_by=user)
    return scoped.exclude(status=Status.DRAFT)


def _holds_role(user, role) -> bool:
    from apps.core.dashboard import user_roles

    return str(role) in user_roles(user)


def _window_clerk_only(user) -> bool:
    """A window clerk who holds no role of a handling department (clerk, section head, department head)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    from apps.core.dashboard import user_roles

    roles = user_roles(user)  # read once per request
    return Role.WINDOW_CLERK.value in roles and not roles & {Role.CLERK.value, Role.SECTION_HEAD.value,
                                                             Role.DEPARTMENT_HEAD.value}


def window_clerk_entered(*, application: Application, user) -> bool:
    """The role predicate of ``Role.WINDOW_CLERK`` (transitions.py): the window clerk who registered it."""
    from .constants import Channel

    return application.channel == Channel.WINDOW and application.entered_by_id == user.pk


def rectifications_for_staff(*, user) -> QuerySet:
    """整改 of the user's department: the head's list (RectificationAdmin's scoping)."""
    from apps.organizations.selectors import queryset_for_department

    from .models import Rectification

    return queryset_for_department(user=user, queryset=Rectification.objects.all())


def follow_up_checks_for_staff(*, user):
    """事中事后核查 of the user's department (clerks and heads: the model's view permission)."""
    from apps.organizations.selectors import queryset_for_department

    from .models import FollowUpCheck

    return queryset_for_department(user=user, queryset=FollowUpCheck.objects.all(), department_field="department",
                                   perm="applications.view_followupcheck")
