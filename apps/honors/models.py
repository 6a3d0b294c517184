from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


from .constants import (
    OPEN_STATUSES,
    REVIEW_LIMIT_DEFAULT,
    IssuerLevel,
    Industry,
    Kind,
    ReviewStatus,
    ShowcaseStatus,
    Status,
)


class HonorCategory(models.Model):
    """荣誉类别: one of the 13 of seed 000, with the department that reviews it (editable in the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    department = models.ForeignKey("organizations.Department", verbose_name=_("reviewing department"),
                                   on_delete=models.PROTECT, related_name="+")
    eligibility = models.TextField(_("eligibility (入选条件)"), blank=True,
                                   help_text=_("What the enterprise confirms when it claims this honor."))
    review_limit = models.PositiveSmallIntegerField(_("review limit (working days)"), default=REVIEW_LIMIT_DEFAULT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("honor category")
        verbose_name_plural = _("honor categories")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Showcase(models.Model):
    """公示展示: one enterprise's public page. The public sees ``current_version`` only, and only while published."""

    enterprise = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("enterprise account"),
                                      on_delete=models.PROTECT, related_name="showcase")
    department = models.ForeignKey("organizations.Department", verbose_name=_("accepting department"),
                                   on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=ShowcaseStatus.choices,
                              default=ShowcaseStatus.UNPUBLISHED)
    current_version = models.ForeignKey("ShowcaseVersion", verbose_name=_("published version"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    # Copies of the published version's facets, for the public list's filters and order.
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    district = models.ForeignKey("organizations.AdminUnit", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    categories = models.ManyToManyField(HonorCategory, verbose_name=_("honors"), blank=True, related_name="+")
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    cover = models.UUIDField(null=True, blank=True, help_text="Attachment shown on the list card.")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    search_tokens = models.TextField(blank=True, help_text="jieba tokens for the full-text index")
    search_vector = SearchVectorField(null=True, blank=True)  # GIN index on PostgreSQL: migration 0002

    class Meta:
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="showcase_published",
                         condition=models.Q(status="published")),
            models.Index(fields=["industry", "-published_at"], name="showcase_industry",
                         condition=models.Q(status="published")),
            models.Index(fields=["district", "-published_at"], name="showcase_district",
                         condition=models.Q(status="published")),
        ]

    def __str__(self):
        return self.name


class ShowcaseVersion(models.Model):
    """One published state of a showcase, kept for ever: what the public page showed from ``published_at``."""

    showcase = models.ForeignKey(Showcase, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    application = models.OneToOneField("HonorApplication", on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(_("content"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["showcase", "number"], name="showcase_version_number")]

    def __str__(self):
        return f"{self.showcase} v{self.number}"


class HonorApplication(models.Model):
    """荣誉申请: a first entry or an update of an enterprise's showcase, reviewed by the departments of its honors,
    then accepted and published by 市市场监管局."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INITIAL)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("enterprise account"),
                                  on_delete=models.PROTECT, related_name="honor_applications")
    showcase = models.ForeignKey(Showcase, verbose_name=_("showcase"), on_delete=models.PROTECT,
                                 related_name="applications")
    base_version = models.ForeignKey(ShowcaseVersion, verbose_name=_("updates version"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("organizations.Department", verbose_name=_("accepting department"),
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    district = models.ForeignKey("organizations.AdminUnit", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    # The four showcase sections (板块设置 2), sanitized HTML.
    profile = models.TextField(_("company profile (企业概况)"), blank=True)
    development = models.TextField(_("development (企业发展)"), blank=True)
    brand = models.TextField(_("brand building (品牌建设)"), blank=True)
    products_intro = models.TextField(_("product showcase introduction (产品展示)"), blank=True)
    eligibility_confirmed = models.BooleanField(_("eligibility confirmed"), default=False)
    declaration_at = models.DateTimeField(_("declaration signed at"), null=True, blank=True)
    review_departments = models.ManyToManyField("organizations.Department", verbose_name=_("reviewing departments"),
                                                blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reached_acceptance_at = models.DateTimeField(_("reached acceptance at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    current_deadline = models.ForeignKey("deadlines.Deadline", verbose_name=_("deadline"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    # Copy of current_deadline.due_at: the acceptance queue sorts by an index of this table.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("honor application")
        verbose_name_plural = _("honor applications")
        indexes = [
            # The acceptance queue: applications awaiting acceptance by deadline (partial: a few of the rows).
            models.Index(fields=["department", "due_at", "-submitted_at", "-id"], name="honor_acceptance_queue",
                         condition=models.Q(status__in=OPEN_STATUSES)),
            models.Index(fields=["applicant", "-created_at"]),
            models.Index(fields=["showcase", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["showcase"], condition=models.Q(status__in=["draft", *OPEN_STATUSES]),
                                    name="honor_one_open_application"),
        ]

    def __str__(self):
        return f"{self.reference or _('draft')} {self.name}"


class ReferenceSequence(models.Model):
    """Per-day counter of reference numbers (RY-20261122-0001), taken under a row lock."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)


class ClaimedHonor(models.Model):
    """荣誉证书: one honor the enterprise claims, with its certificate."""

    application = models.ForeignKey(HonorApplication, on_delete=models.CASCADE, related_name="honors")
    category = models.ForeignKey(HonorCategory, verbose_name=_("honor category"), on_delete=models.PROTECT,
                                 related_name="+")
    issuer = models.CharField(_("issued by"), max_length=100)
    issuer_level = models.CharField(_("issuer level"), max_length=16, choices=IssuerLevel.choices)
    issued_on = models.DateField(_("date of issue"))
    number = models.CharField(_("certificate number"), max_length=60)
    scan = models.ForeignKey("attachments.Attachment", verbose_name=_("certificate scan"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("claimed honor")
        verbose_name_plural = _("claimed honors")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["application", "category"], name="honor_claim_once")]

    def __str__(self):
        return f"{self.category} {self.number}"

    def signature(self) -> tuple:
        """What a department reviewed: a change of any of it sends the honor back to its department."""
        return (self.category_id, self.issuer, self.issuer_level, self.issued_on.isoformat(), self.number,
                self.scan.sha256 if self.scan_id else "")


class Product(models.Model):
    """产品展示: one product with its images and an optional short video (attachments on the application)."""

    application = models.ForeignKey(HonorApplication, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=100)
    model = models.CharField(_("model"), max_length=60, blank=True)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    standard = models.CharField(_("standard followed"), max_length=100, blank=True)
    technical_requirements = models.TextField(_("technical requirements"), max_length=1000, blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class DepartmentReview(models.Model):
    """审查: one department's review task for one round of an application, ending in its written opinion."""

    application = models.ForeignKey(HonorApplication, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="reviews")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("organizations.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices,
                              default=ReviewStatus.PENDING)
    opinion = models.TextField(_("opinion"), blank=True)
    items = models.JSONField(_("items to correct"), default=list, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    current_deadline = models.ForeignKey("deadlines.Deadline", verbose_name=_("deadline"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    document = models.ForeignKey("documents.Document", verbose_name=_("written opinion"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("department review")
        verbose_name_plural = _("department reviews")
        ordering = ["department_id", "-round"]
        indexes = [
            models.Index(fields=["department", "due_at", "-id"], name="honor_review_queue",
                         condition=models.Q(status="pending")),
            models.Index(fields=["application", "department", "round"]),
        ]

    def __str__(self):
        return f"{self.application} · {self.department}"


class FirstRecognition(models.Model):
    """首次认定: an enterprise newly recognised for an honor must be entered on the platform within 30 days."""

    enterprise_name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    category = models.ForeignKey(HonorCategory, verbose_name=_("honor category"), on_delete=models.PROTECT,
                                 related_name="+")
    recognised_on = models.DateField(_("recognised on"))
    department = models.ForeignKey("organizations.Department", verbose_name=_("accepting department"),
                                   on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    deadline = models.ForeignKey("deadlines.Deadline", verbose_name=_("deadline"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("first recognition")
        verbose_name_plural = _("first recognitions")
        ordering = ["-recognised_on", "-id"]

    def __str__(self):
        return f"{self.enterprise_name} · {self.category}"
