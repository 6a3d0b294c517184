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
    # The other results the national report counts (政府信息公开工作年度报告格式, table 三 (四)–(五)).
    NEEDS_MAKING = "needs_making", _("Not existing: would have to be made or compiled (art. 38)")
    UNCLEAR = "unclear", _("Still unclear after the clarification (art. 30)")
    PUBLICATION = "publication", _("Asks for a publication: where to obtain it (art. 39)")
    MASS_REPEATED = "mass_repeated", _("Many repeated requests without good reason (art. 35)")
    CONFIRM_REISSUE = "confirm_reissue", _("Asks to confirm or reissue information already obtained")


class WithheldGround(models.TextChoices):
    """Why information is not disclosed (arts. 14–16), as the annual report counts it (table 三 (三) 1–8)."""

    STATE_SECRET = "state_secret", _("A state secret (art. 14)")
    LAW_FORBIDS = "law_forbids", _("Another law or administrative regulation forbids it (art. 14)")
    THREE_SAFETIES = "three_safeties", _("It would endanger national, public, economic security or social stability "
                                         "(art. 14)")
    THIRD_PARTY = "third_party", _("It would harm a third party's lawful rights: trade secrets, privacy (art. 15)")
    INTERNAL_AFFAIRS = "internal_affairs", _("Internal affairs: personnel, logistics, internal procedures (art. 16)")
    PROCESS = "process", _("Process information: discussion records, drafts, consultation letters, requests for "
                         "instructions (art. 16)")
    ENFORCEMENT_FILE = "enforcement_file", _("An administrative enforcement case file (art. 16)")
    QUERY = "query", _("A matter of administrative query (查询), not of disclosure")


class RequesterType(models.TextChoices):
    """Who asks, as the annual report's columns count them (自然人; 法人或其他组织 by kind)."""

    NATURAL_PERSON = "natural_person", _("Natural person")
    BUSINESS = "business", _("Business enterprise")
    RESEARCH = "research", _("Research institution")
    PUBLIC_WELFARE = "public_welfare", _("Social or public-welfare organisation")
    LEGAL_SERVICE = "legal_service", _("Legal service organisation")
    OTHER = "other", _("Other organisation")


ORGANISATION_TYPES = [RequesterType.BUSINESS, RequesterType.RESEARCH, RequesterType.PUBLIC_WELFARE,
                      RequesterType.LEGAL_SERVICE, RequesterType.OTHER]


class RequestChannel(models.TextChoices):
    """How the request reached the agency (art. 29: in writing, online or by letter; orally at the office, recorded
    by the office)."""

    ONLINE = "online", _("Online")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("In person at the office")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")


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
    AnswerKind.NEEDS_MAKING: _("Under article 38 of the Regulations, the information would have to be made, compiled "
                               "or analysed from other information, which the agency is not required to do; what "
                               "can be provided is stated above."),
    AnswerKind.UNCLEAR: _("Under article 30 of the Regulations, the request remains unclear after the clarification, "
                          "so the information cannot be identified."),
    AnswerKind.PUBLICATION: _("Under article 39 of the Regulations, the request is for a publication such as a "
                              "gazette, newspaper or book; where to obtain it is stated above."),
    AnswerKind.MASS_REPEATED: _("Under article 35 of the Regulations, the number and frequency of your requests "
                                "clearly exceed a reasonable range without good reason; they are not handled."),
    AnswerKind.CONFIRM_REISSUE: _("The request asks the agency to confirm or issue again information you already "
                                  "obtained; it is not a request for disclosure and is not handled as one."),
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
def report_row(*, kind: str, ground: str, status: str) -> str:
    """The row of the annual table a closed request counts in."""
    if not kind:
        return {Status.ABANDONED: "other_unclarified"}.get(status, "other_other")  # withdrawn: (六) 3
    if kind == AnswerKind.WITHHELD:
        # An answer given before grounds were recorded counts under the heading alone.
        return f"withheld_{ground}" if ground else "withheld"
    return {
        AnswerKind.PUBLISHED: "disclosed", AnswerKind.DISCLOSED: "disclosed", AnswerKind.PARTLY: "partly",
        AnswerKind.NOT_FOUND: "cannot_not_held", AnswerKind.OTHER_AGENCY: "cannot_not_held",
        AnswerKind.NEEDS_MAKING: "cannot_needs_making", AnswerKind.UNCLEAR: "cannot_unclear",
        AnswerKind.NOT_INFORMATION: "not_handled_petition", AnswerKind.REPEATED: "not_handled_repeated",
        AnswerKind.PUBLICATION: "not_handled_publication", AnswerKind.MASS_REPEATED: "not_handled_mass",
        AnswerKind.CONFIRM_REISSUE: "not_handled_confirm",
    }.get(kind, "other_other")


# The table's result rows in its order: (key, number, label, heading). A heading's figure is the sum of the rows
# under it; the numbers are the template's (（一）…（六）, 1…8).
REPORT_RESULT_ROWS = [
    ("disclosed", _("(1)"), _("Disclosed"), False),
    ("partly", _("(2)"), _("Partly disclosed (counted here only, not under the other results)"), False),
    ("withheld", _("(3)"), _("Not disclosed"), True),
    ("withheld_state_secret", "1.", _("A state secret"), False),
    ("withheld_law_forbids", "2.", _("Forbidden by another law or administrative regulation"), False),
    ("withheld_three_safeties", "3.", _("Endangers the “three securities and one stability”"), False),
    ("withheld_third_party", "4.", _("Protects a third party's lawful rights"), False),
    ("withheld_internal_affairs", "5.", _("One of the three kinds of internal affairs"), False),
    ("withheld_process", "6.", _("One of the four kinds of process information"), False),
    ("withheld_enforcement_file", "7.", _("An administrative enforcement case file"), False),
    ("withheld_query", "8.", _("A matter of administrative query"), False),
    ("cannot", _("(4)"), _("Cannot be provided"), True),
    ("cannot_not_held", "1.", _("Not held by this agency"), False),
    ("cannot_needs_making", "2.", _("Not existing, would have to be made"), False),
    ("cannot_unclear", "3.", _("Still unclear after clarification"), False),
    ("not_handled", _("(5)"), _("Not handled"), True),
    ("not_handled_petition", "1.", _("Petitions, reports and complaints"), False),
    ("not_handled_repeated", "2.", _("Repeated requests"), False),
    ("not_handled_publication", "3.", _("Asking for publications"), False),
    ("not_handled_mass", "4.", _("Many repeated requests without good reason"), False),
    ("not_handled_confirm", "5.", _("Asking to confirm or reissue information already obtained"), False),
    ("other", _("(6)"), _("Otherwise handled"), True),
    ("other_unclarified", "1.", _("Not clarified in time without good reason: no longer handled"), False),
    ("other_fee", "2.", _("The fee not paid in time: no longer handled"), False),
    ("other_other", "3.", _("Other"), False),
]

# Table 四's fifteen columns: reconsideration, lawsuit without it, lawsuit after it — each upheld, corrected, other,
# not yet decided, total. A function: the labels are read in the language of the request.
def appeal_headers() -> list[str]:
    return [f"{group}：{result}"
            for group in (_("Reconsideration"), _("Lawsuit without reconsideration"), _("Lawsuit after reconsideration"))
            for result in (_("upheld"), _("corrected"), _("other result"), _("not yet decided"), _("total"))]
