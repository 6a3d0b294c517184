"""The declared transitions of the honor showcase (seed 000 工作流程): the showcase (published, revoked), the
enterprise's application (submitted → departments' review → acceptance → published) and each department's review.
``transition_perform`` runs them all (ADR 0003).

Lock order, parent before child: showcase → application → review. ``parents`` makes the engine take them in that
order before the row it changes, whichever door a change comes through.
"""
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.organizations.constants import Role
from apps.workflow.spec import Consequences, Reason, Transition, WorkflowSpec, workflow_register

from . import services
from .constants import OPEN_STATUSES, STOPPABLE, ReviewStatus, ShowcaseStatus, Status
from .models import DepartmentReview, HonorApplication, Showcase

# The opinions whose effect may end a review round (services.on_review_decided).
ROUND_ENDS = {"honors.departmentreview.pass", "honors.departmentreview.return", "honors.departmentreview.fail"}

showcase_workflow = workflow_register(Showcase, WorkflowSpec(
    transitions=[
        # Run by the acceptance of an application (services.on_accept), never a button of its own.
        Transition("publish", {ShowcaseStatus.UNPUBLISHED, ShowcaseStatus.PUBLISHED}, ShowcaseStatus.PUBLISHED,
                   _("Publish"), roles={Role.ACCEPTANCE_OFFICER}, params=services.Publication,
                   requires=("application",), internal=True, run_by={"honors.honorapplication.accept"},
                   public_label=_("Published"), effect=services.on_publish),
        Transition("revoke", {ShowcaseStatus.PUBLISHED, ShowcaseStatus.UNPUBLISHED}, ShowcaseStatus.REVOKED,
                   _("Revoke (dishonesty list)"), roles={Role.ACCEPTANCE_OFFICER}, params=services.Revocation,
                   requires=("reason", "source", "listed_on"), public_label=_("Revoked: on the dishonesty list"),
                   check=services.check_revoke, effect=services.on_revoke,
                   opinion_label=_("Reasons (kept on record and told to the enterprise)"),
                   consequences=Consequences(
                       document=_("A revocation decision with the listing and your reasons; a dishonesty record is "
                                  "kept."),
                       clock=_("Every pending application of the enterprise is stopped and its clocks cancelled."),
                       told=_("The enterprise, by an in-site message."),
                       seen=_("The showcase leaves the public site at once."))),
        # The same consequences when another decision of the city puts the enterprise on the dishonesty list (a
        # commitment found false: credit.services.dishonesty_record_add → services.revoke_for_dishonesty).
        Transition("revoke_by_record", {ShowcaseStatus.PUBLISHED, ShowcaseStatus.UNPUBLISHED}, ShowcaseStatus.REVOKED,
                   _("Revoke (dishonesty record)"), roles={Role.ACCEPTANCE_OFFICER}, params=services.Revocation,
                   requires=("reason", "source", "listed_on"), internal=True,
                   run_by={"applications.application.revoke_commitment"},
                   public_label=_("Revoked: on the dishonesty list"), effect=services.on_revoke_by_record),
    ],
    owner_field="enterprise",
))


def _application_parents(application):
    return [(Showcase, application.showcase_id)]


application_workflow = workflow_register(HonorApplication, WorkflowSpec(
    transitions=[
        Transition("submit", {Status.DRAFT}, Status.IN_REVIEW, _("Submit"), owner=True,
                   params=services.Declaration, public_label=_("Submitted to the departments for review"),
                   check=services.check_complete, effect=services.on_submit),
        Transition("submit_content", {Status.DRAFT}, Status.IN_ACCEPTANCE, _("Submit"), owner=True,
                   params=services.Declaration,
                   public_label=_("Submitted (content change: straight to acceptance)"),
                   check=services.check_complete, effect=services.on_submit),
        Transition("resubmit", {Status.RETURNED}, Status.IN_REVIEW, _("Resubmit"), owner=True,
                   params=services.Declaration,
                   public_label=_("Corrected and resubmitted to the departments that returned it"),
                   check=services.check_complete, effect=services.on_resubmit),
        # The reviewer whose opinion completes the round moves the application on (services.on_review_decided).
        Transition("reviews_passed", {Status.IN_REVIEW}, Status.IN_ACCEPTANCE, _("All departments passed"),
                   roles={Role.HONOR_REVIEWER}, params=services.RoundOutcome, internal=True, run_by=ROUND_ENDS,
                   public_label=_("Every department passed it; awaiting acceptance"),
                   effect=services.on_reviews_passed),
        Transition("reviews_returned", {Status.IN_REVIEW}, Status.RETURNED, _("Returned for correction"),
                   roles={Role.HONOR_REVIEWER}, params=services.RoundOutcome, internal=True, run_by=ROUND_ENDS,
                   public_label=_("Returned for correction"), effect=services.on_reviews_returned),
        Transition("reviews_failed", {Status.IN_REVIEW}, Status.REJECTED, _("Not passed"),
                   roles={Role.HONOR_REVIEWER}, params=services.RoundOutcome, internal=True, run_by=ROUND_ENDS,
                   public_label=_("Not passed by a department"), effect=services.on_reviews_failed),
        Transition("accept", {Status.IN_ACCEPTANCE}, Status.PUBLISHED, _("Accept and publish"),
                   roles={Role.ACCEPTANCE_OFFICER}, public_label=_("Accepted and published"),
                   effect=services.on_accept,
                   consequences=Consequences(
                       document=_("An acceptance notice naming the published version."),
                       clock=_("The acceptance clock (5 working days) and any update clock stop."),
                       told=_("The enterprise, by an in-site message."),
                       seen=_("The application's content becomes the showcase's next version, public at once."))),
        Transition("refuse", {Status.IN_ACCEPTANCE}, Status.REFUSED, _("Refuse to accept"),
                   roles={Role.ACCEPTANCE_OFFICER}, params=Reason, requires=("reason",),
                   public_label=_("Not accepted"), effect=services.on_refuse,
                   consequences=Consequences(
                       document=_("A refusal notice with your reasons."),
                       clock=_("The acceptance clock and any update clock stop."),
                       told=_("The enterprise, by an in-site message with your reasons."),
                       seen=_("The enterprise's page shows “not accepted” and your reasons; the public showcase "
                              "stays as it was."))),
        Transition("withdraw", {Status.DRAFT, *OPEN_STATUSES}, Status.WITHDRAWN, _("Withdraw"), owner=True,
                   public_label=_("Withdrawn by the enterprise"), effect=services.on_withdraw),
        # Run by the showcase's revocation (services.on_revoke).
        Transition("stop", set(STOPPABLE), Status.STOPPED, _("Stop (dishonesty list)"),
                   roles={Role.ACCEPTANCE_OFFICER}, params=Reason, requires=("reason",), internal=True,
                   run_by={"honors.showcase.revoke", "honors.showcase.revoke_by_record"},
                   public_label=_("Stopped: the enterprise is on the dishonesty list"), effect=services.on_stop),
    ],
    # Reviewers see an application through their department's review tasks.
    role_department_fields={Role.HONOR_REVIEWER: "review_departments"},
    parents=_application_parents,
    opinion_label=_("Comment to the enterprise"),
    reason_label=_("Reasons (shown to the enterprise)"),
))


def _review_consequences(verdict):
    return Consequences(
        document=format_lazy(_("Your department's written opinion ({verdict}), numbered, as a PDF."), verdict=verdict),
        clock=_("Your department's review clock stops. When every department has decided, the application moves on: "
                "all passed → acceptance by the market supervision bureau (5 working days); any returned → back to "
                "the enterprise (its update clock pauses); any not passed → rejected, the other reviews cancelled."),
        told=_("The enterprise, by an in-site message, once every department has decided."),
        seen=_("The enterprise's page shows the round's outcome and the departments' written opinions."))


def _review_parents(review):
    showcase_id = HonorApplication.objects.filter(pk=review.application_id).values_list("showcase_id", flat=True)
    return [(Showcase, showcase_id.first()), (HonorApplication, review.application_id)]


review_workflow = workflow_register(DepartmentReview, WorkflowSpec(
    transitions=[
        Transition("pass", {ReviewStatus.PENDING}, ReviewStatus.PASSED, _("Pass"), roles={Role.HONOR_REVIEWER},
                   params=services.Opinion, public_label=_("Review passed"), effect=services.on_review_decided,
                   consequences=_review_consequences(_("passed"))),
        Transition("return", {ReviewStatus.PENDING}, ReviewStatus.RETURNED, _("Return for correction"),
                   roles={Role.HONOR_REVIEWER}, params=services.Opinion, requires=("items",),
                   public_label=_("Returned for correction"), effect=services.on_review_decided,
                   consequences=_review_consequences(_("returned for correction, with the items"))),
        Transition("fail", {ReviewStatus.PENDING}, ReviewStatus.FAILED, _("Not pass"), roles={Role.HONOR_REVIEWER},
                   params=services.Opinion, requires=("opinion",), public_label=_("Review not passed"),
                   effect=services.on_review_decided, consequences=_review_consequences(_("not passed"))),
        # Run when the application stops (withdrawn, not passed elsewhere, revoked): the enterprise or the officer
        # acts on the application, and its pending reviews follow.
        Transition("cancel", {ReviewStatus.PENDING}, ReviewStatus.CANCELLED, _("Cancel"), internal=True,
                   run_by={"honors.honorapplication.withdraw", "honors.honorapplication.reviews_failed",
                           "honors.honorapplication.stop"},
                   public_label=_("Review cancelled"), effect=services.on_review_cancelled),
    ],
    parents=_review_parents,
    label_related=("application", "department"),
    # The opinion is the text of the department's written opinion, which the enterprise receives.
    opinion_label=_("Written opinion (printed in your department's opinion to the enterprise)"),
))
