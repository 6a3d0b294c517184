"""The application's declared transitions (行政许可法): where each may start, who may take it, what it takes and the
effect it runs — referenced directly from services.py. ``transition_perform`` runs them all (ADR 0003)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Consequences, Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import WITHDRAWABLE, Status
from .models import Application

workflow = workflow_register(Application, WorkflowSpec(
    transitions=[
        Transition("submit", {Status.DRAFT}, Status.SUBMITTED, _("Submit"), owner=True,
                   params=services.Declaration, public_label=_("Application submitted"), check=services.check_submit,
                   effect=services.on_submit),
        Transition("accept", {Status.SUBMITTED}, Status.ACCEPTED, _("Accept"), roles={Role.CLERK},
                   public_label=_("Accepted"), effect=services.on_accept,
                   consequences=Consequences(
                       document=_("An acceptance notice stating the date the decision is due."),
                       clock=_("The acceptance clock (5 working days) stops; the decision clock starts now: the "
                               "service's promised limit in working days, never above the legal limit."),
                       told=_("The applicant: an in-site message and an SMS."),
                       seen=_("The applicant's page shows “accepted”, the notice to download and the decision "
                              "date."))),
        Transition("refuse", {Status.SUBMITTED}, Status.REFUSED, _("Refuse to accept"), roles={Role.CLERK},
                   params=Reason, requires=("reason",), public_label=_("Not accepted"), effect=services.on_refuse,
                   consequences=Consequences(
                       document=_("A refusal notice with your reasons and the ways to appeal "
                                  "(reconsideration within 60 days, a lawsuit within 6 months)."),
                       clock=_("The acceptance clock stops; the application is closed."),
                       told=_("The applicant: an in-site message and an SMS with the reasons."),
                       seen=_("The applicant's page shows “not accepted”, your reasons and the notice."))),
        Transition("request_supplement", {Status.SUBMITTED}, Status.SUPPLEMENT_REQUESTED,
                   _("Request supplementation"), roles={Role.CLERK}, params=services.Supplement, requires=("items",),
                   public_label=_("Supplementation requested (all items at once)"),
                   effect=services.on_request_supplement,
                   consequences=Consequences(
                       document=_("A supplement notice listing every material you tick, with your note "
                                  "on each — all at once (Administrative Licensing Law art. 32)."),
                       clock=_("The acceptance clock pauses until the applicant resubmits; it then starts again "
                               "with 5 working days."),
                       told=_("The applicant: an in-site message and an SMS listing the materials."),
                       seen=_("The applicant's page shows “supplementation requested”, the notice, and an upload "
                              "for each listed material."))),
        Transition("resubmit", {Status.SUPPLEMENT_REQUESTED}, Status.SUBMITTED, _("Resubmit"), owner=True,
                   public_label=_("Supplemented and resubmitted"), check=services.check_resubmit,
                   effect=services.on_resubmit),
        Transition("approve", {Status.ACCEPTED}, Status.APPROVED, _("Approve"), roles={Role.CLERK},
                   public_label=_("Approved"), effect=services.on_approve,
                   consequences=Consequences(
                       document=_("A decision to grant."),
                       clock=_("The decision clock stops."),
                       told=_("The applicant: an in-site message and an SMS."),
                       seen=_("The applicant's page shows “approved” and the decision to download; completing it is "
                              "the next step."))),
        Transition("deny", {Status.ACCEPTED}, Status.DENIED, _("Deny"), roles={Role.CLERK},
                   params=Reason, requires=("reason",), public_label=_("Denied"), effect=services.on_deny,
                   consequences=Consequences(
                       document=_("A decision to deny with your reasons and the ways to appeal."),
                       clock=_("The decision clock stops."),
                       told=_("The applicant: an in-site message and an SMS."),
                       seen=_("The applicant's page shows “denied”, your reasons and the decision."))),
        Transition("complete", {Status.APPROVED, Status.DENIED}, Status.COMPLETED, _("Complete"),
                   roles={Role.CLERK}, params=services.Completion, public_label=_("Completed and closed"),
                   effect=services.on_complete,
                   consequences=Consequences(
                       document=_("No notice is issued; the result file you attach (licence, certificate) is offered "
                                  "to the applicant for download."),
                       clock=_("No clock runs any more."),
                       told=_("The applicant: an in-site message asking them to rate the service."),
                       seen=_("The applicant's page shows “completed”, the result file and the rating form."))),
        Transition("withdraw", set(WITHDRAWABLE), Status.WITHDRAWN, _("Withdraw"), owner=True,
                   public_label=_("Withdrawn by the applicant"), effect=services.on_withdraw),
    ],
    view_perm="applications.view_application",
    label_related=("service",),
    # A calendar entry moved the decision date stated on the acceptance notice: the new date in writing.
    deadline_moved=services.on_deadline_moved,
))
