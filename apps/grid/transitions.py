"""The grid case's declared transitions: the national digital city-management loop (上报 → 立案 → 派遣 → 处置 → 核查 →
结案 → 评价). ``transition_perform`` runs them all, whoever clicks (ADR 0003); 立案 dispatches by itself when the
category names its department (services.on_register)."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import Status
from .models import GridCase, GridMember


def _is_grid_member(user, case) -> bool:
    return case.grid_id is not None and GridMember.objects.filter(grid_id=case.grid_id, user=user).exists()


def _grid_member_visibility(user):
    """Grid members see the cases of their own grids (a subquery: no join that would repeat rows)."""
    return Q(grid_id__in=GridMember.objects.filter(user=user).values("grid_id"))


workflow = workflow_register(GridCase, WorkflowSpec(
    transitions=[
        Transition("register", {Status.REPORTED}, Status.REGISTERED, _("Register the case"), roles={Role.DISPATCHER},
                   params=services.Registration, public_label=_("Registered"), check=services.check_register,
                   effect=services.on_register),
        Transition("reject", {Status.REPORTED}, Status.NOT_REGISTERED, _("Do not register"),
                   roles={Role.DISPATCHER}, params=Reason, requires=("reason",), public_label=_("Not registered"),
                   effect=services.on_close),
        Transition("dispatch", {Status.REGISTERED, Status.RETURNED}, Status.DISPATCHED, _("Dispatch"),
                   roles={Role.DISPATCHER}, params=services.Dispatch,
                   public_label=_("Dispatched to the responsible department"), check=services.check_dispatch,
                   effect=services.on_dispatch),
        Transition("return", {Status.DISPATCHED}, Status.RETURNED, _("Return to the dispatcher"),
                   roles={Role.HANDLER}, params=Reason, requires=("reason",), public_label=_("Returned for re-dispatch"),
                   effect=services.on_return),
        Transition("handle", {Status.DISPATCHED}, Status.HANDLED, _("Report the result"), roles={Role.HANDLER},
                   params=services.Handling, requires=("result",), public_label=_("Handled"),
                   effect=services.on_handle),
        Transition("verify_fixed", {Status.HANDLED}, Status.CLOSED, _("Verified: fixed"),
                   roles={Role.GRID_MEMBER}, public_label=_("Verified on site and closed"), effect=services.on_close),
        Transition("verify_not_fixed", {Status.HANDLED}, Status.DISPATCHED, _("Verified: not fixed"),
                   roles={Role.GRID_MEMBER}, params=Reason, requires=("reason",),
                   public_label=_("Not fixed: handled again"), effect=services.on_reopen),
        # Only the reporter may reopen, and only through their dissatisfied rating (services.case_rate); staff have
        # no such button (the owner is never staff of the admin).
        Transition("reopen", {Status.CLOSED}, Status.DISPATCHED, _("Reopen after a dissatisfied rating"),
                   owner=True, public_label=_("Reopened after the reporter's rating"),
                   effect=services.on_reopen),
    ],
    owner_field="reporter",
    department_field="department",
    role_department_fields={Role.DISPATCHER: "dispatch_center", Role.HANDLER: "department"},
    role_predicates={Role.GRID_MEMBER: _is_grid_member},
    staff_visibility=_grid_member_visibility,
))
