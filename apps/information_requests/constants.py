"""依申请公开 (政府信息公开条例, 2019 revision, arts. 27–45): the request's states, its limits and the answer forms."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECEIVED = "received", _("Received, being handled")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Clarification requested")
    CONSULTING = "consulting", _("Third party consulted")
    ANSWERED = "answered", _("Answered")
    ABANDONED = "abandoned", _("Closed: no clarification received")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.CONSULTING)
# The officers' queues (admin list filter and dashboard): value → the Q of the rows it lists.
QUEUES = {
    "open": models.Q(status__in=OPEN_STATUSES),
    "to_answer": models.Q(status=Status.RECEIVED),
    "overdue": models.Q(status__in=OPEN_STATUSES, current_deadline__status="overdue"),
}
WITHDRAWABLE = OPEN_STATUSES

# art. 33: answered on the spot when possible, else within 20 working days of receipt; the head of the disclosure
# office may extend by at most 20 working days, once, telling the applicant.
ANSWER_LIMIT = 20
MAX_EXTENSION = 20
DUE_SOON_WORKING_DAYS = 3
# art. 30: an unclear request gets one notice saying what to clarify, within 7 working days of receipt.
SUPPLEMENT_NOTICE_LIMIT = 7
# art. 30: the notice gives a reasonable period to clarify — the city's choice, 15 working days; only after it may the
# request be closed as abandoned.
SUPPLEMENT_PERIOD = 15
# art. 32: a third party asked for its opinion answers within 15 working days; the time is not counted (art. 33).
CONSULTATION_LIMIT = 15


ANSWER_FILES = "answer"  # the attachments' purpose: the information given with the answer


class Stage(models.TextChoices):
    ANSWER = "answer", _("Answer")
    CONSULTATION = "consultation", _("Third party's opinion")


class InfoFormat(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")
    ANY = "any", _("Either")


class Delivery(models.TextChoices):
    ONLINE = "online", _("On this portal")
    EMAIL = "email", _("By e-mail")
    POST = "post", _("By post")
    COLLECT = "collect", _("Collected in person")


class AnswerKind(models.TextChoices):
    """The answer forms of art. 36 (and art. 37 part disclosure, art. 39 requests that are not for information)."""

    PUBLISHED = "published", _("Already published: where to find it (art. 36 (1))")
    DISCLOSED = "disclosed", _("Disclosed (art. 36 (2))")
    PARTLY = "partly", _("Partly disclosed (art. 37)")
    WITHHELD = "withheld", _("Not disclosed, with the reason (art. 36 (3))")
    NOT_FOUND = "not_found", _("Not held after a search (art. 36 (4))")
    OTHER_AGENCY = "other_agency", _("Held by another agency (art. 36 (5))")
    REPEATED = "repeated", _("Repeated request (art. 36 (6))")
    SPECIAL_RULES = "special_rules", _("Governed by special rules, e.g. registers (art. 36 (7))")
    NOT_INFORMATION = "not_information", _("Not a request for government information (art. 39)")


# What the answer letter says after the officer's text, by kind: the applicant's rights and the next step.
ANSWER_BASIS = {
    AnswerKind.PUBLISHED: _("Under article 36 (1) of the Regulations on the Disclosure of Government Information, the "
                            "information has already been published; how to obtain it is stated above."),
    AnswerKind.DISCLOSED: _("Under article 36 (2) of the Regulations, the information is disclosed to you as stated "
                            "above."),
    AnswerKind.PARTLY: _("Under article 37 of the Regulations, the parts that may be disclosed are provided; the "
                         "reasons for the parts withheld are stated above."),
    AnswerKind.WITHHELD: _("Under article 36 (3) of the Regulations, the information is not disclosed, for the reasons "
                           "stated above."),
    AnswerKind.NOT_FOUND: _("Under article 36 (4) of the Regulations: after a search, this agency does not hold the "
                            "information requested."),
    AnswerKind.OTHER_AGENCY: _("Under article 36 (5) of the Regulations, this agency is not responsible for disclosing "
                               "the information; the agency that is, and how to reach it, is stated above."),
    AnswerKind.REPEATED: _("Under article 36 (6) of the Regulations, the same request was answered before and is not "
                           "handled again."),
    AnswerKind.SPECIAL_RULES: _("Under article 36 (7) of the Regulations, the information is obtained as the laws "
                                "and regulations stated above provide."),
    AnswerKind.NOT_INFORMATION: _("Under article 39 of the Regulations, the request is not one for government "
                                  "information; the channel for it is stated above."),
}
RIGHTS = _("If you consider that this answer infringes your lawful rights and interests, you may apply for "
           "administrative reconsideration within 60 days of receiving it, or bring an administrative lawsuit within "
           "6 months (政府信息公开条例 art. 51).")


class DocumentKinds:
    RECEIPT = "information_request_receipt"
    SUPPLEMENT = "information_request_supplement_notice"
    EXTENSION = "information_request_extension_notice"
    ANSWER = "information_request_answer"
    ALL = [
        (RECEIPT, _("Receipt of a request for government information"), "盘政公收字"),
        (SUPPLEMENT, _("Notice asking to clarify the request"), "盘政公补字"),
        (EXTENSION, _("Notice of an extended answer date"), "盘政公延字"),
        (ANSWER, _("Answer to a request for government information"), "盘政公答字"),
    ]


NEXT_STEP = {
    Status.RECEIVED: _("The agency answers within 20 working days of receipt (it may extend once by up to 20 working "
                       "days, telling you)."),
    Status.SUPPLEMENT_REQUESTED: _("Clarify your request as the notice asks; the 20 working days run again from the "
                                   "day the agency receives it."),
    Status.CONSULTING: _("A third party's opinion is being asked; that time does not count towards the limit."),
    Status.ANSWERED: _("Answered: see the answer letter."),
}


# The annual report's table of requests (政府信息公开工作年度报告格式, 2019: 三、收到和处理政府信息公开申请情况). Each
# result row names the answers (or closing states) it counts; the rows without a form of ours stay at 0 and are
# shown so that the table is the official one.
REPORT_RESULT_ROWS = [
    (_("(1) Disclosed"), (AnswerKind.PUBLISHED, AnswerKind.DISCLOSED)),
    (_("(2) Partly disclosed (the parts separated)"), (AnswerKind.PARTLY,)),
    (_("(3) Not disclosed"), (AnswerKind.WITHHELD,)),
    (_("(4) Cannot be provided — 1. not held by this agency"), (AnswerKind.NOT_FOUND, AnswerKind.OTHER_AGENCY)),
    (_("(4) Cannot be provided — 2. not existing, would have to be made"), ()),
    (_("(4) Cannot be provided — 3. still unclear after clarification"), ()),
    (_("(5) Not handled — 1. petitions, reports and complaints"), (AnswerKind.NOT_INFORMATION,)),
    (_("(5) Not handled — 2. repeated requests"), (AnswerKind.REPEATED,)),
    (_("(5) Not handled — 3. asking for published publications"), ()),
    (_("(5) Not handled — 4. many repeated requests without good reason"), ()),
    (_("(5) Not handled — 5. asking to confirm or reissue information already obtained"), ()),
    (_("(6) Otherwise handled — 1. not clarified in time without good reason"), (Status.ABANDONED,)),
    (_("(6) Otherwise handled — 2. the fee not paid in time"), ()),
    (_("(6) Otherwise handled — 3. other"), (AnswerKind.SPECIAL_RULES, Status.WITHDRAWN)),
]

# Table 四's fifteen columns: reconsideration, lawsuit without it, lawsuit after it — each upheld, corrected, other,
# not yet decided, total. A function: the labels are read in the language of the request.
def appeal_headers() -> list[str]:
    return [f"{group}：{result}"
            for group in (_("Reconsideration"), _("Lawsuit without reconsideration"), _("Lawsuit after reconsideration"))
            for result in (_("upheld"), _("corrected"), _("other result"), _("not yet decided"), _("total"))]
