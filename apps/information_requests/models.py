from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (OPEN_STATUSES, AnswerKind, Delivery, InfoFormat, RequestChannel, RequesterType, Status,
                        WithheldGround)


class InformationRequest(models.Model):
    """依申请公开: a request to an agency for government information it has not published (政府信息公开条例 art. 27)."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True, blank=True)
    department = models.ForeignKey("organizations.Department", verbose_name=_("agency asked"),
                                   on_delete=models.PROTECT, related_name="+")
    # None for a letter or a visit recorded by the office for a person without an account on the portal.
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requester account"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="information_requests")
    requester_type = models.CharField(_("kind of requester"), max_length=16, choices=RequesterType.choices,
                                      default=RequesterType.NATURAL_PERSON)
    channel = models.CharField(_("received by"), max_length=8, choices=RequestChannel.choices,
                               default=RequestChannel.ONLINE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # art. 29 (1): who asks — name and ID number or unified social credit code, and how to reach them.
    requester_name = models.CharField(_("requester"), max_length=200)
    requester_code = models.CharField(_("ID number / credit code"), max_length=18)
    phone = models.CharField(_("mobile phone"), max_length=11)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    # art. 29 (2), (3): the information sought, and the form and way it is wanted.
    description = models.TextField(_("information requested"))
    document_number = models.CharField(_("document number or title, if known"), max_length=200, blank=True)
    info_format = models.CharField(_("form"), max_length=16, choices=InfoFormat.choices, default=InfoFormat.ELECTRONIC)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.ONLINE)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True,
                                       help_text=_("art. 31: the day the limit counts from."))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When it stopped being open — answered, closed unclarified or withdrawn (the annual report counts by it).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # art. 30: one notice saying what to clarify, and the requester's clarification.
    supplement_items = models.TextField(_("clarification asked"), blank=True)
    supplement_requested_at = models.DateTimeField(_("clarification asked at"), null=True, blank=True)
    supplement_text = models.TextField(_("clarification given"), blank=True)
    supplemented_at = models.DateTimeField(_("clarified at"), null=True, blank=True)
    answer_kind = models.CharField(_("answer"), max_length=24, choices=AnswerKind.choices, blank=True)
    withheld_ground = models.CharField(_("ground for not disclosing"), max_length=24, choices=WithheldGround.choices,
                                       blank=True)
    extension_used = models.BooleanField(_("extended"), default=False)
    current_deadline = models.ForeignKey("deadlines.Deadline", verbose_name=_("deadline"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    # Copy of current_deadline.due_at: the officers' queue sorts by it (moved with its clock, CONVENTIONS 16).
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for government information")
        verbose_name_plural = _("requests for government information")
        indexes = [
            models.Index(fields=["department", "due_at", "-id"], name="inforequest_open_queue",
                         condition=models.Q(status__in=OPEN_STATUSES)),
            models.Index(fields=["requester", "-created_at"]),
        ]

    def __str__(self):
        return self.reference or str(_("draft"))


class RequestSequence(models.Model):
    """Per-day counter of request references (YS-20261201-000001-7KQ3), taken under a row lock."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)


class AppealFigures(models.Model):
    """The annual report's table 四 (政府信息公开行政复议、行政诉讼情况): the agency enters by hand the reconsiderations
    and lawsuits about its disclosure decided in the year — the portal does not see them."""

    department = models.ForeignKey("organizations.Department", verbose_name=_("agency"), on_delete=models.PROTECT,
                                   related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    reconsideration_upheld = models.PositiveIntegerField(_("reconsideration: upheld"), default=0)
    reconsideration_corrected = models.PositiveIntegerField(_("reconsideration: corrected"), default=0)
    reconsideration_other = models.PositiveIntegerField(_("reconsideration: other result"), default=0)
    reconsideration_pending = models.PositiveIntegerField(_("reconsideration: not yet decided"), default=0)
    direct_suit_upheld = models.PositiveIntegerField(_("lawsuit without reconsideration: upheld"), default=0)
    direct_suit_corrected = models.PositiveIntegerField(_("lawsuit without reconsideration: corrected"), default=0)
    direct_suit_other = models.PositiveIntegerField(_("lawsuit without reconsideration: other result"), default=0)
    direct_suit_pending = models.PositiveIntegerField(_("lawsuit without reconsideration: not yet decided"), default=0)
    later_suit_upheld = models.PositiveIntegerField(_("lawsuit after reconsideration: upheld"), default=0)
    later_suit_corrected = models.PositiveIntegerField(_("lawsuit after reconsideration: corrected"), default=0)
    later_suit_other = models.PositiveIntegerField(_("lawsuit after reconsideration: other result"), default=0)
    later_suit_pending = models.PositiveIntegerField(_("lawsuit after reconsideration: not yet decided"), default=0)

    GROUPS = ("reconsideration", "direct_suit", "later_suit")
    RESULTS = ("upheld", "corrected", "other", "pending")

    class Meta:
        verbose_name = _("reconsiderations and lawsuits of a year")
        verbose_name_plural = _("reconsiderations and lawsuits (annual report)")
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="appeal_figures_once")]

    def __str__(self):
        return f"{self.department} {self.year}"

    def row(self) -> list[int]:
        """The table's fifteen cells: for each group its four results and their total."""
        cells = []
        for group in self.GROUPS:
            values = [getattr(self, f"{group}_{result}") for result in self.RESULTS]
            cells += [*values, sum(values)]
        return cells
