from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.catalogue.constants import SignOff  # noqa: F401  (the applications read it from here too)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting acceptance")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    ACCEPTED = "accepted", _("Accepted, under review")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    REFUSED = "refused", _("Not accepted")
    COMPLETED = "completed", _("Completed and closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # 告知承诺制: a follow-up check found the commitment false; the decision (and its licence) is revoked.
    REVOKED = "revoked", _("Revoked: the commitment was found false")
    # Sign-off (承办 → 审核 → 批准, issue 16): the clerk's proposal waits for the section head's review, then for the
    # department head's approval; an item may merge steps (ServiceItem.signoff).
    PROPOSED = "proposed", _("Decision proposed, awaiting review")
    ENDORSED = "endorsed", _("Reviewed, awaiting approval")
    # 一件事一次办: an item of a bundle that needs another item's result waits for it; it is not pursued when that item
    # is not granted.
    WAITING = "waiting", _("Waiting for another item of the bundle")
    CANCELLED = "cancelled", _("Not pursued: an item it needed was not granted")


class Channel(models.TextChoices):
    """How an application reached the department (综合窗口 / 帮办代办 / 网办 / 接口)."""

    ONLINE = "online", _("Online")
    WINDOW = "window", _("Service-centre window")
    ASSISTED = "assisted", _("Assisted (agent)")
    API = "api", _("API")


class AgentRelation(models.TextChoices):
    """帮办代办: who the agent is to the person they apply for."""

    FAMILY = "family", _("Family member")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    OTHER = "other", _("Other authorised person")


# 帮办代办: the signed authorisation letter (委托书) is kept with the application under this purpose, apart from the
# item's own materials; an agent's application cannot be submitted without it.
AUTHORISATION_PURPOSE = "authorisation"


class CheckStatus(models.TextChoices):
    """事中事后核查 of a commitment."""

    OPEN = "open", _("To check")
    CONFIRMED = "confirmed", _("Confirmed true")
    FALSE = "false", _("Found false")


# The applicant may withdraw until the decision (行政许可法 has no rule against it; the department stops its work).
WITHDRAWABLE = (Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.ACCEPTED, Status.PROPOSED, Status.ENDORSED,
                Status.WAITING)
# The decision clock runs while the decision is made: the clerk's review and the sign-off steps after it.
DECIDING = (Status.ACCEPTED, Status.PROPOSED, Status.ENDORSED)
OPEN_STATUSES = (Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.ACCEPTED, Status.PROPOSED, Status.ENDORSED,
                 Status.APPROVED, Status.DENIED)

# 行政许可法 art. 32: decide within 5 working days whether to accept; both clocks flag "due soon" 2 working days ahead.
ACCEPTANCE_LIMIT = 5
DUE_SOON_WORKING_DAYS = 2
# 行政许可法 art. 45: the procedures whose time does not count towards the decision limit.
SPECIAL_PROCEDURES = ("听证", "招标、拍卖", "检验、检测、检疫", "鉴定", "专家评审")
# 行政许可法 art. 42: the head may extend the decision limit once, by at most 10 working days.
MAX_EXTENSION = 10
RECTIFICATION_LIMIT = 15  # 好差评: a poor rating is followed up within 15 working days


class Stage(models.TextChoices):
    CHECK = "check", _("Follow-up check")
    ACCEPTANCE = "acceptance", _("Acceptance")
    DECISION = "decision", _("Decision")
    RECTIFICATION = "rectification", _("Rectification")


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


POOR_RATINGS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class DocumentKinds:
    RECEIPT = "application_receipt"
    ACCEPTANCE = "application_acceptance_notice"
    REFUSAL = "application_refusal_notice"
    SUPPLEMENT = "application_supplement_notice"
    APPROVAL = "application_approval_decision"
    DENIAL = "application_denial_decision"
    # The decision date moved by an entered or corrected holiday calendar: the new date in writing (issue 13).
    DEADLINE_CHANGE = "application_deadline_change_notice"
    COMMITMENT = "application_commitment_letter"  # 告知承诺书: the notice and the applicant's signed commitment
    REVOCATION = "application_revocation_decision"  # 撤销决定: a commitment found false
    ALL = [
        (COMMITMENT, _("Commitment letter"), "盘政服诺字"),
        (REVOCATION, _("Decision revoking the licence"), "盘政服撤字"),
        (RECEIPT, _("Application receipt"), "盘政服收字"),
        (ACCEPTANCE, _("Acceptance notice"), "盘政服受字"),
        (REFUSAL, _("Refusal notice"), "盘政服不受字"),
        (SUPPLEMENT, _("Supplement notice (all missing items at once)"), "盘政服补字"),
        (APPROVAL, _("Licence approval decision"), "盘政服准字"),
        (DENIAL, _("Licence denial decision"), "盘政服不准字"),
        (DEADLINE_CHANGE, _("Notice of a changed time limit"), "盘政服期字"),
    ]


NEXT_STEP = {
    Status.REVOKED: _("Revoked: the follow-up check found the commitment false; see the decision."),
    Status.DRAFT: _("Draft: finish and submit it."),
    Status.SUBMITTED: _("The department decides within 5 working days whether to accept it."),
    Status.SUPPLEMENT_REQUESTED: _("Supplement the listed materials and resubmit."),
    Status.ACCEPTED: _("The department is reviewing it."),
    Status.APPROVED: _("Approved; the result is being prepared."),
    Status.DENIED: _("Denied; see the decision for the reasons and your rights."),
    Status.REFUSED: _("Not accepted; see the notice for the reasons and your rights."),
    Status.COMPLETED: _("Completed. Please rate the service."),
    Status.WITHDRAWN: _("You withdrew this application."),
    Status.PROPOSED: _("The department is reviewing it."),
    Status.ENDORSED: _("The department is reviewing it."),
    Status.WAITING: _("It starts when the item it needs in the same bundle is granted."),
    Status.CANCELLED: _("Not pursued: the item it needed in the same bundle was not granted."),
}


class Outcome(models.TextChoices):
    """The decision a clerk proposes in a sign-off chain."""

    GRANT = "grant", _("Grant")
    DENY = "deny", _("Deny")


class ClockAction(models.TextChoices):
    """What may be done to the decision clock besides the transitions (行政许可法 arts. 42 and 45)."""

    PROCEDURE_START = "procedure_start", _("Start special procedure")
    PROCEDURE_END = "procedure_end", _("End special procedure")
    EXTEND = "extend", _("Extend the time limit")
