"""The grid case's declared transitions: the national digital city-management loop (上报 → 立案 → 派遣 → 处置 → 核查 →
结案 → 评价). ``transition_perform`` runs them all, whoever clicks (ADR 0003); 立案 dispatches by itself when the
routing rules (else the category) name a department (services.on_register, services.dispatch_route)."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workflow.spec import Consequences, Escalation, Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import CITY_COMMAND_CENTER, COMMAND_CENTERS, OPEN_STATUSES, EscalationLevel, Status
from .models import GridCase, GridMember


def _is_grid_member(user, case) -> bool:
    """A member of the case's grid; for a case placed in a community without a grid (services.case_place), the grid
    staff of that community's or its street's office (the role itself is checked by the caller)."""
    if case.grid_id is not None:
        return GridMember.objects.filter(grid_id=case.grid_id, user=user).exists()
    units = {case.community_id, case.street_id} - {None}
    return bool(units) and user.department_id is not None and Department.objects.filter(
        pk=user.department_id, admin_unit_id__in=units).exists()


def _grid_member_visibility(user):
    """Grid members see the cases of their own grids (a subquery: no join that would repeat rows), and the grid staff
    of a community's or street's office the cases placed there without a grid."""
    visible = Q(grid_id__in=GridMember.objects.filter(user=user).values("grid_id"))
    if user.department_id is None:
        return visible
    if user.groups.filter(name=Role.GRID_MEMBER).exists():
        unit = Department.objects.filter(pk=user.department_id).values("admin_unit_id")
        visible |= Q(grid__isnull=True) & (Q(community_id__in=unit) | Q(street_id__in=unit))
    # The escalation ladder's command centres see the open cases escalated to them: a district's, its district's
    # from the second rung; the city's, every district's from the third.
    code, unit_id = (Department.objects.filter(pk=user.department_id).values_list("code", "admin_unit_id").first()
                     or ("", None))
    if code == CITY_COMMAND_CENTER:
        # A case placed nowhere has no district centre: the city's is told from the district rung (services.
        # cases_escalated) and sees it from there (review finding).
        visible |= Q(status__in=OPEN_STATUSES, escalation_level__gte=EscalationLevel.CITY) | Q(
            status__in=OPEN_STATUSES, district__isnull=True, escalation_level__gte=EscalationLevel.DISTRICT)
    elif code in COMMAND_CENTERS.values():
        visible |= Q(status__in=OPEN_STATUSES, district_id=unit_id, escalation_level__gte=EscalationLevel.DISTRICT)
    return visible


workflow = workflow_register(GridCase, WorkflowSpec(
    transitions=[
        Transition("register", {Status.REPORTED}, Status.REGISTERED, _("Register the case"), roles={Role.DISPATCHER},
                   params=services.Registration, public_label=_("Registered"), check=services.check_register,
                   effect=services.on_register,
                   consequences=Consequences(
                       clock=_("The registration clock stops and the dispatch clock starts (the category's limit "
                               "for the urgency). When the routing rules (else the category) name a department, the "
                               "case is dispatched at once and the handling clock starts."),
                       told=_("When dispatched: the handling department's handlers, by an in-site message."),
                       seen=_("The reporter's case page shows “registered” (and “dispatched”)."))),
        # ADR 0010: a report the learned model places in a category above settings.GRID_AUTO_DISPATCH_CONFIDENCE,
        # whose routing finds a department, is registered and dispatched by the report itself — no button.
        Transition("register_auto", {Status.REPORTED}, Status.REGISTERED, _("Register automatically"),
                   roles={Role.DISPATCHER}, params=services.Registration, internal=True,
                   run_by={"grid.gridcase.report"}, public_label=_("Registered"), check=services.check_register,
                   effect=services.on_register_auto),
        Transition("dispatch_auto", {Status.REGISTERED}, Status.DISPATCHED, _("Dispatch automatically"),
                   roles={Role.DISPATCHER}, params=services.Dispatch, internal=True,
                   run_by={"grid.gridcase.register_auto"}, public_label=_("Dispatched to the responsible department"),
                   check=services.check_dispatch, effect=services.on_dispatch),
        Transition("reject", {Status.REPORTED}, Status.NOT_REGISTERED, _("Do not register"),
                   roles={Role.DISPATCHER}, params=Reason, requires=("reason",), public_label=_("Not registered"),
                   effect=services.on_close,
                   consequences=Consequences(
                       clock=_("The registration clock stops; the case is closed."),
                       told=_("No message is sent."),
                       seen=_("The reporter's case page shows “not registered” with your reasons."))),
        Transition("dispatch", {Status.REGISTERED, Status.RETURNED}, Status.DISPATCHED, _("Dispatch"),
                   roles={Role.DISPATCHER}, params=services.Dispatch,
                   public_label=_("Dispatched to the responsible department"), check=services.check_dispatch,
                   effect=services.on_dispatch,
                   consequences=Consequences(
                       clock=_("The dispatch clock stops; the handling clock starts (the category's limit for the "
                               "urgency)."),
                       told=_("The handlers of the department named below, by an in-site message."),
                       seen=_("The reporter's case page shows “dispatched to the responsible department”."))),
        Transition("return", {Status.DISPATCHED}, Status.RETURNED, _("Return to the dispatcher"),
                   roles={Role.HANDLER}, params=Reason, requires=("reason",), public_label=_("Returned for re-dispatch"),
                   effect=services.on_return, opinion_label=_("Reasons for the dispatch centre (also shown to "
                                                               "the reporter)"),
                   consequences=Consequences(
                       clock=_("The handling clock stops; the dispatch clock starts again."),
                       told=_("The dispatch centre's dispatchers, by an in-site message with your reasons."),
                       seen=_("The reporter's case page shows “returned for re-dispatch” with your reasons."))),
        # Review finding (issue 17): a case dispatched to a department nobody handles (no handler on duty, a street
        # office without one) is not a dead end — the dispatch centre takes it back and dispatches it again.
        Transition("recall", {Status.DISPATCHED}, Status.RETURNED, _("Take back for re-dispatch"),
                   roles={Role.DISPATCHER}, params=Reason, requires=("reason",),
                   public_label=_("Taken back for re-dispatch"), effect=services.on_recall,
                   opinion_label=_("Why the case is taken back (for the department; also shown to the reporter)"),
                   consequences=Consequences(
                       clock=_("The handling clock stops; the dispatch clock starts again."),
                       told=_("The handlers of the department it was dispatched to, by an in-site message."),
                       seen=_("The reporter's case page shows “taken back for re-dispatch” with your reasons."))),
        Transition("handle", {Status.DISPATCHED}, Status.HANDLED, _("Report the result"), roles={Role.HANDLER},
                   params=services.Handling, requires=("result",), public_label=_("Handled"),
                   effect=services.on_handle,
                   consequences=Consequences(
                       clock=_("The handling clock stops; the verification clock starts."),
                       told=_("The grid members of the case's grid, by an in-site message with your result."),
                       seen=_("The reporter's case page shows “handled”; a grid member checks it on site."))),
        Transition("verify_fixed", {Status.HANDLED}, Status.CLOSED, _("Verified: fixed"),
                   roles={Role.GRID_MEMBER}, public_label=_("Verified on site and closed"), effect=services.on_close,
                   consequences=Consequences(
                       clock=_("The verification clock stops; the case is closed."),
                       told=_("No message is sent."),
                       seen=_("The reporter's case page shows “verified and closed” and asks for a rating."))),
        Transition("verify_not_fixed", {Status.HANDLED}, Status.DISPATCHED, _("Verified: not fixed"),
                   roles={Role.GRID_MEMBER}, params=Reason, requires=("reason",),
                   public_label=_("Not fixed: handled again"), effect=services.on_reopen,
                   opinion_label=_("What is not fixed (for the handlers; also shown to the reporter)"),
                   consequences=Consequences(
                       clock=_("The verification clock stops; the handling clock starts again. The case counts one "
                               "more reopening."),
                       told=_("No message is sent: the case returns to the handling department's queue."),
                       seen=_("The reporter's case page shows “not fixed: handled again” with your words."))),
        # A case no one can check on site (a policy question, a request answered by telephone): the dispatch centre
        # closes it with the answer, and the reporter is still asked to rate it (issue 17).
        Transition("close_unverifiable", {Status.REGISTERED, Status.RETURNED, Status.HANDLED}, Status.CLOSED,
                   _("Close without an on-site check"), roles={Role.DISPATCHER}, params=Reason, requires=("reason",),
                   public_label=_("Answered and closed (no on-site check)"), effect=services.on_close,
                   opinion_label=_("The answer and why no on-site check is possible (shown to the reporter)"),
                   consequences=Consequences(
                       clock=_("The running clock stops; the case is closed."),
                       told=_("No message is sent."),
                       seen=_("The reporter's case page shows your answer and asks for a rating; a dissatisfied "
                              "rating reopens the case once."))),
        # Only the reporter may reopen, and only through their dissatisfied rating (services.case_rate); staff have
        # no such button (the owner is never staff of the admin).
        Transition("reopen", {Status.CLOSED}, Status.DISPATCHED, _("Reopen after a dissatisfied rating"),
                   owner=True, public_label=_("Reopened after the reporter's rating"),
                   effect=services.on_reopen),
        # The same for a caller without an account, who rates on the lookup page with the number and their phone
        # (services.case_rate_by_phone checks them and runs this step).
        Transition("reopen_by_phone", {Status.CLOSED}, Status.DISPATCHED, _("Reopen after a dissatisfied rating"),
                   internal=True, run_by={"grid.gridcase.rate_by_phone"},
                   public_label=_("Reopened after the reporter's rating"), effect=services.on_reopen),
    ],
    owner_field="reporter",
    department_field="department",
    role_department_fields={Role.DISPATCHER: "dispatch_center", Role.HANDLER: "department"},
    role_predicates={Role.GRID_MEMBER: _is_grid_member},
    staff_visibility=_grid_member_visibility,
    # There is no applicant: the comment is on the reporter's case page (or nobody's, for an anonymous report).
    opinion_label=_("Note to the reporter (shown on their case page)"),
    reason_label=_("Reasons (shown to the reporter)"),
    # Overdue → the department head (the sweep's message) and the dispatch centre; later the district's command
    # centre, then the city's (constants.COMMAND_CENTERS, settings.GRID_ESCALATION_HOURS).
    escalation=Escalation(delays=services.escalation_delays, escalated=services.cases_escalated),
))
