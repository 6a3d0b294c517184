"""The application's declared transitions (行政许可法): where each may start, who may take it, what it takes and the
effect it runs — referenced directly from services.py. ``transition_perform`` runs them all (ADR 0003)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import WITHDRAWABLE, Status
from .models import Application

workflow = workflow_register(Application, WorkflowSpec(
    transitions=[
        Transition("submit", {Status.DRAFT}, Status.SUBMITTED, _("Submit"), owner=True,
                   params=services.Declaration, public_label=_("Application submitted"), check=services.check_submit,
                   effect=services.on_submit),
        Transition("accept", {Status.SUBMITTED}, Status.ACCEPTED, _("Accept"), roles={Role.CLERK},
                   public_label=_("Accepted"), effect=services.on_accept),
        Transition("refuse", {Status.SUBMITTED}, Status.REFUSED, _("Refuse to accept"), roles={Role.CLERK},
                   params=Reason, requires=("reason",), public_label=_("Not accepted"), effect=services.on_refuse),
        Transition("request_supplement", {Status.SUBMITTED}, Status.SUPPLEMENT_REQUESTED,
                   _("Request supplementation"), roles={Role.CLERK}, params=services.Supplement, requires=("items",),
                   public_label=_("Supplementation requested (all items at once)"),
                   effect=services.on_request_supplement),
        Transition("resubmit", {Status.SUPPLEMENT_REQUESTED}, Status.SUBMITTED, _("Resubmit"), owner=True,
                   public_label=_("Supplemented and resubmitted"), check=services.check_resubmit,
                   effect=services.on_resubmit),
        Transition("approve", {Status.ACCEPTED}, Status.APPROVED, _("Approve"), roles={Role.CLERK},
                   public_label=_("Approved"), effect=services.on_approve),
        Transition("deny", {Status.ACCEPTED}, Status.DENIED, _("Deny"), roles={Role.CLERK},
                   params=Reason, requires=("reason",), public_label=_("Denied"), effect=services.on_deny),
        Transition("complete", {Status.APPROVED, Status.DENIED}, Status.COMPLETED, _("Complete"),
                   roles={Role.CLERK}, params=services.Completion, public_label=_("Completed and closed"),
                   effect=services.on_complete),
        Transition("withdraw", set(WITHDRAWABLE), Status.WITHDRAWN, _("Withdraw"), owner=True,
                   public_label=_("Withdrawn by the applicant"), effect=services.on_withdraw),
    ],
    view_perm="applications.view_application",
    label_related=("service",),
    # A calendar entry moved the decision date stated on the acceptance notice: the new date in writing.
    deadline_moved=services.on_deadline_moved,
))
