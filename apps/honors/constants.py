from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Under department review")
    RETURNED = "returned", _("Returned for correction")
    IN_ACCEPTANCE = "in_acceptance", _("Awaiting acceptance")
    PUBLISHED = "published", _("Accepted and published")
    REJECTED = "rejected", _("Not passed by a department")
    REFUSED = "refused", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Stopped (revoked)")


OPEN_STATUSES = (Status.IN_REVIEW, Status.RETURNED, Status.IN_ACCEPTANCE)
# Applications that a revocation stops (a draft is stopped too: a listed enterprise may not submit).
STOPPABLE = (Status.DRAFT, *OPEN_STATUSES)
EDITABLE = (Status.DRAFT, Status.RETURNED)


class Kind(models.TextChoices):
    INITIAL = "initial", _("First entry")
    UPDATE = "update", _("Update of a published showcase")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the opinion")
    PASSED = "passed", _("Passed")
    RETURNED = "returned", _("Returned for correction")
    FAILED = "failed", _("Not passed")
    CANCELLED = "cancelled", _("Cancelled")


class ShowcaseStatus(models.TextChoices):
    UNPUBLISHED = "unpublished", _("Not published")
    PUBLISHED = "published", _("Published")
    REVOKED = "revoked", _("Revoked (dishonesty list)")


class IssuerLevel(models.TextChoices):
    """Certificates count only from a municipal or higher authority (seed 000)."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")


class Industry(models.TextChoices):
    """国民经济行业分类 (GB/T 4754-2017), its sections (门类)."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and post")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water, environment and public facilities management")
    O = "O", _("Resident, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration and social organisations")


class Stage(models.TextChoices):
    REVIEW = "review", _("Department review")
    ACCEPTANCE = "acceptance", _("Acceptance")
    UPDATE = "update", _("Update handling")
    FIRST_ENTRY = "first_entry", _("First entry after recognition")


# Seed 000 (工作流程): the market supervision bureau's normative check finishes within 5 working days of reaching it.
ACCEPTANCE_LIMIT = 5
# An update of published information is handled within 15 working days.
UPDATE_LIMIT = 15
# A first-time recognised enterprise is entered on the platform within 30 days.
FIRST_ENTRY_DAYS = 30
REVIEW_LIMIT_DEFAULT = 10  # working days; each category may set its own in the admin
DUE_SOON_WORKING_DAYS = 2
ACCEPTANCE_DEPARTMENT = "city-market-regulation"  # 市市场监管局: acceptance, publication, revocation

# The six departments that grant honors (seed 000, 板块设置 1).
HONOR_DEPARTMENTS = ("city-science", "city-industry", "city-agriculture", "city-commerce", "city-culture-tourism",
                     "city-market-regulation")

SECTION_MAX_CHARS = 3000  # text, after tags are removed: "concise and readable"
MAX_PRODUCTS = 20
MAX_IMAGES_PER_PRODUCT = 6


class Purpose:
    """Attachment purposes on an application."""

    LICENCE = "licence"  # 营业执照 or 法定代表人身份证
    APPLICATION_FORM = "application_form"
    DECLARATION = "declaration"  # 申报材料真实性声明, signed
    CERTIFICATE = "certificate"  # + ":<honor id>"
    # A valid scan chosen with an honor refused for another reason, kept with the draft until the honor is added.
    CERTIFICATE_PENDING = "certificate_pending"
    PRODUCT_IMAGE = "product_image"  # + ":<product id>"
    PRODUCT_VIDEO = "product_video"  # + ":<product id>"
    MATERIALS = (LICENCE, APPLICATION_FORM, DECLARATION)
    PUBLIC = (PRODUCT_IMAGE, PRODUCT_VIDEO)  # what the public showcase may serve


MATERIAL_LABELS = {
    Purpose.LICENCE: _("Business licence or the legal representative's ID"),
    Purpose.APPLICATION_FORM: _("Application form (signed and stamped)"),
    Purpose.DECLARATION: _("Authenticity declaration (signed and stamped)"),
}


class DocumentKinds:
    OPINION = "honor_review_opinion"
    REFUSAL = "honor_refusal_notice"
    ACCEPTANCE = "honor_acceptance_notice"
    REVOCATION = "honor_revocation_notice"
    ALL = [
        (OPINION, _("Written review opinion"), "盘荣审字"),
        (REFUSAL, _("Refusal notice"), "盘荣不受字"),
        (ACCEPTANCE, _("Notice of acceptance and publication"), "盘荣受字"),
        (REVOCATION, _("Decision revoking the showcase"), "盘荣撤字"),
    ]


NEXT_STEP = {
    Status.DRAFT: _("Draft: complete it, preview the public page and submit."),
    Status.IN_REVIEW: _("The departments that grant your honors are reviewing it."),
    Status.RETURNED: _("Correct the items the departments listed and resubmit; only they review it again."),
    Status.IN_ACCEPTANCE: _("The market supervision bureau checks it within 5 working days."),
    Status.PUBLISHED: _("Published on the showcase."),
    Status.REJECTED: _("A department did not pass it; see its written opinion."),
    Status.REFUSED: _("Not accepted; see the notice for the reasons."),
    Status.WITHDRAWN: _("You withdrew this application."),
    Status.STOPPED: _("Stopped: the enterprise is on the dishonesty list."),
}


# 入选条件 (seed 000, 三(三)): what every enterprise confirms before it submits.
ELIGIBILITY_STATEMENTS = [  # seed 000, 入选条件: the Chinese is the catalogue's translation of each
    _("Complies with national industrial policy and with the laws, regulations and policies on environmental "
      "protection, energy saving and emission reduction, work safety and quality"),
    _("Fulfils its social responsibility, operates lawfully and in good faith, and has a good credit record"),
    _("Is widely known and well regarded, with loyal customers and social influence"),
    _("Has a strong sense of quality and of innovation, and outstanding business results"),
]
