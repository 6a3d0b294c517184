from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.deadlines.constants import Unit

from .constants import (
    OPEN_STATUSES,
    CategoryKind,
    Channel,
    EscalationLevel,
    HourBasis,
    MemberKind,
    RatingLevel,
    Status,
    Step,
    SuggestionSource,
    Urgency,
)


class Grid(models.Model):
    """网格: the smallest unit of management, under a village or community (市 → 县区 → 乡镇街道 → 村社区 → 网格)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    community = models.ForeignKey("organizations.AdminUnit", verbose_name=_("village / community"),
                                  on_delete=models.PROTECT, related_name="grids")
    # GeoJSON Polygon (WGS84 [lng, lat] rings), optional; its bounding box is kept beside it so that a point is
    # tested only against the few grids whose box holds it.
    polygon = models.JSONField(_("area (GeoJSON polygon)"), null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lng = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]
        indexes = [models.Index(fields=["min_lng", "max_lng", "min_lat", "max_lat"], name="grid_bbox")]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class GridMember(models.Model):
    """专职/兼职网格员 of a grid."""

    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("grid member"), on_delete=models.CASCADE,
                             related_name="grid_memberships")
    kind = models.CharField(_("kind"), max_length=16, choices=MemberKind.choices, default=MemberKind.FULL_TIME)

    class Meta:
        verbose_name = _("grid member")
        verbose_name_plural = _("grid members")
        constraints = [models.UniqueConstraint(fields=["grid", "user"], name="grid_member_once")]

    def __str__(self):
        return f"{self.user} · {self.grid}"


class CaseCategory(models.Model):
    """A two-level tree of 部件 and 事件 (after GB/T 30428); a leaf has its responsible department and time limits."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=CategoryKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("group"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    department = models.ForeignKey("organizations.Department", verbose_name=_("responsible department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    keywords = models.TextField(_("keywords"), blank=True,
                                help_text=_("Words that suggest this category in a report's text, separated by commas."))
    hour_basis = models.CharField(
        _("hours count as"), max_length=16, choices=HourBasis.choices, default=HourBasis.CLOCK,
        db_default=HourBasis.CLOCK,
        help_text=_("How this category's limits in hours run: clock hours (nights and holidays count) or working "
                    "hours (only the office hours of working days)."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["code"]

    def __str__(self):
        return f"{self.parent.name}/{self.name}" if self.parent_id else self.name

    @property
    def is_leaf(self):
        return self.parent_id is not None


class RoutingRule(models.Model):
    """Who handles a case, by category (a leaf or its group) × place (district, street or grid) × urgency: the
    first active rule that matches, in order of precedence (lowest first), names the department; without one the
    category's department does (services.dispatch_route)."""

    name = models.CharField(_("name"), max_length=100)
    priority = models.PositiveIntegerField(
        _("precedence"), default=100,
        help_text=_("Lower numbers are tried first, e.g. 10 for a city-wide exception, 50 for a street's own team, "
                    "100 for a district bureau. Two rules that may match the same case cannot share a number."))
    category = models.ForeignKey(CaseCategory, verbose_name=_("category or group"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="routing_rules",
                                 help_text=_("Empty: every category."))
    district = models.ForeignKey("organizations.AdminUnit", verbose_name=_("district / county"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": "county"})
    street = models.ForeignKey("organizations.AdminUnit", verbose_name=_("township / street"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "township"})
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="routing_rules")
    urgency = models.CharField(_("only cases of urgency"), max_length=16, choices=Urgency.choices, blank=True,
                               help_text=_("Empty: any urgency. “Normal” keeps a rule to minor cases."))
    department = models.ForeignKey("organizations.Department", verbose_name=_("handling department"),
                                   on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "pk"]

    def __str__(self):
        return self.name

    @property
    def place(self):
        return self.grid or self.street or self.district


class CategoryTimeLimit(models.Model):
    """How long one step of a case of this category may take, by urgency."""

    category = models.ForeignKey(CaseCategory, on_delete=models.CASCADE, related_name="time_limits")
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    limit = models.PositiveIntegerField(_("limit"))
    unit = models.CharField(_("unit"), max_length=16, choices=[(Unit.HOURS, Unit.HOURS.label),
                                                               (Unit.WORKING_DAYS, Unit.WORKING_DAYS.label)])

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [models.UniqueConstraint(fields=["category", "urgency", "step"], name="grid_limit_once")]

    def __str__(self):
        return f"{self.get_step_display()} {self.limit} {self.get_unit_display()}"


class Open311Client(models.Model):
    """A machine that may post service requests through Open311 GeoReport v2, with the api_key issued to it."""

    name = models.CharField(_("name"), max_length=100)
    api_key = models.CharField(_("API key"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return self.name


class CaseSequence(models.Model):
    """Per-day counter of case numbers (WG20261123000123K7Q3: the day's number and a random tail), taken under a row
    lock."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)


class GridCase(models.Model):
    """案件: a problem in public space or a resident's request, from any channel."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    category = models.ForeignKey(CaseCategory, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="cases")
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("description"), max_length=4000)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cases")
    # Copies of the grid's place in the tree, so that lists and statistics filter one table (millions of rows).
    community = models.ForeignKey("organizations.AdminUnit", verbose_name=_("village / community"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey("organizations.AdminUnit", verbose_name=_("township / street"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("organizations.AdminUnit", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("organizations.Department", verbose_name=_("handling department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reporter"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="grid_cases")
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    anonymous = models.BooleanField(_("anonymous toward the handler"), default=False)
    open311_client = models.ForeignKey(Open311Client, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    device_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(_("media URL"), blank=True, max_length=500)
    # What the text suggests when no category was given (keyword rules), with its confidence for the dispatcher.
    suggested_category = models.ForeignKey(CaseCategory, verbose_name=_("suggested category"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="+")
    suggestion_confidence = models.FloatField(_("confidence"), null=True, blank=True)
    suggestion_source = models.CharField(_("suggested by"), max_length=16, choices=SuggestionSource.choices,
                                         blank=True, default="", db_default="")
    # A possible duplicate (same category, near in place, recent), flagged for the dispatcher to merge.
    duplicate_of = models.ForeignKey("self", verbose_name=_("possible duplicate of"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    # Which rule sent the case to its department, as the dispatcher and the handler read it on the case page.
    routing_rule = models.ForeignKey(RoutingRule, verbose_name=_("routing rule"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    routing_note = models.CharField(_("why this department"), max_length=300, blank=True, db_default="")
    dispatch_center = models.ForeignKey("organizations.Department", verbose_name=_("dispatch centre"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    result = models.TextField(_("handling result"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    late_steps = models.PositiveSmallIntegerField(_("steps finished late"), default=0)
    return_count = models.PositiveSmallIntegerField(_("returned"), default=0)
    rating_reopened = models.BooleanField(default=False, help_text="A dissatisfied rating reopens a case once.")
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    current_deadline = models.ForeignKey("deadlines.Deadline", verbose_name=_("deadline"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    # Copy of current_deadline.due_at: the dispatcher's list sorts by an index of this table, overdue first.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # Copy of current_deadline.escalation_level (the running step's rung: the escalated queues filter on it), moved
    # with it by the sweep (services.cases_escalated) and reset when the next step starts; and how many rungs the
    # case climbed in all its steps (绩效考核).
    # (db_default too: the benches and any bulk SQL insert cases without naming these columns.)
    escalation_level = models.PositiveSmallIntegerField(_("escalated to"), choices=EscalationLevel.choices,
                                                        default=EscalationLevel.NONE, db_default=0)
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0, db_default=0)
    # 绩效考核 per department counts only what happened once the case was the department's (review finding): when it
    # was first dispatched, and the lateness and escalations of its handling steps.
    dispatched_at = models.DateTimeField(_("first dispatched at"), null=True, blank=True)
    handling_late_steps = models.PositiveSmallIntegerField(_("handling steps finished late"), default=0, db_default=0)
    handling_escalations = models.PositiveSmallIntegerField(_("escalations while handling"), default=0, db_default=0)

    class Meta:
        verbose_name = _("grid case")
        verbose_name_plural = _("grid cases")
        indexes = [
            # The dispatcher's list: open cases by deadline, overdue first (partial: the open few of millions).
            models.Index(fields=["due_at", "-id"], name="grid_case_open_queue",
                         condition=models.Q(status__in=OPEN_STATUSES)),
            models.Index(fields=["district", "due_at", "-id"], name="grid_case_district_queue",
                         condition=models.Q(status__in=OPEN_STATUSES)),
            # The escalated queues (district and city command centres): the open, escalated few.
            models.Index(fields=["district", "escalation_level", "due_at"], name="grid_case_escalated_queue",
                         condition=models.Q(status__in=OPEN_STATUSES, escalation_level__gt=0)),
            models.Index(fields=["street", "created_at"], name="grid_case_street_period"),
            # The map's month figures for one district (selectors.grid_map_figures).
            models.Index(fields=["district", "created_at"], name="grid_case_district_period"),
            models.Index(fields=["department", "created_at"], name="grid_case_department_period"),
            models.Index(fields=["created_at", "category"], name="grid_case_period_category"),
            models.Index(fields=["category", "-created_at"]),
            models.Index(fields=["grid", "-created_at"]),

        ]

    def __str__(self):
        return self.number


class CaseRating(models.Model):
    """评价 by the reporter after closing; 不满意 reopens the case once."""

    case = models.OneToOneField(GridCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(_("rating"), max_length=20, choices=RatingLevel.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case rating")
        verbose_name_plural = _("case ratings")

    def __str__(self):
        return self.get_level_display()



class CategoryModel(models.Model):
    """A classifier learned from closed cases' final categories (ADR 0010): TF-IDF over jieba's words and a
    multinomial logistic regression, stored as plain JSON (vocabulary, idf, coefficients) — never a pickle, so that
    reading a model can run no code. The newest row is the one in use."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained at"))
    n_cases = models.PositiveIntegerField(_("cases learned from"))
    # Measured before the final fit: a model fitted on the cases closed before the last month, asked about the cases
    # closed in it; the keyword rules asked about the same cases, for comparison. Empty when the month had none.
    held_out_cases = models.PositiveIntegerField(_("held-out cases"), default=0)
    held_out_accuracy = models.FloatField(_("held-out accuracy (last month)"), null=True, blank=True)
    keyword_accuracy = models.FloatField(_("keyword rules' accuracy (last month)"), null=True, blank=True)
    category_counts = models.JSONField(_("cases per category"), default=dict)
    data_digest = models.CharField(max_length=64, help_text="sha256 of the (case, category) pairs learned from.")
    weights = models.JSONField(default=dict, help_text="vocabulary, idf, classes, coef, intercept")

    class Meta:
        verbose_name = _("category model")
        verbose_name_plural = _("category models")
        ordering = ["-version"]

    def __str__(self):
        return _("Category model v%(version)s") % {"version": self.version}
