from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import OPEN_STATUSES, AgentRelation, Channel, CheckStatus, RatingLevel, Status


class Application(models.Model):
    """申请 / 办件: one application for one service item, by a citizen or an enterprise."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True, blank=True)
    service = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="applications")
    department = models.ForeignKey("organizations.Department", verbose_name=_("handling department"),
                                   on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant account"),
                                  on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_code = models.CharField(_("ID number / credit code"), max_length=18)
    phone = models.CharField(_("mobile phone"), max_length=11)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("what you apply for"), blank=True)
    conditions_met = models.JSONField(_("conditional materials that apply"), default=list, blank=True)
    declaration_at = models.DateTimeField(_("declaration signed at"), null=True, blank=True)
    # 告知承诺制: the applicant chose to commit instead of providing the materials that allow it, and signed.
    commitment = models.BooleanField(_("applies under a commitment"), default=False)
    commitment_signed_at = models.DateTimeField(_("commitment signed at"), null=True, blank=True)
    # How it came in and who typed it (综合窗口 / 帮办代办, issue 16): the applicant, a window clerk, or an agent.
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # 帮办代办: the agent who applies for the applicant with their consent (the 委托 material); both follow it.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="applications_as_agent")
    agent_relation = models.CharField(_("agent's relation to the applicant"), max_length=50, blank=True,
                                      choices=AgentRelation.choices)
    # 一件事一次办: the bundle application this item was submitted with (one form, one reference for all its items).
    bundle = models.ForeignKey("bundles.BundleApplication", verbose_name=_("bundle"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="items")
    # Sign-off: the clerk's proposed decision ({"outcome": "grant"|"deny", "reason": …}) while it is reviewed.
    proposal = models.JSONField(_("proposed decision"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    extension_used = models.BooleanField(_("extended"), default=False)
    current_deadline = models.ForeignKey("deadlines.Deadline", verbose_name=_("deadline"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    # Copy of current_deadline.due_at so that the queue sorts by an index of this table (docs/benchmarks.md).
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # The centre's statistics (apps/applications/statistics.py) read one table: figures copied when their source is
    # written (CONVENTIONS 16). The deadline rows they come from are closed and no longer move; the working days are
    # recounted when the holiday calendar of a year they span is entered or corrected (statistics_recount_year).
    # The month of submission in local time (its first day): a copy of submitted_at, written with it on submission
    # and never changed after, so that a year of a million rows groups by a column rather than by a time-zone
    # conversion per row.
    submitted_month = models.DateField(_("month of submission"), null=True, blank=True, editable=False)
    # Acceptance decided (受理 or 不予受理) by the acceptance clock's due moment (行政许可法 art. 32); empty until then.
    acceptance_on_time = models.BooleanField(_("acceptance on time"), null=True, blank=True, editable=False)
    # Decided (准予 or 不予) by the decision clock's due moment, pauses and the extension included (arts. 42, 45).
    decision_on_time = models.BooleanField(_("decision on time"), null=True, blank=True, editable=False)
    # Working days from receipt to the decision (art. 82: the day of receipt not counted), supplement time included.
    decision_working_days = models.PositiveIntegerField(_("working days to the decision"), null=True, blank=True,
                                                        editable=False)
    # A supplement was asked for at least once (一次性告知): the application was not done in one go (一次办成).
    supplemented = models.BooleanField(_("supplement requested"), default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["department", "status", "submitted_at"]),
            # The clerk's queue: open applications of one department by deadline (partial: ~4 % of the rows).
            models.Index(fields=["department", "due_at", "-submitted_at", "-id"], name="application_open_queue",
                         condition=models.Q(status__in=OPEN_STATUSES)),
            models.Index(fields=["applicant", "-created_at"]),
            models.Index(fields=["service", "status"]),
            models.Index(fields=["agent", "-created_at"], name="application_agent",
                         condition=models.Q(agent__isnull=False)),
            # The centre's statistics: a year of a million applications counted from the index alone (index-only
            # scan), every column they group, filter or count included (docs/benchmarks.md).
            models.Index(fields=["submitted_month"], name="application_statistics",
                         include=["department", "service", "channel", "acceptance_on_time", "decision_on_time",
                                  "decision_working_days", "supplemented"],
                         condition=models.Q(submitted_month__isnull=False)),
        ]
        constraints = [
            # A bundle's items are drafts only inside the bundle's submission: they do not block a draft of one's own.
            models.UniqueConstraint(fields=["applicant", "service"],
                                    condition=models.Q(status="draft", bundle__isnull=True),
                                    name="application_one_draft_per_service"),
        ]

    def __str__(self):
        return f"{self.reference or _('draft')} {self.service.name}"


class ReferenceSequence(models.Model):
    """Per-day counter of reference numbers (YW-20261122-000123-7KQ3: the day's number and a random tail), taken under a row lock."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)


class SupplementRequest(models.Model):
    """一次性告知: every missing or wrong material, listed at once."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="supplement_requests")
    items = models.JSONField(_("items"))  # [{"material_id": 1, "name": "...", "note": "..."}]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Rating(models.Model):
    """好差评 after completion."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self):
        return self.get_level_display()


class Rectification(models.Model):
    """整改: the department head's follow-up of a poor rating (15 working days)."""

    rating = models.OneToOneField(Rating, verbose_name=_("rating"), on_delete=models.CASCADE,
                                  related_name="rectification")
    department = models.ForeignKey("organizations.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")
    response = models.TextField(_("response"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self):
        return f"{self.rating.application}"


class FollowUpCheck(models.Model):
    """事中事后核查: the department checks what an applicant committed to, within the item's limit; found false, the
    decision and its licence are revoked and a dishonesty record kept."""

    application = models.OneToOneField(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                       related_name="follow_up_check")
    department = models.ForeignKey("organizations.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=CheckStatus.choices, default=CheckStatus.OPEN)
    finding = models.TextField(_("finding"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    current_deadline = models.ForeignKey("deadlines.Deadline", verbose_name=_("deadline"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        indexes = [models.Index(fields=["department", "due_at"], name="check_open_queue",
                                condition=models.Q(status="open"))]

    def __str__(self):
        return f"{self.application.reference} · {self.application.service.name}"
