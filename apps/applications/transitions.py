"""The application's declared transitions (行政许可法): where each may start, who may take it, what it takes and the
effect it runs — referenced directly from services.py. ``transition_perform`` runs them all (ADR 0003)."""
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Consequences, Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import WITHDRAWABLE, CheckStatus, Status
from .models import Application, FollowUpCheck
from .selectors import window_clerk_entered

workflow = workflow_register(Application, WorkflowSpec(
    transitions=[
        # 综合窗口: the window clerk who registered a walk-in person's application submits it for them (the role's
        # predicate below: only the one who entered it).
        Transition("submit", {Status.DRAFT}, Status.SUBMITTED, _("Submit"), owner=True, roles={Role.WINDOW_CLERK},
                   params=services.Declaration, public_label=_("Application submitted"), check=services.check_submit,
                   effect=services.on_submit,
                   consequences=Consequences(
                       document=_("A receipt with the reference, to print and hand to the person."),
                       clock=_("The acceptance clock starts: the department decides within 5 working days whether "
                               "to accept it."),
                       told=_("The handling department's clerks (in-site message); the applicant and any agent "
                              "(in-site message and e-mail)."),
                       seen=_("The applicant's page shows “submitted” and the receipt, once they claim their "
                              "account."))),
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
        # 承办 → 审核 → 批准 (issue 16): the item's ``signoff`` says which steps its decision passes and who signs it;
        # ``allowed`` (services.signoff_allows) gives each step to its role only, and never to the proposer.
        Transition("propose", {Status.ACCEPTED}, Status.PROPOSED, _("Propose the decision"), roles={Role.CLERK},
                   params=services.Proposal, allowed=services.signoff_allows, opinion_label="",
                   public_label=_("Under review: the decision is being signed off"), check=services.check_proposal,
                   effect=services.on_propose,
                   consequences=Consequences(
                       clock=_("The decision clock keeps running."),
                       told=_("The section head, who reviews your proposal before the department head approves it."),
                       seen=_("The applicant's page shows that the decision is being signed off; your opinion is "
                              "not shown to them."))),
        Transition("propose_to_head", {Status.ACCEPTED}, Status.ENDORSED, _("Propose the decision"),
                   roles={Role.CLERK}, params=services.Proposal, allowed=services.signoff_allows, opinion_label="",
                   public_label=_("Under review: the decision is being signed off"), check=services.check_proposal,
                   effect=services.on_propose,
                   consequences=Consequences(
                       clock=_("The decision clock keeps running."),
                       told=_("The department head, who approves the decision."),
                       seen=_("The applicant's page shows that the decision is being signed off; your opinion is "
                              "not shown to them."))),
        Transition("endorse", {Status.PROPOSED}, Status.ENDORSED, _("Review: agree"), roles={Role.SECTION_HEAD},
                   params=services.ReviewOpinion, allowed=services.signoff_allows, opinion_label="",
                   public_label=_("Under review: the decision is being signed off"), effect=services.on_endorse,
                   consequences=Consequences(
                       clock=_("The decision clock keeps running."),
                       told=_("The department head, who approves the decision."),
                       seen=_("Nothing new for the applicant: the decision is still being signed off."))),
        Transition("send_back", {Status.PROPOSED, Status.ENDORSED}, Status.ACCEPTED, _("Send back to the clerk"),
                   roles={Role.SECTION_HEAD, Role.DEPARTMENT_HEAD}, params=services.SendBack, requires=("reason",),
                   allowed=services.signoff_allows, opinion_label="", public_label=_("Under review"),
                   effect=services.on_send_back,
                   consequences=Consequences(
                       clock=_("The decision clock keeps running: the clerk proposes again within it."),
                       told=_("The clerk who proposed it, with your reasons."),
                       seen=_("Nothing new for the applicant: the application is still under review."))),
        Transition("approve", {Status.ACCEPTED, Status.ENDORSED}, Status.APPROVED, _("Approve"),
                   roles={Role.CLERK, Role.DEPARTMENT_HEAD}, allowed=services.signoff_allows,
                   public_label=_("Approved"), effect=services.on_approve,
                   consequences=Consequences(
                       document=_("A decision to grant, naming who handled, reviewed and approved it."),
                       clock=_("The decision clock stops."),
                       told=_("The applicant: an in-site message and an SMS."),
                       seen=_("The applicant's page shows “approved” and the decision to download; completing it is "
                              "the next step."))),
        Transition("deny", {Status.ACCEPTED, Status.ENDORSED}, Status.DENIED, _("Deny"),
                   roles={Role.CLERK, Role.DEPARTMENT_HEAD}, allowed=services.signoff_allows,
                   params=Reason, requires=("reason",), public_label=_("Denied"), effect=services.on_deny,
                   consequences=Consequences(
                       document=_("A decision to deny with your reasons and the ways to appeal, naming who handled, "
                                  "reviewed and approved it."),
                       clock=_("The decision clock stops."),
                       told=_("The applicant: an in-site message and an SMS."),
                       seen=_("The applicant's page shows “denied”, your reasons and the decision."))),
        Transition("complete", {Status.APPROVED, Status.DENIED}, Status.COMPLETED, _("Complete"),
                   roles={Role.CLERK}, params=services.Completion, public_label=_("Completed and closed"),
                   check=services.check_complete, effect=services.on_complete,
                   consequences=Consequences(
                       document=_("The result: an item that issues an electronic licence issues it now; for any other "
                                  "granted item attach the result file (certificate, approval) — it cannot be "
                                  "completed without it. A denial's result is its decision."),
                       clock=_("No clock runs any more."),
                       told=_("The applicant: an in-site message asking them to rate the service."),
                       seen=_("The applicant's page shows “completed”, the result file and the rating form."))),
        Transition("withdraw", set(WITHDRAWABLE), Status.WITHDRAWN, _("Withdraw"), owner=True,
                   public_label=_("Withdrawn by the applicant"), effect=services.on_withdraw),
        # 告知承诺制 当场办结: run by the submission of a signed commitment for an item decided on the spot.
        Transition("decide_on_the_spot", {Status.SUBMITTED}, Status.COMPLETED, _("Grant on the spot"),
                   roles={Role.CLERK}, internal=True, run_by={"applications.application.submit"},
                   public_label=_("Granted on the spot under the commitment"), effect=services.on_decide_on_the_spot),
        # A follow-up check found the commitment false (FollowUpCheck find_false): the decision is revoked.
        Transition("revoke_commitment", {Status.APPROVED, Status.COMPLETED}, Status.REVOKED,
                   _("Revoke (false commitment)"), roles={Role.CLERK, Role.DEPARTMENT_HEAD}, params=Reason,
                   requires=("reason",), internal=True, run_by={"applications.followupcheck.find_false"},
                   public_label=_("Revoked: the commitment was found false"), effect=services.on_revoke_commitment),
        # --- 一件事一次办 (apps/bundles, docs/adr/0007-bundles.md) ---------------------------------------------------
        # An item that needs another item's result waits for it; it is not yet with its department (no reference).
        Transition("hold", {Status.DRAFT}, Status.WAITING, _("Wait for another item of the bundle"),
                   internal=True, run_by={"bundles.bundleapplication.submit"},
                   public_label=_("Waiting for another item of the bundle")),
        # The item it needed was granted: submitted now, as if the applicant had clicked (reference, receipt, the
        # acceptance clock); the licence just issued fills the material (免提交).
        Transition("release", {Status.WAITING}, Status.SUBMITTED, _("Submit (the item it needed was granted)"),
                   internal=True, run_by={"applications.application.complete"},
                   public_label=_("Application submitted: the item it needed was granted"),
                   effect=services.on_bundle_release),
        Transition("cancel", {Status.WAITING}, Status.CANCELLED, _("Not pursued"), params=Reason,
                   requires=("reason",), internal=True,
                   run_by={f"applications.application.{name}" for name in ("refuse", "deny", "withdraw", "complete",
                                                                           "cancel")},
                   public_label=_("Not pursued: an item it needed was not granted"),
                   effect=services.on_bundle_cancel),
    ],
    view_perm="applications.view_application",
    co_owner_fields=("agent",),
    role_predicates={Role.WINDOW_CLERK: lambda user, obj: window_clerk_entered(application=obj, user=user)},
    parents=services.bundle_parents,
    label_related=("service",),
    # A calendar entry moved the decision date stated on the acceptance notice: the new date in writing.
    deadline_moved=services.on_deadline_moved,
))


def _check_parents(check):
    """The application before its check (ADR 0003): the check's finding revokes the application — and the
    application's bundle before it, as every step on the application locks it (services.bundle_parents)."""
    from apps.bundles.models import BundleApplication

    bundle_id = Application.objects.filter(pk=check.application_id).values_list("bundle_id", flat=True).first()
    return [(BundleApplication, bundle_id), (Application, check.application_id)]


check_workflow = workflow_register(FollowUpCheck, WorkflowSpec(
    transitions=[
        Transition("confirm", {CheckStatus.OPEN}, CheckStatus.CONFIRMED, _("Confirmed true"),
                   roles={Role.CLERK, Role.DEPARTMENT_HEAD}, public_label=_("Commitment confirmed"),
                   effect=services.on_check_confirmed, opinion_label=_("What was checked (kept on the record)"),
                   consequences=Consequences(clock=_("The check's clock stops."),
                                             seen=_("Nothing changes for the applicant: the decision stands."))),
        Transition("find_false", {CheckStatus.OPEN}, CheckStatus.FALSE, _("Found false"),
                   roles={Role.CLERK, Role.DEPARTMENT_HEAD}, params=Reason, requires=("reason",),
                   public_label=_("Commitment found false"), effect=services.on_check_false,
                   consequences=Consequences(
                       document=_("A revocation decision (撤销行政许可决定书) with your finding and the applicant's "
                                  "rights of appeal."),
                       clock=_("The check's clock stops."),
                       told=_("The applicant: an in-site message and an SMS."),
                       seen=_("The decision is revoked, with any licence issued on it (the verification page says "
                              "so); a dishonesty record is kept, which also takes an enterprise off the honor "
                              "showcase."))),
    ],
    owner_field="no_owner",  # the applicant follows the application, not the check
    view_perm="applications.view_followupcheck",
    parents=_check_parents,
    label_related=("application__service",),
    opinion_label=_("Note for the record"),
    reason_label=_("What the check found (told to the applicant)"),
))
