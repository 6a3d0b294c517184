from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.attachments.models import private_storage

from .constants import Audience, MaterialForm, MaterialSource, OnlineDepth, ServiceType, SignOff, Visits


class LifeEvent(models.Model):
    """A moment of a person's or an enterprise's life (出生, 就业 … / 开办, 变更 …) to browse services by."""

    name = models.CharField(_("name"), max_length=50)
    audience = models.CharField(_("for"), max_length=16, choices=Audience.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["audience", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["audience", "name"], name="life_event_audience_name")]

    def __str__(self):
        return self.name


class ServiceItem(models.Model):
    """政务服务事项: one entry of the service catalogue."""

    code = models.CharField(_("item code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    service_type = models.CharField(_("type"), max_length=20, choices=ServiceType.choices)
    department = models.ForeignKey("organizations.Department", verbose_name=_("handling department"),
                                   on_delete=models.PROTECT, related_name="service_items")
    audience = models.CharField(_("for"), max_length=16, choices=Audience.choices, default=Audience.BOTH)
    life_events = models.ManyToManyField(LifeEvent, verbose_name=_("life events"), blank=True,
                                         related_name="service_items")
    legal_basis = models.TextField(_("legal basis"))
    acceptance_conditions = models.TextField(_("acceptance conditions"))
    legal_limit = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_limit = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    fee = models.CharField(_("fee"), max_length=200, default="不收费")
    place = models.CharField(_("place"), max_length=200)
    phone = models.CharField(_("phone"), max_length=50)
    visits_required = models.PositiveSmallIntegerField(_("visits required"), choices=Visits.choices,
                                                       default=Visits.ONE)
    online_depth = models.PositiveSmallIntegerField(_("online depth"), choices=OnlineDepth.choices,
                                                    default=OnlineDepth.APPLY)
    is_active = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # 电子证照: completing an approved application issues a licence of this kind (the result is the licence).
    licence_kind = models.ForeignKey("licences.LicenceKind", verbose_name=_("licence issued"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # 告知承诺制: the applicant may sign a commitment instead of the materials marked so; decided on the spot when set.
    commitment_on_the_spot = models.BooleanField(
        _("decided on the spot under a commitment"), default=False,
        help_text=_("With a signed commitment the application is accepted and decided at once (当场办结)."))
    commitment_notice = models.TextField(
        _("commitment notice (告知)"), blank=True,
        help_text=_("The conditions the applicant commits to meet, and what a false commitment leads to."))
    # 承办 → 审核 → 批准: who signs the decision (issue 16).
    signoff = models.CharField(
        _("decision signed by"), max_length=8, choices=SignOff.choices, default=SignOff.CLERK,
        help_text=_("Which steps the decision passes: the handling clerk alone, or the department head's approval, "
                    "with or without the section head's review between."))
    commitment_check_days = models.PositiveSmallIntegerField(
        _("follow-up check within (working days)"), default=20,
        help_text=_("事中事后核查: the department checks each commitment within this time."))

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["department__code", "code"]
        indexes = [models.Index(fields=["department", "is_active"]), models.Index(fields=["service_type", "is_active"])]

    def __str__(self):
        return self.name

    def clean(self):
        # The promise may be shorter than the law, never longer.
        if self.promised_limit and self.legal_limit and self.promised_limit > self.legal_limit:
            raise ValidationError({"promised_limit": _("The promised limit cannot exceed the legal limit.")})

    @property
    def applies_online(self):
        return self.is_active and self.online_depth >= OnlineDepth.APPLY


class Material(models.Model):
    """申请材料: what the applicant must provide."""

    service = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=16, choices=MaterialSource.choices,
                              default=MaterialSource.APPLICANT)
    form = models.CharField(_("original or copy"), max_length=16, choices=MaterialForm.choices,
                            default=MaterialForm.COPY)
    count = models.PositiveSmallIntegerField(_("copies"), default=1)
    required = models.BooleanField(_("required"), default=True)
    condition = models.CharField(_("needed when"), max_length=200, blank=True,
                                 help_text=_("For a conditional material: when it is needed, e.g. 委托他人办理的."))
    sample = models.FileField(_("sample or blank form"), storage=private_storage, upload_to="samples/", blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # 免提交: an electronic licence of this kind that the applicant holds fills the material.
    licence_kind = models.ForeignKey("licences.LicenceKind", verbose_name=_("satisfied by the licence"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    # 告知承诺制: a signed commitment may replace it.
    commitment_allowed = models.BooleanField(_("a commitment may replace it"), default=False)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["service", "order", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.required and not self.condition:
            raise ValidationError({"condition": _("Say when a conditional material is needed.")})


class ProcessStep(models.Model):
    """办理流程: one step of the flowchart, in order."""

    service = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("step"), max_length=100)
    actor = models.CharField(_("who"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    time_limit = models.CharField(_("time limit"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["service", "order", "id"]

    def __str__(self):
        return self.name
