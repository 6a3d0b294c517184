"""The request for information's declared transitions (政府信息公开条例 arts. 29–36). ``transition_perform`` runs
them, whoever acts (ADR 0003)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import OPEN_STATUSES, WITHDRAWABLE, Status
from .models import InformationRequest

OFFICER = {Role.DISCLOSURE_OFFICER}

workflow = workflow_register(InformationRequest, WorkflowSpec(
    transitions=[
        Transition("submit", {Status.DRAFT}, Status.RECEIVED, _("Submit"), owner=True,
                   public_label=_("Request received"), check=services.check_submit, effect=services.on_submit),
        Transition("request_clarification", {Status.RECEIVED}, Status.SUPPLEMENT_REQUESTED,
                   _("Ask for clarification"), roles=OFFICER, params=services.Clarification, requires=("items",),
                   public_label=_("Clarification requested (once, all of it)"),
                   check=services.check_request_clarification, effect=services.on_request_clarification),
        Transition("clarify", {Status.SUPPLEMENT_REQUESTED}, Status.RECEIVED, _("Send the clarification"),
                   owner=True, params=services.Clarified, public_label=_("Clarified: the limit counts again"),
                   check=services.check_clarify, effect=services.on_clarify),
        Transition("abandon", {Status.SUPPLEMENT_REQUESTED}, Status.ABANDONED,
                   _("Close: no clarification received"), roles=OFFICER, params=Reason, requires=("reason",),
                   public_label=_("Closed: regarded as abandoned (art. 30)"), effect=services.on_abandon),
        Transition("consult", {Status.RECEIVED}, Status.CONSULTING, _("Ask a third party's opinion"),
                   roles=OFFICER, params=services.Consultation, requires=("third_party",),
                   public_label=_("Third party consulted: the time does not count"), effect=services.on_consult),
        Transition("consulted", {Status.CONSULTING}, Status.RECEIVED, _("Opinion received"), roles=OFFICER,
                   public_label=_("Third party's opinion received"), effect=services.on_consulted),
        Transition("extend", {Status.RECEIVED}, Status.RECEIVED, _("Extend the limit (once)"),
                   roles={Role.DEPARTMENT_HEAD}, params=services.Extension, requires=("reason",),
                   public_label=_("Answer date extended"), check=services.check_extend, effect=services.on_extend),
        Transition("answer", {Status.RECEIVED}, Status.ANSWERED, _("Answer"), roles=OFFICER,
                   params=services.Answer, requires=("kind", "text"), public_label=_("Answered"),
                   effect=services.on_answer),
        Transition("withdraw", set(WITHDRAWABLE), Status.WITHDRAWN, _("Withdraw"), owner=True,
                   public_label=_("Withdrawn by the requester"), effect=services.on_withdraw),
    ],
    owner_field="requester",
    view_perm="information_requests.view_informationrequest",
))

__all__ = ["workflow", "OPEN_STATUSES"]
