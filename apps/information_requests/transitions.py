"""The request for information's declared transitions (政府信息公开条例 arts. 29–36). ``transition_perform`` runs
them, whoever acts (ADR 0003)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Consequences, Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import OPEN_STATUSES, WITHDRAWABLE, Status
from .models import InformationRequest

OFFICER = {Role.DISCLOSURE_OFFICER}

workflow = workflow_register(InformationRequest, WorkflowSpec(
    transitions=[
        Transition("submit", {Status.DRAFT}, Status.RECEIVED, _("Submit"), owner=True,
                   public_label=_("Request received"), check=services.check_submit, effect=services.on_submit),
        Transition("request_supplement", {Status.RECEIVED}, Status.SUPPLEMENT_REQUESTED,
                   _("Ask for clarification"), roles=OFFICER, params=services.SupplementRequest, requires=("items",),
                   public_label=_("Clarification requested (once, all of it)"),
                   check=services.check_request_supplement, effect=services.on_request_supplement,
                   consequences=Consequences(
                       document=_("A clarification notice (补正申请告知书) listing what you write here."),
                       clock=_("The answer clock pauses; when the requester clarifies, 20 working days count again "
                               "from that day (art. 30). Clarification is asked once only."),
                       told=_("The requester: an in-site message and an SMS."),
                       seen=_("The requester's page shows what to clarify and a form to send it."))),
        Transition("record", {Status.DRAFT}, Status.RECEIVED, _("Record a request received"), roles=OFFICER,
                   params=services.Recorded, public_label=_("Request received"),
                   check=services.check_record, effect=services.on_record,
                   consequences=Consequences(
                       document=_("A receipt (政府信息公开申请登记回执) to hand over or post."),
                       clock=_("20 working days from the day it was received (art. 31), even if recorded later."))),
        # The requester clarifies online; a clarification by letter or in person is recorded by the office.
        Transition("supplement", {Status.SUPPLEMENT_REQUESTED}, Status.RECEIVED, _("Send the clarification"),
                   owner=True, roles=OFFICER, params=services.Supplemented,
                   public_label=_("Clarified: the limit counts again"),
                   check=services.check_supplement, effect=services.on_supplement,
                   consequences=Consequences(
                       clock=_("The 20 working days count again from today (art. 30)."),
                       seen=_("For a clarification received by letter or in person: the requester's page (if any) "
                              "shows it as clarified."))),
        Transition("abandon", {Status.SUPPLEMENT_REQUESTED}, Status.ABANDONED,
                   _("Close: no clarification received"), roles=OFFICER, params=Reason, requires=("reason",),
                   public_label=_("Closed: regarded as abandoned (art. 30)"), check=services.check_abandon,
                   effect=services.on_abandon,
                   consequences=Consequences(
                       clock=_("The answer clock is cancelled."),
                       told=_("The requester: an in-site message with your reasons."),
                       seen=_("The request shows as closed, regarded as abandoned."))),
        Transition("consult", {Status.RECEIVED}, Status.CONSULTING, _("Ask a third party's opinion"),
                   roles=OFFICER, params=services.Consultation, requires=("third_party",),
                   public_label=_("Third party consulted: the time does not count"), effect=services.on_consult,
                   opinion_label=_("Why the opinion is asked (shown to the requester)"),
                   consequences=Consequences(
                       clock=_("The answer clock pauses until you record the opinion received (arts. 32–33: the "
                               "third party answers within 15 working days; that time does not count)."),
                       seen=_("The requester's page shows that a third party is consulted."))),
        Transition("consulted", {Status.CONSULTING}, Status.RECEIVED, _("Opinion received"), roles=OFFICER,
                   public_label=_("Third party's opinion received"), effect=services.on_consulted,
                   consequences=Consequences(clock=_("The answer clock runs again where it stopped."))),
        Transition("extend", {Status.RECEIVED}, Status.RECEIVED, _("Extend the limit (once)"),
                   roles={Role.DEPARTMENT_HEAD}, params=services.Extension, requires=("reason",),
                   public_label=_("Answer date extended"), check=services.check_extend, effect=services.on_extend,
                   consequences=Consequences(
                       document=_("An extension notice (延期答复告知书) with the new date and your reason."),
                       clock=_("The answer clock is extended once, by the working days you enter (at most 20)."),
                       told=_("The requester: an in-site message and an SMS with the new date."),
                       seen=_("The requester's page shows the new date and the notice."))),
        Transition("answer", {Status.RECEIVED}, Status.ANSWERED, _("Answer"), roles=OFFICER,
                   params=services.Answer, requires=("kind", "text"), public_label=_("Answered"),
                   effect=services.on_answer, opinion_label="",
                   consequences=Consequences(
                       document=_("The answer letter (政府信息公开申请答复书): your answer, its legal basis for the "
                                  "form chosen, and the requester's rights of review (art. 51)."),
                       clock=_("The answer clock stops (met or late)."),
                       told=_("The requester: an in-site message and an SMS."),
                       seen=_("The requester's page shows the answer, the letter and the file given, if any."))),
        Transition("withdraw", set(WITHDRAWABLE), Status.WITHDRAWN, _("Withdraw"), owner=True,
                   public_label=_("Withdrawn by the requester"), effect=services.on_withdraw),
    ],
    owner_field="requester",
    opinion_label=_("Comment to the requester"),
    reason_label=_("Reasons (shown to the requester)"),
    view_perm="information_requests.view_informationrequest",
))

__all__ = ["workflow", "OPEN_STATUSES"]
